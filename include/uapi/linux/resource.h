/*
 * resource.h (include/uapi/linux/resource.h) - getrusage(2)'s ABI, with
 * Linux's values and layout (the file of the same name in Linux's uapi):
 * the `who` values and struct rusage, 144 bytes on x86-64. Shared by the
 * kernel (kernel/rusage.c, wait4 in kernel/exit.c) and libc
 * (libc/include/sys/resource.h).
 */
#ifndef UAPI_LINUX_RESOURCE_H
#define UAPI_LINUX_RESOURCE_H

/* getrusage's who: the calling process (all its threads); its children
 * that ended and were waited for; both (what wait4 reports for a child,
 * not a caller's choice); the calling thread alone. */
#define RUSAGE_SELF	0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_BOTH	(-2)
#define RUSAGE_THREAD	1

/* A time in seconds and microseconds (Linux's struct __kernel_old_timeval,
 * user space's struct timeval). */
struct __kernel_old_timeval {
	long tv_sec;
	long tv_usec;
};

/*
 * What getrusage(2) and wait4(2) report. Every field after the two times
 * is a long; this kernel fills what docs/syscalls.md says (the minor
 * faults) and leaves the rest zero.
 */
struct rusage {
	/* CPU time in user mode and in kernel mode */
	struct __kernel_old_timeval ru_utime;
	struct __kernel_old_timeval ru_stime;
	long ru_maxrss;	  /* largest resident set, KiB */
	long ru_ixrss;	  /* unused by Linux */
	long ru_idrss;	  /* unused by Linux */
	long ru_isrss;	  /* unused by Linux */
	long ru_minflt;	  /* page faults served without I/O */
	long ru_majflt;	  /* page faults that needed I/O */
	long ru_nswap;	  /* unused by Linux */
	long ru_inblock;  /* blocks read from storage */
	long ru_oublock;  /* blocks written to storage */
	long ru_msgsnd;	  /* unused by Linux */
	long ru_msgrcv;	  /* unused by Linux */
	long ru_nsignals; /* unused by Linux */
	long ru_nvcsw;	  /* voluntary context switches */
	long ru_nivcsw;	  /* involuntary context switches */
};

#endif
