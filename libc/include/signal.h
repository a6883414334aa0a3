/*
 * signal.h - signals: numbers, sets, actions and handlers, as glibc's
 * <signal.h> declares them, over the kernel's x86-64 ABI
 * (include/uapi/asm/signal.h, asm/siginfo.h; docs/signals.md).
 * sigaction() installs __restore_rt as every handler's restorer, as
 * glibc does. The wrappers are in libc/signal.c.
 */
#ifndef _SIGNAL_H
#define _SIGNAL_H

#include <sys/types.h>

#include <asm/siginfo.h> /* siginfo_t, si_code values */
#include <asm/signal.h>	 /* SIG*, SA_*, SIG_BLOCK..., stack_t */

#define NSIG	 65
#define SIGRTMIN 34 /* glibc keeps 32 and 33 for its threads */
#define SIGRTMAX 64

typedef __kernel_sigset_t sigset_t;
typedef __sighandler_t sighandler_t;
typedef int sig_atomic_t;

/* glibc's struct sigaction (the kernel's is struct __kernel_sigaction:
 * sigaction() converts). */
struct sigaction {
	union {
		void (*sa_handler)(int);
		void (*sa_sigaction)(int, siginfo_t *, void *);
	};
	sigset_t sa_mask;
	int sa_flags;
	void (*sa_restorer)(void);
};

/*
 * sigaction - set sig's action to *act and store the old one at *oact,
 * each when not NULL. signal - set a plain handler (with SA_RESTART, as
 * glibc's signal() does); returns the old one or SIG_ERR. sigprocmask -
 * block (SIG_BLOCK), unblock (SIG_UNBLOCK) or set (SIG_SETMASK) *set,
 * the old mask at *oset. sigpending - the blocked signals that are
 * pending. sigsuspend - wait for a signal with *mask as the mask: always
 * -1 with EINTR. All return 0 or -1 with errno (EINVAL, EFAULT). The
 * kernel calls: man 2 rt_sigaction etc.
 */
int sigaction(int sig, const struct sigaction *act, struct sigaction *oact);
sighandler_t signal(int sig, sighandler_t handler);
int sigprocmask(int how, const sigset_t *set, sigset_t *oset);
int sigpending(sigset_t *set);
int sigsuspend(const sigset_t *mask);

/* Signal sets: 0, or -1 with EINVAL for a signal outside 1..64;
 * sigismember returns 1 or 0. */
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);

/*
 * kill - send sig to process pid (> 0), to the caller's process group
 * (0), to every process but init and the caller (-1), or to group -pid;
 * sig 0 only checks. killpg - kill(-pgrp, sig). raise - sig to the
 * calling thread. tgkill - sig to thread tid of process tgid. sigqueue -
 * sig with value to process pid (a real-time signal queues; EAGAIN past
 * the kernel's limit). 0, or -1 with errno (ESRCH, EINVAL, EAGAIN).
 */
int kill(pid_t pid, int sig);
int killpg(pid_t pgrp, int sig);
int raise(int sig);
int tgkill(pid_t tgid, pid_t tid, int sig);
int sigqueue(pid_t pid, int sig, const union sigval value);

/*
 * sigaltstack - set the alternate signal stack to *ss (SS_DISABLE: none)
 * and store the old one at *oss. 0, or -1 with errno (EPERM while on it,
 * ENOMEM below MINSIGSTKSZ, EINVAL).
 */
int sigaltstack(const stack_t *ss, stack_t *oss);

#endif
