/*
 * irqsoff.h - the interrupts-off latency tracer (kernel/irqsoff.c), after
 * Linux's irqsoff tracer (kernel/trace/trace_irqsoff.c,
 * CONFIG_IRQSOFF_TRACER): for each CPU, the longest stretch the kernel
 * ran with RFLAGS.IF clear, in TSC ticks, and where it began and ended.
 * Linux keeps the longest in tracing_max_latency; user programs read ours
 * with the private call irqsoff_stats (include/uapi/private.h).
 *
 * A section begins where IF goes from 1 to 0: at a local_irq_disable() or
 * local_irq_save() (spin_lock_irqsave() included) that found it on
 * (asm/irqflags.h), and at the entry of an interrupt, exception or
 * system call taken with it on (the traced entry stubs of
 * arch/x86_64/trap_entry.asm and syscall_entry.asm). It ends where IF
 * goes back to 1: local_irq_enable(), a local_irq_restore() of saved
 * flags with IF set, safe_halt(), the return to user mode
 * (exit_to_user_mode()), the return from an interrupt to kernel code that
 * had IF on (do_trap()), and the POE walker's iretq on a hit. The hooks
 * are trace_hardirqs_off() and trace_hardirqs_on(), declared in
 * asm/irqflags.h.
 *
 * Off by default; `irqsoff.trace=1` on the command line turns it on for
 * the whole boot. Off, each hook point costs one test of irqsoff_tracing
 * (the entry stubs and the POE walker nothing: the traced copies are
 * installed only when it is on). docs/concurrency.md has the rules.
 */
#ifndef KERNEL_IRQSOFF_H
#define KERNEL_IRQSOFF_H

#include <kernel/types.h>
#include <asm/irqflags.h>

/* One CPU's longest section since its record was last reset. */
struct irqsoff_record {
	u64 ticks;		/* its length, TSC ticks */
	unsigned long start_ip; /* kernel address where IF went to 0 */
	unsigned long end_ip;	/* kernel address where it went back to 1 */
	int pid;		/* the task running at its end (0: idle) */
	unsigned long sections; /* sections measured on this CPU */
};

/*
 * irqsoff_init - turn the tracer on for the whole boot if the command
 * line asked for it (irqsoff.trace=1): install the traced entry stubs in
 * the IDT, make the #PF stub run the traced copy of the assembly POE
 * walker, and set irqsoff_tracing, which makes syscall_init() point
 * MSR_LSTAR at the traced syscall entry on every CPU. Call once on the
 * boot CPU, after parse_cmdline(), idt_init() and percpu_init(0), before
 * syscall_init() and before any other CPU starts. Ours: Linux switches
 * its tracer on at run time through tracefs.
 */
void irqsoff_init(void);

/*
 * irqsoff_set_tracing - switch the C hooks on or off at run time, for
 * the ktests (the entry stubs stay as irqsoff_init() left them). Turning
 * it on forgets every CPU's open section first, so that none begun
 * before is measured. Returns the previous setting.
 */
bool irqsoff_set_tracing(bool on);

/*
 * irqsoff_read - copy CPU cpu's record (0 <= cpu < NR_CPUS) into *r.
 * Read while that CPU may record: the fields may come from two sections.
 */
void irqsoff_read(int cpu, struct irqsoff_record *r);

/*
 * irqsoff_reset - forget CPU cpu's record (Linux: writing 0 to
 * tracing_max_latency, for one CPU). Its section counter too.
 */
void irqsoff_reset(int cpu);

/*
 * irqsoff_symbolize - write ip as "function+0xoff" (or 0x and 16 hex
 * digits outside kernel text) into buf, NUL-terminated, cut to size
 * bytes. Returns buf.
 */
char *irqsoff_symbolize(unsigned long ip, char *buf, size_t size);

#endif
