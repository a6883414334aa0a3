/*
 * processor-flags.h - RFLAGS bits (Intel SDM vol. 1, 3.4.3), with Linux's
 * X86_EFLAGS_* names. Used by the syscall entry's mask (kernel/syscall.c),
 * the first RFLAGS of user tasks (kernel/exec.c) and new kernel stacks.
 * The one stub that needs a bit in NASM (switch.asm: FIXED) writes its
 * value with this header's name beside it.
 */
#ifndef ASM_PROCESSOR_FLAGS_H
#define ASM_PROCESSOR_FLAGS_H

#define X86_EFLAGS_CF	 0x00000001 /* carry */
#define X86_EFLAGS_FIXED 0x00000002 /* bit 1: always set */
#define X86_EFLAGS_PF	 0x00000004 /* parity */
#define X86_EFLAGS_AF	 0x00000010 /* auxiliary carry */
#define X86_EFLAGS_ZF	 0x00000040 /* zero */
#define X86_EFLAGS_SF	 0x00000080 /* sign */
#define X86_EFLAGS_TF	 0x00000100 /* trap (single step) */
#define X86_EFLAGS_IF	 0x00000200 /* interrupts enabled */
#define X86_EFLAGS_DF	 0x00000400 /* string direction */
#define X86_EFLAGS_OF	 0x00000800 /* overflow */
#define X86_EFLAGS_IOPL	 0x00003000 /* I/O privilege level (2 bits) */
#define X86_EFLAGS_NT	 0x00004000 /* nested task: iretq #GPs in 64-bit mode */
#define X86_EFLAGS_RF	 0x00010000 /* resume */
#define X86_EFLAGS_AC	 0x00040000 /* alignment check; SMAP override */
#define X86_EFLAGS_ID	 0x00200000 /* CPUID available */

#endif
