/*
 * fork.c - creating processes and threads (include/kernel/syscalls.h), as
 * Linux's kernel/fork.c. The child gets a copy of the parent's user frame
 * (so it returns from the same system call, with 0 in rax) and either a
 * copy of the address space (fork) or the same one (CLONE_VM). Its first
 * run starts at ret_from_fork below, which leaves for user mode.
 */
#include <kernel/errno.h>
#include <kernel/fdtable.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/string.h>

#include <kernel/signal.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <mm/kstack.h>
#include <mm/page_alloc.h>
#include <mm/user_mm.h>
#include <asm/irqflags.h>
#include <asm/prctl.h>
#include <asm/traps.h>

#define CLONE_VM	     0x00000100
#define CLONE_FS	     0x00000200
#define CLONE_FILES	     0x00000400
#define CLONE_SIGHAND	     0x00000800
#define CLONE_PTRACE	     0x00002000
#define CLONE_VFORK	     0x00004000
#define CLONE_PARENT	     0x00008000
#define CLONE_THREAD	     0x00010000
#define CLONE_SYSVSEM	     0x00040000
#define CLONE_SETTLS	     0x00080000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED	     0x00400000
#define CLONE_UNTRACED	     0x00800000
#define CLONE_CHILD_SETTID   0x01000000
#define CLONE_IO	     0x80000000UL
#define CSIGNAL		     0x000000ff

/*
 * Flags we accept. CLONE_FILES and CLONE_FS share the fd table and the
 * cwd (fs/file.c, fs/fs_struct.c); CLONE_SIGHAND and CLONE_THREAD share
 * the signal handlers and the process's signal state (copy_signal()).
 * The other resources they share (SysV semaphores, the I/O context) do
 * not exist here, so sharing them is trivially true; CLONE_PTRACE and
 * CLONE_UNTRACED only matter to a
 * tracer, and there is none; Linux ignores CLONE_DETACHED. The rest
 * (namespaces, pidfds, cgroups) is refused with -EINVAL.
 */
#define CLONE_SUPPORTED                                                \
	(CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
	 CLONE_PTRACE | CLONE_VFORK | CLONE_PARENT | CLONE_THREAD |    \
	 CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |          \
	 CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_UNTRACED |      \
	 CLONE_CHILD_SETTID | CLONE_IO)

/*
 * The most tasks there may be: Linux's max_threads (kernel.threads-max)
 * from set_max_threads(): the task structures and their stacks may take
 * at most an eighth of memory, so managed pages * PAGE_SIZE / (8 *
 * KSTACK_SIZE) tasks (2,048 with 256 MiB, 16 KiB stacks, as Linux's
 * 16 KiB THREAD_SIZE gives), at least MIN_THREADS, and at most
 * MAX_THREADS, seven eighths of the kernel-stack slots (KSTACK_SLOTS): the
 * rest stay for the kernel's own threads (POE's pre-fault threads, a CPU's
 * idle task), as Linux caps it at its own MAX_THREADS. copy_process()
 * refuses a task beyond it with -EAGAIN: Linux's only guard against
 * root's fork bombs, which RLIMIT_NPROC does not stop.
 */
#define MIN_THREADS 20
#define MAX_THREADS (KSTACK_SLOTS - KSTACK_SLOTS / 8)

static unsigned long max_threads(void)
{
	unsigned long n = nr_managed_pages() * PAGE_SIZE / (KSTACK_SIZE * 8);

	return MIN(MAX(n, (unsigned long)MIN_THREADS),
		   (unsigned long)MAX_THREADS);
}

/*
 * A forked child's first code: straight out to user mode. With
 * CLONE_CHILD_SETTID, set_child_tid is where the child stores its own
 * tid first, in its own address space (a fork's copy, not the parent's),
 * and a fault there is ignored: Linux's schedule_tail().
 */
static void ret_from_fork(void *set_child_tid)
{
	if (set_child_tid)
		(void)put_user_u32(current->pid, set_child_tid);
	local_irq_disable();
	exit_to_user_mode(task_pt_regs(current));
	ret_to_user(task_pt_regs(current));
}

static long copy_process(unsigned long flags, unsigned long newsp,
			 int __user *parent_tid, int __user *child_tid,
			 unsigned long tls, struct pt_regs *regs)
{
	struct task *parent = current, *child;
	struct mm_struct *mm;
	struct pt_regs *cregs;
	unsigned long irqflags;
	long err;
	int pid;

	if (flags & ~CLONE_SUPPORTED)
		return -EINVAL;
	/* Linux's copy_process(): a thread group shares its signal
	 * handlers, and shared handlers imply a shared mm (so a thread
	 * needs all three). */
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	/* Linux's copy_process(): nr_threads >= max_threads is -EAGAIN
	 * (racy there too: "the check is only there to stop root fork
	 * bombs"). Every allocation below fails with -ENOMEM. */
	if (nr_tasks() >= max_threads())
		return -EAGAIN;
	child = task_alloc(parent->comm);
	if (!child)
		return -ENOMEM;
	/*
	 * The files before the mm, as Linux's copy_process(): dup_mm() may
	 * wait until a monitor has read a UFFD_EVENT_FORK, whose read puts
	 * the child's new userfaultfd in the reader's fd table; the child's
	 * copy of the table must not hold it (nor would it on Linux), or
	 * the monitor's close could never release it.
	 */
	err = copy_files(flags, child);
	if (!err)
		err = copy_fs(flags, child);
	if (err)
		goto fail;
	if (flags & CLONE_VM) {
		mmget(parent->mm);
		child->mm = parent->mm;
	} else {
		child->mm = dup_mm(parent->mm);
		if (!child->mm) {
			err = -ENOMEM;
			goto fail;
		}
	}
	child->active_mm = child->mm; /* a user task runs on its own */
	cregs = task_pt_regs(child);
	*cregs = *regs;
	__asm__ __volatile__("fxsave64 %0"
			     : "=m"(child->fpu_state)); /* ours, live */
	cregs->rax = 0; /* the child's return value */
	if (newsp)
		cregs->rsp = newsp;
	child->fsbase = parent->fsbase;
	if (flags & CLONE_SETTLS) {
		/* Linux's copy_thread() sets it through ARCH_SET_FS too:
		 * -EPERM for a base that is not a user address. */
		err = do_arch_prctl_64(child, ARCH_SET_FS, tls);
		if (err)
			goto fail;
	}
	if (flags & CLONE_THREAD) {
		child->tgid = parent->tgid;
		child->exit_signal = -1; /* nobody waits for a thread */
	} else {
		child->exit_signal = flags & CSIGNAL;
	}
	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = child_tid;
	err = copy_signal(flags, child); /* kernel/signal.c */
	if (err)
		goto fail;
	/* Linux's kernel_clone() stores the tid after the copy (so a fork
	 * child's copy of the word keeps its old value) and ignores a
	 * fault: the child exists by now, and the caller learns its tid
	 * from the return value anyway. */
	if (flags & CLONE_PARENT_SETTID)
		(void)put_user_u32(child->pid, parent_tid);
	task_set_entry(child, (unsigned long)cregs, ret_from_fork,
		       (flags & CLONE_CHILD_SETTID) ? child_tid : NULL);

	cpumask_copy(&child->cpus_mask, &parent->cpus_mask); /* Linux's too */
	memcpy(child->rlim, parent->rlim, sizeof(child->rlim)); /* and these */

	spin_lock_irqsave(&tasks_lock, irqflags);
	/*
	 * A kill (the OOM killer's, exit_group(), kill()) reaches the tasks
	 * it finds under tasks_lock: one that came before this point missed
	 * the child, so the child must not live. Checked here, under the
	 * lock, as Linux's copy_process() checks fatal_signal_pending()
	 * under tasklist_lock; otherwise a thread of a killed process, or a
	 * CLONE_VM child of an OOM victim, could keep its mm alive. The
	 * caller never sees the error: it dies on its way out.
	 */
	if (fatal_signal_pending(parent)) {
		spin_unlock_irqrestore(&tasks_lock, irqflags);
		err = -EINTR;
		goto fail;
	}
	if (flags & (CLONE_THREAD | CLONE_PARENT))
		child->parent = parent->parent;
	else
		child->parent = parent;
	if (child->exit_signal >= 0 && child->parent)
		list_add_tail(&child->sibling, &child->parent->children);
	spin_unlock_irqrestore(&tasks_lock, irqflags);
	/* The pid first: once started, the child may run on another CPU,
	 * exit and be freed before this line would read it (Linux takes
	 * the pid before wake_up_new_task() too). */
	pid = child->pid;
	task_start(child);
	return pid;

fail:
	/* Under tasks_lock, as every change of a task's mm: the OOM killer
	 * may be looking at this one (mm/oom_kill.c). */
	spin_lock_irqsave(&tasks_lock, irqflags);
	mm = child->mm;
	child->mm = child->active_mm = NULL;
	spin_unlock_irqrestore(&tasks_lock, irqflags);
	if (mm) /* none when the files or the mm's copy failed */
		mmput(mm);
	exit_files(child);
	exit_fs(child);
	task_free(child);
	return err;
}

/*
 * sys_fork - fork(2), and vfork(2), which a full copy satisfies: a child
 * process with a copy-on-write copy of the caller's address space that
 * returns 0 from the same call. Returns the child's pid, or -EAGAIN
 * (max_threads tasks exist already), -ENOMEM (no memory for the task,
 * its stack or the copy). Linux's kernel_clone() with SIGCHLD.
 */
long sys_fork(struct pt_regs *regs)
{
	return copy_process(SIGCHLD, 0, NULL, NULL, 0, regs);
}

/*
 * sys_clone - clone(2), x86-64 argument order: a child process, or with
 * CLONE_VM | CLONE_SIGHAND | CLONE_THREAD a thread sharing the caller's
 * mm, starting on newsp (0: the caller's stack pointer). Only the low 32
 * bits of flags count, as in Linux's legacy clone(); flags beyond
 * CLONE_SUPPORTED are refused. CLONE_SETTLS sets the child's FS base to
 * tls; CLONE_PARENT_SETTID stores the child's tid at parent_tid (in the
 * caller's memory), CLONE_CHILD_SETTID at child_tid (in the child's, as
 * it starts); a bad pointer there is ignored, as on Linux.
 * CLONE_CHILD_CLEARTID zeroes and futex-wakes child_tid at its exit.
 * Returns the child's tid, or -EINVAL (unknown flags; CLONE_THREAD
 * without CLONE_SIGHAND, CLONE_SIGHAND without CLONE_VM), -EPERM (tls at
 * or above TASK_SIZE_MAX), -EAGAIN (max_threads tasks exist), -ENOMEM.
 * Linux's sys_clone() and kernel_clone().
 */
long sys_clone(unsigned long flags, unsigned long newsp, int __user *parent_tid,
	       int __user *child_tid, unsigned long tls, struct pt_regs *regs)
{
	return copy_process(flags & 0xffffffffUL, newsp, parent_tid, child_tid,
			    tls, regs);
}
