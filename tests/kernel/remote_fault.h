/*
 * remote_fault.h - a write fault taken by a kernel thread on another CPU
 * while the test holds something the fault must wait for (a PTE lock, a
 * POE PTE lock bit): the test creates the thread, takes its lock, runs
 * the thread and checks that the fault has not finished; then lets go and
 * waits for it. Shared by test_mmap_lock.c and test_poe.c.
 *
 *   remote_fault_create(r, cpu, name)  the thread, bound to cpu, not yet
 *                        running (creating may sleep: before any lock)
 *   remote_fault_run(r, f)  wake f and wait until it has started (about
 *                        1 s at most; r->started says whether it did)
 *   remote_fault_finish(r, f)  wait until the fault returned (about 1 s
 *                        at most; r->done says whether it did), stop f
 */
#ifndef TESTS_KERNEL_REMOTE_FAULT_H
#define TESTS_KERNEL_REMOTE_FAULT_H

#include <kernel/sched.h>
#include <kernel/time.h>
#include <mm/fault.h>
#include <asm/trap_pf.h>

struct remote_fault {
	struct mm_struct *mm;
	unsigned long va; /* the user address written */
	volatile int started, done;
	int ret; /* handle_user_addr_fault()'s */
};

static int remote_fault_fn(void *arg)
{
	struct remote_fault *r = arg;

	WRITE_ONCE(r->started, 1);
	r->ret = handle_user_addr_fault(r->mm, X86_PF_USER | X86_PF_WRITE,
					r->va);
	WRITE_ONCE(r->done, 1);
	return 0;
}

static inline struct task *remote_fault_create(struct remote_fault *r, int cpu,
					       const char *name)
{
	return kthread_create_on_cpu(remote_fault_fn, r, cpu, name);
}

static inline void remote_fault_run(struct remote_fault *r, struct task *f)
{
	u64 t0 = ktime_get_ns();

	wake_up_process(f);
	while (!READ_ONCE(r->started) && ktime_get_ns() - t0 < 1000000000ULL)
		__builtin_ia32_pause();
}

static inline void remote_fault_finish(struct remote_fault *r, struct task *f)
{
	u64 t0 = ktime_get_ns();

	while (!READ_ONCE(r->done) && ktime_get_ns() - t0 < 1000000000ULL)
		msleep(1);
	kthread_stop(f);
}

#endif
