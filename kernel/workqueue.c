/*
 * workqueue.c - work queues and their worker threads
 * (include/kernel/workqueue.h). system_wq has one worker per online CPU,
 * kworker/N, bound to CPU N; queue_work() hands an item to the worker of
 * the CPU it is called on, queue_work_on() to a chosen CPU's; so does a
 * queue made by alloc_workqueue(), whose workers are kworker/N:NAME. A
 * queue made by alloc_ordered_workqueue() has one worker, so its items
 * run one at a time in queue order. A worker sleeps until work arrives, then runs its
 * items in the order they were queued. A queued item is pending until
 * its worker takes it off the list; it may be queued again while it runs.
 * Delayed work rides on a kernel timer (kernel/timer.c) whose function
 * queues it, on the worker of the CPU that asked for it.
 *
 * wq->lock protects everything in the queue and its pools, and the
 * pending, pool and entry fields of every item queued on it.
 */
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <kernel/workqueue.h>
#include <mm/kmalloc.h>
#include <asm/irqflags.h>

/* One worker thread and the items waiting for it (Linux's worker_pool,
 * with exactly one worker). */
struct worker_pool {
	struct workqueue_struct *wq;
	struct list_head worklist;	  /* pending items, FIFO */
	struct wait_queue_head more_work; /* the worker sleeps here */
	struct work_struct *current_work; /* running now, or NULL */
	u64 queued, done;		  /* items ever queued / finished */
	struct task *worker;
	int cpu; /* where it runs */
};

struct workqueue_struct {
	char name[24];
	spinlock_t lock;
	struct wait_queue_head work_done; /* flushers and cancellers */
	bool per_cpu;			  /* a pool per CPU, else one */
	struct worker_pool *pools[NR_CPUS];
};

struct workqueue_struct *system_wq;

static int worker_thread(void *arg)
{
	struct worker_pool *pool = arg;
	struct workqueue_struct *wq = pool->wq;

	for (;;) {
		struct work_struct *w;
		unsigned long flags;

		wait_event(pool->more_work, !list_empty(&pool->worklist) ||
						    kthread_should_stop());
		spin_lock_irqsave(&wq->lock, flags);
		if (list_empty(&pool->worklist)) {
			spin_unlock_irqrestore(&wq->lock, flags);
			/* Empty for one of two reasons: asked to stop with
			 * nothing left, or cancel_work_sync() on another CPU
			 * took the item we were woken for between the test
			 * above and the lock. Only the first may end the
			 * worker (Linux's workers die only when told to). */
			if (kthread_should_stop())
				return 0;
			continue;
		}
		w = list_first_entry(&pool->worklist, struct work_struct,
				     entry);
		list_del_init(&w->entry);
		w->pending = false;
		pool->current_work = w;
		spin_unlock_irqrestore(&wq->lock, flags);

		w->func(w);

		spin_lock_irqsave(&wq->lock, flags);
		pool->current_work = NULL;
		pool->done++;
		spin_unlock_irqrestore(&wq->lock, flags);
		wake_up(&wq->work_done);
	}
}

static void free_wq(struct workqueue_struct *wq)
{
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		kfree(wq->pools[cpu]);
	kfree(wq);
}

/* Make cpu's pool of wq and its worker, bound to cpu, named name; the
 * worker is started by the caller. */
static struct worker_pool *create_pool(struct workqueue_struct *wq, int cpu,
				       const char *name)
{
	struct worker_pool *pool = kzalloc(sizeof(*pool));

	if (!pool)
		return NULL;
	pool->wq = wq;
	pool->cpu = cpu;
	INIT_LIST_HEAD(&pool->worklist);
	init_waitqueue_head(&pool->more_work);
	pool->worker = kthread_create(worker_thread, pool, name);
	if (!pool->worker) {
		kfree(pool);
		return NULL;
	}
	kthread_bind(pool->worker, cpu);
	wq->pools[cpu] = pool;
	return pool;
}

/* A queue named name, with a pool per online CPU (per_cpu) or one pool
 * on CPU 0; is_system names the per-CPU workers kworker/N, as system_wq's. */
static struct workqueue_struct *create_wq(const char *name, bool per_cpu,
					  bool is_system)
{
	struct workqueue_struct *wq = kzalloc(sizeof(*wq));
	char thread[TASK_COMM_LEN];
	int cpu;

	if (!wq)
		return NULL;
	snprintf(wq->name, sizeof(wq->name), "%s", name);
	spin_lock_init(&wq->lock);
	init_waitqueue_head(&wq->work_done);
	wq->per_cpu = per_cpu;
	if (per_cpu) {
		for_each_online_cpu(cpu)
		{
			if (is_system) /* system_wq's workers: kworker/N */
				snprintf(thread, sizeof(thread), "kworker/%d",
					 cpu);
			else
				snprintf(thread, sizeof(thread),
					 "kworker/%d:%s", cpu, name);
			if (!create_pool(wq, cpu, thread))
				goto fail;
		}
	} else {
		snprintf(thread, sizeof(thread), "kworker/0:%s", name);
		if (!create_pool(wq, 0, thread))
			goto fail;
	}
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (wq->pools[cpu])
			wake_up_process(wq->pools[cpu]->worker);
	return wq;

fail:
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (wq->pools[cpu])
			kthread_stop(wq->pools[cpu]->worker); /* never ran */
	free_wq(wq);
	return NULL;
}

struct workqueue_struct *alloc_workqueue(const char *name)
{
	return create_wq(name, true, false);
}

struct workqueue_struct *alloc_ordered_workqueue(const char *name)
{
	return create_wq(name, false, false);
}

void workqueue_init(void)
{
	system_wq = create_wq("events", true, true);
	if (!system_wq)
		panic("workqueue: cannot create system_wq");
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	flush_workqueue(wq);
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		if (wq->pools[cpu])
			kthread_stop(wq->pools[cpu]->worker);
	free_wq(wq);
}

/* The pool that runs wq's items queued for cpu. */
static struct worker_pool *pool_for(struct workqueue_struct *wq, int cpu)
{
	if (!wq->per_cpu || cpu < 0 || cpu >= NR_CPUS || !wq->pools[cpu])
		return wq->pools[0] ? wq->pools[0] :
				      wq->pools[cpumask_first(cpu_online_mask)];
	return wq->pools[cpu];
}

/* Put w, which the caller made pending, on pool's list; wq->lock held. */
static void insert_work(struct worker_pool *pool, struct work_struct *w)
{
	w->wq = pool->wq;
	w->pool = pool;
	list_add_tail(&w->entry, &pool->worklist);
	pool->queued++;
}

bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *w)
{
	struct worker_pool *pool = pool_for(wq, cpu);
	unsigned long flags;
	bool queued = false;

	spin_lock_irqsave(&wq->lock, flags);
	if (!w->pending) {
		w->pending = true;
		insert_work(pool, w);
		queued = true;
	}
	spin_unlock_irqrestore(&wq->lock, flags);
	if (queued)
		wake_up(&pool->more_work);
	return queued;
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *w)
{
	unsigned long flags;
	int cpu;

	local_irq_save(flags); /* the CPU number, stable while we read it */
	cpu = smp_processor_id();
	local_irq_restore(flags);
	return queue_work_on(cpu, wq, w);
}

void delayed_work_timer_fn(struct timer_list *t)
{
	struct delayed_work *dw = container_of(t, struct delayed_work, timer);
	struct workqueue_struct *wq = dw->wq;
	struct worker_pool *pool;
	unsigned long flags;

	/* The tick and the TSC are calibrated separately and may disagree
	 * by a hair: never run early, wait one more tick instead. */
	if (ktime_get_ns() < dw->deadline_ns) {
		mod_timer(&dw->timer, jiffies + 1);
		return;
	}
	/* The timer held it pending: queue it without testing again. */
	pool = pool_for(wq, dw->cpu);
	spin_lock_irqsave(&wq->lock, flags);
	insert_work(pool, &dw->work);
	spin_unlock_irqrestore(&wq->lock, flags);
	wake_up(&pool->more_work);
}

bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dw,
			unsigned long delay)
{
	unsigned long flags;

	if (delay == 0)
		return queue_work(wq, &dw->work);
	spin_lock_irqsave(&wq->lock, flags);
	if (dw->work.pending || timer_pending(&dw->timer)) {
		spin_unlock_irqrestore(&wq->lock, flags);
		return false;
	}
	dw->work.pending = true;
	dw->wq = wq;
	dw->cpu = smp_processor_id(); /* interrupts are off */
	dw->deadline_ns = ktime_get_ns() + jiffies_to_nsecs(delay);
	mod_timer(&dw->timer, deadline_to_jiffies(dw->deadline_ns));
	spin_unlock_irqrestore(&wq->lock, flags);
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

/* Is w running in one of wq's workers? */
static bool work_running(struct workqueue_struct *wq, struct work_struct *w)
{
	unsigned long flags;
	bool running = false;

	spin_lock_irqsave(&wq->lock, flags);
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		if (wq->pools[cpu] && wq->pools[cpu]->current_work == w)
			running = true;
	spin_unlock_irqrestore(&wq->lock, flags);
	return running;
}

bool flush_work(struct work_struct *w)
{
	struct workqueue_struct *wq = w->wq;
	bool busy;

	if (!wq)
		return false; /* never queued */
	busy = READ_ONCE(w->pending) || work_running(wq, w);
	if (busy)
		wait_event(wq->work_done,
			   !READ_ONCE(w->pending) && !work_running(wq, w));
	return busy;
}

bool cancel_work_sync(struct work_struct *w)
{
	struct workqueue_struct *wq = w->wq;
	unsigned long flags;
	bool was_pending = false;

	if (!wq)
		return false; /* never queued */
	spin_lock_irqsave(&wq->lock, flags);
	if (w->pending && !list_empty(&w->entry)) {
		list_del_init(&w->entry);
		w->pending = false;
		w->pool->done++; /* it will never run: count it as done */
		was_pending = true;
	}
	spin_unlock_irqrestore(&wq->lock, flags);
	wait_event(wq->work_done, !work_running(wq, w));
	return was_pending;
}

bool cancel_delayed_work_sync(struct delayed_work *dw)
{
	struct workqueue_struct *wq = dw->wq;
	bool was_pending = false;
	unsigned long flags;

	if (!wq)
		return cancel_work_sync(&dw->work); /* the timer never ran */
	/* _sync: once this returns, the timer function is not running,
	 * so the item is either still held by the timer or queued. */
	if (del_timer_sync(&dw->timer)) {
		spin_lock_irqsave(&wq->lock, flags);
		dw->work.pending = false;
		spin_unlock_irqrestore(&wq->lock, flags);
		was_pending = true;
	}
	return cancel_work_sync(&dw->work) || was_pending;
}

/* Has pool finished everything queued on it up to target? */
static bool pool_done(struct worker_pool *pool, u64 target)
{
	unsigned long flags;
	bool done;

	spin_lock_irqsave(&pool->wq->lock, flags);
	done = pool->done >= target;
	spin_unlock_irqrestore(&pool->wq->lock, flags);
	return done;
}

void flush_workqueue(struct workqueue_struct *wq)
{
	u64 target[NR_CPUS];
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		target[cpu] = wq->pools[cpu] ? wq->pools[cpu]->queued : 0;
	spin_unlock_irqrestore(&wq->lock, flags);
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		if (wq->pools[cpu])
			wait_event(wq->work_done,
				   pool_done(wq->pools[cpu], target[cpu]));
}

int schedule_on_each_cpu(work_func_t fn)
{
	struct work_struct works[NR_CPUS];
	int cpu;

	for_each_online_cpu(cpu)
	{
		INIT_WORK(&works[cpu], fn);
		queue_work_on(cpu, system_wq, &works[cpu]);
	}
	flush_workqueue(system_wq);
	return 0;
}
