/*
 * workqueue.c - work queues and their worker threads
 * (include/kernel/workqueue.h). Each queue has one worker thread (one CPU
 * today: kworker/0 for system_wq) that sleeps until work arrives, then
 * runs items in the order they were queued. A queued item is pending
 * until the worker takes it off the list; it may be queued again while it
 * runs. Delayed work rides on a kernel timer (kernel/timer.c) whose
 * function queues it.
 */
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <kernel/workqueue.h>
#include <mm/kmalloc.h>
#include <asm/irqflags.h>

struct workqueue_struct {
	char name[24];
	struct list_head worklist;	  /* pending items, FIFO */
	struct wait_queue_head more_work; /* the worker sleeps here */
	struct wait_queue_head work_done; /* flushers and cancellers */
	struct work_struct *current_work; /* running now, or NULL */
	u64 queued, done;		  /* items ever queued / finished */
	struct task *worker;
};

struct workqueue_struct *system_wq;

static int worker_thread(void *arg)
{
	struct workqueue_struct *wq = arg;

	for (;;) {
		struct work_struct *w;
		unsigned long flags;

		wait_event(wq->more_work,
			   !list_empty(&wq->worklist) || kthread_should_stop());
		local_irq_save(flags);
		if (list_empty(&wq->worklist)) {
			local_irq_restore(flags);
			return 0; /* asked to stop, nothing left */
		}
		w = list_first_entry(&wq->worklist, struct work_struct, entry);
		list_del_init(&w->entry);
		w->pending = false;
		wq->current_work = w;
		local_irq_restore(flags);

		w->func(w);

		local_irq_save(flags);
		wq->current_work = NULL;
		wq->done++;
		local_irq_restore(flags);
		wake_up(&wq->work_done);
	}
}

static struct workqueue_struct *create_wq(const char *name, const char *thread)
{
	struct workqueue_struct *wq = kzalloc(sizeof(*wq));

	if (!wq)
		return NULL;
	snprintf(wq->name, sizeof(wq->name), "%s", name);
	INIT_LIST_HEAD(&wq->worklist);
	init_waitqueue_head(&wq->more_work);
	init_waitqueue_head(&wq->work_done);
	wq->worker = kthread_run(worker_thread, wq, thread);
	if (!wq->worker) {
		kfree(wq);
		return NULL;
	}
	return wq;
}

struct workqueue_struct *alloc_workqueue(const char *name)
{
	char thread[TASK_COMM_LEN];

	snprintf(thread, sizeof(thread), "kworker/0:%s", name);
	return create_wq(name, thread);
}

void workqueue_init(void)
{
	system_wq = create_wq("events", "kworker/0");
	if (!system_wq)
		panic("workqueue: cannot create system_wq");
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	flush_workqueue(wq);
	kthread_stop(wq->worker);
	kfree(wq);
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *w)
{
	unsigned long flags;
	bool queued = false;

	local_irq_save(flags);
	if (!w->pending) {
		w->pending = true;
		w->wq = wq;
		list_add_tail(&w->entry, &wq->worklist);
		wq->queued++;
		queued = true;
	}
	local_irq_restore(flags);
	if (queued)
		wake_up(&wq->more_work);
	return queued;
}

void delayed_work_timer_fn(struct timer_list *t)
{
	struct delayed_work *dw = container_of(t, struct delayed_work, timer);

	/* The tick and the TSC are calibrated separately and may disagree
	 * by a hair: never run early, wait one more tick instead. */
	if (ktime_get_ns() < dw->deadline_ns) {
		mod_timer(&dw->timer, jiffies + 1);
		return;
	}
	dw->work.pending = false; /* the timer held it pending */
	queue_work(dw->wq, &dw->work);
}

bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dw,
			unsigned long delay)
{
	unsigned long flags;

	if (delay == 0)
		return queue_work(wq, &dw->work);
	local_irq_save(flags);
	if (dw->work.pending || timer_pending(&dw->timer)) {
		local_irq_restore(flags);
		return false;
	}
	dw->work.pending = true;
	dw->wq = wq;
	dw->deadline_ns = ktime_get_ns() + jiffies_to_nsecs(delay);
	mod_timer(&dw->timer, deadline_to_jiffies(dw->deadline_ns));
	local_irq_restore(flags);
	return true;
}

bool schedule_work(struct work_struct *w)
{
	return queue_work(system_wq, w);
}

bool schedule_delayed_work(struct delayed_work *dw, unsigned long delay)
{
	return queue_delayed_work(system_wq, dw, delay);
}

bool cancel_work_sync(struct work_struct *w)
{
	struct workqueue_struct *wq = w->wq;
	unsigned long flags;
	bool was_pending = false;

	if (!wq)
		return false; /* never queued */
	local_irq_save(flags);
	if (w->pending && !list_empty(&w->entry)) {
		list_del_init(&w->entry);
		w->pending = false;
		wq->done++; /* it will never run: count it as done */
		was_pending = true;
	}
	local_irq_restore(flags);
	wait_event(wq->work_done, READ_ONCE(wq->current_work) != w);
	return was_pending;
}

bool cancel_delayed_work_sync(struct delayed_work *dw)
{
	bool was_pending = false;
	unsigned long flags;

	local_irq_save(flags);
	if (del_timer(&dw->timer)) {
		dw->work.pending = false;
		was_pending = true;
	}
	local_irq_restore(flags);
	return cancel_work_sync(&dw->work) || was_pending;
}

void flush_workqueue(struct workqueue_struct *wq)
{
	u64 target = READ_ONCE(wq->queued);

	wait_event(wq->work_done, READ_ONCE(wq->done) >= target);
}

int schedule_on_each_cpu(work_func_t fn)
{
	struct work_struct works[NR_CPUS];
	int cpu;

	for_each_online_cpu(cpu)
	{
		INIT_WORK(&works[cpu], fn);
		queue_work(system_wq, &works[cpu]); /* one CPU: kworker/0 */
	}
	flush_workqueue(system_wq);
	return 0;
}
