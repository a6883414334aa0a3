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

/* gdt_init - load the kernel GDT and the TSS (with IST stacks). */
void gdt_init(void);

/* tss_set_rsp0 - the stack the CPU switches to on a ring 3 -> 0 trap. */
void tss_set_rsp0(u64 rsp0);

/* idt_init - install every exception and IRQ stub and load the IDT. */
void idt_init(void);

#endif
