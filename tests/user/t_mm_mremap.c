/*
 * t_mm_mremap - mremap (man 2 mremap), on this kernel and on Linux:
 *
 *   1. errors, in Linux's order (a table): unknown flags, MREMAP_FIXED
 *      or MREMAP_DONTUNMAP without MREMAP_MAYMOVE, DONTUNMAP with a
 *      resize, an unaligned address, new_len 0 (EINVAL); nothing mapped
 *      at the address, an old range running past its mapping (EFAULT);
 *      an unaligned or overlapping new address (EINVAL); old_len 0 on
 *      private memory (EINVAL); growing when the pages above are taken,
 *      without MAYMOVE (ENOMEM);
 *   2. shrinking in place: the address stays, the tail is gone
 *      (SIGSEGV), the rest keeps its data;
 *   3. growing in place into free pages: the address stays, the data
 *      too, the new pages read zero and take writes;
 *   4. growing with MAYMOVE past a mapping in the way: the mapping
 *      moves with its data (the pages themselves: a big region keeps
 *      every page's contents), the old range is gone;
 *   5. MREMAP_FIXED onto a mapped target: the target is replaced, and a
 *      move across 2 MiB page-table boundaries with a different offset
 *      inside the table keeps every page;
 *   6. a shared mapping moved stays shared with a fork child made
 *      before the move; old_len 0 on a shared mapping makes a second
 *      mapping of the same pages;
 *   7. a private page shared copy-on-write with a fork child, moved:
 *      the parent's write after the move does not reach the child;
 *   8. MREMAP_DONTUNMAP, what Linux's selftest mremap_dontunmap checks:
 *      simple (the old range stays mapped and reads zero, the new one
 *      has the data), with MREMAP_FIXED, on part of a mapping (the
 *      rest keeps its data), and over part of an existing mapping
 *      (only that part is replaced);
 *   9. a locked mapping (mlock) grown by a move: the new part is
 *      populated (mincore).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_mremap"
#include "utest.h"
#include "mm_util.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

#define RW (PROT_READ | PROT_WRITE)

/* Fill page i of p with the byte (seed + i). */
static void fill_pages(unsigned char *p, unsigned long n, int seed)
{
	for (unsigned long i = 0; i < n; i++)
		memset(p + i * PAGE, (seed + (int)i) & 0xff, PAGE);
}

/* 1 iff page i of p is all (seed + i), for i in [0, n). */
static int pages_ok(const unsigned char *p, unsigned long n, int seed)
{
	for (unsigned long i = 0; i < n; i++)
		if (!all_bytes(p + i * PAGE, PAGE, (seed + (int)i) & 0xff))
			return 0;
	return 1;
}

/* The read in a child must die of SIGSEGV: nothing is mapped there. */
static void expect_gone(const char *what, void *addr)
{
	expect_signal(what, (int (*)(void *))child_read, addr, SIGSEGV);
}

/* mincore says every page of [p, p + n pages) is resident. */
static int all_resident(void *p, unsigned long n)
{
	unsigned char vec[64];

	if (n > sizeof(vec) || mincore(p, n * PAGE, vec))
		return 0;
	for (unsigned long i = 0; i < n; i++)
		if (!(vec[i] & 1))
			return 0;
	return 1;
}

/* The table: p maps 4 pages with 4 free pages above; hole is free. */
static void errors_table(unsigned char *p, void *hole)
{
	struct {
		const char *what;
		void *addr;
		size_t old_len, new_len;
		int flags;
		void *new_addr;
		int err;
	} t[] = {
		{ "unknown flag", p, PAGE, PAGE, 8, NULL, EINVAL },
		{ "FIXED without MAYMOVE", p, PAGE, PAGE, MREMAP_FIXED, hole,
		  EINVAL },
		{ "DONTUNMAP without MAYMOVE", p, PAGE, PAGE, MREMAP_DONTUNMAP,
		  NULL, EINVAL },
		{ "DONTUNMAP with a resize", p, PAGE, 2 * PAGE,
		  MREMAP_DONTUNMAP | MREMAP_MAYMOVE, NULL, EINVAL },
		{ "unaligned address", p + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE,
		  NULL, EINVAL },
		{ "new_len 0", p, PAGE, 0, MREMAP_MAYMOVE, NULL, EINVAL },
		{ "flags before the address", p + 1, PAGE, PAGE, 8, NULL,
		  EINVAL },
		{ "nothing mapped", hole, PAGE, 2 * PAGE, MREMAP_MAYMOVE, NULL,
		  EFAULT },
		{ "nothing mapped, shrinking", hole, 2 * PAGE, PAGE, 0, NULL,
		  EFAULT },
		{ "old range past the mapping", p, 5 * PAGE, 6 * PAGE,
		  MREMAP_MAYMOVE, NULL, EFAULT },
		{ "FIXED to an unaligned address", p, PAGE, PAGE,
		  MREMAP_FIXED | MREMAP_MAYMOVE, (char *)hole + 1, EINVAL },
		{ "FIXED onto itself", p, 2 * PAGE, 2 * PAGE,
		  MREMAP_FIXED | MREMAP_MAYMOVE, p + PAGE, EINVAL },
		{ "old_len 0 on private memory", p, 0, PAGE, MREMAP_MAYMOVE,
		  NULL, EINVAL },
	};

	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		void *r;

		errno = 0;
		r = mremap(t[i].addr, t[i].old_len, t[i].new_len, t[i].flags,
			   t[i].new_addr);
		utest_checks++;
		if (r != MAP_FAILED || errno != t[i].err) {
			utest_failures++;
			diag("FAIL %s: returned %p, errno %d (%s); expected "
			     "errno %d (%s)",
			     t[i].what, r, errno, strerror(errno), t[i].err,
			     strerror(t[i].err));
		}
	}
}

/* No new address: MREMAP_DONTUNMAP alone may put it anywhere. */
static void *const anywhere;

/* A flag shared with fork children: the parent sets it when they may go
 * on. */
static volatile int *go;

static void wait_go(void)
{
	for (int i = 0; i < 5000 && !*go; i++)
		usleep(1000);
}

static void test_errors(void)
{
	unsigned char *p = free_hole(8 * PAGE), *q;
	void *hole;

	CHECK(p && mmap(p, 4 * PAGE, RW,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p);
	hole = free_hole(8 * PAGE);
	CHECK(hole != NULL);
	if (!p || !hole)
		return;
	errors_table(p, hole);
	/* Growing in place into a mapping, without MAYMOVE. */
	q = mmap(p + 4 * PAGE, PAGE, RW,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p + 4 * PAGE);
	CHECK_ERR((long)mremap(p, 4 * PAGE, 5 * PAGE, 0), ENOMEM);
	CHECK_EQ(munmap(p, 5 * PAGE), 0);
}

static void test_shrink_grow(void)
{
	unsigned char *p = free_hole(8 * PAGE), *q;

	CHECK(p != NULL);
	if (!p)
		return;
	q = mmap(p, 4 * PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		 0);
	CHECK(q == p);
	fill_pages(p, 4, 0x10);
	/* Shrink: same address, the tail gone. */
	CHECK(mremap(p, 4 * PAGE, 2 * PAGE, 0) == p);
	CHECK(pages_ok(p, 2, 0x10));
	expect_gone("read of a shrunk tail", p + 2 * PAGE);
	/* Grow in place into the free pages above. */
	CHECK(mremap(p, 2 * PAGE, 8 * PAGE, 0) == p);
	CHECK(pages_ok(p, 2, 0x10));
	CHECK(all_bytes(p + 2 * PAGE, 6 * PAGE, 0));
	p[7 * PAGE] = 5;
	CHECK_EQ(p[7 * PAGE], 5);
	/* Same size: nothing to do, the same address. */
	CHECK(mremap(p, 8 * PAGE, 8 * PAGE, 0) == p);
	CHECK_EQ(munmap(p, 8 * PAGE), 0);
}

static void test_move(void)
{
	const unsigned long n = 600; /* over a page table's 512 pages */
	unsigned char *p = free_hole((n + 1) * PAGE), *block, *q;

	CHECK(p && mmap(p, n * PAGE, RW,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p);
	if (!p)
		return;
	fill_pages(p, n, 1);
	/* Something in the way of growing in place. */
	block = mmap(p + n * PAGE, PAGE, PROT_READ,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(block == p + n * PAGE);
	q = mremap(p, n * PAGE, (n + 16) * PAGE, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED && q != p);
	if (q == MAP_FAILED)
		return;
	CHECK(pages_ok(q, n, 1));
	CHECK(all_bytes(q + n * PAGE, 16 * PAGE, 0));
	q[(n + 15) * PAGE] = 9;
	CHECK_EQ(q[(n + 15) * PAGE], 9);
	expect_gone("read of the old range after a move", p);
	expect_gone("read of the old range's last page", p + (n - 1) * PAGE);
	CHECK_EQ(munmap(q, (n + 16) * PAGE), 0);
	CHECK_EQ(munmap(block, PAGE), 0);
}

static void test_fixed(void)
{
	/* A source that crosses a 2 MiB boundary, moved to a target whose
	 * offset inside its page table differs: every piece of the move
	 * ends at one side's boundary or the other's. */
	const unsigned long n = 700;
	unsigned char *area = map_anon(4096 * PAGE, PROT_NONE), *src, *dst;
	unsigned long base;

	CHECK(area != MAP_FAILED);
	if (area == MAP_FAILED)
		return;
	base = ((unsigned long)area + (2UL << 20) - 1) & ~((2UL << 20) - 1);
	src = (unsigned char *)base + 100 * PAGE;  /* crosses base + 2 MiB */
	dst = (unsigned char *)base + 1300 * PAGE; /* crosses base + 6 MiB */
	CHECK(mmap(src, n * PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		   -1, 0) == src);
	CHECK(mmap(dst, n * PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		   -1, 0) == dst);
	fill_pages(src, n, 3);
	memset(dst, 0x55, n * PAGE); /* replaced by the move */
	CHECK(mremap(src, n * PAGE, n * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		     dst) == dst);
	CHECK(pages_ok(dst, n, 3));
	expect_gone("read of a FIXED move's source", src + 500 * PAGE);
	/* Back, shrinking on the way: MREMAP_FIXED with new_len < old_len. */
	CHECK(mremap(dst, n * PAGE, 10 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		     src + PAGE) == src + PAGE);
	CHECK(pages_ok(src + PAGE, 10, 3));
	expect_gone("read of a shrunk FIXED move's dropped tail",
		    dst + 10 * PAGE);
	CHECK_EQ(munmap(area, 4096 * PAGE), 0);
}

static void test_shared(void)
{
	unsigned char *s = mmap(NULL, 2 * PAGE, RW, MAP_SHARED | MAP_ANONYMOUS,
				-1, 0),
		      *t;
	int status;
	pid_t pid;

	CHECK(s != MAP_FAILED && go);
	if (s == MAP_FAILED || !go)
		return;
	s[0] = 1;
	*go = 0;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* Wait until the parent has moved its mapping, then write
		 * through ours: the parent must see it at the new place. */
		wait_go();
		s[PAGE] = 0x5a;
		_exit(0);
	}
	CHECK(pid > 0);
	if (pid < 0)
		return;
	t = mremap(s, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		   free_hole(2 * PAGE));
	CHECK(t != MAP_FAILED);
	*go = 1;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (t != MAP_FAILED) {
		CHECK_EQ(t[0], 1);
		CHECK_EQ(t[PAGE], 0x5a);
		munmap(t, 2 * PAGE);
	}
}

/* old_len 0 on a shared mapping: a second mapping of the same pages. */
static void test_dup_shared(void)
{
	unsigned char *s = mmap(NULL, 2 * PAGE, RW, MAP_SHARED | MAP_ANONYMOUS,
				-1, 0),
		      *d;

	CHECK(s != MAP_FAILED);
	if (s == MAP_FAILED)
		return;
	s[0] = 1;
	d = mremap(s, 0, 2 * PAGE, MREMAP_MAYMOVE);
	CHECK(d != MAP_FAILED && d != s);
	if (d != MAP_FAILED) {
		CHECK_EQ(d[0], 1);
		d[PAGE] = 7;
		CHECK_EQ(s[PAGE], 7);
		s[0] = 2;
		CHECK_EQ(d[0], 2);
		CHECK_EQ(munmap(d, 2 * PAGE), 0);
	}
	CHECK_EQ(s[PAGE], 7); /* the first mapping stays */
	CHECK_EQ(munmap(s, 2 * PAGE), 0);
}

static void test_cow(void)
{
	unsigned char *p = map_anon(PAGE, RW), *q;
	int status;
	pid_t pid;

	CHECK(p != MAP_FAILED && go);
	if (p == MAP_FAILED || !go)
		return;
	p[0] = 0x11;
	*go = 0;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		wait_go();
		_exit(p[0] == 0x11 ? 0 : 1); /* the parent's write after
						* its move must not show */
	}
	CHECK(pid > 0);
	if (pid < 0)
		return;
	q = mremap(p, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		   free_hole(PAGE));
	CHECK(q != MAP_FAILED);
	if (q != MAP_FAILED) {
		CHECK_EQ(q[0], 0x11);
		q[0] = 0x22;
	}
	*go = 1;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (q != MAP_FAILED)
		munmap(q, PAGE);
}

static void test_dontunmap(void)
{
	const unsigned long n = 5;
	unsigned char *p = map_anon(n * PAGE, RW), *q, *d;

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	/* Simple: the old range stays mapped, with nothing in it. */
	fill_pages(p, n, 0x20);
	q = mremap(p, n * PAGE, n * PAGE, MREMAP_DONTUNMAP | MREMAP_MAYMOVE,
		   anywhere);
	CHECK(q != MAP_FAILED && q != p);
	if (q == MAP_FAILED)
		return;
	CHECK(pages_ok(q, n, 0x20));
	CHECK(all_bytes(p, n * PAGE, 0));
	p[PAGE] = 7; /* still mapped, writable, a fresh page */
	CHECK_EQ(p[PAGE], 7);
	CHECK(pages_ok(q, n, 0x20));

	/* With MREMAP_FIXED: to a chosen address. */
	d = free_hole(n * PAGE);
	fill_pages(p, n, 0x30);
	CHECK(mremap(p, n * PAGE, n * PAGE,
		     MREMAP_DONTUNMAP | MREMAP_MAYMOVE | MREMAP_FIXED, d) == d);
	CHECK(pages_ok(d, n, 0x30));
	CHECK(all_bytes(p, n * PAGE, 0));
	CHECK_EQ(munmap(d, n * PAGE), 0);

	/* Part of a mapping: pages 1 and 2 of 5; the rest keep theirs. */
	fill_pages(p, n, 0x40);
	d = mremap(p + PAGE, 2 * PAGE, 2 * PAGE,
		   MREMAP_DONTUNMAP | MREMAP_MAYMOVE, anywhere);
	CHECK(d != MAP_FAILED);
	if (d != MAP_FAILED) {
		CHECK(pages_ok(d, 2, 0x41));
		CHECK_EQ(munmap(d, 2 * PAGE), 0);
	}
	CHECK(all_bytes(p, PAGE, 0x40));
	CHECK(all_bytes(p + PAGE, 2 * PAGE, 0));
	CHECK(pages_ok(p + 3 * PAGE, 2, 0x43));

	/* Over part of an existing mapping (q, 5 pages): pages 0-1 of p go
	 * onto q's pages 3-4 and only those are replaced. */
	fill_pages(p, n, 0x50);
	fill_pages(q, n, 0x60);
	CHECK(mremap(p, 2 * PAGE, 2 * PAGE,
		     MREMAP_DONTUNMAP | MREMAP_MAYMOVE | MREMAP_FIXED,
		     q + 3 * PAGE) == q + 3 * PAGE);
	CHECK(pages_ok(q, 3, 0x60));
	CHECK(pages_ok(q + 3 * PAGE, 2, 0x50));
	CHECK(all_bytes(p, 2 * PAGE, 0));
	CHECK(pages_ok(p + 2 * PAGE, 3, 0x52));
	CHECK_EQ(munmap(p, n * PAGE), 0);
	CHECK_EQ(munmap(q, n * PAGE), 0);
}

static void test_locked(void)
{
	unsigned char *p = free_hole(5 * PAGE), *block, *q;

	CHECK(p && mmap(p, 4 * PAGE, RW,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p);
	if (!p)
		return;
	CHECK_EQ(mlock(p, 4 * PAGE), 0);
	CHECK(all_resident(p, 4));
	block = mmap(p + 4 * PAGE, PAGE, PROT_READ,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(block == p + 4 * PAGE);
	q = mremap(p, 4 * PAGE, 12 * PAGE, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED && q != p);
	if (q != MAP_FAILED) {
		CHECK(all_resident(q, 12)); /* the new part populated too */
		CHECK_EQ(munmap(q, 12 * PAGE), 0);
	}
	munmap(block, PAGE);
}

int main(void)
{
	go = mmap(NULL, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (go == MAP_FAILED)
		go = NULL;
	test_errors();
	test_shrink_grow();
	test_move();
	test_fixed();
	test_shared();
	test_dup_shared();
	test_cow();
	test_dontunmap();
	test_locked();
	return utest_done();
}
