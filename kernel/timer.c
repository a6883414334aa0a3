/*
 * timer.c - the timer list (include/kernel/timer.h). Pending timers sit on
 * one list sorted by expiry; the tick (kernel/time.c) calls run_timers(),
 * which pops the expired ones. Linux uses a timer wheel to make adding and
 * removing O(1); a sorted list is the readable version of the same thing.
 *
 * Any CPU may arm or disarm a timer; the tick that moves jiffies runs
 * them, on whichever CPU, but only one CPU at a time (timers_busy), so
 * that a timer function never runs on two CPUs at once and there is one
 * running_timer: the timer whose function runs right now, which
 * del_timer_sync() waits for. timer_lock protects the list and
 * running_timer.
 */
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <asm/cpu.h>

static LIST_HEAD(timer_list_head);
static DEFINE_SPINLOCK(timer_lock);
static struct timer_list *volatile running_timer;
static int timers_busy; /* 1 while some CPU is in run_timers() */

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *))
{
	INIT_LIST_HEAD(&t->entry);
	t->fn = fn;
	t->expires = 0;
}

bool timer_pending(const struct timer_list *t)
{
	return !list_empty(&t->entry);
}

/* Take t off the pending list if it is on it; timer_lock held. */
static bool detach_if_pending(struct timer_list *t)
{
	if (!timer_pending(t))
		return false;
	list_del_init(&t->entry);
	return true;
}

bool mod_timer(struct timer_list *t, u64 expires)
{
	struct list_head *pos;
	unsigned long flags;
	bool was_pending;

	spin_lock_irqsave(&timer_lock, flags);
	was_pending = detach_if_pending(t);
	t->expires = expires;
	list_for_each(pos, &timer_list_head)
		if (list_entry(pos, struct timer_list, entry)->expires >
		    expires)
			break;
	list_add_tail(&t->entry, pos); /* before the first later one */
	spin_unlock_irqrestore(&timer_lock, flags);
	return was_pending;
}

bool del_timer(struct timer_list *t)
{
	unsigned long flags;
	bool was_pending;

	spin_lock_irqsave(&timer_lock, flags);
	was_pending = detach_if_pending(t);
	spin_unlock_irqrestore(&timer_lock, flags);
	return was_pending;
}

bool del_timer_sync(struct timer_list *t)
{
	bool was_pending = false;

	/* Its function may have been popped just before we took the lock:
	 * wait until it has returned; if it re-armed t, disarm it again. */
	do {
		was_pending |= del_timer(t);
		while (READ_ONCE(running_timer) == t)
			cpu_relax();
	} while (timer_pending(t));
	return was_pending;
}

void run_timers(void)
{
	/* Another CPU is at it: it pops what has expired, this too. */
	if (__atomic_exchange_n(&timers_busy, 1, __ATOMIC_ACQUIRE))
		return;
	for (;;) {
		struct timer_list *t;
		unsigned long flags;

		spin_lock_irqsave(&timer_lock, flags);
		if (list_empty(&timer_list_head) ||
		    (t = list_first_entry(&timer_list_head, struct timer_list,
					  entry))
				    ->expires > jiffies) {
			spin_unlock_irqrestore(&timer_lock, flags);
			break;
		}
		list_del_init(&t->entry);
		running_timer = t;
		spin_unlock_irqrestore(&timer_lock, flags);
		t->fn(t);
		spin_lock_irqsave(&timer_lock, flags);
		running_timer = NULL;
		spin_unlock_irqrestore(&timer_lock, flags);
	}
	__atomic_store_n(&timers_busy, 0, __ATOMIC_RELEASE);
}
