/*
 * futex.c - futex(2) WAIT and WAKE (include/kernel/futex.h), as Linux's
 * kernel/futex/: waiters are kept on one list keyed by (mm, user address).
 * The check of the user word and the queueing happen with interrupts off,
 * so on one CPU a FUTEX_WAKE cannot slip in between.
 */
#include <kernel/errno.h>
#include <kernel/futex.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <kernel/time.h>
#include <asm/irqflags.h>

#define FUTEX_WAIT	     0
#define FUTEX_WAKE	     1
#define FUTEX_PRIVATE_FLAG   128
#define FUTEX_CLOCK_REALTIME 256

struct futex_waiter {
	struct list_head entry;
	struct mm_struct *mm;
	unsigned long uaddr;
	struct task *task;
	bool woken;
};

static LIST_HEAD(futex_waiters);

int futex_wake(struct mm_struct *mm, unsigned long uaddr, int n)
{
	struct futex_waiter *w;
	unsigned long flags;
	int woken = 0;

	local_irq_save(flags);
	list_for_each_entry(w, &futex_waiters, entry) {
		if (woken >= n)
			break;
		if (w->mm == mm && w->uaddr == uaddr && !w->woken) {
			w->woken = true;
			wake_up_process(w->task);
			woken++;
		}
	}
	local_irq_restore(flags);
	return woken;
}

static long futex_wait(u32 __user *uaddr, u32 val,
		       const struct timespec_k __user *timeout)
{
	struct futex_waiter w = { .mm = current->mm,
				  .uaddr = (unsigned long)uaddr,
				  .task = current };
	long ticks = -1;
	unsigned long flags;
	u32 cur;

	if (timeout) {
		struct timespec_k ts;

		if (copy_from_user(&ts, timeout, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		ticks = ts.tv_sec * HZ +
			(ts.tv_nsec * HZ + 999999999) / 1000000000 + 1;
	}
	local_irq_save(flags);
	if (copy_from_user(&cur, uaddr, sizeof(cur))) {
		local_irq_restore(flags);
		return -EFAULT;
	}
	if (cur != val) {
		local_irq_restore(flags);
		return -EAGAIN;
	}
	list_add_tail(&w.entry, &futex_waiters);
	current->state = TASK_INTERRUPTIBLE;
	local_irq_restore(flags);

	if (ticks >= 0)
		schedule_timeout(ticks);
	else
		schedule();

	local_irq_save(flags);
	current->state = TASK_RUNNING;
	list_del(&w.entry);
	local_irq_restore(flags);
	if (w.woken)
		return 0;
	if (current->pending_kill)
		return -EINTR;
	return ticks >= 0 ? -ETIMEDOUT : -EINTR;
}

/*
 * sys_futex - futex(2), FUTEX_WAIT and FUTEX_WAKE (FUTEX_PRIVATE_FLAG is
 * accepted, every futex being private to its mm; so is
 * FUTEX_CLOCK_REALTIME, the timeout being relative either way). WAIT
 * sleeps while *uaddr == val, at most *timeout when given (rounded up to
 * ticks): returns 0 when woken, or -EAGAIN (the value differs),
 * -ETIMEDOUT, -EINTR (killed), -EFAULT, -EINVAL (bad timeout). WAKE wakes
 * up to val waiters and returns how many. Both: -EINVAL for an unaligned
 * uaddr, -ENOSYS for other operations. Linux's futex(2).
 */
long sys_futex(u32 __user *uaddr, int op, u32 val,
	       const struct timespec_k __user *timeout)
{
	if ((unsigned long)uaddr & 3)
		return -EINVAL;
	switch (op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME)) {
	case FUTEX_WAIT:
		return futex_wait(uaddr, val, timeout);
	case FUTEX_WAKE:
		return futex_wake(current->mm, (unsigned long)uaddr, (int)val);
	default:
		return -ENOSYS;
	}
}
