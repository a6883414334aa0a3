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

/* ids, limits, time, randomness, robust futexes (kernel/sys.c,
 * kernel/resource.c, kernel/random.c, kernel/futex.c): what a static
 * musl or glibc program calls before main() and in its threads */
#define __NR_gettimeofday    96
#define __NR_getrlimit	     97
#define __NR_sysinfo	     99
#define __NR_getuid	     102
#define __NR_getgid	     104
#define __NR_geteuid	     107
#define __NR_getegid	     108
#define __NR_getresuid	     118
#define __NR_getresgid	     120
#define __NR_getgroups	     115
#define __NR_prctl	     157
#define __NR_sync	     162
#define __NR_reboot	     169
#define __NR_setrlimit	     160
#define __NR_time	     201
#define __NR_clock_getres    229
#define __NR_clock_nanosleep 230
#define __NR_set_robust_list 273
#define __NR_get_robust_list 274
#define __NR_prlimit64	     302
#define __NR_getrandom	     318
#define __NR_rseq	     334

/* Files (fs/): the VFS, ramfs and the file descriptors. */
#define __NR_stat	4
#define __NR_fstat	5
#define __NR_lstat	6
#define __NR_lseek	8
#define __NR_pread64	17
#define __NR_pwrite64	18
#define __NR_readv	19
#define __NR_access	21
#define __NR_dup	32
#define __NR_dup2	33
#define __NR_fcntl	72
#define __NR_truncate	76
#define __NR_ftruncate	77
#define __NR_getcwd	79
#define __NR_chdir	80
#define __NR_fchdir	81
#define __NR_rename	82
#define __NR_mkdir	83
#define __NR_rmdir	84
#define __NR_unlink	87
#define __NR_readlink	89
#define __NR_umask	95
#define __NR_getdents64 217
#define __NR_openat	257
#define __NR_mkdirat	258
#define __NR_newfstatat 262
#define __NR_unlinkat	263
#define __NR_renameat	264
#define __NR_readlinkat 267
#define __NR_faccessat	269
#define __NR_dup3	292
#define __NR_renameat2	316

/* a file's attributes and links (fs/utimes.c, fs/open.c, fs/namei.c,
 * fs/stat.c, fs/read_write.c); the kernel's messages (kernel/syslog.c) */
#define __NR_sendfile  40
#define __NR_link      86
#define __NR_symlink   88
#define __NR_chmod     90
#define __NR_fchmod    91
#define __NR_chown     92
#define __NR_fchown    93
#define __NR_lchown    94
#define __NR_fchownat  260
#define __NR_linkat    265
#define __NR_symlinkat 266
#define __NR_fchmodat  268
#define __NR_utimensat 280
#define __NR_statx     332
#define __NR_syslog    103

/* pipes (fs/pipe.c) */
#define __NR_pipe  22
#define __NR_pipe2 293

/* poll, select and ioctl (fs/select.c, fs/ioctl.c) */
#define __NR_poll     7
#define __NR_select   23
#define __NR_pselect6 270
#define __NR_ppoll    271

/* userfaultfd (fs/userfaultfd.c, docs/userfaultfd.md) */
#define __NR_userfaultfd 323

#endif
