/*
 * bench_util.h - what the benchmarks (faultbench, pf1bench) share: output
 * in whole lines, and the way out that also powers a Linux VM off when
 * the benchmark is its /init. Header-only, because each benchmark is one
 * source file, built against our libc (user.mk) and statically against
 * glibc for the Linux runs (tools/bench-linux.sh).
 */
#ifndef USER_BENCH_UTIL_H
#define USER_BENCH_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <sys/reboot.h>
#endif

/*
 * bench_vemit - print fmt as one line (a newline is added) with one
 * write(2) where it can, so that lines from several tasks never mix.
 * A line longer than 4 KiB is cut there, not lost.
 */
static inline void bench_vemit(const char *fmt, va_list ap)
{
	char buf[4096];
	int n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);

	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	while (n > 0) {
		ssize_t w = write(1, buf, n);

		if (w <= 0)
			return;
		n -= w;
	}
}

/*
 * bench_exit - end the benchmark with status. On Linux, as the VM's
 * /init (pid 1), power the VM off instead, since init must not exit (no
 * sync: nothing to write). reboot(2) with RB_POWER_OFF.
 */
static inline void __attribute__((noreturn)) bench_exit(int status)
{
#ifdef __GLIBC__
	if (getpid() == 1) {
		reboot(RB_POWER_OFF);
		for (;;)
			pause();
	}
#endif
	exit(status);
}

#endif
