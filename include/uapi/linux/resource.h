/*
 * resource.h (include/uapi/linux/resource.h) - getrusage(2)'s and
 * getrlimit(2)'s ABI, with Linux's values and layout (the file of the
 * same name in Linux's uapi, and asm-generic/resource.h): the `who`
 * values and struct rusage, 144 bytes on x86-64; the RLIMIT_* resources
 * and struct rlimit64. Shared by the kernel (kernel/rusage.c,
 * kernel/resource.c, wait4 in kernel/exit.c) and libc
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

/* The resources of getrlimit(2), setrlimit(2) and prlimit(2): Linux's
 * numbers (asm-generic/resource.h). */
#define RLIMIT_CPU	  0  /* CPU time, seconds */
#define RLIMIT_FSIZE	  1  /* largest file, bytes */
#define RLIMIT_DATA	  2  /* data segment and private mappings, bytes */
#define RLIMIT_STACK	  3  /* main thread's stack, bytes */
#define RLIMIT_CORE	  4  /* largest core file, bytes */
#define RLIMIT_RSS	  5  /* resident set, bytes (ignored by Linux) */
#define RLIMIT_NPROC	  6  /* processes of the real user id */
#define RLIMIT_NOFILE	  7  /* open fds (one more than the highest) */
#define RLIMIT_MEMLOCK	  8  /* locked memory, bytes */
#define RLIMIT_AS	  9  /* address space, bytes */
#define RLIMIT_LOCKS	  10 /* file locks */
#define RLIMIT_SIGPENDING 11 /* queued signals */
#define RLIMIT_MSGQUEUE	  12 /* POSIX message queues, bytes */
#define RLIMIT_NICE	  13 /* ceiling of the nice value, as 20 - nice */
#define RLIMIT_RTPRIO	  14 /* real-time priority */
#define RLIMIT_RTTIME	  15 /* real-time CPU time without a sleep, us */
#define RLIM_NLIMITS	  16

#define RLIM_INFINITY (~0UL) /* no limit */

/* One limit: soft (rlim_cur, what is enforced) and hard (rlim_max, the
 * ceiling of the soft one). Linux's struct rlimit64; on x86-64 struct
 * rlimit has the same layout. */
struct rlimit64 {
	unsigned long long rlim_cur;
	unsigned long long rlim_max;
};

#endif
