/*
 * percpu.h - per-CPU data, reached through the GS segment base as in
 * Linux (arch/x86_64/percpu.c sets it up). The kernel is uniprocessor for
 * now, but everything that is per CPU lives here, so that SMP later
 * changes no call site. In kernel mode GS.base points at this CPU's
 * struct percpu; in user mode the user's GS is loaded and swapgs swaps.
 */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include <kernel/types.h>
#include <mm/poe.h>		/* struct poe_register, struct poe_walker_stats */

struct task;

struct percpu {
	struct percpu *self;		/* offset 0: gs:0 gives the address */
	struct task *curr;		/* offset 8: the running task */
	u64 kernel_rsp;			/* offset 16: top of current's kernel
					 * stack, loaded by syscall entry */
	u64 user_rsp;			/* offset 24: user RSP saved at syscall */
	int cpu;			/* this CPU's number */
	int preempt_count;		/* > 0: no preemption on return */
	bool need_resched;		/* set by the tick when a slice ends */
	struct poe_register poe_reg;	/* this CPU's POE register */
	struct poe_walker_stats poe_walker_stats; /* the walker's counters */
	bool poe_need_refill;		/* set by the walker: this CPU's table
					 * ran low or empty; the next tick or
					 * kernel entry calls poe_kick() */
	struct task *idle;		/* this CPU's idle task */
};

/* Offsets used by assembly (arch/x86_64/syscall_entry.asm). */
#define PERCPU_CURRENT		8
#define PERCPU_KERNEL_RSP	16
#define PERCPU_USER_RSP		24
#define PERCPU_POE_ENABLE	60	/* poe_reg.enable: the #PF stub */

#define NR_CPUS	1

/* this_cpu - this CPU's struct percpu (one load through gs:0). */
static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(p));
	return p;
}

/* get_current - the running task (one load through gs:8). */
static inline struct task *get_current(void)
{
	struct task *t;

	__asm__ __volatile__("movq %%gs:8, %0" : "=r"(t));
	return t;
}
#define current get_current()

/* percpu_init - point GS at CPU cpu's data; call once per CPU at boot. */
void percpu_init(int cpu);

/* per_cpu_ptr - CPU cpu's data, for code that walks every CPU. */
struct percpu *per_cpu_ptr(int cpu);

#endif
