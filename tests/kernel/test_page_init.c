/*
 * test_page_init.c - in-kernel tests (ktest) of off-level page
 * initialisation, mm/page_init.c (docs/page_init.md):
 *
 *   page_init.inline_mode_zeroes_inline      page_init=inline: the caller
 *                                            zeroes, no worker is asked
 *   page_init.below_threshold_is_inline      off level, a block below the
 *                                            threshold stays inline; at
 *                                            the threshold it goes out
 *   page_init.offlevel_worker_zeroes         an order-9 block is zeroed by
 *                                            a page_init/N worker, not by
 *                                            the caller
 *   page_init.no_sleep_is_inline             !may_sleep, and interrupts
 *                                            off, zero inline
 *   page_init.fatal_signal_is_inline         a caller being killed zeroes
 *                                            inline, without waiting
 *   page_init.killed_waiter_gets_eintr       SIGKILL while waiting: -EINTR
 *                                            at once, the worker frees
 *                                            the block later, no page lost
 *   page_init.others_run_while_waiting       a waiter sleeps (off the run
 *                                            queue) and a thread of the
 *                                            same CPU runs meanwhile
 *
 * Each test sets the mode and threshold it needs and puts them back. The
 * last two hold the workers (page_init_test_set_hold()) to keep a caller
 * waiting for as long as they look at it. At SMP=1 and SMP=2 alike.
 */
#include <kernel/ktest.h>
#include <kernel/cpumask.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <mm/page_alloc.h>
#include <mm/page_init.h>
#include <asm/irqflags.h>

#define HUGE_ORDER 9			   /* 2 MiB */
#define WAIT_NS	   (2000ULL * 1000 * 1000) /* 2 s: TCG on a busy host */

struct saved_params {
	enum page_init_mode mode;
	unsigned long threshold;
};

static struct saved_params set_params(enum page_init_mode mode,
				      unsigned long threshold)
{
	struct saved_params s = { page_init_mode, page_init_threshold };

	page_init_mode = mode;
	page_init_threshold = threshold;
	return s;
}

static void restore_params(struct saved_params s)
{
	page_init_mode = s.mode;
	page_init_threshold = s.threshold;
}

static void fill(struct page *page, unsigned int order)
{
	memset(page_address(page), 0x5a, PAGE_SIZE << order);
}

static bool all_zero(struct page *page, unsigned int order)
{
	const u64 *p = page_address(page);
	unsigned long n = (PAGE_SIZE << order) / sizeof(u64);

	for (unsigned long i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Poll cond every ms for at most WAIT_NS; evaluates to cond's last value. */
#define wait_for(cond)                                             \
	({                                                         \
		u64 __t0 = ktime_get_ns();                         \
		while (!(cond) && ktime_get_ns() - __t0 < WAIT_NS) \
			msleep(1);                                 \
		(cond);                                            \
	})

KTEST(page_init, inline_mode_zeroes_inline)
{
	struct saved_params s =
		set_params(PAGE_INIT_INLINE, PAGE_INIT_DEFAULT_THRESHOLD);
	struct page_init_stats before = page_init_stats;
	struct page *page = alloc_pages(HUGE_ORDER);

	KTEST_ASSERT(t, page);
	fill(page, HUGE_ORDER);
	KTEST_EXPECT_EQ(t, page_init_zero(page, HUGE_ORDER, true), 0);
	KTEST_EXPECT(t, all_zero(page, HUGE_ORDER));
	KTEST_EXPECT_EQ(t, page_init_stats.inline_blocks,
			before.inline_blocks + 1);
	KTEST_EXPECT_EQ(t, page_init_stats.offlevel_blocks,
			before.offlevel_blocks);
	__free_pages(page, HUGE_ORDER);
	restore_params(s);
}

/* Zero a block of this order off level (may_sleep), and say whether it
 * went to a worker (1), inline (0), or failed (-1). */
static int zero_where(struct ktest *t, unsigned int order)
{
	struct page_init_stats before = page_init_stats;
	struct page *page = alloc_pages(order);
	int where;

	if (!page)
		return -1;
	fill(page, order);
	KTEST_EXPECT_EQ(t, page_init_zero(page, order, true), 0);
	KTEST_EXPECT(t, all_zero(page, order));
	__free_pages(page, order);
	where = page_init_stats.offlevel_blocks != before.offlevel_blocks;
	/* Exactly one of the two counted it. */
	KTEST_EXPECT_EQ(t,
			page_init_stats.inline_blocks - before.inline_blocks +
				page_init_stats.offlevel_blocks -
				before.offlevel_blocks,
			1);
	return where;
}

KTEST(page_init, below_threshold_is_inline)
{
	struct saved_params s =
		set_params(PAGE_INIT_OFFLEVEL, PAGE_INIT_DEFAULT_THRESHOLD);

	KTEST_EXPECT_EQ(t, zero_where(t, 0), 0);
	KTEST_EXPECT_EQ(t, zero_where(t, HUGE_ORDER - 1), 0); /* 1 MiB */
	KTEST_EXPECT_EQ(t, zero_where(t, HUGE_ORDER), 1);     /* 2 MiB */
	page_init_threshold = 2 * PAGE_SIZE;
	KTEST_EXPECT_EQ(t, zero_where(t, 0), 0);
	KTEST_EXPECT_EQ(t, zero_where(t, 1), 1);
	restore_params(s);
}

KTEST(page_init, offlevel_worker_zeroes)
{
	struct saved_params s =
		set_params(PAGE_INIT_OFFLEVEL, PAGE_INIT_DEFAULT_THRESHOLD);
	struct page_init_stats before = page_init_stats;
	struct page *page = alloc_pages(HUGE_ORDER);
	struct cpumask me, saved;
	struct task *worker;
	int pid;

	KTEST_ASSERT(t, page);
	fill(page, HUGE_ORDER);
	/* Stay on this CPU, so that "another CPU's worker" means one. */
	cpumask_copy(&saved, &current->cpus_mask);
	cpumask_clear(&me);
	cpumask_set_cpu(smp_processor_id(), &me);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(current, &me), 0);
	page_init_test_last_pid = 0;
	page_init_test_last_cpu = -1;
	KTEST_EXPECT_EQ(t, page_init_zero(page, HUGE_ORDER, true), 0);
	KTEST_EXPECT(t, all_zero(page, HUGE_ORDER));
	KTEST_EXPECT_EQ(t, page_init_stats.offlevel_blocks,
			before.offlevel_blocks + 1);
	KTEST_EXPECT_EQ(t, page_init_stats.inline_blocks, before.inline_blocks);
	KTEST_EXPECT(t, page_init_stats.worker_ns > before.worker_ns);
	/* Zeroed by a worker, not by us. */
	pid = page_init_test_last_pid;
	KTEST_EXPECT(t, pid != 0 && pid != current->pid);
	worker = find_task(pid);
	KTEST_EXPECT(t, worker && strncmp(worker->comm, "page_init/", 10) == 0);
	/* With a second CPU idle (the ktests leave the others idle), the
	 * work goes there: it runs in parallel with this CPU's threads. */
	if (num_online_cpus() > 1) {
		KTEST_EXPECT_EQ(t, page_init_stats.remote_blocks,
				before.remote_blocks + 1);
		KTEST_EXPECT(t, page_init_test_last_cpu != smp_processor_id());
	}
	KTEST_EXPECT_EQ(t, sched_setaffinity(0, &saved), 0);
	__free_pages(page, HUGE_ORDER);
	restore_params(s);
}

KTEST(page_init, no_sleep_is_inline)
{
	struct saved_params s =
		set_params(PAGE_INIT_OFFLEVEL, PAGE_INIT_DEFAULT_THRESHOLD);
	struct page_init_stats before = page_init_stats;
	struct page *page = alloc_pages(HUGE_ORDER);
	unsigned long flags;

	KTEST_ASSERT(t, page);
	fill(page, HUGE_ORDER);
	KTEST_EXPECT_EQ(t, page_init_zero(page, HUGE_ORDER, false), 0);
	KTEST_EXPECT(t, all_zero(page, HUGE_ORDER));
	/* may_sleep, but interrupts off: the caller cannot really sleep. */
	fill(page, HUGE_ORDER);
	local_irq_save(flags);
	KTEST_EXPECT_EQ(t, page_init_zero(page, HUGE_ORDER, true), 0);
	local_irq_restore(flags);
	KTEST_EXPECT(t, all_zero(page, HUGE_ORDER));
	KTEST_EXPECT_EQ(t, page_init_stats.inline_blocks,
			before.inline_blocks + 2);
	KTEST_EXPECT_EQ(t, page_init_stats.offlevel_blocks,
			before.offlevel_blocks);
	__free_pages(page, HUGE_ORDER);
	restore_params(s);
}

/* A caller of page_init_zero() in a thread of its own, which a test may
 * kill: it runs page_init_zero(page, order, true) once. */
struct waiter {
	struct page *page;
	unsigned int order;
	bool kill_self; /* SIGKILL itself first */
	volatile int entered, finished, ret;
};

static int waiter_fn(void *p)
{
	struct waiter *w = p;

	if (w->kill_self)
		sigkill_task(current);
	WRITE_ONCE(w->entered, 1);
	w->ret = page_init_zero(w->page, w->order, true);
	WRITE_ONCE(w->finished, 1);
	return 0;
}

KTEST(page_init, fatal_signal_is_inline)
{
	struct saved_params s =
		set_params(PAGE_INIT_OFFLEVEL, PAGE_INIT_DEFAULT_THRESHOLD);
	struct page_init_stats before = page_init_stats;
	struct waiter w = { .order = HUGE_ORDER, .kill_self = true };
	struct task *k;

	w.page = alloc_pages(HUGE_ORDER);
	KTEST_ASSERT(t, w.page);
	fill(w.page, HUGE_ORDER);
	k = kthread_run(waiter_fn, &w, "ktest-pi-killed");
	KTEST_ASSERT(t, k);
	KTEST_EXPECT(t, wait_for(READ_ONCE(w.finished)));
	kthread_stop(k);
	KTEST_EXPECT_EQ(t, w.ret, 0);
	KTEST_EXPECT(t, all_zero(w.page, HUGE_ORDER));
	KTEST_EXPECT_EQ(t, page_init_stats.inline_blocks,
			before.inline_blocks + 1);
	KTEST_EXPECT_EQ(t, page_init_stats.offlevel_blocks,
			before.offlevel_blocks);
	__free_pages(w.page, HUGE_ORDER);
	restore_params(s);
}

/* Is k asleep in page_init_zero()'s wait: handed over, off the queue? */
static bool waiting(struct task *k, const struct waiter *w,
		    unsigned long offlevel_before)
{
	return READ_ONCE(w->entered) && !READ_ONCE(w->finished) &&
	       READ_ONCE(page_init_stats.offlevel_blocks) != offlevel_before &&
	       k->state == TASK_INTERRUPTIBLE && !READ_ONCE(k->on_rq);
}

KTEST(page_init, killed_waiter_gets_eintr)
{
	struct saved_params s =
		set_params(PAGE_INIT_OFFLEVEL, PAGE_INIT_DEFAULT_THRESHOLD);
	struct page_init_stats before = page_init_stats;
	unsigned long free_before = nr_free_pages();
	struct waiter w = { .order = HUGE_ORDER };
	struct task *k;

	w.page = alloc_pages(HUGE_ORDER);
	KTEST_ASSERT(t, w.page);
	fill(w.page, HUGE_ORDER);
	page_init_test_set_hold(true);
	k = kthread_run(waiter_fn, &w, "ktest-pi-waiter");
	if (!k) {
		page_init_test_set_hold(false);
		__free_pages(w.page, HUGE_ORDER);
		KTEST_ASSERT(t, k);
	}
	KTEST_EXPECT(t, wait_for(waiting(k, &w, before.offlevel_blocks)));
	sigkill_task(k);
	/* -EINTR at once: the worker is still held. */
	KTEST_EXPECT(t, wait_for(READ_ONCE(w.finished)));
	KTEST_EXPECT_EQ(t, w.ret, -EINTR);
	KTEST_EXPECT_EQ(t, page_init_stats.abandoned_blocks,
			before.abandoned_blocks + 1);
	KTEST_EXPECT_EQ(t, page_init_stats.abandoned_freed,
			before.abandoned_freed);
	kthread_stop(k);
	/* The block is the worker's now: it frees it once released. */
	page_init_test_set_hold(false);
	KTEST_EXPECT(t, wait_for(READ_ONCE(page_init_stats.abandoned_freed) !=
				 before.abandoned_freed));
	KTEST_EXPECT_EQ(t, page_init_stats.abandoned_freed,
			before.abandoned_freed + 1);
	KTEST_EXPECT(t, wait_for(nr_free_pages() == free_before));
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
	restore_params(s);
}

static volatile unsigned long counts;

/* Another thread of the waiter's CPU: counts while the waiter waits. It
 * sleeps between counts rather than spin, so that under -icount it costs
 * no virtual time; a waiter that polled instead of sleeping is caught by
 * being on the run queue. */
static int counter_fn(void *p)
{
	(void)p;
	while (!kthread_should_stop()) {
		counts++;
		msleep(1);
	}
	return 0;
}

KTEST(page_init, others_run_while_waiting)
{
	struct saved_params s =
		set_params(PAGE_INIT_OFFLEVEL, PAGE_INIT_DEFAULT_THRESHOLD);
	struct page_init_stats before = page_init_stats;
	struct waiter w = { .order = HUGE_ORDER };
	struct cpumask me, saved;
	struct task *k, *counter;
	unsigned long counts0;
	int cpu, on_rq_seen = 0;

	w.page = alloc_pages(HUGE_ORDER);
	KTEST_ASSERT(t, w.page);
	fill(w.page, HUGE_ORDER);
	/* Everything on this CPU: the waiter, the counter and us. */
	cpumask_copy(&saved, &current->cpus_mask);
	cpumask_clear(&me);
	cpu = smp_processor_id();
	cpumask_set_cpu(cpu, &me);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(current, &me), 0);
	page_init_test_set_hold(true);
	k = kthread_create(waiter_fn, &w, "ktest-pi-waiter");
	counter = kthread_create(counter_fn, NULL, "ktest-pi-count");
	KTEST_EXPECT(t, k && counter);
	if (k && counter) {
		kthread_bind(k, cpu);
		kthread_bind(counter, cpu);
		wake_up_process(k);
		KTEST_EXPECT(t,
			     wait_for(waiting(k, &w, before.offlevel_blocks)));
		wake_up_process(counter);
		counts0 = counts;
		/* 20 ms with the counter: the waiter stays asleep (never
		 * back on the run queue: a waiter that polled would be),
		 * and the counter, on the same CPU, runs. */
		for (int i = 0; i < 20; i++) {
			msleep(1);
			on_rq_seen += READ_ONCE(k->on_rq) != 0;
		}
		KTEST_EXPECT_EQ(t, on_rq_seen, 0);
		KTEST_EXPECT(t, counts != counts0);
		KTEST_EXPECT(t, !READ_ONCE(w.finished));
		kthread_stop(counter);
	}
	page_init_test_set_hold(false);
	if (k && counter) {
		KTEST_EXPECT(t, wait_for(READ_ONCE(w.finished)));
		KTEST_EXPECT_EQ(t, w.ret, 0);
		KTEST_EXPECT(t, all_zero(w.page, HUGE_ORDER));
	} else if (counter) {
		kthread_stop(counter); /* never started */
	}
	if (k)
		kthread_stop(k); /* returned, or never started */
	KTEST_EXPECT_EQ(t, sched_setaffinity(0, &saved), 0);
	__free_pages(w.page, HUGE_ORDER);
	restore_params(s);
}
