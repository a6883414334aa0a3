/*
 * siginfo.h - siginfo_t, 128 bytes, in Linux's x86-64 layout
 * (include/uapi/asm-generic/siginfo.h): the signal, an errno, a code
 * saying who sent it or why, then a union whose member depends on the
 * code. Shared by the kernel and libc.
 */
#ifndef UAPI_ASM_SIGINFO_H
#define UAPI_ASM_SIGINFO_H

typedef union sigval {
	int sival_int;
	void *sival_ptr;
} sigval_t;

#define SI_MAX_SIZE 128

typedef struct siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	/* 4 bytes of padding: the union is 8-byte aligned (offset 16) */
	union {
		int _pad[(SI_MAX_SIZE - 16) / sizeof(int)];
		struct { /* kill(), tkill() */
			int _pid;
			unsigned int _uid;
		} _kill;
		struct { /* POSIX timers */
			int _tid;
			int _overrun;
			sigval_t _sigval;
			int _sys_private;
		} _timer;
		struct { /* sigqueue(), rt_sigqueueinfo() */
			int _pid;
			unsigned int _uid;
			sigval_t _sigval;
		} _rt;
		struct { /* SIGCHLD */
			int _pid;
			unsigned int _uid;
			int _status;
			long _utime, _stime; /* clock ticks */
		} _sigchld;
		struct { /* SIGILL, SIGFPE, SIGSEGV, SIGBUS, SIGTRAP */
			void *_addr;
			short _addr_lsb;
		} _sigfault;
	} _sifields;
} siginfo_t;

#define si_pid	    _sifields._kill._pid
#define si_uid	    _sifields._kill._uid
#define si_tid	    _sifields._timer._tid
#define si_overrun  _sifields._timer._overrun
#define si_status   _sifields._sigchld._status
#define si_utime    _sifields._sigchld._utime
#define si_stime    _sifields._sigchld._stime
#define si_value    _sifields._rt._sigval
#define si_int	    _sifields._rt._sigval.sival_int
#define si_ptr	    _sifields._rt._sigval.sival_ptr
#define si_addr	    _sifields._sigfault._addr
#define si_addr_lsb _sifields._sigfault._addr_lsb

/* clang-format off */
/* si_code: who sent it (<= 0: user space, SI_KERNEL: the kernel) */
#define SI_USER		0
#define SI_KERNEL	0x80
#define SI_QUEUE	-1
#define SI_TIMER	-2
#define SI_MESGQ	-3
#define SI_ASYNCIO	-4
#define SI_SIGIO	-5
#define SI_TKILL	-6

/* si_code: why a fault signal came */
#define ILL_ILLOPC	1
#define ILL_ILLOPN	2
#define FPE_INTDIV	1
#define FPE_INTOVF	2
#define SEGV_MAPERR	1 /* nothing mapped at si_addr */
#define SEGV_ACCERR	2 /* mapped, but the access is not allowed */
#define BUS_ADRALN	1
#define BUS_ADRERR	2
#define TRAP_BRKPT	1
#define TRAP_TRACE	2
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
/* clang-format on */

#endif
