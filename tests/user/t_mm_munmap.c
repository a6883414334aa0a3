/*
 * t_mm_munmap - munmap semantics (man 2 munmap): length 0 or an
 * unaligned address is EINVAL; a never-mapped range is 0; unmapping the
 * middle page of three leaves the outer two intact (and the middle one
 * gone); a range that spans mappings and holes is unmapped entirely.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_munmap"
#include "utest.h"
#include "mm_util.h"

int main(void)
{
	const int rw = PROT_READ | PROT_WRITE;
	unsigned char *p, *hole, *a, *b;

	p = map_anon(3 * PAGE, rw);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return utest_done();
	memset(p, 'A', PAGE);
	memset(p + PAGE, 'B', PAGE);
	memset(p + 2 * PAGE, 'C', PAGE);

	CHECK_ERR(munmap(p, 0), EINVAL);
	CHECK_ERR(munmap(p + 1, PAGE), EINVAL);
	CHECK_ERR(munmap(p + PAGE / 2, PAGE), EINVAL);
	CHECK(all_bytes(p, PAGE, 'A'));

	hole = free_hole(4 * PAGE);
	CHECK(hole != NULL);
	if (hole) {
		CHECK_EQ(munmap(hole, 4 * PAGE), 0);
		CHECK_EQ(munmap(hole + PAGE, 1), 0); /* length rounded up */
	}

	/* The middle page of three. */
	CHECK_EQ(munmap(p + PAGE, PAGE), 0);
	CHECK(all_bytes(p, PAGE, 'A'));
	CHECK(all_bytes(p + 2 * PAGE, PAGE, 'C'));
	expect_signal("read the unmapped middle page", child_read, p + PAGE,
		      SIGSEGV);
	expect_write_ok("write the first page", p + PAGE - 1);
	expect_write_ok("write the last page", p + 2 * PAGE);
	CHECK_EQ(munmap(p + PAGE, PAGE), 0); /* again: nothing there */

	/* One call over page, hole, page. */
	CHECK_EQ(munmap(p, 3 * PAGE), 0);
	expect_signal("read the first page after munmap", child_read, p,
		      SIGSEGV);
	expect_signal("read the last page after munmap", child_read,
		      p + 2 * PAGE, SIGSEGV);

	/* A partial unmap at either end of a mapping. */
	a = map_anon(4 * PAGE, rw);
	CHECK(a != MAP_FAILED);
	if (a != MAP_FAILED) {
		memset(a, 0x42, 4 * PAGE);
		CHECK_EQ(munmap(a, PAGE), 0);
		CHECK_EQ(munmap(a + 3 * PAGE, PAGE), 0);
		CHECK(all_bytes(a + PAGE, 2 * PAGE, 0x42));
		expect_signal("read the unmapped head", child_read, a, SIGSEGV);
		expect_signal("read the unmapped tail", child_read,
			      a + 3 * PAGE, SIGSEGV);
		CHECK_EQ(munmap(a, 4 * PAGE), 0);
	}

	/* Unmapped memory can be mapped again and reads zero. */
	b = map_anon(PAGE, rw);
	CHECK(b != MAP_FAILED);
	if (b != MAP_FAILED) {
		b[0] = 1;
		CHECK_EQ(munmap(b, PAGE), 0);
		CHECK(mmap(b, PAGE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			   -1, 0) == b);
		CHECK(all_bytes(b, PAGE, 0));
		CHECK_EQ(munmap(b, PAGE), 0);
	}
	parent_carries_on();
	return utest_done();
}
