/*
 * rusage.h - resource usage per task and per process (kernel/rusage.c),
 * for getrusage(2) and wait4(2). Of Linux's struct rusage the kernel keeps
 * the minor faults and the context switches; everything else is reported
 * as zero (docs/syscalls.md).
 *
 * How a fault reaches a task's count: each CPU already counts the faults
 * it handles (count_fault(), struct percpu's fault_events) and the POE
 * walker counts its fast-path hits per CPU (poe_walker_stats). A task is
 * charged what its CPU counted between its switch in and its switch out,
 * as Linux charges CPU time to the task that was running. That catches
 * the fast path too, which records only the TGID and runs before the
 * kernel knows which thread faulted.
 */
#ifndef KERNEL_RUSAGE_H
#define KERNEL_RUSAGE_H

#include <kernel/types.h>

struct task;
struct rusage;

/*
 * rusage_switch_in - t starts running on this CPU: note this CPU's count
 * of minor faults, from which its share is measured. Interrupts off, on
 * that CPU (finish_task_switch(), kernel/sched.c).
 */
void rusage_switch_in(struct task *t);

/*
 * rusage_switch_out - t stops running on this CPU for another task: add
 * the minor faults this CPU counted since t switched in to t->ru.min_flt,
 * and count the switch, voluntary (t goes to sleep: nvcsw) or not (t was
 * preempted or yielded and stays runnable: nivcsw), as Linux's
 * __schedule() does. Interrupts off, on the CPU t ran on (__schedule(),
 * kernel/sched.c).
 */
void rusage_switch_out(struct task *t, bool voluntary);

/*
 * rusage_exit - current is exiting (do_exit(), kernel/exit.c, before it
 * wakes a thread joining it): bring current->ru.min_flt up to date, so that
 * whoever it wakes sees all its faults. Any context with a user task
 * current; turns interrupts off for a moment.
 */
void rusage_exit(void);

/*
 * rusage_exit_locked - current is about to become a zombie or dead, under
 * tasks_lock (interrupts off): bring its count up to date and, for a
 * thread that is not its process's main thread, move it to the main
 * thread's group_ru, where RUSAGE_SELF finds the counts of exited
 * threads (Linux's __exit_signal() into signal_struct).
 */
void rusage_exit_locked(void);

/*
 * rusage_reap - current reaps the zombie process z (wait4(2), tasks_lock
 * held, z off its parent's list): add z's counts and those of the
 * children z waited for to the cru of current's main thread
 * (RUSAGE_CHILDREN), and fill *ru with the same figures for wait4 (Linux's
 * wait_task_zombie(), which reports RUSAGE_BOTH of the child).
 */
void rusage_reap(struct task *z, struct rusage *ru);

/*
 * rusage_de_thread - execve() in thread me, which is not its process's
 * main thread, makes me the main thread (de_thread(), kernel/exec.c):
 * the process-wide sums (group_ru, cru) move from the old main thread
 * old to me, and when old has exited already (a zombie that will never
 * be reaped) its own counts go to me's group_ru too, as those of any
 * exited thread. tasks_lock held. Our own; Linux keeps the sums in
 * signal_struct, which does not move.
 */
void rusage_de_thread(struct task *me, struct task *old, bool old_exited);

/*
 * rusage_exec_mm - exec is dropping old, the caller's address space: keep
 * its peak rss for ru_maxrss (Linux's setmax_mm_hiwater_rss() of
 * signal->maxrss in exec_mmap()). Never fails.
 */
struct mm_struct;
void rusage_exec_mm(struct mm_struct *old);

#endif
