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

#endif
