/*
 * rusage.c - getrusage(2) and the fault and context-switch counts behind
 * it (include/kernel/rusage.h), with Linux's semantics:
 *
 *   RUSAGE_THREAD    the calling thread's counts (Linux's task->min_flt,
 *                    nvcsw, nivcsw)
 *   RUSAGE_SELF      its process's: every live thread's, plus those of
 *                    the threads that exited (Linux's thread-group sum,
 *                    signal_struct's min_flt, nvcsw, nivcsw)
 *   RUSAGE_CHILDREN  the process's children that ended and were waited
 *                    for, each with the children it waited for itself
 *                    (Linux's signal_struct cmin_flt, cnvcsw, cnivcsw)
 *
 * A context switch is counted when a task stops running for another:
 * voluntary (nvcsw) when it went to sleep, involuntary (nivcsw) when it
 * was preempted or yielded and stayed runnable.
 *
 * What counts as a minor fault: a fault that was resolved, as Linux's
 * mm_account_fault() counts it. The full handler's (FAULT_TOTAL less
 * FAULT_SEGV: a fault that ends in SIGSEGV or -EFAULT is not counted, a
 * spurious one that finds the page already there is), MAP_POPULATE's,
 * and every fault the POE fast path resolved (a walker hit): on Linux
 * such a fault is an ordinary minor fault, so it is one here too. The
 * post-fault work counts a hit again later, for the mm (FAULT_POE, and
 * FAULT_TOTAL once more); that second count is taken off, so a hit is a
 * minor fault exactly once, from the moment it happened. There are no
 * major faults: no swap and no files (ru_majflt is always 0).
 *
 * Where the counts are kept: in struct task (include/kernel/sched.h).
 * A task is charged the minor faults its CPU counted while it ran
 * (rusage_switch_in() .. rusage_switch_out(), and up to now for the
 * caller itself); the per-CPU counts are those of count_fault()
 * (mm/fault.c) and of the walker (struct poe_walker_stats), each kept by
 * its CPU alone, so no lock is needed. The process-wide sums live in
 * the main thread's task (pid == tgid), as Linux keeps them in
 * signal_struct: group_ru and cru (struct task_rusage).
 *
 * Limits, beyond the zero fields:
 *   - a thread that runs on another CPU at the time of the call has its
 *     faults counted up to its last switch out (Linux: up to the moment);
 *   - the sums stay in the main thread's task: once the main thread has
 *     exited alone and been reaped, the threads that exit after it take
 *     their counts with them (Linux keeps the main thread until the last
 *     thread is gone), and so does a multithreaded child whose other
 *     threads are still dying when its parent reaps it.
 */
#include <kernel/errno.h>
#include <kernel/percpu.h>
#include <kernel/rusage.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <kernel/time.h>
#include <mm/mm_types.h>
#include <mm/page.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <linux/resource.h>

_Static_assert(sizeof(struct rusage) == 144,
	       "struct rusage: Linux's x86-64 layout is 144 bytes");

/*
 * The minor faults this CPU has counted since boot, as defined above.
 * Interrupts off: the counts are this CPU's, changed only by it.
 */
static unsigned long cpu_min_flt(void)
{
	const struct percpu *c = this_cpu();
	const unsigned long *n = c->fault_events.count;

	return n[FAULT_TOTAL] - n[FAULT_SEGV] - n[FAULT_POE] +
	       c->poe_walker_stats.hits + c->poe_walker_stats.huge_hits;
}

void rusage_switch_in(struct task *t)
{
	t->flt_mark = cpu_min_flt();
}

void rusage_switch_out(struct task *t, bool voluntary)
{
	t->ru.min_flt += cpu_min_flt() - t->flt_mark;
	if (voluntary)
		t->ru.nvcsw++;
	else
		t->ru.nivcsw++;
}

/* *to += *from, field by field; the peak rss is a maximum. */
static void ru_add(struct task_rusage *to, const struct task_rusage *from)
{
	to->min_flt += from->min_flt;
	to->nvcsw += from->nvcsw;
	to->nivcsw += from->nivcsw;
	to->run_ticks += from->run_ticks;
	to->maxrss = MAX(to->maxrss, from->maxrss);
}

/* The fields of struct rusage the kernel keeps, from *c. */
static void ru_fill(struct rusage *ru, const struct task_rusage *c)
{
	u64 us = tsc_to_ns(c->run_ticks) / 1000;

	ru->ru_utime.tv_sec = (long)(us / 1000000);
	ru->ru_utime.tv_usec = (long)(us % 1000000);
	ru->ru_maxrss = (long)(c->maxrss * (PAGE_SIZE / 1024));
	ru->ru_minflt = (long)c->min_flt;
	ru->ru_nvcsw = (long)c->nvcsw;
	ru->ru_nivcsw = (long)c->nivcsw;
}

/*
 * t's run time, TSC ticks: up to its last switch out, and for the
 * caller up to now. Interrupts off.
 */
static u64 task_run_ticks(const struct task *t)
{
	return t->runtime_ticks + (t == current ? rdtsc() - t->switched_in : 0);
}

/* current's peak rss so far into current->ru.maxrss. */
static void note_maxrss(struct mm_struct *mm)
{
	if (mm)
		current->ru.maxrss =
			MAX(current->ru.maxrss, get_mm_hiwater_rss(mm));
}

void rusage_exec_mm(struct mm_struct *old)
{
	note_maxrss(old);
}

/* current's count up to now: its share since it switched in is added and
 * a new share starts. Interrupts off. */
static void fold_current(void)
{
	current->ru.min_flt += cpu_min_flt() - current->flt_mark;
	rusage_switch_in(current);
}

void rusage_exit(void)
{
	unsigned long flags;

	local_irq_save(flags);
	fold_current();
	local_irq_restore(flags);
	note_maxrss(current->mm); /* the mm goes next */
}

/* The task that keeps t's process-wide sums: its main thread while there
 * is one, else t itself. tasks_lock held. */
static struct task *sums_of(struct task *t)
{
	struct task *main_thread;

	if (t->pid == t->tgid)
		return t;
	main_thread = find_task_locked(t->tgid);
	return main_thread ? main_thread : t;
}

void rusage_exit_locked(void)
{
	struct task *t = current, *sums;

	fold_current();
	sums = sums_of(t);
	if (sums == t)
		return; /* a main thread: its zombie keeps the counts */
	t->ru.run_ticks = task_run_ticks(t);
	ru_add(&sums->group_ru, &t->ru);
	ru_add(&sums->cru, &t->cru);
	memset(&t->ru, 0, sizeof(t->ru));
	memset(&t->cru, 0, sizeof(t->cru));
}

void rusage_reap(struct task *z, struct rusage *ru)
{
	struct task_rusage both = z->ru;

	both.run_ticks = z->runtime_ticks; /* switched out for good */
	ru_add(&both, &z->group_ru);
	ru_add(&both, &z->cru);
	ru_add(&sums_of(current)->cru, &both);
	memset(ru, 0, sizeof(*ru));
	ru_fill(ru, &both);
}

void rusage_de_thread(struct task *me, struct task *old, bool old_exited)
{
	ru_add(&me->group_ru, &old->group_ru);
	ru_add(&me->cru, &old->cru);
	memset(&old->group_ru, 0, sizeof(old->group_ru));
	memset(&old->cru, 0, sizeof(old->cru));
	if (old_exited) {
		old->ru.run_ticks = old->runtime_ticks;
		ru_add(&me->group_ru, &old->ru);
		memset(&old->ru, 0, sizeof(old->ru));
	}
}

/*
 * RUSAGE_SELF's counts into *c: every thread of current's process that
 * has not exited (a zombie main thread included) plus group_ru of the
 * main thread. tasks_lock held.
 */
static void process_rusage(struct task_rusage *c)
{
	struct task *t;

	memset(c, 0, sizeof(*c));
	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->tgid != current->tgid || (t->flags & PF_KTHREAD) ||
		    t->state == TASK_DEAD)
			continue;
		ru_add(c, &t->ru);
		c->run_ticks += task_run_ticks(t);
		if (t->pid == t->tgid)
			ru_add(c, &t->group_ru);
	}
}

/*
 * sys_getrusage - getrusage(2): the resource usage of the calling thread
 * (who = RUSAGE_THREAD), of its process (RUSAGE_SELF) or of its
 * children that ended and were waited for (RUSAGE_CHILDREN), copied to
 * *ru (struct rusage, include/uapi/linux/resource.h). Filled: ru_minflt,
 * the minor faults as the top of this file defines them, the POE fast
 * path's included; ru_nvcsw and ru_nivcsw, the context switches, counted
 * as Linux counts them (rusage_switch_out()); ru_majflt is 0 (there is
 * nothing to read in); ru_utime, the run time (runtime_ticks: a thread
 * running on another CPU up to its last switch out), all of it: the
 * kernel does not tell user from kernel time, so ru_stime is 0 (Linux
 * splits the run time by where its ticks found the task); ru_maxrss, the
 * peak resident set in KiB, as Linux: for RUSAGE_SELF and _THREAD the
 * largest of the process's address spaces (the current one, those exec
 * left, and those of its threads that exited), for RUSAGE_CHILDREN the
 * largest of any child waited for. Zero: the fields Linux leaves zero
 * too, and the block and signal counts.
 * Returns 0, -EINVAL (another who; RUSAGE_BOTH is wait4's, not a
 * caller's) or -EFAULT. Linux's getrusage(2) (kernel/sys.c).
 */
long sys_getrusage(int who, struct rusage __user *ru)
{
	struct task_rusage c;
	struct rusage r;
	unsigned long flags;

	if (who != RUSAGE_SELF && who != RUSAGE_THREAD &&
	    who != RUSAGE_CHILDREN)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	/* tasks_lock keeps the threads and the sums from changing under the
	 * count, and keeps interrupts off for the caller's own share. */
	spin_lock_irqsave(&tasks_lock, flags);
	fold_current();
	if (who == RUSAGE_THREAD) {
		c = current->ru;
		c.run_ticks = task_run_ticks(current);
		/* Linux's: the process's peak, not the thread's own. */
		c.maxrss = MAX(c.maxrss, sums_of(current)->group_ru.maxrss);
	} else if (who == RUSAGE_SELF) {
		process_rusage(&c);
	} else {
		c = sums_of(current)->cru;
	}
	/* RUSAGE_SELF and _THREAD: and the address space now in use. */
	if (who != RUSAGE_CHILDREN && current->mm)
		c.maxrss = MAX(c.maxrss, get_mm_hiwater_rss(current->mm));
	spin_unlock_irqrestore(&tasks_lock, flags);
	ru_fill(&r, &c);
	return copy_to_user(ru, &r, sizeof(r)) ? -EFAULT : 0;
}
