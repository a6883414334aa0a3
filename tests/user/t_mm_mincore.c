/*
 * t_mm_mincore - mincore (man 2 mincore) and msync (man 2 msync) on
 * anonymous memory, on this kernel and on Linux:
 *
 *   mincore: a page never touched is not resident, one written or only
 *   read (the zero page) is, one dropped by MADV_DONTNEED no longer is;
 *   len is rounded up to pages; over 4096 pages (more than one pass of
 *   the kernel's buffer) the answers line up; errors (a table): EINVAL
 *   for an unaligned start, ENOMEM for a range not mapped or not in
 *   user space, EFAULT for a vec outside user space or not writable.
 *
 *   msync: MS_ASYNC, MS_SYNC, MS_INVALIDATE succeed on mapped memory and
 *   leave the data alone; errors (a table): EINVAL for unknown flags,
 *   MS_ASYNC with MS_SYNC, an unaligned start; ENOMEM for a hole (with
 *   MS_SYNC and with MS_ASYNC), EBUSY for MS_INVALIDATE on locked
 *   memory; len 0 is 0.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_mincore"
#include "utest.h"
#include "mm_util.h"

#define RW (PROT_READ | PROT_WRITE)

static unsigned char vec[8192];

static void test_mincore(void)
{
	const unsigned long big = 5000;
	unsigned char *p = map_anon(8 * PAGE, RW), *b, *hole;
	volatile unsigned char sink;

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	p[0] = 1;	    /* written */
	sink = p[2 * PAGE]; /* read: the zero page */
	(void)sink;
	p[5 * PAGE + 17] = 3;
	memset(vec, 0xee, 8);
	CHECK_EQ(mincore(p, 8 * PAGE, vec), 0);
	for (int i = 0; i < 8; i++)
		CHECK_EQ(vec[i], i == 0 || i == 2 || i == 5);
	/* len rounded up: one byte more than 5 pages is 6 answers. */
	memset(vec, 0xee, 8);
	CHECK_EQ(mincore(p, 5 * PAGE + 1, vec), 0);
	CHECK_EQ(vec[5], 1);
	CHECK_EQ(vec[6], 0xee);
	/* Dropped pages are not resident any more. */
	CHECK_EQ(madvise(p, 8 * PAGE, MADV_DONTNEED), 0);
	CHECK_EQ(mincore(p, 8 * PAGE, vec), 0);
	CHECK(all_bytes(vec, 8, 0));
	CHECK_EQ(mincore(p, 0, vec), 0);

	/* More than one pass of a page-sized buffer. */
	b = map_anon(big * PAGE, RW);
	CHECK(b != MAP_FAILED);
	if (b != MAP_FAILED) {
		b[4097 * PAGE] = 1;
		b[4 * PAGE] = 1;
		CHECK_EQ(mincore(b, big * PAGE, vec), 0);
		CHECK_EQ(vec[4], 1);
		CHECK_EQ(vec[4097], 1);
		CHECK_EQ(vec[4096], 0);
		CHECK_EQ(vec[big - 1], 0);
		CHECK_EQ(munmap(b, big * PAGE), 0);
	}

	/* Errors. */
	hole = free_hole(2 * PAGE);
	CHECK_ERR(mincore(p + 1, PAGE, vec), EINVAL);
	CHECK_ERR(mincore(hole, PAGE, vec), ENOMEM);
	/* Ranges that leave user space. */
	CHECK_ERR(mincore((void *)0x7ffffffff000UL, 2 * PAGE, vec), ENOMEM);
	CHECK_ERR(mincore((void *)0x800000000000UL, PAGE, vec), ENOMEM);
	CHECK_ERR(mincore(p, PAGE, (unsigned char *)0xffff800000000000UL),
		  EFAULT);
	CHECK_ERR(mincore(p, PAGE, (unsigned char *)hole), EFAULT);
	/* Unaligned is checked first. */
	CHECK_ERR(mincore(hole + 1, PAGE,
			  (unsigned char *)0xffff800000000000UL),
		  EINVAL);
	/* The range's own check before vec's. */
	CHECK_ERR(mincore((void *)0x800000000000UL, PAGE,
			  (unsigned char *)0xffff800000000000UL),
		  ENOMEM);
	CHECK_EQ(munmap(p, 8 * PAGE), 0);
}

static void test_msync(void)
{
	unsigned char *p = free_hole(4 * PAGE), *hole;
	struct {
		const char *what;
		long off; /* from p, bytes */
		size_t len;
		int flags;
		int err; /* 0: success */
	} t[] = {
		{ "MS_ASYNC", 0, 2 * PAGE, MS_ASYNC, 0 },
		{ "MS_SYNC", 0, 2 * PAGE, MS_SYNC, 0 },
		{ "MS_INVALIDATE", 0, 2 * PAGE, MS_INVALIDATE, 0 },
		{ "MS_SYNC|MS_INVALIDATE", 0, 2 * PAGE, MS_SYNC | MS_INVALIDATE,
		  0 },
		{ "no flag", 0, 2 * PAGE, 0, 0 },
		{ "len 0", 0, 0, MS_SYNC, 0 },
		{ "len rounded up", 0, PAGE + 1, MS_SYNC, 0 },
		{ "unknown flag", 0, PAGE, 8, EINVAL },
		{ "MS_ASYNC|MS_SYNC", 0, PAGE, MS_ASYNC | MS_SYNC, EINVAL },
		{ "unaligned", 1, PAGE, MS_SYNC, EINVAL },
		{ "flags before alignment", 1, PAGE, 8, EINVAL },
		{ "a hole, MS_SYNC", 0, 4 * PAGE, MS_SYNC, ENOMEM },
		{ "a hole, MS_ASYNC", 0, 4 * PAGE, MS_ASYNC, ENOMEM },
		{ "a hole before, MS_INVALIDATE", 3 * PAGE, 2 * PAGE,
		  MS_INVALIDATE, ENOMEM },
		{ "nothing mapped", 2 * PAGE, 2 * PAGE, MS_SYNC, ENOMEM },
	};

	/* p: pages 0-1 mapped, 2-3 free. */
	CHECK(p != NULL);
	if (!p)
		return;
	hole = mmap(p, 2 * PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		    -1, 0);
	CHECK(hole == p);
	p[0] = 0x42;
	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int r;

		errno = 0;
		r = msync(p + t[i].off, t[i].len, t[i].flags);
		utest_checks++;
		if (t[i].err ? (r != -1 || errno != t[i].err) : r != 0) {
			utest_failures++;
			diag("FAIL msync %s: returned %d, errno %d (%s); "
			     "expected errno %d",
			     t[i].what, r, errno, strerror(errno), t[i].err);
		}
	}
	CHECK_EQ(p[0], 0x42); /* anonymous: nothing written or dropped */
	/* MS_INVALIDATE on locked memory. */
	CHECK_EQ(mlock(p, PAGE), 0);
	CHECK_ERR(msync(p, PAGE, MS_INVALIDATE), EBUSY);
	CHECK_EQ(msync(p, PAGE, MS_SYNC), 0);
	CHECK_EQ(munlock(p, PAGE), 0);
	CHECK_EQ(msync(p, PAGE, MS_INVALIDATE), 0);
	CHECK_EQ(munmap(p, 2 * PAGE), 0);
}

int main(void)
{
	test_mincore();
	test_msync();
	return utest_done();
}
