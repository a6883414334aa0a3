/*
 * sys/time.h - struct timeval, a time in seconds and microseconds (the
 * layout of Linux's struct __kernel_old_timeval, which struct rusage
 * uses).
 */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H

#include <sys/types.h>

struct timeval {
	time_t tv_sec;
	suseconds_t tv_usec;
};

/* setitimer(2)'s struct: the interval, then the time left. */
struct itimerval {
	struct timeval it_interval;
	struct timeval it_value;
};

#define ITIMER_REAL    0 /* SIGALRM, real time */
#define ITIMER_VIRTUAL 1 /* not implemented by this kernel: EINVAL */
#define ITIMER_PROF    2 /* not implemented by this kernel: EINVAL */

/*
 * setitimer - arm timer which (ITIMER_REAL) to fire after new->it_value
 * (0: disarm), then every it_interval; the old setting at *old.
 * getitimer - the time left and the interval. 0, or -1 with errno
 * (EINVAL, EFAULT). Implemented in libc/signal.c.
 */
int setitimer(int which, const struct itimerval *new, struct itimerval *old);
int getitimer(int which, struct itimerval *cur);

#endif
