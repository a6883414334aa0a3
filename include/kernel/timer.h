/*
 * timer.h - kernel timers driven by the tick (kernel/timer.c), as Linux's
 * <linux/timer.h>: fn(timer) runs in interrupt context once jiffies
 * reaches expires. It must not sleep; it may wake tasks or queue work.
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <kernel/list.h>
#include <kernel/types.h>

struct timer_list {
	struct list_head entry; /* on the pending list, or empty */
	u64 expires;		/* in jiffies */
	void (*fn)(struct timer_list *t);
};

/*
 * timer_setup - prepare t to call fn; it is not pending. Linux's
 * timer_setup() without its flags.
 */
void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *));

/*
 * mod_timer - (re)arm t to fire at the first tick where jiffies >=
 * expires (an absolute jiffies value: jiffies + delay). Returns true if
 * it was pending before. Linux's mod_timer().
 */
bool mod_timer(struct timer_list *t, u64 expires);

/*
 * del_timer - disarm t. Returns true if it was pending. t's function may
 * still be running on another CPU when this returns:
 * use del_timer_sync() before t's memory goes away. Linux's del_timer().
 */
bool del_timer(struct timer_list *t);

/*
 * del_timer_sync - del_timer(), then wait until t's function is not
 * running on any CPU. Returns true if it was pending. Must not be called
 * from t's own function (it would wait for itself). Linux's
 * del_timer_sync().
 */
bool del_timer_sync(struct timer_list *t);

/* timer_pending - true while t is armed. Linux's timer_pending(). */
bool timer_pending(const struct timer_list *t);

/*
 * run_timers - from the tick, interrupts off: call every expired timer's
 * function, earliest first. Called by the tick that moved jiffies, on
 * any CPU; returns at once if another CPU is running the timers, so a
 * timer function never runs on two CPUs at once. Linux's
 * run_timer_softirq(), run in the interrupt itself.
 */
void run_timers(void);

#endif
