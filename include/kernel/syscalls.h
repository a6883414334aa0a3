/*
 * syscalls.h - every system call the kernel implements, with Linux's
 * prototypes (include/uapi/asm/unistd.h has the numbers, kernel/syscall.c
 * the table). Arguments arrive in rdi, rsi, rdx, r10, r8, r9; the result,
 * or -errno, goes back in rax (docs/syscalls.md). Each call's contract
 * (what it does, its errors, the Linux call or man page it follows) is
 * the comment at its definition, in the file named above its group.
 */
#ifndef KERNEL_SYSCALLS_H
#define KERNEL_SYSCALLS_H

#include <kernel/types.h>
#include <kernel/uaccess.h>
#include <asm/ptrace.h>
#include <uapi/asm/siginfo.h>
#include <uapi/asm/signal.h>

struct timespec_k {
	s64 tv_sec;
	s64 tv_nsec;
};

/* fs/: files (docs/vfs.md). read_write.c, open.c, file.c, fcntl.c,
 * stat.c, readdir.c, namei.c, fs_struct.c */
struct iovec;
struct stat;
long sys_read(unsigned int fd, char __user *buf, size_t count);
long sys_write(unsigned int fd, const char __user *buf, size_t count);
long sys_readv(unsigned long fd, const struct iovec __user *vec,
	       unsigned long vlen);
long sys_writev(unsigned long fd, const struct iovec __user *vec,
		unsigned long vlen);
long sys_pread64(unsigned int fd, char __user *buf, size_t count,
		 long long pos);
long sys_pwrite64(unsigned int fd, const char __user *buf, size_t count,
		  long long pos);
long sys_lseek(unsigned int fd, long offset, unsigned int whence);
long sys_openat(int dfd, const char __user *path, int flags, unsigned int mode);
long sys_open(const char __user *path, int flags, unsigned int mode);
long sys_close(unsigned int fd);
long sys_faccessat(int dfd, const char __user *path, int mode);
long sys_access(const char __user *path, int mode);
long sys_truncate(const char __user *path, long length);
long sys_ftruncate(unsigned int fd, long length);
long sys_dup(unsigned int fd);
long sys_dup2(unsigned int oldfd, unsigned int newfd);
long sys_dup3(unsigned int oldfd, unsigned int newfd, int flags);
long sys_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg);
long sys_newfstatat(int dfd, const char __user *path,
		    struct stat __user *statbuf, int flags);
long sys_stat(const char __user *path, struct stat __user *statbuf);
long sys_lstat(const char __user *path, struct stat __user *statbuf);
long sys_fstat(unsigned int fd, struct stat __user *statbuf);
long sys_readlinkat(int dfd, const char __user *path, char __user *buf,
		    int bufsiz);
long sys_readlink(const char __user *path, char __user *buf, int bufsiz);
long sys_getdents64(unsigned int fd, void __user *dirent, unsigned int count);
long sys_mkdirat(int dfd, const char __user *path, unsigned int mode);
long sys_mkdir(const char __user *path, unsigned int mode);
long sys_unlinkat(int dfd, const char __user *path, int flags);
long sys_unlink(const char __user *path);
long sys_rmdir(const char __user *path);
long sys_renameat2(int olddfd, const char __user *oldpath, int newdfd,
		   const char __user *newpath, unsigned int flags);
long sys_renameat(int olddfd, const char __user *oldpath, int newdfd,
		  const char __user *newpath);
long sys_rename(const char __user *oldpath, const char __user *newpath);
long sys_umask(int mask);
long sys_chdir(const char __user *path);
long sys_fchdir(unsigned int fd);
/* a file's attributes and links: utimes.c, open.c, namei.c */
long sys_utimensat(int dfd, const char __user *path,
		   const struct timespec_k __user *utimes, int flags);
long sys_fchmodat(int dfd, const char __user *path, unsigned int mode);
long sys_chmod(const char __user *path, unsigned int mode);
long sys_fchmod(unsigned int fd, unsigned int mode);
long sys_fchownat(int dfd, const char __user *path, unsigned int user,
		  unsigned int group, int flags);
long sys_chown(const char __user *path, unsigned int user, unsigned int group);
long sys_lchown(const char __user *path, unsigned int user, unsigned int group);
long sys_fchown(unsigned int fd, unsigned int user, unsigned int group);
long sys_symlinkat(const char __user *target, int newdfd,
		   const char __user *linkpath);
long sys_symlink(const char __user *target, const char __user *linkpath);
long sys_linkat(int olddfd, const char __user *oldpath, int newdfd,
		const char __user *newpath, int flags);
long sys_link(const char __user *oldpath, const char __user *newpath);
long sys_sendfile64(int out_fd, int in_fd, long long __user *offset,
		    size_t count);
long sys_syslog(int type, char __user *buf, int len);
struct statx;
long sys_statx(int dfd, const char __user *path, unsigned int flags,
	       unsigned int mask, struct statx __user *buffer);
long sys_getcwd(char __user *buf, unsigned long size);

/* kernel/fork.c, kernel/exit.c */
long sys_fork(struct pt_regs *regs);
long sys_clone(unsigned long flags, unsigned long newsp, int __user *parent_tid,
	       int __user *child_tid, unsigned long tls, struct pt_regs *regs);
long sys_exit(int code);
long sys_exit_group(int code);
long sys_wait4(int pid, int __user *status, int options, void __user *rusage);
long sys_kill(int pid, int sig);

/* kernel/sys.c, kernel/futex.c (sys_futex) */
long sys_getpid(void);
long sys_getppid(void);
long sys_gettid(void);
long sys_sched_yield(void);
long sys_sched_setaffinity(int pid, unsigned int len,
			   const unsigned long __user *user_mask_ptr);
long sys_sched_getaffinity(int pid, unsigned int len,
			   unsigned long __user *user_mask_ptr);
long sys_getcpu(unsigned int __user *cpu, unsigned int __user *node,
		void __user *unused);
long sys_nanosleep(const struct timespec_k __user *req,
		   struct timespec_k __user *rem);
long sys_clock_gettime(int clock, struct timespec_k __user *tp);
long sys_uname(void __user *buf);
long sys_arch_prctl(int code, unsigned long addr);
struct task;
/*
 * do_arch_prctl_64 - arch_prctl() on any task (kernel/sys.c): for
 * ARCH_SET_FS, make arg2 task's FS base (and load it now if task is the
 * caller); for ARCH_GET_FS, store task's FS base at user address arg2.
 * Returns 0, -EPERM (a base at or above TASK_SIZE_MAX), -EFAULT, -EINVAL
 * (another option). clone's CLONE_SETTLS goes through it too, so both
 * refuse the same bases. Linux's do_arch_prctl_64().
 */
long do_arch_prctl_64(struct task *task, int option, unsigned long arg2);
long sys_set_tid_address(int __user *tidptr);
long sys_futex(u32 __user *uaddr, int op, u32 val,
	       const struct timespec_k __user *timeout, u32 __user *uaddr2,
	       u32 val3);
long sys_set_robust_list(void __user *head, size_t len);
long sys_get_robust_list(int pid, void __user *__user *head_ptr,
			 size_t __user *len_ptr);
long sys_getuid(void);
long sys_geteuid(void);
long sys_getgid(void);
long sys_getegid(void);
long sys_getresuid(unsigned int __user *ruid, unsigned int __user *euid,
		   unsigned int __user *suid);
long sys_getresgid(unsigned int __user *rgid, unsigned int __user *egid,
		   unsigned int __user *sgid);
long sys_clock_getres(int clock, struct timespec_k __user *tp);
long sys_clock_nanosleep(int clock, int flags,
			 const struct timespec_k __user *req,
			 struct timespec_k __user *rem);
struct __kernel_old_timeval;
long sys_gettimeofday(struct __kernel_old_timeval __user *tv, void __user *tz);
long sys_time(long __user *tloc);
long sys_sysinfo(void __user *info);
long sys_rseq(void __user *rseq, u32 rseq_len, int flags, u32 sig);
long sys_prctl(int option, unsigned long arg2, unsigned long arg3,
	       unsigned long arg4, unsigned long arg5);
long sys_getgroups(int size, unsigned int __user *list);
long sys_sync(void);
long sys_reboot(int magic1, int magic2, unsigned int cmd, void __user *arg);
long sys_meminfo(void __user *info);

/* kernel/random.c */
long sys_getrandom(char __user *buf, size_t count, unsigned int flags);

/* kernel/resource.c: resource limits */
struct rlimit64;
long sys_getrlimit(unsigned int resource, struct rlimit64 __user *rlim);
long sys_setrlimit(unsigned int resource, const struct rlimit64 __user *rlim);
long sys_prlimit64(int pid, unsigned int resource,
		   const struct rlimit64 __user *new_rlim,
		   struct rlimit64 __user *old_rlim);

/* kernel/rusage.c */
struct rusage;
long sys_getrusage(int who, struct rusage __user *ru);

/* kernel/exec.c */
long sys_execve(const char __user *path, const char __user *const __user *argv,
		const char __user *const __user *envp, struct pt_regs *regs);
long sys_personality(unsigned int persona);

/* mm/mmap.c, mm/mm_dump.c: VMAs with demand paging and copy-on-write */
long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
	      unsigned long flags, unsigned long fd, unsigned long off);
long sys_munmap(unsigned long addr, unsigned long len);
long sys_brk(unsigned long brk);
long sys_mprotect(unsigned long addr, unsigned long len, unsigned long prot);
long sys_madvise(unsigned long addr, unsigned long len, int advice);

/* mm/mremap.c, mm/msync.c, mm/mincore.c, mm/mlock.c */
long sys_mremap(unsigned long addr, unsigned long old_len,
		unsigned long new_len, unsigned long flags,
		unsigned long new_addr);
long sys_msync(unsigned long start, size_t len, int flags);
long sys_mincore(unsigned long start, size_t len, unsigned char __user *vec);
long sys_mlock(unsigned long start, size_t len);
long sys_mlock2(unsigned long start, size_t len, int flags);
long sys_munlock(unsigned long start, size_t len);
long sys_mlockall(int flags);
long sys_munlockall(void);
long sys_mm_dump(unsigned long start, unsigned long end);
long sys_fault_stats(void __user *buf, size_t size);

/* kernel/irqsoff.c: the interrupts-off tracer's record */
long sys_irqsoff_stats(void __user *buf, size_t size);

/* mm/poe.c: the POE pipeline's private calls (include/uapi/poe.h) */
long sys_poe_enable(unsigned long flags);
long sys_poe_disable(void);
long sys_poe_stats(void __user *buf, size_t size);

/* kernel/initrd.c */
long sys_initrd_list(char __user *buf, size_t size);

/* syscall_init - program STAR/LSTAR/FMASK and enable syscall (EFER.SCE)
 * on this CPU. Every CPU calls it once as it comes up. Linux's. */
void syscall_init(void);

/* do_syscall - called by the syscall entry stub with the user frame. */
void do_syscall(struct pt_regs *regs);

/* kernel/signal.c, arch/x86_64/signal.c: signals, ITIMER_REAL, process
 * groups and sessions (docs/signals.md) */
struct __kernel_sigaction;
long sys_rt_sigaction(int sig, const struct __kernel_sigaction __user *act,
		      struct __kernel_sigaction __user *oact,
		      size_t sigsetsize);
long sys_rt_sigprocmask(int how, const __kernel_sigset_t __user *nset,
			__kernel_sigset_t __user *oset, size_t sigsetsize);
long sys_rt_sigpending(__kernel_sigset_t __user *uset, size_t sigsetsize);
long sys_rt_sigsuspend(const __kernel_sigset_t __user *unewset,
		       size_t sigsetsize);
long sys_rt_sigreturn(struct pt_regs *regs);
long sys_rt_sigqueueinfo(int tgid, int sig, const siginfo_t __user *uinfo);
long sys_rt_tgsigqueueinfo(int tgid, int tid, int sig,
			   const siginfo_t __user *uinfo);
long sys_sigaltstack(const stack_t __user *uss, stack_t __user *uoss,
		     struct pt_regs *regs);
long sys_pause(void);
long sys_tkill(int tid, int sig);
long sys_tgkill(int tgid, int tid, int sig);
long sys_restart_syscall(void);
long sys_alarm(unsigned int seconds);
long sys_getitimer(int which, void __user *value);
long sys_setitimer(int which, const void __user *value, void __user *ovalue);
long sys_setpgid(int pid, int pgid);
long sys_getpgid(int pid);
long sys_getpgrp(void);
long sys_setsid(void);
long sys_getsid(int pid);

/* fs/pipe.c: pipes (docs/vfs.md) */
long sys_pipe(int __user *fildes);
long sys_pipe2(int __user *fildes, int flags);

/* fs/select.c, fs/ioctl.c: poll, select and ioctl (docs/vfs.md) */
struct pollfd;
long sys_poll(struct pollfd __user *ufds, unsigned int nfds, int timeout_msecs);
long sys_ppoll(struct pollfd __user *ufds, unsigned int nfds,
	       struct timespec_k __user *tsp,
	       const __kernel_sigset_t __user *sigmask, size_t sigsetsize);
long sys_select(int n, unsigned long __user *inp, unsigned long __user *outp,
		unsigned long __user *exp, struct timespec_k __user *tvp);
long sys_pselect6(int n, unsigned long __user *inp, unsigned long __user *outp,
		  unsigned long __user *exp, struct timespec_k __user *tsp,
		  void __user *sig);
long sys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg);

/* fs/userfaultfd.c: userfaultfd (docs/userfaultfd.md) */
long sys_userfaultfd(int flags);

#endif
