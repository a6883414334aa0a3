/*
 * futex.c - futex(2) WAIT and WAKE (include/kernel/futex.h), as Linux's
 * kernel/futex/: waiters are kept on one list keyed by (mm, user address),
 * under futex_lock (one lock for the one list; Linux hashes into buckets,
 * each with its own lock). FUTEX_WAIT reads the user word and queues
 * itself under futex_lock, and FUTEX_WAKE looks for waiters under it, so
 * a wake on any CPU cannot slip in between the check and the sleep.
 *
 * Reading the user word under a spinlock may fault, and a fault there
 * must not sleep: the fault handler then only tries mmap_lock
 * (arch/x86_64/fault.c), and when that fails the read returns -EFAULT.
 * As Linux's futex_wait_setup() does, we then drop the lock, read the
 * word where a fault may sleep, and try again.
 */
#include <kernel/errno.h>
#include <kernel/futex.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/syscalls.h>
#include <kernel/time.h>

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
static DEFINE_SPINLOCK(futex_lock); /* futex_waiters, each w->woken */

int futex_wake(struct mm_struct *mm, unsigned long uaddr, int n)
{
	struct futex_waiter *w;
	unsigned long flags;
	int woken = 0;

	spin_lock_irqsave(&futex_lock, flags);
	list_for_each_entry(w, &futex_waiters, entry) {
		if (woken >= n)
			break;
		if (w->mm == mm && w->uaddr == uaddr && !w->woken) {
			w->woken = true;
			wake_up_process(w->task);
			woken++;
		}
	}
	spin_unlock_irqrestore(&futex_lock, flags);
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
	bool woken;
	u32 cur;

	if (timeout) {
		struct timespec_k ts;

		if (copy_from_user(&ts, timeout, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		/* Saturate, as Linux does (KTIME_MAX): a timeout too long
		 * for jiffies is no timeout. */
		if (ts.tv_sec >= (__LONG_MAX__ - HZ - 1) / HZ)
			ticks = -1;
		else
			ticks = ts.tv_sec * HZ +
				(ts.tv_nsec * HZ + 999999999) / 1000000000 + 1;
	}
	for (;;) {
		spin_lock_irqsave(&futex_lock, flags);
		if (!copy_from_user(&cur, uaddr, sizeof(cur)))
			break;
		/* A fault that could not sleep; fault it in and retry. */
		spin_unlock_irqrestore(&futex_lock, flags);
		if (copy_from_user(&cur, uaddr, sizeof(cur)))
			return -EFAULT;
	}
	if (cur != val) {
		spin_unlock_irqrestore(&futex_lock, flags);
		return -EAGAIN;
	}
	list_add_tail(&w.entry, &futex_waiters);
	current->state = TASK_INTERRUPTIBLE;
	spin_unlock_irqrestore(&futex_lock, flags);

	if (ticks >= 0)
		schedule_timeout(ticks);
	else
		schedule();

	spin_lock_irqsave(&futex_lock, flags);
	current->state = TASK_RUNNING;
	list_del(&w.entry);
	woken = w.woken;
	spin_unlock_irqrestore(&futex_lock, flags);
	if (woken)
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
