/*
 * page_init.c - off-level page initialisation (include/mm/page_init.h,
 * docs/page_init.md): a caller that needs a large block zeroed hands it
 * to a page-init worker and sleeps, killable, until the worker has
 * zeroed it; the CPU meanwhile runs other threads and takes interrupts.
 *
 * One worker per online CPU, "page_init/N", bound to CPU N, asleep on its
 * own wait queue until a request is queued for it. A request goes to an
 * idle other CPU's worker when there is one (the zeroing then runs in
 * parallel with this CPU's other threads), else to this CPU's own (the
 * faulting thread's sleep still lets this CPU's other threads run between
 * the worker's time slices).
 *
 * A request is a job (fn) with its argument (a block), so that other
 * off-level jobs (the huge POE table's refill) can use the same workers.
 * Its lifetime is shared by two sides, the waiter and the worker, and
 * whoever comes second frees it: the waiter after a normal completion
 * (the worker touches the request for the last time inside req->lock, and
 * the waiter can only see REQ_DONE by taking that lock afterwards), the
 * worker after an abandonment (the killed waiter marks REQ_ABANDONED
 * under req->lock and never touches the request again). So it is
 * kmalloc()ed, never on the waiter's stack.
 */
#include <mm/page_init.h>
#include <kernel/atomic.h>
#include <kernel/cmdline.h>
#include <kernel/compiler.h>
#include <kernel/cpumask.h>
#include <kernel/errno.h>
#include <kernel/list.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <kernel/wait.h>
#include <mm/kmalloc.h>
#include <mm/page_alloc.h>
#include <asm/irqflags.h>

/* The worker zeroes this many bytes between two looks at whether the
 * waiter gave up: a killed waiter's block is not zeroed to the end. */
#define PAGE_INIT_CHUNK (64UL << 10)

enum page_init_mode page_init_mode = PAGE_INIT_INLINE;
unsigned long page_init_threshold = PAGE_INIT_DEFAULT_THRESHOLD;
struct page_init_stats page_init_stats;
int page_init_test_last_pid;
int page_init_test_last_cpu = -1;

enum page_init_req_state {
	REQ_PENDING,   /* queued, or being worked on */
	REQ_DONE,      /* the worker finished; the waiter owns the block */
	REQ_ABANDONED, /* the waiter was killed; the worker owns it */
};

/*
 * One off-level job. fn runs in the worker, with interrupts on and no
 * lock held; for a zeroing request it is page_init_zero_fn(). lock
 * protects state and serialises the hand-over of ownership (see the top
 * of the file); node belongs to the worker's lock.
 */
struct page_init_req {
	struct list_head node;
	void (*fn)(struct page_init_req *req);
	spinlock_t lock;
	enum page_init_req_state state;
	struct task *waiter;
	struct page *page;
	unsigned int order;
};

struct page_init_worker {
	spinlock_t lock;	     /* queue, nr_pending */
	struct list_head queue;	     /* requests not yet started */
	unsigned int nr_pending;     /* queued or being worked on */
	struct wait_queue_head more; /* the worker sleeps here */
	struct task *task;	     /* NULL: no worker on this CPU */
};

static struct page_init_worker workers[NR_CPUS];

static bool test_hold;
static DECLARE_WAIT_QUEUE_HEAD(test_hold_wq);

static int set_mode(const char *val)
{
	if (strcmp(val, "inline") == 0) {
		page_init_mode = PAGE_INIT_INLINE;
	} else if (strcmp(val, "offlevel") == 0) {
		page_init_mode = PAGE_INIT_OFFLEVEL;
	} else {
		pr_err("page_init: page_init=%s rejected: must be inline or "
		       "offlevel\n",
		       val);
		return -EINVAL;
	}
	return 0;
}
KERNEL_PARAM("page_init", set_mode,
	     "who zeroes large blocks: inline (default, the faulting "
	     "thread) or offlevel (a page_init/N worker while it sleeps)");

static int set_threshold(const char *val)
{
	unsigned long v;

	if (kstrtoul(val, 0, &v) || v < PAGE_SIZE || (v & (v - 1))) {
		pr_err("page_init: page_init.threshold=%s rejected: must be a "
		       "power of two >= %lu (bytes)\n",
		       val, PAGE_SIZE);
		return -EINVAL;
	}
	page_init_threshold = v;
	return 0;
}
KERNEL_PARAM("page_init.threshold", set_threshold,
	     "page_init=offlevel: blocks below this many bytes are still "
	     "zeroed inline (power of two >= 4096; default 2097152)");

void page_init_test_set_hold(bool hold)
{
	WRITE_ONCE(test_hold, hold);
	if (!hold)
		wake_up(&test_hold_wq);
}

/* The job of a zeroing request, in the worker: zero the block a chunk at
 * a time, stop early if the waiter gave up, then hand the block over to
 * the waiter, or free it when nobody wants it any more. */
static void page_init_zero_fn(struct page_init_req *req)
{
	char *p = page_address(req->page);
	unsigned long size = PAGE_SIZE << req->order, off;
	unsigned long flags;
	u64 t0 = ktime_get_ns();

	for (off = 0; off < size; off += PAGE_INIT_CHUNK) {
		/* A racy look: at worst one chunk more is zeroed for a
		 * waiter that has just left. */
		if (READ_ONCE(req->state) == REQ_ABANDONED)
			break;
		memset(p + off, 0, MIN(PAGE_INIT_CHUNK, size - off));
	}
	stat_add(&page_init_stats.worker_ns, ktime_get_ns() - t0);

	spin_lock_irqsave(&req->lock, flags);
	if (req->state == REQ_ABANDONED) {
		/* The waiter came first and left: we are second, and the
		 * block and the request are ours to free. */
		spin_unlock_irqrestore(&req->lock, flags);
		__free_pages(req->page, req->order);
		stat_add(&page_init_stats.abandoned_freed, 1);
		kfree(req);
		return;
	}
	/* Before REQ_DONE: the waiter reads them once it has returned. */
	WRITE_ONCE(page_init_test_last_pid, current->pid);
	WRITE_ONCE(page_init_test_last_cpu, smp_processor_id());
	req->state = REQ_DONE;
	/* Under req->lock: the waiter cannot see REQ_DONE, return and
	 * exit before this wake-up is over. After the unlock the request
	 * is the waiter's, and we do not touch it again. */
	wake_up_process(req->waiter);
	spin_unlock_irqrestore(&req->lock, flags);
}

static int page_init_worker_fn(void *arg)
{
	struct page_init_worker *w = arg;

	for (;;) {
		struct page_init_req *req;
		unsigned long flags;

		wait_event(w->more,
			   !list_empty(&w->queue) || kthread_should_stop());
		spin_lock_irqsave(&w->lock, flags);
		if (list_empty(&w->queue)) {
			spin_unlock_irqrestore(&w->lock, flags);
			if (kthread_should_stop())
				return 0;
			continue;
		}
		req = list_first_entry(&w->queue, struct page_init_req, node);
		list_del_init(&req->node);
		spin_unlock_irqrestore(&w->lock, flags);

		if (READ_ONCE(test_hold))
			wait_event(test_hold_wq, !READ_ONCE(test_hold));
		req->fn(req); /* may free req */

		spin_lock_irqsave(&w->lock, flags);
		w->nr_pending--;
		spin_unlock_irqrestore(&w->lock, flags);
	}
}

void page_init_init(void)
{
	int cpu, started = 0;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		spin_lock_init(&workers[cpu].lock);
		INIT_LIST_HEAD(&workers[cpu].queue);
		init_waitqueue_head(&workers[cpu].more);
	}
	for_each_online_cpu(cpu)
	{
		struct task *t = kthread_create_on_cpu(page_init_worker_fn,
						       &workers[cpu], cpu,
						       "page_init/%u");

		if (!t) {
			pr_err("page_init: no worker for CPU %d (out of "
			       "memory): its requests go elsewhere\n",
			       cpu);
			continue;
		}
		workers[cpu].task = t;
		wake_up_process(t);
		started++;
	}
	pr_info("page_init: %d workers, mode %s, threshold %lu bytes\n",
		started,
		page_init_mode == PAGE_INIT_OFFLEVEL ? "offlevel" : "inline",
		page_init_threshold);
}

/*
 * The worker for a request from this CPU: an idle other CPU's (nothing
 * runs there and its worker has nothing queued), so the zeroing runs in
 * parallel; else this CPU's own; else any (this CPU has no worker).
 * *remote says whether it is another CPU's. The CPU number is only a
 * hint: the caller may move, which costs nothing but the choice.
 */
static struct page_init_worker *pick_worker(bool *remote)
{
	int this = smp_processor_id(), cpu;

	*remote = true;
	for_each_online_cpu(cpu)
	{
		struct page_init_worker *w = &workers[cpu];

		if (cpu != this && w->task && !READ_ONCE(w->nr_pending) &&
		    sched_nr_running(cpu) == 0)
			return w;
	}
	if (workers[this].task) {
		*remote = false;
		return &workers[this];
	}
	for_each_online_cpu(cpu)
	{
		if (workers[cpu].task)
			return &workers[cpu];
	}
	return NULL;
}

static void zero_inline(struct page *page, unsigned int order)
{
	u64 t0 = ktime_get_ns();

	memset(page_address(page), 0, PAGE_SIZE << order);
	stat_add(&page_init_stats.inline_ns, ktime_get_ns() - t0);
	stat_add(&page_init_stats.inline_blocks, 1);
}

/* May the caller sleep here? What it says, and what the CPU says. */
static bool can_sleep(bool may_sleep)
{
	return may_sleep && (arch_local_save_flags() & X86_EFLAGS_IF) &&
	       !this_cpu()->preempt_count;
}

int page_init_zero(struct page *page, unsigned int order, bool may_sleep)
{
	struct page_init_worker *w;
	struct page_init_req *req;
	unsigned long flags;
	bool remote;
	int ret;
	u64 t0;

	if (READ_ONCE(page_init_mode) != PAGE_INIT_OFFLEVEL ||
	    (PAGE_SIZE << order) < READ_ONCE(page_init_threshold) ||
	    !can_sleep(may_sleep) || fatal_signal_pending(current) ||
	    !(w = pick_worker(&remote)) || !(req = kmalloc(sizeof(*req)))) {
		zero_inline(page, order);
		return 0;
	}
	INIT_LIST_HEAD(&req->node);
	req->fn = page_init_zero_fn;
	spin_lock_init(&req->lock);
	req->state = REQ_PENDING;
	req->waiter = current;
	req->page = page;
	req->order = order;

	stat_add(&page_init_stats.offlevel_blocks, 1);
	if (remote)
		stat_add(&page_init_stats.remote_blocks, 1);
	t0 = ktime_get_ns();
	spin_lock_irqsave(&w->lock, flags);
	list_add_tail(&req->node, &w->queue);
	w->nr_pending++;
	spin_unlock_irqrestore(&w->lock, flags);
	wake_up(&w->more);

	/*
	 * A killable sleep (Linux's TASK_KILLABLE, which we do not have):
	 * TASK_INTERRUPTIBLE, but only a fatal signal ends it; any other
	 * wake-up just goes round again. The state is set before the lock,
	 * whose xchg orders it before the loads of state and of the signal
	 * bit: a worker that finishes, or a sigkill_task() that sets the
	 * bit, after those loads finds us TASK_INTERRUPTIBLE and wakes us.
	 */
	for (;;) {
		current->state = TASK_INTERRUPTIBLE;
		spin_lock_irqsave(&req->lock, flags);
		if (req->state == REQ_DONE) {
			spin_unlock_irqrestore(&req->lock, flags);
			ret = 0;
			break;
		}
		if (fatal_signal_pending(current)) {
			/* First to leave: the worker frees the block and
			 * the request. Do not touch either after the
			 * unlock. */
			req->state = REQ_ABANDONED;
			stat_add(&page_init_stats.abandoned_blocks, 1);
			spin_unlock_irqrestore(&req->lock, flags);
			ret = -EINTR;
			break;
		}
		spin_unlock_irqrestore(&req->lock, flags);
		schedule();
	}
	current->state = TASK_RUNNING;
	stat_add(&page_init_stats.wait_ns, ktime_get_ns() - t0);
	if (ret == 0)
		kfree(req); /* the worker is done with it */
	return ret;
}
