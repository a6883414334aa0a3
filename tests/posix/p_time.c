/*
 * p_time - the clocks and sleeps of a C library: clock_gettime(2),
 * clock_getres(2), clock_nanosleep(2) (relative, TIMER_ABSTIME, and its
 * errors), nanosleep(2), gettimeofday(2) and time(2), through the C
 * library where it has a wrapper and through syscall() for the errors.
 */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <sys/time.h>
#include <stdlib.h>
#include <time.h>
#include "ptest.h"

static long long ns_of(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static long long now_ns(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return ns_of(&t);
}

int main(void)
{
	struct timespec res, t = { 0, 20 * 1000 * 1000 },
			     bad = { 0, 1000000000 };
	long long t0, t1;
	struct timeval tv;
	time_t tt;

	/* clock_gettime and clock_getres */
	t0 = now_ns(CLOCK_MONOTONIC);
	t1 = now_ns(CLOCK_MONOTONIC);
	CHECK(t1 >= t0);
	CHECK(now_ns(CLOCK_REALTIME) > 0);
	CHECK(now_ns(CLOCK_BOOTTIME) >= t0);
	CHECK_EQ(clock_getres(CLOCK_MONOTONIC, &res), 0);
	CHECK(res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000);
	CHECK_EQ(clock_getres(CLOCK_REALTIME, NULL), 0);
	CHECK_ERR(syscall(SYS_clock_getres, 99, &res), EINVAL);
	CHECK_ERR(syscall(SYS_clock_gettime, 99, &res), EINVAL);

	/* clock_nanosleep: 20 ms relative, then 20 ms to an absolute time */
	t0 = now_ns(CLOCK_MONOTONIC);
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &t, NULL), 0);
	t1 = now_ns(CLOCK_MONOTONIC);
	CHECK(t1 - t0 >= 20 * 1000 * 1000);
	t0 = now_ns(CLOCK_MONOTONIC);
	{
		struct timespec until;

		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += 20 * 1000 * 1000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until,
					 NULL),
			 0);
		CHECK(now_ns(CLOCK_MONOTONIC) >= ns_of(&until));
		/* a time in the past: at once */
		CHECK_EQ(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &res,
					 NULL),
			 0);
	}
	CHECK_EQ(syscall(SYS_clock_nanosleep, CLOCK_REALTIME, 0, &t, NULL), 0);
	CHECK_ERR(syscall(SYS_clock_nanosleep, 99, 0, &t, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &t,
			  NULL),
		  EOPNOTSUPP);
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_RAW, 0, &t,
			  NULL),
		  EOPNOTSUPP);
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &bad, NULL),
		  EINVAL);
	CHECK_ERR(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (void *)16,
			  NULL),
		  EFAULT);
	/* the C library returns the error instead of setting errno */
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL), EINVAL);

	/* nanosleep */
	t0 = now_ns(CLOCK_MONOTONIC);
	CHECK_EQ(nanosleep(&t, NULL), 0);
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 20 * 1000 * 1000);

	/* gettimeofday and time agree with CLOCK_REALTIME */
	CHECK_EQ(gettimeofday(&tv, NULL), 0);
	CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	CHECK(llabs(tv.tv_sec - now_ns(CLOCK_REALTIME) / 1000000000) <= 1);
	CHECK_EQ(syscall(SYS_gettimeofday, &tv, NULL), 0);
	CHECK_ERR(syscall(SYS_gettimeofday, (void *)16, NULL), EFAULT);
	tt = time(NULL);
	CHECK(llabs((long long)tt - now_ns(CLOCK_REALTIME) / 1000000000) <= 1);
	CHECK(syscall(SYS_time, &tt) >= 0);
	CHECK(llabs((long long)tt - now_ns(CLOCK_REALTIME) / 1000000000) <= 1);
	CHECK_ERR(syscall(SYS_time, (void *)16), EFAULT);
	return pt_done("p_time");
}
