/*
 * fault.c - the full page-fault handler: do_page_fault() is called by
 * do_trap() (arch/x86_64/traps.c) for vector 14 with CR2 and the CPU's
 * error code. This first version only knows kernel faults: a fault at an
 * instruction listed in the exception table (kernel/extable.c) is fixed
 * up; anything else is an oops. The mm issue adds find_vma() and
 * handle_mm_fault() here; the POE issue puts the fast path in front.
 */
#include <kernel/printk.h>
#include <kernel/panic.h>
#include <kernel/extable.h>
#include <kernel/sched.h>
#include <mm/fault.h>
#include <asm/traps.h>

char *pf_decode(unsigned long ec, char *buf, size_t size)
{
	snprintf(buf, size, "[P=%d W=%d U=%d RSVD=%d I/D=%d] %s %s in %s mode",
		 !!(ec & X86_PF_PROT), !!(ec & X86_PF_WRITE),
		 !!(ec & X86_PF_USER), !!(ec & X86_PF_RSVD),
		 !!(ec & X86_PF_INSTR),
		 ec & X86_PF_RSVD ? "reserved-bit" :
		 ec & X86_PF_PROT ? "protection" : "not-present",
		 ec & X86_PF_INSTR ? "instruction fetch" :
		 ec & X86_PF_WRITE ? "write" : "read",
		 ec & X86_PF_USER ? "user" : "kernel");
	return buf;
}

void do_page_fault(struct pt_regs *regs, unsigned long error_code,
		   unsigned long address)
{
	char why[96];

	if (user_mode(regs)) {
		/* No demand paging yet: every user fault is fatal. */
		char what[128];
		char bits[96];

		snprintf(what, sizeof(what), "page fault at 0x%lx error 0x%lx %s",
			 address, error_code, pf_decode(error_code, bits, sizeof(bits)));
		user_fault_kill(regs, SIGSEGV, what);
		return;
	}
	if (fixup_exception(regs))
		return;

	oops_begin();
	printk(KERN_EMERG "BUG: unable to handle page fault for address: %016lx\n",
	       address);
	printk(KERN_EMERG "page fault: address 0x%016lx error 0x%lx %s\n",
	       address, error_code, pf_decode(error_code, why, sizeof(why)));
	die("unhandled page fault", regs);
}
