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

#endif
