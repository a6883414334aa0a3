/*
 * syscall.c - the system-call table and dispatcher. The entry stub
 * (arch/x86_64/syscall_entry.asm) saves the user registers as a struct
 * pt_regs and calls do_syscall(): rax holds the number, rdi, rsi, rdx,
 * r10, r8, r9 the arguments (Linux x86-64, docs/syscalls.md); the result or
 * -errno goes back in rax. Numbers come from include/uapi/asm/unistd.h,
 * include/uapi/poe.h and include/uapi/private.h; every call is declared
 * in kernel/syscalls.h.
 */
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/task_work.h>
#include <kernel/workqueue.h>
#include <kernel/syscalls.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/irqflags.h>
#include <asm/processor-flags.h>
#include <asm/unistd.h>
#include <poe.h>
#include <private.h>

#define MSR_STAR  0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define EFER_SCE  (1UL << 0)

#define NR_SYSCALLS 1100 /* table size: Linux's + our range */

typedef long (*syscall_fn_t)(unsigned long, unsigned long, unsigned long,
			     unsigned long, unsigned long, unsigned long);

void syscall_entry(void);
void syscall_entry_irqsoff(void);

/* Calls that need the user frame itself get it through these wrappers. */
static long sys_fork_wrap(struct pt_regs *r)
{
	return sys_fork(r);
}
static long sys_clone_wrap(struct pt_regs *r)
{
	return sys_clone(r->rdi, r->rsi, (int __user *)r->rdx,
			 (int __user *)r->r10, r->r8, r);
}
static long sys_sigaltstack_wrap(struct pt_regs *r)
{
	return sys_sigaltstack((const stack_t __user *)r->rdi,
			       (stack_t __user *)r->rsi, r);
}
static long sys_execve_wrap(struct pt_regs *r)
{
	return sys_execve((const char __user *)r->rdi,
			  (const char __user *const __user *)r->rsi,
			  (const char __user *const __user *)r->rdx, r);
}

/*
 * Each sys_* keeps its Linux prototype for readers; the table calls all
 * of them with six register-sized arguments, which the x86-64 calling
 * convention makes safe (extra arguments are ignored, each in its own
 * register). The cast through void (*)(void) says this is on purpose.
 */
#define S(nr, fn) [nr] = (syscall_fn_t)(void (*)(void))(fn)

static const syscall_fn_t syscall_table[NR_SYSCALLS] = {
	S(__NR_read, sys_read),
	S(__NR_write, sys_write),
	S(__NR_mmap, sys_mmap),
	S(__NR_munmap, sys_munmap),
	S(__NR_brk, sys_brk),
	S(__NR_mprotect, sys_mprotect),
	S(__NR_madvise, sys_madvise),
	S(__NR_mremap, sys_mremap),
	S(__NR_msync, sys_msync),
	S(__NR_mincore, sys_mincore),
	S(__NR_mlock, sys_mlock),
	S(__NR_munlock, sys_munlock),
	S(__NR_mlockall, sys_mlockall),
	S(__NR_munlockall, sys_munlockall),
	S(__NR_mlock2, sys_mlock2),
	S(__NR_mm_dump, sys_mm_dump),
	S(__NR_fault_stats, sys_fault_stats),
	S(__NR_poe_enable, sys_poe_enable),
	S(__NR_poe_disable, sys_poe_disable),
	S(__NR_poe_stats, sys_poe_stats),
	S(__NR_sched_yield, sys_sched_yield),
	S(__NR_nanosleep, sys_nanosleep),
	S(__NR_getpid, sys_getpid),
	S(__NR_exit, sys_exit),
	S(__NR_wait4, sys_wait4),
	S(__NR_kill, sys_kill),
	S(__NR_uname, sys_uname),
	S(__NR_getrusage, sys_getrusage),
	S(__NR_getppid, sys_getppid),
	S(__NR_personality, sys_personality),
	S(__NR_arch_prctl, sys_arch_prctl),
	S(__NR_gettid, sys_gettid),
	S(__NR_futex, sys_futex),
	S(__NR_sched_setaffinity, sys_sched_setaffinity),
	S(__NR_sched_getaffinity, sys_sched_getaffinity),
	S(__NR_set_tid_address, sys_set_tid_address),
	S(__NR_clock_gettime, sys_clock_gettime),
	S(__NR_exit_group, sys_exit_group),
	S(__NR_getcpu, sys_getcpu),
	S(__NR_gettimeofday, sys_gettimeofday),
	S(__NR_getrlimit, sys_getrlimit),
	S(__NR_sysinfo, sys_sysinfo),
	S(__NR_getuid, sys_getuid),
	S(__NR_getgid, sys_getgid),
	S(__NR_geteuid, sys_geteuid),
	S(__NR_getegid, sys_getegid),
	S(__NR_getresuid, sys_getresuid),
	S(__NR_getresgid, sys_getresgid),
	S(__NR_setrlimit, sys_setrlimit),
	S(__NR_time, sys_time),
	S(__NR_clock_getres, sys_clock_getres),
	S(__NR_clock_nanosleep, sys_clock_nanosleep),
	S(__NR_set_robust_list, sys_set_robust_list),
	S(__NR_get_robust_list, sys_get_robust_list),
	S(__NR_prlimit64, sys_prlimit64),
	S(__NR_getrandom, sys_getrandom),
	S(__NR_rseq, sys_rseq),
	S(__NR_getgroups, sys_getgroups),
	S(__NR_prctl, sys_prctl),
	S(__NR_sync, sys_sync),
	S(__NR_reboot, sys_reboot),
	S(__NR_meminfo, sys_meminfo),
	S(__NR_initrd_list, sys_initrd_list),
	S(__NR_irqsoff_stats, sys_irqsoff_stats),
	/* files (fs/, docs/vfs.md) */
	S(__NR_open, sys_open),
	S(__NR_close, sys_close),
	S(__NR_stat, sys_stat),
	S(__NR_fstat, sys_fstat),
	S(__NR_lstat, sys_lstat),
	S(__NR_lseek, sys_lseek),
	S(__NR_pread64, sys_pread64),
	S(__NR_pwrite64, sys_pwrite64),
	S(__NR_readv, sys_readv),
	S(__NR_writev, sys_writev),
	S(__NR_access, sys_access),
	S(__NR_dup, sys_dup),
	S(__NR_dup2, sys_dup2),
	S(__NR_fcntl, sys_fcntl),
	S(__NR_truncate, sys_truncate),
	S(__NR_ftruncate, sys_ftruncate),
	S(__NR_getcwd, sys_getcwd),
	S(__NR_chdir, sys_chdir),
	S(__NR_fchdir, sys_fchdir),
	S(__NR_rename, sys_rename),
	S(__NR_mkdir, sys_mkdir),
	S(__NR_rmdir, sys_rmdir),
	S(__NR_unlink, sys_unlink),
	S(__NR_readlink, sys_readlink),
	S(__NR_umask, sys_umask),
	S(__NR_getdents64, sys_getdents64),
	S(__NR_openat, sys_openat),
	S(__NR_mkdirat, sys_mkdirat),
	S(__NR_newfstatat, sys_newfstatat),
	S(__NR_unlinkat, sys_unlinkat),
	S(__NR_renameat, sys_renameat),
	S(__NR_readlinkat, sys_readlinkat),
	S(__NR_faccessat, sys_faccessat),
	S(__NR_dup3, sys_dup3),
	S(__NR_renameat2, sys_renameat2),
	/* a file's attributes and links */
	S(__NR_sendfile, sys_sendfile64),
	S(__NR_link, sys_link),
	S(__NR_symlink, sys_symlink),
	S(__NR_chmod, sys_chmod),
	S(__NR_fchmod, sys_fchmod),
	S(__NR_chown, sys_chown),
	S(__NR_fchown, sys_fchown),
	S(__NR_lchown, sys_lchown),
	S(__NR_fchownat, sys_fchownat),
	S(__NR_linkat, sys_linkat),
	S(__NR_symlinkat, sys_symlinkat),
	S(__NR_fchmodat, sys_fchmodat),
	S(__NR_utimensat, sys_utimensat),
	S(__NR_statx, sys_statx),
	S(__NR_syslog, sys_syslog),

	/* pipes (fs/pipe.c) */
	S(__NR_pipe, sys_pipe),
	S(__NR_pipe2, sys_pipe2),

	/* poll, select and ioctl (fs/select.c, fs/ioctl.c) */
	S(__NR_poll, sys_poll),
	S(__NR_select, sys_select),
	S(__NR_pselect6, sys_pselect6),
	S(__NR_ppoll, sys_ppoll),
	S(__NR_ioctl, sys_ioctl),

	/* userfaultfd (fs/userfaultfd.c, docs/userfaultfd.md) */
	S(__NR_userfaultfd, sys_userfaultfd),

	/* signals, timers, process groups (kernel/signal.c) */
	S(__NR_rt_sigaction, sys_rt_sigaction),
	S(__NR_rt_sigprocmask, sys_rt_sigprocmask),
	S(__NR_rt_sigpending, sys_rt_sigpending),
	S(__NR_rt_sigsuspend, sys_rt_sigsuspend),
	S(__NR_rt_sigqueueinfo, sys_rt_sigqueueinfo),
	S(__NR_rt_tgsigqueueinfo, sys_rt_tgsigqueueinfo),
	S(__NR_pause, sys_pause),
	S(__NR_tkill, sys_tkill),
	S(__NR_tgkill, sys_tgkill),
	S(__NR_restart_syscall, sys_restart_syscall),
	S(__NR_alarm, sys_alarm),
	S(__NR_getitimer, sys_getitimer),
	S(__NR_setitimer, sys_setitimer),
	S(__NR_setpgid, sys_setpgid),
	S(__NR_getpgid, sys_getpgid),
	S(__NR_getpgrp, sys_getpgrp),
	S(__NR_setsid, sys_setsid),
	S(__NR_getsid, sys_getsid),
};

/* Calls taking the frame; the table above has the rest. */
static long (*const frame_syscalls[NR_SYSCALLS])(struct pt_regs *) = {
	[__NR_fork] = sys_fork_wrap,
	[__NR_vfork] = sys_fork_wrap, /* a copy is a valid vfork */
	[__NR_clone] = sys_clone_wrap,
	[__NR_execve] = sys_execve_wrap,
	[__NR_rt_sigreturn] = sys_rt_sigreturn,
	[__NR_sigaltstack] = sys_sigaltstack_wrap,
};

/* One console line per unknown number, the first time (helps porting). */
static unsigned long enosys_seen[NR_SYSCALLS / 64 + 1];

static long unknown_syscall(unsigned long nr)
{
	bool first = true;

	if (nr < NR_SYSCALLS) {
		first = !(enosys_seen[nr / 64] & (1UL << (nr % 64)));
		enosys_seen[nr / 64] |= 1UL << (nr % 64);
	}
	if (first)
		printk(KERN_NOTICE "syscall: %s (pid %d) called unimplemented "
				   "syscall %lu: -ENOSYS%s\n",
		       current->comm, current->pid, nr,
		       nr < NR_SYSCALLS ? "" : " (reported every time)");
	return -ENOSYS;
}

void do_syscall(struct pt_regs *regs)
{
	unsigned long nr = regs->rax;
	long ret;

	local_irq_enable();
	if (nr < NR_SYSCALLS && frame_syscalls[nr])
		ret = frame_syscalls[nr](regs);
	else if (nr < NR_SYSCALLS && syscall_table[nr])
		ret = syscall_table[nr](regs->rdi, regs->rsi, regs->rdx,
					regs->r10, regs->r8, regs->r9);
	else
		ret = unknown_syscall(nr);
	if (!(nr == __NR_execve && ret == 0))
		regs->rax = (unsigned long)ret;
	local_irq_disable();
	exit_to_user_mode(regs);
}

void exit_to_user_mode(struct pt_regs *regs)
{
	for (;;) {
		/* Each time round: schedule() may move us to another CPU. */
		struct percpu *cpu = this_cpu();

		if (signal_pending(current)) {
			/* Deliver: a handler's frame, a restart, or the end
			 * of the process (kernel/signal.c get_signal()). */
			local_irq_enable();
			arch_do_signal_or_restart(regs);
			local_irq_disable();
			continue;
		}
		if (READ_ONCE(current->task_works)) {
			/* Work left to this task by code that could not
			 * sleep (POE's refill batch): interrupts on. */
			local_irq_enable();
			task_work_run();
			local_irq_disable();
			continue;
		}
		if (!cpu->need_resched)
			break;
		schedule();
	}
	/* The iretq or sysret ahead turns interrupts on. */
	if (unlikely(irqsoff_tracing))
		trace_hardirqs_on();
}

void syscall_init(void)
{
	/*
	 * Everything here is per CPU (MSRs and EFER), nothing global: the
	 * boot CPU calls it from kmain(), every other CPU from
	 * start_secondary() (arch/x86_64/smpboot.c), as Linux calls its
	 * syscall_init() from each CPU's cpu_init().
	 */
	/* STAR: kernel CS/SS from 0x08/0x10; sysret would use 0x18 + 16 =
	 * user CS 0x2b and 0x18 + 8 = user SS 0x23 (arch/x86_64/gdt.c). */
	wrmsr(MSR_STAR,
	      ((u64)(__USER32_CS & ~3) << 48) | ((u64)__KERNEL_CS << 32));
	/* The traced entry stamps the start of its interrupts-off section
	 * (kernel/irqsoff.c), then goes on into syscall_entry. */
	wrmsr(MSR_LSTAR, irqsoff_tracing ? (u64)syscall_entry_irqsoff :
					   (u64)syscall_entry);
	/*
	 * The kernel starts every system call with these RFLAGS bits clear,
	 * whatever user mode left in them: the same mask as Linux's
	 * syscall_init(). NT matters most: in 64-bit mode an iretq with NT
	 * set takes a #GP, so a user NT left in the kernel's RFLAGS would
	 * crash the kernel on its way back, or in whichever task it switched
	 * to. No MSR_CSTAR: without a 32-bit user code segment (gdt.c) no
	 * program can execute `syscall` in compatibility mode.
	 */
	wrmsr(MSR_FMASK, X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF |
				 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_TF |
				 X86_EFLAGS_IF | X86_EFLAGS_DF | X86_EFLAGS_OF |
				 X86_EFLAGS_IOPL | X86_EFLAGS_NT |
				 X86_EFLAGS_RF | X86_EFLAGS_AC | X86_EFLAGS_ID);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}
