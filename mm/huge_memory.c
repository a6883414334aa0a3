/*
 * huge_memory.c - transparent huge pages for anonymous private memory
 * (include/mm/huge_mm.h, docs/thp.md): the huge fault, copy-on-write of
 * a huge pmd, splitting it, fork's and mprotect's huge-pmd cases, the
 * deposited tables, the huge zero page, the transparent_hugepage=
 * command line and the 2 MiB-aligned placement of large mappings.
 * Linux's mm/huge_memory.c. The range walks of mm/pgtable.c call in
 * here when they meet a huge pmd.
 */
#include <kernel/atomic.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <mm/fault.h>
#include <mm/huge_mm.h>
#include <mm/mman.h>
#include <mm/mm_types.h>
#include <mm/page_alloc.h>
#include <mm/page_init.h>
#include <mm/pgtable.h>
#include <mm/poe.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <asm/cpu.h>

enum transparent_hugepage_mode transparent_hugepage_mode = THP_MADVISE;
struct thp_counters thp_counters;

/* The huge zero page's first pfn; 0 while there is none. */
static pfn_t huge_zero_pfn;

/* Does mm map a huge pmd now? Read without page_table_lock: exact for
 * the callers, which hold mmap_lock for writing (no fault can map one
 * meanwhile). */
static bool mm_has_huge_pmd(struct mm_struct *mm)
{
	return READ_ONCE(mm->nr_huge_pmds) != 0;
}

/* transparent_hugepage= (Linux's setup_transparent_hugepage()). */
static int set_transparent_hugepage(const char *val)
{
	if (strcmp(val, "always") == 0)
		transparent_hugepage_mode = THP_ALWAYS;
	else if (strcmp(val, "madvise") == 0)
		transparent_hugepage_mode = THP_MADVISE;
	else if (strcmp(val, "never") == 0)
		transparent_hugepage_mode = THP_NEVER;
	else
		return -EINVAL;
	return 0;
}
KERNEL_PARAM("transparent_hugepage", set_transparent_hugepage,
	     "always|madvise|never: which anonymous VMAs get 2 MiB pages "
	     "(default madvise: those with MADV_HUGEPAGE)");

bool is_huge_zero_pmd(pmd_t pmd)
{
	return huge_zero_pfn && pmd_pfn(pmd) == huge_zero_pfn;
}

void thp_init(void)
{
	struct page *page;

	if (transparent_hugepage_mode == THP_NEVER)
		return;
	page = alloc_pages(HPAGE_PMD_ORDER);
	if (!page) {
		pr_warn("thp: no 2 MiB block for the huge zero page\n");
		return;
	}
	memset(page_address(page), 0, HPAGE_PMD_SIZE);
	huge_zero_pfn = page_to_pfn(page);
	stat_add(&thp_counters.thp_zero_page_alloc, 1);
}

bool hugepage_vma_check(const struct vm_area_struct *vma)
{
	unsigned long f = vma->vm_flags;

	if (vma->vm_file || (f & (VM_SHARED | VM_GROWSDOWN | __VM_UFFD_FLAGS)))
		return false;
	switch (transparent_hugepage_mode) {
	case THP_ALWAYS:
		return !(f & VM_NOHUGEPAGE);
	case THP_MADVISE:
		return (f & (VM_HUGEPAGE | VM_NOHUGEPAGE)) == VM_HUGEPAGE;
	default:
		return false;
	}
}

bool transhuge_vma_suitable(const struct vm_area_struct *vma,
			    unsigned long addr)
{
	unsigned long haddr = addr & HPAGE_PMD_MASK;

	return haddr >= vma->vm_start && haddr + HPAGE_PMD_SIZE <= vma->vm_end;
}

void pgtable_trans_huge_deposit(struct mm_struct *mm, struct page *pgtable)
{
	list_add(&pgtable->lru, &mm->pmd_huge_pte);
	mm->nr_pgtables++;
}

struct page *pgtable_trans_huge_withdraw(struct mm_struct *mm)
{
	struct page *pgtable;

	if (list_empty(&mm->pmd_huge_pte))
		panic("thp: a huge pmd without its deposited page table");
	pgtable = list_first_entry(&mm->pmd_huge_pte, struct page, lru);
	list_del_init(&pgtable->lru);
	mm->nr_pgtables--;
	return pgtable;
}

/*
 * A page to deposit, or NULL. Not zeroed, unlike Linux's pte_alloc_one():
 * a deposited table is only ever used by split_huge_pmd(), which writes
 * all 512 of its entries, or freed unused; zeroing it would cost every
 * huge fault 4 KiB of stores (4,096 instructions under -icount, most of
 * a read fault's).
 */
static struct page *pte_alloc_one(void)
{
	return alloc_pages(0);
}

/* The rights of a huge pmd for vma's: the PTE rights and the PS bit. */
static pmd_t mk_huge_pmd(pfn_t pfn, u64 prot)
{
	return pfn_pmd(pfn, prot | _PAGE_PSE);
}

/* Every page of the huge page at pfn has one user: the pmd that maps it
 * (no fork child, no split PTE elsewhere still holds one). */
static bool huge_page_exclusive(pfn_t pfn)
{
	struct page *page = pfn_to_page(pfn);

	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++)
		if (READ_ONCE(page[i].refcount) != 1)
			return false;
	return true;
}

vm_fault_t do_huge_pmd_anonymous_page(struct vm_area_struct *vma, pmd_t *pmd,
				      unsigned long address, unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	u64 prot = vm_get_page_prot(vma->vm_flags);
	struct page *pgtable, *page = NULL, *mark_pgtable = NULL;
	unsigned long irqflags;
	bool mapped = false;
	pmd_t entry;

	(void)address;
	if (!(flags & FAULT_FLAG_WRITE)) {
		/* A read: the huge zero page, until someone writes. */
		if (!huge_zero_pfn)
			goto fallback;
		entry = mk_huge_pmd(huge_zero_pfn, prot & ~_PAGE_RW);
	} else {
		page = alloc_pages(HPAGE_PMD_ORDER);
		if (!page)
			goto fallback;
		/* Zeroed before the pmd is set, with no lock held: here
		 * (Linux's clear_huge_page()), or with page_init=offlevel
		 * by a page-init worker while this thread sleeps (mm/
		 * page_init.c). Killed meanwhile: the worker frees the
		 * page, and the access is retried; the signal ends the task
		 * on its way to user mode, and a kernel access that faults
		 * again zeroes in line, the signal being pending. */
		u64 t0 = rdtsc();
		int err = page_init_zero(page, HPAGE_PMD_ORDER,
					 flags & FAULT_FLAG_ALLOW_RETRY);

		stat_add(&thp_counters.thp_fault_zero_ticks, rdtsc() - t0);
		if (err)
			return 0;
		entry = mk_huge_pmd(page_to_pfn(page),
				    prot | _PAGE_ACCESSED | _PAGE_DIRTY);
	}
	pgtable = pte_alloc_one();
	if (!pgtable) {
		if (page)
			__free_pages(page, HPAGE_PMD_ORDER);
		return VM_FAULT_OOM;
	}
	spin_lock_irqsave(&mm->page_table_lock, irqflags);
	/* A 2 MiB POE mark the walker declined: taken off here, under the
	 * lock the pre-fault work marks under, so that nothing marks the
	 * pmd again before the page is in (unless the walker of another
	 * CPU maps it first: then the pmd is not empty below). */
	if (pmd_poeable(READ_ONCE(*pmd)))
		mark_pgtable = poe_pmd_clear_locked(mm, pmd);
	if (pmd_none(READ_ONCE(*pmd))) { /* else another thread was first */
		if (page)
			split_page(page, HPAGE_PMD_ORDER);
		pgtable_trans_huge_deposit(mm, pgtable);
		mm->nr_huge_pmds++;
		WRITE_ONCE(*pmd, entry);
		mapped = true;
	}
	spin_unlock_irqrestore(&mm->page_table_lock, irqflags);
	if (mark_pgtable)
		free_page((unsigned long)page_address(mark_pgtable));
	if (!mapped) {
		free_page((unsigned long)page_address(pgtable));
		if (page)
			__free_pages(page, HPAGE_PMD_ORDER);
		return 0;
	}
	if (page) {
		mm->rss += HPAGE_PMD_NR;
		stat_add(&thp_counters.thp_fault_alloc, 1);
		count_fault(mm, FAULT_WRITE);
	} else {
		count_fault(mm, FAULT_READ);
		count_fault(mm, FAULT_ZERO_PAGE);
	}
	return 0;
fallback:
	stat_add(&thp_counters.thp_fault_fallback, 1);
	return VM_FAULT_FALLBACK;
}

vm_fault_t do_huge_pmd_wp_page(struct vm_area_struct *vma, pmd_t *pmd,
			       unsigned long address, pmd_t orig_pmd)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long irqflags;
	bool reused = false;

	spin_lock_irqsave(&mm->page_table_lock, irqflags);
	if (READ_ONCE(*pmd) != orig_pmd) {
		spin_unlock_irqrestore(&mm->page_table_lock, irqflags);
		return 0; /* changed under us: retry the access */
	}
	if (!is_huge_zero_pmd(orig_pmd) &&
	    huge_page_exclusive(pmd_pfn(orig_pmd))) {
		/* The other sharers are gone: keep the page, make it ours. */
		WRITE_ONCE(*pmd,
			   orig_pmd | _PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED);
		invlpg(address & HPAGE_PMD_MASK);
		reused = true;
	}
	spin_unlock_irqrestore(&mm->page_table_lock, irqflags);
	if (reused) {
		count_fault(mm, FAULT_COW);
		return 0;
	}
	split_huge_pmd(mm, pmd, address);
	return VM_FAULT_FALLBACK;
}

void split_huge_pmd(struct mm_struct *mm, pmd_t *pmd, unsigned long address)
{
	unsigned long haddr = address & HPAGE_PMD_MASK, irqflags;
	struct page *pgtable;
	pmd_t old;
	pte_t *pte;
	u64 flags;
	pfn_t pfn;

	/* A 2 MiB POE mark has no pages to split: it goes (its range
	 * then faults as any other), unless the walker maps it first. */
	if (pmd_poeable(READ_ONCE(*pmd)))
		poe_pmd_unmark(mm, pmd);
	spin_lock_irqsave(&mm->page_table_lock, irqflags);
	old = READ_ONCE(*pmd);
	if (!pmd_trans_huge(old)) {
		spin_unlock_irqrestore(&mm->page_table_lock, irqflags);
		return;
	}
	pgtable = pgtable_trans_huge_withdraw(mm);
	pte = page_address(pgtable);
	/* The same rights and status on every PTE; the PS bit goes. The
	 * huge zero page becomes 512 mappings of the 4 KiB one, as
	 * Linux's __split_huge_zero_page_pmd(). */
	flags = pmd_flags(old) & ~_PAGE_PSE;
	pfn = pmd_pfn(old);
	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++)
		pte[i] = pfn_pte(is_huge_zero_pmd(old) ? zero_pfn : pfn + i,
				 flags);
	ptlock_init(pgtable);
	/* The table is filled before the pmd points to it (x86 keeps
	 * stores in order). Until the flush below another CPU may still
	 * use its 2 MiB TLB entry: the same pages with the same rights. */
	WRITE_ONCE(*pmd, page_to_phys(pgtable) | _PAGE_TABLE);
	mm->nr_pgtables++; /* hooked in: counted as any table */
	mm->nr_huge_pmds--;
	spin_unlock_irqrestore(&mm->page_table_lock, irqflags);
	stat_add(&thp_counters.thp_split_pmd, 1);
	flush_tlb_mm_range(mm, haddr, haddr + HPAGE_PMD_SIZE);
}

void split_huge_pmd_address(struct mm_struct *mm, unsigned long address)
{
	pmd_t *pmd;

	if (!mm_has_huge_pmd(mm))
		return;
	pmd = mm_find_pmd(mm, address);

	if (pmd &&
	    (pmd_trans_huge(READ_ONCE(*pmd)) || pmd_poeable(READ_ONCE(*pmd))))
		split_huge_pmd(mm, pmd, address);
}

void split_huge_pmd_range(struct mm_struct *mm, unsigned long start,
			  unsigned long end)
{
	unsigned long addr = start & HPAGE_PMD_MASK;

	if (!mm_has_huge_pmd(mm))
		return;
	while (addr < end) {
		pgd_t *pgd = pgd_offset(mm, addr);
		pud_t *pud;

		if (!pgd_present(*pgd)) {
			addr = (addr + PGDIR_SIZE) & ~(PGDIR_SIZE - 1);
			continue;
		}
		pud = pud_offset(pgd, addr);
		if (!pud_present(*pud)) {
			addr = (addr + PUD_SIZE) & ~(PUD_SIZE - 1);
			continue;
		}
		pmd_t p = READ_ONCE(*pmd_offset(pud, addr));

		if (pmd_trans_huge(p) || pmd_poeable(p))
			split_huge_pmd(mm, pmd_offset(pud, addr), addr);
		addr += HPAGE_PMD_SIZE;
		if (!addr)
			break; /* wrapped at the top */
	}
}

int copy_huge_pmd(struct vm_area_struct *dst_vma,
		  struct vm_area_struct *src_vma, pmd_t *src_pmd,
		  unsigned long addr)
{
	struct mm_struct *dst_mm = dst_vma->vm_mm, *src_mm = src_vma->vm_mm;
	struct page *pgtable = pte_alloc_one();
	unsigned long dflags, sflags;
	pud_t *dst_pud;
	pmd_t *dst_pmd;
	pmd_t pmd;

	if (!pgtable)
		return -ENOMEM;
	dst_pud = pud_alloc(dst_mm, pgd_offset(dst_mm, addr), addr);
	dst_pmd = dst_pud ? pmd_alloc(dst_mm, dst_pud, addr) : NULL;
	if (!dst_pmd) {
		free_page((unsigned long)page_address(pgtable));
		return -ENOMEM;
	}
	/* The child's lock, then the parent's, as copy_pte_range() nests
	 * its PTE locks and Linux's copy_huge_pmd() its pmd locks. */
	spin_lock_irqsave(&dst_mm->page_table_lock, dflags);
	spin_lock_irqsave(&src_mm->page_table_lock, sflags);
	pmd = READ_ONCE(*src_pmd);
	if (!is_huge_zero_pmd(pmd)) {
		struct page *page = pfn_to_page(pmd_pfn(pmd));

		for (unsigned long i = 0; i < HPAGE_PMD_NR; i++)
			get_page(page + i);
		pmd &= ~_PAGE_RW; /* both copy on the next write */
		WRITE_ONCE(*src_pmd, pmd);
		dst_mm->rss += HPAGE_PMD_NR;
	}
	pgtable_trans_huge_deposit(dst_mm, pgtable);
	dst_mm->nr_huge_pmds++;
	WRITE_ONCE(*dst_pmd, pmd);
	spin_unlock_irqrestore(&src_mm->page_table_lock, sflags);
	spin_unlock_irqrestore(&dst_mm->page_table_lock, dflags);
	return 0;
}

bool move_huge_pmd(struct mm_struct *mm, pmd_t *old_pmd, unsigned long new_addr)
{
	pud_t *pud = pud_alloc(mm, pgd_offset(mm, new_addr), new_addr);
	pmd_t *new_pmd = pud ? pmd_alloc(mm, pud, new_addr) : NULL;
	unsigned long irqflags;
	bool moved = false;

	if (!new_pmd)
		return false;
	spin_lock_irqsave(&mm->page_table_lock, irqflags);
	if (pmd_trans_huge(READ_ONCE(*old_pmd)) &&
	    pmd_none(READ_ONCE(*new_pmd))) {
		WRITE_ONCE(*new_pmd, READ_ONCE(*old_pmd));
		WRITE_ONCE(*old_pmd, 0);
		moved = true;
	}
	spin_unlock_irqrestore(&mm->page_table_lock, irqflags);
	return moved;
}

void change_huge_pmd(struct mm_struct *mm, pmd_t *pmd, u64 prot)
{
	unsigned long irqflags;
	pmd_t old;

	spin_lock_irqsave(&mm->page_table_lock, irqflags);
	old = READ_ONCE(*pmd);
	if (pmd_trans_huge(old)) {
		if (is_huge_zero_pmd(old) || !huge_page_exclusive(pmd_pfn(old)))
			prot &= ~_PAGE_RW;
		WRITE_ONCE(*pmd,
			   mk_huge_pmd(pmd_pfn(old), prot | (pmd_flags(old) &
							     (_PAGE_ACCESSED |
							      _PAGE_DIRTY))));
	}
	spin_unlock_irqrestore(&mm->page_table_lock, irqflags);
}

struct page *zap_huge_pmd_locked(struct mm_struct *mm, pmd_t *pmd)
{
	pmd_t old = READ_ONCE(*pmd);
	struct page *pgtable;

	WRITE_ONCE(*pmd, 0);
	mm->nr_huge_pmds--;
	pgtable = pgtable_trans_huge_withdraw(mm);
	free_page((unsigned long)page_address(pgtable));
	if (is_huge_zero_pmd(old))
		return NULL;
	mm->rss -= HPAGE_PMD_NR;
	return pfn_to_page(pmd_pfn(old));
}

long thp_get_unmapped_area(struct mm_struct *mm, unsigned long hint,
			   unsigned long len)
{
	long ret;

	if (!len || !IS_ALIGNED(len, HPAGE_PMD_SIZE) ||
	    len > TASK_SIZE - HPAGE_PMD_SIZE)
		return get_unmapped_area(mm, hint, len);
	ret = get_unmapped_area(mm, hint, len + HPAGE_PMD_SIZE);
	/* The padding may be what did not fit: try without it. */
	if (ret < 0)
		return get_unmapped_area(mm, hint, len);
	/* The hint was free: keep it, as Linux does. */
	if (hint && (unsigned long)ret == ALIGN_DOWN(hint, PAGE_SIZE))
		return ret;
	return (long)ALIGN_UP((unsigned long)ret, HPAGE_PMD_SIZE);
}
