/*
 * oom.h - the out-of-memory killer (mm/oom_kill.c), after Linux's
 * <linux/oom.h> and mm/oom_kill.c: when a user page fault finds no free
 * page, caches are given back first (the OOM notifiers: POE's tables of
 * pages zeroed ahead), and if none had anything, the process with the
 * most memory is sent SIGKILL, with one console line in Linux's format.
 * System calls never call it: their allocations fail with -ENOMEM (or
 * fork's -EAGAIN) instead. docs/oom.md says how it all fits together.
 */
#ifndef MM_OOM_H
#define MM_OOM_H

#include <kernel/mutex.h>
#include <kernel/types.h>
#include <kernel/sched.h>

struct mm_struct;

#ifndef LONG_MIN
#define LONG_MIN (-__LONG_MAX__ - 1L) /* oom_badness(): never kill */
#endif

/*
 * One OOM decision: Linux's struct oom_control, without the zonelist,
 * nodemask, gfp mask and memcg of a machine with one zone. Zero it, then
 * out_of_memory() or oom_select_victim() fill the rest.
 */
struct oom_control {
	unsigned long totalpages; /* pages the badness is relative to (the
				   * managed pages); 0: out_of_memory()
				   * fills it in */
	unsigned long freed;	  /* pages the OOM notifiers gave back */
	/* The victim, chosen under tasks_lock: its mm (with a reference of
	 * oom_control's, mmgrab(); oom_kill_process() drops it), its pid
	 * (the thread-group id) and name, and its badness. mm NULL: none. */
	struct mm_struct *mm;
	int pid;
	char comm[TASK_COMM_LEN];
	long chosen_points;
	/* A victim killed earlier has not given its memory back yet: no new
	 * victim (Linux's abort of select_bad_process()). */
	bool abort;
};

/*
 * oom_lock - held by whoever runs the OOM killer, so that two tasks out
 * of memory at once kill one victim, not two. Linux's oom_lock. A fault
 * only tries it (pagefault_out_of_memory()).
 */
extern struct mutex oom_lock;

/*
 * oom_badness - how much memory killing p would give back, in pages: its
 * mm's resident pages (mm->rss) plus its page-table pages
 * (mm->nr_pgtables) plus its swap entries (none: there is no swap).
 * LONG_MIN when p must not be killed: init (tgid 1), a kernel thread, a
 * task without an mm (exited, or not a user task), an mm the killer has
 * finished with (MMF_OOM_SKIP). totalpages scales oom_score_adj, which is
 * always 0 here. Caller holds tasks_lock (p->mm may change otherwise).
 * Linux's oom_badness().
 */
long oom_badness(struct task *p, unsigned long totalpages);

/*
 * oom_select_victim - pick the task of the highest oom_badness() among
 * all tasks, the later one on a tie (Linux's select_bad_process() and
 * oom_evaluate_task()); none while an earlier victim's memory is not yet
 * back (oc->abort, Linux's abort on tsk_is_oom_victim() without
 * MMF_OOM_SKIP). Fills oc->mm (a reference: mmgrab()), pid, comm and
 * chosen_points; oc->mm NULL when nothing may be killed. Takes tasks_lock;
 * the caller holds oom_lock. Never sleeps.
 */
void oom_select_victim(struct oom_control *oc);

/*
 * oom_kill_process - kill oc's victim: mark its mm MMF_OOM_VICTIM (until
 * its teardown every later OOM waits instead of killing again), send
 * SIGKILL to every task that uses that mm (its threads, and a CLONE_VM
 * process sharing it, as Linux's __oom_kill_process() does), and print
 * one line in Linux's format:
 *
 *   <message>: Killed process PID (COMM) total-vm:NkB, anon-rss:NkB,
 *   file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:NkB oom_score_adj:0
 *
 * (total-vm: the sum of its VMAs; anon-rss: mm->rss, every mapped user
 * page, shared anonymous ones included, since this kernel keeps one
 * counter; pgtables: mm->nr_pgtables.) Drops oc->mm's reference.
 * Returns true if it killed, false when the victim had exited meanwhile
 * (its memory is on its way back; no line). Takes the victim's
 * mmap_lock for reading (sleeps) and tasks_lock; the caller holds
 * oom_lock. Linux's oom_kill_process().
 */
bool oom_kill_process(struct oom_control *oc, const char *message);

/*
 * out_of_memory - no page is free: first ask every OOM notifier to give
 * back pages it keeps as a cache (register_oom_notifier()); if any did,
 * return true without killing (Linux's "Got some memory back"). Else
 * pick a victim (oom_select_victim()) and kill it (oom_kill_process()).
 * Returns true when memory is on its way (freed, a victim killed or still
 * exiting): the caller retries; false when nothing can be done (no
 * killable task: Linux panics "System is deadlocked on memory"; we leave
 * the caller to fail). Caller holds oom_lock, process context,
 * interrupts on; sleeps. Linux's out_of_memory().
 */
bool out_of_memory(struct oom_control *oc);

/*
 * pagefault_out_of_memory - a user-mode page fault got VM_FAULT_OOM
 * (arch/x86_64/fault.c): unless current is already being killed, run
 * out_of_memory() under oom_lock, if it can take it at once and fewer
 * than OOM_FREE_RETRY_DIV'th of the pages are free (someone else's kill
 * may have made room since the fault failed: Linux's last try at the
 * high watermark in __alloc_pages_may_oom()). When another task holds
 * oom_lock, or another process was killed, sleeps one tick, so that the
 * victim can run and exit. Returns true: return to user mode and retry
 * the access (or die there, if current was the victim); false: nothing
 * could be freed or killed, and the caller fails the fault. Process
 * context, interrupts on, no locks held; sleeps. Linux's
 * pagefault_out_of_memory() before 5.16, when the page allocator did not
 * call the OOM killer itself.
 */
bool pagefault_out_of_memory(void);
#define OOM_FREE_RETRY_DIV 256

/*
 * An OOM notifier: fn gives back pages its subsystem keeps only as a
 * cache and returns how many (0: none). Called by out_of_memory() under
 * oom_lock, in process context; may sleep; must not allocate. Linux's
 * notifier_block on oom_notify_list, whose callbacks add their count to
 * *freed.
 */
struct oom_notifier {
	unsigned long (*fn)(void);
	struct oom_notifier *next; /* the list's link: the kernel's */
};

/*
 * register_oom_notifier - add nb to the callbacks out_of_memory() runs
 * before it kills. Any context; never fails (returns 0). There is no
 * unregister: the notifiers are subsystems that stay. Linux's
 * register_oom_notifier().
 */
int register_oom_notifier(struct oom_notifier *nb);

/*
 * oom_mm_torn_down - mmput() has unmapped every page of mm and freed its
 * page tables and VMAs: set MMF_OOM_SKIP (Linux's exit_mmap()), and if mm
 * was an OOM victim's, its memory is back: the OOM killer may choose
 * again (Linux's exit_oom_victim()). Any context.
 */
void oom_mm_torn_down(struct mm_struct *mm);

/*
 * oom_victims_pending - OOM victims whose mm is not torn down yet. For
 * tests. Linux's oom_victims.
 */
int oom_victims_pending(void);

#endif
