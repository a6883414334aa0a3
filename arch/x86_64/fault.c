/*
 * fault.c - the x86 page-fault handler, as Linux's arch/x86/mm/fault.c:
 * it turns what the CPU reports (CR2, the error code) into a question for
 * the generic handler (mm/fault.c), and its answer into a retry, a signal
 * or a kernel fixup.
 *
 *   do_page_fault()                 do_trap() sends vector 14 here
 *     user address -> do_user_addr_fault(): interrupts back on (when
 *                     the faulting code had them on), then
 *                     lock_and_handle_fault(): mmap_lock for reading,
 *                     find_vma(), grow the stack if the address is just
 *                     below a VM_GROWSDOWN VMA (mmap_lock for writing),
 *                     access_error() against vm_flags, the error code as
 *                     FAULT_FLAG_*, then handle_mm_fault() maps the page
 *                     (or, in a range registered with a userfaultfd,
 *                     sleeps with mmap_lock dropped until the monitor
 *                     provides it: VM_FAULT_RETRY, and the access runs
 *                     again)
 *     no memory, user mode -> pagefault_out_of_memory() (mm/oom_kill.c):
 *                     caches given back, or a process killed; retry
 *     a failure    -> bad_area(): user mode: SIGSEGV with one console
 *                     line; kernel mode (a user copy): the exception-table
 *                     fixup, -EFAULT
 *     kernel address -> do_kern_addr_fault(): the fixup, or an oops.
 *
 * The POE fast path (arch/x86_64/poe_walk.c) sits in front of all of this
 * in the #PF entry stub, with interrupts off; what it declines arrives
 * here, still with interrupts off, and this file turns them on as Linux's
 * do_user_addr_fault() does (local_irq_enable()): from here on the fault
 * may sleep on mmap_lock and be preempted, like a system call.
 */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/extable.h>
#include <kernel/panic.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <mm/fault.h>
#include <mm/mman.h>
#include <mm/mmap_lock.h>
#include <mm/mm_types.h>
#include <mm/oom.h>
#include <mm/poe.h>
#include <mm/vma.h>
#include <asm/cpu.h>
#include <asm/memlayout.h>
#include <asm/processor-flags.h>
#include <asm/trap_pf.h>
#include <asm/traps.h>

/*
 * "[P=0 W=1 U=0 RSVD=0 I/D=0] not-present write in kernel mode" into buf
 * (size bytes), for the console lines of a fault. Returns buf. Linux
 * prints the same facts in show_fault_oops().
 */
static char *pf_decode(unsigned long ec, char *buf, size_t size)
{
	snprintf(buf, size, "[P=%d W=%d U=%d RSVD=%d I/D=%d] %s %s in %s mode",
		 !!(ec & X86_PF_PROT), !!(ec & X86_PF_WRITE),
		 !!(ec & X86_PF_USER), !!(ec & X86_PF_RSVD),
		 !!(ec & X86_PF_INSTR),
		 ec & X86_PF_RSVD ? "reserved-bit" :
		 ec & X86_PF_PROT ? "protection" :
				    "not-present",
		 ec & X86_PF_INSTR ? "instruction fetch" :
		 ec & X86_PF_WRITE ? "write" :
				     "read",
		 ec & X86_PF_USER ? "user" : "kernel");
	return buf;
}

/*
 * Does vma forbid this access? Linux's access_error(). A write needs
 * VM_WRITE, any other access some right. Linux leaves an instruction fetch
 * from a VMA without VM_EXEC to the NX bit (the page is mapped NX and the
 * retry faults again); we refuse it here, which also covers a CPU without
 * NX.
 */
static bool access_error(unsigned long error_code, struct vm_area_struct *vma)
{
	if (error_code & X86_PF_WRITE)
		return !(vma->vm_flags & VM_WRITE);
	if (error_code & X86_PF_INSTR)
		return !(vma->vm_flags & VM_EXEC);
	return !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC));
}

/*
 * mm.fault_lock=global: every fault of an address space holds its
 * mmap_lock for writing from the VMA lookup to the end, so that no two
 * faults of one mm ever run at once: the "global page table lock" the
 * POE patent compares fine-grained locking against, kept for
 * measurements (make bench-smp). The default, fine, takes mmap_lock for
 * reading and the PTE table's lock only around the PTE update.
 */
static bool fault_lock_global;

static int set_fault_lock(const char *val)
{
	if (strcmp(val, "global") == 0)
		fault_lock_global = true;
	else if (strcmp(val, "fine") == 0)
		fault_lock_global = false;
	else
		return -EINVAL;
	return 0;
}
KERNEL_PARAM("mm.fault_lock", set_fault_lock,
	     "fine (default) or global: one mm-wide lock for each whole fault");

/*
 * The error code's bits as FAULT_FLAG_*: X86_PF_USER and X86_PF_INSTR sit
 * four bits below FAULT_FLAG_USER and FAULT_FLAG_INSTRUCTION, X86_PF_WRITE
 * one above FAULT_FLAG_WRITE (Linux's values on both sides), so two shifts
 * do what three tests and three branches did.
 */
_Static_assert(FAULT_FLAG_USER == X86_PF_USER << 4 &&
		       FAULT_FLAG_INSTRUCTION == X86_PF_INSTR << 4 &&
		       FAULT_FLAG_WRITE == X86_PF_WRITE >> 1,
	       "fault_flags() relies on where these bits are");

static unsigned int fault_flags(unsigned long error_code)
{
	return (unsigned int)(((error_code << 4) &
			       (FAULT_FLAG_USER | FAULT_FLAG_INSTRUCTION)) |
			      ((error_code >> 1) & FAULT_FLAG_WRITE));
}

/*
 * access_and_handle()'s answer when handle_mm_fault() slept with
 * mmap_lock dropped (VM_FAULT_RETRY: a userfault, fs/userfaultfd.c):
 * the lock is no longer held, and the fault handler returns so that the
 * access runs again (and faults again if the page is still missing), as
 * Linux's do_user_addr_fault() retries.
 */
#define FAULT_RETRIED 1

/*
 * With mmap_lock held (either mode) and vma the VMA at or above address:
 * check the access against it, then make it work, with the extra
 * FAULT_FLAG_* bits flags (ALLOW_RETRY when the fault may sleep;
 * MMAP_WRITE_LOCKED). 0, FAULT_RETRIED (mmap_lock dropped), -EFAULT,
 * -EIO or -ENOMEM, as handle_user_addr_fault(). Inlined: on the path of
 * every fault.
 */
static inline __attribute__((always_inline)) int
access_and_handle(struct mm_struct *mm, struct vm_area_struct *vma,
		  unsigned long error_code, unsigned long address,
		  unsigned int flags)
{
	/* A reserved bit set in a page-table entry: our tables never have
	 * one, so it is a bad access (Linux tests it first and oopses in
	 * pgtable_bad()). */
	if (access_error(error_code, vma) || (error_code & X86_PF_RSVD)) {
		/* Never reached handle_mm_fault(), which counts the others. */
		count_fault(mm, FAULT_SEGV);
		count_fault(mm, FAULT_TOTAL);
		return -EFAULT;
	}
	vm_fault_t fault =
		handle_mm_fault(vma, address, fault_flags(error_code) | flags);

	if (unlikely(fault & VM_FAULT_RETRY))
		return FAULT_RETRIED;

	/* A file page past the end of the file, or a missing page of a
	 * userfaultfd with UFFD_FEATURE_SIGBUS: SIGBUS, not SIGSEGV
	 * (bad_area()); Linux's do_sigbus(). */
	if (unlikely(fault & VM_FAULT_SIGBUS))
		return -EIO;
	return vm_fault_to_errno(fault);
}

/*
 * The fault under mmap_lock held for writing: mm.fault_lock=global, and a
 * fault below a VMA, which may have to grow the stack and so change the
 * VMA tree that readers walk (Linux's lock_mm_and_find_vma() upgrades the
 * same way: drop the read hold, take the write hold, look again). Out of
 * line: neither happens on the path of an ordinary fault.
 */
static __noinline int handle_fault_write_locked(struct mm_struct *mm,
						unsigned long error_code,
						unsigned long address,
						bool may_sleep)
{
	struct vm_area_struct *vma;
	int err;

	if (may_sleep)
		mmap_write_lock(mm);
	else if (!mmap_write_trylock(mm))
		return -EFAULT;
	vma = find_vma(mm, address);
	if (vma && address < vma->vm_start) {
		if (expand_stack_locked(vma, address))
			vma = NULL;
		else
			count_fault(mm, FAULT_STACK_GROWTH);
	}
	if (vma) {
		err = access_and_handle(mm, vma, error_code, address,
					FAULT_FLAG_MMAP_WRITE_LOCKED |
						(may_sleep ?
							 FAULT_FLAG_ALLOW_RETRY :
							 0));
		if (err == FAULT_RETRIED)
			return 0; /* mmap_lock dropped: run the access again */
	} else {
		count_fault(mm, FAULT_SEGV);
		count_fault(mm, FAULT_TOTAL);
		err = -EFAULT;
	}
	mmap_write_unlock(mm);
	return err;
}

/*
 * The body of handle_user_addr_fault(). may_sleep false: the faulting
 * code cannot sleep (interrupts were off, or preemption disabled: a
 * spinlock holder's user copy), so mmap_lock is only tried; if it is
 * busy the fault fails with -EFAULT, uncounted, and the user copy's
 * fixup returns -EFAULT (a caller that must not fail, futex_wait(), then
 * faults the page in where it may sleep and retries). Linux refuses such
 * faults outright (faulthandler_disabled()); trying first keeps every
 * uncontended fault working as it did when all faults ran with
 * interrupts off. Inlined into both callers: do_user_addr_fault() then
 * keeps one frame for the whole x86 half.
 */
static inline __attribute__((always_inline)) int
lock_and_handle_fault(struct mm_struct *mm, unsigned long error_code,
		      unsigned long address, bool may_sleep)
{
	struct vm_area_struct *vma;
	int err;

	if (unlikely(fault_lock_global))
		/* The baseline the patent measures against: one lock for
		 * the whole fault, whatever page it is for. */
		return handle_fault_write_locked(mm, error_code, address,
						 may_sleep);
	if (may_sleep)
		mmap_read_lock(mm);
	else if (!mmap_read_trylock(mm))
		return -EFAULT;
	vma = find_vma(mm, address);
	if (unlikely(!vma)) {
		count_fault(mm, FAULT_SEGV);
		count_fault(mm, FAULT_TOTAL);
		err = -EFAULT;
	} else if (unlikely(address < vma->vm_start)) {
		/* Below a VMA: perhaps the stack's, to grow. */
		mmap_read_unlock(mm);
		return handle_fault_write_locked(mm, error_code, address,
						 may_sleep);
	} else {
		err = access_and_handle(mm, vma, error_code, address,
					may_sleep ? FAULT_FLAG_ALLOW_RETRY : 0);
		if (unlikely(err == FAULT_RETRIED))
			return 0; /* mmap_lock dropped: run the access again */
	}
	mmap_read_unlock(mm);
	return err;
}

int handle_user_addr_fault(struct mm_struct *mm, unsigned long error_code,
			   unsigned long address)
{
	return lock_and_handle_fault(mm, error_code, address, true);
}

/*
 * A fault nothing resolves. User mode: SIGSEGV (user_fault_signal()),
 * SEGV_ACCERR when err is -EACCES (a VMA forbids the access), else
 * SEGV_MAPERR, with si_addr the address. Kernel mode: a user copy has an
 * exception-table fixup and returns -EFAULT; anything else oopses.
 * Linux's __bad_area_nosemaphore() and kernelmode_fixup_or_oops(). err
 * says why (-EFAULT, -EACCES, -ENOMEM; -EIO: a file mapping past the end
 * of its file, or a userfaultfd's missing page with UFFD_FEATURE_SIGBUS:
 * SIGBUS with BUS_ADRERR, Linux's do_sigbus()).
 */
static void bad_area(struct pt_regs *regs, unsigned long error_code,
		     unsigned long address, int err)
{
	char why[96];

	if (user_mode(regs)) {
		/* A file mapping past its end, a userfaultfd's
		 * UFFD_FEATURE_SIGBUS: Linux's do_sigbus(); else Linux's
		 * bad_area_access_error() and bad_area(). */
		int sig = err == -EIO ? SIGBUS : SIGSEGV;
		int code = err == -EIO	  ? BUS_ADRERR :
			   err == -EACCES ? SEGV_ACCERR :
					    SEGV_MAPERR;
		char what[160];
		const char *line = NULL;

		/* The console line is for a fault that kills: a handler
		 * (Appel and Li's user-level paging takes one such fault
		 * per page) must not pay for formatting it, as Linux's
		 * show_signal_msg() runs only for an unhandled signal. */
		if (unhandled_signal(sig)) {
			snprintf(what, sizeof(what),
				 "page fault at 0x%lx error 0x%lx %s%s",
				 address, error_code,
				 pf_decode(error_code, why, sizeof(why)),
				 err == -ENOMEM ?
					 " (out of memory)" :
				 !(error_code & X86_PF_USER) ?
					 " (implicit supervisor access, SMAP)" :
					 "");
			line = what;
		}
		user_fault_signal(regs, sig, code, address, line);
		return;
	}
	if (fixup_exception(regs))
		return;

	oops_begin();
	printk(KERN_EMERG
	       "BUG: unable to handle page fault for address: %016lx\n",
	       address);
	printk(KERN_EMERG "page fault: address 0x%016lx error 0x%lx %s\n",
	       address, error_code, pf_decode(error_code, why, sizeof(why)));
	die("unhandled page fault", regs);
}

/* A fault on a kernel address: nothing is mapped on demand there. */
static void do_kern_addr_fault(struct pt_regs *regs, unsigned long error_code,
			       unsigned long address)
{
	bad_area(regs, error_code, address, -EFAULT);
}

/* Does a VMA of mm contain address? Takes mmap_lock for reading. */
static bool vma_covers(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma;
	bool covers;

	mmap_read_lock(mm);
	vma = find_vma(mm, address);
	covers = vma && vma->vm_start <= address;
	mmap_read_unlock(mm);
	return covers;
}

static void do_user_addr_fault(struct pt_regs *regs, unsigned long error_code,
			       unsigned long address)
{
	struct mm_struct *mm = current->mm;
	bool may_sleep;
	int err;

	if (error_code & X86_PF_USER) {
		/*
		 * An access made in user mode (CPL 3), where interrupts are
		 * always on (user code runs at IOPL 0 and cannot clear IF)
		 * and preemption enabled (nothing returns to user mode with
		 * preempt_count raised): the fault may sleep. Linux's
		 * do_user_addr_fault() decides it from user_mode(regs)
		 * alone, too; the tests below are for kernel-mode accesses.
		 */
		may_sleep = true;
	} else {
		/*
		 * A supervisor-mode access to a user page that the kernel
		 * did not open with stac (RFLAGS.AC clear): SMAP refused it,
		 * and mapping or retrying cannot help, since the page may
		 * well be present. From kernel code that is a bug: oops.
		 * From user mode it is an implicit supervisor access made on
		 * the program's behalf (QEMU's TCG does one for the stack
		 * pops of a far return): kill the program. Either way, never
		 * retry: the same access faults again for ever. AC opens user
		 * memory to the kernel's own explicit accesses only: SMAP
		 * checks an implicit access whatever AC says (Intel SDM vol.
		 * 3A, 4.6.1), so from user mode, where AC is the program's to
		 * set, it proves nothing. Linux's SMAP check in
		 * do_user_addr_fault(), which also asks the CPU feature
		 * rather than CR4: smap_init() (kernel/uaccess.c) turns SMAP
		 * on whenever the CPU has it, before any user mapping exists,
		 * so reading CR4 on every fault would only repeat that.
		 */
		if (boot_cpu.has_smap &&
		    (user_mode(regs) || !(regs->rflags & X86_EFLAGS_AC))) {
			bad_area(regs, error_code, address, -EFAULT);
			return;
		}
		/*
		 * Code that had interrupts off, or preemption disabled, keeps
		 * that and must not sleep: lock_and_handle_fault() only tries
		 * mmap_lock. Nor may a kernel fault that is not a user copy
		 * (no exception-table entry: a bug, which will oops): Linux
		 * does not wait for mmap_lock there either.
		 */
		may_sleep =
			(regs->rflags & X86_EFLAGS_IF) &&
			this_cpu()->preempt_count == 0 &&
			(user_mode(regs) || search_exception_tables(regs->rip));
	}
	if (!mm) {
		bad_area(regs, error_code, address, -EFAULT);
		return;
	}
	/* The walker found its table low or empty: refill now, on the CPU
	 * whose table it is (before we may be preempted and moved). */
	if (this_cpu()->poe_need_refill)
		poe_kick();
	/* Interrupts on again, as Linux's do_user_addr_fault(): from here
	 * the fault may sleep on mmap_lock and be preempted. */
	if (may_sleep)
		local_irq_enable();
	err = lock_and_handle_fault(mm, error_code, address, may_sleep);
	/*
	 * No memory for the page or a table, in user mode: Linux's
	 * do_user_addr_fault() calls the OOM killer (mm/oom_kill.c), with
	 * mmap_lock dropped, and returns to user mode, which retries the
	 * access, or dies on the way if current was the victim. Only when
	 * nothing could be freed or killed does the fault fail. A user copy
	 * in the kernel (not user mode) gets its -EFAULT fixup instead, as
	 * Linux's kernelmode_fixup_or_oops() for VM_FAULT_OOM.
	 */
	if (unlikely(err == -ENOMEM) && user_mode(regs) &&
	    pagefault_out_of_memory())
		err = 0;
	/* The signal's si_code needs to know whether a VMA covers the
	 * address (an access it forbids) or none does: ask while we may
	 * still sleep on mmap_lock. */
	if (err == -EFAULT && may_sleep && user_mode(regs) &&
	    vma_covers(mm, address))
		err = -EACCES;
	/* The trap exit (do_trap(), exit_to_user_mode(), iretq) expects
	 * interrupts off, as it had them on entry. */
	local_irq_disable();
	if (err)
		bad_area(regs, error_code, address, err);
}

void do_page_fault(struct pt_regs *regs, unsigned long error_code,
		   unsigned long address)
{
	if (address >= USER_TOP)
		do_kern_addr_fault(regs, error_code, address);
	else
		do_user_addr_fault(regs, error_code, address);
}
