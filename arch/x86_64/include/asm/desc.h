/*
 * desc.h - segment selectors, the GDT with its TSS (arch/x86_64/gdt.c) and
 * the IDT (arch/x86_64/idt.c). Selector values are laid out for
 * syscall/sysret (STAR): kernel code, kernel data, then the slot sysret
 * counts from (__USER32_CS; left empty, see gdt.c), user data, user code64.
 */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <kernel/types.h>

#define __KERNEL_CS 0x08
#define __KERNEL_DS 0x10
#define __USER32_CS 0x1b
#define __USER_DS   0x23
#define __USER_CS   0x2b
#define GDT_TSS_SEL 0x30

#define IST_DOUBLE_FAULT 1 /* TSS IST slot for #DF: a known-good stack */
#define IST_NMI		 2

/* gdt_init - fill the boot CPU's GDT and TSS (with its static IST
 * stacks) and load them. Call once, on the boot CPU, before percpu_init. */
void gdt_init(void);

/*
 * gdt_prepare_cpu - fill secondary CPU cpu's GDT and TSS, with IST stacks
 * from kstack_alloc(). Called by the boot CPU before it starts cpu.
 * Returns 0, or -ENOMEM. Linux's IST stacks come from
 * cpu_init_exception_handling(); ours are made before the CPU runs, so
 * that it allocates nothing itself.
 */
int gdt_prepare_cpu(int cpu);

/* gdt_load_cpu - load CPU cpu's GDT, the kernel segments and its TSS on
 * the CPU that calls it (which must be cpu). Linux's switch_to_new_gdt()
 * plus load_TR_desc(). */
void gdt_load_cpu(int cpu);

/* tss_set_rsp0 - the stack this CPU switches to on a ring 3 -> 0 trap,
 * written into this CPU's TSS. Needs GS (percpu_init) set up. */
void tss_set_rsp0(u64 rsp0);

/* idt_init - install every exception and IRQ stub and load the IDT (the
 * one IDT all CPUs share). Boot CPU, once. */
void idt_init(void);

/* idt_load - load the shared IDT on this CPU (a secondary CPU; the boot
 * CPU's idt_init() loads it). Linux's load_current_idt(). */
void idt_load(void);

#endif
