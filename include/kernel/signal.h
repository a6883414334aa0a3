/*
 * signal.h - POSIX signals as Linux delivers them (kernel/signal.c, the
 * x86-64 frame in arch/x86_64/signal.c; docs/signals.md tells the whole
 * story): per-thread and per-process pending sets, handlers shared by
 * CLONE_SIGHAND, delivery on the way back to user mode, and the helpers
 * the rest of the kernel asks: signal_pending(), fatal_signal_pending().
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include <kernel/sched.h>
#include <kernel/signal_types.h>
#include <kernel/spinlock.h>
#include <kernel/timer.h>
#include <asm/ptrace.h>

#define SIGRTMIN __SIGRTMIN

/*
 * A signal's action, as rt_sigaction(2) sets it; the same layout as
 * struct __kernel_sigaction (include/uapi/asm/signal.h), so it is copied
 * from and to user space whole. Linux's struct k_sigaction.
 */
struct k_sigaction {
	__sighandler_t handler; /* SIG_DFL, SIG_IGN or a user address */
	unsigned long flags;	/* SA_* */
	void (*restorer)(void); /* user address: the handler's return */
	sigset_t mask;		/* blocked while the handler runs */
};

/*
 * The actions of a process, shared by the threads and the CLONE_SIGHAND
 * children that have it. siglock also guards every pending set, blocked
 * mask and signal_struct field of the tasks that share it. Interrupts
 * off while held; it nests inside tasks_lock and outside pi_lock and
 * the run-queue locks. Linux's struct sighand_struct.
 */
struct sighand_struct {
	int count; /* tasks sharing it; atomic */
	spinlock_t siglock;
	struct k_sigaction action[_NSIG];
};

/* signal_struct.flags */
#define SIGNAL_GROUP_EXIT \
	0x1 /* exit_group() or a fatal signal: every
				* thread exits with group_exit_code */
#define SIGNAL_UNKILLABLE \
	0x2		       /* init: signals without a handler are
				* ignored unless the kernel forces them */
#define SIGNAL_DID_EXEC	   0x4 /* ran execve(): setpgid() says EACCES */
#define SIGNAL_SESS_LEADER 0x8 /* made its session with setsid() */

/*
 * What the threads of a process share (CLONE_THREAD). Linux's struct
 * signal_struct, cut down. thread_head lists the live threads (through
 * task->thread_node); a thread leaves it at the start of its exit, so
 * every thread on it can still take a signal. Under sighand->siglock,
 * except count (atomic) and pgrp/session (tasks_lock, as Linux's
 * pid links change under tasklist_lock).
 */
struct signal_struct {
	int count; /* tasks pointing here; atomic */
	struct list_head thread_head;
	struct sigpending shared_pending; /* process-directed signals */
	unsigned int flags;		  /* SIGNAL_* */
	int group_exit_code;		  /* wait status, with GROUP_EXIT */
	int pgrp, session;		  /* process group and session ids */
	int nr_queued;			  /* struct sigqueue of the process */
	/* ITIMER_REAL (alarm(2), setitimer(2)): a timer that sends
	 * SIGALRM, re-armed every it_real_incr jiffies when not 0 */
	struct timer_list real_timer;
	u64 it_real_incr;
	struct task *real_timer_task; /* a thread to send it to, for the
				       * timer: the process's first */
};

/*
 * The most struct sigqueue a process may have queued; a real-time signal
 * sent by sigqueue() past it fails with -EAGAIN, as with Linux's
 * RLIMIT_SIGPENDING (which counts per user, and is far larger).
 */
#define SIGQUEUE_MAX 256

/* sigset helpers, for 64 signals in one word (Linux's <linux/signal.h>) */
static inline unsigned long sigmask(int sig)
{
	return 1UL << (sig - 1);
}
static inline void sigemptyset(sigset_t *s)
{
	s->sig[0] = 0;
}
static inline void sigaddset(sigset_t *s, int sig)
{
	s->sig[0] |= sigmask(sig);
}
static inline void sigdelset(sigset_t *s, int sig)
{
	s->sig[0] &= ~sigmask(sig);
}
static inline bool sigismember(const sigset_t *s, int sig)
{
	return s->sig[0] & sigmask(sig);
}
static inline bool valid_signal(unsigned long sig)
{
	return sig <= _NSIG;
}

/*
 * signal_pending - does t have a pending signal it does not block
 * (Linux's TIF_SIGPENDING)? What every interruptible sleep asks before it
 * sleeps again; the caller then returns -EINTR or -ERESTART*. Lock-free.
 */
static inline bool signal_pending(const struct task *t)
{
	return READ_ONCE(t->sigpending);
}

/*
 * fatal_signal_pending - is t being killed (SIGKILL pending: kill -9, a
 * fatal signal to its process, exit_group(), the OOM killer)? Such a
 * task never returns to user mode again. Lock-free. Linux's
 * fatal_signal_pending().
 */
static inline bool fatal_signal_pending(const struct task *t)
{
	return signal_pending(t) &&
	       (READ_ONCE(t->pending.signal.sig[0]) & sigmask(SIGKILL));
}

/*
 * signal_init_task - give t (init, made by task_alloc() and about to
 * exec) a fresh sighand_struct and signal_struct: every action SIG_DFL,
 * nothing pending, process group and session = its pid, and
 * SIGNAL_UNKILLABLE when it is pid 1 (Linux's init_task setup). Returns
 * 0 or -ENOMEM.
 */
int signal_init_task(struct task *t);

/*
 * copy_signal - fork's part: the child shares current's sighand
 * (CLONE_SIGHAND) or gets a copy of it, shares current's signal_struct
 * (CLONE_THREAD) or gets a new one in current's process group and
 * session; it inherits the blocked mask, an empty pending set and, unless
 * it shares the mm without CLONE_VFORK, the alternate stack. A thread
 * joins the thread list at once. Returns 0 or -ENOMEM. Linux's
 * copy_sighand() + copy_signal() + the signal part of copy_process().
 */
int copy_signal(unsigned long clone_flags, struct task *child);

/*
 * release_task_signal - drop t's references to its sighand and signal
 * (freeing them with the last one; the process's ITIMER_REAL stopped
 * then), and free its own queued signals. From task_free(); safe on a
 * task that has none. Linux's __exit_signal() and __cleanup_sighand().
 */
void release_task_signal(struct task *t);

/*
 * exit_signals - the first signal step of do_exit(): t leaves its
 * process's thread list (no signal is routed to it from now on); a
 * process-directed signal it had been chosen for goes to another thread;
 * the last thread stops ITIMER_REAL. Linux's exit_signals().
 */
void exit_signals(struct task *t);

/*
 * do_notify_parent - tell t's parent that t (a process's last task to
 * exit, wait status status) is a zombie: send it t->exit_signal with a
 * CLD_EXITED/CLD_KILLED siginfo. Returns true when the parent ignores
 * SIGCHLD (SIG_IGN, or SA_NOCLDWAIT), and t must reap itself: Linux's
 * rule, after which wait4() says ECHILD. tasks_lock held. Linux's
 * do_notify_parent().
 */
bool do_notify_parent(struct task *t, int status);

/*
 * flush_signal_handlers - execve()'s part: every handled signal back to
 * SIG_DFL (ignored ones stay ignored, the mask and pending signals stay),
 * the flags, restorers and masks cleared, the alternate stack dropped,
 * and a sighand shared without CLONE_THREAD unshared. Returns 0 or
 * -ENOMEM. Linux's unshare_sighand() + flush_signal_handlers(t, 0) +
 * the sas reset of begin_new_exec().
 */
int flush_signal_handlers(struct task *t);

/*
 * sigkill_task - make t die: SIGKILL pending, woken if it sleeps, its CPU
 * kicked if it runs user code elsewhere. Ignores masks and handlers, and
 * SIGNAL_UNKILLABLE: a kill the kernel forces (the OOM killer, execve()'s
 * de_thread(), a fatal signal spreading through a process). Any context;
 * takes t's siglock (interrupts off), so callers may hold tasks_lock.
 * Linux's sigaddset(&t->pending.signal, SIGKILL) + signal_wake_up(t, 1).
 */
void sigkill_task(struct task *t);

/*
 * do_group_exit - exit_group(2)'s body, and a fatal signal's: the first
 * thread to call it records exit_code (wait status) for the process and
 * kills the others (SIGNAL_GROUP_EXIT); later ones, and those it killed,
 * exit with the recorded code. A thread in execve()'s de_thread() is
 * spared by the threads it killed. Never returns. Linux's
 * do_group_exit().
 */
void do_group_exit(int exit_code) __attribute__((noreturn));

/*
 * send_signal_to_task - send sig with info (NULL: SI_USER from current)
 * to t's thread (group false: tkill/tgkill, a fault) or to its process
 * (group true: kill). A signal the target ignores is dropped at once
 * (unless blocked); a standard signal already pending is not queued
 * twice; a real-time one is queued up to SIGQUEUE_MAX. Returns 0, or
 * -EAGAIN (a sigqueue()d real-time signal past the limit). Any context.
 * Linux's send_signal_locked() + complete_signal().
 */
int send_signal_to_task(int sig, siginfo_t *info, struct task *t, bool group);

/*
 * force_sig_fault - a fault signal for current (sig, si_code code, si_addr
 * addr): delivered to its handler if it has one that it does not block;
 * otherwise unblocked and reset to SIG_DFL first, so that it kills (a
 * fault the program cannot get past, or a fault inside the handler of
 * the same signal). Linux's force_sig_fault() and
 * force_sig_info_to_task().
 */
void force_sig_fault(int sig, int code, unsigned long addr);

/*
 * force_sig - force_sig_fault() with si_code SI_KERNEL and no address.
 * Linux's force_sig().
 */
void force_sig(int sig);

/*
 * unhandled_signal - would sig, forced on current now, kill it (no
 * handler, or one it blocks)? For the one console line of a fatal fault.
 * Linux's unhandled_signal() (which also counts ptrace).
 */
bool unhandled_signal(int sig);

/*
 * A signal get_signal() chose for a handler: its number, siginfo and the
 * action as it was when dequeued. Linux's struct ksignal.
 */
struct ksignal {
	int sig;
	siginfo_t info;
	struct k_sigaction ka;
};

/*
 * get_signal - dequeue the next signal current should act on (thread
 * pending first, fault signals first, then the process's), carrying out
 * default actions on the way: ignore, or end the process (which never
 * returns). Returns true with *ksig filled when a handler must run,
 * false when nothing is left to do. Interrupts on. Linux's get_signal().
 */
bool get_signal(struct ksignal *ksig);

/*
 * signal_setup_done - after the handler frame is built (failed: force
 * SIGSEGV): block ka.mask and (without SA_NODEFER) the signal itself,
 * and forget a saved sigsuspend mask (the frame holds it). Linux's
 * signal_setup_done().
 */
void signal_setup_done(bool failed, struct ksignal *ksig);

/*
 * set_current_blocked - set current's blocked mask (SIGKILL and SIGSTOP
 * removed) and recompute whether a signal is pending. Linux's
 * set_current_blocked().
 */
void set_current_blocked(sigset_t *newset);

/*
 * pgrp_in_my_session - may process group pgrp be the foreground group of
 * current's terminal? 0, -ESRCH (no process has that group), -EPERM (its
 * processes are in another session). The checks of Linux's tiocspgrp().
 */
int pgrp_in_my_session(int pgrp);

/*
 * restore_saved_sigmask - put back the mask rt_sigsuspend(), ppoll() or
 * pselect6() saved, if a handler frame did not take it. Linux's
 * restore_saved_sigmask().
 */
void restore_saved_sigmask(void);

/*
 * sigmask_to_save - the mask a handler frame records: the one
 * rt_sigsuspend(), ppoll() or pselect6() saved while it is pending, else
 * the blocked mask. Linux's.
 */
sigset_t *sigmask_to_save(void);

/* on_sig_stack - is sp (bytes) on current's alternate stack? Linux's. */
bool on_sig_stack(unsigned long sp);

/*
 * sas_ss_flags - SS_ONSTACK while sp is on the alternate stack, SS_DISABLE
 * without one, else 0 (plus SS_AUTODISARM if set). Linux's.
 */
int sas_ss_flags(unsigned long sp);

/*
 * arch_do_signal_or_restart - the way back to user mode with a signal
 * pending (arch/x86_64/signal.c): deliver one (a frame on the user
 * stack) or restart the interrupted system call. Interrupts on. Linux's
 * arch_do_signal_or_restart().
 */
void arch_do_signal_or_restart(struct pt_regs *regs);

/*
 * ITIMER_REAL, for setitimer(2)/alarm(2): arm current's process timer to
 * first fire in value jiffies (0: disarm), then every incr jiffies;
 * stores the jiffies that were left (0 when disarmed) and the old
 * interval. Our own helper behind Linux's do_setitimer().
 */
void set_real_timer(u64 value, u64 incr, u64 *old_value, u64 *old_incr);

#endif
