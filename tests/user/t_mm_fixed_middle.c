/*
 * t_mm_fixed_middle - MAP_FIXED over the middle page of a three-page
 * mapping (man 2 mmap): the middle page is replaced by a fresh
 * one that reads zero (and has the new protection), the outer pages keep
 * their data.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_fixed_middle"
#include "utest.h"
#include "mm_util.h"

int main(void)
{
	const int rw = PROT_READ | PROT_WRITE;
	unsigned char *p, *m;

	p = map_anon(3 * PAGE, rw);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return utest_done();
	memset(p, 'A', PAGE);
	memset(p + PAGE, 'B', PAGE);
	memset(p + 2 * PAGE, 'C', PAGE);

	m = mmap(p + PAGE, PAGE, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0);
	CHECK(m == p + PAGE);
	CHECK(all_bytes(p, PAGE, 'A'));
	CHECK(all_bytes(p + PAGE, PAGE, 0));
	CHECK(all_bytes(p + 2 * PAGE, PAGE, 'C'));
	p[PAGE + 100] = 'b';
	CHECK_EQ(p[PAGE + 100], 'b');
	CHECK(all_bytes(p, PAGE, 'A'));
	CHECK(all_bytes(p + 2 * PAGE, PAGE, 'C'));

	/* Again, now read-only: the middle page reads zero and refuses a
	 * write, the outer ones stay writable. */
	m = mmap(p + PAGE, PAGE, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(m == p + PAGE);
	CHECK(all_bytes(p + PAGE, PAGE, 0));
	expect_signal("write to the read-only middle page", child_write,
		      p + PAGE, SIGSEGV);
	expect_write_ok("write to the first page", p);
	expect_write_ok("write to the last page", p + 2 * PAGE);
	expect_read_ok("read the last page", p + 2 * PAGE + 5, 'C');

	/* MAP_FIXED with a shared mapping in the middle of private ones. */
	m = mmap(p + PAGE, PAGE, rw, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1,
		 0);
	CHECK(m == p + PAGE);
	CHECK(all_bytes(p + PAGE, PAGE, 0));
	CHECK(all_bytes(p, PAGE, 'A'));
	CHECK(all_bytes(p + 2 * PAGE, PAGE, 'C'));

	CHECK_EQ(munmap(p, 3 * PAGE), 0);
	parent_carries_on();
	return utest_done();
}
