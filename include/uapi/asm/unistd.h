/*
 * unistd.h - Linux x86-64 system-call numbers (arch/x86/entry/syscalls/
 * syscall_64.tbl) for the calls this kernel implements or will soon.
 * Shared by the kernel's syscall table (kernel/syscall.c) and libc.
 */
#ifndef UAPI_ASM_UNISTD_H
#define UAPI_ASM_UNISTD_H

#define __NR_read	     0
#define __NR_write	     1
#define __NR_open	     2
#define __NR_close	     3
#define __NR_mmap	     9
#define __NR_mprotect	     10
#define __NR_munmap	     11
#define __NR_brk	     12
#define __NR_rt_sigaction    13
#define __NR_rt_sigprocmask  14
#define __NR_ioctl	     16
#define __NR_writev	     20
#define __NR_sched_yield     24
#define __NR_madvise	     28
#define __NR_nanosleep	     35
#define __NR_getpid	     39
#define __NR_clone	     56
#define __NR_fork	     57
#define __NR_vfork	     58
#define __NR_execve	     59
#define __NR_exit	     60
#define __NR_wait4	     61
#define __NR_kill	     62
#define __NR_uname	     63
#define __NR_getrusage	     98
#define __NR_getppid	     110
#define __NR_personality     135
#define __NR_arch_prctl	     158
#define __NR_gettid	     186
#define __NR_futex	     202
#define __NR_set_tid_address 218
#define __NR_clock_gettime   228
#define __NR_exit_group	     231

/* CPU affinity, and which CPU a thread runs on (kernel/sys.c) */
#define __NR_sched_setaffinity 203
#define __NR_sched_getaffinity 204
#define __NR_getcpu	       309

/* signals, timers, process groups (kernel/signal.c) */
#define __NR_rt_sigreturn      15
#define __NR_pause	       34
#define __NR_getitimer	       36
#define __NR_alarm	       37
#define __NR_setitimer	       38
#define __NR_setpgid	       109
#define __NR_getpgrp	       111
#define __NR_setsid	       112
#define __NR_getpgid	       121
#define __NR_getsid	       124
#define __NR_rt_sigpending     127
#define __NR_rt_sigqueueinfo   129
#define __NR_rt_sigsuspend     130
#define __NR_sigaltstack       131
#define __NR_tkill	       200
#define __NR_restart_syscall   219
#define __NR_tgkill	       234
#define __NR_rt_tgsigqueueinfo 297

/* the rest of the mmap family (mm/mremap.c, mm/msync.c, mm/mincore.c,
 * mm/mlock.c) */
#define __NR_mremap	25
#define __NR_msync	26
#define __NR_mincore	27
#define __NR_mlock	149
#define __NR_munlock	150
#define __NR_mlockall	151
#define __NR_munlockall 152
#define __NR_mlock2	325

#endif
