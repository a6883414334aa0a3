/*
 * sched.h - clone(), sched_yield() and CPU affinity (cpu_set_t,
 * sched_setaffinity, sched_getaffinity), with Linux's CLONE_* values and
 * glibc's cpu_set_t (CPU_SETSIZE bits, CPU n is bit n % 64 of word n / 64).
 */
#ifndef _SCHED_H
#define _SCHED_H

#include <string.h>
#include <sys/types.h>

#define CSIGNAL		     0x000000ff /* exit signal in the low byte */
#define CLONE_VM	     0x00000100
#define CLONE_FS	     0x00000200
#define CLONE_FILES	     0x00000400
#define CLONE_SIGHAND	     0x00000800
#define CLONE_PIDFD	     0x00001000
#define CLONE_PTRACE	     0x00002000
#define CLONE_VFORK	     0x00004000
#define CLONE_PARENT	     0x00008000
#define CLONE_THREAD	     0x00010000
#define CLONE_NEWNS	     0x00020000
#define CLONE_SYSVSEM	     0x00040000
#define CLONE_SETTLS	     0x00080000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED	     0x00400000
#define CLONE_UNTRACED	     0x00800000
#define CLONE_CHILD_SETTID   0x01000000

/*
 * clone - glibc's signature: start a child (thread or process, per flags)
 * that runs fn(arg) on stack (the highest address of its stack area) and
 * exits (exit, not exit_group) with fn's return value. The optional
 * arguments are pid_t *parent_tid, void *tls, pid_t *child_tid.
 * Returns the child's tid to the caller, or -1 with errno set.
 */
int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...);
/* sched_yield - let other runnable tasks run first; returns 0. */
int sched_yield(void);

#define CPU_SETSIZE 1024
#define __NCPUBITS  (8 * sizeof(unsigned long))

typedef struct {
	unsigned long __bits[CPU_SETSIZE / __NCPUBITS];
} cpu_set_t;

/* CPU_ZERO, CPU_SET, CPU_CLR, CPU_ISSET, CPU_COUNT, CPU_EQUAL: glibc's
 * macros on a cpu_set_t; a CPU number beyond CPU_SETSIZE is ignored
 * (CPU_ISSET says 0). */
static inline void __cpu_set(size_t cpu, cpu_set_t *set, int on)
{
	unsigned long bit = 1UL << (cpu % __NCPUBITS);

	if (cpu >= CPU_SETSIZE)
		return;
	if (on)
		set->__bits[cpu / __NCPUBITS] |= bit;
	else
		set->__bits[cpu / __NCPUBITS] &= ~bit;
}

static inline int __cpu_isset(size_t cpu, const cpu_set_t *set)
{
	return cpu < CPU_SETSIZE &&
	       (set->__bits[cpu / __NCPUBITS] >> (cpu % __NCPUBITS)) & 1;
}

#define CPU_ZERO(set)	      memset((set), 0, sizeof(cpu_set_t))
#define CPU_SET(cpu, set)     __cpu_set((size_t)(cpu), (set), 1)
#define CPU_CLR(cpu, set)     __cpu_set((size_t)(cpu), (set), 0)
#define CPU_ISSET(cpu, set)   __cpu_isset((size_t)(cpu), (set))
#define CPU_COUNT(set)	      __sched_cpucount(sizeof(cpu_set_t), (set))
#define CPU_EQUAL(set1, set2) (memcmp((set1), (set2), sizeof(cpu_set_t)) == 0)

/* __sched_cpucount - the number of bits set in the setsize-byte set
 * (what CPU_COUNT expands to, as in glibc). */
int __sched_cpucount(size_t setsize, const cpu_set_t *set);

/*
 * sched_setaffinity - let thread pid (0: the caller) run only on the CPUs
 * in the setsize-byte *mask. Returns 0, or -1 with errno EINVAL (no
 * online CPU in the mask), ESRCH, EFAULT. glibc's, over Linux's call.
 */
int sched_setaffinity(pid_t pid, size_t setsize, const cpu_set_t *mask);

/*
 * sched_getaffinity - store in the setsize-byte *mask the CPUs thread pid
 * (0: the caller) may run on; the bytes the kernel does not fill are
 * zeroed. Returns 0 (not the kernel's byte count: that is the system
 * call's result), or -1 with errno EINVAL (setsize smaller than the
 * kernel's mask or not a multiple of sizeof(long)), ESRCH, EFAULT.
 * glibc's.
 */
int sched_getaffinity(pid_t pid, size_t setsize, cpu_set_t *mask);

/* sched_getcpu - the CPU the caller runs on (maybe stale at once unless
 * its affinity has one CPU), or -1 with errno set. glibc's, over
 * getcpu(2). */
int sched_getcpu(void);

#endif
