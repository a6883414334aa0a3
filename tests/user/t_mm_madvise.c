/*
 * t_mm_madvise - madvise (man 2 madvise): MADV_DONTNEED on private
 * anonymous memory drops the pages, so later reads see zero; on a
 * sub-range only that range; on shared anonymous memory the data stays.
 * Also: an unaligned address is EINVAL, an unmapped range ENOMEM, and
 * MADV_NORMAL/MADV_WILLNEED succeed and change nothing.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_madvise"
#include "utest.h"
#include "mm_util.h"

#define N 6

int main(void)
{
	const int rw = PROT_READ | PROT_WRITE;
	unsigned char *p, *s, *hole;
	int i, status;

	p = map_anon(N * PAGE, rw);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return utest_done();

	/* Whole range. */
	memset(p, 0x33, N * PAGE);
	CHECK_EQ(madvise(p, N * PAGE, MADV_DONTNEED), 0);
	CHECK(all_bytes(p, N * PAGE, 0));
	p[7] = 8; /* still mapped and writable */
	CHECK_EQ(p[7], 8);

	/* Sub-range: pages 2 and 3 only. */
	for (i = 0; i < N; i++)
		memset(p + i * PAGE, 0x40 + i, PAGE);
	CHECK_EQ(madvise(p + 2 * PAGE, 2 * PAGE, MADV_DONTNEED), 0);
	for (i = 0; i < N; i++)
		CHECK(all_bytes(p + i * PAGE, PAGE,
				i == 2 || i == 3 ? 0 : 0x40 + i));

	/* Pages only read (zero page) or never touched: still zero. */
	CHECK_EQ(munmap(p, N * PAGE), 0);
	p = map_anon(N * PAGE, rw);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		CHECK_EQ(p[PAGE], 0);
		CHECK_EQ(madvise(p, N * PAGE, MADV_DONTNEED), 0);
		CHECK(all_bytes(p, N * PAGE, 0));
		CHECK_EQ(munmap(p, N * PAGE), 0);
	}

	/* A private copy made by fork: the child drops its copy and sees
	 * zero; the parent keeps its data. */
	p = map_anon(2 * PAGE, rw);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		memset(p, 0x66, 2 * PAGE);
		fflush(stdout);
		status = fork();
		if (status == 0) {
			if (madvise(p, 2 * PAGE, MADV_DONTNEED) != 0)
				_exit(2);
			_exit(all_bytes(p, 2 * PAGE, 0) ? 0 : 3);
		}
		CHECK(status > 0);
		if (status > 0) {
			int st;

			CHECK_EQ(waitpid(status, &st, 0), status);
			CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		}
		CHECK(all_bytes(p, 2 * PAGE, 0x66));
		CHECK_EQ(munmap(p, 2 * PAGE), 0);
	}

	/* Shared anonymous: the data stays. */
	s = mmap(NULL, N * PAGE, rw, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(s != MAP_FAILED);
	if (s != MAP_FAILED) {
		memset(s, 0x77, N * PAGE);
		CHECK_EQ(madvise(s, N * PAGE, MADV_DONTNEED), 0);
		CHECK(all_bytes(s, N * PAGE, 0x77));
		CHECK_EQ(madvise(s + PAGE, PAGE, MADV_DONTNEED), 0);
		CHECK(all_bytes(s, N * PAGE, 0x77));
		CHECK_EQ(munmap(s, N * PAGE), 0);
	}

	/* Other advice and errors. */
	p = map_anon(2 * PAGE, rw);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		memset(p, 0x11, 2 * PAGE);
		CHECK_EQ(madvise(p, 2 * PAGE, MADV_NORMAL), 0);
		CHECK_EQ(madvise(p, 2 * PAGE, MADV_WILLNEED), 0);
		CHECK(all_bytes(p, 2 * PAGE, 0x11));
		CHECK_ERR(madvise(p + 1, PAGE, MADV_DONTNEED), EINVAL);
		CHECK(all_bytes(p, 2 * PAGE, 0x11));
		CHECK_EQ(munmap(p, 2 * PAGE), 0);
	}
	hole = free_hole(4 * PAGE);
	CHECK(hole != NULL);
	if (hole)
		CHECK_ERR(madvise(hole, 4 * PAGE, MADV_DONTNEED), ENOMEM);
	return utest_done();
}
