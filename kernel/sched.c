/*
 * sched.c - tasks and the round-robin scheduler (include/kernel/sched.h).
 *
 * One run queue per CPU (struct rq, Linux's): the runnable tasks that wait
 * for that CPU, in FIFO order; schedule() takes the first, pulls one from
 * the busiest other queue when its own is empty (idle balancing), or runs
 * the CPU's idle task. The tick (scheduler_tick, from each CPU's LAPIC
 * timer) counts down the running task's slice and asks for a switch when
 * it ends; the switch happens on the way out of the interrupt
 * (preempt_check), so a busy loop in a kernel thread is preempted too.
 * Sleeping is a state plus a schedule(); waking is putting the task back
 * on a queue, its last CPU's or another one its cpus_mask allows, and
 * kicking that CPU if it idles. docs/sched.md tells the whole story.
 *
 * Locks (outermost first): tasks_lock -> a task's pi_lock -> run-queue
 * locks, two of them only in CPU order (double_rq_lock). All are taken
 * with interrupts off. A CPU holds its rq lock across the context switch
 * itself; the task switched to releases it (finish_task_switch), as in
 * Linux, so under a run queue's lock a task is either running there or
 * completely switched out. The context switch itself is __switch_to_asm
 * in arch/x86_64/switch.asm.
 */
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/resource.h>
#include <kernel/rusage.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <kernel/wait.h>
#include <mm/kmalloc.h>
#include <mm/kstack.h>
#include <mm/user_mm.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/irqflags.h>

#define MSR_FS_BASE 0xc0000100

/* Every CPU that exists: what a task may use unless told otherwise. */
#define CPU_MASK_ALL_BITS ((1UL << NR_CPUS) - 1)

/*
 * A CPU's run queue (Linux's struct rq). lock protects every field and
 * the run_list, on_rq and cpu of the tasks counted here.
 */
struct rq {
	spinlock_t lock;
	struct list_head queue;	   /* runnable tasks waiting, FIFO */
	unsigned int nr_running;   /* on_rq tasks: queued + running */
	unsigned int nr_queued;	   /* on queue: could be pulled */
	struct task *curr;	   /* running now (this CPU's current) */
	struct task *idle;	   /* runs when nothing else can */
	struct task *prev;	   /* switched away from, switch unfinished */
	struct task *dead;	   /* exited: free once switched away */
	struct task *push;	   /* must move to a CPU it may use */
	struct mm_struct *prev_mm; /* a kernel thread's borrowed mm, to
				    * mmdrop once switched away (lazy TLB) */
	unsigned long nr_switches; /* context switches */
	unsigned long nr_pulled;   /* tasks pulled by idle balancing */
	int cpu;
};

static struct rq runqueues[NR_CPUS];
static struct task idle_task; /* CPU 0's: the boot thread */
LIST_HEAD(all_tasks);
static int next_pid = 2; /* 0 = idle, 1 = init */
static unsigned long task_count;
DEFINE_SPINLOCK(tasks_lock);

static struct rq *cpu_rq(int cpu)
{
	return &runqueues[cpu];
}

/* This CPU's run queue; interrupts off, or the answer may be stale. */
static struct rq *this_rq(void)
{
	return cpu_rq(smp_processor_id());
}

/*
 * Lock the run queue t is counted on (or will wake on). t->cpu changes
 * only under the lock of the queue it names, so once we hold that lock
 * and t->cpu still names it, it stays put. Interrupts off. Linux's
 * task_rq_lock() (which also takes pi_lock; our callers do that).
 */
static struct rq *task_rq_lock(struct task *t)
{
	for (;;) {
		struct rq *rq = cpu_rq(READ_ONCE(t->cpu));

		spin_lock(&rq->lock);
		if (rq == cpu_rq(READ_ONCE(t->cpu)))
			return rq;
		spin_unlock(&rq->lock);
	}
}

/* Two queues at once: lower CPU first, so two CPUs never wait on each
 * other. Interrupts off. Linux's double_rq_lock(). */
static void double_rq_lock(struct rq *a, struct rq *b)
{
	if (a == b) {
		spin_lock(&a->lock);
	} else if (a->cpu < b->cpu) {
		spin_lock(&a->lock);
		spin_lock(&b->lock);
	} else {
		spin_lock(&b->lock);
		spin_lock(&a->lock);
	}
}

/* Queue t (not running, rq locked, t->cpu == rq->cpu) at the tail. */
static void enqueue_task(struct rq *rq, struct task *t)
{
	list_add_tail(&t->run_list, &rq->queue);
	rq->nr_queued++;
}

static void dequeue_task(struct rq *rq, struct task *t)
{
	list_del_init(&t->run_list);
	rq->nr_queued--;
}

/* Count a task on rq and queue it (Linux's activate_task()). */
static void activate_task(struct rq *rq, struct task *t)
{
	t->on_rq = 1;
	rq->nr_running++;
	enqueue_task(rq, t);
}

/* Ask rq's CPU to call schedule() soon (Linux's resched_curr()). */
static void resched_curr(struct rq *rq)
{
	if (rq->cpu == smp_processor_id())
		this_cpu()->need_resched = true;
	else
		smp_send_reschedule(rq->cpu);
}

/* After queueing on rq: an idle CPU must notice; a busy one will reach
 * the task when its slice ends. */
static void check_preempt(struct rq *rq)
{
	if (rq->curr == rq->idle)
		resched_curr(rq);
}

/*
 * The CPU for t: its last CPU if allowed and idle (its cache may still be
 * warm), else the allowed online CPU with the fewest tasks, the last CPU
 * winning a tie. fresh (a new task): just the least loaded. The loads are
 * read without locks: a hint, as in Linux's select_task_rq(). t is on no
 * queue; its pi_lock is held.
 */
static int select_task_rq(struct task *t, bool fresh)
{
	struct cpumask allowed;
	unsigned int best_load = ~0u;
	int cpu, best = -1, prev = t->cpu;

	if (!cpumask_and(&allowed, &t->cpus_mask, cpu_online_mask))
		return cpumask_first(cpu_online_mask); /* cannot happen: the
							* masks are checked */
	if (!fresh && cpumask_test_cpu(prev, &allowed) &&
	    READ_ONCE(cpu_rq(prev)->nr_running) == 0)
		return prev;
	for_each_cpu(cpu, &allowed)
	{
		unsigned int load = READ_ONCE(cpu_rq(cpu)->nr_running);

		if (load < best_load || (load == best_load && cpu == prev)) {
			best_load = load;
			best = cpu;
		}
	}
	return best;
}

/*
 * Put t (pi_lock held, on no queue, switched out) on the queue of cpu and
 * kick that CPU if it idles. The last step of every wake-up and move.
 */
static void ttwu_queue(struct task *t, int cpu)
{
	struct rq *rq = cpu_rq(cpu);

	spin_lock(&rq->lock);
	WRITE_ONCE(t->cpu, cpu);
	activate_task(rq, t);
	check_preempt(rq);
	spin_unlock(&rq->lock);
}

void set_task_comm(struct task *t, const char *name)
{
	size_t n = strnlen(name, TASK_COMM_LEN - 1);

	memcpy(t->comm, name, n);
	t->comm[n] = '\0';
}

/* The fields every task starts with; the caller sets state and flags. */
static void task_init_common(struct task *t)
{
	fpu_init_state(t);
	INIT_LIST_HEAD(&t->run_list);
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->thread_node);
	INIT_LIST_HEAD(&t->pending.list);
	spin_lock_init(&t->pi_lock);
	t->cpus_mask.bits = CPU_MASK_ALL_BITS;
}

/* Make t the idle task of cpu, running there now. */
static void init_idle(struct task *t, int cpu)
{
	struct rq *rq = cpu_rq(cpu);

	t->flags = PF_KTHREAD | PF_IDLE | PF_NO_SETAFFINITY;
	t->state = TASK_RUNNING;
	t->cpu = cpu;
	t->on_cpu = 1;
	cpumask_clear(&t->cpus_mask);
	__cpumask_set_cpu(cpu, &t->cpus_mask);
	rq->idle = rq->curr = t;
	per_cpu_area(cpu)->idle = t;
}

void sched_init(void)
{
	struct percpu *cpu = this_cpu();

	for (int i = 0; i < NR_CPUS; i++) {
		struct rq *rq = cpu_rq(i);

		spin_lock_init(&rq->lock);
		INIT_LIST_HEAD(&rq->queue);
		rq->cpu = i;
	}
	idle_task.pid = idle_task.tgid = 0;
	set_task_comm(&idle_task, "swapper/0");
	idle_task.stack = boot_stack_bottom; /* boot/boot.asm, 16 KiB */
	task_init_common(&idle_task);
	init_idle(&idle_task, 0);
	list_add_tail(&idle_task.tasks, &all_tasks);
	task_count = 1;
	cpu->curr = &idle_task;
}

static void stack_tlb_flush_local(void *stack)
{
	for (unsigned long off = 0; off < KSTACK_SIZE; off += 4096)
		invlpg((unsigned long)stack + off);
}

/*
 * A new kernel stack may sit in the virtual slot of a stack freed
 * earlier, which kstack_free() unmapped with a flush on its own CPU only;
 * another CPU that ran the old owner may still hold those translations
 * (global ones, which a CR3 switch keeps) and would read and write the
 * old, freed pages through them. Flush the slot on every CPU before the
 * stack is used. Needs interrupts on (a cross-CPU call).
 */
static void stack_tlb_flush_all(void *stack)
{
	on_each_cpu(stack_tlb_flush_local, stack, true);
}

struct task *task_alloc(const char *name)
{
	struct task *t = kzalloc(sizeof(*t));
	unsigned long flags;

	if (!t)
		return NULL;
	t->stack = kstack_alloc(KSTACK_PAGES);
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	stack_tlb_flush_all(t->stack);
	set_task_comm(t, name);
	t->state = TASK_NEW; /* not runnable until started */
	task_init_common(t);
	t->time_slice = SCHED_SLICE_TICKS;
	t->exit_signal = SIGCHLD;
	rlimit_init(t);
	spin_lock_irqsave(&tasks_lock, flags);
	t->pid = t->tgid = next_pid++;
	list_add_tail(&t->tasks, &all_tasks);
	task_count++;
	spin_unlock_irqrestore(&tasks_lock, flags);
	return t;
}

void task_free(struct task *t)
{
	unsigned long flags;

	/* A zombie reaped on another CPU may still be on its way out of
	 * schedule() there, on the stack we are about to free. */
	while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
		cpu_relax();
	spin_lock_irqsave(&tasks_lock, flags);
	list_del(&t->tasks);
	task_count--;
	spin_unlock_irqrestore(&tasks_lock, flags);
	/*
	 * Off the list, no sender can find t any more (they look under
	 * tasks_lock), so its signal state may go now and not before: a
	 * kill() that found it could still be locking its sighand. And a
	 * waker may still hold its pi_lock: task_start() and
	 * wake_up_process() let go of it after queueing t, and t may have
	 * run, exited and come here on another CPU meanwhile. Wait until
	 * that unlock is done. Linux keeps the task_struct alive with a
	 * reference count freed through RCU (put_task_struct_rcu_user());
	 * waiting for the lock is what its do_exit() once did
	 * (raw_spin_unlock_wait(&tsk->pi_lock)).
	 */
	release_task_signal(t);
	spin_lock_irqsave(&t->pi_lock, flags);
	spin_unlock_irqrestore(&t->pi_lock, flags);
	kstack_free(t->stack, KSTACK_PAGES);
	kfree(t);
}

void fpu_init_state(struct task *t)
{
	/* What fninit and a reset MXCSR give: all exceptions masked. */
	memset(t->fpu_state, 0, sizeof(t->fpu_state));
	*(u16 *)&t->fpu_state[0] = 0x037f;  /* FCW */
	*(u32 *)&t->fpu_state[24] = 0x1f80; /* MXCSR */
}

/*
 * Lay out a new task's kernel stack so that the first __switch_to_asm into it
 * "returns" to task_first_entry with r12 = fn and r13 = arg. Below `top`:
 * six callee-saved registers (r15, r14, r13, r12, rbx, rbp), then the
 * return address.
 */
void task_set_entry(struct task *t, unsigned long top, void (*fn)(void *),
		    void *arg)
{
	unsigned long *sp = (unsigned long *)top;

	*--sp = 0; /* alignment: entry sees rsp % 16 == 8 */
	*--sp = (unsigned long)task_first_entry;
	*--sp = 0;		    /* rbp: ends the frame chain */
	*--sp = 0;		    /* rbx */
	*--sp = (unsigned long)fn;  /* r12 */
	*--sp = (unsigned long)arg; /* r13 */
	*--sp = 0;		    /* r14 */
	*--sp = 0;		    /* r15 */
	t->ksp = (unsigned long)sp;
}

struct task *find_task_locked(int pid)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, tasks)
		if (t->pid == pid && t->state != TASK_DEAD)
			return t;
	return NULL;
}

struct task *find_task(int pid)
{
	struct task *found;
	unsigned long flags;

	spin_lock_irqsave(&tasks_lock, flags);
	found = find_task_locked(pid);
	spin_unlock_irqrestore(&tasks_lock, flags);
	return found;
}

unsigned long nr_tasks(void)
{
	return task_count;
}

unsigned int sched_nr_running(int cpu)
{
	return READ_ONCE(cpu_rq(cpu)->nr_running);
}

unsigned long sched_nr_pulled(int cpu)
{
	return READ_ONCE(cpu_rq(cpu)->nr_pulled);
}

void task_start(struct task *t)
{
	unsigned long flags;

	spin_lock_irqsave(&t->pi_lock, flags);
	t->state = TASK_RUNNING;
	ttwu_queue(t, select_task_rq(t, true));
	spin_unlock_irqrestore(&t->pi_lock, flags);
}

bool wake_up_process(struct task *t)
{
	unsigned long flags;
	struct rq *rq;
	bool woke = false;

	spin_lock_irqsave(&t->pi_lock, flags);
	if (t->state != TASK_INTERRUPTIBLE)
		goto out;
	woke = true;
	rq = task_rq_lock(t);
	if (t->on_rq) {
		/* It has not switched out yet (it is between setting its
		 * state and schedule(), or was preempted there): it stays
		 * where it is, and schedule() now keeps it. */
		t->state = TASK_RUNNING;
		spin_unlock(&rq->lock);
		goto out;
	}
	spin_unlock(&rq->lock);
	/* Off its queue, so switched out: the rq lock is held across a
	 * switch. Linux waits for on_cpu here; so do we, to be sure. */
	while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
		cpu_relax();
	t->state = TASK_RUNNING;
	ttwu_queue(t, select_task_rq(t, false));
out:
	spin_unlock_irqrestore(&t->pi_lock, flags);
	return woke;
}

/*
 * t was preempted on a CPU it may no longer use (set_cpus_allowed_ptr),
 * and has now switched out: queue it where it may run. Interrupts off.
 * Linux does this with its migration thread (migration_cpu_stop()).
 */
static void push_task(struct task *t)
{
	spin_lock(&t->pi_lock);
	if (!t->on_rq) /* a wake-up may have queued it already */
		ttwu_queue(t, select_task_rq(t, false));
	spin_unlock(&t->pi_lock);
}

/*
 * The second half of a switch, run by the task switched to, on the CPU
 * it now runs on: mark the previous task off the CPU, release the run
 * queue, then free an exited task or move one that may not stay here.
 * Linux's finish_task_switch().
 */
static void finish_task_switch(void)
{
	struct rq *rq = this_rq();
	struct task *dead = rq->dead, *push = rq->push;
	struct mm_struct *mm = rq->prev_mm;

	current->switched_in = rdtsc();
	rusage_switch_in(current);
	if (rq->prev)
		__atomic_store_n(&rq->prev->on_cpu, 0, __ATOMIC_RELEASE);
	rq->prev = rq->dead = rq->push = NULL;
	rq->prev_mm = NULL;
	spin_unlock(&rq->lock);
	/* CR3 holds the next task's page table now: the borrowed one may
	 * go (its PML4 with the last reference). */
	if (mm)
		mmdrop(mm);
	if (push)
		push_task(push);
	if (dead)
		task_free(dead);
}

void schedule_tail(void)
{
	finish_task_switch();
	local_irq_enable();
}

/*
 * Linux's sysctl_sched_migration_cost: a task that stopped running less
 * than this long ago is "cache hot" (task_hot()), and idle balancing
 * leaves it on its CPU, where its caches and TLB entries are, and where
 * what it waits for may be running: a task preempted so that its CPU's
 * POE worker refills the CPU's table (poe_kick()) must find that table
 * full, not be carried off to another CPU's. In microseconds.
 */
#define SCHED_MIGRATION_COST_US 500

/* task_hot - did t stop running less than the migration cost ago?
 * Linux's task_hot(), by the TSC. */
static bool task_hot(const struct task *t, u64 now)
{
	return now - t->switched_out < tsc_khz * SCHED_MIGRATION_COST_US / 1000;
}

/*
 * Idle balancing: this CPU has nothing to run, so move one waiting task
 * it may run, and that is not cache hot, from the busiest other queue
 * (the one with most tasks waiting) to its own. Called with rq locked; drops and retakes the lock
 * to take both in order, so the caller looks at its queue again after.
 * Linux's newidle_balance(), reduced to one task.
 */
static void idle_balance(struct rq *rq)
{
	struct cpumask tried = CPU_MASK_NONE;
	int cpu;

	for (;;) {
		struct rq *src = NULL;
		unsigned int most = 0;
		struct task *t, *found = NULL;

		for_each_online_cpu(cpu)
		{
			unsigned int n = READ_ONCE(cpu_rq(cpu)->nr_queued);

			if (cpu != rq->cpu && !cpumask_test_cpu(cpu, &tried) &&
			    n > most) {
				most = n;
				src = cpu_rq(cpu);
			}
		}
		if (!src)
			return;
		__cpumask_set_cpu(src->cpu, &tried);
		spin_unlock(&rq->lock);
		double_rq_lock(rq, src);
		list_for_each_entry(t, &src->queue, run_list)
			if (cpumask_test_cpu(rq->cpu, &t->cpus_mask) &&
			    !task_hot(t, rdtsc())) {
				found = t;
				break;
			}
		if (found) {
			dequeue_task(src, found);
			src->nr_running--;
			WRITE_ONCE(found->cpu, rq->cpu);
			rq->nr_running++;
			enqueue_task(rq, found);
			rq->nr_pulled++;
		}
		spin_unlock(&src->lock);
		if (found || !list_empty(&rq->queue))
			return;
	}
}

/*
 * The address-space half of a switch from prev to next on this CPU, with
 * interrupts off and rq locked: Linux's context_switch() with its lazy
 * TLB for kernel threads.
 *
 * A user task runs on its own page table (switch_mm() loads it unless it
 * is in CR3 already). A kernel thread has none (mm NULL) and reaches only
 * kernel addresses, which every page table maps alike, so it keeps the
 * page table in CR3, prev->active_mm, and loads nothing: a round trip
 * user task -> kernel thread -> the same user task writes CR3 not twice
 * but never (each write flushes the TLB; under QEMU's TCG, all of it).
 * The borrow holds a reference (mmgrab), so the PML4 cannot be freed
 * under the CPU, and the CPU stays in mm_cpumask, so shootdowns still
 * reach it; the first one takes the borrow back (flush_tlb_func(): the
 * kernel's page table, the reference dropped). A kernel thread that
 * switches to another hands its reference on; one that switches to a
 * user task leaves it in rq->prev_mm for finish_task_switch() to drop,
 * once CR3 has changed.
 *
 * Two cases get the kernel's page table instead (one CR3 load): an mm
 * whose last user is gone (no task will run on it again; lending it on
 * would keep its PML4 allocated for nothing), and a CR3 that is not
 * prev->active_mm's (a test that loaded an mm by hand and holds no
 * reference on it).
 */
static void context_switch_mm(struct rq *rq, struct task *prev,
			      struct task *next)
{
	struct mm_struct *mm = prev->active_mm;

	if (!next->mm && mm && READ_ONCE(mm->users) && mm_is_active(mm)) {
		next->active_mm = mm;
		if (prev->mm)
			mmgrab(mm); /* a user task keeps its own */
		else
			prev->active_mm = NULL; /* handed on */
		return;
	}
	next->active_mm = next->mm;
	switch_mm(next->mm);
	if (!prev->mm && mm) {
		rq->prev_mm = mm; /* dropped once switched */
		prev->active_mm = NULL;
	}
}

/*
 * The switch itself. A preempted task (preempt = true) stays runnable
 * whatever its state says: it may have been caught between marking itself
 * asleep and checking its wake-up condition (wait_event), and the wake-up
 * it is waiting for may already have happened. Linux's __schedule() makes
 * the same distinction (SM_PREEMPT).
 */
static void __schedule(bool preempt)
{
	struct percpu *cpu;
	struct task *prev, *next;
	struct rq *rq;
	unsigned long flags;
	bool stays;

	local_irq_save(flags); /* from here on we cannot change CPU */
	cpu = this_cpu();
	rq = cpu_rq(cpu->cpu);
	prev = cpu->curr;
	spin_lock(&rq->lock);
	cpu->need_resched = false;
	stays = !(prev->flags & PF_IDLE) &&
		(prev->state == TASK_RUNNING ||
		 (preempt && prev->state == TASK_INTERRUPTIBLE));
	if (stays && !cpumask_test_cpu(rq->cpu, &prev->cpus_mask)) {
		rq->push = prev; /* moved once it is off this CPU */
		stays = false;
	}
	if (!stays && prev->on_rq) {
		prev->on_rq = 0; /* asleep, exited, or moving */
		rq->nr_running--;
	}
	if (prev->state == TASK_DEAD)
		rq->dead = prev; /* freed by whoever runs next */
	if (!stays && list_empty(&rq->queue))
		idle_balance(rq);
	if (!list_empty(&rq->queue)) {
		next = list_first_entry(&rq->queue, struct task, run_list);
		dequeue_task(rq, next);
		if (stays)
			enqueue_task(rq, prev); /* round-robin: to the back */
	} else {
		next = stays ? prev : rq->idle;
	}
	if (next == prev) {
		rq->push = NULL;
		spin_unlock(&rq->lock);
		local_irq_restore(flags);
		return;
	}
	u64 now = rdtsc();

	prev->runtime_ticks += now - prev->switched_in;
	/* Voluntary when it goes to sleep, as Linux counts it: not
	 * preempted, and no longer runnable. */
	rusage_switch_out(prev, !preempt && prev->state != TASK_RUNNING);
	prev->switched_out = now;
	next->time_slice = SCHED_SLICE_TICKS;
	next->on_cpu = 1;
	rq->curr = next;
	rq->prev = prev;
	rq->nr_switches++;
	cpu->curr = next;
	cpu->kernel_rsp = (unsigned long)next->stack + KSTACK_SIZE;
	tss_set_rsp0(cpu->kernel_rsp);
	context_switch_mm(rq, prev, next);
	if (next->mm)
		wrmsr(MSR_FS_BASE, next->fsbase);
	/* User programs use SSE: each task keeps its own registers. */
	__asm__ __volatile__("fxsave64 %0" : "=m"(prev->fpu_state));
	__asm__ __volatile__("fxrstor64 %0" : : "m"(next->fpu_state));
	__switch_to_asm(&prev->ksp, next->ksp);
	/* prev again, maybe on another CPU: finish the switch made there. */
	finish_task_switch();
	local_irq_restore(flags);
}

void schedule(void)
{
	__schedule(false);
}

void yield(void)
{
	schedule(); /* we stay TASK_RUNNING: back of the queue */
}

/* Does some other run queue have a task waiting (a pull candidate)? */
static bool others_waiting(int self)
{
	int cpu;

	for_each_online_cpu(
		cpu) if (cpu != self &&
			 READ_ONCE(cpu_rq(cpu)->nr_queued)) return true;
	return false;
}

void scheduler_tick(void)
{
	struct percpu *cpu = this_cpu();
	struct task *t = cpu->curr;

	if (t->flags & PF_IDLE) {
		if (READ_ONCE(cpu_rq(cpu->cpu)->nr_queued) ||
		    others_waiting(cpu->cpu))
			cpu->need_resched = true;
	} else if (--t->time_slice <= 0) {
		cpu->need_resched = true;
	}
}

void preempt_check(struct pt_regs *regs)
{
	struct percpu *cpu = this_cpu();

	(void)regs;
	if (cpu->need_resched && cpu->preempt_count == 0)
		__schedule(true);
}

static void wake_timer_fn(struct timer_list *t);

struct sleeper {
	struct timer_list timer;
	struct task *task;
};

static void wake_timer_fn(struct timer_list *t)
{
	wake_up_process(container_of(t, struct sleeper, timer)->task);
}

long schedule_timeout(long timeout)
{
	struct sleeper s = { .task = current };
	u64 expires;
	long left;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return MAX_SCHEDULE_TIMEOUT;
	}
	expires = jiffies + timeout;

	/* The caller set its state first, the timer comes second: a timer
	 * that fires before schedule() then finds us asleep and wakes us (no
	 * lost wake-up). A TASK_RUNNING caller stays on the run queue. */
	timer_setup(&s.timer, wake_timer_fn);
	mod_timer(&s.timer, expires);
	schedule();
	/* _sync: the timer may be firing on the CPU that runs the timers,
	 * and s lives on this stack. */
	del_timer_sync(&s.timer);
	left = (long)(expires - jiffies);
	return left > 0 ? left : 0;
}

long schedule_timeout_interruptible(long timeout)
{
	current->state = TASK_INTERRUPTIBLE;
	return schedule_timeout(timeout);
}

void msleep(unsigned int msecs)
{
	/* +1: the current tick is partly gone, and we promise "at least". */
	long ticks = (long)msecs_to_jiffies(msecs) + 1;
	u64 end = ktime_get_ns() + msecs * 1000000ULL;

	while ((ticks = schedule_timeout_interruptible(ticks)) > 0)
		;
	/* A tick that came late (a virtual CPU the host did not run in
	 * time) is followed by one that comes early: counted in ticks, the
	 * sleep can fall short of the TSC's milliseconds. Make it up. */
	while (ktime_get_ns() < end)
		schedule_timeout_interruptible(1);
}

struct task *fork_idle(int cpu)
{
	struct task *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->stack = kstack_alloc(KSTACK_PAGES);
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	stack_tlb_flush_all(t->stack);
	snprintf(t->comm, sizeof(t->comm), "swapper/%d", cpu);
	task_init_common(t);
	init_idle(t, cpu);
	INIT_LIST_HEAD(&t->tasks); /* idle tasks are not on the task list */
	return t;
}

void __noreturn cpu_startup_entry(void)
{
	struct percpu *cpu = this_cpu();

	local_irq_disable();
	/* fork_idle() made the idle task this run queue's current. */
	cpu->curr = cpu->idle;
	cpu->kernel_rsp = (unsigned long)cpu->idle->stack + KSTACK_SIZE;
	cpu->idle->switched_in = rdtsc();
	cpu_idle();
}

/*
 * The idle task may borrow an mm (lazy TLB) and then halt for as long as
 * nothing is runnable here. Once that mm's last user is gone, the borrow
 * alone keeps its PML4 and struct allocated, maybe for ever on a quiet
 * CPU: give it back before halting (one CR3 load, the kernel's page
 * table). The tick wakes the idle loop, so an mm that dies elsewhere
 * while this CPU sleeps is given back within a tick. Interrupts off.
 * Most teardowns have taken the borrow back already with their
 * shootdown (flush_tlb_func()); this catches an mm that died with
 * nothing mapped, which sends none. Ours: Linux keeps the borrow until
 * the CPU next switches.
 */
static void idle_drop_dead_mm(void)
{
	struct task *idle = current;
	struct mm_struct *mm = idle->active_mm;

	if (!mm || READ_ONCE(mm->users))
		return;
	idle->active_mm = NULL;
	switch_mm(NULL);
	mmdrop(mm);
}

/* The idle task: run whatever is runnable, else halt until an interrupt. */
void __noreturn cpu_idle(void)
{
	for (;;) {
		local_irq_disable();
		if (this_cpu()->need_resched ||
		    READ_ONCE(this_rq()->nr_queued)) {
			local_irq_enable();
			schedule();
		} else {
			idle_drop_dead_mm();
			/* sti takes effect after hlt starts: no lost wake-up */
			safe_halt();
		}
	}
}

/*
 * The non-waiting part of set_cpus_allowed_ptr(): store the mask and move
 * t off a CPU it may no longer use if it is queued or asleep. Returns
 * true when t runs on such a CPU right now (it was asked to leave).
 * valid = *mask & online, not empty. Interrupts off.
 */
static bool __set_cpus_allowed(struct task *t, const struct cpumask *mask,
			       const struct cpumask *valid)
{
	struct rq *rq;
	bool running = false;

	spin_lock(&t->pi_lock);
	rq = task_rq_lock(t);
	cpumask_copy(&t->cpus_mask, mask);
	if (cpumask_test_cpu(t->cpu, valid)) {
		spin_unlock(&rq->lock);
	} else if (rq->curr == t) {
		resched_curr(rq); /* __schedule() pushes it away */
		running = true;
		spin_unlock(&rq->lock);
	} else if (t->on_rq) {
		dequeue_task(rq, t);
		t->on_rq = 0;
		rq->nr_running--;
		spin_unlock(&rq->lock);
		ttwu_queue(t, select_task_rq(t, false));
	} else {
		/* Asleep (or on its way to a push): it wakes where allowed. */
		WRITE_ONCE(t->cpu, cpumask_first(valid));
		spin_unlock(&rq->lock);
	}
	spin_unlock(&t->pi_lock);
	return running;
}

int set_cpus_allowed_ptr(struct task *t, const struct cpumask *mask)
{
	struct cpumask valid;
	unsigned long flags;
	bool running;

	if (!cpumask_and(&valid, mask, cpu_online_mask))
		return -EINVAL;
	local_irq_save(flags);
	running = __set_cpus_allowed(t, mask, &valid);
	local_irq_restore(flags);
	if (running && t == current)
		schedule(); /* back from it on an allowed CPU */
	return 0;
}

long sched_setaffinity(int pid, const struct cpumask *mask)
{
	struct cpumask valid;
	struct task *t;
	unsigned long flags;
	long ret = 0;
	bool running = false;

	spin_lock_irqsave(&tasks_lock, flags);
	t = pid ? find_task_locked(pid) : current;
	if (!t)
		ret = -ESRCH;
	else if (t->flags & PF_NO_SETAFFINITY)
		ret = -EINVAL;
	else if (!cpumask_and(&valid, mask, cpu_online_mask))
		ret = -EINVAL;
	else if (t->state != TASK_ZOMBIE)
		running = __set_cpus_allowed(t, mask, &valid);
	spin_unlock_irqrestore(&tasks_lock, flags);
	if (running && t == current)
		schedule();
	return ret;
}

long sched_getaffinity(int pid, struct cpumask *mask)
{
	struct task *t;
	unsigned long flags;
	long ret = 0;

	spin_lock_irqsave(&tasks_lock, flags);
	t = pid ? find_task_locked(pid) : current;
	if (t)
		cpumask_and(mask, &t->cpus_mask, cpu_online_mask);
	else
		ret = -ESRCH;
	spin_unlock_irqrestore(&tasks_lock, flags);
	return ret;
}
