/*
 * traps.c - where every interrupt and exception lands (do_trap, called by
 * trap_common in trap_entry.asm). Page faults go to do_page_fault()
 * (arch/x86_64/fault.c), the timer to timer_interrupt() (kernel/time.c),
 * the two IPIs to arch/x86_64/smp.c; an exception the kernel does not
 * expect is reported by die() and panics.
 */
#include <kernel/printk.h>
#include <kernel/panic.h>
#include <asm/irqflags.h>
#include <asm/processor-flags.h>
#include <kernel/time.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <mm/kstack.h>
#include <kernel/extable.h>
#include <asm/cpu.h>
#include <asm/apic.h>
#include <asm/smp.h>
#include <asm/trap_pf.h>
#include <asm/traps.h>

static const char *const exception_names[32] = {
	"#DE Divide Error",
	"#DB Debug",
	"NMI Interrupt",
	"#BP Breakpoint",
	"#OF Overflow",
	"#BR BOUND Range Exceeded",
	"#UD Invalid Opcode",
	"#NM Device Not Available",
	"#DF Double Fault",
	"Coprocessor Segment Overrun",
	"#TS Invalid TSS",
	"#NP Segment Not Present",
	"#SS Stack-Segment Fault",
	"#GP General Protection",
	"#PF Page Fault",
	"Reserved (15)",
	"#MF x87 Floating-Point Error",
	"#AC Alignment Check",
	"#MC Machine Check",
	"#XM SIMD Floating-Point",
	"#VE Virtualization",
	"#CP Control Protection",
	"Reserved (22)",
	"Reserved (23)",
	"Reserved (24)",
	"Reserved (25)",
	"Reserved (26)",
	"Reserved (27)",
	"#HV Hypervisor Injection",
	"#VC VMM Communication",
	"#SX Security",
	"Reserved (31)",
};

const char *trap_name(unsigned long vector)
{
	return vector < 32 ? exception_names[vector] : "interrupt";
}

void show_regs(const struct pt_regs *r)
{
	printk(KERN_EMERG "RIP: %04lx:%016lx %pS\n", r->cs, r->rip,
	       (void *)r->rip);
	printk(KERN_EMERG "RSP: %04lx:%016lx RFLAGS: %08lx\n", r->ss, r->rsp,
	       r->rflags);
	printk(KERN_EMERG "RAX: %016lx RBX: %016lx RCX: %016lx\n", r->rax,
	       r->rbx, r->rcx);
	printk(KERN_EMERG "RDX: %016lx RSI: %016lx RDI: %016lx\n", r->rdx,
	       r->rsi, r->rdi);
	printk(KERN_EMERG "RBP: %016lx R08: %016lx R09: %016lx\n", r->rbp,
	       r->r8, r->r9);
	printk(KERN_EMERG "R10: %016lx R11: %016lx R12: %016lx\n", r->r10,
	       r->r11, r->r12);
	printk(KERN_EMERG "R13: %016lx R14: %016lx R15: %016lx\n", r->r13,
	       r->r14, r->r15);
	printk(KERN_EMERG "CR2: %016lx CR3: %016lx\n", read_cr2(), read_cr3());
}

void die(const char *why, struct pt_regs *regs)
{
	oops_begin();
	printk(KERN_EMERG "Oops: %s (vector %lu) error 0x%lx: %s\n",
	       trap_name(regs->vector), regs->vector, regs->error_code, why);
	show_regs(regs);
	show_trace(regs->rip, regs->rbp);
	panic("%s in kernel mode", trap_name(regs->vector));
}

/*
 * The signal a user-mode exception raises, its si_code and si_addr, as
 * Linux's exc_* handlers (arch/x86/kernel/traps.c) give them.
 */
static int trap_signal(const struct pt_regs *regs, int *code,
		       unsigned long *addr)
{
	*code = SI_KERNEL;
	*addr = 0;
	switch (regs->vector) {
	case 0: /* #DE */
		*code = FPE_INTDIV;
		*addr = regs->rip;
		return SIGFPE;
	case 16: /* #MF, #XM: Linux decodes the FPU status; we do not */
	case 19:
		*addr = regs->rip;
		return SIGFPE;
	case 6: /* #UD */
		*code = ILL_ILLOPN;
		*addr = regs->rip;
		return SIGILL;
	case 1: /* #DB */
		*code = TRAP_TRACE;
		return SIGTRAP;
	case 3: /* #BP: int3, Linux's force_sig(SIGTRAP) */
		return SIGTRAP;
	case 17: /* #AC */
		*code = BUS_ADRALN;
		return SIGBUS;
	default: /* #GP, #SS, #NP, ...: Linux's SI_KERNEL, address 0 */
		return SIGSEGV;
	}
}

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGILL:
		return "SIGILL";
	case SIGFPE:
		return "SIGFPE";
	case SIGSEGV:
		return "SIGSEGV";
	case SIGTRAP:
		return "SIGTRAP";
	case SIGBUS:
		return "SIGBUS";
	default:
		return "signal";
	}
}

void user_fault_signal(struct pt_regs *regs, int sig, int code,
		       unsigned long addr, const char *what)
{
	if (unhandled_signal(sig))
		printk(KERN_ERR "pid %d (%s): %s at rip 0x%lx: %s; killed\n",
		       current->pid, current->comm, signal_name(sig), regs->rip,
		       what ? what : "fault");
	force_sig_fault(sig, code, addr);
}

void do_trap(struct pt_regs *regs)
{
	unsigned long v = regs->vector;

	if (v == X86_TRAP_PF) {
		do_page_fault(regs, regs->error_code, read_cr2());
	} else if (v == TIMER_VECTOR) {
		apic_timer_irqs[this_cpu()->cpu]++;
		timer_interrupt(regs);
		lapic_eoi();
		preempt_check(regs);
	} else if (v == RESCHEDULE_VECTOR) {
		smp_reschedule_interrupt();
		lapic_eoi();
		preempt_check(regs);
	} else if (v == CALL_FUNCTION_VECTOR) {
		smp_call_function_interrupt();
	} else if (v == SPURIOUS_VECTOR || v == IRQ_BASE + 7 ||
		   v == IRQ_BASE + 15) {
		/* spurious LAPIC or (masked) PIC interrupt: no EOI */
	} else if (v >= IRQ_BASE) {
		pr_warn("traps: unexpected interrupt, vector %lu\n", v);
		lapic_eoi();
	} else if (user_mode(regs)) {
		char what[64];

		unsigned long addr;
		int sig, code;

		snprintf(what, sizeof(what), "%s, error 0x%lx", trap_name(v),
			 regs->error_code);
		sig = trap_signal(regs, &code, &addr);
		user_fault_signal(regs, sig, code, addr, what);
	} else if (!fixup_exception(regs)) {
		/* A kernel fault with no fixup (copy_from_user has one). */
		if (v == 8 && kstack_guard_hit(read_cr2()))
			die("kernel stack overflow (guard page hit)", regs);
		die("unexpected exception", regs);
	}
	if (user_mode(regs))
		exit_to_user_mode(regs);
	else if (unlikely(irqsoff_tracing) && (regs->rflags & X86_EFLAGS_IF))
		trace_hardirqs_on(); /* the iretq turns them back on */
}
