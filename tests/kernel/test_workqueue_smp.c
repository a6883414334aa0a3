/*
 * test_workqueue_smp.c - a workqueue race that needs two CPUs
 * (kernel/workqueue.c): cancel_work_sync() on one CPU takes a queued item
 * off a worker's list just as that worker, woken on another CPU, has seen
 * the item but not yet taken it. The worker must go back to waiting and
 * serve the next item. One that took the empty list for "stop" exited for
 * good, and every item queued for its CPU after that waited for ever: the
 * POE refill of that CPU's table, and every task flushing it. Suite smp,
 * so that the parallel boots of the smp test step (no -icount: the CPUs
 * really race) run it too; with one CPU it skips.
 */
#include <kernel/ktest.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/workqueue.h>

#define RACE_ROUNDS 100000
#define RACE_NS	    (3000ULL * 1000 * 1000) /* at most 3 s of rounds */
#define CHECK_EVERY 256			    /* rounds between checks */
#define WAIT_NS	    (2000ULL * 1000 * 1000) /* 2 s: TCG on a busy host */

static struct workqueue_struct *race_wq;
static struct work_struct kicker, victim;
static int victim_cpu;
static volatile int victim_runs;

/* On this CPU's worker: queue the victim on the other CPU's worker, which
 * wakes up for it just as the test, woken by this item's end, cancels it:
 * the order in which the POE work is stopped (poe_background_stop()). */
static void kick_fn(struct work_struct *w)
{
	(void)w;
	queue_work_on(victim_cpu, race_wq, &victim);
}

static void victim_fn(struct work_struct *w)
{
	(void)w;
	WRITE_ONCE(victim_runs, victim_runs + 1);
}

/* Does cpu's worker still run what is queued for it (within WAIT_NS)? */
static bool worker_alive(int cpu)
{
	int before = READ_ONCE(victim_runs);
	u64 t0 = ktime_get_ns();

	victim_cpu = cpu;
	queue_work_on(cpu, race_wq, &victim);
	while (READ_ONCE(victim_runs) == before) {
		if (ktime_get_ns() - t0 > WAIT_NS)
			return false;
		msleep(1);
	}
	return true;
}

/* The first online CPU whose worker is gone, or -1. */
static int dead_worker(void)
{
	int cpu;

	for_each_online_cpu(cpu)
	{
		if (!worker_alive(cpu))
			return cpu;
	}
	return -1;
}

KTEST(smp, workqueue_cancel_leaves_the_worker_alive)
{
	struct cpumask me, saved;
	int target = -1, cpu, round, dead = -1;
	u64 t0;

	if (num_online_cpus() < 2)
		KTEST_SKIP(t, "one CPU online (boot with SMP=2)");
	race_wq = alloc_workqueue("ktest");
	KTEST_ASSERT(t, race_wq);
	INIT_WORK(&kicker, kick_fn);
	INIT_WORK(&victim, victim_fn);
	/* Stay on this CPU; the victim goes to another one's worker. */
	cpumask_copy(&saved, &current->cpus_mask);
	cpumask_clear(&me);
	cpumask_set_cpu(smp_processor_id(), &me);
	KTEST_ASSERT(t, set_cpus_allowed_ptr(current, &me) == 0);
	for_each_online_cpu(cpu)
	{
		if (cpu != smp_processor_id() && target < 0)
			target = cpu;
	}
	/* On a loaded 2-core host, a worker that exits on an empty list
	 * died within these 3 s in six boots of six (SMP=2, no -icount);
	 * under -icount the CPUs take turns too coarsely to meet here. */
	t0 = ktime_get_ns();
	for (round = 0; round < RACE_ROUNDS && ktime_get_ns() - t0 < RACE_NS;
	     round++) {
		victim_cpu = target;
		queue_work_on(smp_processor_id(), race_wq, &kicker);
		flush_work(&kicker);
		cancel_work_sync(&victim);
		if (round % CHECK_EVERY == CHECK_EVERY - 1 &&
		    (dead = dead_worker()) >= 0)
			break;
	}
	if (dead < 0)
		dead = dead_worker();
	if (dead >= 0)
		ktest_fail(t, __FILE__, __LINE__,
			   "after %d rounds: CPU %d's worker runs no more work",
			   round, dead);
	KTEST_EXPECT_EQ(t, sched_setaffinity(0, &saved), 0);
	if (dead < 0)
		destroy_workqueue(race_wq); /* with a dead worker it would
					     * hang: leave it (the page check
					     * fails too) */
}
