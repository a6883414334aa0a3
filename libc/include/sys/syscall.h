/*
 * sys/syscall.h - system-call numbers: Linux's (__NR_*, shared with the
 * kernel in include/uapi/asm/unistd.h) with glibc's SYS_* aliases for the
 * common ones, for syscall().
 */
#ifndef _SYS_SYSCALL_H
#define _SYS_SYSCALL_H

#include <asm/unistd.h>

#define SYS_read	  __NR_read
#define SYS_write	  __NR_write
#define SYS_mmap	  __NR_mmap
#define SYS_mprotect	  __NR_mprotect
#define SYS_munmap	  __NR_munmap
#define SYS_brk		  __NR_brk
#define SYS_sched_yield	  __NR_sched_yield
#define SYS_madvise	  __NR_madvise
#define SYS_nanosleep	  __NR_nanosleep
#define SYS_getpid	  __NR_getpid
#define SYS_clone	  __NR_clone
#define SYS_fork	  __NR_fork
#define SYS_execve	  __NR_execve
#define SYS_exit	  __NR_exit
#define SYS_wait4	  __NR_wait4
#define SYS_kill	  __NR_kill
#define SYS_uname	  __NR_uname
#define SYS_getrusage	  __NR_getrusage
#define SYS_getppid	  __NR_getppid
#define SYS_personality	  __NR_personality
#define SYS_gettid	  __NR_gettid
#define SYS_futex	  __NR_futex
#define SYS_clock_gettime __NR_clock_gettime
#define SYS_exit_group	  __NR_exit_group

#define SYS_sched_setaffinity __NR_sched_setaffinity
#define SYS_sched_getaffinity __NR_sched_getaffinity
#define SYS_getcpu	      __NR_getcpu

/* the file calls */
#define SYS_open       __NR_open
#define SYS_close      __NR_close
#define SYS_openat     __NR_openat
#define SYS_lseek      __NR_lseek
#define SYS_getdents64 __NR_getdents64
#define SYS_readv      __NR_readv
#define SYS_writev     __NR_writev
#define SYS_pread64    __NR_pread64
#define SYS_pwrite64   __NR_pwrite64
#define SYS_dup3       __NR_dup3
#define SYS_fcntl      __NR_fcntl
#define SYS_newfstatat __NR_newfstatat
#define SYS_fstat      __NR_fstat
#define SYS_getcwd     __NR_getcwd
#define SYS_renameat2  __NR_renameat2
#define SYS_readlinkat __NR_readlinkat
#define SYS_faccessat  __NR_faccessat
#define SYS_utimensat  __NR_utimensat
#define SYS_fchmodat   __NR_fchmodat
#define SYS_fchownat   __NR_fchownat
#define SYS_linkat     __NR_linkat
#define SYS_symlinkat  __NR_symlinkat
#define SYS_statx      __NR_statx
#define SYS_sendfile   __NR_sendfile
#define SYS_syslog     __NR_syslog

/* poll and ioctl */
#define SYS_poll     __NR_poll
#define SYS_ppoll    __NR_ppoll
#define SYS_select   __NR_select
#define SYS_pselect6 __NR_pselect6
#define SYS_ioctl    __NR_ioctl

/* signals (kernel/signal.c) */
#define SYS_rt_sigaction      __NR_rt_sigaction
#define SYS_rt_sigprocmask    __NR_rt_sigprocmask
#define SYS_rt_sigreturn      __NR_rt_sigreturn
#define SYS_rt_sigqueueinfo   __NR_rt_sigqueueinfo
#define SYS_rt_tgsigqueueinfo __NR_rt_tgsigqueueinfo
#define SYS_sigaltstack	      __NR_sigaltstack
#define SYS_tkill	      __NR_tkill
#define SYS_tgkill	      __NR_tgkill

#endif
