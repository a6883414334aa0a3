/*
 * smp.h - what the rest of the kernel asks of the other CPUs, as Linux's
 * <linux/smp.h>: run a function on some CPUs (cross-CPU function calls,
 * carried by an IPI), and kick a CPU into its scheduler (the reschedule
 * IPI). Implemented in arch/x86_64/smp.c; CPU bring-up is
 * arch/x86_64/smpboot.c.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <kernel/cpumask.h>
#include <kernel/percpu.h>

typedef void (*smp_call_func_t)(void *info);

/* smp_processor_id - the number of the CPU this runs on (0 = the boot
 * CPU). Only stable while preemption or interrupts are off. Linux's. */
static inline int smp_processor_id(void)
{
	int cpu;

	__asm__ __volatile__("movl %%gs:%c1, %0"
			     : "=r"(cpu)
			     : "i"(__builtin_offsetof(struct percpu, cpu)));
	return cpu;
}

/*
 * smp_init - find the CPUs (ACPI MADT), start every other one and wait
 * until each is online or has failed to start; prints "smp: N CPUs
 * online". The boot CPU calls it once, after the scheduler and the tick
 * are up. Linux's smp_init().
 */
void smp_init(void);

/*
 * smp_send_reschedule - make cpu enter its scheduler soon: an IPI whose
 * handler sets need_resched, acted on at the interrupt's return. Does
 * nothing for an offline CPU. Linux's smp_send_reschedule().
 */
void smp_send_reschedule(int cpu);

/*
 * smp_call_function_many - run func(info) on every online CPU in *mask
 * other than this one, in interrupt context (interrupts off there). With
 * wait, return only when every one has finished. The caller must have
 * interrupts on (a CPU spinning with interrupts off could never answer
 * another's call), and func must not sleep. Linux's
 * smp_call_function_many().
 */
void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func,
			    void *info, bool wait);

/*
 * smp_call_function_single - run func(info) on cpu (this one included,
 * then directly with interrupts off); with wait, return when it is done.
 * Returns 0, or -ENXIO if cpu is offline. Linux's.
 */
int smp_call_function_single(int cpu, smp_call_func_t func, void *info,
			     bool wait);

/*
 * on_each_cpu - run func(info) on every online CPU, this one included
 * (here with interrupts off). Linux's on_each_cpu().
 */
void on_each_cpu(smp_call_func_t func, void *info, bool wait);

#endif
