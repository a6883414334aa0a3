/*
 * futex.c - futex(2) (include/kernel/futex.h): WAIT, WAKE, their
 * _BITSET forms, REQUEUE and CMP_REQUEUE, as Linux's kernel/futex/; and
 * set_robust_list(2)/get_robust_list(2), which only keep the list's
 * address (nothing walks it when a thread dies yet). Waiters are kept on one list keyed by (mm, user address),
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

#define FUTEX_WAIT	       0
#define FUTEX_WAKE	       1
#define FUTEX_REQUEUE	       3
#define FUTEX_CMP_REQUEUE      4
#define FUTEX_LOCK_PI	       6
#define FUTEX_WAIT_BITSET      9
#define FUTEX_WAKE_BITSET      10
#define FUTEX_WAIT_REQUEUE_PI  11
#define FUTEX_LOCK_PI2	       13
#define FUTEX_PRIVATE_FLAG     128
#define FUTEX_CLOCK_REALTIME   256
#define FUTEX_CMD_MASK	       (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define FUTEX_BITSET_MATCH_ANY 0xffffffffU /* what WAIT and WAKE use */

struct futex_waiter {
	struct list_head entry;
	struct mm_struct *mm;
	unsigned long uaddr;
	struct task *task;
	u32 bitset; /* a wake whose bitset shares a bit wakes it */
	bool woken;
};

static LIST_HEAD(futex_waiters);
static DEFINE_SPINLOCK(futex_lock); /* futex_waiters, each w->woken */

/* Wake up to n (at least one) waiters on (mm, uaddr) whose bitset
 * shares a bit with bitset; how many. */
static int futex_wake_bitset(struct mm_struct *mm, unsigned long uaddr, int n,
			     u32 bitset)
{
	struct futex_waiter *w;
	unsigned long flags;
	int woken = 0;

	spin_lock_irqsave(&futex_lock, flags);
	list_for_each_entry(w, &futex_waiters, entry) {
		if (w->mm == mm && w->uaddr == uaddr && !w->woken &&
		    (w->bitset & bitset)) {
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

int futex_wake(struct mm_struct *mm, unsigned long uaddr, int n)
{
	return futex_wake_bitset(mm, uaddr, n, FUTEX_BITSET_MATCH_ANY);
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

/*
 * Read the word at uaddr into *cur and take futex_lock, as Linux's
 * futex_wait_setup(): the read may fault where it cannot sleep, so on a
 * failure the lock is dropped, the word faulted in, and all tried again.
 * Returns 0 with the lock held, or -EFAULT without it.
 */
static int futex_lock_and_read(u32 __user *uaddr, u32 *cur,
			       unsigned long *flags)
{
	for (;;) {
		spin_lock_irqsave(&futex_lock, *flags);
		if (!copy_from_user(cur, uaddr, sizeof(*cur)))
			return 0;
		/* A fault that could not sleep; fault it in and retry. */
		spin_unlock_irqrestore(&futex_lock, *flags);
		if (copy_from_user(cur, uaddr, sizeof(*cur)))
			return -EFAULT;
	}
}

/* FUTEX_WAIT and FUTEX_WAIT_BITSET: ticks < 0 for no timeout, else
 * the ticks to sleep until deadline, a ktime_get_ns() time. */
static long futex_wait(u32 __user *uaddr, bool shared, u32 val, long ticks,
		       u64 deadline, u32 bitset)
{
	struct futex_waiter w = { .mm = current->mm,
				  .uaddr = (unsigned long)uaddr,
				  .task = current,
				  .bitset = bitset };
	unsigned long flags;
	bool woken;
	long err;
	u32 cur;

	if (!bitset) /* Linux's futex_wait(), before the address */
		return -EINVAL;
	err = get_futex_key(uaddr, shared);
	if (err)
		return err;
	err = futex_lock_and_read(uaddr, &cur, &flags);
	if (err)
		return err;
	if (cur != val) {
		spin_unlock_irqrestore(&futex_lock, flags);
		return -EAGAIN;
	}
	if (ticks == 0) { /* a WAIT_BITSET time already past */
		spin_unlock_irqrestore(&futex_lock, flags);
		return -ETIMEDOUT;
	}
	list_add_tail(&w.entry, &futex_waiters);
	current->state = TASK_INTERRUPTIBLE;
	spin_unlock_irqrestore(&futex_lock, flags);

	for (;;) {
		/* A signal that came before the state was set found us
		 * running and woke nobody: look before sleeping. */
		if (signal_pending(current))
			current->state = TASK_RUNNING;
		else if (ticks >= 0)
			schedule_timeout(ticks);
		else
			schedule();

		spin_lock_irqsave(&futex_lock, flags);
		/* Never time out early, as Linux's hrtimer sleep never does:
		 * jiffies may reach the deadline's tick a little before the
		 * TSC reaches the deadline (a tick counted late on one CPU,
		 * then on time on another; the tick and the TSC calibrated
		 * apart), so sleep again for what is left, as
		 * delayed_work_timer_fn() does. */
		if (w.woken || ticks < 0 || signal_pending(current) ||
		    ktime_get_ns() >= deadline)
			break;
		current->state = TASK_INTERRUPTIBLE;
		spin_unlock_irqrestore(&futex_lock, flags);
		ticks = (long)(deadline_to_jiffies(deadline) - jiffies);
		if (ticks < 1)
			ticks = 1;
	}
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
 * FUTEX_REQUEUE and FUTEX_CMP_REQUEUE: wake up to nr_wake waiters on
 * uaddr (at least one, as a WAKE), then move up to nr_requeue of the
 * others to wait on uaddr2 instead, all under futex_lock; for
 * CMP_REQUEUE only if *uaddr still holds val3 (-EAGAIN otherwise).
 * Returns how many were woken plus how many moved. Linux's
 * futex_requeue() without PI.
 */
static long futex_requeue(u32 __user *uaddr, u32 __user *uaddr2, bool shared,
			  int nr_wake, int nr_requeue, const u32 *cmpval)
{
	struct mm_struct *mm = current->mm;
	struct futex_waiter *w;
	unsigned long flags;
	long err, woken = 0, moved = 0;
	u32 cur;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	err = get_futex_key(uaddr, shared);
	if (!err)
		err = get_futex_key(uaddr2, shared);
	if (err)
		return err;
	if (cmpval) {
		err = futex_lock_and_read(uaddr, &cur, &flags);
		if (err)
			return err;
		if (cur != *cmpval) {
			spin_unlock_irqrestore(&futex_lock, flags);
			return -EAGAIN;
		}
	} else {
		spin_lock_irqsave(&futex_lock, flags);
	}
	list_for_each_entry(w, &futex_waiters, entry) {
		if (w->mm != mm || w->uaddr != (unsigned long)uaddr || w->woken)
			continue;
		/* Linux's futex_requeue() wakes nr_wake, counting after the
		 * first as futex_wake() does only for FUTEX_WAKE: here a
		 * nr_wake of 0 wakes none, as there. */
		if (woken < nr_wake) {
			w->woken = true;
			wake_up_process(w->task);
			woken++;
		} else if (moved < nr_requeue) {
			w->uaddr = (unsigned long)uaddr2;
			moved++;
		} else {
			break;
		}
	}
	spin_unlock_irqrestore(&futex_lock, flags);
	return woken + moved;
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
 * The timeout of a futex operation as ticks for schedule_timeout():
 * FUTEX_WAIT's is a span, every other operation's a time on
 * CLOCK_MONOTONIC (or CLOCK_REALTIME with FUTEX_CLOCK_REALTIME: the
 * same clock here, the time since boot), Linux's futex_init_timeout().
 * A span is rounded up, plus the tick under way, so that it never ends
 * early; a time already past is 0 ticks; one too far for jiffies is -1,
 * none, as Linux saturates at KTIME_MAX. *deadline: the end as a
 * ktime_get_ns() time (set unless -1 is returned), which futex_wait()
 * checks once the ticks are over.
 */
static long futex_timeout_ticks(int cmd, const struct timespec_k *ts,
				u64 *deadline)
{
	u64 now = ktime_get_ns();

	if (cmd == FUTEX_WAIT) {
		if (ts->tv_sec >= (__LONG_MAX__ - HZ - 1) / HZ)
			return -1;
		*deadline =
			ktime_add_timespec_sat(now, ts->tv_sec, ts->tv_nsec);
		return ts->tv_sec * HZ +
		       (ts->tv_nsec * HZ + 999999999) / 1000000000 + 1;
	}
	*deadline = ktime_add_timespec_sat(0, ts->tv_sec, ts->tv_nsec);
	if (*deadline == U64_MAX)
		return -1;
	if (*deadline <= now)
		return 0;
	if ((*deadline - now) / TICK_NSEC >= (u64)__LONG_MAX__ / 2)
		return -1;
	return (long)(deadline_to_jiffies(*deadline) - jiffies);
}

/*
 * sys_futex - futex(2), with or without FUTEX_PRIVATE_FLAG:
 *
 *   FUTEX_WAIT, FUTEX_WAIT_BITSET: sleep while *uaddr == val, until
 *     woken by a wake whose bitset shares a bit with val3 (WAIT: all
 *     bits), at most until *timeout when given (WAIT: a span; WAIT_BITSET:
 *     a time on CLOCK_MONOTONIC, or CLOCK_REALTIME with
 *     FUTEX_CLOCK_REALTIME); rounded up to ticks. Returns 0 when woken,
 *     or -EAGAIN (the value differs), -ETIMEDOUT, -EINTR (killed).
 *   FUTEX_WAKE, FUTEX_WAKE_BITSET: wake up to val waiters (at least one,
 *     as Linux: val is an int and 0 or less counts as 1), for WAKE_BITSET
 *     only those whose bitset shares a bit with val3. Returns how many.
 *   FUTEX_REQUEUE, FUTEX_CMP_REQUEUE: wake up to val waiters, move up to
 *     val2 (the timeout argument, as an int) others to uaddr2; CMP_REQUEUE
 *     only while *uaddr == val3. Returns how many were woken or moved.
 *
 * Errors in Linux's order: the timeout first (-EFAULT, -EINVAL: negative
 * or tv_nsec >= 10^9), for every operation that takes one; then -ENOSYS
 * for FUTEX_CLOCK_REALTIME with anything but FUTEX_WAIT_BITSET,
 * FUTEX_WAIT_REQUEUE_PI or FUTEX_LOCK_PI2 (FUTEX_WAIT's timeout is a
 * span: it takes no clock), and for the operations not implemented
 * (WAKE_OP, the PI ones); -EINVAL for a bitset of 0 and for a negative
 * val or val2 of a requeue; then the address (get_futex_key(): -EINVAL
 * unaligned, -EFAULT); then -EAGAIN for a value that differs. Linux's
 * sys_futex() and do_futex().
 */
long sys_futex(u32 __user *uaddr, int op, u32 val,
	       const struct timespec_k __user *timeout, u32 __user *uaddr2,
	       u32 val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool shared = !(op & FUTEX_PRIVATE_FLAG);
	long ticks = -1;
	u64 deadline = U64_MAX;

	if (timeout && futex_cmd_has_timeout(cmd)) {
		struct timespec_k ts;

		if (copy_from_user(&ts, timeout, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		ticks = futex_timeout_ticks(cmd, &ts, &deadline);
	}
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET &&
	    cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;
	if (cmd == FUTEX_WAIT || cmd == FUTEX_WAKE)
		val3 = FUTEX_BITSET_MATCH_ANY;
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		return futex_wait(uaddr, shared, val, ticks, deadline, val3);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET: {
		long err = val3 ? get_futex_key(uaddr, shared) : -EINVAL;

		if (err)
			return err;
		return futex_wake_bitset(current->mm, (unsigned long)uaddr,
					 (int)val, val3);
	}
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, uaddr2, shared, (int)val,
				     (int)(unsigned long)timeout, NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, uaddr2, shared, (int)val,
				     (int)(unsigned long)timeout, &val3);
	default:
		return -ENOSYS;
	}
}

/* Linux's struct robust_list_head: the list, the futex offset, the
 * entry being taken. */
#define ROBUST_LIST_HEAD_SIZE (3 * sizeof(void *))

/*
 * sys_set_robust_list - set_robust_list(2): remember head, the calling
 * thread's list of robust futexes it holds (glibc and musl register one
 * for every thread). Returns 0, or -EINVAL unless len is the size of
 * struct robust_list_head (24 bytes). Linux's. Not yet done: Linux's
 * exit_robust_list(), which at the thread's death marks each futex on
 * the list FUTEX_OWNER_DIED and wakes a waiter.
 */
long sys_set_robust_list(void __user *head, size_t len)
{
	if (len != ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	current->robust_list = head;
	current->robust_list_len = len;
	return 0;
}

/*
 * sys_get_robust_list - get_robust_list(2): thread pid's (0: the
 * caller's) robust list head to *head_ptr and its size to *len_ptr.
 * Returns 0, -ESRCH (no such thread) or -EFAULT. Linux's, without the
 * ptrace permission check (every process is root's).
 */
long sys_get_robust_list(int pid, void __user *__user *head_ptr,
			 size_t __user *len_ptr)
{
	void *head = current->robust_list;
	unsigned long flags;

	if (pid) {
		struct task *t;

		spin_lock_irqsave(&tasks_lock, flags);
		t = find_task_locked(pid);
		if (t && !(t->flags & PF_KTHREAD))
			head = t->robust_list;
		spin_unlock_irqrestore(&tasks_lock, flags);
		if (!t || (t->flags & PF_KTHREAD))
			return -ESRCH;
	}
	if (put_user_u64(ROBUST_LIST_HEAD_SIZE, len_ptr))
		return -EFAULT;
	return put_user_u64((u64)(unsigned long)head, head_ptr) ? -EFAULT : 0;
}
