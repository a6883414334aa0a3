/*
 * fault.c - the generic half of page-fault handling, as Linux's
 * mm/memory.c. The architecture's handler (arch/x86_64/fault.c) takes
 * mmap_lock for reading, finds the VMA, checks the access against it,
 * and asks handle_mm_fault() to make the access work; MAP_POPULATE
 * (mm/mmap.c) asks the same, under mmap_lock for writing, to fault pages
 * in ahead of time.
 *
 *   handle_mm_fault()     counts the fault, then
 *   __handle_mm_fault()   builds the missing pud and pmd levels, then
 *                         looks at the pmd: empty, in a 2 MiB range a
 *                         huge page may map (include/mm/huge_mm.h)
 *                         -> do_huge_pmd_anonymous_page(); a huge pmd
 *                         written while read-only -> do_huge_pmd_wp_page();
 *                         either may fall back to the PTEs:
 *   handle_pte_fault()    looks at the PTE:
 *     none, in a range registered with a userfaultfd (MISSING mode)
 *                       -> handle_userfault() (fs/userfaultfd.c): the
 *                          monitor provides the page; mmap_lock dropped,
 *                          VM_FAULT_RETRY
 *     none              -> do_anonymous_page(): a read maps the shared
 *                          zero page read-only; a write (or a shared
 *                          mapping) gets a fresh zeroed page
 *     POEable (a mark)  -> own it under the PTE lock bit the POE walker
 *                          takes, then do_anonymous_page(), so the two
 *                          paths never map one page twice
 *     PROT_NONE         -> VM_FAULT_SIGSEGV (mprotect keeps PTEs in step
 *                          with the VMA, so the arch check refused first)
 *     present, a write to a page a userfaultfd write-protected
 *                       (_PAGE_UFFD_WP, in a VM_UFFD_WP range)
 *                       -> handle_userfault(), as for a missing page
 *     present, a write to a read-only page of a writable VMA
 *                       -> do_wp_page(): copy the page (copy-on-write
 *                          after fork, or the zero page), or reuse it when
 *                          we are its only user
 *     present, a write to a read-only page of a shared VMA
 *                       -> do_shared_wp(): write it in place
 *     present otherwise -> nothing to do (another thread, a stale TLB)
 *   In a file VMA (vm_file), a PTE not present -> do_file_fault(): the
 *   file's page (shared; private read), or a copy of it (private write).
 *
 * Locking, as Linux's split page-table locks (include/mm/pgtable.h): the
 * PTE is first read with no lock (orig_pte), the page is allocated and
 * zeroed or copied with no lock and interrupts on, and only then is the
 * PTE table's own lock taken (pte_lockptr(), interrupts off), to
 * check that the PTE is still the one the fault decided on and to set
 * it. If another thread, the POE walker or a preemption in between
 * changed it, the new page is freed and the fault returns 0: the access
 * is retried and faults again if it must. Faults in different 2 MiB
 * page tables take different locks and never wait for each other; a
 * missing table is hooked in under mm->page_table_lock (pte_alloc()).
 * The page tables themselves cannot go away meanwhile: tables are freed
 * only under mmap_lock for writing, or where no VMA is (munmap, after it
 * removed the VMAs: unmap_region()), and the caller holds mmap_lock at
 * least for reading and found a VMA at the address.
 *
 * The POE fast path (arch/x86_64/poe_walk.c) runs before any of this in
 * the #PF entry stub. Counters by kind: include/mm/fault_stats.h;
 * fall-backs from the fast path by reason: mm/poe.c.
 */
#include <kernel/atomic.h>
#include <kernel/cpumask.h>
#include <kernel/percpu.h>
#include <kernel/string.h>
#include <kernel/userfaultfd.h>
#include <mm/fault.h>
#include <mm/huge_mm.h>
#include <mm/mman.h>
#include <mm/mm_types.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/poe.h>
#include <mm/rmap.h>
#include <mm/vma.h>
#include <asm/cpu.h>

/* One fault being handled: Linux's struct vm_fault (<linux/mm.h>). */
struct vm_fault {
	struct vm_area_struct *vma;
	unsigned long address;	    /* the faulting address, page aligned */
	unsigned long real_address; /* the faulting address itself */
	unsigned int flags;	    /* FAULT_FLAG_* */
	pmd_t *pmd;		    /* the pmd entry above address */
	pte_t *pte;		    /* the PTE slot; NULL while no page table */
	pte_t orig_pte;		    /* *pte when the fault was looked at */
	spinlock_t *ptl;	    /* the PTE table's lock, while held */
	unsigned long irqflags;	    /* saved by the PTE lock */
};

void count_fault(struct mm_struct *mm, enum fault_kind kind)
{
	count_faults(mm, kind, 1);
}

void count_faults(struct mm_struct *mm, enum fault_kind kind, unsigned long n)
{
	stat_add(&mm->faults.count[kind], n);
	this_cpu_add(__builtin_offsetof(struct percpu, fault_events) +
			     kind * sizeof(unsigned long),
		     n);
}

unsigned long global_fault_count(enum fault_kind kind)
{
	unsigned long n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += READ_ONCE(per_cpu_area(cpu)->fault_events.count[kind]);
	return n;
}

/*
 * Take / drop the lock of the PTE table vmf->pte is in: Linux's
 * spin_lock(pte_lockptr()) in handle_pte_fault() and do_wp_page(), and
 * pte_unmap_unlock(). vmf->pte is not looked up again under the lock
 * (pte_offset_map_lock() would): handle_pte_fault() found it, or
 * do_anonymous_page() after building the table, and the table cannot go
 * while the caller holds mmap_lock with a VMA over the address. Inlined
 * into its callers: every fault takes it, and as a call it cost the
 * read fault nine instructions more (tools/faultprof.py).
 */
static inline __attribute__((always_inline)) void
fault_lock_ptl(struct vm_fault *vmf)
{
	vmf->ptl = pte_lockptr(vmf->vma->vm_mm, vmf->pmd);
	spin_lock_irqsave(vmf->ptl, vmf->irqflags);
}

static void fault_unlock_ptl(struct vm_fault *vmf)
{
	pte_unmap_unlock(vmf->pte, vmf->ptl, vmf->irqflags);
}

/*
 * With the PTE lock held: is the PTE still the one the fault decided on?
 * Linux's pte_same() test after pte_offset_map_lock().
 */
static bool fault_pte_unchanged(struct vm_fault *vmf)
{
	return READ_ONCE(*vmf->pte) == vmf->orig_pte;
}

/*
 * Own the PTE before mapping it: a POEable one (a mark) under the PTE
 * lock bit the POE walker takes (patent step 3 on the slow side), so the
 * two paths never both map it. PTE lock held, so the bit is only
 * ever held with interrupts off and the walker on this CPU never meets
 * it. False: the walker mapped it first. Setting the new, present PTE
 * releases the bit.
 */
static bool fault_claim_pte(struct vm_fault *vmf)
{
	return !pte_poeable(vmf->orig_pte) || poe_pte_lock(vmf->pte);
}

/*
 * A new zeroed page for vma: a write fault's, or the copy that replaces
 * the zero page. In a POE region, one zeroed ahead in idle time if the
 * zeroed list has one (poe_fault_zeroed_page()): the fault is one the
 * fast path would have taken, with a page zeroed before it was needed,
 * had its table not run dry (or a read had not mapped the zero page, or
 * the marking reached the PTE); the zeroing was paid for in idle time
 * either way, and counted there (poestat's prezero_pages). Elsewhere
 * zeroed now, as Linux does: the full handler's figures with POE off are
 * still those of Linux's path, but for the two instructions of the test.
 */
static void *fault_zeroed_page(struct vm_area_struct *vma)
{
	void *page = NULL;

	if (vma->vm_flags & VM_POE)
		page = poe_fault_zeroed_page();
	return page ? page : (void *)get_zeroed_page();
}

/*
 * Not present, anonymous: the zero page for a read, a new page for a
 * write. No lock held: the new page is zeroed first, then the PTE lock
 * taken to map it. Linux's do_anonymous_page().
 */
/* LAB demand: BEGIN */
static vm_fault_t do_anonymous_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	u64 prot = vm_get_page_prot(vma->vm_flags);
	/* An empty PTE, not a mark: in a POE region the marking has not
	 * reached this table (or the fault builds it now), so the fault
	 * marks the rest of it (poe_mark_table()). */
	bool unmarked = (vma->vm_flags & VM_POE) && !pte_poeable(vmf->orig_pte);
	void *page;

	/* The first page under this pmd: build its page table (unless a
	 * huge fault of another thread mapped 2 MiB there meanwhile: then
	 * the access is retried). */
	if (!vmf->pte) {
		if (pte_alloc(mm, vmf->pmd))
			return VM_FAULT_OOM;
		if (unlikely(pmd_trans_huge(READ_ONCE(*vmf->pmd))))
			return 0;
		vmf->pte = pte_offset_kernel(vmf->pmd, vmf->address);
	}
	if (!write && !(vma->vm_flags & VM_SHARED)) {
		/* Reads share one zeroed page until someone writes. */
		fault_lock_ptl(vmf);
		/* Another thread or the walker mapped it meanwhile? */
		if (fault_pte_unchanged(vmf) && fault_claim_pte(vmf)) {
			set_pte(vmf->pte, pfn_pte(zero_pfn, prot & ~_PAGE_RW));
			count_fault(mm, FAULT_READ);
			count_fault(mm, FAULT_ZERO_PAGE);
		}
		if (unmarked)
			poe_mark_table(vma, vmf->pmd, vmf->address);
		fault_unlock_ptl(vmf);
		return 0;
	}
	page = fault_zeroed_page(vma);
	if (!page)
		return VM_FAULT_OOM;
	fault_lock_ptl(vmf);
	if (!fault_pte_unchanged(vmf) || !fault_claim_pte(vmf)) {
		fault_unlock_ptl(vmf);
		free_page((unsigned long)page); /* someone mapped it first */
		return 0;
	}
	set_pte(vmf->pte,
		pfn_pte(PFN_DOWN(__pa(page)),
			prot | _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0)));
	/* A POE region: the rest of the table takes the fast path from now
	 * on. */
	if (unmarked)
		poe_mark_table(vma, vmf->pmd, vmf->address);
	fault_unlock_ptl(vmf);
	mm->rss++;
	count_fault(mm, write ? FAULT_WRITE : FAULT_READ);
	return 0;
}
/* LAB demand: END */
/* LAB demand: STUB
static vm_fault_t do_anonymous_page(struct vm_fault *vmf)
{
	(void)vmf;
	(void)fault_claim_pte;
	return VM_FAULT_SIGSEGV;
}
*/

/*
 * A write to a present read-only page of a writable VMA: the zero page or
 * a page shared copy-on-write since fork. Linux's do_wp_page() and
 * wp_page_copy(). Takes the PTE lock; drops it while the copy is made,
 * with a reference on the old page so that it cannot be freed under the
 * copy.
 */
/* LAB cow: BEGIN */
static vm_fault_t do_wp_page(struct vm_fault *vmf)
{
	struct mm_struct *mm = vmf->vma->vm_mm;
	pfn_t pfn = pte_pfn(vmf->orig_pte);
	u64 prot = vm_get_page_prot(vmf->vma->vm_flags) | _PAGE_ACCESSED |
		   _PAGE_DIRTY;
	struct page *old = pfn_to_page(pfn);
	bool zero = is_zero_pfn(pfn);
	void *copy;

	fault_lock_ptl(vmf);
	if (!fault_pte_unchanged(vmf)) {
		fault_unlock_ptl(vmf); /* changed under us: retry */
		return 0;
	}
	if (!zero && READ_ONCE(old->refcount) == 1) {
		/* The other sharers are gone: keep the page, make it ours. */
		set_pte(vmf->pte, pfn_pte(pfn, prot));
		invlpg(vmf->address);
		fault_unlock_ptl(vmf);
		count_fault(mm, FAULT_COW);
		return 0;
	}
	if (!zero)
		get_page(old);
	fault_unlock_ptl(vmf);
	if (zero) {
		copy = fault_zeroed_page(vmf->vma);
	} else {
		struct page *p = alloc_pages(0);

		copy = p ? page_address(p) : NULL;
		if (copy)
			memcpy(copy, __va((phys_addr_t)pfn << PAGE_SHIFT),
			       PAGE_SIZE);
	}
	fault_lock_ptl(vmf);
	if (!copy || !fault_pte_unchanged(vmf)) {
		fault_unlock_ptl(vmf);
		if (copy)
			free_page((unsigned long)copy);
		if (!zero)
			put_page(old);
		return copy ? 0 : VM_FAULT_OOM;
	}
	set_pte(vmf->pte, pfn_pte(PFN_DOWN(__pa(copy)), prot));
	invlpg(vmf->address);
	if (zero) {
		mm->rss++;
		count_fault(mm, FAULT_WRITE);
	} else {
		/* We no longer map the old page; the other sharer still does
		 * (or did: the last put frees it). */
		page_remove_rmap(old, mm);
	}
	count_fault(mm, FAULT_COW);
	fault_unlock_ptl(vmf);
	/*
	 * Other CPUs may still read the old page through their TLBs: shoot
	 * them down, with the PTE lock dropped and interrupts back on for
	 * the IPIs, before the old page can go. Then its two references
	 * go: the mapping's and the one taken for the copy.
	 */
	flush_tlb_mm_range(mm, vmf->address, vmf->address + PAGE_SIZE);
	if (!zero) {
		put_page(old);
		put_page(old);
	}
	return 0;
}
/* LAB cow: END */
/* LAB cow: STUB
static vm_fault_t do_wp_page(struct vm_fault *vmf)
{
	(void)vmf;
	return VM_FAULT_SIGSEGV;
}
*/

/*
 * Not present, in a file VMA: the file's page from its ->fault
 * (allocated there when a hole below i_size; VM_FAULT_SIGBUS past the
 * end of the file). A shared mapping maps that page itself, so writes
 * go to the file; a private one maps it read-only (a later write copies
 * it, do_wp_page(), and until then writes to the file show through), or
 * on a write fault maps a private copy at once. The mapping holds a
 * reference on the page, so a truncate or unlink that drops the file's
 * never frees a mapped page. No lock held while the page is found and
 * copied. Linux's do_read_fault(), do_shared_fault() and do_cow_fault()
 * (mm/memory.c).
 */
static vm_fault_t do_file_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	bool cow = write && !(vma->vm_flags & VM_SHARED);
	u64 prot = vm_get_page_prot(vma->vm_flags);
	unsigned long pgoff =
		vma->vm_pgoff + ((vmf->address - vma->vm_start) >> PAGE_SHIFT);
	struct page *page;
	vm_fault_t ret;

	if (!vmf->pte) {
		if (pte_alloc(mm, vmf->pmd))
			return VM_FAULT_OOM;
		vmf->pte = pte_offset_kernel(vmf->pmd, vmf->address);
	}
	ret = vma->vm_ops->fault(vma, pgoff, &page);
	if (ret)
		return ret;
	if (cow) {
		struct page *copy = alloc_pages(0);

		if (!copy) {
			put_page(page);
			return VM_FAULT_OOM;
		}
		memcpy(page_address(copy), page_address(page), PAGE_SIZE);
		put_page(page);
		page = copy;
	} else if (!(vma->vm_flags & VM_SHARED)) {
		prot &= ~_PAGE_RW; /* the file's page: copy on write */
	}
	fault_lock_ptl(vmf);
	if (!fault_pte_unchanged(vmf)) {
		fault_unlock_ptl(vmf);
		put_page(page); /* someone mapped it first */
		return 0;
	}
	set_pte(vmf->pte,
		pfn_pte(page_to_pfn(page),
			prot | _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0)));
	fault_unlock_ptl(vmf);
	mm->rss++;
	count_fault(mm, write ? FAULT_WRITE : FAULT_READ);
	if (cow)
		count_fault(mm, FAULT_COW);
	return 0;
}

/*
 * A write to a present read-only page of a shared writable VMA (mprotect
 * left it read-only because other mappings hold it too): shared pages
 * are written in place, never copied. Linux's wp_page_shared().
 */
static vm_fault_t do_shared_wp(struct vm_fault *vmf)
{
	fault_lock_ptl(vmf);
	if (fault_pte_unchanged(vmf)) {
		set_pte(vmf->pte, vmf->orig_pte | _PAGE_RW | _PAGE_DIRTY |
					  _PAGE_ACCESSED);
		invlpg(vmf->address);
	}
	fault_unlock_ptl(vmf);
	return 0;
}

/*
 * Decide by the PTE what the fault needs, reading it with no lock: the
 * handler that acts on it takes the PTE lock and checks it again
 * (fault_pte_unchanged()). Linux's handle_pte_fault().
 */
static vm_fault_t handle_pte_fault(struct vm_fault *vmf)
{
	pmd_t pmd = READ_ONCE(*vmf->pmd);

	/* A 2 MiB mark made again since (the pre-fault thread): no table
	 * yet, as an empty pmd; pte_alloc() clears it. */
	if (!pmd_present(pmd) && !pmd_trans_huge(pmd)) {
		vmf->pte = NULL;
		vmf->orig_pte = 0;
	} else if (unlikely(pmd_trans_huge(pmd))) {
		return 0; /* another thread mapped 2 MiB here: retry */
	} else {
		vmf->pte = pte_offset_kernel(vmf->pmd, vmf->address);
		vmf->orig_pte = READ_ONCE(*vmf->pte);
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

	/* File VMAs are never POE regions: no marks there. */
	if (unlikely(vmf->vma->vm_file) &&
	    (!vmf->pte || !pte_present(vmf->orig_pte)))
		return do_file_fault(vmf);
	/* A missing page of a range registered with a userfaultfd: the
	 * monitor's to provide (fs/userfaultfd.c). Never a POE mark there
	 * (registering cleared them), but one would be missing too. */
	if (unlikely(userfaultfd_missing(vmf->vma)) &&
	    (!vmf->pte || pte_none(vmf->orig_pte) ||
	     pte_poeable(vmf->orig_pte)))
		return handle_userfault(vmf->vma, vmf->real_address, vmf->flags,
					VM_UFFD_MISSING);
	/* A POE mark is mapped the ordinary way, under its lock bit
	 * (fault_claim_pte()). */
	if (!vmf->pte || pte_poeable(vmf->orig_pte))
		return do_anonymous_page(vmf);
	if (!pte_present(vmf->orig_pte))
		return do_anonymous_page(vmf);
	if (pte_protnone(vmf->orig_pte))
		return VM_FAULT_SIGSEGV;
	if ((vmf->flags & FAULT_FLAG_WRITE) && !pte_write(vmf->orig_pte)) {
		/* Write-protected by a userfaultfd: the monitor's to
		 * resolve, before any copy-on-write (Linux's do_wp_page()
		 * tests it first). Read without the PTE lock: the fault
		 * rechecks the PTE once queued (userfaultfd_must_wait()). */
		if (unlikely(userfaultfd_pte_wp(vmf->vma, vmf->orig_pte)))
			return handle_userfault(vmf->vma, vmf->real_address,
						vmf->flags, VM_UFFD_WP);
		if ((vmf->vma->vm_flags & VM_SHARED) &&
		    !is_zero_pfn(pte_pfn(vmf->orig_pte)))
			return do_shared_wp(vmf);
		return do_wp_page(vmf);
	}
	return 0; /* already fixed (another thread, or a stale TLB) */
}

/* Build the levels above the PTE (each hooked in under page_table_lock,
 * if missing), then handle it. Linux's. */
static vm_fault_t __handle_mm_fault(struct vm_area_struct *vma,
				    unsigned long address, unsigned int flags)
{
	struct vm_fault vmf; /* not zeroed as a whole: on every fault */
	struct mm_struct *mm = vma->vm_mm;
	vm_fault_t ret;
	pmd_t orig_pmd;
	pud_t *pud;

	vmf.vma = vma;
	vmf.address = address & PAGE_MASK;
	vmf.real_address = address;
	vmf.flags = flags;

	pud = pud_alloc(mm, pgd_offset(mm, address), address);
	if (!pud)
		return VM_FAULT_OOM;
	vmf.pmd = pmd_alloc(mm, pud, address);
	if (!vmf.pmd)
		return VM_FAULT_OOM;
	orig_pmd = READ_ONCE(*vmf.pmd);
	/* A 2 MiB POE mark the walker declined (a read, which gets the
	 * huge zero page; its huge table empty; POE off) is an empty pmd
	 * to the huge fault, which replaces it under page_table_lock, so
	 * that the range still gets a huge page; with no order-9 block
	 * left the mark goes and the fault falls back to 4 KiB, whose
	 * table it marks for the 4 KiB walker (docs/poe.md, "Huge
	 * pages"). With poe.huge_fallback=4k, 512 4 KiB marks first. */
	if (unlikely(pmd_poeable(orig_pmd))) {
		stat_add(&poe_counters.huge_fallbacks, 1);
		/* poe.huge_fallback=4k: 512 4 KiB marks instead, the
		 * patent's order; the 4 KiB path below maps this page. */
		if (poe_huge_fallback == POE_HUGE_FALLBACK_4K) {
			poe_pmd_to_ptes(mm, vmf.pmd);
			orig_pmd = READ_ONCE(*vmf.pmd);
		}
	}
	/* Empty, or a mark: no PTE table (one test for the common case,
	 * a table). */
	if (!pmd_present(orig_pmd) && !pmd_trans_huge(orig_pmd) &&
	    thp_vma_allowable(vma, address)) {
		ret = do_huge_pmd_anonymous_page(vma, vmf.pmd, address, flags);
		if (!(ret & VM_FAULT_FALLBACK))
			return ret;
		if (pmd_poeable(READ_ONCE(*vmf.pmd)))
			poe_pmd_unmark(mm, vmf.pmd);
	} else if (unlikely(pmd_trans_huge(orig_pmd))) {
		/* The arch check let the access through, so the VMA allows
		 * it: a write to a read-only pmd is a copy-on-write (or the
		 * huge zero page); anything else is fixed already. */
		if (!(flags & FAULT_FLAG_WRITE) || pmd_write(orig_pmd))
			return 0;
		ret = do_huge_pmd_wp_page(vma, vmf.pmd, address, orig_pmd);
		if (!(ret & VM_FAULT_FALLBACK))
			return ret;
	}
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
