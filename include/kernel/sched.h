/*
 * sched.h - tasks and the scheduler (kernel/sched.c), kernel threads
 * (kernel/kthread.c) and processes (kernel/fork.c, kernel/exit.c).
 * A task is Linux's task_struct, cut down: a kernel stack, a saved
 * context, ids, a state, and for user tasks an mm and a user register
 * frame at the top of the kernel stack.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <kernel/types.h>
#include <kernel/cpumask.h>
#include <kernel/list.h>
#include <kernel/percpu.h>
#include <kernel/signal_types.h>
#include <kernel/spinlock.h>
#include <kernel/task_work.h>
#include <asm/ptrace.h>
#include <linux/resource.h>

struct mm_struct;
struct work_struct;
struct files_struct;
struct fs_struct;

struct signal_struct;
struct sighand_struct;

/* The counts getrusage(2) reports of a thread, of exited threads or of
 * waited-for children (kernel/rusage.c). Ours: Linux keeps the same
 * counters loose in task_struct and signal_struct. */
struct task_rusage {
	unsigned long min_flt; /* minor faults */
	unsigned long nvcsw;   /* voluntary context switches: it slept */
	unsigned long nivcsw;  /* involuntary ones: preempted or yielded */
	/* In the sums only (group_ru, cru): the run time of the threads
	 * they count, TSC ticks (a live thread's is its runtime_ticks). */
	u64 run_ticks;
	/* The peak rss of the address spaces they used, pages: summed as
	 * a maximum (Linux's signal->maxrss, cmaxrss). */
	unsigned long maxrss;
};

#define TASK_COMM_LEN 16
#define KSTACK_PAGES  4 /* 16 KiB kernel stack per task */
#define KSTACK_SIZE   (KSTACK_PAGES * 4096UL)

enum task_state {
	TASK_RUNNING,	    /* on the run queue, or running */
	TASK_INTERRUPTIBLE, /* sleeping until woken */
	TASK_ZOMBIE,	    /* exited, waiting for wait4() */
	TASK_DEAD,	    /* reaped; stack freed after the next switch */
	TASK_NEW,	    /* made by task_alloc(), not yet started:
			     * wake_up_process() leaves it alone, only
			     * task_start() runs it (Linux's TASK_NEW) */
};

#define PF_KTHREAD (1u << 0) /* a kernel thread: no user mode */
#define PF_IDLE	   (1u << 1) /* the idle task */
#define PF_DETACHED \
	(1u << 2) /* a kernel thread nobody joins: freed
		   * as soon as it exits */
#define PF_KTHREAD_CREATED \
	(1u << 4) /* made by kthread_create(), started by
		   * wake_up_process() */
#define PF_NO_SETAFFINITY \
	(1u << 3) /* bound by kthread_bind(): user space
		   * may not change its CPUs (Linux's) */

struct task {
	unsigned long ksp;	  /* saved RSP while switched out */
	void *stack;		  /* lowest address of the kernel stack */
	int pid;		  /* unique id (Linux: the thread id) */
	int tgid;		  /* thread-group id: getpid() */
	char comm[TASK_COMM_LEN]; /* name, as in ps */
	volatile enum task_state state;
	unsigned int flags; /* PF_* */
	int exit_code;	    /* wait4 status word (Linux encoding) */
	int exit_signal;    /* signal to report to the parent */
	struct task *parent;
	struct list_head children; /* processes we created */
	struct list_head sibling;  /* in parent->children */
	struct list_head tasks;	   /* in the list of all tasks */
	struct list_head run_list; /* on a run queue, waiting for a CPU */
	/*
	 * Where the task runs. cpu is the CPU it runs on, is queued on, or
	 * last ran on; it changes only under that CPU's run-queue lock (and
	 * for a sleeping task, its pi_lock too). on_rq: runnable and counted
	 * on cpu's run queue, queued or running (Linux's p->on_rq). on_cpu:
	 * set from the moment a CPU picks the task until the switch away
	 * from it has finished, so no other CPU runs it on the same stack
	 * (Linux's p->on_cpu). cpus_mask: the CPUs it may run on, set by
	 * set_cpus_allowed_ptr() and inherited by fork (Linux's). pi_lock
	 * serializes its wake-ups and affinity changes (Linux's p->pi_lock;
	 * we have no priority inheritance, only its lock's other job).
	 */
	int cpu;
	volatile int on_rq;
	volatile int on_cpu;
	struct cpumask cpus_mask;
	spinlock_t pi_lock;
	struct mm_struct *mm; /* NULL for kernel threads */
	/*
	 * The address space whose page table the task runs on (Linux's
	 * task->active_mm). A user task: mm, with no reference of its
	 * own (its mm->users share covers it). A kernel thread, only
	 * while it runs: the mm it borrowed from the task before it on
	 * this CPU, whose page table stayed in CR3 (lazy TLB), with a
	 * reference (mmgrab) that the switch away from it hands on or
	 * drops; NULL for the kernel's own page table. Changes only on
	 * the task's own CPU with interrupts off (kernel/sched.c
	 * context_switch_mm(), exec, exit); docs/concurrency.md, "Lazy
	 * TLB".
	 */
	struct mm_struct *active_mm;
	int time_slice;			  /* ticks left before preemption */
	u64 runtime_ticks;		  /* TSC ticks spent running */
	u64 switched_in;		  /* TSC at the last switch in */
	u64 switched_out;		  /* TSC at the last switch out: idle
			       * balancing leaves a task that ran
			       * just now where it is (task_hot) */
	struct callback_head *task_works; /* run on the way back to user
					   * mode (include/kernel/task_work.h) */
	struct callback_head poe_refill_work; /* POE: the refill batch this
					       * task pays (poe_kick()) */
	int poe_refill_cpu;		      /* whose table it refills */
	bool poe_refill_queued;		      /* poe_refill_work is queued
					       * or running */
	/*
	 * Resource usage (kernel/rusage.c, getrusage(2)). ru: this thread's
	 * minor faults, brought up to date when it switches out, and its
	 * context switches (Linux's task->min_flt, nvcsw, nivcsw);
	 * flt_mark: its CPU's count of minor faults when it switched in.
	 * Used in a process's main thread only, as Linux keeps them in
	 * signal_struct: group_ru, the counts of its threads that exited;
	 * cru, those of the children it waited for, with theirs.
	 */
	struct task_rusage ru, group_ru, cru;
	unsigned long flt_mark;
	/* kernel threads */
	int (*threadfn)(void *data);
	void *data;
	bool should_stop; /* kthread_stop() asked us to stop */
	int kthread_ret;
	struct wait_queue_head *exit_wq; /* woken when the task exits */
	/* user threads */
	u8 fpu_state[512] __attribute__((aligned(16))); /* fxsave area:
							 * x87/SSE registers, saved at every
							 * switch (the kernel itself never
							 * touches them: -mgeneral-regs-only) */
	u64 fsbase;	      /* arch_prctl(ARCH_SET_FS) */
	int *clear_child_tid; /* user address: zero + wake on exit */
	/*
	 * Resource limits (kernel/resource.c): the process's, kept in
	 * every thread alike (setrlimit changes them all under
	 * tasks_lock), copied by fork, kept by exec. Linux keeps them once
	 * per process, in signal_struct.
	 */
	struct rlimit64 rlim[RLIM_NLIMITS];
	/* set_robust_list(2)'s head and its length in bytes (user
	 * addresses, kernel/futex.c); NULL for a new task, as Linux's
	 * copy_process() leaves it. */
	void *robust_list;
	size_t robust_list_len;
	/*
	 * Set while this thread runs execve() from de_thread() on
	 * (kernel/exec.c): it is killing its process's other threads, and
	 * the kills from inside the process (their exit_group(), the
	 * fatal signal each of them spreads as it dies) spare it. A kill
	 * from outside does not. Changed under tasks_lock. Linux records
	 * the same as signal->group_exec_task == this task.
	 */
	bool group_exec;
	/*
	 * Files (fs/, include/kernel/fdtable.h, docs/vfs.md): the
	 * file-descriptor table, and the root, working directory and
	 * umask. NULL for kernel threads. Shared with CLONE_FILES and
	 * CLONE_FS, copied by fork (copy_files(), copy_fs()), dropped by
	 * do_exit() (exit_files(), exit_fs()). Only the task itself
	 * changes its own pointers.
	 */
	struct files_struct *files;
	struct fs_struct *fs;
	/*
	 * Signals (kernel/signal.c, docs/signals.md). signal: the process's
	 * shared state (shared pending set, process group and session,
	 * ITIMER_REAL, group exit), one per thread group (CLONE_THREAD);
	 * sighand: the 64 actions and siglock, shared with CLONE_SIGHAND.
	 * Both NULL for kernel threads. pending, blocked, saved_sigmask and
	 * the altstack belong to this thread. sigpending: some pending
	 * signal is not blocked (Linux's TIF_SIGPENDING), read without
	 * locks; the rest change under sighand->siglock.
	 */
	struct signal_struct *signal;
	struct sighand_struct *sighand;
	struct list_head thread_node; /* in signal->thread_head */
	struct sigpending pending;
	sigset_t blocked;
	sigset_t saved_sigmask;	 /* rt_sigsuspend's, ppoll's, pselect6's:
				  * restored after */
	bool restore_sigmask;	 /* saved_sigmask is to be restored */
	volatile int sigpending; /* recalc_sigpending() */
	unsigned long sas_ss_sp; /* sigaltstack: base, size in bytes */
	unsigned long sas_ss_size;
	unsigned int sas_ss_flags;
	struct restart_block restart_block;
};

/* The user register frame of a user task: the top of its kernel stack. */
static inline struct pt_regs *task_pt_regs(struct task *t)
{
	return (struct pt_regs *)((char *)t->stack + KSTACK_SIZE) - 1;
}

#define SCHED_SLICE_TICKS 10 /* ms of CPU before round-robin moves on */

/*
 * sched_init - make the boot thread the idle task (pid 0) of CPU 0.
 * Linux's sched_init().
 */
void sched_init(void);

/*
 * schedule - give up the CPU: pick the next task of this CPU's run queue
 * round-robin; when it is empty, pull a waiting task this CPU may run
 * from the busiest other queue; else run the idle task. The caller sets
 * its state first when it wants to sleep. Returns when this task runs
 * again, maybe on another CPU. Linux's schedule(), with FIFO run queues
 * instead of CFS and newidle_balance() reduced to one pull.
 */
void schedule(void);

/*
 * yield - stay runnable but go to the back of the run queue. Linux's
 * yield().
 */
void yield(void);

/*
 * wake_up_process - make a sleeping task (TASK_INTERRUPTIBLE) runnable.
 * A task that has not switched out yet just stays on its CPU; one that
 * has is queued on its last CPU if that one is idle and allowed, else on
 * the least loaded CPU of its cpus_mask, and that CPU is kicked
 * (need_resched here, smp_send_reschedule() elsewhere) when it runs its
 * idle task. Returns true if it was asleep. Safe from interrupt context
 * and from any CPU. Linux's wake_up_process() (try_to_wake_up() and
 * select_task_rq(), without wake-up preemption of a busy CPU).
 */
bool wake_up_process(struct task *t);

/*
 * scheduler_tick - this CPU's tick (interrupts off), on every CPU: count
 * down the running task's slice and ask for a switch when it ends; on an
 * idle CPU, ask for one when any run queue has a task waiting, so that
 * schedule() can pull it (idle balancing). Linux's scheduler_tick() with
 * the trigger of its idle load balance.
 */
void scheduler_tick(void);

/*
 * preempt_check - on the way out of an interrupt: switch now if a switch
 * was asked for and preemption is enabled (preempt_count 0). Our own name
 * for Linux's preempt_schedule_irq() path; regs is unused.
 */
void preempt_check(struct pt_regs *regs);

/*
 * msleep - sleep at least msecs milliseconds: msecs_to_jiffies(msecs)
 * plus one tick, since the current tick is partly gone, and more ticks
 * if the TSC says the time has not passed yet (a late tick makes the
 * next one early). Linux's msleep().
 */
void msleep(unsigned int msecs);

/*
 * schedule_timeout - sleep until woken or until timeout jiffies have
 * passed; MAX_SCHEDULE_TIMEOUT: no timeout at all (only a wake-up ends
 * the sleep). As in Linux, the caller sets its state first: a
 * TASK_INTERRUPTIBLE caller sleeps, a TASK_RUNNING one only lets others
 * run and comes back at once. Returns the jiffies left, 0 when the time
 * ran out (MAX_SCHEDULE_TIMEOUT when there was no timeout). Linux's
 * schedule_timeout().
 */
#define MAX_SCHEDULE_TIMEOUT __LONG_MAX__
long schedule_timeout(long timeout);

/*
 * schedule_timeout_interruptible - set current TASK_INTERRUPTIBLE, then
 * schedule_timeout(timeout). Linux's schedule_timeout_interruptible().
 */
long schedule_timeout_interruptible(long timeout);

/*
 * task_alloc - a new task named name with a kernel stack (KSTACK_PAGES,
 * guard page below) and the next pid; not yet runnable (TASK_NEW). NULL
 * when out of memory. Process context with interrupts on: the stack's
 * old translations are flushed on every CPU. Our own; Linux's
 * dup_task_struct() copies the parent instead.
 */
struct task *task_alloc(const char *name);

/*
 * fpu_init_state - a fresh x87/SSE state for t: fninit's defaults, MXCSR
 * 0x1f80 (every exception masked). Our own; Linux's fpstate_init().
 */
void fpu_init_state(struct task *t);

/*
 * task_free - unlist a task, drop its signal state and free its stack
 * and struct. It must have stopped running for good (a zombie, or a task
 * that never ran). Waits while it is still switching out on another CPU
 * (on_cpu) and while a waker still holds its pi_lock (task_start() and
 * wake_up_process() unlock after the task may already run elsewhere).
 * Linux's release_task() then free_task(), where Linux's reference count
 * and RCU do the waiting.
 */
void task_free(struct task *t);

/*
 * task_set_entry - lay out a new task's kernel stack below top (bytes) so
 * that its first switch-in runs fn(arg) with interrupts on
 * (arch/x86_64/switch.asm task_first_entry). fn must not return.
 */
void task_set_entry(struct task *t, unsigned long top, void (*fn)(void *),
		    void *arg);

/*
 * __switch_to_asm - the context switch, in arch/x86_64/switch.asm: save
 * the callee-saved registers on the current stack and the stack pointer
 * in *prev_ksp, load next_ksp and return on the next task's stack (so it
 * "returns" where that task last called it). Returns nothing to the
 * caller's task until it is switched back in. Linux's __switch_to_asm
 * (arch/x86/entry/entry_64.S); the FPU, FS-base and TSS work of Linux's
 * C __switch_to() is done inline by our __schedule() before the call.
 * A new task's first return lands in task_first_entry (Linux's
 * ret_from_fork), which calls schedule_tail() and then fn(arg) as laid
 * out by task_set_entry().
 */
void __switch_to_asm(unsigned long *prev_ksp, unsigned long next_ksp);
void task_first_entry(void);

/*
 * schedule_tail - the first C code of a new task (from task_first_entry):
 * finish the switch (free a dead predecessor) and enable interrupts.
 * Linux's schedule_tail().
 */
void schedule_tail(void);

/* The boot stack's lowest byte (boot/boot.asm, 16 KiB): the idle task's. */
extern char boot_stack_bottom[];

/*
 * cpu_idle - the idle loop of every CPU (the boot thread ends in it, the
 * others through cpu_startup_entry()): schedule() when this CPU's queue
 * has work or a switch was asked for (by the tick, a wake-up or a
 * reschedule IPI), else halt until an interrupt. Never returns. Linux's
 * do_idle().
 */
void cpu_idle(void) __attribute__((noreturn));

/*
 * fork_idle - make CPU cpu's idle task (pid 0, "swapper/N", PF_IDLE): the
 * task a secondary CPU starts on, on its kernel stack, and runs when
 * nothing else is runnable. Returns it, or NULL when out of memory.
 * Linux's fork_idle() and init_idle().
 */
struct task *fork_idle(int cpu);

/*
 * cpu_startup_entry - the last step of a secondary CPU's bring-up, on
 * its idle task's stack with its struct percpu in GS: make the idle task
 * current and run the idle loop (cpu_idle), from which the CPU runs
 * the tasks of its run queue and pulls others. Never returns. Linux's
 * cpu_startup_entry().
 */
void cpu_startup_entry(void) __attribute__((noreturn));

/*
 * task_start - make a new task runnable (TASK_RUNNING) on the least
 * loaded CPU its cpus_mask allows, kicking that CPU if it is idle.
 * Linux's wake_up_new_task().
 */
void task_start(struct task *t);

/*
 * find_task - the task with this pid, zombies included, or NULL (none, or
 * only a dead one). Linux's find_task_by_vpid().
 */
struct task *find_task(int pid);

/*
 * find_task_locked - find_task() for a caller that holds tasks_lock.
 */
struct task *find_task_locked(int pid);

/*
 * all_tasks - the list of every task (through task->tasks) but the idle
 * tasks of the CPUs other than CPU 0, zombies and exited ones included;
 * walk it with tasks_lock held. Linux walks its own with
 * for_each_process_thread().
 */
extern struct list_head all_tasks;

/*
 * nr_tasks - tasks that exist (running, sleeping, zombie or dead but not
 * yet freed), the idle task included. Our own; Linux's nr_threads.
 */
unsigned long nr_tasks(void);

/*
 * set_task_comm - copy name into t->comm, cut to TASK_COMM_LEN - 1
 * characters. Linux's set_task_comm().
 */
void set_task_comm(struct task *t, const char *name);

/*
 * kthread_run - create and start a kernel thread running fn(data), named
 * name. Returns the task, or NULL when out of memory (Linux returns an
 * ERR_PTR). When fn returns, its value is kept for kthread_stop().
 * Linux's kthread_run().
 */
struct task *kthread_run(int (*fn)(void *data), void *data, const char *name);

/*
 * kthread_create - a kernel thread that will run fn(data), named name,
 * made but not started: kthread_bind() it, then start it with
 * wake_up_process(). Returns the task, or NULL when out of memory (Linux
 * returns an ERR_PTR). Linux's kthread_create() with a plain name.
 */
struct task *kthread_create(int (*fn)(void *data), void *data,
			    const char *name);

/*
 * kthread_bind - make a kthread_create()d thread, not yet started, run
 * only on cpu (an online CPU), and forbid sched_setaffinity() on it
 * (PF_NO_SETAFFINITY). Linux's kthread_bind().
 */
void kthread_bind(struct task *t, int cpu);

/*
 * kthread_create_on_cpu - kthread_create() + kthread_bind(t, cpu); the
 * name is namefmt with cpu formatted in (e.g. "kworker/%u"). Returns the
 * task, not started, or NULL (out of memory, or cpu offline). Linux's
 * kthread_create_on_cpu().
 */
struct task *kthread_create_on_cpu(int (*fn)(void *data), void *data, int cpu,
				   const char *namefmt);

/*
 * set_cpus_allowed_ptr - let t run only on the CPUs of *mask. If t's CPU
 * is no longer allowed it moves at once: queued, to another run queue;
 * running here (t == current), before this returns; running on another
 * CPU, at that CPU's next interrupt (a reschedule IPI is sent). Process
 * context. Returns 0, or -EINVAL when *mask has no online CPU (nothing
 * changes then). Linux's set_cpus_allowed_ptr().
 */
int set_cpus_allowed_ptr(struct task *t, const struct cpumask *mask);

/*
 * sched_setaffinity - set_cpus_allowed_ptr() on the task with this pid
 * (0: current). Returns 0, or -ESRCH (no such task), -EINVAL (no online
 * CPU in *mask; a PF_NO_SETAFFINITY kernel thread). Linux's
 * sched_setaffinity() without its permission and cpuset checks.
 */
long sched_setaffinity(int pid, const struct cpumask *mask);

/*
 * sched_getaffinity - *mask = the online CPUs the task with this pid (0:
 * current) may run on. Returns 0 or -ESRCH. Linux's sched_getaffinity().
 */
long sched_getaffinity(int pid, struct cpumask *mask);

/*
 * sched_nr_running - tasks counted on cpu's run queue (queued or
 * running; the idle task never counts). A snapshot, for tests and
 * statistics. Linux's rq->nr_running.
 */
unsigned int sched_nr_running(int cpu);

/*
 * sched_nr_pulled - tasks CPU cpu has pulled from other run queues since
 * boot by idle balancing. For tests. Our own.
 */
unsigned long sched_nr_pulled(int cpu);

/*
 * tasks_lock - the lock of the list of all tasks and of every task's
 * parent, children and sibling links (fork, exit, wait4). Interrupts off
 * while held; it nests outside pi_lock and the run-queue locks. Linux's
 * tasklist_lock, which is a reader-writer lock there.
 */
extern spinlock_t tasks_lock;

/*
 * kthread_stop - set the thread's should_stop flag, wake it, wait for it to
 * exit, free it, and return fn's return value. The thread must poll
 * kthread_should_stop(). A kthread_create()d thread never started
 * exits without running fn, and -EINTR is returned, as in Linux.
 * Mirrors Linux's kthread_stop().
 */
int kthread_stop(struct task *t);

/*
 * kthread_run_detached - like kthread_run(), for a fire-and-forget thread
 * (the POE pre-fault threads): nobody calls kthread_stop(); the task and
 * its stack are freed right after fn returns. Returns the task (valid only
 * until it exits; use it for nothing but a NULL check), or NULL. Our own.
 */
struct task *kthread_run_detached(int (*fn)(void *data), void *data,
				  const char *name);

/*
 * kthread_should_stop - true once kthread_stop() was called on current.
 * Linux's kthread_should_stop().
 */
bool kthread_should_stop(void);

/*
 * do_exit - end the current task with a wait status (Linux encoding:
 * exit code << 8, or the signal number): release its mm, hand its
 * children to init, and leave a zombie for wait4() or kthread_stop(), or
 * nothing for a thread or a detached kernel thread. init's exit powers
 * the machine off. Enables interrupts first, whatever the caller had:
 * releasing the mm may wait for other CPUs. Never returns. Linux's
 * do_exit().
 */
void do_exit(int status) __attribute__((noreturn));

/* Linux's wait status encoding. */
#define W_EXITCODE(code, sig) (((code)&0xff) << 8 | ((sig)&0x7f))

/*
 * exit_to_user_mode - the last stop before returning to user mode, with
 * interrupts off: pending signals are delivered here (a handler frame
 * built, or the process ended: arch_do_signal_or_restart()); a finished
 * slice switches away. Called by do_syscall() and by do_trap() for user
 * traps. Linux's exit_to_user_mode().
 */
void exit_to_user_mode(struct pt_regs *regs);

/* schedule_tail - a new task's first C code (switch.asm task_first_entry). */
void schedule_tail(void);

#endif
