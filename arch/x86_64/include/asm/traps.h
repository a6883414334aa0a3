/*
 * traps.h - exception and interrupt dispatch (arch/x86_64/traps.c) and
 * kernel backtraces (arch/x86_64/stacktrace.c).
 */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <kernel/compiler.h>
#include <asm/ptrace.h>

#define X86_TRAP_PF	14
#define IRQ_BASE	32 /* first vector after the exceptions */
#define TIMER_VECTOR	32 /* the LAPIC timer */
#define SPURIOUS_VECTOR 255

/*
 * The entry stubs in arch/x86_64/trap_entry.asm that idt_init() points
 * the gates at: one per vector 0..47, the spurious vector's, the two IPI
 * vectors' (asm/smp.h), and the POE null trap's (a bare iretq).
 */
extern const u64 trap_stub_table[48];
extern const u64 trap_stub_spurious;
extern const u64 trap_stub_reschedule, trap_stub_call_function;
extern char poe_null_trap[];

/*
 * idt_use_irqsoff_stubs - point the gates of the traced vectors (all the
 * stubs above but the NMI's, the double fault's and the null trap's) at
 * their traced copies (irqsoff_stub_N, trap_entry.asm), which stamp the
 * start of an interrupts-off section when the interrupted code had IF on
 * and go on into the plain stub. For irqsoff_init() (kernel/irqsoff.c),
 * before other CPUs start.
 */
void idt_use_irqsoff_stubs(void);

/*
 * poe_walker_use_irqsoff - make the #PF stub run the traced copy of the
 * assembly POE walker (poe_walk_asm_trap_irqsoff, poe_walk.asm), whose
 * hit ends the interrupts-off section before its iretq, if the assembly
 * walker is the one chosen (poe.walker=). The C walker's glue
 * (poe_walk_c_trap) tests irqsoff_tracing itself. For irqsoff_init().
 */
void poe_walker_use_irqsoff(void);

/* do_trap - called by trap_common for every vector, interrupts off. */
void do_trap(struct pt_regs *regs);

/* trap_name - "#PF Page Fault" etc. for an exception vector (0..31). */
const char *trap_name(unsigned long vector);

/* show_regs - print all registers of a frame, plus CR2 and CR3. */
void show_regs(const struct pt_regs *regs);

/*
 * die - report an exception the kernel cannot handle: vector name, error
 * code, registers, a symbolized backtrace, then panic(). Never returns.
 * Like Linux's die()/oops.
 */
void die(const char *why, struct pt_regs *regs) __noreturn;

/*
 * show_trace - print "Call Trace:" and one line per frame, starting with
 * rip and following the frame-pointer chain from rbp. Stops at a zero
 * frame pointer, at a frame that does not move up the stack, at a return
 * address outside kernel text, or after 32 frames.
 */
void show_trace(unsigned long rip, unsigned long rbp);

/*
 * user_fault_signal - a user-mode fault: force_sig_fault(sig, code,
 * addr) (kernel/signal.c), which a handler may catch; when it will kill
 * instead (no handler, or the signal blocked), first report it in one
 * console line: pid, name, signal, RIP and `what`, ending "; killed".
 * what may be NULL ("fault" is printed): a caller that formats it only
 * when unhandled_signal(sig) says it will be printed, as bad_area()
 * does, passes NULL otherwise (a handler may be installed between the
 * two checks).
 * Our own; Linux prints a similar line (show_signal_msg()) under
 * debug.show_unhandled_signals.
 */
void user_fault_signal(struct pt_regs *regs, int sig, int code,
		       unsigned long addr, const char *what);

/*
 * ret_to_user - leave for user mode with the register frame regs (the top
 * of the current task's kernel stack): pops it and iretq's
 * (trap_entry.asm). Interrupts must be off. Never returns.
 */
void ret_to_user(struct pt_regs *regs) __noreturn;

/* dump_stack - show_trace() from the caller. */
void dump_stack(void);

#endif
