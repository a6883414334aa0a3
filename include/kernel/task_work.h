/*
 * task_work.h - callbacks a task runs itself on its way back to user
 * mode, as Linux's <linux/task_work.h> with TWA_RESUME (kernel/
 * task_work.c). Code that may not sleep (a fault or the tick, interrupts
 * off) leaves work that needs a task context to the task it interrupted:
 * the task runs it in exit_to_user_mode(), before any user instruction,
 * with interrupts on and free to sleep, or in do_exit() if it dies
 * first (exit_task_work(); after that, adding fails). POE's kick uses it for the refill batch the faulting task pays
 * (mm/poe_postfault.c).
 */
#ifndef KERNEL_TASK_WORK_H
#define KERNEL_TASK_WORK_H

struct task;

/* One queued callback; embed it in whatever the callback needs (Linux's
 * struct callback_head, from <linux/types.h>). */
struct callback_head {
	struct callback_head *next;
	void (*func)(struct callback_head *head);
};

/* init_task_work - set the function a callback_head runs. Linux's. */
static inline void init_task_work(struct callback_head *twork,
				  void (*func)(struct callback_head *head))
{
	twork->next = NULL;
	twork->func = func;
}

/*
 * task_work_add - queue twork (not already queued) for task to run once,
 * on its way back to user mode or at its exit. Any context, interrupts
 * on or off; lock-free (one compare-and-swap). Returns 0, or -ESRCH once
 * the task has passed exit_task_work(): nothing would run the work, and
 * the caller must do without it (a work queued then would be lost, with
 * whatever state waits for it). Linux's task_work_add(task, twork,
 * TWA_RESUME).
 */
int task_work_add(struct task *task, struct callback_head *twork);

/*
 * task_work_run - run every callback queued for the current task, in the
 * order they were added, until none is left (a callback may queue
 * another). Interrupts on; may sleep. Called by exit_to_user_mode() and
 * do_exit(). Linux's task_work_run().
 */
void task_work_run(void);

/*
 * exit_task_work - run the current task's queued work for the last
 * time, and refuse any added later (task_work_add() then returns
 * -ESRCH). Called by do_exit() before it releases the task's mm and
 * files: the task still faults and takes ticks after this, in kernel
 * mode, but never returns to user mode to run work. Linux's
 * exit_task_work().
 */
void exit_task_work(void);

#endif
