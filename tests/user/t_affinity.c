/*
 * t_affinity - sched_setaffinity(2) and sched_getaffinity(2) with Linux's
 * semantics (man 2 sched_setaffinity): the raw getaffinity call returns
 * the size of the kernel's mask in bytes (a multiple of sizeof(long)) and
 * leaves the rest of the buffer alone, and fails with EINVAL when the
 * buffer is smaller than that or not a multiple of sizeof(long); the
 * glibc wrapper returns 0. A mask with no online CPU is EINVAL, an
 * unknown pid ESRCH, a bad pointer EFAULT; pid 0 is the caller. Pinned
 * to one CPU, the caller runs there (sched_getcpu) and its mask is that
 * CPU; a forked child inherits the mask; offline CPUs in a mask are
 * dropped. Every check uses only the CPUs this test was allowed at the
 * start, so it passes on any Linux machine too.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_affinity"
#include "utest.h"
#include <sched.h>
#include <sys/syscall.h>

#define NO_SUCH_PID 99999999 /* above Linux's largest pid_max (2^22) */
#define NO_SUCH_CPU (CPU_SETSIZE - 1)

static cpu_set_t orig;

/* In a child: is the inherited mask exactly *arg? Also through the
 * parent's pid. Returns 0 when it is. */
static int child_mask(void *arg)
{
	const cpu_set_t *want = arg;
	cpu_set_t got;

	if (sched_getaffinity(0, sizeof(got), &got) != 0)
		return 1;
	if (!CPU_EQUAL(&got, want))
		return 2;
	if (sched_getaffinity(getppid(), sizeof(got), &got) != 0)
		return 3;
	return CPU_EQUAL(&got, want) ? 0 : 4;
}

static void raw_getaffinity(void)
{
	unsigned char buf[128];
	long r;

	memset(buf, 0xaa, sizeof(buf));
	r = syscall(SYS_sched_getaffinity, 0, sizeof(buf), buf);
	CHECK(r > 0);
	CHECK_EQ(r % (long)sizeof(long), 0);
	CHECK(r <= (long)sizeof(buf));
	if (r > 0 && r < (long)sizeof(buf))
		CHECK_EQ(buf[r], 0xaa); /* nothing written beyond r bytes */
	for (int cpu = 0; r > 0 && cpu < 8 * r; cpu++) {
		int raw = (buf[cpu / 8] >> (cpu % 8)) & 1;

		CHECK_EQ(raw, !!CPU_ISSET(cpu, &orig)); /* the same mask */
	}
	diag("the kernel's mask is %ld bytes", r);

	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, 0, buf), EINVAL);
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, 4, buf), EINVAL);
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, sizeof(long) + 4, buf),
		  EINVAL);
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, sizeof(buf), (void *)8),
		  EFAULT);
	CHECK_ERR(syscall(SYS_sched_setaffinity, 0, sizeof(buf), (void *)8),
		  EFAULT);
}

int main(void)
{
	cpu_set_t set, got;
	int ncpus, first = -1, status;

	CHECK_EQ(sched_getaffinity(0, sizeof(orig), &orig), 0);
	ncpus = CPU_COUNT(&orig);
	CHECK(ncpus >= 1);
	for (int cpu = 0; cpu < CPU_SETSIZE && first < 0; cpu++)
		if (CPU_ISSET(cpu, &orig))
			first = cpu;
	CHECK(first >= 0);
	if (first < 0)
		return utest_done();
	diag("%d CPU(s) allowed, the first is %d", ncpus, first);
	CHECK_EQ(sched_getaffinity(getpid(), sizeof(got), &got), 0);
	CHECK(CPU_EQUAL(&got, &orig)); /* pid 0 is the caller */

	raw_getaffinity();

	/* Errors. */
	CPU_ZERO(&set);
	CHECK_ERR(sched_setaffinity(0, sizeof(set), &set), EINVAL);
	CPU_SET(NO_SUCH_CPU, &set);
	CHECK_ERR(sched_setaffinity(0, sizeof(set), &set), EINVAL);
	CHECK_ERR(sched_getaffinity(NO_SUCH_PID, sizeof(got), &got), ESRCH);
	CHECK_ERR(sched_setaffinity(NO_SUCH_PID, sizeof(orig), &orig), ESRCH);
	CHECK_EQ(sched_getaffinity(0, sizeof(got), &got), 0);
	CHECK(CPU_EQUAL(&got, &orig)); /* the failures changed nothing */

	/* Pinned to each allowed CPU in turn: the mask says so, and that
	 * is where we run, at once. */
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &orig))
			continue;
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		CHECK_EQ(sched_setaffinity(0, sizeof(set), &set), 0);
		CHECK_EQ(sched_getcpu(), cpu);
		for (int i = 0; i < 3; i++) {
			sched_yield();
			CHECK_EQ(sched_getcpu(), cpu);
		}
		CHECK_EQ(sched_getaffinity(0, sizeof(got), &got), 0);
		CHECK(CPU_EQUAL(&got, &set));
	}

	/* A forked child inherits the mask. */
	CPU_ZERO(&set);
	CPU_SET(first, &set);
	CHECK_EQ(sched_setaffinity(0, sizeof(set), &set), 0);
	status = run_child(child_mask, &set);
	CHECK(status != -1 && WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);

	/* A CPU that is not online is dropped; the online ones stay. */
	set = orig;
	CPU_SET(NO_SUCH_CPU, &set);
	CHECK_EQ(sched_setaffinity(0, sizeof(set), &set), 0);
	CHECK_EQ(sched_getaffinity(0, sizeof(got), &got), 0);
	CHECK(CPU_EQUAL(&got, &orig));

	CHECK_EQ(sched_setaffinity(0, sizeof(orig), &orig), 0);
	return utest_done();
}
