/*
 * signal_types.h - the signal data a struct task holds (sigset_t, the
 * pending queues, the restart block), apart from include/kernel/signal.h
 * so that include/kernel/sched.h can embed them. Linux's
 * include/linux/signal_types.h.
 */
#ifndef KERNEL_SIGNAL_TYPES_H
#define KERNEL_SIGNAL_TYPES_H

#include <kernel/list.h>
#include <kernel/types.h>
#include <uapi/asm/siginfo.h>
#include <uapi/asm/signal.h>

typedef __kernel_sigset_t sigset_t;

/*
 * A set of pending signals: signal has bit sig - 1 set for each signal
 * pending, list one struct sigqueue per queued siginfo (a standard signal
 * has at most one, a real-time signal one per send). Linux's struct
 * sigpending.
 */
struct sigpending {
	struct list_head list;
	sigset_t signal;
};

/* One queued signal with its siginfo. Linux's struct sigqueue. */
struct sigqueue {
	struct list_head list;
	siginfo_t info;
};

/*
 * What restart_syscall(2) runs after a call returned
 * -ERESTART_RESTARTBLOCK and no handler ran: fn(rb), with the state the
 * call left: nanosleep and poll (end: the deadline, ns on the
 * monotonic clock). Linux's struct restart_block.
 */
struct restart_block {
	long (*fn)(struct restart_block *rb);
	u64 end;
	void *rem; /* user address of the time left, or NULL */
	/* poll(2)'s (fs/select.c, do_restart_poll()): the array, its
	 * length and whether end is a deadline (else none). Linux's
	 * restart_block.poll. */
	void *ufds;
	unsigned int nfds;
	bool has_timeout;
};

#endif
