/*
 * sched.h - clone() and sched_yield(), with Linux's CLONE_* values.
 */
#ifndef _SCHED_H
#define _SCHED_H

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

#endif
