/*
 * t_mm_mmap_addr - address properties (man 2 mmap): returned
 * addresses are page-aligned, non-zero and below 2^47; a free hint is
 * honoured; MAP_FIXED at a free address returns exactly it; a hint over an
 * existing mapping is not honoured and leaves that mapping alone.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_mmap_addr"
#include "utest.h"
#include "mm_util.h"

#define USER_TOP (1UL << 47)

/* check_addr - p, an mmap result of len bytes: not MAP_FAILED, non-zero,
 * page-aligned, and all of it below the 47-bit user limit. */
static void check_addr(const char *what, void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p;

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED) {
		diag("%s: mmap failed: %s", what, strerror(errno));
		return;
	}
	CHECK(a != 0);
	CHECK_EQ(a % PAGE, 0);
	CHECK(a < USER_TOP && a + len <= USER_TOP);
}

int main(void)
{
	const int rw = PROT_READ | PROT_WRITE;
	static const size_t lens[] = { PAGE, 3 * PAGE, 64 * PAGE, 1UL << 21,
				       5 };
	unsigned char *p, *q, *hole;
	unsigned i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		p = mmap(NULL, lens[i], rw, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		check_addr("private", p, lens[i]);
		if (p != MAP_FAILED)
			munmap(p, lens[i]);
		p = mmap(NULL, lens[i], rw, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		check_addr("shared", p, lens[i]);
		if (p != MAP_FAILED)
			munmap(p, lens[i]);
		p = mmap(NULL, lens[i], PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
		check_addr("PROT_NONE", p, lens[i]);
		if (p != MAP_FAILED)
			munmap(p, lens[i]);
	}

	/* A free hint is honoured. */
	hole = free_hole(16 * PAGE);
	CHECK(hole != NULL);
	if (!hole)
		return utest_done();
	p = mmap(hole + 4 * PAGE, 4 * PAGE, rw, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		 0);
	check_addr("hint", p, 4 * PAGE);
	CHECK(p == hole + 4 * PAGE);
	if (p != MAP_FAILED) {
		p[0] = 0x11;
		p[4 * PAGE - 1] = 0x22;
	}

	/* A hint over that mapping is not honoured, and the mapping stays. */
	q = mmap(hole + 4 * PAGE, PAGE, rw, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check_addr("occupied hint", q, PAGE);
	CHECK(q != hole + 4 * PAGE);
	if (q != MAP_FAILED) {
		CHECK(q + PAGE <= p || q >= p + 4 * PAGE); /* no overlap */
		CHECK_EQ(q[0], 0);
		munmap(q, PAGE);
	}
	if (p != MAP_FAILED) {
		CHECK_EQ(p[0], 0x11);
		CHECK_EQ(p[4 * PAGE - 1], 0x22);
	}

	/* MAP_FIXED at a free address: exactly it. */
	q = mmap(hole + 10 * PAGE, 2 * PAGE, rw,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	check_addr("MAP_FIXED", q, 2 * PAGE);
	CHECK(q == hole + 10 * PAGE);
	if (q != MAP_FAILED) {
		CHECK(all_bytes(q, 2 * PAGE, 0));
		q[PAGE] = 3;
		CHECK_EQ(q[PAGE], 3);
		munmap(q, 2 * PAGE);
	}
	if (p != MAP_FAILED)
		CHECK_EQ(munmap(p, 4 * PAGE), 0);
	return utest_done();
}
