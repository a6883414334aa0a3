/*
 * percpu.h - per-CPU data, reached through the GS segment base as in
 * Linux (arch/x86_64/percpu.c sets it up): one struct percpu per CPU,
 * each on cache lines of its own. In kernel mode GS.base points at this CPU's
 * struct percpu; in user mode the user's GS is loaded and swapgs swaps.
 */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include <kernel/cpumask.h> /* NR_CPUS */
#include <kernel/types.h>
#include <mm/fault_stats.h> /* struct fault_counters */
#include <mm/poe.h>	    /* struct poe_register, struct poe_walker_stats */

struct task;

struct percpu {
	struct percpu *self;	     /* gs:self gives the address */
	struct task *curr;	     /* the running task */
	u64 kernel_rsp;		     /* top of current's kernel stack,
				      * loaded by syscall entry */
	u64 user_rsp;		     /* user RSP saved at syscall entry */
	int cpu;		     /* this CPU's number */
	int preempt_count;	     /* > 0: no preemption on return */
	bool need_resched;	     /* set by the tick when a slice ends */
	struct poe_register poe_reg; /* this CPU's POE register */
	struct poe_walker_stats poe_walker_stats; /* the walker's counters */
	bool poe_need_refill; /* set by the walker: this CPU's table
			       * ran low or empty; the next tick or
			       * kernel entry calls poe_kick() */
	/* The interrupts-off latency tracer (kernel/irqsoff.c): the TSC
	 * when this CPU's open interrupts-off section began (0: none
	 * open), where it began, and two words the traced syscall entry
	 * saves registers in. Written by the traced entry stubs too. */
	u64 irqsoff_start;
	unsigned long irqsoff_start_ip;
	unsigned long irqsoff_scratch[2];
	struct task *idle;		    /* this CPU's idle task */
	struct fault_counters fault_events; /* faults counted on this CPU
					     * (count_fault()) */
	/* This CPU's second POE register: its huge table (2 MiB pages,
	 * mm/poe_huge.c), read by the C walker only. */
	struct poe_register poe_huge_reg;
} __attribute__((aligned(64))); /* a cache line of its own: one CPU's
				  * counting never slows another's loads */

/*
 * The offsets assembly uses (PERCPU_CURRENT, PERCPU_KERNEL_RSP, ...), from
 * the one file NASM reads too: each becomes a C constant here, checked
 * against the struct above.
 */
#define PERCPU_OFFSET(name, field, value)                                   \
	enum {                                                              \
		name = (value)                                              \
	};                                                                  \
	_Static_assert(__builtin_offsetof(struct percpu, field) == (value), \
		       "asm/percpu.inc: " #name                             \
		       " is not the offset of " #field);
#include <asm/percpu.inc>
#undef PERCPU_OFFSET

/* this_cpu - this CPU's struct percpu (one load through gs:self). */
static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__ __volatile__("movq %%gs:%c1, %0"
			     : "=r"(p)
			     : "i"(__builtin_offsetof(struct percpu, self)));
	return p;
}

/*
 * this_cpu_add - add n to the unsigned long at offset bytes into this
 * CPU's struct percpu, in one instruction through GS: a preemption or a
 * migration cannot fall between finding the CPU and the add, so no lock
 * and no interrupt masking is needed, and no other CPU writes the line.
 * Linux's this_cpu_add().
 */
static inline void this_cpu_add(unsigned long offset, unsigned long n)
{
	__asm__ __volatile__("addq %1, %%gs:(%0)"
			     :
			     : "r"(offset), "r"(n)
			     : "memory");
}

/* get_current - the running task (one load through gs:curr). */
static inline struct task *get_current(void)
{
	struct task *t;

	__asm__ __volatile__("movq %%gs:%c1, %0"
			     : "=r"(t)
			     : "i"(__builtin_offsetof(struct percpu, curr)));
	return t;
}
#define current get_current()

/* percpu_init - point GS at CPU cpu's data; call once per CPU at boot. */
void percpu_init(int cpu);

/*
 * per_cpu_area - CPU cpu's whole struct percpu (0 <= cpu < NR_CPUS; no
 * check), for code that walks every CPU. Ours: Linux has no one per-CPU
 * structure, and its per_cpu_ptr(ptr, cpu) takes a per-CPU variable as
 * well as the CPU; this_cpu() is the same for the running CPU.
 */
struct percpu *per_cpu_area(int cpu);

#endif
