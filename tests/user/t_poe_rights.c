/*
 * t_poe_rights - no page may be mapped with rights its VMA lacks, and
 * mprotect, munmap and madvise keep the POE marks consistent (the
 * pre-page-fault marking, docs/poe.md).
 *
 * A fork child's copy of a POE region is ordinary (POE is not inherited),
 * so every access that must die runs in a child that enables POE and
 * builds its own warm region first; it notes in a shared page that it got
 * as far as the fatal access, and how many fast-path hits its reads took
 * on the way (so the fatal access met a POE mark, not an ordinary PTE).
 *
 *   1. PROT_READ region: reads work (zeros; they may take the fast path);
 *      a write to an untouched page, or to a page the fast path mapped
 *      for a read, dies with SIGSEGV.
 *   2. A warm RW region mprotect'ed to PROT_READ: a write dies, to an
 *      untouched page, to a page written before, and to one the fast
 *      path mapped after the mprotect.
 *   3. ... to PROT_NONE: a read dies, of an untouched page and of a page
 *      written before.
 *   4. READ -> NONE -> RW again: the data is intact, reads and writes
 *      work, and after poe_wait_idle untouched pages take the fast path
 *      again (hits grow).
 *   5. madvise(MADV_DONTNEED): the pages read zero, the rest keep their
 *      data; used entries pending at the madvise are accounted (error
 *      handling); after poe_wait_idle the range takes the fast path again.
 *   6. In a child, while the parent keeps POE on: munmap part of a region
 *      and mmap MAP_FIXED there (POE on: a new POE region; and MAP_FIXED
 *      straight over a POE range); then poe_disable and mmap an ordinary
 *      region MAP_FIXED into a hole: all read zero, the ordinary one
 *      takes no fast-path hit, the rest keeps its data; and the old POE
 *      region keeps the fast path after the disable (hits grow).
 *   7. munmap of never-touched (marked) RW pages, then a PROT_READ
 *      region MAP_FIXED there (in a child): a write dies (no stale RW
 *      mark survives the munmap).
 *   8. poe_disable as the only POE process (the tables go) and enable
 *      again: an old region still reads and writes correctly, also pages
 *      first touched while POE was off, and its marks take the fast path
 *      again.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_poe_rights"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"

#define RW (PROT_READ | PROT_WRITE)

struct note {
	long stage; /* 1: at the fatal access */
	long hits;  /* fast-path hits of its reads before it */
};

static volatile struct note *notes; /* MAP_SHARED: one per child */

/* The fatal access of child k: note it, then do it. */
static void fatal_write(int k, unsigned char *at, unsigned long h0)
{
	notes[k].hits = (long)(poe_child_hits() - h0);
	notes[k].stage = 1;
	*(volatile unsigned char *)at = 0x5a;
}

/* fatal_read - the same for a fatal read. */
static void fatal_read(int k, unsigned char *at, unsigned long h0)
{
	notes[k].hits = (long)(poe_child_hits() - h0);
	notes[k].stage = 1;
	(void)*(volatile unsigned char *)at;
}

/* 1. PROT_READ region. arg 0: write an untouched page; 1: write the page
 * the fast path mapped for a read. */
static int ro_write(void *arg)
{
	long k = (long)arg;
	unsigned char *p = poe_child_region(8, PROT_READ);
	unsigned long h0 = poe_child_hits();

	if (*(volatile unsigned char *)p != 0)
		return 2;
	fatal_write((int)k, k == 0 ? p + 5 * PAGE : p, h0);
	return 0; /* survived: a FAIL */
}

/* 2. RW, pages 0..7 written, then PROT_READ. arg 2: write untouched page
 * 12; 3: write page 3; 4: write page 8, read after the mprotect. */
static int ro_after_mprotect(void *arg)
{
	long k = (long)arg;
	unsigned char *p = poe_child_region(16, RW);
	unsigned long h0, i;

	for (i = 0; i < 8; i++)
		p[i * PAGE + 1] = (unsigned char)(0x10 + i);
	if (mprotect(p, 16 * PAGE, PROT_READ))
		return 3;
	h0 = poe_child_hits();
	for (i = 0; i < 8; i++)
		if (p[i * PAGE + 1] != 0x10 + i)
			return 4;
	if (*(volatile unsigned char *)(p + 8 * PAGE) != 0) /* fast path, RO */
		return 5;
	fatal_write((int)k, p + (k == 2 ? 12 : k == 3 ? 3 : 8) * PAGE, h0);
	return 0;
}

/* 3. RW, pages 0..7 written, then PROT_NONE. arg 5: read untouched page
 * 12; 6: read page 3. */
static int none_after_mprotect(void *arg)
{
	long k = (long)arg;
	unsigned char *p = poe_child_region(16, RW);
	unsigned long h0 = poe_child_hits(), i;

	for (i = 0; i < 8; i++)
		p[i * PAGE + 1] = (unsigned char)(0x10 + i);
	if (mprotect(p, 16 * PAGE, PROT_NONE))
		return 3;
	fatal_read((int)k, p + (k == 5 ? 12 : 3) * PAGE, h0);
	return 0;
}

/* 7. RW region, pages 4..11 never touched (marked RW), unmapped; a
 * PROT_READ region MAP_FIXED there: a write must die (a stale RW mark
 * would let the walker map it writable). arg 7. */
static int stale_marks(void *arg)
{
	long k = (long)arg;
	unsigned char *p = poe_child_region(16, RW), *q;
	unsigned long h0;

	poe_write_pages(p, 0, 4, 0x10);
	if (munmap(p + 4 * PAGE, 8 * PAGE))
		return 3;
	q = mmap(p + 4 * PAGE, 8 * PAGE, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (q != p + 4 * PAGE)
		return 4;
	if (poe_wait_idle())
		_exit(92);
	h0 = poe_child_hits();
	if (*(volatile unsigned char *)(p + 5 * PAGE) != 0)
		return 5;
	fatal_write((int)k, p + 6 * PAGE, h0);
	return 0;
}

/* expect_segv - run fn(k) in a child that must die by SIGSEGV, and record
 * a FAIL unless it reached its fatal access (notes[k].stage == 1). */
static void expect_segv(const char *what, int (*fn)(void *), int k)
{
	notes[k].stage = 0;
	notes[k].hits = -1;
	expect_signal(what, fn, (void *)(long)k, SIGSEGV);
	diag("  %s: reached the fatal access: %s; fast-path hits before it: %ld",
	     what, notes[k].stage == 1 ? "yes" : "NO", notes[k].hits);
	CHECK_EQ(notes[k].stage, 1);
}

/* 4. A round trip through PROT_READ and PROT_NONE, in this process. */
static void mprotect_round_trip(void)
{
	struct poe_stats s0, s1;
	unsigned char *p = map_anon(32 * PAGE, RW);

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED || poe_wait_idle())
		return;
	poe_write_pages(p, 0, 16, 0x20);
	CHECK_EQ(mprotect(p, 32 * PAGE, PROT_READ), 0);
	CHECK_EQ(poe_bad_pages(p, 0, 16, 0x20), 0);
	CHECK_EQ(poe_bad_pages(p, 16, 20, -1), 0); /* read-only fast path */
	CHECK_EQ(mprotect(p, 32 * PAGE, PROT_NONE), 0);
	CHECK_EQ(mprotect(p, 32 * PAGE, RW), 0);
	CHECK_EQ(poe_bad_pages(p, 0, 16, 0x20), 0);
	CHECK_EQ(poe_bad_pages(p, 16, 20, -1), 0);
	poe_write_pages(p, 0, 20, 0x30); /* 16..19 were mapped read-only */
	CHECK_EQ(poe_bad_pages(p, 0, 20, 0x30), 0);
	/* PROT_NONE dropped the marks of 20..31; RW marked them again. */
	if (poe_wait_idle())
		return;
	poe_stats_now(&s0);
	CHECK_EQ(poe_bad_pages(p, 20, 32, -1), 0);
	poe_stats_now(&s1);
	poe_write_pages(p, 20, 32, 0x30);
	CHECK_EQ(poe_bad_pages(p, 0, 32, 0x30), 0);
	diag("mprotect RW->READ->NONE->RW: 12 untouched pages then took %lu "
	     "fast-path hits (not marked %lu)",
	     s1.hits - s0.hits, s1.fb_not_marked - s0.fb_not_marked);
	CHECK(s1.hits - s0.hits >= 6);
	CHECK_EQ(munmap(p, 32 * PAGE), 0);
}

/* 5. madvise(MADV_DONTNEED). */
static void dontneed(void)
{
	struct poe_stats s0, s1, s2;
	unsigned char *p = map_anon(32 * PAGE, RW);

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED || poe_wait_idle())
		return;
	poe_stats_now(&s0);
	poe_write_pages(p, 0, 32, 0x40); /* fast path: entries pending */
	poe_stats_now(&s1);
	CHECK_EQ(madvise(p + 8 * PAGE, 16 * PAGE, MADV_DONTNEED), 0);
	poe_stats_now(&s2);
	diag("madvise: %lu hits writing 32 pages, %lu entries pending at the "
	     "madvise, error recoveries +%lu",
	     s1.hits - s0.hits, s1.proc_pending,
	     s2.error_recoveries - s1.error_recoveries);
	/* Accounted before the pages went: by the madvise's error handling,
	 * or by post-fault work that ran first. */
	CHECK(s2.error_recoveries - s1.error_recoveries + s2.postfault_entries -
		      s1.postfault_entries >=
	      s1.proc_pending);
	CHECK_EQ(s2.proc_pending, 0);
	CHECK_EQ(poe_bad_pages(p, 8, 16, -1), 0); /* at once: zero */
	CHECK_EQ(poe_bad_pages(p, 0, 8, 0x40), 0);
	CHECK_EQ(poe_bad_pages(p, 24, 32, 0x40), 0);
	/* Pages 16..23, left alone until the marks are back: fast path. */
	if (poe_wait_idle())
		return;
	poe_stats_now(&s0);
	CHECK_EQ(poe_bad_pages(p, 16, 24, -1), 0);
	poe_stats_now(&s1);
	diag("madvise: after poe_wait_idle, 8 dropped pages took %lu fast-path hits",
	     s1.hits - s0.hits);
	CHECK(s1.hits - s0.hits >= 4);
	poe_write_pages(p, 8, 24, 0x50);
	CHECK_EQ(poe_bad_pages(p, 8, 24, 0x50), 0);
	CHECK_EQ(munmap(p, 32 * PAGE), 0);
}

/*
 * 6. In a child; the parent keeps POE on. Returns the number of failures
 * (each with a diag line).
 */
#define KFAIL(cond, ...)                                         \
	do {                                                     \
		if (!(cond)) {                                   \
			diag("FAIL keeper child: " __VA_ARGS__); \
			bad++;                                   \
		}                                                \
	} while (0)

static int fixed_child(void *arg)
{
	struct poe_stats s0, s1, s2;
	unsigned char *p, *q;
	int bad = 0;

	(void)arg;
	p = poe_child_region(64, RW);
	poe_write_pages(p, 0, 24, 0x60); /* 24..63 stay untouched */
	/* munmap 8..15, then a new (POE) region there. */
	KFAIL(munmap(p + 8 * PAGE, 8 * PAGE) == 0, "munmap 8..15");
	q = mmap(p + 8 * PAGE, 8 * PAGE, RW,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	KFAIL(q == p + 8 * PAGE, "mmap MAP_FIXED 8..15");
	/* MAP_FIXED straight over 16..23 (replaces the written pages). */
	q = mmap(p + 16 * PAGE, 8 * PAGE, RW,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	KFAIL(q == p + 16 * PAGE, "mmap MAP_FIXED over 16..23");
	KFAIL(poe_bad_pages(p, 8, 24, -1) == 0,
	      "new MAP_FIXED POE pages not zero");
	/* munmap 24..31 (marked, never touched: the marks must go); POE
	 * off (the parent keeps the tables); an ordinary region MAP_FIXED in
	 * the hole. */
	KFAIL(munmap(p + 24 * PAGE, 8 * PAGE) == 0, "munmap 24..31");
	KFAIL(poe_disable() == 0, "poe_disable");
	q = mmap(p + 24 * PAGE, 8 * PAGE, RW,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	KFAIL(q == p + 24 * PAGE, "mmap MAP_FIXED 24..31 (ordinary)");
	if (poe_wait_idle())
		return bad + 1;
	poe_stats_now(&s0);
	KFAIL(s0.enabled == 1, "the parent's POE is off");
	KFAIL(s0.proc_enabled == 0, "still on after poe_disable");
	KFAIL(poe_bad_pages(p, 24, 32, -1) == 0,
	      "ordinary MAP_FIXED pages not zero");
	poe_write_pages(p, 24, 32, 0x70);
	poe_stats_now(&s1);
	diag("keeper child: ordinary MAP_FIXED region: %lu fast-path hits, %lu "
	     "not-POEable fall-backs",
	     s1.hits - s0.hits, s1.fb_not_poeable - s0.fb_not_poeable);
	KFAIL(s1.hits == s0.hits, "the ordinary region took %lu fast-path hits",
	      s1.hits - s0.hits);
	KFAIL(s1.fb_not_poeable - s0.fb_not_poeable >= 8,
	      "not-POEable fall-backs +%lu, want >= 8",
	      s1.fb_not_poeable - s0.fb_not_poeable);
	/* The old region, POE off in this process: still the fast path. */
	KFAIL(poe_bad_pages(p, 32, 64, -1) == 0,
	      "untouched old POE pages not zero");
	poe_stats_now(&s2);
	poe_write_pages(p, 32, 64, 0x80);
	diag("keeper child: after its poe_disable, 32 untouched pages of its old "
	     "region took %lu fast-path hits",
	     s2.hits - s1.hits);
	KFAIL(s2.hits - s1.hits >= 16, "old region after disable: %lu hits",
	      s2.hits - s1.hits);
	KFAIL(poe_bad_pages(p, 0, 8, 0x60) == 0, "pages 0..7 lost their data");
	KFAIL(poe_bad_pages(p, 24, 32, 0x70) == 0,
	      "pages 24..31 lost their data");
	KFAIL(poe_bad_pages(p, 32, 64, 0x80) == 0,
	      "pages 32..63 lost their data");
	return bad;
}

/* 8. Disable as the only POE process, then enable again. */
static void disable_enable(void)
{
	struct poe_stats s0, s1, st;
	unsigned char *p = map_anon(32 * PAGE, RW);

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED || poe_wait_idle())
		return;
	poe_write_pages(p, 0, 16, 0x90);
	CHECK_EQ(poe_disable(), 0);
	poe_stats_now(&st);
	if (st.enabled)
		diag("another process keeps POE on (poe.always?): the tables stay");
	else
		diag("POE off everywhere: the tables are gone");
	CHECK_EQ(poe_bad_pages(p, 0, 16, 0x90), 0);
	CHECK_EQ(poe_bad_pages(p, 16, 24, -1), 0); /* marked, walker off */
	poe_write_pages(p, 16, 24, 0x90);
	CHECK_EQ(poe_enable(), 0);
	CHECK_EQ(poe_bad_pages(p, 0, 24, 0x90), 0);
	if (poe_wait_idle())
		return;
	poe_stats_now(&s0);
	CHECK_EQ(poe_bad_pages(p, 24, 32, -1), 0);
	poe_stats_now(&s1);
	poe_write_pages(p, 24, 32, 0x90);
	CHECK_EQ(poe_bad_pages(p, 0, 32, 0x90), 0);
	diag("disable, enable: 8 old marked pages took %lu fast-path hits",
	     s1.hits - s0.hits);
	CHECK(s1.hits - s0.hits >= 4);
	CHECK_EQ(munmap(p, 32 * PAGE), 0);
}

int main(void)
{
	struct poe_stats s0, s1;
	unsigned char *p;
	int status;

	poe_require();
	notes = mmap(NULL, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(notes != MAP_FAILED);
	if (notes == MAP_FAILED)
		return utest_done();

	/* 1. PROT_READ: reads here; writes in children. */
	p = map_anon(8 * PAGE, PROT_READ);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED || poe_wait_idle())
		return utest_done();
	poe_stats_now(&s0);
	CHECK(all_bytes(p, 8 * PAGE, 0));
	poe_stats_now(&s1);
	diag("PROT_READ region: 8 pages read zero, %lu fast-path hits",
	     s1.hits - s0.hits);
	CHECK_EQ(munmap(p, 8 * PAGE), 0);
	expect_segv("write to an untouched PROT_READ POE page", ro_write, 0);
	expect_segv("write to a PROT_READ POE page read via the fast path",
		    ro_write, 1);

	/* 2, 3. mprotect of a warm region, in children. */
	expect_segv("PROT_READ after mprotect: write an untouched page",
		    ro_after_mprotect, 2);
	expect_segv("PROT_READ after mprotect: write a page written before",
		    ro_after_mprotect, 3);
	expect_segv("PROT_READ after mprotect: write a page read after it",
		    ro_after_mprotect, 4);
	expect_segv("PROT_NONE after mprotect: read an untouched page",
		    none_after_mprotect, 5);
	expect_segv("PROT_NONE after mprotect: read a page written before",
		    none_after_mprotect, 6);
	expect_segv("PROT_READ MAP_FIXED over unmapped RW marks: write a page",
		    stale_marks, 7);
	parent_carries_on();

	/* 4, 5. Here. */
	mprotect_round_trip();
	dontneed();

	/* 6. A child, with this process keeping POE on. */
	status = run_child(fixed_child, NULL);
	CHECK(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (status != -1 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		describe_status("keeper child", status);

	/* 8. Last: every child is gone, so this may be the only POE user. */
	disable_enable();
	return utest_done();
}
