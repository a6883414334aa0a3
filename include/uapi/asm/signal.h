/*
 * signal.h - signal numbers, sigaction flags and the kernel's struct
 * sigaction and stack_t, with Linux's x86-64 values and layouts
 * (arch/x86/include/uapi/asm/signal.h, include/uapi/asm-generic/
 * signal-defs.h). Shared by the kernel (kernel/signal.c) and libc
 * (libc/include/signal.h), so both read one definition.
 */
#ifndef UAPI_ASM_SIGNAL_H
#define UAPI_ASM_SIGNAL_H

/* clang-format off */
#define SIGHUP		 1
#define SIGINT		 2
#define SIGQUIT		 3
#define SIGILL		 4
#define SIGTRAP		 5
#define SIGABRT		 6
#define SIGIOT		 6
#define SIGBUS		 7
#define SIGFPE		 8
#define SIGKILL		 9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPOLL		SIGIO
#define SIGPWR		30
#define SIGSYS		31
#define __SIGRTMIN	32 /* the kernel's; glibc reserves 32 and 33 */
#define __SIGRTMAX	64
#define _NSIG		64 /* signals 1.._NSIG */

/* sa_flags (Linux's asm-generic/signal-defs.h and x86's SA_RESTORER) */
#define SA_NOCLDSTOP	0x00000001
#define SA_NOCLDWAIT	0x00000002
#define SA_SIGINFO	0x00000004
#define SA_RESTORER	0x04000000
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000u
#define SA_NOMASK	SA_NODEFER
#define SA_ONESHOT	SA_RESETHAND

/* rt_sigprocmask's how */
#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

/* sigaltstack: ss_flags, and the smallest stack it accepts (bytes) */
#define SS_ONSTACK	1
#define SS_DISABLE	2
#define SS_AUTODISARM	(1u << 31)
#define MINSIGSTKSZ	2048
#define SIGSTKSZ	8192
/* clang-format on */

typedef void (*__sighandler_t)(int);

#define SIG_DFL ((__sighandler_t)0)  /* the default action */
#define SIG_IGN ((__sighandler_t)1)  /* ignore the signal */
#define SIG_ERR ((__sighandler_t)-1) /* libc's error return */

/* A set of the 64 signals: bit n - 1 is signal n (Linux's sigset_t on
 * x86-64, _NSIG_WORDS = 1). */
typedef struct {
	unsigned long sig[1];
} __kernel_sigset_t;

/* rt_sigaction(2)'s struct, as the x86-64 kernel reads it (Linux's
 * struct sigaction with SA_RESTORER): handler, flags, restorer, mask. */
struct __kernel_sigaction {
	__sighandler_t handler;
	unsigned long flags;
	void (*restorer)(void);
	__kernel_sigset_t mask;
};

/* sigaltstack(2)'s stack_t (Linux's, x86-64: 24 bytes). */
typedef struct sigaltstack {
	void *ss_sp;
	int ss_flags;
	unsigned long ss_size; /* bytes */
} stack_t;

#endif
