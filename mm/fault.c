/*
 * fault.c - the full page-fault handler, Linux's way (arch/x86/mm/fault.c
 * and mm/memory.c): do_page_fault() is called by do_trap() (arch/x86_64/
 * traps.c) for vector 14 with CR2 and the error code, and
 *
 *   user address -> handle_mm_fault(): find_vma(), check the access
 *                   against vm_flags, grow the stack if the address is just
 *                   below a VM_GROWSDOWN VMA, build missing page-table
 *                   levels, then
 *                     not present + read  -> map the shared zero page RO
 *                                            (do_anonymous_page)
 *                     not present + write -> a fresh zeroed page, RW
 *                     present + write to a read-only page the VMA allows
 *                                         -> do_wp_page(): copy the page, or
 *                                            reuse it if we are its only user
 *   a failure    -> user mode: SIGSEGV with one console line; kernel mode
 *                   (a user copy): the exception-table fixup, -EFAULT
 *   kernel address -> the exception-table fixup, or an oops.
 *
 * The POE fast path (arch/x86_64/poe_walk.c) sits in front of all of this
 * in the #PF entry stub; what it declines arrives here. A POEable PTE is
 * mapped here under the same PTE lock the walker takes, so the two paths
 * never map one page twice. Counters by kind: include/mm/fault_stats.h;
 * fall-backs from the fast path by reason: mm/poe.c.
 */
#include <kernel/errno.h>
#include <kernel/extable.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <mm/fault.h>
#include <mm/mm_types.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/poe.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <asm/cpu.h>
#include <asm/traps.h>

#define STACK_MAX	(8UL << 20)	/* bytes, as Linux's default RLIMIT_STACK */

struct fault_counters global_faults;

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

static void count_fault(struct mm_struct *mm, enum fault_kind kind)
{
	mm->faults.count[kind]++;
	global_faults.count[kind]++;
}

/* PTE rights for a VMA's flags (its pages' full rights). */
u64 vm_page_prot(unsigned long vm_flags)
{
	u64 prot = _PAGE_PRESENT | _PAGE_USER;

	if (!(vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return 0;		/* PROT_NONE: never mapped */
	if (vm_flags & VM_WRITE)
		prot |= _PAGE_RW;
	if (!(vm_flags & VM_EXEC) && boot_cpu.has_nx)
		prot |= _PAGE_NX;
	return prot;
}

/* Not present, anonymous: the zero page for a read, a new page for a write. */
static int do_anonymous_page(struct mm_struct *mm, struct vm_area_struct *vma,
			     pte_t *pte, bool write)
{
	u64 prot = vm_page_prot(vma->vm_flags);
	void *page;

	if (!write && !(vma->vm_flags & VM_SHARED)) {
		/* Reads share one zeroed page until someone writes. */
		set_pte(pte, pfn_pte(zero_pfn, prot & ~_PAGE_RW));
		count_fault(mm, FAULT_READ);
		count_fault(mm, FAULT_ZERO_PAGE);
		return 0;
	}
	page = get_zeroed_page();
	if (!page)
		return -ENOMEM;
	set_pte(pte, pfn_pte(PFN_DOWN(__pa(page)), prot | _PAGE_ACCESSED |
			     (write ? _PAGE_DIRTY : 0)));
	mm->rss++;
	count_fault(mm, write ? FAULT_WRITE : FAULT_READ);
	return 0;
}

/*
 * Write to a present read-only page of a writable VMA: the zero page or a
 * page shared copy-on-write since fork. Linux's do_wp_page().
 */
static int do_wp_page(struct mm_struct *mm, struct vm_area_struct *vma,
		      pte_t *pte, unsigned long addr)
{
	pfn_t pfn = pte_pfn(*pte);
	u64 prot = vm_page_prot(vma->vm_flags) | _PAGE_ACCESSED | _PAGE_DIRTY;
	struct page *old = pfn_to_page(pfn);
	void *copy;

	if (!is_zero_pfn(pfn) && old->refcount == 1) {
		/* The other sharers are gone: keep the page, make it ours. */
		set_pte(pte, pfn_pte(pfn, prot));
		invlpg(addr);
		count_fault(mm, FAULT_COW);
		return 0;
	}
	if (is_zero_pfn(pfn)) {
		copy = get_zeroed_page();
	} else {
		struct page *p = alloc_pages(0);

		copy = p ? page_address(p) : NULL;
		if (copy)
			memcpy(copy, __va((phys_addr_t)pfn << PAGE_SHIFT), PAGE_SIZE);
	}
	if (!copy)
		return -ENOMEM;
	set_pte(pte, pfn_pte(PFN_DOWN(__pa(copy)), prot));
	invlpg(addr);
	if (is_zero_pfn(pfn)) {
		mm->rss++;
		count_fault(mm, FAULT_WRITE);
		count_fault(mm, FAULT_COW);
	} else {
		put_page(old);
		count_fault(mm, FAULT_COW);
	}
	return 0;
}

/*
 * Extend a VM_GROWSDOWN VMA down to addr. Linux's expand_stack(): allowed
 * up to STACK_MAX and only into free space.
 */
static bool expand_stack(struct mm_struct *mm, struct vm_area_struct *vma,
			 unsigned long addr)
{
	unsigned long start = addr & PAGE_MASK;
	struct vm_area_struct *prev = find_vma_intersection(mm, start, vma->vm_start);

	if (prev || vma->vm_end - start > STACK_MAX || start < PAGE_SIZE)
		return false;
	/* Keys change: take it out of the tree and put it back. */
	remove_vm_struct(mm, vma);
	vma->vm_start = start;
	if (insert_vm_struct(mm, vma))
		panic("expand_stack: reinserting the stack VMA failed");
	count_fault(mm, FAULT_STACK_GROWTH);
	return true;
}

int __handle_mm_fault(struct mm_struct *mm, unsigned long addr, unsigned long ec)
{
	bool write = ec & X86_PF_WRITE;
	struct vm_area_struct *vma;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;
	int err = -EFAULT;

	vma = find_vma(mm, addr);
	if (!vma)
		goto out;
	if (addr < vma->vm_start &&
	    (!(vma->vm_flags & VM_GROWSDOWN) || !expand_stack(mm, vma, addr)))
		goto out;
	/* The access must be one the VMA allows. */
	if (write ? !(vma->vm_flags & VM_WRITE) :
	    (ec & X86_PF_INSTR) ? !(vma->vm_flags & VM_EXEC) :
	    !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		goto out;
	if (ec & X86_PF_RSVD)
		goto out;
	pud = pud_alloc(mm, pgd_offset(mm, addr), addr);
	pmd = pud ? pmd_alloc(mm, pud, addr) : NULL;
	if (!pmd || pte_alloc(mm, pmd)) {
		err = -ENOMEM;
		goto out;
	}
	pte = pte_offset_kernel(pmd, addr);
	if ((ec & X86_PF_USER) && !(ec & X86_PF_PROT))
		poe_count_fallback(vma, *pte);
	if (pte_protnone(*pte)) {
		err = -EFAULT;	/* PROT_NONE frame: cannot happen in a VMA that allows it */
	} else if (pte_poeable(*pte)) {
		/* Patent step 3 on the slow side: own the PTE, then map it
		 * the ordinary way (which also drops the lock bit). */
		if (!poe_pte_lock(pte))
			err = 0;	/* the walker mapped it meanwhile */
		else if ((err = do_anonymous_page(mm, vma, pte, write)))
			poe_pte_unlock(pte);
	} else if (!pte_present(*pte)) {	/* none (or an unknown mark) */
		err = do_anonymous_page(mm, vma, pte, write);
	} else if (write && !pte_write(*pte)) {
		err = do_wp_page(mm, vma, pte, addr);
	} else {
		err = 0;	/* already fixed (another thread, or a stale TLB) */
	}
out:
	if (err == -EFAULT)
		count_fault(mm, FAULT_SEGV);
	count_fault(mm, FAULT_TOTAL);
	return err;
}

int handle_mm_fault(struct mm_struct *mm, unsigned long addr, unsigned long ec)
{
	unsigned long flags;
	int err;

	spin_lock_irqsave(&mm->lock, flags);
	err = __handle_mm_fault(mm, addr, ec);
	spin_unlock_irqrestore(&mm->lock, flags);
	return err;
}

void do_page_fault(struct pt_regs *regs, unsigned long error_code,
		   unsigned long address)
{
	struct mm_struct *mm = current->mm;
	char why[96];
	int err = -EFAULT;

	if (address < USER_TOP && mm) {
		err = handle_mm_fault(mm, address, error_code);
		/* The walker found its table low or empty: refill now. */
		if (this_cpu()->poe_walk.kick)
			poe_kick();
		if (err == 0)
			return;
	}
	if (user_mode(regs)) {
		char what[160];

		snprintf(what, sizeof(what), "page fault at 0x%lx error 0x%lx %s%s",
			 address, error_code, pf_decode(error_code, why, sizeof(why)),
			 err == -ENOMEM ? " (out of memory)" : "");
		user_fault_kill(regs, SIGSEGV, what);
		return;
	}
	/* A kernel access: a user copy has a fixup and returns -EFAULT. */
	if (fixup_exception(regs))
		return;

	oops_begin();
	printk(KERN_EMERG "BUG: unable to handle page fault for address: %016lx\n",
	       address);
	printk(KERN_EMERG "page fault: address 0x%016lx error 0x%lx %s\n",
	       address, error_code, pf_decode(error_code, why, sizeof(why)));
	die("unhandled page fault", regs);
}
