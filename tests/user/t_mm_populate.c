/*
 * t_mm_populate - madvise MADV_POPULATE_READ and
 * MADV_POPULATE_WRITE (man 2 madvise, Linux 5.14), on this kernel and
 * on Linux:
 *
 *   1. POPULATE_READ makes every page resident (mincore) and reading
 *      zero; writing the pages after it still faults once per page
 *      (copy-on-write of the zero page: minor faults, getrusage; on a
 *      kernel whose reads map real pages, none);
 *   2. POPULATE_WRITE makes them resident and writable: writing them
 *      after it takes no fault at all;
 *   3. shared memory populates too, and keeps its data;
 *   4. errors: EINVAL for POPULATE_WRITE on PROT_READ memory and for
 *      either on PROT_NONE memory; ENOMEM for a hole, the mapping
 *      before it populated; EINVAL before anything for an unaligned
 *      start. (Whether the mapping after the hole is populated too
 *      depends on the version: Linux 6.1 goes on past the hole, as this
 *      kernel does, newer ones stop there; the test does not look.)
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_populate"
#include "utest.h"
#include "mm_util.h"
#include "smaps_util.h"
#include <sys/resource.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define RW (PROT_READ | PROT_WRITE)
#define N  16

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* Every page of [p, p + n pages) resident? */
static int resident(void *p, unsigned long n)
{
	unsigned char vec[N];

	if (n > N || mincore(p, n * PAGE, vec))
		return 0;
	for (unsigned long i = 0; i < n; i++)
		if (!(vec[i] & 1))
			return 0;
	return 1;
}

/* Write a byte in each of n pages; the minor faults it took. */
static long write_all(unsigned char *p, unsigned long n)
{
	long f0 = minflt();

	for (unsigned long i = 0; i < n; i++)
		p[i * PAGE] = (unsigned char)(i + 1);
	return minflt() - f0;
}

int main(void)
{
	unsigned char *p, *s, *ro, *hole;
	struct meminfo mi; /* ours only: tells the kernels apart */
	long faults;

	/* 1. POPULATE_READ. */
	p = map_anon(N * PAGE, RW);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return utest_done();
	CHECK(!resident(p, 1));
	CHECK_EQ(madvise(p, N * PAGE, MADV_POPULATE_READ), 0);
	CHECK(resident(p, N));
	CHECK(all_bytes(p, N * PAGE, 0));
	faults = write_all(p, N);
	diag("after POPULATE_READ, writing %d pages took %ld minor faults", N,
	     faults);
	/* Read faults map the zero page, so each write faults again; a
	 * Linux whose reads map real pages (read_maps_zero_page() 0: a
	 * vendor build of 6.18) populates writable pages. Ours populates
	 * through the full handler, with POE on too (whose walker maps a
	 * zeroed page for a read, so the probe would say 0). */
	if (meminfo(&mi) == 0 || read_maps_zero_page() != 0)
		CHECK(faults >= N);
	else
		CHECK_EQ(faults, 0);
	CHECK_EQ(munmap(p, N * PAGE), 0);

	/* 2. POPULATE_WRITE. */
	p = map_anon(N * PAGE, RW);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return utest_done();
	CHECK_EQ(madvise(p, N * PAGE, MADV_POPULATE_WRITE), 0);
	CHECK(resident(p, N));
	CHECK(all_bytes(p, N * PAGE, 0));
	faults = write_all(p, N);
	diag("after POPULATE_WRITE, writing %d pages took %ld minor faults", N,
	     faults);
	CHECK_EQ(faults, 0);
	CHECK_EQ(munmap(p, N * PAGE), 0);

	/* 3. Shared memory. */
	s = mmap(NULL, 4 * PAGE, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(s != MAP_FAILED);
	if (s != MAP_FAILED) {
		s[PAGE] = 9;
		CHECK_EQ(madvise(s, 4 * PAGE, MADV_POPULATE_WRITE), 0);
		CHECK_EQ(madvise(s, 4 * PAGE, MADV_POPULATE_READ), 0);
		CHECK(resident(s, 4));
		CHECK_EQ(s[PAGE], 9);
		CHECK_EQ(munmap(s, 4 * PAGE), 0);
	}

	/* 4. Errors. */
	ro = map_anon(2 * PAGE, PROT_READ);
	CHECK(ro != MAP_FAILED);
	if (ro != MAP_FAILED) {
		CHECK_ERR(madvise(ro, 2 * PAGE, MADV_POPULATE_WRITE), EINVAL);
		CHECK_EQ(madvise(ro, 2 * PAGE, MADV_POPULATE_READ), 0);
		CHECK(resident(ro, 2));
		CHECK_EQ(mprotect(ro, 2 * PAGE, PROT_NONE), 0);
		CHECK_ERR(madvise(ro, 2 * PAGE, MADV_POPULATE_READ), EINVAL);
		CHECK_ERR(madvise(ro, 2 * PAGE, MADV_POPULATE_WRITE), EINVAL);
		CHECK_EQ(munmap(ro, 2 * PAGE), 0);
	}
	/* p: pages 0-1 and 3-4 mapped, 2 a hole. */
	p = free_hole(5 * PAGE);
	CHECK(p != NULL);
	if (p) {
		CHECK(mmap(p, 2 * PAGE, RW,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
			   0) == p);
		CHECK(mmap(p + 3 * PAGE, 2 * PAGE, RW,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
			   0) == p + 3 * PAGE);
		hole = p + 2 * PAGE;
		CHECK_ERR(madvise(p, 5 * PAGE, MADV_POPULATE_WRITE), ENOMEM);
		CHECK(resident(p, 2));
		CHECK_ERR(madvise(hole, PAGE, MADV_POPULATE_READ), ENOMEM);
		CHECK_ERR(madvise(p + 1, PAGE, MADV_POPULATE_READ), EINVAL);
		CHECK_EQ(munmap(p, 5 * PAGE), 0);
	}
	return utest_done();
}
