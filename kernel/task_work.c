/*
 * task_work.c - callbacks a task runs on its way back to user mode
 * (include/kernel/task_work.h), as Linux's kernel/task_work.c: a
 * lock-free list in the task, pushed with compare-and-swap and taken
 * whole with an exchange, so an adder never waits for the runner.
 */
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/task_work.h>

/* The list head of a task past exit_task_work(): no work may be added
 * any more, because nothing would run it (Linux's work_exited). */
static struct callback_head work_exited;

int task_work_add(struct task *task, struct callback_head *twork)
{
	struct callback_head *head = READ_ONCE(task->task_works);

	do {
		if (head == &work_exited)
			return -ESRCH;
		twork->next = head;
	} while (!__atomic_compare_exchange_n(&task->task_works, &head, twork,
					      false, __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
	return 0;
}

void task_work_run(void)
{
	struct callback_head *work, *next, *prev;

	for (;;) {
		work = READ_ONCE(current->task_works);
		if (!work || work == &work_exited)
			return;
		work = __atomic_exchange_n(&current->task_works, NULL,
					   __ATOMIC_ACQUIRE);
		/* The list is newest first: reverse it, to run in order. */
		for (prev = NULL; work; work = next) {
			next = work->next;
			work->next = prev;
			prev = work;
		}
		for (work = prev; work; work = next) {
			next = work->next; /* the callback may reuse work */
			work->func(work);
		}
	}
}

void exit_task_work(void)
{
	struct callback_head *none;

	/* Run what is queued, then close the list in one compare-and-swap,
	 * so that work added meanwhile (by a fault or a tick on this CPU)
	 * is either run here or refused. Closed already: nothing to do. */
	for (;;) {
		task_work_run();
		none = NULL;
		if (__atomic_compare_exchange_n(&current->task_works, &none,
						&work_exited, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED) ||
		    none == &work_exited)
			return;
	}
}
