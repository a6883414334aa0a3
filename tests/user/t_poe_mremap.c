/*
 * t_poe_mremap - mremap of a POE region (docs/poe.md, "mremap and the
 * marks"): no pre-fault mark stays at the old address, none is carried
 * to the new one, and the region is pre-faulted again where it lands.
 *
 * A mark the walker finds maps a page without a fault, so a stale mark
 * shows as an access that should die and does not. Each fatal access
 * runs in a child that enables POE and builds its own warm region (a
 * fork child's copy of a POE region is ordinary), and notes in a shared
 * page that it reached the access.
 *
 *   1. A warm RW region, half written, moved (MREMAP_FIXED): the data is
 *      at the new address, the rest reads zero; a read of a page at the
 *      old address that was only marked must die with SIGSEGV.
 *   2. The same, then a PROT_READ region mapped over the old range: a
 *      write there must die (a stale RW mark would map it writable).
 *   3. Moved and grown (MREMAP_MAYMOVE past a mapping in the way): once
 *      the pre-fault work is idle, the untouched pages at the new
 *      address take the fast path (hits grow) and read zero.
 *   4. MREMAP_DONTUNMAP: the old range stays a POE region, reads zero
 *      and takes the fast path again; the new one has the data.
 *   5. Shrunk, then grown in place: the new tail takes the fast path.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_poe_mremap"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

#define RW (PROT_READ | PROT_WRITE)

struct note {
	long stage; /* 1: at the fatal access */
	long hits;  /* fast-path hits of its reads before it */
};

static volatile struct note *notes; /* MAP_SHARED: one per child */

/* No new address: MREMAP_DONTUNMAP alone may put it anywhere. */
static void *const anywhere;

/* A region of 16 pages, 0..7 written, moved to a free hole. Returns the
 * old address; *newp the new one. _exit()s on failure. */
static unsigned char *moved_region(unsigned char **newp)
{
	unsigned char *p = poe_child_region(16, RW), *to = free_hole(16 * PAGE),
		      *q;

	poe_write_pages(p, 0, 8, 0x10);
	if (!to)
		_exit(94);
	q = mremap(p, 16 * PAGE, 16 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, to);
	if (q != to)
		_exit(95);
	if (poe_bad_pages(q, 0, 8, 0x10) || poe_bad_pages(q, 8, 16, -1))
		_exit(96);
	*newp = q;
	return p;
}

/* 1. Read an only-marked page at the old address. */
static int old_read(void *arg)
{
	long k = (long)arg;
	unsigned char *q, *p = moved_region(&q);

	notes[k].hits = (long)poe_child_hits();
	notes[k].stage = 1;
	(void)*(volatile unsigned char *)(p + 12 * PAGE);
	return 0; /* survived: a FAIL */
}

/* 2. A PROT_READ region over the old range; write an untouched page. */
static int old_write_ro(void *arg)
{
	long k = (long)arg;
	unsigned char *q, *p = moved_region(&q), *r;

	r = mmap(p, 16 * PAGE, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (r != p)
		return 3;
	if (poe_wait_idle())
		_exit(92);
	if (*(volatile unsigned char *)(p + 13 * PAGE) != 0)
		return 4;
	notes[k].hits = (long)poe_child_hits();
	notes[k].stage = 1;
	*(volatile unsigned char *)(p + 12 * PAGE) = 0x5a;
	return 0; /* survived: a FAIL */
}

static void expect_segv(const char *what, int (*fn)(void *), int k)
{
	notes[k].stage = 0;
	notes[k].hits = -1;
	expect_signal(what, fn, (void *)(long)k, SIGSEGV);
	diag("  %s: reached the fatal access: %s", what,
	     notes[k].stage == 1 ? "yes" : "NO");
	CHECK_EQ(notes[k].stage, 1);
}

/* 3. Moved and grown past a mapping in the way, in this process. */
static void grown_move(void)
{
	struct poe_stats s0, s1;
	unsigned char *p = free_hole(17 * PAGE), *q, *block;

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(mmap(p, 16 * PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		   -1, 0) == p);
	block = mmap(p + 16 * PAGE, PAGE, PROT_READ,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(block == p + 16 * PAGE);
	if (poe_wait_idle())
		return;
	poe_write_pages(p, 0, 8, 0x20);
	q = mremap(p, 16 * PAGE, 48 * PAGE, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED && q != p);
	if (q == MAP_FAILED)
		return;
	CHECK_EQ(poe_bad_pages(q, 0, 8, 0x20), 0);
	if (poe_wait_idle())
		return;
	poe_stats_now(&s0);
	CHECK_EQ(poe_bad_pages(q, 8, 48, -1), 0);
	poe_stats_now(&s1);
	diag("moved and grown: 40 untouched pages at the new address took %lu "
	     "fast-path hits, %lu fall-backs for want of a mark",
	     s1.hits - s0.hits, s1.fb_not_marked - s0.fb_not_marked);
	CHECK(s1.hits - s0.hits >= 20);
	/* Marked by the pre-fault work after the move, not by the first
	 * fault there (which marks the rest of its page table). */
	CHECK_EQ(s1.fb_not_marked - s0.fb_not_marked, 0);
	poe_write_pages(q, 0, 48, 0x30);
	CHECK_EQ(poe_bad_pages(q, 0, 48, 0x30), 0);
	CHECK_EQ(munmap(q, 48 * PAGE), 0);
	CHECK_EQ(munmap(block, PAGE), 0);
}

/* 4. MREMAP_DONTUNMAP. */
static void dontunmap(void)
{
	struct poe_stats s0, s1;
	unsigned char *p = map_anon(32 * PAGE, RW), *q;

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED || poe_wait_idle())
		return;
	poe_write_pages(p, 0, 32, 0x40); /* partly by the fast path */
	q = mremap(p, 32 * PAGE, 32 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
		   anywhere);
	CHECK(q != MAP_FAILED);
	if (q == MAP_FAILED)
		return;
	CHECK_EQ(poe_bad_pages(q, 0, 32, 0x40), 0);
	if (poe_wait_idle())
		return;
	poe_stats_now(&s0);
	CHECK_EQ(poe_bad_pages(p, 0, 32, -1), 0);
	poe_stats_now(&s1);
	diag("DONTUNMAP: the 32 emptied pages at the old address took %lu "
	     "fast-path hits, %lu fall-backs for want of a mark",
	     s1.hits - s0.hits, s1.fb_not_marked - s0.fb_not_marked);
	CHECK(s1.hits - s0.hits >= 16);
	CHECK_EQ(s1.fb_not_marked - s0.fb_not_marked, 0);
	CHECK_EQ(poe_bad_pages(q, 0, 32, 0x40), 0);
	CHECK_EQ(munmap(p, 32 * PAGE), 0);
	CHECK_EQ(munmap(q, 32 * PAGE), 0);
}

/* 5. Shrunk, then grown in place. */
static void shrink_grow(void)
{
	struct poe_stats s0, s1;
	unsigned char *p = free_hole(32 * PAGE);

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(mmap(p, 32 * PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		   -1, 0) == p);
	if (poe_wait_idle())
		return;
	poe_write_pages(p, 0, 4, 0x50);
	CHECK(mremap(p, 32 * PAGE, 8 * PAGE, 0) == p);
	CHECK(mremap(p, 8 * PAGE, 32 * PAGE, 0) == p);
	if (poe_wait_idle())
		return;
	poe_stats_now(&s0);
	CHECK_EQ(poe_bad_pages(p, 8, 32, -1), 0);
	poe_stats_now(&s1);
	diag("grown in place: 24 new pages took %lu fast-path hits, %lu "
	     "fall-backs for want of a mark",
	     s1.hits - s0.hits, s1.fb_not_marked - s0.fb_not_marked);
	CHECK(s1.hits - s0.hits >= 12);
	CHECK_EQ(s1.fb_not_marked - s0.fb_not_marked, 0);
	CHECK_EQ(poe_bad_pages(p, 0, 4, 0x50), 0);
	CHECK_EQ(munmap(p, 32 * PAGE), 0);
}

int main(void)
{
	poe_require();
	notes = mmap(NULL, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(notes != MAP_FAILED);
	if (notes == MAP_FAILED)
		return utest_done();
	expect_segv("read of a marked page at the old address", old_read, 0);
	expect_segv("write at the old address, mapped PROT_READ again",
		    old_write_ro, 1);
	grown_move();
	dontunmap();
	shrink_grow();
	return utest_done();
}
