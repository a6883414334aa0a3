/*
 * test_lazy_tlb.c - in-kernel tests of lazy TLB for kernel threads
 * (kernel/sched.c context_switch_mm(), mm/user_mm.c switch_mm(), mmput(),
 * mmdrop(); docs/concurrency.md, "Lazy TLB"): a kernel thread runs on
 * the page table of the task before it instead of loading the kernel's,
 * holds a reference on that mm while it does, and still takes its TLB
 * shootdowns. Suite: lazy_tlb (test=lazy_tlb). The tests that need two
 * CPUs skip at SMP=1.
 *
 * The ktests run without user programs, so a "user task" here is a
 * stand-in (mm_task_create()): a kernel thread given an mm, which the
 * scheduler then treats as a user task of that mm. One test reads a user
 * address from a kernel thread on purpose, through the borrowed page
 * table, to see what its TLB holds; kernel code never does that
 * otherwise (docs/concurrency.md).
 */
#include <kernel/ktest.h>
#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include <kernel/wait.h>
#include <mm/mman.h>
#include <mm/page_alloc.h>
#include <mm/user_mm.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>

/* A user page whose slot in QEMU's direct-mapped soft TLB (the low bits
 * of the page number, 0x5a) the kernel pages a waiting loop touches are
 * unlikely to share: its entry stays until it is flushed. */
#define LAZY_VA	   0x1005a000UL
#define LAZY_MAGIC 0x6c617a79746c6221ULL

/* The CPU this runs on, read with interrupts off. */
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

/* An online CPU other than cpu, or -1. */
static int other_cpu(int cpu)
{
	int c;

	for_each_online_cpu(c) if (c != cpu) return c;
	return -1;
}

/*
 * current runs on mm's page table as a kernel thread borrowing it:
 * active_mm is mm and CR3 holds mm's PML4. Read with interrupts off, so
 * that no switch comes between the two looks.
 */
static bool borrowing(struct mm_struct *mm)
{
	unsigned long flags;
	bool yes;

	local_irq_save(flags);
	yes = !current->mm && current->active_mm == mm && mm_is_active(mm);
	local_irq_restore(flags);
	return yes;
}

/*
 * A stand-in for a user process: a kernel thread bound to cpu that has mm
 * as its mm (with a users reference, mmget), so that the scheduler loads
 * mm's page table for it and lends that table to the kernel threads that
 * follow it. It runs fn(arg) in kernel mode and never enters user mode;
 * at its end do_exit() drops mm as a process's exit does. Not started:
 * wake_up_process() it; reap it with kthread_stop().
 */
static struct task *mm_task_create(int (*fn)(void *), void *arg,
				   struct mm_struct *mm, int cpu)
{
	struct task *u = kthread_create_on_cpu(fn, arg, cpu, "ktest-mm/%u");

	if (!u)
		return NULL;
	mmget(mm);
	u->mm = u->active_mm = mm;
	return u;
}

/*
 * Wait, without leaving the CPU, until *flag reaches want or ms
 * milliseconds have passed: halt until the next interrupt (the tick, an
 * IPI) with interrupts on, so that shootdowns are answered. The caller
 * has preemption disabled, so no switch takes its borrowed mm away.
 * Returns true when the flag got there.
 */
static bool halt_until(volatile int *flag, int want, unsigned int ms)
{
	u64 end = ktime_get_ns() + ms * 1000000ULL;

	while (READ_ONCE(*flag) != want) {
		if (ktime_get_ns() > end)
			return false;
		__asm__ __volatile__("hlt" ::: "memory");
	}
	return true;
}

/*
 * Switch away and back until the free-page count is want again (at most
 * ~500 ms): a kernel thread, this one included, may still borrow a test
 * mm whose last user is gone, until it switches or its CPU's idle loop
 * gives it back. Returns true when the count got there.
 */
static bool settle_free_pages(unsigned long want)
{
	for (int tries = 0; tries < 500; tries++) {
		msleep(1);
		if (nr_free_pages() == want)
			return true;
	}
	return false;
}

/* A fresh mm with one present page at LAZY_VA holding LAZY_MAGIC. */
static struct mm_struct *lazy_mm(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	u64 magic = LAZY_MAGIC;

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return NULL;
	if (map_user_pages(mm, LAZY_VA, PAGE_SIZE, PROT_READ | PROT_WRITE) ||
	    copy_to_mm(mm, LAZY_VA, &magic, sizeof(magic))) {
		ktest_fail(t, __FILE__, __LINE__, "cannot map the test page");
		mmput(mm);
		return NULL;
	}
	return mm;
}

/* ---- the counter ---------------------------------------------------- */

/* switch_mm_cr3_loads() counts real CR3 writes only. */
KTEST(lazy_tlb, switch_mm_counts_cr3_loads)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long flags, n[5];
	int cpu;

	KTEST_ASSERT(t, mm);
	local_irq_save(flags);
	cpu = smp_processor_id();
	n[0] = switch_mm_cr3_loads(cpu);
	switch_mm(mm);
	n[1] = switch_mm_cr3_loads(cpu);
	switch_mm(mm); /* loaded already */
	n[2] = switch_mm_cr3_loads(cpu);
	switch_mm(NULL);
	n[3] = switch_mm_cr3_loads(cpu);
	switch_mm(NULL);
	n[4] = switch_mm_cr3_loads(cpu);
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, n[1] - n[0], 1);
	KTEST_EXPECT_EQ(t, n[2] - n[1], 0);
	KTEST_EXPECT_EQ(t, n[3] - n[2], 1);
	KTEST_EXPECT_EQ(t, n[4] - n[3], 0);
	mmput(mm);
}

/* ---- user task -> kernel thread -> the same user task --------------- */

#define ROUND_TRIPS 20

struct round_trip {
	struct wait_queue_head wq;
	struct mm_struct *mm;
	int cpu;
	volatile int turn;   /* 0: the user task's, 1: the kernel thread's */
	unsigned long loads; /* CR3 loads on cpu across the round trips */
	int borrowed;	     /* kernel-thread turns spent on mm's table */
	int back_on_mm;	     /* user turns that found mm's table in CR3 */
	int done;
};

static int rt_kthread_fn(void *p)
{
	struct round_trip *r = p;

	for (;;) {
		wait_event(r->wq,
			   READ_ONCE(r->turn) == 1 || kthread_should_stop());
		if (kthread_should_stop())
			return 0;
		r->borrowed += borrowing(r->mm);
		WRITE_ONCE(r->turn, 0);
		wake_up(&r->wq);
	}
}

static int rt_user_fn(void *p)
{
	struct round_trip *r = p;

	for (int i = 0; i < ROUND_TRIPS; i++) {
		unsigned long before = switch_mm_cr3_loads(r->cpu);

		WRITE_ONCE(r->turn, 1);
		wake_up(&r->wq);
		wait_event(r->wq, READ_ONCE(r->turn) == 0);
		r->loads += switch_mm_cr3_loads(r->cpu) - before;
		r->back_on_mm += mm_is_active(r->mm);
	}
	WRITE_ONCE(r->done, 1);
	wake_up(&r->wq);
	return 0;
}

/*
 * A user task wakes a kernel thread on its CPU and sleeps; the kernel
 * thread wakes it and sleeps; ROUND_TRIPS times. Without lazy TLB each
 * round trip loads CR3 twice (the kernel's table, then the user's again);
 * with it never, and the kernel thread runs on the user's table.
 */
KTEST(lazy_tlb, kthread_round_trip_loads_no_cr3)
{
	static struct round_trip r;
	unsigned long free0 = nr_free_pages();
	struct mm_struct *mm = mm_alloc();
	struct task *k, *u;

	KTEST_ASSERT(t, mm);
	memset(&r, 0, sizeof(r));
	init_waitqueue_head(&r.wq);
	r.mm = mm;
	r.cpu = this_cpu_id();
	k = kthread_create_on_cpu(rt_kthread_fn, &r, r.cpu, "ktest-lazy/%u");
	u = mm_task_create(rt_user_fn, &r, mm, r.cpu);
	KTEST_ASSERT(t, k && u);
	wake_up_process(k);
	wake_up_process(u);
	wait_event(r.wq, READ_ONCE(r.done));
	KTEST_EXPECT_EQ(t, kthread_stop(u), 0);
	kthread_stop(k);
	KTEST_EXPECT_EQ(t, r.done, 1);
	KTEST_EXPECT_EQ(t, r.loads, 0);
	KTEST_EXPECT_EQ(t, r.borrowed, ROUND_TRIPS);
	KTEST_EXPECT_EQ(t, r.back_on_mm, ROUND_TRIPS);
	mmput(mm);
	KTEST_EXPECT(t, settle_free_pages(free0));
}

/* ---- a borrowed mm outlives its last user --------------------------- */

struct lifetime {
	struct wait_queue_head wq;
	struct mm_struct *mm;
	volatile int stage;
	int cpu_after; /* -1: stay; else move there after stage 1 */
};

/* The user task of lifetime tests: run once on its CPU (stage 1), maybe
 * move (cpu_after), wait for stage 2 or kthread_stop(), then exit. */
static int lt_user_fn(void *p)
{
	struct lifetime *l = p;

	if (l->cpu_after >= 0) {
		struct cpumask m;

		mask_of(&m, l->cpu_after);
		set_cpus_allowed_ptr(current, &m);
	}
	WRITE_ONCE(l->stage, 1);
	wake_up(&l->wq);
	wait_event(l->wq, READ_ONCE(l->stage) == 2 || kthread_should_stop());
	return 0;
}

/*
 * One CPU is enough: the user task exits while another user (this test)
 * keeps the mm, so its exit stays on mm's table (Linux's exit_mm()) and
 * this kernel thread, next on the CPU, borrows it. Then this thread
 * drops the last user: the teardown frees the pages and page tables, and
 * its shootdown, which reaches this CPU too, gives the borrow back (the
 * kernel's page table in CR3, active_mm NULL). The PML4 and the struct
 * stay for as long as a reference does (the test's own, mm_count 1), and
 * go with it: then the free-page count is back where it started.
 */
KTEST(lazy_tlb, borrowed_mm_outlives_its_last_user)
{
	static struct lifetime l;
	struct cpumask saved = current->cpus_mask, one;
	unsigned long free0 = nr_free_pages(), free_mid;
	struct mm_struct *mm;
	struct task *u;
	int cpu = this_cpu_id();

	mask_of(&one, cpu);
	KTEST_ASSERT(t, set_cpus_allowed_ptr(current, &one) == 0);
	mm = lazy_mm(t);
	KTEST_ASSERT(t, mm);
	memset(&l, 0, sizeof(l));
	init_waitqueue_head(&l.wq);
	l.mm = mm;
	l.cpu_after = -1;
	u = mm_task_create(lt_user_fn, &l, mm, cpu);
	KTEST_ASSERT(t, u);
	wake_up_process(u);
	wait_event(l.wq, READ_ONCE(l.stage) == 1);
	kthread_stop(u); /* it exits here, on our CPU, and we run next */

	this_cpu()->preempt_count++; /* keep the borrow: no switch */
	if (!borrowing(mm)) {
		/* Nothing would keep mm once we drop the last user. */
		this_cpu()->preempt_count--;
		ktest_fail(t, __FILE__, __LINE__,
			   "not on mm's page table after its user task");
		mmput(mm);
		goto out;
	}
	KTEST_EXPECT_EQ(t, mm->users, 1);
	KTEST_EXPECT_EQ(t, mm->mm_count, 2); /* users + our borrow */
	mmgrab(mm); /* so that mm can be read after the teardown */
	mmput(mm);
	KTEST_EXPECT_EQ(t, mm->users, 0);
	/* The teardown's shootdown took the borrow back. */
	KTEST_EXPECT_EQ(t, mm->mm_count, 1);
	KTEST_EXPECT(t, current->active_mm == NULL);
	KTEST_EXPECT(t, !mm_is_active(mm));
	KTEST_EXPECT(t, mm->pgd != NULL);
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 1);
	free_mid = nr_free_pages();
	this_cpu()->preempt_count--;
	/* At least the PML4 is still allocated, until the last mmdrop. */
	KTEST_EXPECT(t, free_mid < free0);
	mmdrop(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
out:
	KTEST_EXPECT(t, settle_free_pages(free0));
	set_cpus_allowed_ptr(current, &saved);
}

/*
 * The same with the last user on another CPU: this thread borrows mm on
 * its CPU and does not switch (preemption off) while the user task,
 * moved to another CPU, exits there and tears mm down. The teardown's
 * shootdown reaches this CPU and takes the borrow back there and then:
 * a kernel thread that runs on (a POE worker zeroing ahead) must not
 * keep a dead process's PML4. The test's own reference keeps the PML4
 * until it is dropped.
 */
KTEST(lazy_tlb, last_user_exits_on_another_cpu)
{
	static struct lifetime l;
	struct cpumask saved = current->cpus_mask, one;
	unsigned long free0, free_mid;
	struct mm_struct *mm;
	struct task *u;
	int cpu = this_cpu_id(), other = other_cpu(cpu);
	bool exited;

	if (other < 0) {
		KTEST_SKIP(t, "needs two CPUs");
		return;
	}
	mask_of(&one, cpu);
	KTEST_ASSERT(t, set_cpus_allowed_ptr(current, &one) == 0);
	free0 = nr_free_pages();
	mm = lazy_mm(t);
	KTEST_ASSERT(t, mm);
	memset(&l, 0, sizeof(l));
	init_waitqueue_head(&l.wq);
	l.mm = mm;
	l.cpu_after = other;
	/* It runs here first, so that our CPU holds mm's table, then moves. */
	u = mm_task_create(lt_user_fn, &l, mm, cpu);
	KTEST_ASSERT(t, u);
	wake_up_process(u);
	wait_event(l.wq, READ_ONCE(l.stage) == 1);

	this_cpu()->preempt_count++;
	if (!borrowing(mm)) {
		this_cpu()->preempt_count--;
		ktest_fail(t, __FILE__, __LINE__,
			   "not on mm's page table after its user task");
		mmput(mm);
		WRITE_ONCE(l.stage, 2);
		wake_up(&l.wq);
		kthread_stop(u);
		goto out;
	}
	mmgrab(mm); /* so that mm can be read after the teardown */
	mmput(mm);  /* the user task's reference is the last */
	WRITE_ONCE(l.stage, 2);
	wake_up(&l.wq);
	exited = halt_until((volatile int *)&u->state, TASK_ZOMBIE, 2000);
	KTEST_EXPECT_EQ(t, mm->users, 0);
	/* No switch here, yet the borrow is gone: the shootdown took it. */
	KTEST_EXPECT_EQ(t, mm->mm_count, 1);
	KTEST_EXPECT(t, current->active_mm == NULL);
	KTEST_EXPECT(t, !mm_is_active(mm));
	KTEST_EXPECT(t, mm->pgd != NULL);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 1);
	free_mid = nr_free_pages();
	this_cpu()->preempt_count--;
	KTEST_EXPECT(t, exited);

	kthread_stop(u);
	mmdrop(mm);
	KTEST_EXPECT(t, free_mid < nr_free_pages());
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
out:
	KTEST_EXPECT(t, settle_free_pages(free0));
	set_cpus_allowed_ptr(current, &saved);
}

/*
 * An idle CPU borrows a user task's mm, and the task then exits on
 * another CPU: the idle CPU does not switch, yet it must give the dead
 * mm back (idle_drop_dead_mm(), within a tick), or its PML4 stays
 * allocated for as long as the CPU stays idle. The mm maps nothing, so
 * its teardown sends no shootdown, which would take the borrow back
 * first (flush_tlb_func()).
 */
KTEST(lazy_tlb, idle_cpu_gives_back_a_dead_mm)
{
	static struct lifetime l;
	struct cpumask saved = current->cpus_mask, one;
	unsigned long free0;
	struct mm_struct *mm;
	struct task *u, *idle;
	int cpu = this_cpu_id(), other = other_cpu(cpu), tries;

	if (other < 0) {
		KTEST_SKIP(t, "needs two CPUs");
		return;
	}
	mask_of(&one, cpu);
	KTEST_ASSERT(t, set_cpus_allowed_ptr(current, &one) == 0);
	free0 = nr_free_pages();
	mm = mm_alloc();
	KTEST_ASSERT(t, mm);
	memset(&l, 0, sizeof(l));
	init_waitqueue_head(&l.wq);
	l.mm = mm;
	l.cpu_after = -1;
	u = mm_task_create(lt_user_fn, &l, mm, other);
	KTEST_ASSERT(t, u);
	wake_up_process(u);
	wait_event(l.wq, READ_ONCE(l.stage) == 1);
	/* It sleeps there now; the other CPU's idle task takes over mm. */
	idle = per_cpu_area(other)->idle;
	for (tries = 0; tries < 1000 && READ_ONCE(idle->active_mm) != mm;
	     tries++)
		msleep(1);
	KTEST_EXPECT(t, READ_ONCE(idle->active_mm) == mm);

	/* Wake it on our CPU instead, as the last user, and let it exit. */
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(u, &one), 0);
	mmput(mm);
	WRITE_ONCE(l.stage, 2);
	wake_up(&l.wq);
	kthread_stop(u);
	for (tries = 0; tries < 200 && nr_free_pages() != free0; tries++)
		msleep(1);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
	KTEST_EXPECT(t, READ_ONCE(idle->active_mm) != mm);
	set_cpus_allowed_ptr(current, &saved);
}

/* ---- shootdowns reach a borrowing kernel thread ---------------------- */

struct shoot {
	struct mm_struct *mm;
	struct task *k;
	volatile int stage;
	bool borrowed, first_read, second_faulted, given_back;
	u64 second;
};

/* The user task: start the kernel thread on its CPU, then exit (mm
 * stays: the test holds a user), so the kernel thread borrows mm. */
static int sd_user_fn(void *p)
{
	struct shoot *s = p;

	wake_up_process(s->k);
	return 0;
}

static int sd_kthread_fn(void *p)
{
	struct shoot *s = p;
	u64 v = 0;

	this_cpu()->preempt_count++; /* keep the borrow throughout */
	s->borrowed = borrowing(s->mm);
	/* Through the borrowed table: now this CPU's TLB maps the page. */
	s->first_read = copy_from_user(&v, (const void __user *)LAZY_VA,
				       sizeof(v)) == 0 &&
			v == LAZY_MAGIC;
	WRITE_ONCE(s->stage, 1);
	if (halt_until(&s->stage, 2, 2000)) {
		/* Unmapped and shot down on the other CPU: a stale TLB
		 * entry would still read the old page. */
		s->second_faulted = copy_from_user(&s->second,
						   (const void __user *)LAZY_VA,
						   sizeof(s->second)) != 0;
		s->given_back = !current->active_mm && !mm_is_active(s->mm);
	}
	this_cpu()->preempt_count--;
	WRITE_ONCE(s->stage, 3);
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

/*
 * A kernel thread borrows mm on one CPU and reads a user page through it
 * (its TLB now holds the translation); another CPU unmaps the page. The
 * shootdown must reach the borrowing CPU, which joined mm_cpumask when
 * it loaded mm for the user task and has not left it: its second read
 * must fault, whether the shootdown flushed the entry or moved the CPU
 * to the kernel's page table. (QEMU keeps a TLB entry until it is
 * flushed, so a missed shootdown reads the old page.) The kernel thread
 * needs none of mm's entries, so the shootdown also takes its borrow
 * back: the kernel's page table in CR3 and active_mm NULL.
 */
KTEST(lazy_tlb, shootdown_reaches_borrowing_kthread)
{
	static struct shoot s;
	struct cpumask saved = current->cpus_mask, one;
	unsigned long free0;
	struct mm_struct *mm;
	struct task *u;
	int cpu = this_cpu_id(), other = other_cpu(cpu), tries;

	if (other < 0) {
		KTEST_SKIP(t, "needs two CPUs");
		return;
	}
	mask_of(&one, cpu);
	KTEST_ASSERT(t, set_cpus_allowed_ptr(current, &one) == 0);
	free0 = nr_free_pages();
	mm = lazy_mm(t);
	KTEST_ASSERT(t, mm);
	memset(&s, 0, sizeof(s));
	s.mm = mm;
	s.k = kthread_create_on_cpu(sd_kthread_fn, &s, other, "ktest-lazy/%u");
	u = mm_task_create(sd_user_fn, &s, mm, other);
	KTEST_ASSERT(t, s.k && u);
	wake_up_process(u);
	for (tries = 0; tries < 2000 && READ_ONCE(s.stage) != 1; tries++)
		msleep(1);
	KTEST_EXPECT_EQ(t, s.stage, 1);
	KTEST_EXPECT_EQ(t, unmap_user_pages(mm, LAZY_VA, PAGE_SIZE), 0);
	WRITE_ONCE(s.stage, 2);
	for (tries = 0; tries < 2000 && READ_ONCE(s.stage) != 3; tries++)
		msleep(1);
	KTEST_EXPECT_EQ(t, s.stage, 3);
	kthread_stop(u);
	kthread_stop(s.k);
	KTEST_EXPECT(t, s.borrowed);
	KTEST_EXPECT(t, s.first_read);
	KTEST_EXPECT(t, s.second_faulted);
	KTEST_EXPECT(t, s.given_back); /* the shootdown took the borrow */
	if (!s.second_faulted)
		ktest_fail(t, __FILE__, __LINE__,
			   "read %llx through a stale TLB entry",
			   (unsigned long long)s.second);
	mmput(mm);
	KTEST_EXPECT(t, settle_free_pages(free0));
	set_cpus_allowed_ptr(current, &saved);
}
