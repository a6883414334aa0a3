/*
 * exit.c - how tasks end (include/kernel/sched.h, include/kernel/
 * syscalls.h), as Linux's kernel/exit.c: do_exit() releases what the task
 * holds and leaves a zombie (a process, until its parent's wait4()) or
 * nothing (a thread of a process, which nobody waits for); wait4() reaps
 * zombies; exit_group() ends a whole process. Signals, kill() and the
 * SIGCHLD an exit sends are kernel/signal.c's.
 */
#include <kernel/errno.h>
#include <kernel/fdtable.h>
#include <kernel/futex.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/profile.h>
#include <kernel/rusage.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/task_work.h>
#include <kernel/syscalls.h>
#include <kernel/wait.h>
#include <mm/user_mm.h>
#include <asm/irqflags.h>
#include <asm/power.h>
#include <linux/resource.h>

#define WNOHANG 1
#define __WALL	0x40000000

/* Parents sleep here in wait4(); every exit wakes them to look again. */
static DECLARE_WAIT_QUEUE_HEAD(child_exit_wq);

static bool is_thread(const struct task *t)
{
	return t->exit_signal < 0; /* CLONE_THREAD: nobody waits for it */
}

/* The process init passes its exit status to the machine (tools/qemu.sh). */
static void __noreturn init_exited(int status)
{
	int code = (status & 0x7f) ? 128 + (status & 0x7f) :
				     (status >> 8) & 0xff;

	printk(KERN_NOTICE "init exited with %s %d; powering off\n",
	       (status & 0x7f) ? "signal" : "status",
	       (status & 0x7f) ? status & 0x7f : code);
	profile_report(30);
	machine_exit(code);
}

void do_exit(int status)
{
	struct task *t = current, *child, *init;
	struct wait_queue_head *wq = NULL;
	LIST_HEAD(orphans); /* zombie children nobody will reap */
	unsigned long flags;

	if (t->flags & PF_IDLE)
		panic("the idle task tried to exit");
	/* exit_to_user_mode() calls us with interrupts off (a fatal signal
	 * on the way out); Linux runs do_exit() with them on, and we need
	 * them: releasing the mm may wait for other CPUs (a TLB shootdown
	 * is a cross-CPU call), which could never answer a CPU that keeps
	 * interrupts off while it waits. */
	local_irq_enable();
	/* Work this task still owes (a POE refill batch): it would not run
	 * on a way back to user mode any more; later adds fail. */
	exit_task_work();
	/* No signal is routed to this thread from here on. */
	exit_signals(t);
	/* Our faults up to now, for a joiner that asks getrusage() at once. */
	rusage_exit();

	/* CLONE_CHILD_CLEARTID: tell a joining thread we are gone. */
	if (t->clear_child_tid && t->mm) {
		if (put_user_u32(0, t->clear_child_tid) == 0)
			futex_wake(t->mm, (unsigned long)t->clear_child_tid, 1);
		t->clear_child_tid = NULL;
	}
	if (t->mm) {
		struct mm_struct *mm = t->mm;

		/*
		 * From here on the task is a kernel thread (mm NULL) and
		 * needs only the kernel half of whatever page table is in
		 * CR3. mm, active_mm and CR3 change with interrupts off, as
		 * the scheduler reads them, and under tasks_lock, as the OOM
		 * killer reads other tasks' mm (mm/oom_kill.c): an mm it
		 * finds there still has this task's user.
		 */
		spin_lock_irqsave(&tasks_lock, flags);
		t->mm = NULL;
		if (READ_ONCE(mm->users) > 1) {
			/* Other threads keep mm: stay on its page table
			 * (lazy TLB) with a reference of our own, which the
			 * switch away hands on or drops, or a shootdown of
			 * mm takes back (flush_tlb_func()). Linux's
			 * exit_mm(). */
			mmgrab(mm);
		} else {
			/* The teardown follows. Leave first: a CPU that runs
			 * mm takes every shootdown of it, a flush per batch
			 * of unmapped pages, where a CPU that left takes one
			 * and leaves mm_cpumask. (Linux stays, but its
			 * shootdown moves a lazy CPU to init_mm at once.) */
			t->active_mm = NULL;
			switch_mm(NULL);
		}
		spin_unlock_irqrestore(&tasks_lock, flags);
		mmput(mm);
	}
	exit_files(t); /* Linux's order: after exit_mm() */
	exit_fs(t);
	if (t->pid == 1)
		init_exited(status);

	init = find_task(1);
	/*
	 * Interrupts stay off from here to schedule(): a preemption after
	 * the state below would find a zombie still running. tasks_lock
	 * makes the state, the children and the links one change for
	 * wait4() and for exiting children on other CPUs.
	 */
	spin_lock_irqsave(&tasks_lock, flags);
	/*
	 * Children: a zombie nobody can wait for any more is freed now; a live
	 * one is adopted by init (getppid() becomes 1, as on Linux) but frees
	 * itself when it exits, since our init programs only wait for the
	 * children they made. That keeps the free-page count exact.
	 */
	while (!list_empty(&t->children)) {
		child = list_first_entry(&t->children, struct task, sibling);
		list_del_init(&child->sibling);
		if (child->state == TASK_ZOMBIE) {
			list_add_tail(&child->sibling, &orphans);
			continue;
		}
		child->parent = init;
		child->exit_signal = -1;
	}
	t->exit_code = status;
	if (!(t->flags & PF_KTHREAD))
		rusage_exit_locked(); /* with the state change below */
	if ((t->flags & (PF_KTHREAD | PF_DETACHED)) ==
	    (PF_KTHREAD | PF_DETACHED)) {
		t->state = TASK_DEAD; /* freed after the switch */
	} else if (t->flags & PF_KTHREAD) {
		t->state = TASK_ZOMBIE; /* kthread_stop() reaps */
		wq = t->exit_wq;
	} else if (is_thread(t) || !t->parent) {
		if (!list_empty(&t->sibling))
			list_del_init(&t->sibling);
		t->state = TASK_DEAD; /* freed after the switch */
	} else if (do_notify_parent(t, status)) {
		/* The parent ignores SIGCHLD: no zombie (Linux's rule); a
		 * wait4() that waited for it says ECHILD now. */
		list_del_init(&t->sibling);
		t->state = TASK_DEAD;
		wq = &child_exit_wq;
	} else {
		t->state = TASK_ZOMBIE; /* the parent's wait4 reaps */
		wq = &child_exit_wq;
	}
	spin_unlock(&tasks_lock); /* interrupts stay off */
	while (!list_empty(&orphans)) {
		child = list_first_entry(&orphans, struct task, sibling);
		list_del_init(&child->sibling);
		task_free(child);
	}
	if (wq)
		wake_up(wq);
	schedule();
	panic("do_exit: task %d ran again after exiting", t->pid);
}

/*
 * sys_exit - _exit(2) for the calling thread alone: end it with exit
 * status code & 0xff. Never returns. Linux's exit(2).
 */
long sys_exit(int code)
{
	do_exit(W_EXITCODE(code, 0));
}

/*
 * sys_exit_group - exit_group(2): kill the caller's other threads, then
 * exit with status code & 0xff. Never returns. Linux's exit_group(2).
 */
long sys_exit_group(int code)
{
	do_group_exit(W_EXITCODE(code, 0));
}

/* A zombie child of current that matches pid (-1: any), or NULL;
 * tasks_lock held. */
static struct task *find_zombie(int pid, bool *have_children)
{
	struct task *c;

	*have_children = false;
	list_for_each_entry(c, &current->children, sibling) {
		if (pid > 0 && c->pid != pid)
			continue;
		*have_children = true;
		if (c->state == TASK_ZOMBIE)
			return c;
	}
	return NULL;
}

/* The wait4() condition: a zombie to reap, or no child left to wait for. */
static bool zombie_or_childless(int pid)
{
	unsigned long flags;
	bool have_children, ready;

	spin_lock_irqsave(&tasks_lock, flags);
	ready = find_zombie(pid, &have_children) || !have_children;
	spin_unlock_irqrestore(&tasks_lock, flags);
	return ready;
}

/*
 * sys_wait4 - wait4(2): reap a zombie child (pid > 0: that child; -1:
 * any), sleeping until one exits unless WNOHANG. Stores its wait status
 * (Linux's encoding, W_EXITCODE) at status and, when rusage is given,
 * the child's resource usage there (struct rusage: its minor faults and
 * those of the children it waited for, as getrusage(2) counts them in
 * kernel/rusage.c; the other fields zero). Reaping adds the same to the
 * caller's RUSAGE_CHILDREN. Returns the child's pid, 0 (WNOHANG, no
 * zombie yet), or -ECHILD (no such child), -EINVAL (pid 0 or below -1:
 * process groups; options other than WNOHANG and __WALL), -EFAULT, or
 * -ERESTARTSYS when a signal came while it waited (-EINTR to the program,
 * or the call restarted under SA_RESTART). Linux's wait4(2).
 */
long sys_wait4(int pid, int __user *status, int options, void __user *rusage)
{
	struct rusage ru;

	if (options & ~(WNOHANG | __WALL))
		return -EINVAL;
	if (pid < -1 || pid == 0)
		return -EINVAL; /* process groups: unsupported */
	for (;;) {
		unsigned long flags;
		bool have_children;
		struct task *z;

		spin_lock_irqsave(&tasks_lock, flags);
		z = find_zombie(pid, &have_children);
		if (z) {
			list_del_init(&z->sibling);
			rusage_reap(z, &ru);
		}
		spin_unlock_irqrestore(&tasks_lock, flags);
		if (z) {
			int zpid = z->pid, code = z->exit_code;

			task_free(z);
			if (status && put_user_u32((u32)code, status))
				return -EFAULT;
			if (rusage && copy_to_user(rusage, &ru, sizeof(ru)))
				return -EFAULT;
			return zpid;
		}
		if (!have_children)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		/* After the children: a child that reaped itself (SIGCHLD
		 * ignored) makes this -ECHILD, even with its SIGCHLD
		 * pending, as Linux's do_wait() looks. */
		if (signal_pending(current))
			return -ERESTARTSYS;
		wait_event(child_exit_wq,
			   zombie_or_childless(pid) || signal_pending(current));
	}
}
