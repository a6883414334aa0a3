/*
 * workqueue.h - "run this later, in a thread" (kernel/workqueue.c), with
 * Linux's API (<linux/workqueue.h>). A work item is a function; queueing
 * it hands it to a worker thread that runs queued items in order: for
 * system_wq the worker of the CPU it was queued on (kworker/N, bound to
 * CPU N). A delayed work item is queued by a timer after a delay. The POE
 * post-page-fault work is one of these (docs/poe.md).
 */
#ifndef KERNEL_WORKQUEUE_H
#define KERNEL_WORKQUEUE_H

#include <kernel/list.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <kernel/types.h>
#include <kernel/wait.h>

struct work_struct;
struct workqueue_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct worker_pool;

struct work_struct {
	struct list_head entry; /* on a worker's list while pending */
	work_func_t func;
	bool pending;		     /* queued, not yet started */
	struct workqueue_struct *wq; /* where it was last queued */
	struct worker_pool *pool;    /* whose worker runs it */
};

struct delayed_work {
	struct work_struct work;
	struct timer_list timer;
	struct workqueue_struct *wq; /* where the timer will queue it */
	int cpu;		     /* whose worker: the queueing CPU */
	u64 deadline_ns;	     /* ktime_get_ns() when it may run */
};

#define INIT_WORK(w, f)                      \
	do {                                 \
		INIT_LIST_HEAD(&(w)->entry); \
		(w)->func = (f);             \
		(w)->pending = false;        \
		(w)->wq = NULL;              \
		(w)->pool = NULL;            \
	} while (0)

/*
 * delayed_work_timer_fn - the timer function INIT_DELAYED_WORK() installs:
 * queue the item once its TSC deadline has passed, or re-arm for the next
 * tick if the tick came a hair early. Interrupt context. Linux's
 * delayed_work_timer_fn().
 */
void delayed_work_timer_fn(struct timer_list *t);

#define INIT_DELAYED_WORK(dw, f)                                  \
	do {                                                      \
		INIT_WORK(&(dw)->work, (f));                      \
		timer_setup(&(dw)->timer, delayed_work_timer_fn); \
		(dw)->wq = NULL;                                  \
	} while (0)

#define to_delayed_work(w) container_of(w, struct delayed_work, work)

/* The default queue, worked by kworker/N on each CPU N (Linux's
 * system_wq). */
extern struct workqueue_struct *system_wq;

/*
 * workqueue_init - create system_wq and its workers, one per online CPU,
 * at boot; panics when out of memory. Needs the scheduler, and the other
 * CPUs online (after smp_init()). Linux's workqueue_init().
 */
void workqueue_init(void);

/*
 * alloc_workqueue - a queue of one's own with a worker per online CPU,
 * "kworker/N:name", bound to CPU N; queue_work() gives an item to the
 * worker of the CPU it is called on, queue_work_on() to a chosen CPU's.
 * Returns NULL when out of memory. Linux's alloc_workqueue() for a
 * per-CPU (not WQ_UNBOUND) queue, without its flags and max_active.
 */
struct workqueue_struct *alloc_workqueue(const char *name);

/*
 * alloc_ordered_workqueue - a queue of one's own worked by one thread,
 * "kworker/0:name", bound to CPU 0, which runs its items one at a time in
 * queue order, whichever CPU queued them. Returns NULL when out of
 * memory. Linux's alloc_ordered_workqueue() (whose worker is unbound).
 */
struct workqueue_struct *alloc_ordered_workqueue(const char *name);

/*
 * destroy_workqueue - flush wq, stop its worker and free it. Nothing may
 * queue on wq any more. Linux's destroy_workqueue().
 */
void destroy_workqueue(struct workqueue_struct *wq);

/*
 * queue_work - queue w on wq unless it is already pending, for this CPU's
 * worker (system_wq) or the queue's one worker. Returns true if it was
 * queued, false if it was pending already. Safe from interrupts. Linux's
 * queue_work().
 */
bool queue_work(struct workqueue_struct *wq, struct work_struct *w);

/*
 * queue_work_on - queue_work() for the worker of CPU cpu (an online CPU;
 * a queue with one worker ignores cpu). Returns true if queued, false if
 * already pending. Safe from interrupts. Linux's queue_work_on().
 */
bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *w);

/*
 * flush_work - wait until w, if queued or running, has finished running
 * (sleeps; task context). Returns true if it had to wait. Linux's
 * flush_work().
 */
bool flush_work(struct work_struct *w);

/*
 * queue_delayed_work - queue dw on wq after at least delay jiffies (use
 * msecs_to_jiffies() for milliseconds), for the worker of the CPU that
 * calls this. The deadline is measured on the
 * TSC, not in whole ticks, and the timer is armed for the first tick
 * after it, so the work runs no earlier than delay * TICK_NSEC after the
 * call and at most one tick later. Returns false if dw was already
 * pending (timer or queue), true if this call queued it. delay = 0 queues
 * at once. Linux's queue_delayed_work(), minus its timer slack.
 */
bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dw,
			unsigned long delay);

/*
 * schedule_work / schedule_delayed_work - queue_work() and
 * queue_delayed_work() (delay in jiffies) on system_wq, as Linux's.
 */
bool schedule_work(struct work_struct *w);
bool schedule_delayed_work(struct delayed_work *dw, unsigned long delay);

/*
 * cancel_work_sync - take w off its queue if pending and wait until it is
 * not running. Returns true if it was pending. Must not be called from w.
 * Linux's cancel_work_sync().
 */
bool cancel_work_sync(struct work_struct *w);

/*
 * cancel_delayed_work_sync - the same for a delayed item: the timer is
 * disarmed too, so a pending item never runs. Returns true if pending.
 * Linux's cancel_delayed_work_sync().
 */
bool cancel_delayed_work_sync(struct delayed_work *dw);

/*
 * flush_workqueue - wait until everything queued on wq before the call
 * has run (or was cancelled). Linux's flush_workqueue().
 */
void flush_workqueue(struct workqueue_struct *wq);

/*
 * schedule_on_each_cpu - run fn once on every online CPU, each time in
 * that CPU's kworker/N (so on CPU N), and wait for all of them. Process
 * context; fn may sleep. Returns 0. Mirrors Linux's
 * schedule_on_each_cpu().
 */
int schedule_on_each_cpu(work_func_t fn);

#endif
