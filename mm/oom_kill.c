/*
 * oom_kill.c - the out-of-memory killer (include/mm/oom.h, docs/oom.md),
 * after Linux's mm/oom_kill.c.
 *
 * This kernel's allocator never waits and never reclaims: a page is free
 * or the allocation fails. A system call that cannot get memory fails
 * with -ENOMEM (fork with -EAGAIN at max_threads, kernel/fork.c). A user
 * page fault cannot fail that way: the program would die for memory that
 * another process holds. So a fault that got VM_FAULT_OOM comes here
 * (pagefault_out_of_memory(), from arch/x86_64/fault.c), and:
 *
 *   1. current already killed?        -> return: it dies on its way out
 *   2. oom_lock busy?                 -> sleep a tick, retry the fault
 *   3. pages free again (another kill made room)?  -> retry the fault
 *   4. out_of_memory():
 *        the OOM notifiers give back caches (POE's tables of pages zeroed
 *        ahead, mm/poe_postfault.c)    -> something freed: retry
 *        a victim still exiting        -> wait for it: sleep, retry
 *        the task of the largest oom_badness() (rss + page tables)
 *          -> SIGKILL to every task of its mm, one console line
 *   5. nothing killable               -> the fault fails (SIGSEGV)
 *
 * Locking: oom_lock (a mutex) makes one OOM decision at a time, across
 * CPUs. The victim is chosen under tasks_lock, which also covers every
 * change of a task's mm (fork, exec, exit: kernel/fork.c, exec.c,
 * exit.c), so an mm seen in a task under it has a user and may be
 * mmgrab()bed. The victim's mm is marked MMF_OOM_VICTIM and counted in
 * oom_victims under the same hold as the check that a task still uses
 * it, so its teardown, which starts only after the last task let go of it
 * (under tasks_lock), always sees the mark and uncounts it
 * (oom_mm_torn_down(), from mmput()). While any victim is counted, no new
 * victim is chosen: one OOM never kills a second process while the first
 * is still giving its memory back.
 *
 * A victim needs no memory to die: the exit path (do_exit(), mmput(),
 * zap_page_range()) allocates nothing it cannot do without (the unmap's
 * batch page falls back to flushing at once, mm/pgtable.c); its one user
 * copy (CLONE_CHILD_CLEARTID) may fault for a page and then fails with
 * -EFAULT, as Linux's. Linux lets a victim dip into memory reserves; we
 * have none to give, and need none.
 */
#include <kernel/errno.h>
#include <kernel/mutex.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <mm/mm_types.h>
#include <mm/mmap_lock.h>
#include <mm/oom.h>
#include <mm/page_alloc.h>
#include <mm/user_mm.h>
#include <mm/vma.h>

DEFINE_MUTEX(oom_lock);

/* Victims whose mm is not torn down yet (Linux's oom_victims). Changed
 * with atomic adds: marked under oom_lock, uncounted by mmput() in any
 * task. */
static int oom_victims;

/* The OOM notifiers, newest first; added under oom_notify_lock, walked
 * under oom_lock without it (none is ever removed). */
static struct oom_notifier *oom_notify_list;
static DEFINE_SPINLOCK(oom_notify_lock);

int register_oom_notifier(struct oom_notifier *nb)
{
	unsigned long flags;

	spin_lock_irqsave(&oom_notify_lock, flags);
	nb->next = oom_notify_list;
	__atomic_store_n(&oom_notify_list, nb, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&oom_notify_lock, flags);
	return 0;
}

int oom_victims_pending(void)
{
	return __atomic_load_n(&oom_victims, __ATOMIC_ACQUIRE);
}

void oom_mm_torn_down(struct mm_struct *mm)
{
	unsigned long old =
		__atomic_fetch_or(&mm->flags, MMF_OOM_SKIP, __ATOMIC_ACQ_REL);

	if ((old & MMF_OOM_VICTIM) && !(old & MMF_OOM_SKIP))
		__atomic_sub_fetch(&oom_victims, 1, __ATOMIC_RELEASE);
}

long oom_badness(struct task *p, unsigned long totalpages)
{
	struct mm_struct *mm = p->mm;

	(void)totalpages; /* scales oom_score_adj, always 0 here */
	/* Linux's oom_unkillable_task(): the global init, kernel threads. */
	if (p->tgid == 1 || (p->flags & PF_KTHREAD))
		return LONG_MIN;
	/* Linux's find_lock_task_mm() found no mm: exited, or exiting. */
	if (!mm || p->state == TASK_ZOMBIE || p->state == TASK_DEAD)
		return LONG_MIN;
	if (__atomic_load_n(&mm->flags, __ATOMIC_ACQUIRE) & MMF_OOM_SKIP)
		return LONG_MIN;
	/* The pages a kill gives back: mapped pages, page tables, swap (none
	 * here). Linux counts page tables in bytes and divides by PAGE_SIZE:
	 * the same pages. */
	return (long)(mm->rss + READ_ONCE(mm->nr_pgtables));
}

void oom_select_victim(struct oom_control *oc)
{
	struct task *t, *chosen = NULL;
	unsigned long flags;

	oc->mm = NULL;
	oc->abort = false;
	oc->chosen_points = LONG_MIN;
	spin_lock_irqsave(&tasks_lock, flags);
	/* An earlier victim is still giving its memory back: Linux's
	 * oom_evaluate_task() aborts on such a task (tsk_is_oom_victim()
	 * without MMF_OOM_SKIP). Counted per mm, so that a victim whose
	 * tasks all let go of the mm, while its teardown runs, still holds
	 * the next kill back. */
	if (oom_victims_pending()) {
		oc->abort = true;
		goto out;
	}
	list_for_each_entry(t, &all_tasks, tasks) {
		long points = oom_badness(t, oc->totalpages);

		if (points == LONG_MIN || points < oc->chosen_points)
			continue;
		/* A tie goes to the later task, as in Linux. */
		chosen = t;
		oc->chosen_points = points;
	}
	if (chosen) {
		oc->mm = chosen->mm;
		mmgrab(oc->mm); /* chosen uses it: mm_count is not 0 */
		oc->pid = chosen->tgid;
		memcpy(oc->comm, chosen->comm, sizeof(oc->comm));
	}
out:
	spin_unlock_irqrestore(&tasks_lock, flags);
}

/* The sum of mm's VMAs, bytes: Linux's mm->total_vm, in pages there. */
static unsigned long total_vm_bytes(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	unsigned long bytes = 0;

	mmap_read_lock(mm);
	for_each_vma(mm, vma)
		bytes += vma->vm_end - vma->vm_start;
	mmap_read_unlock(mm);
	return bytes;
}

bool oom_kill_process(struct oom_control *oc, const char *message)
{
	struct mm_struct *mm = oc->mm;
	unsigned long flags, total_vm, rss = 0, pgtables = 0;
	bool found = false;
	struct task *t;

	/* Before the kill: the VMAs go with the victim's exit. */
	total_vm = total_vm_bytes(mm);
	spin_lock_irqsave(&tasks_lock, flags);
	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->mm != mm || (t->flags & PF_KTHREAD))
			continue;
		if (!found) {
			/* A task still uses mm, so its teardown has not
			 * begun: it will see the mark (oom_mm_torn_down()). */
			found = true;
			rss = mm->rss;
			pgtables = READ_ONCE(mm->nr_pgtables);
			/* Counted once per mm: oom_mm_torn_down() uncounts
			 * it once. */
			if (!(__atomic_fetch_or(&mm->flags, MMF_OOM_VICTIM,
						__ATOMIC_ACQ_REL) &
			      MMF_OOM_VICTIM))
				__atomic_add_fetch(&oom_victims, 1,
						   __ATOMIC_RELEASE);
		}
		/* SIGKILL, whatever the task blocks or handles (Linux's
		 * do_send_sig_info(SIGKILL, SEND_SIG_PRIV, ...)). */
		sigkill_task(t);
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
	if (found)
		pr_err("%s: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:%lukB oom_score_adj:0\n",
		       message, oc->pid, oc->comm, total_vm >> 10,
		       rss * (PAGE_SIZE >> 10), pgtables * (PAGE_SIZE >> 10));
	oc->mm = NULL;
	mmdrop(mm);
	return found;
}

bool out_of_memory(struct oom_control *oc)
{
	struct oom_notifier *nb;

	if (!oc->totalpages)
		oc->totalpages = nr_managed_pages();
	/* Caches first: Linux's oom_notify_list ("Got some memory back in
	 * the last second"). */
	oc->freed = 0;
	for (nb = __atomic_load_n(&oom_notify_list, __ATOMIC_ACQUIRE); nb;
	     nb = nb->next)
		oc->freed += nb->fn();
	if (oc->freed)
		return true;
	oom_select_victim(oc);
	if (oc->abort)
		return true; /* a victim's memory is on its way back */
	if (!oc->mm) {
		pr_warn("Out of memory and no killable processes...\n");
		return false;
	}
	oom_kill_process(oc, "Out of memory");
	return true;
}

bool pagefault_out_of_memory(void)
{
	struct oom_control oc = { 0 };
	unsigned long margin;
	bool progress;

	/* Being killed: its own exit gives memory back (Linux 6.1's
	 * fatal_signal_pending() test). */
	if (fatal_signal_pending(current))
		return true;
	/* Another task runs the killer: give it, and its victim, a tick
	 * (Linux's __alloc_pages_may_oom()). */
	if (!mutex_trylock(&oom_lock)) {
		schedule_timeout_interruptible(1);
		return true;
	}
	oc.totalpages = nr_managed_pages();
	margin = MAX(oc.totalpages / OOM_FREE_RETRY_DIV, 16UL);
	if (nr_free_pages() > margin) {
		/* Another kill, or an exit, made room since this fault
		 * failed: retry before killing anyone. */
		mutex_unlock(&oom_lock);
		return true;
	}
	progress = out_of_memory(&oc);
	mutex_unlock(&oom_lock);
	if (!progress)
		return false;
	/* Someone else was killed, or is still exiting: let it run (Linux
	 * slept a tick here, schedule_timeout_killable(1)). Nothing to wait
	 * for when caches were freed, or when current is the victim. */
	if (!oc.freed && !fatal_signal_pending(current))
		schedule_timeout_interruptible(1);
	return true;
}
