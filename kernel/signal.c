/*
 * signal.c - POSIX signals as Linux's kernel/signal.c handles them
 * (include/kernel/signal.h; docs/signals.md): sending (kill, tkill,
 * tgkill, sigqueue, the kernel's own), queueing on a thread's or its
 * process's pending set, choosing the thread that takes a process's
 * signal, dequeueing and the default actions on the way back to user
 * mode (get_signal), the masks and actions, the alternate stack,
 * ITIMER_REAL and alarm(2), and process groups and sessions. The x86-64
 * half (the handler's frame, rt_sigreturn, restarts) is
 * arch/x86_64/signal.c.
 *
 * Locks: sighand->siglock guards the actions, every pending set and
 * blocked mask of the tasks that share it, and their signal_struct; it
 * nests inside tasks_lock and outside pi_lock (wake_up_process) and the
 * run-queue locks. A sender holds tasks_lock (which keeps the target and
 * its sighand allocated: task_free() unlinks a task before it drops
 * them) or sends to current. A thread joins and leaves its process's
 * thread list under both locks, so either lock lets one walk it.
 */
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include <mm/kmalloc.h>
#include <asm/irqflags.h>

/* The default-action classes of Linux's <linux/signal.h>. */
#define SIG_KERNEL_ONLY_MASK (sigmask(SIGKILL) | sigmask(SIGSTOP))
#define SIG_KERNEL_STOP_MASK                                      \
	(sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | \
	 sigmask(SIGTTOU))
#define SIG_KERNEL_IGNORE_MASK                                     \
	(sigmask(SIGCONT) | sigmask(SIGCHLD) | sigmask(SIGWINCH) | \
	 sigmask(SIGURG))
#define SIG_KERNEL_COREDUMP_MASK                                 \
	(sigmask(SIGQUIT) | sigmask(SIGILL) | sigmask(SIGTRAP) | \
	 sigmask(SIGABRT) | sigmask(SIGFPE) | sigmask(SIGSEGV) | \
	 sigmask(SIGBUS) | sigmask(SIGSYS) | sigmask(SIGXCPU) |  \
	 sigmask(SIGXFSZ))
/* The fault signals, taken before others (Linux's SYNCHRONOUS_MASK). */
#define SYNCHRONOUS_MASK                                        \
	(sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGILL) | \
	 sigmask(SIGTRAP) | sigmask(SIGFPE) | sigmask(SIGSYS))

static bool sig_in(int sig, unsigned long mask)
{
	return sig < SIGRTMIN && (sigmask(sig) & mask);
}

static void sigqueue_free_all(struct sigpending *p, struct signal_struct *owner)
{
	while (!list_empty(&p->list)) {
		struct sigqueue *q =
			list_first_entry(&p->list, struct sigqueue, list);

		list_del(&q->list);
		if (owner)
			owner->nr_queued--;
		kfree(q);
	}
	sigemptyset(&p->signal);
}

static struct sighand_struct *sighand_alloc(void)
{
	struct sighand_struct *sh = kzalloc(sizeof(*sh));

	if (sh) {
		sh->count = 1;
		spin_lock_init(&sh->siglock);
	}
	return sh;
}

static void sighand_put(struct sighand_struct *sh)
{
	if (sh && __atomic_sub_fetch(&sh->count, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(sh);
}

static void it_real_fn(struct timer_list *timer);

static struct signal_struct *signal_alloc(void)
{
	struct signal_struct *sig = kzalloc(sizeof(*sig));

	if (sig) {
		sig->count = 1;
		INIT_LIST_HEAD(&sig->thread_head);
		INIT_LIST_HEAD(&sig->shared_pending.list);
		timer_setup(&sig->real_timer, it_real_fn);
	}
	return sig;
}

static void signal_put(struct signal_struct *sig)
{
	if (!sig || __atomic_sub_fetch(&sig->count, 1, __ATOMIC_ACQ_REL))
		return;
	del_timer_sync(&sig->real_timer);
	sigqueue_free_all(&sig->shared_pending, NULL);
	kfree(sig);
}

/*
 * Lock t's sighand, or return NULL when it has none (a kernel thread).
 * The caller holds tasks_lock or t is current, so the sighand stays
 * allocated; it may only change under current's own exec, hence the
 * check after locking. Linux's lock_task_sighand().
 */
static struct sighand_struct *lock_task_sighand(struct task *t,
						unsigned long *flags)
{
	for (;;) {
		struct sighand_struct *sh = READ_ONCE(t->sighand);

		if (!sh)
			return NULL;
		spin_lock_irqsave(&sh->siglock, *flags);
		if (sh == READ_ONCE(t->sighand))
			return sh;
		spin_unlock_irqrestore(&sh->siglock, *flags);
	}
}

/* Pending and not blocked, thread's or process's? siglock held. */
static bool has_pending_signals(const struct task *t)
{
	unsigned long p = t->pending.signal.sig[0];

	if (t->signal)
		p |= t->signal->shared_pending.signal.sig[0];
	return p & ~t->blocked.sig[0];
}

/* Linux's recalc_sigpending() for current; siglock held. */
static void recalc_sigpending(void)
{
	WRITE_ONCE(current->sigpending, has_pending_signals(current));
}

/*
 * Tell t it has a signal to take: the flag, a wake-up if it sleeps, and
 * an IPI if it runs on another CPU, which then takes its next way back
 * to user mode now rather than at its next tick. siglock held. Linux's
 * signal_wake_up() with kick_process().
 */
static void signal_wake_up(struct task *t)
{
	WRITE_ONCE(t->sigpending, 1);
	if (!wake_up_process(t) && READ_ONCE(t->on_cpu) &&
	    READ_ONCE(t->cpu) != smp_processor_id())
		smp_send_reschedule(READ_ONCE(t->cpu));
}

static void sigkill_locked(struct task *t)
{
	sigaddset(&t->pending.signal, SIGKILL);
	signal_wake_up(t);
}

void sigkill_task(struct task *t)
{
	struct sighand_struct *sh;
	unsigned long flags;

	sh = lock_task_sighand(t, &flags);
	if (!sh) {
		/* A task without signal state (a test's fake task): the
		 * bit alone, under its pi_lock. */
		spin_lock_irqsave(&t->pi_lock, flags);
		sigaddset(&t->pending.signal, SIGKILL);
		WRITE_ONCE(t->sigpending, 1);
		spin_unlock_irqrestore(&t->pi_lock, flags);
		wake_up_process(t);
		return;
	}
	sigkill_locked(t);
	spin_unlock_irqrestore(&sh->siglock, flags);
}

/* Would sig, delivered to t now, be ignored? Linux's sig_task_ignored(). */
static bool sig_task_ignored(struct task *t, int sig, bool force)
{
	__sighandler_t handler = t->sighand->action[sig - 1].handler;

	if ((t->signal->flags & SIGNAL_UNKILLABLE) && handler == SIG_DFL &&
	    !(force && sig_in(sig, SIG_KERNEL_ONLY_MASK)))
		return true;
	return handler == SIG_IGN ||
	       (handler == SIG_DFL && sig_in(sig, SIG_KERNEL_IGNORE_MASK));
}

/* Drop sig at once? Not while blocked: the action may change before it
 * is unblocked. Linux's sig_ignored(). */
static bool sig_ignored(struct task *t, int sig, bool force)
{
	if (sigismember(&t->blocked, sig))
		return false;
	return sig_task_ignored(t, sig, force);
}

/* Does sig end the process when t takes it? Linux's sig_fatal(). */
static bool sig_fatal(struct task *t, int sig)
{
	return !sig_in(sig, SIG_KERNEL_IGNORE_MASK | SIG_KERNEL_STOP_MASK) &&
	       t->sighand->action[sig - 1].handler == SIG_DFL;
}

/* Can t take sig now? Linux's wants_signal(). */
static bool wants_signal(int sig, struct task *t)
{
	if (sigismember(&t->blocked, sig))
		return false;
	if (sig == SIGKILL)
		return true;
	return t == current || !signal_pending(t);
}

/*
 * Choose the thread that takes sig and wake it. A fatal signal nobody
 * handles ends the process at once: every thread gets SIGKILL (not a
 * core-dump signal: the thread that takes it ends the process itself).
 * siglock held. Linux's complete_signal().
 */
static void complete_signal(int sig, struct task *p, bool group)
{
	struct signal_struct *signal = p->signal;
	struct task *t = NULL, *it;

	if (wants_signal(sig, p)) {
		t = p;
	} else if (group) {
		list_for_each_entry(it, &signal->thread_head, thread_node)
			if (wants_signal(sig, it)) {
				t = it;
				break;
			}
	}
	if (!t)
		return; /* a thread that unblocks it will find it */
	if (sig_fatal(p, sig) && !(signal->flags & SIGNAL_GROUP_EXIT) &&
	    !sig_in(sig, SIG_KERNEL_COREDUMP_MASK)) {
		signal->flags |= SIGNAL_GROUP_EXIT;
		signal->group_exit_code = sig;
		list_for_each_entry(it, &signal->thread_head, thread_node)
			sigkill_locked(it);
		return;
	}
	signal_wake_up(t);
}

/* siginfo for a send without one: SI_USER from current. */
static void fill_user_info(siginfo_t *info, int sig)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = SI_USER;
	info->si_pid = current->tgid;
	info->si_uid = 0;
}

/* Linux's __send_signal_locked(), with force for the kernel's own. */
static int send_signal_locked(int sig, siginfo_t *info, struct task *t,
			      bool group, bool force)
{
	struct sigpending *pending;
	struct signal_struct *signal = t->signal;
	struct sigqueue *q;
	bool override;

	if (!force && sig_ignored(t, sig, false))
		return 0;
	pending = group ? &signal->shared_pending : &t->pending;
	/* A standard signal pending already: this one merges with it. */
	if (sig < SIGRTMIN && sigismember(&pending->signal, sig))
		return 0;
	if (sig == SIGKILL)
		goto out_set;
	/* Past the limit a standard signal still counts, without its
	 * info; a real-time one from sigqueue() fails (Linux's rule). */
	override = sig < SIGRTMIN && (info->si_code >= 0 || force);
	q = NULL;
	if (override || signal->nr_queued < SIGQUEUE_MAX)
		q = kmalloc(sizeof(*q));
	if (q) {
		q->info = *info;
		list_add_tail(&q->list, &pending->list);
		signal->nr_queued++;
	} else if (sig >= SIGRTMIN && info->si_code != SI_USER) {
		return -EAGAIN;
	}
out_set:
	sigaddset(&pending->signal, sig);
	complete_signal(sig, t, group);
	return 0;
}

int send_signal_to_task(int sig, siginfo_t *info, struct task *t, bool group)
{
	struct sighand_struct *sh;
	siginfo_t user_info;
	unsigned long flags;
	int ret;

	if (!info) {
		fill_user_info(&user_info, sig);
		info = &user_info;
	}
	sh = lock_task_sighand(t, &flags);
	if (!sh)
		return 0; /* kernel threads take no signals */
	ret = send_signal_locked(sig, info, t, group, false);
	spin_unlock_irqrestore(&sh->siglock, flags);
	return ret;
}

bool unhandled_signal(int sig)
{
	__sighandler_t handler = current->sighand->action[sig - 1].handler;

	return handler == SIG_IGN || handler == SIG_DFL ||
	       sigismember(&current->blocked, sig);
}

void force_sig_fault(int sig, int code, unsigned long addr)
{
	struct task *t = current;
	struct k_sigaction *ka;
	siginfo_t info;
	unsigned long flags;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info.si_addr = (void *)addr;
	if (!t->sighand) {
		sigkill_task(t);
		return;
	}
	spin_lock_irqsave(&t->sighand->siglock, flags);
	ka = &t->sighand->action[sig - 1];
	/* Linux's force_sig_info_to_task(): a fault signal the program
	 * blocks or ignores would fault again at once: unblock it and take
	 * the default action, which also ends init. */
	if (ka->handler == SIG_IGN || sigismember(&t->blocked, sig)) {
		ka->handler = SIG_DFL;
		sigdelset(&t->blocked, sig);
	}
	if (ka->handler == SIG_DFL)
		t->signal->flags &= ~SIGNAL_UNKILLABLE;
	send_signal_locked(sig, &info, t, false, true);
	recalc_sigpending();
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
}

void force_sig(int sig)
{
	force_sig_fault(sig, SI_KERNEL, 0);
}

/*
 * Take sig off pending and fill *info from its queued siginfo (or a
 * minimal SI_USER one when it was sent past the queue limit). Linux's
 * collect_signal().
 */
static void collect_signal(int sig, struct sigpending *p, siginfo_t *info,
			   struct signal_struct *owner)
{
	struct sigqueue *q, *first = NULL;
	bool more = false;

	list_for_each_entry(q, &p->list, list) {
		if (q->info.si_signo != sig)
			continue;
		if (first) {
			more = true;
			break;
		}
		first = q;
	}
	if (!more)
		sigdelset(&p->signal, sig);
	if (first) {
		list_del(&first->list);
		*info = first->info;
		owner->nr_queued--;
		kfree(first);
	} else {
		memset(info, 0, sizeof(*info));
		info->si_signo = sig;
		info->si_code = SI_USER;
	}
}

/* The next signal of p not in mask: fault signals first, then the
 * lowest number. 0 if none. Linux's next_signal(). */
static int next_signal(struct sigpending *p, const sigset_t *mask)
{
	unsigned long x = p->signal.sig[0] & ~mask->sig[0];

	if (!x)
		return 0;
	if (x & SYNCHRONOUS_MASK)
		x &= SYNCHRONOUS_MASK;
	return __builtin_ctzl(x) + 1;
}

/* Dequeue one signal of current not in mask: its own first, then the
 * process's. siglock held. Linux's dequeue_signal(). */
static int dequeue_signal(const sigset_t *mask, siginfo_t *info)
{
	struct task *t = current;
	int sig = next_signal(&t->pending, mask);

	if (sig) {
		collect_signal(sig, &t->pending, info, t->signal);
	} else {
		sig = next_signal(&t->signal->shared_pending, mask);
		if (sig)
			collect_signal(sig, &t->signal->shared_pending, info,
				       t->signal);
	}
	recalc_sigpending();
	return sig;
}

void do_group_exit(int exit_code)
{
	struct task *t = current, *it;
	struct signal_struct *signal = t->signal;
	unsigned long flags;

	if (!signal)
		do_exit(exit_code);
	spin_lock_irqsave(&t->sighand->siglock, flags);
	if (signal->flags & SIGNAL_GROUP_EXIT) {
		exit_code = signal->group_exit_code;
	} else {
		bool exec = false;

		/* A thread in execve() killed us: it stays (Linux's
		 * signal->group_exec_task). */
		list_for_each_entry(it, &signal->thread_head, thread_node)
			if (it != t && it->group_exec)
				exec = true;
		if (!exec) {
			signal->flags |= SIGNAL_GROUP_EXIT;
			signal->group_exit_code = exit_code;
			list_for_each_entry(it, &signal->thread_head,
					    thread_node)
				if (it != t)
					sigkill_locked(it);
		}
	}
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	do_exit(exit_code);
}

bool get_signal(struct ksignal *ksig)
{
	struct task *t = current;
	struct sighand_struct *sh = t->sighand;
	unsigned long flags;

	if (!sh)
		return false;
	for (;;) {
		struct k_sigaction *ka;
		int sig;

		spin_lock_irqsave(&sh->siglock, flags);
		if (t->signal->flags & SIGNAL_GROUP_EXIT &&
		    sigismember(&t->pending.signal, SIGKILL)) {
			spin_unlock_irqrestore(&sh->siglock, flags);
			do_group_exit(t->signal->group_exit_code);
		}
		sig = dequeue_signal(&t->blocked, &ksig->info);
		if (!sig) {
			spin_unlock_irqrestore(&sh->siglock, flags);
			return false;
		}
		ka = &sh->action[sig - 1];
		if (ka->handler == SIG_IGN) {
			spin_unlock_irqrestore(&sh->siglock, flags);
			continue;
		}
		if (ka->handler != SIG_DFL) {
			ksig->ka = *ka;
			ksig->sig = sig;
			if (ka->flags & SA_RESETHAND)
				ka->handler = SIG_DFL;
			spin_unlock_irqrestore(&sh->siglock, flags);
			return true;
		}
		spin_unlock_irqrestore(&sh->siglock, flags);
		if (sig_in(sig, SIG_KERNEL_IGNORE_MASK))
			continue;
		/* Init takes no default action it did not ask for, but
		 * SIGKILL from the kernel (Linux's SIGNAL_UNKILLABLE). */
		if ((t->signal->flags & SIGNAL_UNKILLABLE) && sig != SIGKILL)
			continue;
		/* No job control: a stop signal's default action is to
		 * discard it (docs/signals.md). */
		if (sig_in(sig, SIG_KERNEL_STOP_MASK))
			continue;
		/* Terminate (or core: no core is written, so the wait
		 * status has no WCOREDUMP bit, as Linux's when nothing was
		 * dumped). */
		do_group_exit(sig);
	}
}

void set_current_blocked(sigset_t *newset)
{
	unsigned long flags;

	newset->sig[0] &= ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	spin_lock_irqsave(&current->sighand->siglock, flags);
	current->blocked = *newset;
	recalc_sigpending();
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
}

sigset_t *sigmask_to_save(void)
{
	return current->restore_sigmask ? &current->saved_sigmask :
					  &current->blocked;
}

void restore_saved_sigmask(void)
{
	if (current->restore_sigmask) {
		current->restore_sigmask = false;
		set_current_blocked(&current->saved_sigmask);
	}
}

void signal_setup_done(bool failed, struct ksignal *ksig)
{
	sigset_t blocked;

	if (failed) {
		force_sig(SIGSEGV);
		return;
	}
	current->restore_sigmask = false;
	blocked.sig[0] = current->blocked.sig[0] | ksig->ka.mask.sig[0];
	if (!(ksig->ka.flags & SA_NODEFER))
		sigaddset(&blocked, ksig->sig);
	set_current_blocked(&blocked);
	/* SS_AUTODISARM: the handler owns the stack until it returns. */
	if (current->sas_ss_flags & SS_AUTODISARM) {
		current->sas_ss_sp = 0;
		current->sas_ss_size = 0;
	}
}

bool on_sig_stack(unsigned long sp)
{
	/* SS_AUTODISARM: the stack is not in use as far as nesting goes
	 * (Linux's on_sig_stack()). */
	if (current->sas_ss_flags & SS_AUTODISARM)
		return false;
	return sp > current->sas_ss_sp &&
	       sp - current->sas_ss_sp <= current->sas_ss_size;
}

int sas_ss_flags(unsigned long sp)
{
	if (!current->sas_ss_size)
		return SS_DISABLE;
	return on_sig_stack(sp) ? SS_ONSTACK : 0;
}

/* ---- process life: init, fork, exec, exit ---- */

int signal_init_task(struct task *t)
{
	t->sighand = sighand_alloc();
	t->signal = signal_alloc();
	if (!t->sighand || !t->signal) {
		release_task_signal(t);
		return -ENOMEM;
	}
	t->signal->pgrp = t->signal->session = t->tgid;
	if (t->pid == 1)
		t->signal->flags |= SIGNAL_UNKILLABLE;
	list_add_tail(&t->thread_node, &t->signal->thread_head);
	return 0;
}

int copy_signal(unsigned long clone_flags, struct task *child)
{
	struct task *parent = current;
	unsigned long flags, tflags;

	if (!parent->sighand)
		return signal_init_task(child);
	if (clone_flags & 0x00000800 /* CLONE_SIGHAND */) {
		__atomic_add_fetch(&parent->sighand->count, 1,
				   __ATOMIC_RELAXED);
		child->sighand = parent->sighand;
	} else {
		child->sighand = sighand_alloc();
		if (!child->sighand)
			return -ENOMEM;
		spin_lock_irqsave(&parent->sighand->siglock, flags);
		memcpy(child->sighand->action, parent->sighand->action,
		       sizeof(child->sighand->action));
		spin_unlock_irqrestore(&parent->sighand->siglock, flags);
	}
	if (clone_flags & 0x00010000 /* CLONE_THREAD */) {
		__atomic_add_fetch(&parent->signal->count, 1, __ATOMIC_RELAXED);
		child->signal = parent->signal;
	} else {
		child->signal = signal_alloc();
		if (!child->signal) {
			release_task_signal(child);
			return -ENOMEM;
		}
		child->signal->pgrp = parent->signal->pgrp;
		child->signal->session = parent->signal->session;
	}
	child->blocked = parent->blocked;
	/* Linux's copy_process(): a child sharing the mm but not waiting
	 * for it (a thread) must not share the alternate stack. */
	if ((clone_flags & (0x00000100 | 0x00004000)) != 0x00000100) {
		child->sas_ss_sp = parent->sas_ss_sp;
		child->sas_ss_size = parent->sas_ss_size;
		child->sas_ss_flags = parent->sas_ss_flags;
	}
	spin_lock_irqsave(&tasks_lock, tflags);
	spin_lock(&child->sighand->siglock);
	list_add_tail(&child->thread_node, &child->signal->thread_head);
	spin_unlock(&child->sighand->siglock);
	spin_unlock_irqrestore(&tasks_lock, tflags);
	return 0;
}

void release_task_signal(struct task *t)
{
	struct sighand_struct *sh = t->sighand;
	struct signal_struct *sig = t->signal;
	unsigned long flags;

	if (!list_empty(&t->thread_node) && sh) {
		/* Never started (a failed fork): still on the list. */
		spin_lock_irqsave(&tasks_lock, flags);
		spin_lock(&sh->siglock);
		list_del_init(&t->thread_node);
		spin_unlock(&sh->siglock);
		spin_unlock_irqrestore(&tasks_lock, flags);
	}
	if (sh) {
		spin_lock_irqsave(&sh->siglock, flags);
		sigqueue_free_all(&t->pending, sig);
		spin_unlock_irqrestore(&sh->siglock, flags);
	}
	t->sighand = NULL;
	t->signal = NULL;
	sighand_put(sh);
	signal_put(sig);
}

void exit_signals(struct task *t)
{
	struct sighand_struct *sh = t->sighand;
	struct signal_struct *signal = t->signal;
	unsigned long flags;
	bool last;

	if (!sh)
		return;
	spin_lock_irqsave(&tasks_lock, flags);
	spin_lock(&sh->siglock);
	list_del_init(&t->thread_node);
	last = list_empty(&signal->thread_head);
	if (last)
		signal->it_real_incr = 0; /* the timer re-arms no more */
	if (!last) {
		/* A process signal this thread was woken for, and did not
		 * take, goes to a thread that can. Linux's
		 * retarget_shared_pending(). */
		unsigned long pend = signal->shared_pending.signal.sig[0];
		struct task *it;

		list_for_each_entry(it, &signal->thread_head, thread_node)
			if (pend & ~it->blocked.sig[0]) {
				signal_wake_up(it);
				break;
			}
	}
	spin_unlock(&sh->siglock);
	spin_unlock_irqrestore(&tasks_lock, flags);
	if (last)
		del_timer_sync(&signal->real_timer);
}

bool do_notify_parent(struct task *t, int status)
{
	struct task *parent = t->parent;
	struct sighand_struct *psh;
	siginfo_t info;
	bool autoreap = false;
	unsigned long flags;
	int sig = t->exit_signal;

	if (!parent || sig <= 0 || !valid_signal(sig))
		return false;
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_pid = t->tgid;
	if (status & 0x7f) {
		info.si_code = (status & 0x80) ? CLD_DUMPED : CLD_KILLED;
		info.si_status = status & 0x7f;
	} else {
		info.si_code = CLD_EXITED;
		info.si_status = (status >> 8) & 0xff;
	}
	psh = lock_task_sighand(parent, &flags);
	if (!psh)
		return false;
	if (sig == SIGCHLD) {
		struct k_sigaction *ka = &psh->action[SIGCHLD - 1];

		/* Linux's do_notify_parent(): a parent that ignores SIGCHLD
		 * (SIG_IGN, or SA_NOCLDWAIT) does not wait for its
		 * children: they reap themselves. */
		if (ka->handler == SIG_IGN || (ka->flags & SA_NOCLDWAIT)) {
			autoreap = true;
			if (ka->handler == SIG_IGN)
				sig = 0;
		}
	}
	if (sig)
		send_signal_locked(sig, &info, parent, true, false);
	spin_unlock_irqrestore(&psh->siglock, flags);
	return autoreap;
}

int flush_signal_handlers(struct task *t)
{
	struct sighand_struct *sh = t->sighand, *copy;
	unsigned long flags;

	if (!sh)
		return 0;
	if (__atomic_load_n(&sh->count, __ATOMIC_ACQUIRE) > 1 &&
	    t->signal->thread_head.next == t->signal->thread_head.prev) {
		/* Shared with another process (CLONE_SIGHAND without
		 * CLONE_THREAD): the new program gets its own. */
		copy = sighand_alloc();
		if (!copy)
			return -ENOMEM;
		spin_lock_irqsave(&sh->siglock, flags);
		memcpy(copy->action, sh->action, sizeof(copy->action));
		spin_unlock_irqrestore(&sh->siglock, flags);
		spin_lock_irqsave(&tasks_lock, flags);
		WRITE_ONCE(t->sighand, copy);
		spin_unlock_irqrestore(&tasks_lock, flags);
		sighand_put(sh);
		sh = copy;
	}
	spin_lock_irqsave(&sh->siglock, flags);
	for (int i = 0; i < _NSIG; i++) {
		struct k_sigaction *ka = &sh->action[i];

		if (ka->handler != SIG_IGN)
			ka->handler = SIG_DFL;
		ka->flags = 0;
		ka->restorer = NULL;
		sigemptyset(&ka->mask);
	}
	t->signal->flags |= SIGNAL_DID_EXEC;
	spin_unlock_irqrestore(&sh->siglock, flags);
	t->sas_ss_sp = t->sas_ss_size = 0;
	t->sas_ss_flags = 0;
	return 0;
}

/* ---- sending: kill, tkill, tgkill, sigqueue ---- */

/*
 * Send sig to process p (any of its threads), checking only that it
 * can: sig 0 sends nothing. tasks_lock held. Linux's
 * group_send_sig_info() without permission checks (everything runs as
 * root here).
 */
static int group_send_sig_info(int sig, siginfo_t *info, struct task *p)
{
	if (sig < 0 || !valid_signal(sig))
		return -EINVAL; /* checked once a target is found */
	if (!sig)
		return 0;
	return send_signal_to_task(sig, info, p, true);
}

/* The same for one thread (tkill, tgkill, rt_tgsigqueueinfo): Linux's
 * do_send_specific(). tasks_lock held. */
static int thread_send_sig_info(int sig, siginfo_t *info, struct task *t)
{
	if (sig < 0 || !valid_signal(sig))
		return -EINVAL;
	if (!sig)
		return 0;
	return send_signal_to_task(sig, info, t, false);
}

/* Is t a live user task, the first live thread of its process (one
 * task per process in a walk)? tasks_lock held. */
static bool process_rep(struct task *t)
{
	return t->signal && !(t->flags & PF_KTHREAD) &&
	       t->state != TASK_ZOMBIE && t->state != TASK_DEAD &&
	       !list_empty(&t->thread_node) &&
	       list_first_entry(&t->signal->thread_head, struct task,
				thread_node) == t;
}

/* Send to every process of group pgrp. -ESRCH if there is none. Linux's
 * __kill_pgrp_info(). tasks_lock held. */
static int kill_pgrp_locked(int sig, siginfo_t *info, int pgrp)
{
	struct task *t;
	int ret = -ESRCH;

	list_for_each_entry(t, &all_tasks, tasks)
		if (process_rep(t) && t->signal->pgrp == pgrp) {
			int err = group_send_sig_info(sig, info, t);

			if (ret)
				ret = err;
		}
	return ret;
}

/* The live task with this id (a zombie or kernel thread: NULL).
 * tasks_lock held. */
static struct task *find_user_task(int pid)
{
	struct task *t = find_task_locked(pid);

	if (!t || !t->signal || (t->flags & PF_KTHREAD) ||
	    t->state == TASK_ZOMBIE)
		return NULL;
	return t;
}

/*
 * sys_kill - kill(2): pid > 0, that process (any of its thread ids
 * names it); 0, every process of the caller's group; -1, every process
 * but init and the caller's own; < -1, every process of group -pid. sig 0
 * checks only. A signal to init (pid 1) that it has no handler for is
 * dropped, and the call succeeds (Linux's SIGNAL_UNKILLABLE). Returns 0,
 * or -ESRCH (no such process or group; a zombie), -EINVAL (sig not
 * 0..64), in Linux's order: a bad signal to no process is -ESRCH.
 * Linux's kill_something_info().
 */
long sys_kill(int pid, int sig)
{
	siginfo_t info;
	unsigned long flags;
	struct task *t;
	long ret;

	fill_user_info(&info, sig);
	spin_lock_irqsave(&tasks_lock, flags);
	if (pid > 0) {
		t = find_user_task(pid);
		ret = t ? group_send_sig_info(sig, &info, t) : -ESRCH;
	} else if (pid == -1) {
		int count = 0, err;

		ret = 0;
		list_for_each_entry(t, &all_tasks, tasks)
			if (process_rep(t) && t->tgid > 1 &&
			    t->signal != current->signal) {
				err = group_send_sig_info(sig, &info, t);
				count++;
				if (err != -EPERM)
					ret = err;
			}
		if (!count)
			ret = -ESRCH;
	} else if (pid == (int)0x80000000) {
		ret = -ESRCH; /* Linux: -INT_MIN is no group */
	} else {
		ret = kill_pgrp_locked(sig, &info,
				       pid ? -pid : current->signal->pgrp);
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
	return ret;
}

/* tkill/tgkill: the thread tid (of process tgid when > 0). Linux's
 * do_tkill(). */
static long do_tkill(int tgid, int tid, int sig)
{
	siginfo_t info;
	unsigned long flags;
	struct task *t;
	long ret = -ESRCH;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_TKILL;
	info.si_pid = current->tgid;
	spin_lock_irqsave(&tasks_lock, flags);
	t = find_user_task(tid);
	if (t && (tgid <= 0 || t->tgid == tgid))
		ret = thread_send_sig_info(sig, &info, t);
	spin_unlock_irqrestore(&tasks_lock, flags);
	return ret;
}

/*
 * sys_tgkill - tgkill(2): send sig to thread tid of process tgid.
 * Returns 0, or -EINVAL (tid or tgid <= 0; sig not 0..64, checked once
 * the thread is found, as Linux does), -ESRCH (no such thread in that
 * process). Linux's tgkill(2).
 */
long sys_tgkill(int tgid, int tid, int sig)
{
	if (tid <= 0 || tgid <= 0)
		return -EINVAL;
	return do_tkill(tgid, tid, sig);
}

/*
 * sys_tkill - tkill(2): tgkill() without the process check. Returns 0,
 * -EINVAL, -ESRCH. Linux's tkill(2).
 */
long sys_tkill(int tid, int sig)
{
	if (tid <= 0)
		return -EINVAL;
	return do_tkill(0, tid, sig);
}

/* Read a sigqueue()d siginfo: the caller may not pose as the kernel or
 * kill(2) unless it signals itself (Linux's rule). */
static long copy_siginfo_from_user_checked(siginfo_t *info, int sig,
					   const siginfo_t __user *uinfo,
					   int target_tgid)
{
	if (copy_from_user(info, uinfo, sizeof(*info)))
		return -EFAULT;
	if ((info->si_code >= 0 || info->si_code == SI_TKILL) &&
	    target_tgid != current->tgid)
		return -EPERM;
	info->si_signo = sig;
	return 0;
}

/*
 * sys_rt_sigqueueinfo - rt_sigqueueinfo(2), sigqueue(3)'s call: send sig
 * with the caller's *uinfo (si_code must be negative, e.g. SI_QUEUE,
 * unless it signals itself) to process tgid. A real-time signal is
 * queued once per call; past SIGQUEUE_MAX queued the call fails with
 * -EAGAIN. Returns 0, or in Linux's order -EFAULT, -EPERM, -ESRCH,
 * -EINVAL (sig not 0..64), -EAGAIN. Linux's rt_sigqueueinfo(2).
 */
long sys_rt_sigqueueinfo(int tgid, int sig, const siginfo_t __user *uinfo)
{
	siginfo_t info;
	unsigned long flags;
	struct task *t;
	long ret;

	ret = copy_siginfo_from_user_checked(&info, sig, uinfo, tgid);
	if (ret)
		return ret;
	spin_lock_irqsave(&tasks_lock, flags);
	t = find_user_task(tgid);
	ret = t ? group_send_sig_info(sig, &info, t) : -ESRCH;
	spin_unlock_irqrestore(&tasks_lock, flags);
	return ret;
}

/*
 * sys_rt_tgsigqueueinfo - rt_tgsigqueueinfo(2): rt_sigqueueinfo() to
 * thread tid of process tgid. Same errors, -EINVAL for ids <= 0. Linux's
 * rt_tgsigqueueinfo(2).
 */
long sys_rt_tgsigqueueinfo(int tgid, int tid, int sig,
			   const siginfo_t __user *uinfo)
{
	siginfo_t info;
	unsigned long flags;
	struct task *t;
	long ret;

	if (tid <= 0 || tgid <= 0)
		return -EINVAL;
	ret = copy_siginfo_from_user_checked(&info, sig, uinfo, tgid);
	if (ret)
		return ret;
	spin_lock_irqsave(&tasks_lock, flags);
	t = find_user_task(tid);
	ret = -ESRCH;
	if (t && t->tgid == tgid)
		ret = thread_send_sig_info(sig, &info, t);
	spin_unlock_irqrestore(&tasks_lock, flags);
	return ret;
}

/* ---- actions and masks ---- */

/*
 * sys_rt_sigaction - rt_sigaction(2): store sig's old action at *oact and
 * set *act, each when not NULL (struct __kernel_sigaction: handler,
 * flags, restorer, mask). SIGKILL and SIGSTOP keep SIG_DFL; setting a
 * signal to be ignored (SIG_IGN, or SIG_DFL of a default-ignored one)
 * discards it where pending, in every thread. x86-64 needs SA_RESTORER
 * for a handler to return: without it the handler returns to address 0
 * and faults, as on Linux. Returns 0, or in Linux's order -EINVAL
 * (sigsetsize not 8), -EFAULT (act), -EINVAL (sig not 1..64, an action
 * for SIGKILL/SIGSTOP), -EFAULT (oact). Linux's rt_sigaction(2).
 */
long sys_rt_sigaction(int sig, const struct __kernel_sigaction __user *act,
		      struct __kernel_sigaction __user *oact, size_t sigsetsize)
{
	struct sighand_struct *sh = current->sighand;
	struct k_sigaction new, old;
	unsigned long flags;

	_Static_assert(sizeof(struct k_sigaction) ==
			       sizeof(struct __kernel_sigaction),
		       "k_sigaction is copied whole");
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (act && copy_from_user(&new, act, sizeof(new)))
		return -EFAULT;
	if (sig < 1 || sig > _NSIG ||
	    (act && sig_in(sig, SIG_KERNEL_ONLY_MASK)))
		return -EINVAL;
	spin_lock_irqsave(&sh->siglock, flags);
	old = sh->action[sig - 1];
	if (act) {
		struct task *t;

		sigdelset(&new.mask, SIGKILL);
		sigdelset(&new.mask, SIGSTOP);
		sh->action[sig - 1] = new;
		/* POSIX: "Setting a signal action to SIG_IGN for a signal
		 * that is pending shall cause the pending signal to be
		 * discarded, whether or not it is blocked." */
		if (sig_task_ignored(current, sig, true)) {
			sigset_t one;

			sigemptyset(&one);
			sigaddset(&one, sig);
			/* Drop the queued entries with the bit. */
			list_for_each_entry(t, &current->signal->thread_head,
					    thread_node) {
				while (sigismember(&t->pending.signal, sig)) {
					siginfo_t info;

					collect_signal(sig, &t->pending, &info,
						       current->signal);
				}
			}
			while (sigismember(&current->signal->shared_pending
						    .signal,
					   sig)) {
				siginfo_t info;

				collect_signal(sig,
					       &current->signal->shared_pending,
					       &info, current->signal);
			}
			recalc_sigpending();
		}
	}
	spin_unlock_irqrestore(&sh->siglock, flags);
	if (oact && copy_to_user(oact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/*
 * sys_rt_sigprocmask - rt_sigprocmask(2): store the old mask at *oset,
 * then block (SIG_BLOCK), unblock (SIG_UNBLOCK) or set (SIG_SETMASK)
 * *nset; SIGKILL and SIGSTOP are never blocked. Returns 0, or -EINVAL
 * (how, sigsetsize not 8), -EFAULT. Linux's rt_sigprocmask(2).
 */
long sys_rt_sigprocmask(int how, const sigset_t __user *nset,
			sigset_t __user *oset, size_t sigsetsize)
{
	sigset_t old = current->blocked, new;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (nset) {
		if (copy_from_user(&new, nset, sizeof(new)))
			return -EFAULT;
		switch (how) {
		case SIG_BLOCK:
			new.sig[0] |= old.sig[0];
			break;
		case SIG_UNBLOCK:
			new.sig[0] = old.sig[0] & ~new.sig[0];
			break;
		case SIG_SETMASK:
			break;
		default:
			return -EINVAL;
		}
		set_current_blocked(&new);
	}
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/*
 * sys_rt_sigpending - rt_sigpending(2): the signals pending for the
 * caller, its own and its process's, that it blocks (one it does not
 * block would have been delivered). Returns 0, or -EINVAL (sigsetsize
 * above 8), -EFAULT. Linux's do_sigpending().
 */
long sys_rt_sigpending(sigset_t __user *uset, size_t sigsetsize)
{
	struct task *t = current;
	unsigned long flags;
	sigset_t set;

	if (sigsetsize > sizeof(sigset_t))
		return -EINVAL;
	spin_lock_irqsave(&t->sighand->siglock, flags);
	set.sig[0] = (t->pending.signal.sig[0] |
		      t->signal->shared_pending.signal.sig[0]) &
		     t->blocked.sig[0];
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	if (copy_to_user(uset, &set, sigsetsize))
		return -EFAULT;
	return 0;
}

/* Sleep until a signal is pending. */
static void sleep_until_signal(void)
{
	while (!signal_pending(current)) {
		current->state = TASK_INTERRUPTIBLE;
		if (signal_pending(current)) {
			current->state = TASK_RUNNING;
			break;
		}
		schedule();
	}
}

/*
 * sys_pause - pause(2): sleep until a signal is delivered. Returns
 * -ERESTARTNOHAND: -EINTR to the program after its handler ran (a signal
 * with no handler to run restarts it). Linux's pause(2).
 */
long sys_pause(void)
{
	sleep_until_signal();
	return -ERESTARTNOHAND;
}

/*
 * sys_rt_sigsuspend - rt_sigsuspend(2): replace the mask with *unewset
 * and sleep until a signal is delivered; the old mask comes back when
 * the handler returns (the frame holds it). Returns -ERESTARTNOHAND
 * (-EINTR after a handler), or -EINVAL (sigsetsize not 8), -EFAULT.
 * Linux's sigsuspend().
 */
long sys_rt_sigsuspend(const sigset_t __user *unewset, size_t sigsetsize)
{
	sigset_t newset;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&newset, unewset, sizeof(newset)))
		return -EFAULT;
	current->saved_sigmask = current->blocked;
	set_current_blocked(&newset);
	sleep_until_signal();
	current->restore_sigmask = true;
	return -ERESTARTNOHAND;
}

/*
 * sys_sigaltstack - sigaltstack(2): store the current alternate stack
 * at *uoss and set *uss (SS_DISABLE to remove it, optionally
 * SS_AUTODISARM). Returns 0, or -EPERM (changing it while running on it),
 * -EINVAL (other flags), -ENOMEM (ss_size below MINSIGSTKSZ), -EFAULT.
 * Linux's do_sigaltstack().
 */
long sys_sigaltstack(const stack_t __user *uss, stack_t __user *uoss,
		     struct pt_regs *regs)
{
	struct task *t = current;
	stack_t old = { (void *)t->sas_ss_sp,
			sas_ss_flags(regs->rsp) | (int)t->sas_ss_flags,
			t->sas_ss_size };

	if (uss) {
		stack_t ss;
		unsigned int mode;

		if (copy_from_user(&ss, uss, sizeof(ss)))
			return -EFAULT;
		if (on_sig_stack(regs->rsp))
			return -EPERM;
		mode = (unsigned int)ss.ss_flags & ~SS_AUTODISARM;
		if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			t->sas_ss_sp = t->sas_ss_size = 0;
			t->sas_ss_flags = 0;
		} else {
			if (ss.ss_size < MINSIGSTKSZ)
				return -ENOMEM;
			t->sas_ss_sp = (unsigned long)ss.ss_sp;
			t->sas_ss_size = ss.ss_size;
			t->sas_ss_flags = (unsigned int)ss.ss_flags &
					  SS_AUTODISARM;
		}
	}
	if (uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* ---- ITIMER_REAL and alarm ---- */

/* The process timer fired (tick, interrupts off): SIGALRM to the
 * process, and again in it_real_incr jiffies. Linux's it_real_fn(). */
static void it_real_fn(struct timer_list *timer)
{
	struct signal_struct *sig =
		container_of(timer, struct signal_struct, real_timer);
	siginfo_t info;
	unsigned long flags;

	memset(&info, 0, sizeof(info));
	info.si_signo = SIGALRM;
	info.si_code = SI_KERNEL;
	spin_lock_irqsave(&tasks_lock, flags);
	if (!list_empty(&sig->thread_head))
		send_signal_to_task(SIGALRM, &info,
				    list_first_entry(&sig->thread_head,
						     struct task, thread_node),
				    true);
	/* Not for a process whose last thread is gone: exit_signals() and
	 * signal_put() stop the timer once, and it must stay stopped. */
	if (sig->it_real_incr && !list_empty(&sig->thread_head))
		mod_timer(&sig->real_timer, jiffies + sig->it_real_incr);
	spin_unlock_irqrestore(&tasks_lock, flags);
}

void set_real_timer(u64 value, u64 incr, u64 *old_value, u64 *old_incr)
{
	struct signal_struct *sig = current->signal;
	unsigned long flags;

	/* The timer's function re-arms under tasks_lock: take it too, so
	 * that a re-arm cannot undo a change made here. */
	spin_lock_irqsave(&tasks_lock, flags);
	*old_value = 0;
	if (del_timer(&sig->real_timer))
		*old_value = sig->real_timer.expires > jiffies ?
				     sig->real_timer.expires - jiffies :
				     1;
	*old_incr = sig->it_real_incr;
	sig->it_real_incr = incr;
	if (value)
		mod_timer(&sig->real_timer, jiffies + value);
	spin_unlock_irqrestore(&tasks_lock, flags);
}

struct itimerval_k {
	s64 it_interval_sec, it_interval_usec;
	s64 it_value_sec, it_value_usec;
};

#define ITIMER_REAL    0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF    2
#define USEC_PER_JIFFY (1000000 / HZ)

static u64 tv_to_jiffies(s64 sec, s64 usec)
{
	return (u64)sec * HZ +
	       ((u64)usec + USEC_PER_JIFFY - 1) / USEC_PER_JIFFY;
}

static void jiffies_to_tv(u64 j, s64 *sec, s64 *usec)
{
	*sec = (s64)(j / HZ);
	*usec = (s64)(j % HZ) * USEC_PER_JIFFY;
}

/*
 * sys_getitimer - getitimer(2) for ITIMER_REAL: the time left and the
 * interval, in struct itimerval (timevals of seconds and microseconds;
 * jiffies here, 1 ms). Returns 0, or -EINVAL (ITIMER_VIRTUAL and
 * ITIMER_PROF are not implemented: no CPU-time accounting), -EFAULT.
 * Linux's getitimer(2).
 */
long sys_getitimer(int which, void __user *value)
{
	struct signal_struct *sig = current->signal;
	struct itimerval_k v;
	unsigned long flags;
	u64 left = 0;

	if (which != ITIMER_REAL)
		return -EINVAL;
	spin_lock_irqsave(&tasks_lock, flags);
	if (timer_pending(&sig->real_timer))
		left = sig->real_timer.expires > jiffies ?
			       sig->real_timer.expires - jiffies :
			       1;
	jiffies_to_tv(sig->it_real_incr, &v.it_interval_sec,
		      &v.it_interval_usec);
	spin_unlock_irqrestore(&tasks_lock, flags);
	jiffies_to_tv(left, &v.it_value_sec, &v.it_value_usec);
	if (copy_to_user(value, &v, sizeof(v)))
		return -EFAULT;
	return 0;
}

/*
 * sys_setitimer - setitimer(2) for ITIMER_REAL: SIGALRM after it_value
 * (0: disarm), then every it_interval, rounded up to jiffies (1 ms); the
 * old setting at *ovalue when not NULL. Returns 0, or -EINVAL (another
 * timer, as getitimer(); a negative time or tv_usec above 999,999),
 * -EFAULT. Linux's setitimer(2).
 */
long sys_setitimer(int which, const void __user *value, void __user *ovalue)
{
	struct itimerval_k v = { 0 }, o;
	u64 oval, oincr;

	if (value && copy_from_user(&v, value, sizeof(v)))
		return -EFAULT;
	if (which != ITIMER_REAL)
		return -EINVAL;
	if (v.it_value_sec < 0 || v.it_value_usec < 0 ||
	    v.it_value_usec >= 1000000 || v.it_interval_sec < 0 ||
	    v.it_interval_usec < 0 || v.it_interval_usec >= 1000000)
		return -EINVAL;
	set_real_timer(tv_to_jiffies(v.it_value_sec, v.it_value_usec),
		       tv_to_jiffies(v.it_interval_sec, v.it_interval_usec),
		       &oval, &oincr);
	if (ovalue) {
		jiffies_to_tv(oval, &o.it_value_sec, &o.it_value_usec);
		jiffies_to_tv(oincr, &o.it_interval_sec, &o.it_interval_usec);
		if (copy_to_user(ovalue, &o, sizeof(o)))
			return -EFAULT;
	}
	return 0;
}

/*
 * sys_alarm - alarm(2): SIGALRM in seconds seconds (0: cancel), with no
 * interval. Returns the seconds that were left of the previous one,
 * rounded to the nearest, at least 1 if any time was left. Linux's
 * alarm_setitimer().
 */
long sys_alarm(unsigned int seconds)
{
	u64 oval, oincr;

	set_real_timer((u64)seconds * HZ, 0, &oval, &oincr);
	if (!oval)
		return 0;
	return (long)((oval + HZ / 2) / HZ) ?: 1;
}

/* ---- process groups and sessions ---- */

/* Some live process has process group pgrp (in session sid, if sid is
 * not 0)? tasks_lock held. */
static bool pgrp_exists(int pgrp, int sid)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, tasks)
		if (process_rep(t) && t->signal->pgrp == pgrp &&
		    (!sid || t->signal->session == sid))
			return true;
	return false;
}

int pgrp_in_my_session(int pgrp)
{
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&tasks_lock, flags);
	if (!pgrp_exists(pgrp, 0))
		err = -ESRCH;
	else if (!pgrp_exists(pgrp, current->signal->session))
		err = -EPERM;
	spin_unlock_irqrestore(&tasks_lock, flags);
	return err;
}

/*
 * sys_setpgid - setpgid(2): move process pid (0: the caller) into group
 * pgid (0: pid's own id), in the caller's session. Returns 0, or -EINVAL
 * (pgid < 0), -ESRCH (pid is neither the caller nor its child), -EPERM
 * (a session leader; a child in another session; no group pgid in the
 * session), -EACCES (a child that has run execve()). Linux's setpgid(2).
 */
long sys_setpgid(int pid, int pgid)
{
	struct task *me = current, *p;
	unsigned long flags;
	long err;

	if (!pid)
		pid = me->tgid;
	if (!pgid)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL;
	spin_lock_irqsave(&tasks_lock, flags);
	err = -ESRCH;
	p = find_user_task(pid);
	if (!p || p->tgid != pid)
		goto out;
	if (p->signal == me->signal) {
		/* ourselves */
	} else if (p->parent && p->parent->signal == me->signal) {
		err = -EPERM;
		if (p->signal->session != me->signal->session)
			goto out;
		err = -EACCES;
		if (p->signal->flags & SIGNAL_DID_EXEC)
			goto out;
	} else {
		goto out;
	}
	err = -EPERM;
	if (p->signal->flags & SIGNAL_SESS_LEADER)
		goto out;
	if (pgid != pid && !pgrp_exists(pgid, me->signal->session))
		goto out;
	p->signal->pgrp = pgid;
	err = 0;
out:
	spin_unlock_irqrestore(&tasks_lock, flags);
	return err;
}

/* getpgid/getsid: field of process pid (0: the caller). */
static long get_id(int pid, bool session)
{
	unsigned long flags;
	struct task *t;
	long ret;

	spin_lock_irqsave(&tasks_lock, flags);
	t = pid ? find_user_task(pid) : current;
	if (!t)
		ret = -ESRCH;
	else
		ret = session ? t->signal->session : t->signal->pgrp;
	spin_unlock_irqrestore(&tasks_lock, flags);
	return ret;
}

/*
 * sys_getpgid - getpgid(2): the process group of pid (0: the caller).
 * Returns it, or -ESRCH. Linux's getpgid(2).
 */
long sys_getpgid(int pid)
{
	return get_id(pid, false);
}

/* sys_getpgrp - getpgrp(2): the caller's process group. Linux's. */
long sys_getpgrp(void)
{
	return get_id(0, false);
}

/*
 * sys_getsid - getsid(2): the session of pid (0: the caller). Returns it,
 * or -ESRCH. Linux's getsid(2).
 */
long sys_getsid(int pid)
{
	return get_id(pid, true);
}

/*
 * sys_setsid - setsid(2): make the caller a new session and process
 * group, both its pid, and their leader. Returns the new session id, or
 * -EPERM when a process group with the caller's id exists already (it
 * leads one). Linux's ksys_setsid().
 */
long sys_setsid(void)
{
	struct signal_struct *sig = current->signal;
	unsigned long flags;
	int sid = current->tgid;
	long ret;

	spin_lock_irqsave(&tasks_lock, flags);
	if (pgrp_exists(sid, 0)) {
		ret = -EPERM;
	} else {
		sig->pgrp = sig->session = sid;
		sig->flags |= SIGNAL_SESS_LEADER;
		ret = sid;
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
	return ret;
}
