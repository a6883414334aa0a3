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
#include <kernel/signal.h>
#include <kernel/spinlock.h>
#include <kernel/syscalls.h>
#include <kernel/time.h>

#define FUTEX_WAIT	      0
#define FUTEX_WAKE	      1
#define FUTEX_LOCK_PI	      6
#define FUTEX_WAIT_BITSET     9
#define FUTEX_WAIT_REQUEUE_PI 11
#define FUTEX_LOCK_PI2	      13
#define FUTEX_PRIVATE_FLAG    128
#define FUTEX_CLOCK_REALTIME  256
#define FUTEX_CMD_MASK	      (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

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
		if (w->mm == mm && w->uaddr == uaddr && !w->woken) {
			w->woken = true;
			wake_up_process(w->task);
			/* Counted after the wake, as Linux's futex_wake():
			 * n <= 0 still wakes one. */
			if (++woken >= n)
				break;
		}
	}
	spin_unlock_irqrestore(&futex_lock, flags);
	return woken;
}

/*
 * Linux's get_futex_key(), the checks of the address, in Linux's order:
 * -EINVAL unless uaddr is 4-byte aligned, -EFAULT unless the word lies in
 * user space (access_ok()), and for a shared futex (no
 * FUTEX_PRIVATE_FLAG) -EFAULT unless the word is there to read: Linux
 * pins its page (get_user_pages_fast(), read-only will do), for which
 * reading it stands in here. A private futex needs nothing mapped: it is
 * (mm, address), so FUTEX_WAKE on an unmapped private word finds no
 * waiter and returns 0, as on Linux. Every futex is keyed by (mm,
 * address) here, shared or not.
 */
static int get_futex_key(u32 __user *uaddr, bool shared)
{
	u32 v;

	if ((unsigned long)uaddr & (sizeof(u32) - 1))
		return -EINVAL;
	if (!access_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	if (shared && copy_from_user(&v, uaddr, sizeof(v)))
		return -EFAULT;
	return 0;
}

/* FUTEX_WAIT: ticks < 0 for no timeout. */
static long futex_wait(u32 __user *uaddr, bool shared, u32 val, long ticks)
{
	struct futex_waiter w = { .mm = current->mm,
				  .uaddr = (unsigned long)uaddr,
				  .task = current };
	unsigned long flags;
	bool woken;
	long err;
	u32 cur;

	err = get_futex_key(uaddr, shared);
	if (err)
		return err;
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

	/* A signal that came before the state was set found us running
	 * and woke nobody: look before sleeping. */
	if (signal_pending(current))
		current->state = TASK_RUNNING;
	else if (ticks >= 0)
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
	/* A signal: without a timeout, -ERESTARTSYS (restarted under
	 * SA_RESTART, as Linux's futex_wait()); with one, -EINTR, where
	 * Linux restarts through restart_syscall only when no handler ran. */
	if (signal_pending(current))
		return ticks >= 0 ? -EINTR : -ERESTARTSYS;
	return ticks >= 0 ? -ETIMEDOUT : -EINTR;
}

/*
 * Linux's futex_cmd_has_timeout(): the operations whose fourth argument
 * is a timeout, which sys_futex() reads, and may refuse, before anything
 * else, whether the operation is implemented here or not.
 */
static bool futex_cmd_has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_LOCK_PI ||
	       cmd == FUTEX_LOCK_PI2 || cmd == FUTEX_WAIT_BITSET ||
	       cmd == FUTEX_WAIT_REQUEUE_PI;
}

/*
 * sys_futex - futex(2), FUTEX_WAIT and FUTEX_WAKE, each with or without
 * FUTEX_PRIVATE_FLAG. WAIT sleeps while *uaddr == val, at most *timeout
 * when given (relative; rounded up to ticks; one too long for jiffies is
 * none, as Linux saturates at KTIME_MAX): returns 0 when woken, or
 * -EAGAIN (the value differs), -ETIMEDOUT, -EINTR (killed). WAKE wakes up
 * to val waiters (at least one, as Linux: val is an int and 0 or less
 * counts as 1) and returns how many. Errors in Linux's order: the timeout
 * first (-EFAULT, -EINVAL: negative or tv_nsec >= 10^9), for every
 * operation that takes one; then -ENOSYS for FUTEX_CLOCK_REALTIME with
 * anything but FUTEX_WAIT_BITSET, FUTEX_WAIT_REQUEUE_PI or FUTEX_LOCK_PI2
 * (FUTEX_WAIT's timeout is relative: it takes no clock), and for every
 * operation but WAIT and WAKE; then the address (get_futex_key():
 * -EINVAL unaligned, -EFAULT). Linux's sys_futex() and do_futex().
 */
long sys_futex(u32 __user *uaddr, int op, u32 val,
	       const struct timespec_k __user *timeout)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool shared = !(op & FUTEX_PRIVATE_FLAG);
	long ticks = -1;

	if (timeout && futex_cmd_has_timeout(cmd)) {
		struct timespec_k ts;

		if (copy_from_user(&ts, timeout, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		/* Saturate, as Linux does (KTIME_MAX): a timeout too long
		 * for jiffies is no timeout. Otherwise round up, plus the
		 * tick under way, so that it never ends early. */
		if (ts.tv_sec < (__LONG_MAX__ - HZ - 1) / HZ)
			ticks = ts.tv_sec * HZ +
				(ts.tv_nsec * HZ + 999999999) / 1000000000 + 1;
	}
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET &&
	    cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(uaddr, shared, val, ticks);
	case FUTEX_WAKE: {
		long err = get_futex_key(uaddr, shared);

		if (err)
			return err;
		return futex_wake(current->mm, (unsigned long)uaddr, (int)val);
	}
	default:
		return -ENOSYS;
	}
}
