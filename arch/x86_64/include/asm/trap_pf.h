/*
 * trap_pf.h - the page-fault (#PF) error code the CPU pushes (Intel SDM
 * vol. 3, 4.7), as Linux's <asm/trap_pf.h>, and the entry points of the
 * x86 page-fault handler (arch/x86_64/fault.c). Only arch code reads the
 * error code: it turns it into FAULT_FLAG_* (include/mm/fault.h) for the
 * generic handler.
 */
#ifndef ASM_TRAP_PF_H
#define ASM_TRAP_PF_H

#include <kernel/types.h>
#include <asm/ptrace.h>

struct mm_struct;

/* The #PF error code bits (Linux's enum x86_pf_error_code). */
enum x86_pf_error_code {
	X86_PF_PROT = 1 << 0,  /* 0: not present, 1: protection */
	X86_PF_WRITE = 1 << 1, /* 0: read, 1: write */
	X86_PF_USER = 1 << 2,  /* 0: kernel mode, 1: user mode */
	X86_PF_RSVD = 1 << 3,  /* a reserved bit was set in an entry */
	X86_PF_INSTR = 1 << 4, /* instruction fetch */
};

/*
 * do_page_fault - handle a #PF: error_code is the CPU's, address is CR2.
 * Called by do_trap() (arch/x86_64/traps.c) with interrupts off; turns
 * them on for a user address when the faulting code had them on (and
 * off again before it returns), so the fault may sleep on mmap_lock. A
 * user address is handled as by handle_user_addr_fault(); what that
 * cannot resolve kills a user process (SIGSEGV) or takes a kernel
 * user-copy's fixup (-EFAULT); any other kernel fault oopses. Linux's exc_page_fault() ->
 * handle_page_fault() -> do_user_addr_fault() / do_kern_addr_fault().
 */
void do_page_fault(struct pt_regs *regs, unsigned long error_code,
		   unsigned long address);

/*
 * handle_user_addr_fault - the part of a user-address fault that does not
 * depend on who faulted: takes mm->mmap_lock for reading (sleeping if a
 * writer holds it; for writing while it grows a VM_GROWSDOWN stack down
 * to address), finds the VMA, checks the access against its vm_flags,
 * and calls handle_mm_fault() with the error code as FAULT_FLAG_*.
 * error_code as the CPU's (X86_PF_*), address in bytes below USER_TOP.
 * Returns 0 when the access may be retried (after a userfault slept,
 * fs/userfaultfd.c, the page may still be missing), -EFAULT when
 * nothing allows it (counted as FAULT_SEGV; the caller kills or fixes
 * up), -ENOMEM when a page or page table could not be allocated. This is
 * the body of Linux's do_user_addr_fault() before it signals; the ktests
 * call it to drive faults on an mm that is not current. May sleep: call
 * it only from a task that may.
 */
int handle_user_addr_fault(struct mm_struct *mm, unsigned long error_code,
			   unsigned long address);

#endif
