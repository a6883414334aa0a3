/*
 * t_getrusage - getrusage(2) counts minor faults as Linux does:
 *   - writing to N fresh anonymous pages raises ru_minflt of RUSAGE_SELF
 *     and of RUSAGE_THREAD by at least N, and by not much more (a fault
 *     counted twice would show), and ru_majflt not at all;
 *   - a thread's faults count for the process, and for that thread, but
 *     not for the thread that waits for it;
 *   - a child's faults, with those of the grandchild it waited for, count
 *     in RUSAGE_CHILDREN once the child is waited for, not before, and
 *     wait4 reports the same figure for the child;
 *   - context switches: each nanosleep that sleeps is a voluntary one
 *     (ru_nvcsw) of the thread; a sched_yield() beside a task that is
 *     runnable on the same CPU is an involuntary one (ru_nivcsw), and so
 *     is that task's preemption, which counts in RUSAGE_CHILDREN once it
 *     is waited for;
 *   - an unknown who (RUSAGE_BOTH included) is EINVAL, a bad pointer
 *     EFAULT.
 *   - on our kernel, with POE on and its tables full, the writes that
 *     the POE fast path resolves are minor faults at once, and stay
 *     counted once after munmap's error handling (in this task's time)
 *     or the post-fault work has counted them for the mm too (Linux has
 *     no POE: that part is skipped there).
 * Under poe.always=1 (the upoe step) the faults of every part may take
 * the fast path: they must count the same.
 * The thread makes raw syscalls only: under glibc it has no TLS.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_getrusage"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"
#include "smp_util.h"
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <thread.h>

#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE 15
#endif

#define SELF_PAGES	 64
#define THREAD_PAGES	 48
#define CHILD_PAGES	 80
#define GRANDCHILD_PAGES 40
/* Faults besides the touched pages that a step may take: the stack, libc's
 * buffers, a page the thread's creation writes. */
#define SLACK		 24

#define KERNEL_PTR   ((void *)0xffffffff80000000UL)
#define UNMAPPED_PTR ((void *)0x1000UL)

/* ru_minflt of who now (raw syscall: safe in a thread without TLS). */
static long minflt(int who)
{
	struct rusage r;

	memset(&r, 0, sizeof(r));
	if (syscall(SYS_getrusage, who, &r) != 0)
		return -1;
	return r.ru_minflt;
}

/* A fresh mapping of n pages, one fault per page on Linux too (no THP). */
static volatile unsigned char *fresh(unsigned long n)
{
	void *p = map_anon(n * PAGE, PROT_READ | PROT_WRITE);

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, n * PAGE, MADV_NOHUGEPAGE); /* EINVAL here: no THP */
	return p;
}

/* Write one byte to each of n pages at p: n write faults. */
static void touch(volatile unsigned char *p, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		p[i * PAGE] = (unsigned char)(i + 1);
}

/* Touch n fresh pages and unmap them; 0, or 1 when mmap failed. */
static int touch_fresh(unsigned long n)
{
	volatile unsigned char *p = fresh(n);

	if (!p)
		return 1;
	touch(p, n);
	munmap((void *)p, n * PAGE);
	return 0;
}

static void self_and_thread(void)
{
	volatile unsigned char *p = fresh(SELF_PAGES), *warm;
	long s0, t0, s1, t1;
	struct rusage r0, r1;

	CHECK(p != NULL);
	if (!p)
		return;
	/* Run the window's code once first, on a page of its own: on Linux
	 * the first fault on a page of the program's text may be retried
	 * (its page locked, e.g. under writeback just after the build), and
	 * a retried fault counts as major (mm_account_fault()). */
	warm = fresh(1);
	if (warm) {
		touch(warm, 1);
		(void)minflt(RUSAGE_THREAD);
		munmap((void *)warm, PAGE);
	}
	CHECK_EQ(getrusage(RUSAGE_SELF, &r0), 0);
	s0 = minflt(RUSAGE_SELF);
	t0 = minflt(RUSAGE_THREAD);
	touch(p, SELF_PAGES);
	s1 = minflt(RUSAGE_SELF);
	t1 = minflt(RUSAGE_THREAD);
	CHECK_EQ(getrusage(RUSAGE_SELF, &r1), 0);
	diag("%d pages: RUSAGE_SELF +%ld, RUSAGE_THREAD +%ld", SELF_PAGES,
	     s1 - s0, t1 - t0);
	CHECK(s0 >= 0 && t0 >= 0);
	CHECK(s1 - s0 >= SELF_PAGES);
	CHECK(s1 - s0 <= SELF_PAGES + SLACK);
	CHECK(t1 - t0 >= SELF_PAGES);
	CHECK(t1 - t0 <= SELF_PAGES + SLACK);
	CHECK(r1.ru_minflt >= r0.ru_minflt + SELF_PAGES);
	CHECK_EQ(r1.ru_majflt, r0.ru_majflt); /* anonymous: never I/O */
	munmap((void *)p, SELF_PAGES * PAGE);
}

struct toucher_arg {
	volatile unsigned char *p;
	long own; /* the thread's RUSAGE_THREAD increase */
};

static void *toucher(void *arg)
{
	struct toucher_arg *a = arg;
	long t0 = minflt(RUSAGE_THREAD);

	touch(a->p, THREAD_PAGES);
	a->own = minflt(RUSAGE_THREAD) - t0;
	return NULL;
}

static void other_thread(void)
{
	struct toucher_arg a = { fresh(THREAD_PAGES), 0 };
	long s0, t0, s1, t1;
	thread_t t;

	CHECK(a.p != NULL);
	if (!a.p)
		return;
	s0 = minflt(RUSAGE_SELF);
	t0 = minflt(RUSAGE_THREAD);
	CHECK_EQ(thread_create(&t, toucher, &a), 0);
	CHECK_EQ(thread_join(t, NULL), 0);
	s1 = minflt(RUSAGE_SELF);
	t1 = minflt(RUSAGE_THREAD);
	diag("a thread wrote %d pages: its RUSAGE_THREAD +%ld, RUSAGE_SELF "
	     "+%ld, the joiner's RUSAGE_THREAD +%ld",
	     THREAD_PAGES, a.own, s1 - s0, t1 - t0);
	CHECK(a.own >= THREAD_PAGES);
	CHECK(a.own <= THREAD_PAGES + SLACK);
	CHECK(s1 - s0 >= THREAD_PAGES);
	CHECK(t1 - t0 <= SLACK);
	munmap((void *)a.p, THREAD_PAGES * PAGE);
}

static int grandchild(void *arg)
{
	(void)arg;
	return touch_fresh(GRANDCHILD_PAGES);
}

/* The child: its own pages, then a grandchild it waits for. */
static int child(void)
{
	if (touch_fresh(CHILD_PAGES))
		return 1;
	return run_child(grandchild, NULL) == 0 ? 0 : 2;
}

static void children(void)
{
	long c0, c1;
	struct rusage wr;
	int status = -1;
	pid_t pid;

	c0 = minflt(RUSAGE_CHILDREN);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(child());
	CHECK(pid > 0);
	if (pid < 0)
		return;
	memset(&wr, 0, sizeof(wr));
	CHECK_EQ(wait4(pid, &status, 0, &wr), pid);
	CHECK_EQ(status, 0);
	c1 = minflt(RUSAGE_CHILDREN);
	diag("a child wrote %d pages and waited for a grandchild that wrote "
	     "%d: RUSAGE_CHILDREN +%ld, wait4's ru_minflt %ld",
	     CHILD_PAGES, GRANDCHILD_PAGES, c1 - c0, wr.ru_minflt);
	CHECK(c1 - c0 >= CHILD_PAGES + GRANDCHILD_PAGES);
	CHECK_EQ(wr.ru_minflt, c1 - c0);
}

/*
 * A child that has faulted but is not waited for yet counts nowhere: it
 * writes its pages, says so in a shared page, and waits there until it
 * is told to exit. With two CPUs, the parent runs on one and the child on
 * the other, so the hand-over crosses CPUs every time, and each side
 * waits with cpu_relax() (utest.h): under -icount, a waiter that neither
 * pauses nor sleeps keeps the CPU after it from running at all, and the
 * usmp step of tools/run_tests.py hangs here.
 */
static void not_before_wait(void)
{
	volatile int *flag = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned long mask[SMP_MASK_WORDS] = { 0 };
	long c0, c1, c2, bytes;
	int cpus[2], ncpus, status = -1;
	pid_t pid;

	CHECK(flag != MAP_FAILED);
	if (flag == MAP_FAILED)
		return;
	*flag = 0;
	bytes = syscall(SMP_NR_GETAFFINITY, 0, sizeof(mask), mask);
	ncpus = smp_cpus(cpus, 2);
	if (ncpus > 1)
		CHECK_EQ(smp_pin(cpus[0]), 0);
	c0 = minflt(RUSAGE_CHILDREN);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int r = ncpus > 1 && smp_pin(cpus[1]) ? 4 : 0;

		r = touch_fresh(CHILD_PAGES) ? 1 : r;
		*flag = 1;
		while (*flag != 2) {
			cpu_relax();
			sched_yield();
		}
		_exit(r);
	}
	CHECK(pid > 0);
	if (pid > 0) {
		while (*flag != 1) {
			cpu_relax();
			sched_yield();
		}
		c1 = minflt(RUSAGE_CHILDREN);
		*flag = 2;
		CHECK_EQ(waitpid(pid, &status, 0), pid);
		CHECK_EQ(status, 0);
		c2 = minflt(RUSAGE_CHILDREN);
		diag("a child that wrote %d pages on CPU %d: RUSAGE_CHILDREN "
		     "+%ld before it was waited for (the parent on CPU %d), "
		     "+%ld after",
		     CHILD_PAGES, ncpus > 1 ? cpus[1] : cpus[0], c1 - c0,
		     cpus[0], c2 - c0);
		CHECK_EQ(c1, c0);
		CHECK(c2 - c0 >= CHILD_PAGES);
	}
	if (ncpus > 1 && bytes > 0) /* unpinned again */
		CHECK_EQ(syscall(SMP_NR_SETAFFINITY, 0, sizeof(mask), mask), 0);
	munmap((void *)flag, PAGE);
}

static void poe_hits_count_once(void)
{
	struct poe_stats st0, st1;
	volatile unsigned char *p;
	long s0, s1, s2, s3;
	unsigned long hits;

	if (poe_enable() != 0) {
		diag("POE part skipped: poe_enable: %s (not our kernel)",
		     strerror(errno));
		return;
	}
	p = fresh(SELF_PAGES);
	CHECK(p != NULL);
	if (!p)
		return;
	if (poe_wait_idle() || poe_stats_now(&st0))
		goto out;
	s0 = minflt(RUSAGE_SELF);
	touch(p, SELF_PAGES);
	s1 = minflt(RUSAGE_SELF);
	if (poe_stats_now(&st1))
		goto out;
	/* munmap post-processes what is still pending itself (error
	 * handling, in this task's time): those hits must not count again
	 * either. */
	munmap((void *)p, SELF_PAGES * PAGE);
	p = NULL;
	s2 = minflt(RUSAGE_SELF);
	if (poe_wait_pending())
		return;
	s3 = minflt(RUSAGE_SELF);
	hits = st1.hits - st0.hits;
	diag("POE on, %d pages: %lu fast-path hits, %lu of ours pending; "
	     "RUSAGE_SELF +%ld at once, +%ld after munmap, +%ld after the "
	     "post-fault work",
	     SELF_PAGES, hits, st1.proc_pending, s1 - s0, s2 - s0, s3 - s0);
	CHECK(hits >= poe_min_hits(SELF_PAGES, &st0));
	CHECK(s1 - s0 >= SELF_PAGES);
	CHECK(s1 - s0 <= SELF_PAGES + SLACK);
	CHECK(s2 - s0 <= SELF_PAGES + SLACK);
	CHECK(s3 - s0 <= SELF_PAGES + SLACK);
out:
	if (p)
		munmap((void *)p, SELF_PAGES * PAGE);
}

/* Context switches, as Linux counts them (see the top of this file). */
static void context_switches(void)
{
	struct timespec ms = { 0, 1000000 };
	unsigned long mask[SMP_MASK_WORDS] = { 0 };
	struct rusage t0, t1, c0, c1;
	int cpus[64], status;
	struct timespec start, now;
	volatile int *stop;
	long bytes;
	pid_t pid;

	CHECK_EQ(getrusage(RUSAGE_THREAD, &t0), 0);
	for (int i = 0; i < 10; i++)
		CHECK_EQ(nanosleep(&ms, NULL), 0);
	CHECK_EQ(getrusage(RUSAGE_THREAD, &t1), 0);
	diag("10 sleeps of 1 ms: %ld voluntary context switches",
	     t1.ru_nvcsw - t0.ru_nvcsw);
	CHECK(t1.ru_nvcsw - t0.ru_nvcsw >= 10);

	/* A child spinning on our CPU (it inherits the pinning). */
	bytes = syscall(SMP_NR_GETAFFINITY, 0, sizeof(mask), mask);
	smp_cpus(cpus, 64);
	CHECK_EQ(smp_pin(cpus[0]), 0);
	stop = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(stop != MAP_FAILED);
	if (stop == MAP_FAILED)
		return;
	*stop = 0;
	CHECK_EQ(getrusage(RUSAGE_CHILDREN, &c0), 0);
	pid = fork();
	if (pid == 0) {
		while (!*stop)
			;
		_exit(0);
	}
	CHECK(pid > 0);
	/* Yields in rounds of 20 until 5 of them switched, for 2 s at most:
	 * ours and Linux's EEVDF switch on the first round, Linux 6.1's CFS
	 * only once our CPU time has passed the child's (a yield there does
	 * not override fairness). Never sleeping: a sleeper wakes ahead of
	 * the child under CFS, and its yields would not switch at all. */
	CHECK_EQ(getrusage(RUSAGE_THREAD, &t0), 0);
	CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, &start), 0);
	do {
		for (int i = 0; i < 20; i++)
			sched_yield();
		CHECK_EQ(getrusage(RUSAGE_THREAD, &t1), 0);
		CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, &now), 0);
	} while (t1.ru_nivcsw - t0.ru_nivcsw < 5 &&
		 (now.tv_sec - start.tv_sec) * 1000000000L + now.tv_nsec -
				 start.tv_nsec <
			 2000000000L);
	*stop = 1;
	if (pid > 0) {
		CHECK_EQ(waitpid(pid, &status, 0), pid);
		CHECK_EQ(status, 0);
	}
	CHECK_EQ(getrusage(RUSAGE_CHILDREN, &c1), 0);
	diag("yields beside a spinning child: %ld involuntary switches; "
	     "the child's: %ld",
	     t1.ru_nivcsw - t0.ru_nivcsw, c1.ru_nivcsw - c0.ru_nivcsw);
	CHECK(t1.ru_nivcsw - t0.ru_nivcsw >= 5);
	CHECK(c1.ru_nivcsw - c0.ru_nivcsw >= 1);
	if (bytes > 0) /* unpinned again */
		CHECK_EQ(syscall(SMP_NR_SETAFFINITY, 0, sizeof(mask), mask), 0);
	munmap((void *)stop, PAGE);
}

int main(void)
{
	struct rusage r;

	self_and_thread();
	other_thread();
	children();
	not_before_wait();
	context_switches();
	poe_hits_count_once(); /* last: it leaves POE on */

	CHECK_ERR(getrusage(42, &r), EINVAL);
	CHECK_ERR(getrusage(-2, &r), EINVAL); /* RUSAGE_BOTH: wait4's */
	CHECK_ERR(getrusage(RUSAGE_SELF, UNMAPPED_PTR), EFAULT);
	CHECK_ERR(getrusage(RUSAGE_CHILDREN, KERNEL_PTR), EFAULT);
	CHECK_ERR(getrusage(RUSAGE_THREAD, KERNEL_PTR), EFAULT);
	return utest_done();
}
