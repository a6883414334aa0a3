/*
 * t_futex - FUTEX_WAKE's count, as Linux's futex_wake(): it wakes up to
 * val waiters, but counts after each wake, so a val of 0 or less (val is
 * an int to the kernel) still wakes one when any waits. Two threads wait
 * on one word; FUTEX_WAKE with 0, then with -1, must each wake exactly
 * one, and each waiter then returns 0. The rows of futex's errors are in
 * t_errno; its timeouts are in t_sleep.
 *
 * A waiter may not have gone to sleep yet when the main thread wakes: a
 * wake that finds nobody returns 0 and is tried again a millisecond
 * later, for at most five seconds.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_futex"
#include "utest.h"
#include <limits.h>
#include <sys/syscall.h>
#include <thread.h>
#include <time.h>

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define NWAITERS   2

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
	return utest_done();
}
