/*
 * irqflags.h - save, disable and restore the interrupt flag (RFLAGS.IF),
 * as in Linux's <asm/irqflags.h> and <linux/irqflags.h>. Used by
 * spinlocks.
 *
 * Every change of IF made here goes through the interrupts-off latency
 * tracer (kernel/irqsoff.c, include/kernel/irqsoff.h) when it is on
 * (irqsoff.trace=1): trace_hardirqs_off() just after IF goes from 1 to
 * 0, trace_hardirqs_on() just before it goes from 0 to 1, as Linux's
 * local_irq_*() call its trace_hardirqs_*() (CONFIG_TRACE_IRQFLAGS).
 * When the tracer is off each costs one test of irqsoff_tracing.
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <asm/processor-flags.h> /* X86_EFLAGS_IF */

/* The tracer's switch and hooks (kernel/irqsoff.c). */
extern _Bool irqsoff_tracing;
void trace_hardirqs_on(void);
void trace_hardirqs_off(void);

static inline unsigned long arch_local_save_flags(void)
{
	unsigned long flags;
	__asm__ __volatile__("pushfq; popq %0" : "=r"(flags) : : "memory");
	return flags;
}

static inline void arch_local_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline void arch_local_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();
	arch_local_irq_disable();
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		arch_local_irq_enable();
}

/*
 * The traced forms. A section starts only where IF really goes from 1
 * to 0 (a disable with interrupts already off is no new section), and
 * ends where it goes back to 1. Always inlined: the hooks record their
 * return address, which must lie in the function that turned
 * interrupts off or on, not in an out-of-line copy of these helpers.
 */
#define __irqflags_inline inline __attribute__((always_inline))
static __irqflags_inline unsigned long local_irq_save_traced(void)
{
	unsigned long flags = arch_local_irq_save();

	if (__builtin_expect(irqsoff_tracing, 0) && (flags & X86_EFLAGS_IF))
		trace_hardirqs_off();
	return flags;
}

static __irqflags_inline void local_irq_restore_traced(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF) {
		if (__builtin_expect(irqsoff_tracing, 0))
			trace_hardirqs_on();
		arch_local_irq_enable();
	}
}

static __irqflags_inline void local_irq_disable_traced(void)
{
	if (__builtin_expect(irqsoff_tracing, 0)) {
		if (arch_local_irq_save() & X86_EFLAGS_IF)
			trace_hardirqs_off();
	} else {
		arch_local_irq_disable();
	}
}

static __irqflags_inline void local_irq_enable_traced(void)
{
	if (__builtin_expect(irqsoff_tracing, 0))
		trace_hardirqs_on();
	arch_local_irq_enable();
}

/*
 * safe_halt - turn interrupts on and halt until the next one, with no
 * window between the two (sti takes effect after the next instruction,
 * so an interrupt cannot slip in before the hlt and be lost). Linux's
 * safe_halt(), which also calls trace_hardirqs_on() first.
 */
static __irqflags_inline void safe_halt(void)
{
	if (__builtin_expect(irqsoff_tracing, 0))
		trace_hardirqs_on();
	__asm__ __volatile__("sti; hlt" ::: "memory");
}

#define local_irq_save(f)    ((f) = local_irq_save_traced())
#define local_irq_restore(f) local_irq_restore_traced(f)
#define local_irq_disable()  local_irq_disable_traced()
#define local_irq_enable()   local_irq_enable_traced()

#endif
