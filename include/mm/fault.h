/*
 * fault.h - the full page-fault handler (mm/fault.c).
 */
#ifndef MM_FAULT_H
#define MM_FAULT_H

#include <asm/ptrace.h>

/* The #PF error code bits the CPU pushes (Intel SDM vol. 3, 4.7). */
#define X86_PF_PROT	(1UL << 0)	/* 0: not present, 1: protection */
#define X86_PF_WRITE	(1UL << 1)	/* 0: read, 1: write */
#define X86_PF_USER	(1UL << 2)	/* 0: kernel mode, 1: user mode */
#define X86_PF_RSVD	(1UL << 3)	/* a reserved bit was set in a PTE */
#define X86_PF_INSTR	(1UL << 4)	/* instruction fetch */

/*
 * do_page_fault - handle a #PF. error_code is the CPU's, address is CR2.
 * Today: a kernel fault with an exception-table entry resumes at its
 * fixup; any other fault is reported with its decoded error code and
 * panics. Demand paging arrives with the mm issue. Mirrors Linux's
 * exc_page_fault() -> do_user_addr_fault()/do_kern_addr_fault().
 */
void do_page_fault(struct pt_regs *regs, unsigned long error_code,
		   unsigned long address);

/*
 * pf_decode - "[P=0 W=1 U=0 RSVD=0 I/D=0] not-present write in kernel mode"
 * into buf (size bytes). Returns buf.
 */
char *pf_decode(unsigned long error_code, char *buf, size_t size);

#endif
