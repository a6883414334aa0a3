/*
 * fault.c - the generic half of page-fault handling, as Linux's
 * mm/memory.c. The architecture's handler (arch/x86_64/fault.c) takes
 * mm->lock, finds the VMA, checks the access against it, and asks
 * handle_mm_fault() to make the access work; MAP_POPULATE (mm/mmap.c)
 * asks the same to fault pages in ahead of time.
 *
 *   handle_mm_fault()     counts the fault, then
 *   __handle_mm_fault()   builds the missing pud and pmd levels, then
 *   handle_pte_fault()    looks at the PTE:
 *     none              -> do_anonymous_page(): a read maps the shared
 *                          zero page read-only; a write (or a shared
 *                          mapping) gets a fresh zeroed page
 *     POEable (a mark)  -> own it under the PTE lock bit the POE walker
 *                          takes, then do_anonymous_page(), so the two
 *                          paths never map one page twice
 *     PROT_NONE         -> VM_FAULT_SIGSEGV (mprotect keeps PTEs in step
 *                          with the VMA, so the arch check refused first)
 *     present, a write to a read-only page of a writable VMA
 *                       -> do_wp_page(): copy the page (copy-on-write
 *                          after fork, or the zero page), or reuse it when
 *                          we are its only user
 *     present otherwise -> nothing to do (another thread, a stale TLB)
 *
 * The POE fast path (arch/x86_64/poe_walk.c) runs before any of this in
 * the #PF entry stub. Counters by kind: include/mm/fault_stats.h;
 * fall-backs from the fast path by reason: mm/poe.c.
 */
#include <kernel/string.h>
#include <mm/fault.h>
#include <mm/mman.h>
#include <mm/mm_types.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/poe.h>
#include <mm/rmap.h>
#include <mm/vma.h>
#include <asm/cpu.h>

struct fault_counters global_faults;

/* One fault being handled: Linux's struct vm_fault (<linux/mm.h>). */
struct vm_fault {
	struct vm_area_struct *vma;
	unsigned long address; /* the faulting address, page aligned */
	unsigned int flags;    /* FAULT_FLAG_* */
	pmd_t *pmd;	       /* the pmd entry above address */
	pte_t *pte;	       /* the PTE slot; NULL while no page table */
	pte_t orig_pte;	       /* *pte when the fault was looked at */
};

void count_fault(struct mm_struct *mm, enum fault_kind kind)
{
	mm->faults.count[kind]++;
	global_faults.count[kind]++;
}

/* Not present, anonymous: the zero page for a read, a new page for a write. */
static vm_fault_t do_anonymous_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	u64 prot = vm_get_page_prot(vma->vm_flags);
	void *page;

	/* The first page under this pmd: build its page table. */
	if (!vmf->pte) {
		if (pte_alloc(mm, vmf->pmd))
			return VM_FAULT_OOM;
		vmf->pte = pte_offset_kernel(vmf->pmd, vmf->address);
	}
	if (!write && !(vma->vm_flags & VM_SHARED)) {
		/* Reads share one zeroed page until someone writes. */
		set_pte(vmf->pte, pfn_pte(zero_pfn, prot & ~_PAGE_RW));
		count_fault(mm, FAULT_READ);
		count_fault(mm, FAULT_ZERO_PAGE);
		return 0;
	}
	page = (void *)get_zeroed_page();
	if (!page)
		return VM_FAULT_OOM;
	set_pte(vmf->pte,
		pfn_pte(PFN_DOWN(__pa(page)),
			prot | _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0)));
	mm->rss++;
	count_fault(mm, write ? FAULT_WRITE : FAULT_READ);
	return 0;
}

/*
 * A write to a present read-only page of a writable VMA: the zero page or
 * a page shared copy-on-write since fork. Linux's do_wp_page() and
 * wp_page_copy().
 */
static vm_fault_t do_wp_page(struct vm_fault *vmf)
{
	struct mm_struct *mm = vmf->vma->vm_mm;
	pfn_t pfn = pte_pfn(vmf->orig_pte);
	u64 prot = vm_get_page_prot(vmf->vma->vm_flags) | _PAGE_ACCESSED |
		   _PAGE_DIRTY;
	struct page *old = pfn_to_page(pfn);
	void *copy;

	if (!is_zero_pfn(pfn) && old->refcount == 1) {
		/* The other sharers are gone: keep the page, make it ours. */
		set_pte(vmf->pte, pfn_pte(pfn, prot));
		invlpg(vmf->address);
		count_fault(mm, FAULT_COW);
		return 0;
	}
	if (is_zero_pfn(pfn)) {
		copy = (void *)get_zeroed_page();
	} else {
		struct page *p = alloc_pages(0);

		copy = p ? page_address(p) : NULL;
		if (copy)
			memcpy(copy, __va((phys_addr_t)pfn << PAGE_SHIFT),
			       PAGE_SIZE);
	}
	if (!copy)
		return VM_FAULT_OOM;
	set_pte(vmf->pte, pfn_pte(PFN_DOWN(__pa(copy)), prot));
	invlpg(vmf->address);
	if (is_zero_pfn(pfn)) {
		mm->rss++;
		count_fault(mm, FAULT_WRITE);
		count_fault(mm, FAULT_COW);
	} else {
		/* We no longer map the old page; the other sharer still does. */
		page_remove_rmap(old, mm);
		put_page(old);
		count_fault(mm, FAULT_COW);
	}
	return 0;
}

/* Decide by the PTE what the fault needs. Linux's handle_pte_fault(). */
static vm_fault_t handle_pte_fault(struct vm_fault *vmf)
{
	vm_fault_t ret;

	if (pmd_none(*vmf->pmd)) {
		vmf->pte = NULL;
		vmf->orig_pte = 0;
	} else {
		vmf->pte = pte_offset_kernel(vmf->pmd, vmf->address);
		vmf->orig_pte = *vmf->pte;
	}
	/*
	 * A user fault on a PTE the CPU sees as not present is one the POE
	 * fast path declined (or, with POE off, never saw): count why. The
	 * walker takes nothing else, so a PTE present by now (another CPU
	 * mapped it) has nothing to count. MAP_POPULATE and kernel user
	 * copies are not user faults.
	 */
	if ((vmf->flags & FAULT_FLAG_USER) &&
	    !(pte_flags(vmf->orig_pte) & _PAGE_PRESENT))
		poe_count_fallback(vmf->vma, vmf->orig_pte);

	if (!vmf->pte)
		return do_anonymous_page(vmf);
	if (pte_poeable(vmf->orig_pte)) {
		/* Patent step 3 on the slow side: own the PTE, then map it
		 * the ordinary way (which also drops the lock bit). */
		if (!poe_pte_lock(vmf->pte))
			return 0; /* the walker mapped it meanwhile */
		ret = do_anonymous_page(vmf);
		if (ret)
			poe_pte_unlock(vmf->pte);
		return ret;
	}
	if (!pte_present(vmf->orig_pte))
		return do_anonymous_page(vmf);
	if (pte_protnone(vmf->orig_pte))
		return VM_FAULT_SIGSEGV;
	if ((vmf->flags & FAULT_FLAG_WRITE) && !pte_write(vmf->orig_pte))
		return do_wp_page(vmf);
	return 0; /* already fixed (another thread, or a stale TLB) */
}

/* Build the levels above the PTE, then handle it. Linux's. */
static vm_fault_t __handle_mm_fault(struct vm_area_struct *vma,
				    unsigned long address, unsigned int flags)
{
	struct vm_fault vmf = {
		.vma = vma,
		.address = address & PAGE_MASK,
		.flags = flags,
	};
	struct mm_struct *mm = vma->vm_mm;
	pud_t *pud = pud_alloc(mm, pgd_offset(mm, address), address);

	if (!pud)
		return VM_FAULT_OOM;
	vmf.pmd = pmd_alloc(mm, pud, address);
	if (!vmf.pmd)
		return VM_FAULT_OOM;
	return handle_pte_fault(&vmf);
}

vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags)
{
	vm_fault_t ret = __handle_mm_fault(vma, address, flags);

	if (ret & VM_FAULT_SIGSEGV)
		count_fault(vma->vm_mm, FAULT_SEGV);
	count_fault(vma->vm_mm, FAULT_TOTAL);
	return ret;
}
