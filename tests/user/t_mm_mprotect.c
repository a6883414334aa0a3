/*
 * t_mm_mprotect - mprotect semantics (man 2 mprotect): an unaligned
 * address is EINVAL; a range that is not (entirely) mapped is ENOMEM;
 * changing the protection of part of a mapping splits it, and each page
 * then faults exactly as its own protection says (checked in children).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_mprotect"
#include "utest.h"
#include "mm_util.h"

#define N 5

/* What a child may do with page i: 'w' read+write, 'r' read only, 'n'
 * nothing. */
static void check_pages(const char *when, unsigned char *p, const char *prot,
			const unsigned char *val)
{
	char what[96];
	int i;

	for (i = 0; i < N; i++) {
		unsigned char *a = p + i * PAGE + 10;

		snprintf(what, sizeof(what), "%s: page %d (%c) read", when, i,
			 prot[i]);
		if (prot[i] == 'n')
			expect_signal(what, child_read, a, SIGSEGV);
		else
			expect_read_ok(what, a, val[i]);
		snprintf(what, sizeof(what), "%s: page %d (%c) write", when, i,
			 prot[i]);
		if (prot[i] == 'w')
			expect_write_ok(what, a);
		else
			expect_signal(what, child_write, a, SIGSEGV);
	}
}

int main(void)
{
	const int rw = PROT_READ | PROT_WRITE;
	static const unsigned char val[N] = { 1, 2, 3, 4, 5 };
	unsigned char *p, *hole;
	int i;

	p = map_anon(N * PAGE, rw);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return utest_done();
	for (i = 0; i < N; i++)
		memset(p + i * PAGE, val[i], PAGE);

	CHECK_ERR(mprotect(p + 1, PAGE, PROT_READ), EINVAL);
	CHECK_ERR(mprotect(p + PAGE / 2, PAGE, PROT_READ), EINVAL);
	CHECK_EQ(mprotect(p, 0, PROT_READ), 0); /* nothing to do */
	CHECK_EQ(mprotect(p, PAGE - 1, rw), 0); /* length rounded up */

	hole = free_hole(4 * PAGE);
	CHECK(hole != NULL);
	if (hole) {
		CHECK_ERR(mprotect(hole, 4 * PAGE, PROT_READ), ENOMEM);
		CHECK_ERR(mprotect(hole + PAGE, PAGE, rw), ENOMEM);
	}

	/* Split: w r n r w, then check every page from a child. */
	CHECK_EQ(mprotect(p + PAGE, 3 * PAGE, PROT_READ), 0);
	CHECK_EQ(mprotect(p + 2 * PAGE, PAGE, PROT_NONE), 0);
	check_pages("split", p, "wrnrw", val);
	/* The parent's own view of the readable pages is unchanged. */
	CHECK_EQ(p[0], 1);
	CHECK_EQ(p[PAGE], 2);
	CHECK_EQ(p[3 * PAGE + 4095], 4);
	CHECK_EQ(p[4 * PAGE], 5);

	/* Half of the range is mapped: ENOMEM (Linux may have changed the
	 * mapped part; only the error is checked). */
	hole = free_hole(4 * PAGE); /* again: a fresh one, just now */
	if (hole) {
		unsigned char *h = mmap(hole, 2 * PAGE, rw,
					MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
					-1, 0);

		CHECK(h == hole);
		if (h == hole)
			CHECK_ERR(mprotect(hole, 4 * PAGE, PROT_READ), ENOMEM);
		munmap(hole, 4 * PAGE);
	}

	/* Merge back: everything writable again, the data unchanged. */
	CHECK_EQ(mprotect(p, N * PAGE, rw), 0);
	check_pages("all rw again", p, "wwwww", val);
	for (i = 0; i < N; i++)
		CHECK(all_bytes(p + i * PAGE, PAGE, val[i]));

	/* The same on pages never touched. */
	CHECK_EQ(munmap(p, N * PAGE), 0);
	p = map_anon(N * PAGE, PROT_NONE);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		static const unsigned char zero[N];

		CHECK_EQ(mprotect(p + PAGE, PAGE, PROT_READ), 0);
		CHECK_EQ(mprotect(p + 3 * PAGE, 2 * PAGE, rw), 0);
		check_pages("fresh PROT_NONE split", p, "nrnww", zero);
		CHECK_EQ(munmap(p, N * PAGE), 0);
	}
	parent_carries_on();
	return utest_done();
}
