/*
 * fault.h - the full page-fault handler (mm/fault.c).
 */
#ifndef MM_FAULT_H
#define MM_FAULT_H

#include <kernel/types.h>
#include <asm/ptrace.h>

struct mm_struct;

/* The #PF error code bits the CPU pushes (Intel SDM vol. 3, 4.7). */
#define X86_PF_PROT	(1UL << 0)	/* 0: not present, 1: protection */
#define X86_PF_WRITE	(1UL << 1)	/* 0: read, 1: write */
#define X86_PF_USER	(1UL << 2)	/* 0: kernel mode, 1: user mode */
#define X86_PF_RSVD	(1UL << 3)	/* a reserved bit was set in a PTE */
#define X86_PF_INSTR	(1UL << 4)	/* instruction fetch */

/*
 * do_page_fault - handle a #PF. error_code is the CPU's, address is CR2.
 * A user address goes to handle_mm_fault(); what it cannot resolve kills
 * a user process (SIGSEGV) or takes a kernel user-copy's fixup (-EFAULT);
 * any other kernel fault oopses. Mirrors Linux's exc_page_fault() ->
 * do_user_addr_fault()/do_kern_addr_fault().
 */
void do_page_fault(struct pt_regs *regs, unsigned long error_code,
		   unsigned long address);

/*
 * handle_mm_fault - resolve a fault at user address addr in mm (error_code
 * bits as the CPU's). Returns 0 when the access may be retried, -EFAULT
 * when no VMA allows it (the caller kills or fixes up), -ENOMEM when a page
 * or page table could not be allocated. Linux's handle_mm_fault().
 */
int handle_mm_fault(struct mm_struct *mm, unsigned long addr, unsigned long error_code);
/* __handle_mm_fault - the same, for a caller that holds mm->lock. */
int __handle_mm_fault(struct mm_struct *mm, unsigned long addr, unsigned long error_code);

/* vm_page_prot - the PTE rights of a VMA's pages (0 for PROT_NONE). */
u64 vm_page_prot(unsigned long vm_flags);

/*
 * pf_decode - "[P=0 W=1 U=0 RSVD=0 I/D=0] not-present write in kernel mode"
 * into buf (size bytes). Returns buf.
 */
char *pf_decode(unsigned long error_code, char *buf, size_t size);

#endif
