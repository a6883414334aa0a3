/*
 * t_mm_errno - which error mmap, munmap, mprotect and madvise return when
 * a call is wrong in several ways at once, and where user space ends.
 * Linux checks in a fixed order (mmap: the offset, the file, the length,
 * the range, MAP_FIXED_NOREPLACE, the sharing type; mprotect: the
 * address, a zero length, the range, the rights; madvise: the advice,
 * the address, the length, the range), so a program can tell EINVAL from
 * ENOMEM; this table is what Linux 6.1 returns, row by row. It also
 * covers lengths within a page of 2^64, which round up to 0 (mmap
 * ENOMEM, mprotect ENOMEM, madvise EINVAL, munmap EINVAL, never a
 * silent success), and the top page of user space: Linux's TASK_SIZE is
 * 2^47 - 4096, so no call may map or unmap [0x7ffffffff000, 2^47).
 *
 * Each row runs in a child of its own (a wrong success such as
 * munmap(0, 2^47) kills only that child) through syscall(), so that no
 * libc wrapper checks anything first. Then two rows whose effect matters
 * as much as their result: mprotect over [mapped][hole][mapped] changes
 * the first part and fails with ENOMEM, as Linux does, and madvise with a
 * wrapping length drops nothing.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_errno"
#include "utest.h"
#include "mm_util.h"
#include <sys/syscall.h>

#ifndef PROT_SEM
#define PROT_SEM 0x8
#endif
#ifndef PROT_GROWSDOWN
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP   0x02000000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define TOP  0x7ffffffff000UL /* Linux's TASK_SIZE: the top page */
#define NONC 0x800000000000UL /* the first non-canonical address */
#define HUGE (1UL << 47)
#define RW   (PROT_READ | PROT_WRITE)
#define PA   (MAP_PRIVATE | MAP_ANONYMOUS)
#define BADP 0x100   /* a prot bit nobody defines */
#define BADA 12345   /* an advice nobody defines */
#define ADDR (-1000) /* expected: success, an address below TOP */

enum call {
	MMAP,
	MUNMAP,
	MPROTECT,
	MADVISE
};
enum base {
	ABS,
	MAPPED,
	HOLE
}; /* what addr is relative to */

struct row {
	int line; /* for the diagnostic */
	enum call call;
	enum base base;
	long off; /* addr = base + off */
	unsigned long len;
	long arg;   /* prot, or advice */
	long flags; /* mmap: flags */
	long fd, pgoff;
	int want; /* errno, 0 (returns 0) or ADDR */
};

#define MM(b, o, l, p, f, w)                            \
	{                                               \
		__LINE__, MMAP, b, o, l, p, f, -1, 0, w \
	}
#define MMX(b, o, l, p, f, fd, g, w)                    \
	{                                               \
		__LINE__, MMAP, b, o, l, p, f, fd, g, w \
	}
#define UN(b, o, l, w)                                   \
	{                                                \
		__LINE__, MUNMAP, b, o, l, 0, 0, 0, 0, w \
	}
#define MP(b, o, l, p, w)                                  \
	{                                                  \
		__LINE__, MPROTECT, b, o, l, p, 0, 0, 0, w \
	}
#define MA(b, o, l, a, w)                                 \
	{                                                 \
		__LINE__, MADVISE, b, o, l, a, 0, 0, 0, w \
	}

/* clang-format off */
static const struct row rows[] = {
	/* mmap: length first, then range, then type; prot is not checked */
	MM(ABS, 0, 0, RW, PA, EINVAL),
	MM(ABS, 0, 0, RW, MAP_ANONYMOUS, EINVAL),
	MM(ABS, 0, -1UL, RW, PA, ENOMEM),		/* rounds up to 0 */
	MM(ABS, 0, -4096UL, RW, PA, ENOMEM),
	MM(ABS, 0, HUGE, RW, PA, ENOMEM),
	MM(ABS, 0, HUGE - 4095, RW, PA, ENOMEM),
	MM(ABS, 0, -1UL, RW, MAP_ANONYMOUS, ENOMEM),	/* before the type */
	MM(ABS, 0, HUGE, RW, MAP_ANONYMOUS, ENOMEM),
	MM(ABS, 0, 4096, RW, MAP_ANONYMOUS, EINVAL),
	MM(ABS, 0, 4096, RW, MAP_ANONYMOUS | MAP_SHARED_VALIDATE, EINVAL),
	MM(ABS, 0, 4096, BADP, PA, ADDR),		/* unknown prot: ignored */
	MM(ABS, 0, 4096, RW | PROT_SEM, PA, ADDR),
	MM(ABS, 0, -1UL, BADP, PA, ENOMEM),
	MMX(ABS, 0, 4096, RW, PA, -1, 1, EINVAL),	/* offset first */
	MMX(ABS, 0, -1UL, RW, PA, -1, 1, EINVAL),
	MMX(ABS, 0, 0, RW, MAP_ANONYMOUS, -1, 1, EINVAL),
	MMX(ABS, 0, 4096, RW, MAP_PRIVATE, -1, 0, EBADF),	/* then the file */
	MMX(ABS, 0, 4096, RW, MAP_PRIVATE, -1, 1, EINVAL),
	MMX(ABS, 0, 0, RW, MAP_PRIVATE, -1, 0, EBADF),
	MMX(ABS, 0, -1UL, RW, MAP_PRIVATE, -1, 0, EBADF),
	MMX(ABS, 0, 4096, RW, 0, -1, 0, EBADF),
	/* mmap: the top page, MAP_FIXED */
	MM(ABS, TOP, 4096, RW, PA | MAP_FIXED, ENOMEM),
	MM(ABS, TOP - 4096, 8192, RW, PA | MAP_FIXED, ENOMEM),
	MM(ABS, NONC, 4096, RW, PA | MAP_FIXED, ENOMEM),
	MM(ABS, TOP + 1, 4096, RW, PA | MAP_FIXED, ENOMEM),	/* range first */
	MM(ABS, -4096L, 4096, RW, PA | MAP_FIXED, ENOMEM),
	MM(ABS, TOP, 4096, RW, PA | MAP_FIXED_NOREPLACE, ENOMEM),
	MM(ABS, TOP, 4096, RW, MAP_ANONYMOUS | MAP_FIXED, ENOMEM),
	MM(HOLE, 1, 4096, RW, MAP_ANONYMOUS | MAP_FIXED, EINVAL),
	MM(HOLE, 1, 4096, RW, PA | MAP_FIXED, EINVAL),
	MM(HOLE, 0, 0, RW, PA | MAP_FIXED, EINVAL),
	MM(HOLE, 0, -1UL, RW, PA | MAP_FIXED, ENOMEM),
	MM(MAPPED, 0, 4096, RW, PA | MAP_FIXED_NOREPLACE, EEXIST),
	MM(MAPPED, 1, 4096, RW, PA | MAP_FIXED_NOREPLACE, EINVAL),
	MM(MAPPED, 0, 4096, RW, MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, EEXIST),
	/* a hint in the top page is only a hint */
	MM(ABS, TOP, 4096, RW, PA, ADDR),
	MM(ABS, TOP - 4096, 8192, RW, PA, ADDR),
	/* munmap: the range must end at or below TOP; len 0 is EINVAL */
	UN(ABS, 0, HUGE, EINVAL),
	UN(ABS, TOP, 4096, EINVAL),
	UN(ABS, TOP, 0, EINVAL),
	UN(ABS, TOP, 1, EINVAL),
	UN(ABS, TOP - 4096, 8192, EINVAL),
	UN(ABS, NONC, 4096, EINVAL),
	UN(HOLE, 1, 4096, EINVAL),
	UN(HOLE, 0, 0, EINVAL),
	UN(HOLE, 0, -1UL, EINVAL),
	UN(HOLE, 0, -4096UL, EINVAL),
	UN(HOLE, 1, 0, EINVAL),
	UN(HOLE, 1, -1UL, EINVAL),
	UN(HOLE, 0, 4096, 0),
	/* mprotect: address, len 0 (success), range, rights, mapping */
	MP(MAPPED, 1, 4096, PROT_READ, EINVAL),
	MP(MAPPED, 1, 0, PROT_READ, EINVAL),
	MP(MAPPED, 0, 0, BADP, 0),
	MP(HOLE, 0, 0, BADP, 0),
	MP(MAPPED, 0, -1UL, PROT_READ, ENOMEM),		/* rounds up to 0 */
	MP(MAPPED, 0, -4096UL, PROT_READ, ENOMEM),	/* wraps */
	MP(MAPPED, 0, -1UL, BADP, ENOMEM),		/* before the rights */
	MP(MAPPED, 0, 4096, BADP, EINVAL),
	MP(HOLE, 0, 4096, PROT_READ, ENOMEM),
	MP(HOLE, 0, 4096, BADP, EINVAL),		/* before the mapping */
	MP(ABS, TOP, 4096, PROT_READ, ENOMEM),
	MP(ABS, NONC, 4096, PROT_READ, ENOMEM),
	MP(MAPPED, 0, 4096, RW | PROT_SEM, 0),
	MP(MAPPED, 0, 4096, RW | PROT_GROWSDOWN | PROT_GROWSUP, EINVAL),
	MP(MAPPED, 0, 4096, RW | PROT_GROWSDOWN, EINVAL),	/* not a stack */
	MP(MAPPED, 0, 4096, RW | PROT_GROWSUP, EINVAL),
	MP(HOLE, 0, 4096, RW | PROT_GROWSDOWN, ENOMEM),
	MP(MAPPED, 1, 4096, BADP, EINVAL),
	MP(MAPPED, 1, -1UL, PROT_READ, EINVAL),
	/* madvise: advice, address, length, range; no TOP check */
	MA(MAPPED, 1, 4096, MADV_NORMAL, EINVAL),
	MA(MAPPED, 0, -1UL, MADV_NORMAL, EINVAL),	/* rounds up to 0 */
	MA(MAPPED, 0, -4096UL, MADV_NORMAL, EINVAL),	/* wraps */
	MA(ABS, 0, -4096UL, MADV_NORMAL, ENOMEM),
	MA(MAPPED, 0, 0, MADV_NORMAL, 0),
	MA(MAPPED, 0, 0, BADA, EINVAL),
	MA(HOLE, 0, 4096, MADV_NORMAL, ENOMEM),
	MA(HOLE, 0, 4096, BADA, EINVAL),
	MA(MAPPED, 1, -1UL, BADA, EINVAL),
	MA(ABS, NONC, 4096, MADV_NORMAL, ENOMEM),
	MA(ABS, -4096L, 4096, MADV_NORMAL, EINVAL),
	MA(ABS, TOP, 4096, MADV_NORMAL, ENOMEM),
	MA(MAPPED, 0, -1UL, MADV_DONTNEED, EINVAL),
	MA(HOLE, 0, 2 * 4096, MADV_NORMAL, ENOMEM),
	MA(MAPPED, 1, 0, MADV_NORMAL, EINVAL),
	MA(MAPPED, 1, 0, BADA, EINVAL),
	MA(MAPPED, 0, 4096, -1, EINVAL),
};
/* clang-format on */

static const char *const call_names[] = { "mmap", "munmap", "mprotect",
					  "madvise" };

static unsigned long mapped, hole;

/* The row's call, in a child: it exits with the errno, 0 for a result
 * of 0, or 200 for an address below TOP (and 201 for one above it). */
static int run_row(void *arg)
{
	const struct row *r = arg;
	unsigned long a = (unsigned long)r->off;
	long ret;

	if (r->base == MAPPED)
		a += mapped;
	else if (r->base == HOLE)
		a += hole;
	errno = 0;
	switch (r->call) {
	case MMAP:
		ret = syscall(SYS_mmap, a, r->len, r->arg, r->flags, r->fd,
			      r->pgoff);
		break;
	case MUNMAP:
		ret = syscall(SYS_munmap, a, r->len);
		break;
	case MPROTECT:
		ret = syscall(SYS_mprotect, a, r->len, r->arg);
		break;
	default:
		ret = syscall(SYS_madvise, a, r->len, r->arg);
		break;
	}
	if (ret == -1)
		return errno > 0 && errno < 200 ? errno : 199;
	if (ret == 0)
		return 0;
	return (unsigned long)ret < TOP ? 200 : 201;
}

static void check_row(const struct row *r)
{
	int want = r->want == ADDR ? 200 : r->want;
	int status = run_child(run_row, (void *)r);

	utest_checks++;
	if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == want)
		return;
	utest_failures++;
	if (status != -1 && WIFEXITED(status))
		diag("FAIL row at line %d (%s, len %#lx): got %d (%s), "
		     "expected %d (%s)",
		     r->line, call_names[r->call], r->len, WEXITSTATUS(status),
		     WEXITSTATUS(status) >= 200 ? "an address" :
						  strerror(WEXITSTATUS(status)),
		     want, want == 200 ? "an address" : strerror(want));
	else if (status != -1)
		diag("FAIL row at line %d (%s, len %#lx): the child died "
		     "(signal %d), expected %d",
		     r->line, call_names[r->call], r->len,
		     WIFSIGNALED(status) ? WTERMSIG(status) : -1, want);
}

/* mprotect over [A][hole][C]: A changes, C does not, the result is
 * ENOMEM (Linux's mprotect_fixup() loop stops at the hole). */
static void partial_mprotect(void)
{
	unsigned char *p = map_anon(3 * PAGE, RW);
	int status;

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	CHECK_EQ(munmap(p + PAGE, PAGE), 0);
	CHECK_ERR(mprotect(p, 3 * PAGE, PROT_READ), ENOMEM);
	status = run_child(child_write, p);
	CHECK(status != -1 && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGSEGV);
	expect_write_ok("the mapping after the hole keeps its rights",
			p + 2 * PAGE);
	/* From a hole: nothing changes. */
	CHECK_ERR(mprotect(p + PAGE, 2 * PAGE, PROT_READ), ENOMEM);
	expect_write_ok("mprotect that starts in a hole changes nothing",
			p + 2 * PAGE);
	CHECK_EQ(munmap(p, 3 * PAGE), 0);
}

/* A length that wraps must not turn into "nothing to do" after the fact,
 * nor into "everything": the data stays. */
static void wrapping_dontneed(void)
{
	unsigned char *p = map_anon(2 * PAGE, RW);

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	memset(p, 0x5a, 2 * PAGE);
	CHECK_ERR(madvise(p, -1UL, MADV_DONTNEED), EINVAL);
	CHECK_ERR(madvise(p, -PAGE, MADV_DONTNEED), EINVAL);
	CHECK(all_bytes(p, 2 * PAGE, 0x5a));
	CHECK_EQ(munmap(p, 2 * PAGE), 0);
}

int main(void)
{
	unsigned char *m = map_anon(4 * PAGE, RW);
	unsigned char *h = free_hole(4 * PAGE);

	CHECK(m != MAP_FAILED && h != NULL);
	if (m == MAP_FAILED || !h)
		return utest_done();
	mapped = (unsigned long)m;
	hole = (unsigned long)h;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(&rows[i]);
	diag("%zu rows", sizeof(rows) / sizeof(rows[0]));
	partial_mprotect();
	wrapping_dontneed();
	return utest_done();
}
