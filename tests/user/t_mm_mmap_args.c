/*
 * t_mm_mmap_args - mmap argument errors (man 2 mmap, ERRORS): length 0,
 * neither or both of MAP_PRIVATE/MAP_SHARED, and MAP_FIXED at an unaligned
 * address are EINVAL; an unaligned hint without MAP_FIXED is only a hint
 * and the call succeeds with a page-aligned address.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_mmap_args"
#include "utest.h"
#include "mm_util.h"

int main(void)
{
	const int rw = PROT_READ | PROT_WRITE;
	unsigned char *p, *hole;

	CHECK_ERR(mmap(NULL, 0, rw, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		  EINVAL);
	CHECK_ERR(mmap(NULL, 0, rw, MAP_SHARED | MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERR(mmap(NULL, PAGE, rw, MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERR(mmap(NULL, PAGE, rw, MAP_PRIVATE | MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0),
		  EINVAL);

	hole = free_hole(4 * PAGE);
	CHECK(hole != NULL);
	if (!hole)
		return utest_done();
	CHECK_ERR(mmap(hole + 1, PAGE, rw,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		  EINVAL);
	CHECK_ERR(mmap(hole + PAGE / 2, PAGE, rw,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		  EINVAL);
	CHECK_ERR(mmap(hole + 1, PAGE, rw,
		       MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		  EINVAL);

	/* An unaligned hint is just a hint. */
	p = mmap(hole + 123, 2 * PAGE, rw, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		CHECK_EQ((uintptr_t)p % PAGE, 0);
		p[0] = 1;
		p[2 * PAGE - 1] = 2;
		CHECK_EQ(p[0] + p[2 * PAGE - 1], 3);
		CHECK_EQ(munmap(p, 2 * PAGE), 0);
	}
	/* A length that is not a multiple of the page size is rounded up. */
	p = mmap(NULL, PAGE + 1, rw, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		p[2 * PAGE - 1] = 5; /* the rest of the second page */
		CHECK_EQ(p[2 * PAGE - 1], 5);
		CHECK_EQ(munmap(p, 2 * PAGE), 0);
	}
	return utest_done();
}
