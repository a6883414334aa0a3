/*
 * test_sched.c - in-kernel tests of kernel threads, sleeping, wait queues,
 * mutexes, timers and workqueues (kernel/sched.c, kthread.c, wait.c,
 * mutex.c, timer.c, workqueue.c). Each test waits for every thread it
 * starts, so the free-page check in ktest_run() also proves that thread
 * stacks and task structs are given back.
 */
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/mutex.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/task_work.h>
#include <kernel/time.h>
#include <kernel/wait.h>
#include <kernel/workqueue.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>

#define NR_SLEEPERS 50

/* The CPU this runs on, read with interrupts off so that it is where we
 * were at that instant. */
static int this_cpu_id(void)
{
	unsigned long flags;
	int cpu;

	local_irq_save(flags);
	cpu = smp_processor_id();
	local_irq_restore(flags);
	return cpu;
}

static void mask_of(struct cpumask *m, int cpu)
{
	cpumask_clear(m);
	cpumask_set_cpu(cpu, m);
}

struct sleeper_arg {
	int id;
	int rounds;
	unsigned long sleep_ms[4];
	u64 slept_ns[4];
};

static struct wait_queue_head sleepers_wq;
static volatile int sleepers_go;

static int sleeper_fn(void *p)
{
	struct sleeper_arg *a = p;

	wait_event(sleepers_wq, READ_ONCE(sleepers_go));
	for (int r = 0; r < a->rounds; r++) {
		u64 t0 = ktime_get_ns();

		msleep(a->sleep_ms[r]);
		a->slept_ns[r] = ktime_get_ns() - t0;
	}
	return 1000 + a->id;
}

KTEST(sched, fifty_threads_sleep_and_wake)
{
	static struct sleeper_arg args[NR_SLEEPERS];
	struct task *tasks[NR_SLEEPERS];

	init_waitqueue_head(&sleepers_wq);
	sleepers_go = 0;
	for (int i = 0; i < NR_SLEEPERS; i++) {
		args[i].id = i;
		args[i].rounds = 4;
		for (int r = 0; r < 4; r++)
			args[i].sleep_ms[r] =
				ktest_rand() % 8; /* random order */
		tasks[i] = kthread_run(sleeper_fn, &args[i], "ktest-sleeper");
		KTEST_ASSERT(t, tasks[i] != NULL);
	}
	WRITE_ONCE(sleepers_go, 1);
	wake_up(&sleepers_wq);
	for (int i = 0; i < NR_SLEEPERS; i++)
		KTEST_EXPECT_EQ(t, kthread_stop(tasks[i]), 1000 + i);
	for (int i = 0; i < NR_SLEEPERS; i++)
		for (int r = 0; r < 4; r++)
			if (args[i].slept_ns[r] <
			    args[i].sleep_ms[r] * 1000000ULL)
				ktest_fail(t, __FILE__, __LINE__,
					   "thread %d slept %llu ns for %lu ms",
					   i,
					   (unsigned long long)args[i]
						   .slept_ns[r],
					   args[i].sleep_ms[r]);
}

static int spinner_fn(void *p)
{
	volatile u64 *counter = p;

	/* Never sleeps, never yields. The pause is not a yield: it only
	 * lets QEMU's -icount round-robin run the other vCPUs, which a loop
	 * that never leaves its translated code starves (docs/testing.md,
	 * "Several CPUs under -icount"). */
	while (!kthread_should_stop()) {
		(*counter)++;
		cpu_relax();
	}
	return 0;
}

KTEST(sched, preempts_busy_kernel_thread)
{
	static volatile u64 spins;
	struct task *spinner;
	u64 before;

	spins = 0;
	spinner = kthread_run(spinner_fn, (void *)&spins, "ktest-spinner");
	KTEST_ASSERT(t, spinner != NULL);
	msleep(30); /* the spinner must get the CPU ... */
	before = spins;
	KTEST_EXPECT(t, before > 0);
	msleep(30); /* ... and we must get it back: preemption */
	KTEST_EXPECT(t, spins > before);
	kthread_stop(spinner);
}

static int kthread_ret_fn(void *p)
{
	while (!kthread_should_stop())
		msleep(1);
	return (int)(long)p;
}

KTEST(sched, kthread_stop_returns_value)
{
	struct task *k = kthread_run(kthread_ret_fn, (void *)42L, "ktest-ret");

	KTEST_ASSERT(t, k != NULL);
	KTEST_EXPECT(t, strcmp(k->comm, "ktest-ret") == 0);
	KTEST_EXPECT_EQ(t, kthread_stop(k), 42);
}

static int task_work_runs;

static void count_task_work(struct callback_head *head)
{
	(void)head;
	task_work_runs++;
}

/*
 * As do_exit(): the last task work runs, and work added after it is
 * refused (the task never returns to user mode to run it). Done on the
 * test's own thread, whose queue is reopened after: a thread made for
 * it would only add a spawn and an exit to every later test's timing.
 */
KTEST(sched, task_work_refused_after_exit_work)
{
	struct callback_head before, after;
	int err;

	task_work_runs = 0;
	init_task_work(&before, count_task_work);
	KTEST_ASSERT(t, task_work_add(current, &before) == 0);
	exit_task_work();
	KTEST_EXPECT_EQ(t, task_work_runs, 1);
	init_task_work(&after, count_task_work);
	err = task_work_add(current, &after);
	task_work_run();
	exit_task_work(); /* closed already: returns at once */
	KTEST_EXPECT_EQ(t, err, -ESRCH);
	KTEST_EXPECT_EQ(t, task_work_runs, 1);
	current->task_works = NULL; /* reopen: this thread goes on */
}

KTEST(sched, msleep_sleeps_at_least)
{
	for (unsigned int ms = 0; ms <= 5; ms++) {
		u64 t0 = ktime_get_ns(), j0 = jiffies;

		msleep(ms);
		KTEST_EXPECT(t, ktime_get_ns() - t0 >= ms * 1000000ULL);
		KTEST_EXPECT(t,
			     jiffies - j0 <= msecs_to_jiffies(ms) +
						     3); /* and not forever */
	}
}

static struct mutex test_mutex;
static volatile int in_critical, max_in_critical;
static volatile long mutex_total;

static int mutex_fn(void *p)
{
	(void)p;
	for (int i = 0; i < 200; i++) {
		mutex_lock(&test_mutex);
		in_critical++;
		if (in_critical > max_in_critical)
			max_in_critical = in_critical;
		long v = mutex_total;
		if (i % 16 == 0)
			msleep(1); /* sleep while holding it */
		mutex_total = v + 1;
		in_critical--;
		mutex_unlock(&test_mutex);
	}
	return 0;
}

KTEST(sched, mutex_excludes)
{
	struct task *k[4];

	mutex_init(&test_mutex);
	in_critical = max_in_critical = 0;
	mutex_total = 0;
	for (int i = 0; i < 4; i++) {
		k[i] = kthread_run(mutex_fn, NULL, "ktest-mutex");
		KTEST_ASSERT(t, k[i] != NULL);
	}
	for (int i = 0; i < 4; i++)
		kthread_stop(k[i]);
	KTEST_EXPECT_EQ(t, mutex_total, 800);
	KTEST_EXPECT_EQ(t, max_in_critical, 1);
}

static struct wait_queue_head flag_wq;
static volatile int flag;

static int setter_fn(void *p)
{
	(void)p;
	msleep(5);
	WRITE_ONCE(flag, 1);
	wake_up(&flag_wq);
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

KTEST(sched, wait_event_wakes_and_times_out)
{
	struct task *k;
	long left;

	init_waitqueue_head(&flag_wq);
	flag = 0;
	left = wait_event_timeout(flag_wq, READ_ONCE(flag), 3);
	KTEST_EXPECT_EQ(t, left, 0); /* nobody set it */
	k = kthread_run(setter_fn, NULL, "ktest-setter");
	KTEST_ASSERT(t, k != NULL);
	wait_event(flag_wq, READ_ONCE(flag));
	KTEST_EXPECT_EQ(t, flag, 1);
	kthread_stop(k);
}

struct timed_work {
	struct delayed_work dw;
	u64 queued_ns, ran_ns;
	u64 queued_jiffies, ran_jiffies;
	int runs;
};

static void timed_work_fn(struct work_struct *w)
{
	struct timed_work *tw =
		container_of(to_delayed_work(w), struct timed_work, dw);

	tw->ran_ns = ktime_get_ns();
	tw->ran_jiffies = jiffies;
	tw->runs++;
}

KTEST(workqueue, delayed_work_on_time)
{
	static struct timed_work tw;
	const unsigned long delays[] = { 1, 2, 3, 5, 7, 10, 20 };

	for (unsigned i = 0; i < ARRAY_SIZE(delays); i++) {
		u64 d = delays[i] * 1000000ULL;

		memset(&tw, 0, sizeof(tw));
		INIT_DELAYED_WORK(&tw.dw, timed_work_fn);
		tw.queued_ns = ktime_get_ns();
		KTEST_EXPECT(t,
			     queue_delayed_work(system_wq, &tw.dw,
						msecs_to_jiffies(delays[i])));
		KTEST_EXPECT(t,
			     !queue_delayed_work(system_wq, &tw.dw,
						 msecs_to_jiffies(delays[i])));
		while (!READ_ONCE(tw.runs))
			msleep(1);
		KTEST_EXPECT_EQ(t, tw.runs, 1);
		/* No earlier than asked; at most one tick (1 ms) late, plus
		 * the kworker's wake-up after that tick (allowed 200 us). */
		if (tw.ran_ns - tw.queued_ns < d ||
		    tw.ran_ns - tw.queued_ns > d + 1000000ULL + 200000ULL)
			ktest_fail(t, __FILE__, __LINE__,
				   "%lu ms delay ran after %llu us", delays[i],
				   (unsigned long long)(tw.ran_ns -
							tw.queued_ns) /
					   1000);
	}
}

KTEST(workqueue, cancel_prevents_run)
{
	static struct timed_work tw;

	memset(&tw, 0, sizeof(tw));
	INIT_DELAYED_WORK(&tw.dw, timed_work_fn);
	KTEST_EXPECT(t, queue_delayed_work(system_wq, &tw.dw,
					   msecs_to_jiffies(5)));
	KTEST_EXPECT(t, cancel_delayed_work_sync(&tw.dw));
	msleep(15);
	flush_workqueue(system_wq);
	KTEST_EXPECT_EQ(t, tw.runs, 0);
	KTEST_EXPECT(t, !cancel_delayed_work_sync(&tw.dw)); /* not pending */
	/* It can be queued again after a cancel, and then it runs. */
	KTEST_EXPECT(t, queue_delayed_work(system_wq, &tw.dw,
					   msecs_to_jiffies(1)));
	while (!READ_ONCE(tw.runs))
		msleep(1);
	KTEST_EXPECT_EQ(t, tw.runs, 1);
}

static volatile int work_order[8], work_count;
static struct work_struct order_works[8];

static void order_idx_fn(struct work_struct *w)
{
	work_order[work_count++] = (int)(w - order_works);
}

KTEST(workqueue, runs_in_order_and_flushes)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("ktest");

	KTEST_ASSERT(t, wq != NULL);
	work_count = 0;
	for (int i = 0; i < 8; i++) {
		INIT_WORK(&order_works[i], order_idx_fn);
		KTEST_EXPECT(t, queue_work(wq, &order_works[i]));
	}
	flush_workqueue(wq);
	KTEST_EXPECT_EQ(t, work_count, 8);
	for (int i = 0; i < 8; i++)
		KTEST_EXPECT_EQ(t, work_order[i], i);
	destroy_workqueue(wq);
}

static volatile int each_cpu_runs;
static int each_cpu_ran[NR_CPUS];
static char each_cpu_comm[NR_CPUS][TASK_COMM_LEN];

static void each_cpu_fn(struct work_struct *w)
{
	int cpu = this_cpu_id();

	(void)w;
	__atomic_fetch_add(&each_cpu_runs, 1, __ATOMIC_SEQ_CST);
	each_cpu_ran[cpu]++;
	memcpy(each_cpu_comm[cpu], current->comm, TASK_COMM_LEN);
}

/* Each online CPU ran fn once, in its own worker, kworker/N on CPU N. */
KTEST(workqueue, schedule_on_each_cpu_runs_in_kworker)
{
	char want[TASK_COMM_LEN];
	int cpu;

	each_cpu_runs = 0;
	memset(each_cpu_ran, 0, sizeof(each_cpu_ran));
	memset(each_cpu_comm, 0, sizeof(each_cpu_comm));
	KTEST_EXPECT_EQ(t, schedule_on_each_cpu(each_cpu_fn), 0);
	KTEST_EXPECT_EQ(t, each_cpu_runs, (int)num_online_cpus());
	KTEST_EXPECT(t, strcmp(each_cpu_comm[0], "kworker/0") == 0);
	for_each_online_cpu(cpu)
	{
		snprintf(want, sizeof(want), "kworker/%d", cpu);
		KTEST_EXPECT_EQ(t, each_cpu_ran[cpu], 1);
		if (strcmp(each_cpu_comm[cpu], want) != 0)
			ktest_fail(t, __FILE__, __LINE__,
				   "CPU %d ran it in '%s', not %s", cpu,
				   each_cpu_comm[cpu], want);
	}
}

static volatile int queued_on_cpu;

static void queued_on_fn(struct work_struct *w)
{
	(void)w;
	WRITE_ONCE(queued_on_cpu, this_cpu_id());
}

/* queue_work_on() runs the item on the CPU asked for. */
KTEST(workqueue, queue_work_on_runs_there)
{
	struct work_struct w;
	int cpu;

	for_each_online_cpu(cpu)
	{
		INIT_WORK(&w, queued_on_fn);
		queued_on_cpu = -1;
		KTEST_EXPECT(t, queue_work_on(cpu, system_wq, &w));
		flush_workqueue(system_wq);
		KTEST_EXPECT_EQ(t, queued_on_cpu, cpu);
	}
}

struct bound_arg {
	int want;	    /* the CPU it was bound to */
	int runs, wrong;    /* rounds, rounds seen on another CPU */
	volatile int stage; /* 1: started */
};

static int bound_fn(void *p)
{
	struct bound_arg *a = p;

	WRITE_ONCE(a->stage, 1);
	while (!kthread_should_stop()) {
		if (this_cpu_id() != a->want)
			a->wrong++;
		a->runs++;
		if (a->runs % 4 == 0)
			msleep(1); /* sleep and wake: must come back there */
		else
			yield();
	}
	return a->want;
}

/* kthread_create_on_cpu(): named after its CPU, runs only there, before
 * and after sleeping; sched_setaffinity() may not move it. */
KTEST(sched, kthread_create_on_cpu_stays_bound)
{
	static struct bound_arg args[NR_CPUS];
	struct task *k[NR_CPUS] = { 0 };
	struct cpumask all;
	char want[TASK_COMM_LEN];
	int cpu;

	cpumask_copy(&all, cpu_online_mask);
	for_each_online_cpu(cpu)
	{
		memset(&args[cpu], 0, sizeof(args[cpu]));
		args[cpu].want = cpu;
		k[cpu] = kthread_create_on_cpu(bound_fn, &args[cpu], cpu,
					       "ktest-bound/%u");
		KTEST_ASSERT(t, k[cpu] != NULL);
		snprintf(want, sizeof(want), "ktest-bound/%d", cpu);
		KTEST_EXPECT(t, strcmp(k[cpu]->comm, want) == 0);
		KTEST_EXPECT(t, !args[cpu].stage); /* not started yet */
		KTEST_EXPECT_EQ(t, sched_setaffinity(k[cpu]->pid, &all),
				-EINVAL);
		KTEST_EXPECT(t, wake_up_process(k[cpu]));
	}
	if (!cpu_online(NR_CPUS - 1)) /* an offline CPU: refused */
		KTEST_EXPECT(t, !kthread_create_on_cpu(bound_fn, NULL,
						       NR_CPUS - 1, "x/%u"));
	msleep(20);
	for_each_online_cpu(cpu)
	{
		KTEST_EXPECT_EQ(t, kthread_stop(k[cpu]), cpu);
		KTEST_EXPECT(t, args[cpu].runs > 0);
		KTEST_EXPECT_EQ(t, args[cpu].wrong, 0);
	}
}

/* A kthread_create()d thread stopped before it ever ran never runs its
 * function; kthread_stop() says -EINTR (Linux's). */
KTEST(sched, kthread_stop_before_start)
{
	static struct bound_arg a;
	struct task *k;

	memset(&a, 0, sizeof(a));
	k = kthread_create(bound_fn, &a, "ktest-never");
	KTEST_ASSERT(t, k != NULL);
	KTEST_EXPECT_EQ(t, kthread_stop(k), -EINTR);
	KTEST_EXPECT_EQ(t, a.stage, 0);
}

/* set_cpus_allowed_ptr() on current moves it at once; a mask without an
 * online CPU is -EINVAL and changes nothing. */
KTEST(sched, set_cpus_allowed_moves_current)
{
	struct cpumask m, saved;
	int cpu;

	cpumask_copy(&saved, &current->cpus_mask);
	for_each_online_cpu(cpu)
	{
		mask_of(&m, cpu);
		KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(current, &m), 0);
		KTEST_EXPECT_EQ(t, this_cpu_id(), cpu);
		msleep(1);
		KTEST_EXPECT_EQ(t, this_cpu_id(), cpu); /* woke there too */
		KTEST_EXPECT_EQ(t, current->cpu, cpu);
	}
	cpumask_clear(&m);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(current, &m), -EINVAL);
	if (!cpu_online(NR_CPUS - 1)) {
		mask_of(&m, NR_CPUS - 1);
		KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(current, &m), -EINVAL);
	}
	KTEST_EXPECT(t, cpumask_test_cpu(this_cpu_id(), &current->cpus_mask));
	KTEST_EXPECT_EQ(t, sched_setaffinity(0, &saved), 0);
	KTEST_EXPECT_EQ(t, sched_getaffinity(0, &m), 0);
	KTEST_EXPECT_EQ(t, m.bits, saved.bits & cpu_online_mask->bits);
	KTEST_EXPECT_EQ(t, sched_getaffinity(1 << 30, &m), -ESRCH);
}

struct spin_arg {
	volatile int cpu;   /* where it ran last */
	volatile u64 spins; /* iterations */
	volatile u64 ncpus; /* bit n: it ran on CPU n */
};

static int spin_where_fn(void *p)
{
	struct spin_arg *a = p;

	while (!kthread_should_stop()) {
		int cpu = this_cpu_id();

		a->cpu = cpu;
		a->ncpus |= 1UL << cpu;
		a->spins++;
		/* A busy loop says so, as Linux's do: under -icount, QEMU
		 * 7.2's round-robin of 3 or more vCPUs can starve a vCPU
		 * (frozen at an interrupt's entry) while another spins in
		 * a loop that never leaves its translated code; pause
		 * leaves it. */
		cpu_relax();
	}
	return 0;
}

/* As many spinning threads as CPUs end up one on each CPU: new tasks go
 * to the least loaded CPU and idle CPUs pull waiting ones. */
KTEST(sched, spinners_spread_over_cpus)
{
	static struct spin_arg args[NR_CPUS];
	struct task *k[NR_CPUS];
	int n = (int)num_online_cpus();
	unsigned long seen = 0;

	if (n < 2)
		KTEST_SKIP(t, "needs 2 CPUs or more (SMP=2)");
	memset(args, 0, sizeof(args));
	for (int i = 0; i < n; i++) {
		k[i] = kthread_run(spin_where_fn, &args[i], "ktest-spread");
		KTEST_ASSERT(t, k[i] != NULL);
	}
	msleep(50);
	for (int i = 0; i < n; i++)
		seen |= 1UL << args[i].cpu;
	for (int i = 0; i < n; i++) {
		u64 before = args[i].spins;
		int ms = 0;

		/* All make progress (within 200 ms: a virtual CPU may wait
		 * for the host a while). */
		while (args[i].spins == before && ms++ < 200)
			msleep(1);
		KTEST_EXPECT(t, args[i].spins > before);
	}
	for (int i = 0; i < n; i++)
		kthread_stop(k[i]);
	KTEST_EXPECT_EQ(t, seen, cpu_online_mask->bits);
}

/* An idle CPU pulls a task waiting on a busy CPU's queue: two spinners
 * start bound to CPU 0; once one may run anywhere, the other CPUs' idle
 * balancing takes it. */
KTEST(sched, idle_cpu_pulls_waiting_task)
{
	static struct spin_arg a, b;
	struct cpumask m;
	struct task *ka, *kb;
	unsigned long pulled = 0;
	int cpu;

	if (num_online_cpus() < 2)
		KTEST_SKIP(t, "needs 2 CPUs or more (SMP=2)");
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	mask_of(&m, 0);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(current, &m), 0);
	ka = kthread_create(spin_where_fn, &a, "ktest-pull-a");
	kb = kthread_create(spin_where_fn, &b, "ktest-pull-b");
	KTEST_ASSERT(t, ka && kb);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(ka, &m), 0);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(kb, &m), 0);
	wake_up_process(ka);
	wake_up_process(kb);
	msleep(20);
	KTEST_EXPECT_EQ(t, a.ncpus, 1UL); /* both stayed on CPU 0 */
	KTEST_EXPECT_EQ(t, b.ncpus, 1UL);
	for_each_online_cpu(cpu) pulled += sched_nr_pulled(cpu);
	cpumask_copy(&m, cpu_online_mask);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(kb, &m), 0);
	for (int i = 0; i < 100 && !(b.ncpus & ~1UL); i++)
		msleep(1);
	KTEST_EXPECT(t, b.ncpus & ~1UL);  /* b ran elsewhere */
	KTEST_EXPECT_EQ(t, a.ncpus, 1UL); /* a never did */
	for_each_online_cpu(cpu) pulled -= sched_nr_pulled(cpu);
	KTEST_EXPECT(t, pulled != 0); /* by a pull, not a wake-up */
	kthread_stop(ka);
	kthread_stop(kb);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(current, &m), 0);
}

static struct wait_queue_head remote_wq;
static volatile int remote_go, remote_cpu_seen;

static int remote_sleeper_fn(void *p)
{
	(void)p;
	wait_event(remote_wq, READ_ONCE(remote_go) || kthread_should_stop());
	WRITE_ONCE(remote_cpu_seen, this_cpu_id());
	return 0;
}

/* A wake-up from another CPU queues the task on its own (allowed) CPU
 * and that CPU, idle, runs it: the reschedule IPI, or the tick. */
KTEST(sched, wake_up_from_another_cpu)
{
	int last = -1, cpu;
	struct cpumask m;
	struct task *k;

	for_each_online_cpu(cpu) last = cpu;
	mask_of(&m, 0);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(current, &m), 0);
	init_waitqueue_head(&remote_wq);
	remote_go = 0;
	remote_cpu_seen = -1;
	k = kthread_create_on_cpu(remote_sleeper_fn, NULL, last,
				  "ktest-remote/%u");
	KTEST_ASSERT(t, k != NULL);
	wake_up_process(k);
	msleep(5); /* it sleeps on remote_wq by now */
	KTEST_EXPECT_EQ(t, remote_cpu_seen, -1);
	WRITE_ONCE(remote_go, 1);
	wake_up(&remote_wq);
	for (int i = 0; i < 100 && READ_ONCE(remote_cpu_seen) < 0; i++)
		msleep(1);
	KTEST_EXPECT_EQ(t, remote_cpu_seen, last);
	kthread_stop(k);
	cpumask_copy(&m, cpu_online_mask);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(current, &m), 0);
}

static volatile int freer_started, freer_done;

static int freer_fn(void *victim)
{
	WRITE_ONCE(freer_started, 1);
	task_free(victim);
	WRITE_ONCE(freer_done, 1);
	return 0;
}

/* task_free() waits while another CPU holds the task's pi_lock: a
 * task_start() or wake_up_process() lets go of it only after queueing
 * the task, which may run, exit and be freed elsewhere meanwhile. */
KTEST(sched, task_free_waits_for_pi_lock)
{
	struct task *victim, *k;
	struct cpumask m;
	int last = -1, cpu;
	u64 end;

	if (num_online_cpus() < 2)
		KTEST_SKIP(t, "needs 2 CPUs or more (SMP=2)");
	for_each_online_cpu(cpu) last = cpu;
	mask_of(&m, 0);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(current, &m), 0);
	freer_started = freer_done = 0;
	victim = task_alloc("ktest-victim");
	KTEST_ASSERT(t, victim != NULL);
	k = kthread_create_on_cpu(freer_fn, victim, last, "ktest-freer/%u");
	if (!k)
		task_free(victim);
	KTEST_ASSERT(t, k != NULL);
	/* Interrupts stay on: the hold is long, and only the freer, on
	 * the other CPU, wants this lock. */
	spin_lock(&victim->pi_lock);
	wake_up_process(k);
	end = ktime_get_ns() + 1000 * 1000000ULL;
	while (ktime_get_ns() < end && !READ_ONCE(freer_started))
		cpu_relax();
	KTEST_EXPECT(t, READ_ONCE(freer_started));
	end = ktime_get_ns() + 20 * 1000000ULL;
	while (ktime_get_ns() < end && !READ_ONCE(freer_done))
		cpu_relax();
	KTEST_EXPECT_EQ(t, READ_ONCE(freer_done), 0);
	spin_unlock(&victim->pi_lock);
	for (int i = 0; i < 1000 && !READ_ONCE(freer_done); i++)
		msleep(1);
	KTEST_EXPECT_EQ(t, READ_ONCE(freer_done), 1);
	kthread_stop(k);
	cpumask_copy(&m, cpu_online_mask);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(current, &m), 0);
}
