/*
 * wait.h - wait queues (kernel/wait.c), as Linux's <linux/wait.h>: a task
 * that must wait for a condition puts itself on a queue and sleeps; whoever
 * makes the condition true calls wake_up() on the queue. The condition is
 * always re-checked after waking, so spurious wake-ups are harmless.
 */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include <kernel/list.h>
#include <kernel/spinlock.h>

struct task;

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};

struct wait_queue_entry {
	struct task *task;
	struct list_head entry;
	/* What wake_up() does for this entry: NULL, wake task; else call
	 * func(entry) (under the queue's lock, maybe in an interrupt: it
	 * must not sleep). poll(2)'s entries note the wake-up first
	 * (fs/select.c, pollwake()). Linux's wait_queue_entry.func. */
	void (*func)(struct wait_queue_entry *w);
};

#define WAIT_QUEUE_HEAD_INIT(name)                         \
	{                                                  \
		SPINLOCK_INIT, LIST_HEAD_INIT((name).head) \
	}
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = WAIT_QUEUE_HEAD_INIT(name)

/* init_waitqueue_head - make wq an empty queue, as Linux's does. */
void init_waitqueue_head(struct wait_queue_head *wq);

/*
 * prepare_to_wait - queue current on wq through w (once, however often it
 * is called) and mark it TASK_INTERRUPTIBLE; the caller then tests its
 * condition and calls schedule(). Linux's prepare_to_wait() with
 * TASK_INTERRUPTIBLE.
 */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);

/*
 * add_wait_queue / remove_wait_queue - put w on wq, or take it off,
 * without touching any task's state: for a waiter on several queues at
 * once (poll(2), fs/select.c) that sets its own state and sleeps once.
 * Linux's add_wait_queue() and remove_wait_queue().
 */
void add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *w);
void remove_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *w);

/* finish_wait - mark current running, take w off wq. Linux's finish_wait(). */
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);

/*
 * wake_up - wake every task waiting on wq (there are no exclusive
 * waiters here). Safe from interrupts. Linux's wake_up().
 */
void wake_up(struct wait_queue_head *wq);

/*
 * wait_event - sleep until cond is true (evaluated in the caller's
 * context each time the task wakes). Mirrors Linux's wait_event().
 */
#define wait_event(wq, cond)                                       \
	do {                                                       \
		struct wait_queue_entry __w = { .task = current }; \
		INIT_LIST_HEAD(&__w.entry);                        \
		for (;;) {                                         \
			prepare_to_wait(&(wq), &__w);              \
			if (cond)                                  \
				break;                             \
			schedule();                                \
		}                                                  \
		finish_wait(&(wq), &__w);                          \
	} while (0)

/*
 * wait_event_timeout - as wait_event, for at most ticks jiffies. Evaluates
 * to the jiffies left (at least 1) when cond became true, 0 on time-out.
 * Linux's wait_event_timeout().
 */
#define wait_event_timeout(wq, cond, ticks)                        \
	({                                                         \
		long __left = (ticks);                             \
		struct wait_queue_entry __w = { .task = current }; \
		INIT_LIST_HEAD(&__w.entry);                        \
		for (;;) {                                         \
			prepare_to_wait(&(wq), &__w);              \
			if (cond) {                                \
				if (!__left)                       \
					__left = 1;                \
				break;                             \
			}                                          \
			if (!__left)                               \
				break;                             \
			__left = schedule_timeout(__left);         \
		}                                                  \
		finish_wait(&(wq), &__w);                          \
		__left;                                            \
	})

#endif
