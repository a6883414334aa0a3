/*
 * idt.c - the Interrupt Descriptor Table. Every vector the kernel knows
 * (exceptions 0..31, the legacy PIC range 32..47 which the LAPIC timer
 * shares at 32, the IPIs 0xfc and 0xfd (asm/smp.h) and the LAPIC spurious
 * vector 255) points at a stub in
 * arch/x86_64/trap_entry.asm; all stubs end in do_trap() (traps.c),
 * except the POE null trap (0x81), whose stub is a bare iretq.
 */
#include <kernel/compiler.h>
#include <asm/desc.h>
#include <asm/smp.h>
#include <asm/traps.h>
#include <poe.h>

struct idt_gate {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_high;
	u32 zero;
} __packed;

#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate */
#define GATE_DPL3      0x60 /* `int n` allowed from user mode */

static struct idt_gate idt[256] __aligned(16);

struct idt_ptr {
	u16 limit;
	u64 base;
} __packed;

static void set_gate(int vec, u64 handler, u8 ist)
{
	idt[vec].offset_low = handler & 0xffff;
	idt[vec].selector = __KERNEL_CS;
	idt[vec].ist = ist;
	idt[vec].type_attr = GATE_INTERRUPT;
	idt[vec].offset_mid = (handler >> 16) & 0xffff;
	idt[vec].offset_high = handler >> 32;
	idt[vec].zero = 0;
}

void idt_load(void)
{
	struct idt_ptr p = { sizeof(idt) - 1, (u64)idt };

	__asm__ __volatile__("lidt %0" : : "m"(p));
}

void idt_init(void)
{
	for (int v = 0; v < 48; v++)
		set_gate(v, trap_stub_table[v], 0);
	set_gate(8, trap_stub_table[8], IST_DOUBLE_FAULT);
	set_gate(2, trap_stub_table[2], IST_NMI);
	set_gate(255, trap_stub_spurious, 0);
	set_gate(RESCHEDULE_VECTOR, trap_stub_reschedule, 0);
	set_gate(CALL_FUNCTION_VECTOR, trap_stub_call_function, 0);
	set_gate(POE_NULL_TRAP_VECTOR, (u64)poe_null_trap, 0);
	idt[POE_NULL_TRAP_VECTOR].type_attr |= GATE_DPL3;
	/* int3 from user mode is a #BP (SIGTRAP), not a #GP: Linux's
	 * SYSG(X86_TRAP_BP) in arch/x86/kernel/idt.c. */
	idt[3].type_attr |= GATE_DPL3;
	idt_load();
}

/* The traced copies of the stubs (trap_entry.asm), for irqsoff.trace=1. */
extern const u64 irqsoff_stub_table[48];
extern const u64 irqsoff_stub_spurious;
extern const u64 irqsoff_stub_reschedule, irqsoff_stub_call_function;

void idt_use_irqsoff_stubs(void)
{
	/* Not the NMI's and the double fault's: on their own stacks (IST),
	 * taken whatever IF says, and not sections of ours. */
	for (int v = 0; v < 48; v++)
		if (v != 2 && v != 8)
			set_gate(v, irqsoff_stub_table[v], 0);
	idt[3].type_attr |= GATE_DPL3; /* as idt_init() */
	set_gate(255, irqsoff_stub_spurious, 0);
	set_gate(RESCHEDULE_VECTOR, irqsoff_stub_reschedule, 0);
	set_gate(CALL_FUNCTION_VECTOR, irqsoff_stub_call_function, 0);
	idt_load();
}
