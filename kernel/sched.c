/*
 * sched.c - tasks and the round-robin scheduler (include/kernel/sched.h).
 *
 * One run queue per CPU (one CPU today): runnable tasks wait on it in FIFO
 * order; schedule() takes the first, or the idle task when it is empty.
 * The tick (scheduler_tick, from the LAPIC timer) counts down the running
 * task's slice and asks for a switch when it ends; the switch happens on
 * the way out of the interrupt (preempt_check), so a busy loop in a kernel
 * thread is preempted too. Sleeping is a state plus a schedule(); waking is
 * putting the task back on the queue. The context switch itself is
 * __switch_to_asm in arch/x86_64/switch.asm.
 */
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
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

static struct task idle_task;
static LIST_HEAD(run_queue);
static LIST_HEAD(all_tasks);
static struct task *dead_task; /* to free after the next switch */
static int next_pid = 2;       /* 0 = idle, 1 = init */
static unsigned long task_count;
static DEFINE_SPINLOCK(tasks_lock);

void set_task_comm(struct task *t, const char *name)
{
	size_t n = strnlen(name, TASK_COMM_LEN - 1);

	memcpy(t->comm, name, n);
	t->comm[n] = '\0';
}

void sched_init(void)
{
	struct percpu *cpu = this_cpu();

	idle_task.pid = idle_task.tgid = 0;
	set_task_comm(&idle_task, "swapper/0");
	idle_task.flags = PF_KTHREAD | PF_IDLE;
	idle_task.state = TASK_RUNNING;
	idle_task.stack = boot_stack_bottom; /* boot/boot.asm, 16 KiB */
	fpu_init_state(&idle_task);
	INIT_LIST_HEAD(&idle_task.run_list);
	INIT_LIST_HEAD(&idle_task.children);
	INIT_LIST_HEAD(&idle_task.sibling);
	list_add_tail(&idle_task.tasks, &all_tasks);
	task_count = 1;
	cpu->curr = &idle_task;
	cpu->idle = &idle_task;
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
	set_task_comm(t, name);
	t->state = TASK_INTERRUPTIBLE; /* not runnable until started */
	fpu_init_state(t);
	t->time_slice = SCHED_SLICE_TICKS;
	t->exit_signal = SIGCHLD;
	INIT_LIST_HEAD(&t->run_list);
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
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

	spin_lock_irqsave(&tasks_lock, flags);
	list_del(&t->tasks);
	task_count--;
	spin_unlock_irqrestore(&tasks_lock, flags);
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

struct task *find_task(int pid)
{
	struct task *t, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&tasks_lock, flags);
	list_for_each_entry(t, &all_tasks, tasks)
		if (t->pid == pid && t->state != TASK_DEAD) {
			found = t;
			break;
		}
	spin_unlock_irqrestore(&tasks_lock, flags);
	return found;
}

void signal_thread_group(int tgid, struct task *except, int sig)
{
	struct task *t;
	unsigned long flags;

	spin_lock_irqsave(&tasks_lock, flags);
	list_for_each_entry(t, &all_tasks, tasks)
		if (t->tgid == tgid && t != except &&
		    !(t->flags & PF_KTHREAD) && t->state != TASK_ZOMBIE &&
		    t->state != TASK_DEAD && !t->pending_kill) {
			t->pending_kill = sig;
			wake_up_process(t);
		}
	spin_unlock_irqrestore(&tasks_lock, flags);
}

unsigned long nr_tasks(void)
{
	return task_count;
}

/* Put t at the tail of the run queue; interrupts must be off. */
static void enqueue(struct task *t)
{
	if (t->flags & PF_IDLE || !list_empty(&t->run_list))
		return;
	list_add_tail(&t->run_list, &run_queue);
}

void task_start(struct task *t)
{
	unsigned long flags;

	local_irq_save(flags);
	t->state = TASK_RUNNING;
	enqueue(t);
	local_irq_restore(flags);
}

bool wake_up_process(struct task *t)
{
	unsigned long flags;
	bool woke = false;

	local_irq_save(flags);
	if (t->state == TASK_INTERRUPTIBLE) {
		t->state = TASK_RUNNING;
		enqueue(t);
		woke = true;
		if (current->flags & PF_IDLE)
			this_cpu()->need_resched = true;
	}
	local_irq_restore(flags);
	return woke;
}

/* Called by the task we switched to, as the first thing it does. */
static void finish_task_switch(void)
{
	struct task *dead = dead_task;

	current->switched_in = rdtsc();
	if (dead && dead != current) {
		dead_task = NULL;
		task_free(dead);
	}
}

void schedule_tail(void)
{
	finish_task_switch();
	local_irq_enable();
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
	struct percpu *cpu = this_cpu();
	struct task *prev = cpu->curr, *next;
	unsigned long flags;

	local_irq_save(flags);
	cpu->need_resched = false;
	if (prev->state == TASK_RUNNING ||
	    (preempt && prev->state == TASK_INTERRUPTIBLE))
		enqueue(prev);
	if (list_empty(&run_queue)) {
		next = cpu->idle;
	} else {
		next = list_first_entry(&run_queue, struct task, run_list);
		list_del_init(&next->run_list);
	}
	if (prev->state == TASK_DEAD)
		dead_task = prev; /* freed by whoever runs next */
	if (next != prev) {
		u64 now = rdtsc();

		prev->runtime_ticks += now - prev->switched_in;
		next->time_slice = SCHED_SLICE_TICKS;
		cpu->curr = next;
		cpu->kernel_rsp = (unsigned long)next->stack + KSTACK_SIZE;
		tss_set_rsp0(cpu->kernel_rsp);
		switch_mm(next->mm);
		if (next->mm)
			wrmsr(MSR_FS_BASE, next->fsbase);
		/* User programs use SSE: each task keeps its own registers. */
		__asm__ __volatile__("fxsave64 %0" : "=m"(prev->fpu_state));
		__asm__ __volatile__("fxrstor64 %0" : : "m"(next->fpu_state));
		__switch_to_asm(&prev->ksp, next->ksp);
		finish_task_switch();
	}
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

void scheduler_tick(void)
{
	struct percpu *cpu = this_cpu();
	struct task *t = cpu->curr;

	if (cpu->cpu != 0) /* until the run queues are per CPU */
		return;

	if (t->flags & PF_IDLE) {
		if (!list_empty(&run_queue))
			cpu->need_resched = true;
	} else if (--t->time_slice <= 0) {
		cpu->need_resched = true;
	}
}

void preempt_check(struct pt_regs *regs)
{
	struct percpu *cpu = this_cpu();

	(void)regs;
	if (cpu->cpu != 0) /* until the run queues are per CPU */
		return;
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
	u64 expires = jiffies + timeout;
	long left;

	/* The caller set its state first, the timer comes second: a timer
	 * that fires before schedule() then finds us asleep and wakes us (no
	 * lost wake-up). A TASK_RUNNING caller stays on the run queue. */
	timer_setup(&s.timer, wake_timer_fn);
	mod_timer(&s.timer, expires);
	schedule();
	del_timer(&s.timer);
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

	while ((ticks = schedule_timeout_interruptible(ticks)) > 0)
		;
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
	snprintf(t->comm, sizeof(t->comm), "swapper/%d", cpu);
	t->flags = PF_KTHREAD | PF_IDLE;
	t->state = TASK_RUNNING;
	fpu_init_state(t);
	INIT_LIST_HEAD(&t->run_list);
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->tasks); /* idle tasks are not on the task list */
	per_cpu_area(cpu)->idle = t;
	return t;
}

void __noreturn cpu_startup_entry(void)
{
	struct percpu *cpu = this_cpu();

	cpu->curr = cpu->idle;
	cpu->idle->switched_in = rdtsc();
	/* Parked, but answering IPIs: the run queue is not yet safe to
	 * share, until the run queues are per CPU. */
	for (;;)
		__asm__ __volatile__("sti; hlt" ::: "memory");
}

/* The idle task: run whatever is runnable, else halt until an interrupt. */
void __noreturn cpu_idle(void)
{
	for (;;) {
		local_irq_disable();
		if (!list_empty(&run_queue)) {
			local_irq_enable();
			schedule();
		} else {
			/* sti takes effect after hlt starts: no lost wake-up */
			__asm__ __volatile__("sti; hlt" ::: "memory");
		}
	}
}
