/*
 * select.c - poll(2) and ppoll(2), as Linux's fs/select.c (docs/vfs.md,
 * "poll and ioctl").
 *
 * One pass asks every file's ->poll for its readiness (vfs_poll()); on
 * the first pass each ->poll also queues the poller on the file's wait
 * queues through poll_wait() -> __pollwait(), which holds a reference
 * to the file for as long as the entry is queued. When nothing is ready,
 * the poller sleeps until one of those queues is woken, the timeout
 * passes or a signal comes, then makes another pass (without queueing
 * again). The entries go when the call ends (poll_freewait()).
 *
 * No lost wake-up: a wake_up() of a queued entry runs pollwake(), which
 * sets the table's `triggered` before it wakes the task; the poller sets
 * its state to TASK_INTERRUPTIBLE, then (after a full barrier) sleeps
 * only if `triggered` is still clear (Linux's poll_schedule_timeout()).
 * A change a ->poll could not see yet has either set `triggered` or
 * will wake the sleeping task. ->poll methods run in TASK_RUNNING and
 * never sleep; everything here is per call, so no lock of its own is
 * needed: the wait queues' spinlocks order the rest.
 *
 * Timeouts are kept as a deadline in ns on the monotonic clock
 * (ktime_get_ns()) and slept in whole ticks, like nanosleep
 * (kernel/sys.c): never shorter than asked, about a tick longer.
 */
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/fdtable.h>
#include <kernel/fs.h>
#include <kernel/poll.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/syscalls.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include <mm/kmalloc.h>
#include <linux/resource.h>

/* ---- the poll table: one entry per (file, wait queue) ---- */

struct poll_wqueues;

struct poll_table_entry {
	struct file *filp; /* a reference while queued */
	struct wait_queue_entry wait;
	struct wait_queue_head *wait_address;
	struct poll_wqueues *pwq;
};

/* Entries past the inline ones: a chain of blocks of this many. */
#define POLL_TABLE_BLOCK 64
struct poll_table_page {
	struct poll_table_page *next;
	unsigned int used;
	struct poll_table_entry entries[POLL_TABLE_BLOCK];
};

#define N_INLINE_POLL_ENTRIES 8 /* on the stack: most polls need fewer */

struct poll_wqueues {
	poll_table pt;
	struct poll_table_page *table;
	struct task *polling_task;
	int triggered; /* a queue was woken since the last sleep */
	int error;     /* -ENOMEM: an entry could not be made */
	unsigned int inline_index;
	struct poll_table_entry inline_entries[N_INLINE_POLL_ENTRIES];
};

/*
 * A queued file changed: note it for the poller, then wake it. Runs
 * under the wait queue's spinlock, maybe in an interrupt. The store of
 * `triggered` is ordered before wake_up_process() reads the task's
 * state (seq_cst: a full barrier on x86). Linux's pollwake().
 */
static void pollwake(struct wait_queue_entry *w)
{
	struct poll_table_entry *entry =
		container_of(w, struct poll_table_entry, wait);

	__atomic_store_n(&entry->pwq->triggered, 1, __ATOMIC_SEQ_CST);
	wake_up_process(entry->pwq->polling_task);
}

static struct poll_table_entry *poll_get_entry(struct poll_wqueues *p)
{
	struct poll_table_page *table = p->table;

	if (p->inline_index < N_INLINE_POLL_ENTRIES)
		return &p->inline_entries[p->inline_index++];
	if (!table || table->used == POLL_TABLE_BLOCK) {
		struct poll_table_page *new = kmalloc(sizeof(*new));

		if (!new) {
			p->error = -ENOMEM;
			return NULL;
		}
		new->used = 0;
		new->next = table;
		p->table = new;
		table = new;
	}
	return &table->entries[table->used++];
}

/* poll_wait()'s work on a first pass: queue the poller on wq for filp.
 * Linux's __pollwait(). */
static void __pollwait(struct file *filp, struct wait_queue_head *wq,
		       poll_table *pt)
{
	struct poll_wqueues *p = container_of(pt, struct poll_wqueues, pt);
	struct poll_table_entry *entry = poll_get_entry(p);

	if (!entry)
		return;
	entry->filp = get_file(filp);
	entry->wait_address = wq;
	entry->pwq = p;
	entry->wait.task = p->polling_task;
	entry->wait.func = pollwake;
	INIT_LIST_HEAD(&entry->wait.entry);
	add_wait_queue(wq, &entry->wait);
}

static void poll_initwait(struct poll_wqueues *p)
{
	p->pt._qproc = __pollwait;
	p->table = NULL;
	p->polling_task = current;
	p->triggered = 0;
	p->error = 0;
	p->inline_index = 0;
}

static void free_poll_entry(struct poll_table_entry *entry)
{
	remove_wait_queue(entry->wait_address, &entry->wait);
	fput(entry->filp);
}

/* Take every entry off its queue and drop its file. Linux's
 * poll_freewait(). */
static void poll_freewait(struct poll_wqueues *p)
{
	struct poll_table_page *table = p->table;

	for (unsigned int i = 0; i < p->inline_index; i++)
		free_poll_entry(&p->inline_entries[i]);
	while (table) {
		struct poll_table_page *next = table->next;

		for (unsigned int i = 0; i < table->used; i++)
			free_poll_entry(&table->entries[i]);
		kfree(table);
		table = next;
	}
}

/*
 * Sleep until a queue is woken, a signal comes or the deadline end (ns,
 * U64_MAX: none) passes. Returns false when the deadline has passed.
 * Linux's poll_schedule_timeout().
 */
static bool poll_schedule_timeout(struct poll_wqueues *pwq, u64 end)
{
	bool in_time = true;

	current->state = TASK_INTERRUPTIBLE;
	/* Our state before their `triggered`: pollwake() stores them the
	 * other way round, so one of us sees the other's. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&pwq->triggered, __ATOMIC_SEQ_CST)) {
		if (end == U64_MAX) {
			schedule();
		} else {
			u64 now = ktime_get_ns();

			if (now < end)
				schedule_timeout(
					(long)nsecs_to_jiffies(end - now) + 1);
		}
	}
	current->state = TASK_RUNNING;
	__atomic_store_n(&pwq->triggered, 0, __ATOMIC_SEQ_CST);
	if (end != U64_MAX && ktime_get_ns() >= end)
		in_time = false;
	return in_time;
}

__poll_t vfs_poll(struct file *file, poll_table *pt)
{
	if (!file->f_op->poll)
		return DEFAULT_POLLMASK;
	return file->f_op->poll(file, pt);
}

/* ---- poll(2) ---- */

/* The user's array, copied in chunks: one on the stack, then kmalloc'ed
 * blocks (Linux's struct poll_list). */
struct poll_list {
	struct poll_list *next;
	unsigned int len;
	struct pollfd entries[];
};

#define POLL_STACK_ENTRIES 32
#define POLLFD_PER_BLOCK   510 /* a block just under 4 KiB */

/*
 * One pollfd: its revents from the file's readiness, limited to what it
 * asked for plus POLLERR and POLLHUP; POLLNVAL for an fd that is not
 * open, 0 for a negative fd. Returns revents. Linux's do_pollfd().
 */
static __poll_t do_pollfd(struct pollfd *pfd, poll_table *pt)
{
	__poll_t mask = 0;

	if (pfd->fd >= 0) {
		struct file *f = fget((unsigned int)pfd->fd);

		mask = POLLNVAL;
		if (f) {
			__poll_t filter = (unsigned short)pfd->events |
					  POLLERR | POLLHUP;

			mask = vfs_poll(f, pt) & filter;
			fput(f);
		}
	}
	pfd->revents = (short)mask;
	return mask;
}

/*
 * The passes: until some fd is ready, the deadline end (ns; 0: do not
 * wait; U64_MAX: none) passes or a signal is pending. Returns the
 * number of fds with revents, 0 on time-out, -ERESTARTNOHAND for a
 * signal, -ENOMEM when the poller could not be queued. Linux's
 * do_poll().
 */
static int do_poll(struct poll_list *list, struct poll_wqueues *wait, u64 end)
{
	poll_table *pt = &wait->pt;
	bool timed_out = false;
	int count = 0;

	if (end == 0) { /* only look */
		pt->_qproc = NULL;
		timed_out = true;
	}
	for (;;) {
		for (struct poll_list *walk = list; walk; walk = walk->next)
			for (unsigned int i = 0; i < walk->len; i++)
				if (do_pollfd(&walk->entries[i], pt)) {
					count++;
					pt->_qproc = NULL;
				}
		/* Queued once: the later passes only look. */
		pt->_qproc = NULL;
		if (!count) {
			count = wait->error;
			if (signal_pending(current))
				count = -ERESTARTNOHAND;
		}
		if (count || timed_out)
			break;
		if (!poll_schedule_timeout(wait, end))
			timed_out = true;
	}
	return count;
}

/*
 * do_sys_poll - poll the nfds pollfds at ufds until the deadline end
 * (ns on the monotonic clock; 0: at once; U64_MAX: no deadline), and
 * store each one's revents. Returns the number of ready fds, 0 on
 * time-out, or -EINVAL (nfds above RLIMIT_NOFILE), -EFAULT (ufds),
 * -ENOMEM, -ERESTARTNOHAND (a signal). Linux's do_sys_poll().
 */
static int do_sys_poll(struct pollfd __user *ufds, unsigned int nfds, u64 end)
{
	/* Room for a poll_list of POLL_STACK_ENTRIES (Linux's stack_pps). */
	u64 stack_pps[(sizeof(struct poll_list) +
		       POLL_STACK_ENTRIES * sizeof(struct pollfd)) /
		      sizeof(u64)];
	struct poll_list *const head = (struct poll_list *)stack_pps;
	struct poll_list *walk = head;
	struct poll_wqueues table;
	unsigned int todo = nfds, done = 0;
	int err = -EFAULT, fdcount;

	if (nfds > current->rlim[RLIMIT_NOFILE].rlim_cur)
		return -EINVAL;
	walk->len = MIN(nfds, (unsigned int)POLL_STACK_ENTRIES);
	for (;;) {
		walk->next = NULL;
		if (!walk->len)
			break;
		if (copy_from_user(walk->entries, ufds + done,
				   sizeof(struct pollfd) * walk->len))
			goto out_fds;
		done += walk->len;
		todo -= walk->len;
		if (!todo)
			break;
		walk->next = kmalloc(sizeof(struct poll_list) +
				     sizeof(struct pollfd) *
					     MIN(todo, POLLFD_PER_BLOCK));
		if (!walk->next) {
			err = -ENOMEM;
			goto out_fds;
		}
		walk = walk->next;
		walk->len = MIN(todo, (unsigned int)POLLFD_PER_BLOCK);
	}

	poll_initwait(&table);
	fdcount = do_poll(head, &table, end);
	poll_freewait(&table);

	for (walk = head; walk; walk = walk->next)
		for (unsigned int i = 0; i < walk->len; i++, ufds++)
			if (copy_to_user(&ufds->revents,
					 &walk->entries[i].revents,
					 sizeof(short)))
				goto out_fds;
	err = fdcount;
out_fds:
	walk = head->next;
	while (walk) {
		struct poll_list *next = walk->next;

		kfree(walk);
		walk = next;
	}
	return err;
}

static long poll_deadline(struct pollfd __user *ufds, unsigned int nfds,
			  u64 end);

static long do_restart_poll(struct restart_block *rb)
{
	return poll_deadline(rb->ufds, rb->nfds,
			     rb->has_timeout ? rb->end : U64_MAX);
}

/*
 * poll(2) with its deadline worked out (ns on the monotonic clock, 0: do
 * not wait, U64_MAX: none), for sys_poll() and its restart. A signal without a handler restarts it through
 * restart_syscall(2) with the same deadline; after a handler it is
 * -EINTR. Linux's sys_poll() and do_restart_poll().
 */
static long poll_deadline(struct pollfd __user *ufds, unsigned int nfds,
			  u64 end)
{
	long ret = do_sys_poll(ufds, nfds, end);

	if (ret == -ERESTARTNOHAND) {
		struct restart_block *rb = &current->restart_block;

		rb->fn = do_restart_poll;
		rb->ufds = ufds;
		rb->nfds = nfds;
		rb->has_timeout = end != U64_MAX;
		rb->end = end;
		ret = -ERESTART_RESTARTBLOCK;
	}
	return ret;
}

/*
 * sys_poll - poll(2): wait until one of the nfds files of ufds is ready
 * for what its events ask, for at most timeout_msecs ms (negative: no
 * limit; 0: do not wait). Returns the number of pollfds with a nonzero
 * revents (POLLNVAL for an fd not open; a negative fd is skipped), 0 on
 * time-out, or -EINVAL (nfds above RLIMIT_NOFILE), -EFAULT, -ENOMEM,
 * -EINTR after a signal handler ran. Linux's poll(2).
 */
long sys_poll(struct pollfd __user *ufds, unsigned int nfds, int timeout_msecs)
{
	u64 end = U64_MAX;

	if (timeout_msecs == 0)
		end = 0;
	else if (timeout_msecs > 0)
		end = ktime_get_ns() + (u64)timeout_msecs * 1000000ULL;
	return poll_deadline(ufds, nfds, end);
}

/* ---- select(2) ---- */

/* What counts as ready in each of select's sets (Linux's). */
#define POLLIN_SET  (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET  POLLPRI

#define BITS_PER_LONG 64
/* Bytes of an fd_set of n bits, as whole longs (Linux's FDS_BYTES()). */
#define FDS_BYTES(n)  (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG * 8)

/* The three sets the caller gave and the three select hands back; a
 * set the caller passed as NULL is all zeros. Linux's fd_set_bits. */
struct fd_set_bits {
	unsigned long *in, *out, *ex, *res_in, *res_out, *res_ex;
};

static bool fd_bit(const unsigned long *set, unsigned int fd)
{
	return set[fd / BITS_PER_LONG] & (1UL << (fd % BITS_PER_LONG));
}

static void set_fd_bit(unsigned long *set, unsigned int fd)
{
	set[fd / BITS_PER_LONG] |= 1UL << (fd % BITS_PER_LONG);
}

/*
 * The passes of select over fds 0..n-1: as do_poll(), with each ready
 * fd's bit set in the result sets. Returns the number of bits set, 0 on
 * time-out or a signal (the caller tells them apart), -EBADF for a set
 * fd that is not open, -ENOMEM. Linux's do_select() with its
 * max_select_fd() check.
 */
static int do_select(unsigned int n, struct fd_set_bits *fds, u64 end)
{
	struct poll_wqueues table;
	poll_table *pt = &table.pt;
	bool timed_out = false;
	int retval = 0;

	for (unsigned int i = 0; i < n; i++)
		if ((fd_bit(fds->in, i) || fd_bit(fds->out, i) ||
		     fd_bit(fds->ex, i)) &&
		    !fd_is_open(i))
			return -EBADF;
	poll_initwait(&table);
	if (end == 0) {
		pt->_qproc = NULL;
		timed_out = true;
	}
	for (;;) {
		for (unsigned int i = 0; i < n; i++) {
			bool in = fd_bit(fds->in, i), out = fd_bit(fds->out, i),
			     ex = fd_bit(fds->ex, i);
			struct file *f;
			__poll_t mask;

			if (!in && !out && !ex)
				continue;
			f = fget(i);
			if (!f)
				continue; /* closed since the check */
			mask = vfs_poll(f, pt);
			fput(f);
			if (in && (mask & POLLIN_SET)) {
				set_fd_bit(fds->res_in, i);
				retval++;
				pt->_qproc = NULL;
			}
			if (out && (mask & POLLOUT_SET)) {
				set_fd_bit(fds->res_out, i);
				retval++;
				pt->_qproc = NULL;
			}
			if (ex && (mask & POLLEX_SET)) {
				set_fd_bit(fds->res_ex, i);
				retval++;
				pt->_qproc = NULL;
			}
		}
		pt->_qproc = NULL;
		if (retval || timed_out || signal_pending(current))
			break;
		if (table.error) {
			retval = table.error;
			break;
		}
		if (!poll_schedule_timeout(&table, end))
			timed_out = true;
	}
	poll_freewait(&table);
	return retval;
}

/*
 * core_sys_select - select over fds 0..n-1 of the user's sets inp, outp
 * and exp (each NULL or FDS_BYTES(n) bytes; n is cut to the fd table's
 * size), until the deadline end (as do_sys_poll()), and write back the
 * ready fds in place. Returns the number of bits set, 0 on time-out, or
 * -EINVAL (n negative), -EFAULT, -EBADF, -ENOMEM, -ERESTARTNOHAND (a
 * signal). Linux's core_sys_select().
 */
static int core_sys_select(int n, unsigned long __user *inp,
			   unsigned long __user *outp,
			   unsigned long __user *exp, u64 end)
{
	unsigned long __user *uset[3] = { inp, outp, exp };
	struct fd_set_bits fds;
	unsigned long *bits;
	unsigned int max_fds;
	size_t size;
	int ret;

	if (n < 0)
		return -EINVAL;
	spin_lock(&current->files->file_lock);
	max_fds = current->files->max_fds;
	spin_unlock(&current->files->file_lock);
	if ((unsigned int)n > max_fds)
		n = (int)max_fds;
	size = FDS_BYTES((size_t)n);
	bits = kzalloc(6 * size + 8);
	if (!bits)
		return -ENOMEM;
	fds.in = bits;
	fds.out = bits + size / 8;
	fds.ex = bits + 2 * size / 8;
	fds.res_in = bits + 3 * size / 8;
	fds.res_out = bits + 4 * size / 8;
	fds.res_ex = bits + 5 * size / 8;
	ret = -EFAULT;
	for (int i = 0; i < 3; i++)
		if (uset[i] &&
		    copy_from_user(bits + i * size / 8, uset[i], size))
			goto out;
	ret = do_select((unsigned int)n, &fds, end);
	if (ret < 0)
		goto out;
	if (!ret && signal_pending(current)) {
		ret = -ERESTARTNOHAND;
		goto out;
	}
	for (int i = 0; i < 3; i++)
		if (uset[i] &&
		    copy_to_user(uset[i], bits + (3 + i) * size / 8, size)) {
			ret = -EFAULT;
			goto out;
		}
out:
	kfree(bits);
	return ret;
}

/*
 * Set the signal mask for a call that waits (ppoll, pselect6): *umask
 * (sigsetsize bytes, which must be 8) replaces the mask, the old one
 * kept as saved_sigmask. 0 with no umask too; -EINVAL, -EFAULT. Linux's
 * set_user_sigmask().
 */
static int set_user_sigmask(const sigset_t __user *umask, size_t sigsetsize)
{
	sigset_t kmask;

	if (!umask)
		return 0;
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&kmask, umask, sizeof(kmask)))
		return -EFAULT;
	current->saved_sigmask = current->blocked;
	current->restore_sigmask = true;
	set_current_blocked(&kmask);
	return 0;
}

/*
 * The end of ppoll, select and pselect6: restore the saved mask unless a
 * handler is about to run (-ERESTARTNOHAND), and write the time left to
 * the deadline end back to the user's timespec (usec: a timeval) at
 * utime, unless it had none or it was zero. A timeout that cannot be
 * written back cannot be restarted from: -ERESTARTNOHAND becomes
 * -EINTR. Linux's poll_select_finish().
 */
static long poll_select_finish(u64 end, void __user *utime, bool usec, long ret)
{
	u64 now, left;

	if (ret != -ERESTARTNOHAND)
		restore_saved_sigmask();
	if (!utime || end == 0 || end == U64_MAX)
		return ret;
	now = ktime_get_ns();
	left = now < end ? end - now : 0;
	{
		struct timespec_k r = { (s64)(left / NSEC_PER_SEC),
					(s64)(left % NSEC_PER_SEC) };

		if (usec)
			r.tv_nsec /= 1000;
		if (copy_to_user(utime, &r, sizeof(r)) &&
		    ret == -ERESTARTNOHAND)
			ret = -EINTR;
	}
	return ret;
}

/* A timeout of sec s + nsec ns from now as a deadline in *end (0: do not
 * wait); -EINVAL for a negative sec or nsec outside 0..999999999.
 * Linux's poll_select_set_timeout(). */
static int poll_select_set_timeout(u64 *end, s64 sec, s64 nsec)
{
	if (sec < 0 || nsec < 0 || nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	*end = (sec || nsec) ?
		       ktime_add_timespec_sat(ktime_get_ns(), sec, nsec) :
		       0;
	return 0;
}

/* The deadline of a user struct timespec timeout in *end (tsp NULL: no
 * limit, *end untouched); 0, -EFAULT or -EINVAL as above. The part of
 * Linux's ppoll() and pselect6() before the wait. */
static int poll_select_user_timeout(u64 *end,
				    const struct timespec_k __user *tsp)
{
	struct timespec_k ts;

	if (!tsp)
		return 0;
	if (copy_from_user(&ts, tsp, sizeof(ts)))
		return -EFAULT;
	return poll_select_set_timeout(end, ts.tv_sec, ts.tv_nsec);
}

/*
 * sys_select - select(2): wait until one of the fds 0..n-1 set in inp
 * is readable (POLLIN, POLLHUP or POLLERR), one in outp writable
 * (POLLOUT or POLLERR) or one in exp has an exception (POLLPRI), for at
 * most *tvp (a struct timeval: NULL, no limit; zero, do not wait).
 * Rewrites the sets to the ready fds and *tvp to the time left. Returns
 * the number of bits set, 0 on time-out, or -EINVAL (n negative, a bad
 * timeval), -EBADF (a set fd not open), -EFAULT, -ENOMEM, -EINTR after
 * a handler (without one, it restarts with the time left). Linux's
 * select(2) (kern_select()).
 */
long sys_select(int n, unsigned long __user *inp, unsigned long __user *outp,
		unsigned long __user *exp, struct timespec_k __user *tvp)
{
	u64 end = U64_MAX;

	if (tvp) {
		struct timespec_k tv; /* tv_sec, tv_usec: a timeval */

		if (copy_from_user(&tv, tvp, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_nsec < 0)
			return -EINVAL;
		if (poll_select_set_timeout(&end,
					    tv.tv_sec + tv.tv_nsec / 1000000,
					    tv.tv_nsec % 1000000 * 1000))
			return -EINVAL;
	}
	return poll_select_finish(end, tvp, true,
				  core_sys_select(n, inp, outp, exp, end));
}

/*
 * sys_pselect6 - pselect6(2): select with a struct timespec and, in
 * *sig, the address and size of a signal mask for the wait, which is
 * handled as ppoll's. Returns as select, or -EFAULT (sig), -EINVAL (a
 * bad timespec, a sigsetsize not 8). Linux's pselect6 (do_pselect()).
 */
long sys_pselect6(int n, unsigned long __user *inp, unsigned long __user *outp,
		  unsigned long __user *exp, struct timespec_k __user *tsp,
		  void __user *sig)
{
	struct {
		const sigset_t __user *p;
		size_t size;
	} x = { NULL, 0 };
	u64 end = U64_MAX;
	int ret;

	if (sig && copy_from_user(&x, sig, sizeof(x)))
		return -EFAULT;
	ret = poll_select_user_timeout(&end, tsp);
	if (ret)
		return ret;
	ret = set_user_sigmask(x.p, x.size);
	if (ret)
		return ret;
	return poll_select_finish(end, tsp, false,
				  core_sys_select(n, inp, outp, exp, end));
}

/*
 * sys_ppoll - ppoll(2): poll with a struct timespec timeout (NULL: no
 * limit; {0, 0}: do not wait) and, when sigmask is not NULL, that
 * signal mask in force while it waits. A signal ends it with
 * -ERESTARTNOHAND: its handler runs with ppoll's mask (the old one comes
 * back at the handler's sigreturn, sigmask_to_save()) and the call
 * returns -EINTR; without a handler it restarts. Otherwise the old mask
 * is back on return. The time left is stored back at tsp (unless the
 * timeout was zero), as Linux does. Returns as poll, or -EFAULT (tsp,
 * sigmask), -EINVAL (tv_sec negative or tv_nsec outside 0..999999999;
 * sigsetsize not 8). Linux's ppoll() and poll_select_finish().
 */
long sys_ppoll(struct pollfd __user *ufds, unsigned int nfds,
	       struct timespec_k __user *tsp, const sigset_t __user *sigmask,
	       size_t sigsetsize)
{
	u64 end = U64_MAX;
	long ret;

	ret = poll_select_user_timeout(&end, tsp);
	if (ret)
		return ret;
	ret = set_user_sigmask(sigmask, sigsetsize);
	if (ret)
		return ret;
	return poll_select_finish(end, tsp, false,
				  do_sys_poll(ufds, nfds, end));
}
