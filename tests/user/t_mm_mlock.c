/*
 * t_mm_mlock - mlock, mlock2, munlock, mlockall, munlockall (man 2
 * mlock) and the locked-page count, on this kernel and on Linux (run as
 * root there, so RLIMIT_MEMLOCK does not apply):
 *
 *   1. mlock populates: untouched pages are resident after it
 *      (mincore); an unaligned start widens the range to whole pages;
 *      the count grows by the pages locked and shrinks back by munlock;
 *   2. mlock2(MLOCK_ONFAULT) counts the pages as locked but populates
 *      nothing; a touched page is then resident;
 *   3. MADV_DONTNEED on locked memory is EINVAL and the data stays;
 *      after munlock it drops the pages;
 *   4. errors (a table): mlock2 with an unknown flag, mlockall with no
 *      flag, an unknown one, or MCL_ONFAULT alone (EINVAL); a range not
 *      mapped, or a hole inside it (ENOMEM: the part before the hole is
 *      locked); PROT_NONE memory (ENOMEM: it cannot be populated, but
 *      MLOCK_ONFAULT takes it);
 *   5. mlockall(MCL_CURRENT | MCL_FUTURE) in a child: an untouched
 *      mapping made before is resident, one made after too, and both
 *      count; munlockall drops the count to 0 and a new mapping is not
 *      populated any more;
 *   6. a fork child's copy of a locked mapping is not locked (count 0);
 *   7. a locked mapping grown by mremap counts its new size.
 *
 * The count is what Linux shows as VmLck in /proc/self/status; this
 * kernel has no /proc yet and gives it through fault_stats
 * (proc_locked_vm, in pages).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_mlock"
#include "utest.h"
#include "mm_util.h"
#include <private.h>
#include <sys/syscall.h>

#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

#define RW (PROT_READ | PROT_WRITE)

/* Pages this process has locked: fault_stats here, VmLck on Linux
 * (read with raw calls: our libc has no stdio files); -1 if neither. */
static long locked_pages(void)
{
	struct fault_stats st;
	char buf[4096], *v;
	long fd, n;

	memset(&st, 0, sizeof(st));
	if (fault_stats(&st) == (long)sizeof(st))
		return (long)st.proc_locked_vm;
	fd = syscall(__NR_open, "/proc/self/status", 0);
	if (fd < 0)
		return -1;
	n = syscall(__NR_read, fd, buf, sizeof(buf) - 1);
	syscall(__NR_close, fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	v = strstr(buf, "VmLck:");
	return v ? strtol(v + 6, NULL, 10) / 4 : -1; /* kB to pages */
}

/* The resident bit of each page of [p, p + n pages) into vec. */
static int resident(void *p, unsigned long n, unsigned char *vec)
{
	if (mincore(p, n * PAGE, vec))
		return -1;
	for (unsigned long i = 0; i < n; i++)
		vec[i] &= 1;
	return 0;
}

static void test_mlock(long base)
{
	unsigned char *p = map_anon(8 * PAGE, RW), vec[8];

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	/* 3 pages from byte 100 of page 0: pages 0-3. */
	CHECK_EQ(mlock(p + 100, 3 * PAGE), 0);
	CHECK_EQ(resident(p, 8, vec), 0);
	for (int i = 0; i < 8; i++)
		CHECK_EQ(vec[i], i < 4);
	CHECK_EQ(locked_pages(), base + 4);
	/* Again: no change, the count does not double. */
	CHECK_EQ(mlock(p, 4 * PAGE), 0);
	CHECK_EQ(locked_pages(), base + 4);
	/* MADV_DONTNEED refused while locked. */
	p[0] = 0x61;
	CHECK_ERR(madvise(p, 2 * PAGE, MADV_DONTNEED), EINVAL);
	CHECK_EQ(p[0], 0x61);
	CHECK_EQ(munlock(p + 2 * PAGE, 2 * PAGE), 0);
	CHECK_EQ(locked_pages(), base + 2);
	CHECK_EQ(munlock(p, 8 * PAGE), 0);
	CHECK_EQ(locked_pages(), base);
	CHECK_EQ(madvise(p, 2 * PAGE, MADV_DONTNEED), 0);
	CHECK_EQ(p[0], 0);

	/* On fault: counted, nothing populated until touched. */
	CHECK_EQ(madvise(p, 8 * PAGE, MADV_DONTNEED), 0);
	CHECK_EQ(mlock2(p, 8 * PAGE, MLOCK_ONFAULT), 0);
	CHECK_EQ(locked_pages(), base + 8);
	CHECK_EQ(resident(p, 8, vec), 0);
	CHECK(all_bytes(vec, 8, 0));
	p[3 * PAGE] = 1;
	CHECK_EQ(resident(p, 8, vec), 0);
	CHECK_EQ(vec[3], 1);
	CHECK_EQ(vec[4], 0);
	/* munmap of a locked range takes its count along. */
	CHECK_EQ(munmap(p, 8 * PAGE), 0);
	CHECK_EQ(locked_pages(), base);
}

static void test_errors(long base)
{
	unsigned char *p = free_hole(4 * PAGE), *hole;

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(mmap(p, 2 * PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		   0) == p);
	hole = p + 2 * PAGE;
	CHECK_ERR(mlock2(p, PAGE, 2), EINVAL);
	CHECK_ERR(mlock2(hole, PAGE, 8), EINVAL); /* flags first */
	CHECK_ERR(mlockall(0), EINVAL);
	CHECK_ERR(mlockall(8), EINVAL);
	CHECK_ERR(mlockall(MCL_ONFAULT), EINVAL);
	CHECK_ERR(mlock(hole, PAGE), ENOMEM);
	CHECK_ERR(munlock(hole, PAGE), ENOMEM);
	CHECK_EQ(locked_pages(), base);
	/* The part before the hole is locked all the same. */
	CHECK_ERR(mlock(p, 4 * PAGE), ENOMEM);
	CHECK_EQ(locked_pages(), base + 2);
	CHECK_ERR(munlock(p, 4 * PAGE), ENOMEM);
	CHECK_EQ(locked_pages(), base);
	CHECK_EQ(mlock(p, 0), 0);
	/* PROT_NONE: locked, but it cannot be populated: ENOMEM. */
	CHECK_EQ(mprotect(p, 2 * PAGE, PROT_NONE), 0);
	CHECK_ERR(mlock(p, 2 * PAGE), ENOMEM);
	CHECK_EQ(munlock(p, 2 * PAGE), 0);
	CHECK_EQ(mlock2(p, 2 * PAGE, MLOCK_ONFAULT), 0);
	CHECK_EQ(munlock(p, 2 * PAGE), 0);
	CHECK_EQ(munmap(p, 2 * PAGE), 0);
}

/* In a child: everything locked now and later. Exit 0 when all held. */
static int child_mlockall(void *arg)
{
	unsigned char *before = arg, *after, vec[4];
	int bad = 0;

	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		return 10;
	if (resident(before, 4, vec) || !all_bytes(vec, 4, 1))
		bad |= 1;
	after = map_anon(4 * PAGE, RW);
	if (after == MAP_FAILED || resident(after, 4, vec) ||
	    !all_bytes(vec, 4, 1))
		bad |= 2;
	if (locked_pages() < 8)
		bad |= 4;
	if (munlockall() || locked_pages() != 0)
		bad |= 8;
	after = map_anon(4 * PAGE, RW);
	if (after == MAP_FAILED || resident(after, 4, vec) ||
	    !all_bytes(vec, 4, 0))
		bad |= 16;
	return bad;
}

/* In a child: nothing is locked after fork. */
static int child_count(void *arg)
{
	(void)arg;
	return (int)locked_pages();
}

static void test_mlockall_fork(long base)
{
	unsigned char *p = map_anon(4 * PAGE, RW);
	int status;

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	status = run_child(child_mlockall, p);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (WIFEXITED(status) && WEXITSTATUS(status))
		diag("mlockall child: exit %d", WEXITSTATUS(status));
	CHECK_EQ(locked_pages(), base); /* the child's locks were its own */
	CHECK_EQ(mlock(p, 4 * PAGE), 0);
	status = run_child(child_count, NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(munmap(p, 4 * PAGE), 0);
}

static void test_mremap(long base)
{
	unsigned char *p = map_anon(4 * PAGE, RW), *q;

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	CHECK_EQ(mlock(p, 4 * PAGE), 0);
	q = mremap(p, 4 * PAGE, 10 * PAGE, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED);
	CHECK_EQ(locked_pages(), base + 10);
	if (q != MAP_FAILED) {
		CHECK(mremap(q, 10 * PAGE, 3 * PAGE, 0) == q);
		CHECK_EQ(locked_pages(), base + 3);
		CHECK_EQ(munmap(q, 3 * PAGE), 0);
	}
	CHECK_EQ(locked_pages(), base);
}

int main(void)
{
	long base = locked_pages();

	CHECK(base >= 0);
	if (base < 0)
		return utest_done();
	test_mlock(base);
	test_errors(base);
	test_mlockall_fork(base);
	test_mremap(base);
	return utest_done();
}
