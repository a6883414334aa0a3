/*
 * time.h - clocks and sleeping (Linux's clock ids).
 */
#ifndef _TIME_H
#define _TIME_H

#include <sys/types.h>

#define CLOCK_REALTIME		 0
#define CLOCK_MONOTONIC		 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID	 3
#define CLOCK_MONOTONIC_RAW	 4
#define CLOCK_REALTIME_COARSE	 5
#define CLOCK_MONOTONIC_COARSE	 6
#define CLOCK_BOOTTIME		 7

struct timespec {
	time_t tv_sec;
	long tv_nsec;
};

/* clock_gettime - the time of clock clk in *ts; 0, or -1 with errno
 * (EINVAL: a clock the kernel lacks). */
int clock_gettime(clockid_t clk, struct timespec *ts);
/* nanosleep - sleep for *req; 0, or -1 with errno (EINTR: *rem, if rem
 * is not NULL, gets the time left; EINVAL: tv_nsec out of range). */
int nanosleep(const struct timespec *req, struct timespec *rem);
/* time - CLOCK_REALTIME seconds, also stored in *t if t is not NULL;
 * (time_t)-1 on error. */
time_t time(time_t *t);

#endif
