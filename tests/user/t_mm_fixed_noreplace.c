/*
 * t_mm_fixed_noreplace - MAP_FIXED_NOREPLACE (man 2 mmap): over
 * an existing mapping, whole or in part, it fails with EEXIST and the old
 * contents are unchanged; at a free address it returns exactly that
 * address.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_fixed_noreplace"
#include "utest.h"
#include "mm_util.h"

#define NR_FLAGS (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE)

int main(void)
{
	const int rw = PROT_READ | PROT_WRITE;
	unsigned char *hole, *p, *q;

	hole = free_hole(8 * PAGE);
	CHECK(hole != NULL);
	if (!hole)
		return utest_done();

	/* Free: exactly there. */
	p = mmap(hole + 2 * PAGE, 2 * PAGE, rw, NR_FLAGS, -1, 0);
	CHECK(p == hole + 2 * PAGE);
	if (p != hole + 2 * PAGE)
		return utest_done();
	memset(p, 0x5a, PAGE);
	memset(p + PAGE, 0xa5, PAGE);

	/* Exactly over it, over its second page, straddling either end. */
	CHECK_ERR(mmap(p, 2 * PAGE, rw, NR_FLAGS, -1, 0), EEXIST);
	CHECK_ERR(mmap(p + PAGE, PAGE, rw, NR_FLAGS, -1, 0), EEXIST);
	CHECK_ERR(mmap(p - PAGE, 2 * PAGE, rw, NR_FLAGS, -1, 0), EEXIST);
	CHECK_ERR(mmap(p + PAGE, 3 * PAGE, rw, NR_FLAGS, -1, 0), EEXIST);
	CHECK_ERR(mmap(p - PAGE, 4 * PAGE, PROT_NONE,
		       MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0),
		  EEXIST);

	CHECK(all_bytes(p, PAGE, 0x5a));
	CHECK(all_bytes(p + PAGE, PAGE, 0xa5));
	expect_write_ok("the old mapping is still writable", p + PAGE);

	/* Right next to it is free. */
	q = mmap(p + 2 * PAGE, PAGE, rw, NR_FLAGS, -1, 0);
	CHECK(q == p + 2 * PAGE);
	if (q == p + 2 * PAGE) {
		CHECK(all_bytes(q, PAGE, 0));
		munmap(q, PAGE);
	}
	CHECK(all_bytes(p + PAGE, PAGE, 0xa5));
	CHECK_EQ(munmap(p, 2 * PAGE), 0);
	return utest_done();
}
