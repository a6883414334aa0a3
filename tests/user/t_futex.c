/*
 * t_futex - FUTEX_WAKE's count, as Linux's futex_wake(): it wakes up to
 * val waiters, but counts after each wake, so a val of 0 or less (val is
 * an int to the kernel) still wakes one when any waits. Two threads wait
 * on one word; FUTEX_WAKE with 0, then with -1, must each wake exactly
 * one, and each waiter then returns 0. The rows of futex's errors are in
 * t_errno; its timeouts are in t_sleep. A timeout never ends a wait
 * early: 200 FUTEX_WAIT_BITSET waits until a time 2 to 3 ms ahead on
 * CLOCK_MONOTONIC, with a thread busy on another CPU, each end at or
 * after that time (at SMP=2 without -icount jiffies could reach the
 * deadline's tick up to half a millisecond before the clock did).
 *
 * A waiter may not have gone to sleep yet when the main thread wakes: a
 * wake that finds nobody returns 0 and is tried again a millisecond
 * later, for at most five seconds.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_futex"
#include "utest.h"
#include <limits.h>
#include <sched.h>
#include <sys/syscall.h>
#include <thread.h>
#include <time.h>

#define FUTEX_WAIT	  0
#define FUTEX_WAKE	  1
#define FUTEX_WAIT_BITSET 9
#define NWAITERS	  2
#define NEARLY_ROUNDS	  50

static volatile int stop_busy;

static int word; /* stays 0: only a wake ends a wait */
static long waited[NWAITERS];

static void *waiter(void *arg)
{
	long *ret = arg;

	/* Raw calls only: under glibc a thread here has no TLS of its own. */
	*ret = syscall(SYS_futex, &word, FUTEX_WAIT, 0, (void *)0, (void *)0,
		       0);
	return NULL;
}

static long futex_wake(int n)
{
	return syscall(SYS_futex, &word, FUTEX_WAKE, n, (void *)0, (void *)0,
		       0);
}

/* Wake with count n until it wakes somebody; returns what that call
 * returned, or 0 when five seconds passed without a waiter. */
static long wake_one_with(int n)
{
	struct timespec ms = { 0, 1000000 };

	for (int i = 0; i < 5000; i++) {
		long r = futex_wake(n);

		if (r != 0)
			return r;
		nanosleep(&ms, NULL);
	}
	return 0;
}

/* A thread that keeps its CPU busy (no libc call) until stop_busy. */
static void *busy(void *arg)
{
	while (!stop_busy)
		cpu_relax();
	return arg;
}

/*
 * never_early - NEARLY_ROUNDS FUTEX_WAIT_BITSET waits with an absolute
 * CLOCK_MONOTONIC timeout (Linux's: an hrtimer, never early) each must
 * time out at or after it; one FAIL line with the count and the worst.
 * The busy thread only with a CPU to spare: on one CPU each wait would
 * end only when the tick preempts it, a crawl under -icount.
 */
static void never_early(void)
{
	cpu_set_t cpus;
	thread_t t;
	int early = 0, want, made = 0;
	long worst = 0;

	CPU_ZERO(&cpus);
	want = sched_getaffinity(0, sizeof(cpus), &cpus) == 0 &&
	       CPU_COUNT(&cpus) > 1;
	if (want)
		made = thread_create(&t, busy, NULL) == 0;

	for (int i = 0; i < NEARLY_ROUNDS; i++) {
		struct timespec d, now;
		long r, diff;

		clock_gettime(CLOCK_MONOTONIC, &d);
		d.tv_nsec += 2000000 + (i % 7) * 137000; /* off the tick grid */
		if (d.tv_nsec >= 1000000000) {
			d.tv_sec++;
			d.tv_nsec -= 1000000000;
		}
		r = syscall(SYS_futex, &word, FUTEX_WAIT_BITSET, 0, &d,
			    (void *)0, ~0U);
		clock_gettime(CLOCK_MONOTONIC, &now);
		CHECK(r == -1 && errno == ETIMEDOUT);
		diff = (now.tv_sec - d.tv_sec) * 1000000000L +
		       (now.tv_nsec - d.tv_nsec);
		if (diff < 0) {
			early++;
			if (-diff > worst)
				worst = -diff;
		}
	}
	stop_busy = 1;
	if (made)
		thread_join(t, NULL);
	CHECK_EQ(made, want);
	utest_checks++;
	if (early) {
		utest_failures++;
		diag("FAIL %d of %d FUTEX_WAIT_BITSET timeouts ended before "
		     "their time, the worst by %ld ns",
		     early, NEARLY_ROUNDS, worst);
	}
}

int main(void)
{
	thread_t t[NWAITERS];
	int made = 0;

	for (int i = 0; i < NWAITERS; i++) {
		waited[i] = -2;
		if (thread_create(&t[i], waiter, &waited[i]) == 0)
			made++;
	}
	CHECK_EQ(made, NWAITERS);
	if (made != NWAITERS)
		return utest_done();
	CHECK_EQ(wake_one_with(0), 1);
	CHECK_EQ(wake_one_with(-1), 1);
	/* Whatever happened above, leave no thread asleep. */
	while (futex_wake(INT_MAX) != 0 ||
	       (__atomic_load_n(&waited[0], __ATOMIC_SEQ_CST) == -2 ||
		__atomic_load_n(&waited[1], __ATOMIC_SEQ_CST) == -2)) {
		struct timespec ms = { 0, 1000000 };

		nanosleep(&ms, NULL);
	}
	for (int i = 0; i < NWAITERS; i++) {
		thread_join(t[i], NULL);
		CHECK_EQ(waited[i], 0);
	}
	never_early();
	return utest_done();
}
