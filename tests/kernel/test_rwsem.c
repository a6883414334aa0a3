/*
 * test_rwsem.c - in-kernel tests of the reader-writer semaphore
 * (kernel/rwsem.c, include/kernel/rwsem.h). Suite: rwsem (test=rwsem).
 *
 * With one CPU, two tasks are only ever inside a lock together if one of
 * them sleeps (or is preempted) while it holds it. So every holder here
 * sleeps inside its critical section (msleep() or yield()), and the
 * checks are about who else got in meanwhile: readers together, a writer
 * alone, and the queue order that keeps a writer from starving. These
 * tests fail if down_write() let a reader or writer in, if down_read()
 * passed a waiting writer, or if a release lost a wake-up (the test
 * would hang, which the runner reports as a failure).
 */
#include <kernel/ktest.h>
#include <kernel/rwsem.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/time.h>

static struct rw_semaphore sem;

/* What the threads saw, under no lock but the one being tested. */
static struct {
	int readers_inside; /* readers between down_read and up_read */
	int max_readers;    /* the most readers ever inside at once */
	int writer_inside;  /* 1 while a writer is between down/up */
	int violations;	    /* someone got in who should not have */
	int counter;	    /* bumped by writers with a sleep in between */
	int order[8];	    /* ids, in the order they got the lock */
	int nr_order;
} st;

static void reset(void)
{
	init_rwsem(&sem);
	memset(&st, 0, sizeof(st));
}

static void record(int id)
{
	if (st.nr_order < 8)
		st.order[st.nr_order++] = id;
}

static void reader_enter(int id)
{
	if (st.writer_inside)
		st.violations++;
	st.readers_inside++;
	if (st.readers_inside > st.max_readers)
		st.max_readers = st.readers_inside;
	record(id);
}

static void writer_enter(int id)
{
	if (st.writer_inside || st.readers_inside)
		st.violations++;
	st.writer_inside = 1;
	record(id);
}

/* Wait (up to 1 s) until the semaphore has a queued waiter. */
static bool wait_for_waiter(void)
{
	for (int i = 0; i < 1000; i++) {
		if (atomic_long_read(&sem.count) & RWSEM_FLAG_WAITERS)
			return true;
		msleep(1);
	}
	return false;
}

KTEST(rwsem, trylock_rules)
{
	reset();
	KTEST_EXPECT(t, !rwsem_is_locked(&sem));
	KTEST_ASSERT(t, down_read_trylock(&sem));
	KTEST_ASSERT(t, down_read_trylock(&sem)); /* readers share */
	KTEST_EXPECT(t, rwsem_is_locked(&sem));
	KTEST_EXPECT(t, !down_write_trylock(&sem));
	up_read(&sem);
	KTEST_EXPECT(t, !down_write_trylock(&sem)); /* one reader left */
	up_read(&sem);
	KTEST_EXPECT(t, !rwsem_is_locked(&sem));
	KTEST_ASSERT(t, down_write_trylock(&sem));
	KTEST_EXPECT(t, rwsem_write_owner(&sem) == current);
	KTEST_EXPECT(t, !down_read_trylock(&sem));
	KTEST_EXPECT(t, !down_write_trylock(&sem));
	up_write(&sem);
	KTEST_EXPECT(t, rwsem_write_owner(&sem) == NULL);
	KTEST_EXPECT_EQ(t, atomic_long_read(&sem.count), 0);
}

static int sleepy_reader(void *arg)
{
	int id = (int)(long)arg;

	down_read(&sem);
	reader_enter(id);
	msleep(20); /* everyone else gets in meanwhile */
	st.readers_inside--;
	up_read(&sem);
	return 0;
}

KTEST(rwsem, readers_share_while_sleeping)
{
	struct task *r[4];

	reset();
	for (int i = 0; i < 4; i++) {
		r[i] = kthread_run(sleepy_reader, (void *)(long)i, "ktest-rd");
		KTEST_ASSERT(t, r[i]);
	}
	for (int i = 0; i < 4; i++)
		kthread_stop(r[i]);
	KTEST_EXPECT_EQ(t, st.max_readers, 4);
	KTEST_EXPECT_EQ(t, st.violations, 0);
	KTEST_EXPECT_EQ(t, atomic_long_read(&sem.count), 0);
}

#define WRITERS 4
#define READERS 3
#define ROUNDS	20

/* Read-modify-write with a sleep in the middle: lost updates unless the
 * writers really exclude each other. */
static int busy_writer(void *arg)
{
	int id = (int)(long)arg;

	for (int r = 0; r < ROUNDS; r++) {
		int v;

		down_write(&sem);
		writer_enter(id);
		v = st.counter;
		if (r & 1)
			msleep(1);
		else
			yield();
		st.counter = v + 1;
		st.writer_inside = 0;
		up_write(&sem);
		yield();
	}
	return 0;
}

/* Readers check that the counter does not move under them. */
static int busy_reader(void *arg)
{
	int id = (int)(long)arg;

	for (int r = 0; r < ROUNDS; r++) {
		int v;

		down_read(&sem);
		reader_enter(id);
		v = st.counter;
		yield();
		if (st.counter != v)
			st.violations++;
		st.readers_inside--;
		up_read(&sem);
		yield();
	}
	return 0;
}

KTEST(rwsem, writers_exclude_everyone)
{
	struct task *w[WRITERS], *r[READERS];

	reset();
	for (int i = 0; i < WRITERS; i++) {
		w[i] = kthread_run(busy_writer, (void *)(long)i, "ktest-wr");
		KTEST_ASSERT(t, w[i]);
	}
	for (int i = 0; i < READERS; i++) {
		r[i] = kthread_run(busy_reader, (void *)(long)(10 + i),
				   "ktest-rd");
		KTEST_ASSERT(t, r[i]);
	}
	for (int i = 0; i < WRITERS; i++)
		kthread_stop(w[i]);
	for (int i = 0; i < READERS; i++)
		kthread_stop(r[i]);
	KTEST_EXPECT_EQ(t, st.violations, 0);
	KTEST_EXPECT_EQ(t, st.counter, WRITERS * ROUNDS);
	KTEST_EXPECT_EQ(t, atomic_long_read(&sem.count), 0);
}

static int queued_writer(void *arg)
{
	int id = (int)(long)arg;

	down_write(&sem);
	writer_enter(id);
	msleep(5);
	st.writer_inside = 0;
	up_write(&sem);
	return 0;
}

static int queued_reader(void *arg)
{
	int id = (int)(long)arg;

	down_read(&sem);
	reader_enter(id);
	msleep(5);
	st.readers_inside--;
	up_read(&sem);
	return 0;
}

/*
 * A reader that comes after a waiting writer waits behind it, although
 * the lock is only read-held: otherwise a stream of readers could keep
 * the writer out for ever. Then the writer hands over to the readers
 * queued behind it, all at once.
 */
KTEST(rwsem, writer_is_not_starved_by_readers)
{
	struct task *w, *r[3];

	reset();
	down_read(&sem);
	w = kthread_run(queued_writer, (void *)1L, "ktest-wr");
	KTEST_ASSERT(t, w);
	KTEST_ASSERT(t, wait_for_waiter());
	for (int i = 0; i < 3; i++) {
		r[i] = kthread_run(queued_reader, (void *)(long)(2 + i),
				   "ktest-rd");
		KTEST_ASSERT(t, r[i]);
	}
	msleep(20);
	/* Nobody got in: the writer waits for us, the readers for it. */
	KTEST_EXPECT_EQ(t, st.nr_order, 0);
	KTEST_EXPECT(t, !down_read_trylock(&sem));
	up_read(&sem);
	kthread_stop(w);
	for (int i = 0; i < 3; i++)
		kthread_stop(r[i]);
	KTEST_ASSERT(t, st.nr_order == 4);
	KTEST_EXPECT_EQ(t, st.order[0], 1); /* the writer first */
	KTEST_EXPECT_EQ(t, st.max_readers, 3);
	KTEST_EXPECT_EQ(t, st.violations, 0);
	KTEST_EXPECT_EQ(t, atomic_long_read(&sem.count), 0);
}

/* A writer holding it across a sleep keeps readers and writers out, and
 * hands it over in arrival order. */
KTEST(rwsem, waiters_get_it_in_arrival_order)
{
	struct task *w1, *r, *w2;

	reset();
	down_write(&sem);
	w1 = kthread_run(queued_writer, (void *)1L, "ktest-wr");
	KTEST_ASSERT(t, w1);
	KTEST_ASSERT(t, wait_for_waiter());
	msleep(2);
	r = kthread_run(queued_reader, (void *)2L, "ktest-rd");
	KTEST_ASSERT(t, r);
	msleep(2);
	w2 = kthread_run(queued_writer, (void *)3L, "ktest-wr");
	KTEST_ASSERT(t, w2);
	msleep(10);
	KTEST_EXPECT_EQ(t, st.nr_order, 0);
	up_write(&sem);
	kthread_stop(w1);
	kthread_stop(r);
	kthread_stop(w2);
	KTEST_ASSERT(t, st.nr_order == 3);
	KTEST_EXPECT_EQ(t, st.order[0], 1);
	KTEST_EXPECT_EQ(t, st.order[1], 2);
	KTEST_EXPECT_EQ(t, st.order[2], 3);
	KTEST_EXPECT_EQ(t, st.violations, 0);
	KTEST_EXPECT_EQ(t, atomic_long_read(&sem.count), 0);
}

/*
 * downgrade_write(): the writer becomes a reader without letting go. With
 * nobody waiting, other readers may join at once and writers may not.
 * With a reader and then a writer queued behind the write hold, the
 * reader is let in at once, beside the downgraded holder, and the writer
 * only once both have left. Fails if the downgrade forgets the waiters
 * (the reader stays out), or lets go for a moment (the writer, or a
 * trylock writer, gets in).
 */
KTEST(rwsem, downgrade_lets_readers_in_not_writers)
{
	struct task *r, *w;
	int waited = 0;

	reset();
	down_write(&sem);
	downgrade_write(&sem);
	KTEST_EXPECT(t, rwsem_write_owner(&sem) == NULL);
	KTEST_EXPECT(t, !down_write_trylock(&sem));
	KTEST_EXPECT(t, down_read_trylock(&sem)); /* readers share */
	up_read(&sem);
	up_read(&sem);
	KTEST_EXPECT_EQ(t, atomic_long_read(&sem.count), 0);

	down_write(&sem);
	r = kthread_run(queued_reader, (void *)2L, "ktest-rd");
	KTEST_ASSERT(t, r);
	KTEST_ASSERT(t, wait_for_waiter());
	w = kthread_run(queued_writer, (void *)3L, "ktest-wr");
	KTEST_ASSERT(t, w);
	msleep(20); /* the writer queues behind the reader */
	KTEST_EXPECT_EQ(t, st.nr_order, 0);
	downgrade_write(&sem);
	st.readers_inside++; /* we read now: a writer inside is a violation */
	while (st.nr_order == 0 && waited++ < 1000)
		msleep(1);
	KTEST_EXPECT_EQ(t, st.nr_order, 1);
	KTEST_EXPECT_EQ(t, st.order[0], 2); /* the reader, beside us */
	msleep(20);
	KTEST_EXPECT_EQ(t, st.nr_order, 1); /* the writer still waits */
	KTEST_EXPECT(t, !down_write_trylock(&sem));
	st.readers_inside--;
	up_read(&sem);
	kthread_stop(r);
	kthread_stop(w);
	KTEST_EXPECT_EQ(t, st.nr_order, 2);
	KTEST_EXPECT_EQ(t, st.order[1], 3);
	KTEST_EXPECT_EQ(t, st.violations, 0);
	KTEST_EXPECT_EQ(t, atomic_long_read(&sem.count), 0);
}

/* A writer on another CPU: started, then inside (it holds sem). */
static struct {
	int started, inside;
} spin;

static int spinning_writer(void *arg)
{
	(void)arg;
	WRITE_ONCE(spin.started, 1);
	down_write(&sem);
	WRITE_ONCE(spin.inside, 1);
	up_write(&sem);
	return 0;
}

/* Create a spinning_writer on a CPU other than ours (we are pinned). */
static struct task *create_spinning_writer(void)
{
	int cpu, other = -1;

	for_each_online_cpu(cpu)
	{
		if (cpu != smp_processor_id() && other < 0)
			other = cpu;
	}
	memset(&spin, 0, sizeof(spin));
	return kthread_create_on_cpu(spinning_writer, NULL, other,
				     "ktest-spin/%u");
}

/* Wake w and wait (at most about a second) until it runs. */
static bool run_spinning_writer(struct task *w)
{
	u64 t0 = ktime_get_ns();

	wake_up_process(w);
	while (!READ_ONCE(spin.started) && ktime_get_ns() - t0 < 1000000000ULL)
		__builtin_ia32_pause();
	return READ_ONCE(spin.started);
}

/*
 * Optimistic spinning (rwsem_optimistic_spin()): while the writer holding
 * sem runs on its CPU, a writer on another CPU spins instead of queueing,
 * and gets the lock as soon as it is let go; once the holder sleeps, the
 * spinner queues and sleeps too. Fails without the spin (the writer
 * queues at once: FLAG_WAITERS while we run) and with a spin that ignores
 * a sleeping holder (no FLAG_WAITERS while we sleep).
 */
KTEST(rwsem, writer_spins_while_the_writer_runs)
{
	struct cpumask saved, me;
	bool ran, queued;
	struct task *w;

	if (num_online_cpus() < 2)
		KTEST_SKIP(t, "one CPU online (boot with SMP=2)");
	cpumask_copy(&saved, &current->cpus_mask);
	cpumask_clear(&me);
	cpumask_set_cpu(smp_processor_id(), &me);
	KTEST_ASSERT(t, set_cpus_allowed_ptr(current, &me) == 0);

	/* We run, with interrupts off so that we cannot be switched out. */
	reset();
	w = create_spinning_writer();
	KTEST_ASSERT(t, w);
	down_write(&sem);
	local_irq_disable();
	ran = run_spinning_writer(w);
	mdelay(2);
	queued = atomic_long_read(&sem.count) & RWSEM_FLAG_WAITERS;
	local_irq_enable();
	KTEST_EXPECT(t, ran);
	KTEST_EXPECT(t, !queued);
	KTEST_EXPECT(t, !READ_ONCE(spin.inside));
	up_write(&sem);
	kthread_stop(w);
	KTEST_EXPECT(t, spin.inside);
	KTEST_EXPECT_EQ(t, atomic_long_read(&sem.count), 0);

	/* We sleep holding it: the spinner must give up and queue. */
	reset();
	w = create_spinning_writer();
	KTEST_ASSERT(t, w);
	down_write(&sem);
	KTEST_EXPECT(t, run_spinning_writer(w));
	KTEST_EXPECT(t, wait_for_waiter());
	KTEST_EXPECT(t, !READ_ONCE(spin.inside));
	up_write(&sem);
	kthread_stop(w);
	KTEST_EXPECT(t, spin.inside);
	KTEST_EXPECT_EQ(t, atomic_long_read(&sem.count), 0);
	KTEST_EXPECT(t, set_cpus_allowed_ptr(current, &saved) == 0);
}
