/*
 * t_sleep - nanosleep sleeps at least as long as asked (measured with
 * CLOCK_MONOTONIC), rejects tv_nsec outside 0..999999999 and negative
 * tv_sec with EINVAL; sched_yield returns 0; CLOCK_MONOTONIC never goes
 * backwards; clock_gettime with an unknown clock is EINVAL. Timeouts too
 * long to count are "for ever", not wrapped to a short one (Linux
 * saturates them at KTIME_MAX): nanosleep of 2^55 s and FUTEX_WAIT with a
 * 2^61 s timeout are still asleep 50 ms later, until SIGKILL.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_sleep"
#include "utest.h"
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef FUTEX_WAIT
#define FUTEX_WAIT 0
#endif

/* In a child: sleep for a time too long to count; only a kill ends it. */
static void sleep_for_ever(int futex)
{
	static int word;
	struct timespec ts = { futex ? 1L << 61 : 1L << 55, 0 };

	if (futex)
		syscall(SYS_futex, &word, FUTEX_WAIT, 0, &ts, (void *)0, 0);
	else
		nanosleep(&ts, NULL);
	_exit(3); /* woke up: the timeout wrapped to a short one */
}

/* The child must still be asleep after 50 ms; then it is killed. */
static void check_still_asleep(int futex)
{
	struct timespec ms50 = { 0, 50000000L };
	int status = 0;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0)
		sleep_for_ever(futex);
	if (pid < 0)
		return;
	nanosleep(&ms50, NULL);
	CHECK_EQ(waitpid(pid, &status, WNOHANG), 0);
	CHECK_EQ(kill(pid, SIGKILL), 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	diag("%s with a timeout too long to count: asleep after 50 ms, "
	     "killed",
	     futex ? "FUTEX_WAIT" : "nanosleep");
}

/* now_ns - CLOCK_MONOTONIC in ns, or -1. */
static long long now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return -1;
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void)
{
	static const long ms[] = { 1, 10, 50 };
	struct timespec ts;
	long long t0, t1, prev;
	unsigned i;

	for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		ts.tv_sec = 0;
		ts.tv_nsec = ms[i] * 1000000L;
		t0 = now_ns();
		CHECK_EQ(nanosleep(&ts, NULL), 0);
		t1 = now_ns();
		CHECK(t1 - t0 >= ms[i] * 1000000LL);
		diag("nanosleep %ld ms took %lld us", ms[i], (t1 - t0) / 1000);
	}
	ts.tv_sec = 1;
	ts.tv_nsec = 0;
	t0 = now_ns();
	CHECK_EQ(nanosleep(&ts, NULL), 0);
	t1 = now_ns();
	CHECK(t1 - t0 >= 1000000000LL);
	diag("nanosleep 1 s took %lld us", (t1 - t0) / 1000);

	ts.tv_sec = 0;
	ts.tv_nsec = 1000000000L;
	CHECK_ERR(nanosleep(&ts, NULL), EINVAL);
	ts.tv_nsec = -1;
	CHECK_ERR(nanosleep(&ts, NULL), EINVAL);
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	CHECK_ERR(nanosleep(&ts, NULL), EINVAL);
	ts.tv_sec = 0;
	CHECK_EQ(nanosleep(&ts, NULL), 0);

	for (i = 0; i < 10; i++)
		CHECK_EQ(sched_yield(), 0);

	prev = now_ns();
	CHECK(prev >= 0);
	for (i = 0; i < 1000; i++) {
		t1 = now_ns();
		CHECK(t1 >= prev);
		if (t1 < prev)
			break;
		prev = t1;
	}
	check_still_asleep(0);
	check_still_asleep(1);
	CHECK_ERR(clock_gettime(12345, &ts), EINVAL);
	CHECK_EQ(clock_gettime(CLOCK_REALTIME, &ts), 0);
	CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L);
	return utest_done();
}
