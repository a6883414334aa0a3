/*
 * pgtable.c - the page tables of user address spaces (include/mm/
 * pgtable.h): building them, looking an address up, and the range walks
 * that unmap, copy (fork), re-protect or visit the pages of a range;
 * flushing the TLB; and the page-table dump students read next to the
 * fault handler (mm/fault.c). Names and structure follow Linux's
 * mm/memory.c, mm/mprotect.c, mm/pagewalk.c and arch/x86/mm/pgtable.c.
 *
 * Every range walk has the same shape, one function per level:
 *
 *	pmd = pmd_offset(pud, addr);
 *	do {
 *		next = pmd_addr_end(addr, end);
 *		if (pmd_none(*pmd))
 *			continue;		(nothing mapped below)
 *		..._pte_range(pmd, addr, next);
 *	} while (pmd++, addr = next, addr != end);
 *
 * Ranges are page aligned and not empty. Callers hold the mm's mmap_lock
 * (include/mm/mmap_lock.h): for writing when tables that VMAs still
 * cover may be freed (zap_page_range()), in either mode when only tables
 * outside every VMA are (unmap_region()). The locks are Linux's split
 * page-table locks (include/mm/pgtable.h): a PTE table's entries change
 * under its own PTE lock, which the PTE-level function of each walk takes
 * (pte_offset_map_lock()), one table at a time; a table is hooked in or
 * out of the level above under the mm's page_table_lock, which
 * pud_alloc(), pmd_alloc(), pte_alloc() and the freeing of tables take.
 * An upper-level entry is read without a lock: it only ever goes from
 * empty to a table while anyone who may follow it runs, because tables
 * are unhooked only where no VMA is (or under mmap_lock for writing).
 */
#include <kernel/atomic.h>
#include <kernel/errno.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <mm/huge_mm.h>
#include <mm/mm_init.h>
#include <mm/mmap_lock.h>
#include <mm/mm_types.h>
#include <mm/page_alloc.h>
#include <mm/poe.h>
#include <mm/pgtable.h>
#include <mm/rmap.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <asm/cpu.h>

pfn_t zero_pfn;

pgd_t *pgd_alloc(struct mm_struct *mm)
{
	pgd_t *pgd = (pgd_t *)get_zeroed_page();

	(void)mm;
	if (!pgd)
		return NULL;
	memcpy(pgd + KERNEL_PGD_BOUNDARY,
	       (pgd_t *)__va(init_pgd_phys) + KERNEL_PGD_BOUNDARY,
	       KERNEL_PGD_PTRS * sizeof(pgd_t));
	return pgd;
}

void pgd_free(struct mm_struct *mm, pgd_t *pgd)
{
	(void)mm;
	free_page((unsigned long)pgd);
}

/*
 * Point the empty entry *entry at a new zeroed table: allocated with no
 * lock held, hooked in under page_table_lock if the entry is still empty
 * (another thread of the mm may have been first: then ours is freed).
 * pte: a PTE table, whose lock is made ready before anyone can reach it.
 * 0 or -ENOMEM. Linux's __pud_alloc(), __pmd_alloc(), __pte_alloc().
 */
static int pgtable_alloc_entry(struct mm_struct *mm, u64 *entry, bool pte)
{
	void *table = (void *)get_zeroed_page();
	unsigned long flags;

	if (!table)
		return -ENOMEM;
	if (pte)
		ptlock_init(virt_to_page(table));
	spin_lock_irqsave(&mm->page_table_lock, flags);
	if (!READ_ONCE(*entry)) {
		/* The zeroing and ptlock_init() are stored before this
		 * (x86 keeps stores in order; the lock is a compiler
		 * barrier): a thread that sees the entry sees them. */
		WRITE_ONCE(*entry, __pa(table) | _PAGE_TABLE);
		mm->nr_pgtables++;
		table = NULL;
	}
	spin_unlock_irqrestore(&mm->page_table_lock, flags);
	if (table)
		free_page((unsigned long)table);
	return 0;
}

int __pud_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long addr)
{
	(void)addr;
	return pgtable_alloc_entry(mm, pgd, false);
}

int __pmd_alloc(struct mm_struct *mm, pud_t *pud, unsigned long addr)
{
	(void)addr;
	return pgtable_alloc_entry(mm, pud, false);
}

int __pte_alloc(struct mm_struct *mm, pmd_t *pmd)
{
	if (pmd_poeable(READ_ONCE(*pmd)))
		poe_pmd_unmark(mm, pmd); /* a table is wanted here */
	return pgtable_alloc_entry(mm, pmd, true);
}

void ptlock_free(struct page *page)
{
	if (READ_ONCE(page->ptl.locked))
		panic("freeing a page table (pfn %#lx) whose PTE lock is held",
		      (unsigned long)page_to_pfn(page));
}

/* The pmd entry for addr, building the levels above it: NULL when out of
 * memory. Linux's walk_to_pmd(). */
static pmd_t *walk_to_pmd(struct mm_struct *mm, unsigned long addr)
{
	pud_t *pud = pud_alloc(mm, pgd_offset(mm, addr), addr);

	return pud ? pmd_alloc(mm, pud, addr) : NULL;
}

/* LAB pgwalk: BEGIN */
pmd_t *mm_find_pmd(struct mm_struct *mm, unsigned long address)
{
	pgd_t *pgd = pgd_offset(mm, address);
	pud_t *pud;

	if (!pgd_present(*pgd))
		return NULL;
	pud = pud_offset(pgd, address);
	if (!pud_present(*pud))
		return NULL;
	return pmd_offset(pud, address);
}

int follow_pte(struct mm_struct *mm, unsigned long address, pte_t **ptepp)
{
	pmd_t *pmd = mm_find_pmd(mm, address);
	pte_t *ptep;

	if (!pmd || !pmd_present(*pmd) || pmd_trans_huge(*pmd))
		return -EINVAL;
	ptep = pte_offset_kernel(pmd, address);
	if (!pte_present(*ptep))
		return -EINVAL;
	*ptepp = ptep;
	return 0;
}
/* LAB pgwalk: END */
/* LAB pgwalk: STUB
pmd_t *mm_find_pmd(struct mm_struct *mm, unsigned long address)
{
	(void)mm;
	(void)address;
	return NULL;
}

int follow_pte(struct mm_struct *mm, unsigned long address, pte_t **ptepp)
{
	(void)mm;
	(void)address;
	(void)ptepp;
	return -ENOSYS;
}
*/

int follow_phys(struct mm_struct *mm, unsigned long address, phys_addr_t *physp)
{
	pmd_t *pmd = mm_find_pmd(mm, address);
	pte_t *ptep;

	if (pmd && pmd_trans_huge(*pmd)) {
		*physp = ((phys_addr_t)pmd_pfn(*pmd) << PAGE_SHIFT) +
			 (address & ~HPAGE_PMD_MASK);
		return 0;
	}
	if (follow_pte(mm, address, &ptep))
		return -EINVAL;
	*physp = (*ptep & PTE_PFN_MASK) | (address & ~PAGE_MASK);
	return 0;
}

bool is_zero_phys(phys_addr_t phys)
{
	pfn_t pfn = PFN_DOWN(phys);

	return is_zero_pfn(pfn) ||
	       is_huge_zero_pmd(pfn_pmd(pfn & ~(HPAGE_PMD_NR - 1), _PAGE_PSE));
}

bool mm_is_active(struct mm_struct *mm)
{
	return (read_cr3() & PTE_PFN_MASK) == __pa(mm->pgd);
}

unsigned long nr_tlb_shootdowns;

struct flush_tlb_info {
	struct mm_struct *mm;
	unsigned long start, end; /* bytes */
};

/*
 * The shootdown's work on one CPU, interrupts off: on the sender for
 * itself and, through smp_call_function_many(), on every other CPU of
 * mm_cpumask. A CPU that no longer runs mm lost its entries with its
 * last CR3 load (user pages are not global): it only leaves the mask.
 * A CPU where a kernel thread only borrows mm (lazy TLB) needs none of
 * its user entries: it moves to the kernel's page table and leaves the
 * mask, so that the mm's later shootdowns skip it, as Linux x86's lazy
 * CPUs switch to init_mm. Linux's flush_tlb_func().
 *
 * Ours: the borrow's reference goes too (Linux keeps it in active_mm
 * until the next switch). The mm that exits sends its teardown's
 * shootdowns here, and a kernel thread that runs on, a POE worker
 * zeroing ahead, would otherwise keep that mm's PML4 allocated after the
 * process is gone and reaped. The sender holds its own reference for the
 * whole shootdown, so this mmdrop() is never the last.
 */
static void flush_tlb_func(void *arg)
{
	const struct flush_tlb_info *f = arg;

	if (!mm_is_active(f->mm)) {
		cpumask_clear_cpu(smp_processor_id(), mm_cpumask(f->mm));
		return;
	}
	if (current->mm != f->mm) { /* lazy: borrowed by a kernel thread */
		write_cr3(init_pgd_phys);
		cpumask_clear_cpu(smp_processor_id(), mm_cpumask(f->mm));
		if (!current->mm && current->active_mm == f->mm) {
			current->active_mm = NULL;
			mmdrop(f->mm);
		}
		return;
	}
	if (f->end - f->start > 64 * PAGE_SIZE) {
		write_cr3(__pa(f->mm->pgd)); /* user pages are not global */
		return;
	}
	for (unsigned long va = f->start; va < f->end; va += PAGE_SIZE)
		invlpg(va);
}

void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start,
			unsigned long end)
{
	struct flush_tlb_info info = { .mm = mm, .start = start, .end = end };
	struct percpu *cpu;
	unsigned long flags;

	if (start >= end)
		return;
	stat_add(&nr_tlb_shootdowns, 1);
	/*
	 * The entries were changed before this: order those stores before
	 * the look at the mask, so that a CPU joining it now (switch_mm())
	 * walks the new entries.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	/*
	 * Stay on this CPU (Linux's get_cpu()): the IPIs go to every CPU of
	 * the mask but this one, and this one flushes itself below.
	 */
	cpu = this_cpu();
	cpu->preempt_count++;
	smp_call_function_many(mm_cpumask(mm), flush_tlb_func, &info, true);
	local_irq_save(flags);
	flush_tlb_func(&info);
	local_irq_restore(flags);
	cpu->preempt_count--;
}

/* ---- apply_to_page_range: every PTE slot, building tables ---- */

static int apply_to_pte_range(struct mm_struct *mm, pmd_t *pmd,
			      unsigned long addr, unsigned long end,
			      pte_fn_t fn, void *data)
{
	unsigned long flags;
	spinlock_t *ptl;
	pte_t *pte, *start;
	int err = 0;

	/* The callback works on PTEs: a 2 MiB page becomes 512 first. */
	if (pmd_trans_huge(READ_ONCE(*pmd)))
		split_huge_pmd(mm, pmd, addr);
	if (pte_alloc(mm, pmd))
		return -ENOMEM;
	start = pte = pte_offset_map_lock(mm, pmd, addr, &ptl, &flags);
	do {
		err = fn(pte, addr, data);
		if (err)
			break;
	} while (pte++, addr += PAGE_SIZE, addr != end);
	pte_unmap_unlock(start, ptl, flags);
	return err;
}

static int apply_to_pmd_range(struct mm_struct *mm, pud_t *pud,
			      unsigned long addr, unsigned long end,
			      pte_fn_t fn, void *data)
{
	pmd_t *pmd = pmd_alloc(mm, pud, addr);
	unsigned long next;
	int err;

	if (!pmd)
		return -ENOMEM;
	do {
		next = pmd_addr_end(addr, end);
		err = apply_to_pte_range(mm, pmd, addr, next, fn, data);
		if (err)
			return err;
	} while (pmd++, addr = next, addr != end);
	return 0;
}

static int apply_to_pud_range(struct mm_struct *mm, pgd_t *pgd,
			      unsigned long addr, unsigned long end,
			      pte_fn_t fn, void *data)
{
	pud_t *pud = pud_alloc(mm, pgd, addr);
	unsigned long next;
	int err;

	if (!pud)
		return -ENOMEM;
	do {
		next = pud_addr_end(addr, end);
		err = apply_to_pmd_range(mm, pud, addr, next, fn, data);
		if (err)
			return err;
	} while (pud++, addr = next, addr != end);
	return 0;
}

int apply_to_page_range(struct mm_struct *mm, unsigned long address,
			unsigned long size, pte_fn_t fn, void *data)
{
	unsigned long addr = address, end = address + size, next;
	pgd_t *pgd;
	int err;

	if (addr >= end)
		return -EINVAL;
	pgd = pgd_offset(mm, addr);
	do {
		next = pgd_addr_end(addr, end);
		err = apply_to_pud_range(mm, pgd, addr, next, fn, data);
		if (err)
			return err;
	} while (pgd++, addr = next, addr != end);
	return 0;
}

/* ---- walk_page_range: every PTE slot of the tables that exist ---- */

static int walk_pte_range(pmd_t *pmd, unsigned long addr, unsigned long end,
			  struct mm_walk *walk)
{
	unsigned long flags;
	spinlock_t *ptl;
	pte_t *start = pte_offset_map_lock(walk->mm, pmd, addr, &ptl, &flags);
	pte_t *pte = start;
	int err;

	do {
		err = walk->ops->pte_entry(pte, addr, addr + PAGE_SIZE, walk);
		if (err)
			break;
	} while (pte++, addr += PAGE_SIZE, addr != end);
	pte_unmap_unlock(start, ptl, flags);
	return err;
}

/*
 * A huge pmd: ops->pmd_entry under page_table_lock, if the walk has one;
 * its result in *err. Returns false when the pmd is no longer huge (a
 * fault split it since it was read): walk its PTE table instead.
 */
static bool walk_huge_pmd(pmd_t *pmd, unsigned long addr, unsigned long end,
			  struct mm_walk *walk, int *err)
{
	unsigned long flags;
	bool huge;

	spin_lock_irqsave(&walk->mm->page_table_lock, flags);
	huge = pmd_trans_huge(READ_ONCE(*pmd));
	*err = huge && walk->ops->pmd_entry ?
		       walk->ops->pmd_entry(pmd, addr, end, walk) :
		       0;
	spin_unlock_irqrestore(&walk->mm->page_table_lock, flags);
	return huge;
}

/* A POEable pmd: no table below it. Its callback, if any, under
 * page_table_lock, if it is still a mark (the walker may map it until the
 * lock's holder clears it). */
static int walk_poeable_pmd(pmd_t *pmd, unsigned long addr, unsigned long end,
			    struct mm_walk *walk)
{
	unsigned long flags;
	int err = 0;

	if (!walk->ops->pmd_poeable_entry)
		return 0;
	spin_lock_irqsave(&walk->mm->page_table_lock, flags);
	if (pmd_poeable(READ_ONCE(*pmd)))
		err = walk->ops->pmd_poeable_entry(pmd, addr, end, walk);
	spin_unlock_irqrestore(&walk->mm->page_table_lock, flags);
	return err;
}

static int walk_pmd_range(pud_t *pud, unsigned long addr, unsigned long end,
			  struct mm_walk *walk)
{
	pmd_t *pmd = pmd_offset(pud, addr);
	unsigned long next;
	int err;

	do {
		next = pmd_addr_end(addr, end);
		if (pmd_none(*pmd))
			continue;
		if (pmd_poeable(READ_ONCE(*pmd))) {
			err = walk_poeable_pmd(pmd, addr, next, walk);
			if (err)
				return err;
			continue;
		}
		if (pmd_trans_huge(READ_ONCE(*pmd)) &&
		    walk_huge_pmd(pmd, addr, next, walk, &err)) {
			if (err)
				return err;
			continue;
		}
		if (!walk->ops->pte_entry)
			continue;
		err = walk_pte_range(pmd, addr, next, walk);
		if (err)
			return err;
	} while (pmd++, addr = next, addr != end);
	return 0;
}

static int walk_pud_range(pgd_t *pgd, unsigned long addr, unsigned long end,
			  struct mm_walk *walk)
{
	pud_t *pud = pud_offset(pgd, addr);
	unsigned long next;
	int err;

	do {
		next = pud_addr_end(addr, end);
		if (pud_none(*pud))
			continue;
		err = walk_pmd_range(pud, addr, next, walk);
		if (err)
			return err;
	} while (pud++, addr = next, addr != end);
	return 0;
}

int walk_page_range(struct mm_struct *mm, unsigned long start,
		    unsigned long end, const struct mm_walk_ops *ops,
		    void *private)
{
	struct mm_walk walk = { .ops = ops, .mm = mm, .private = private };
	unsigned long addr = start, next;
	pgd_t *pgd;
	int err;

	if (addr >= end)
		return 0;
	pgd = pgd_offset(mm, addr);
	do {
		next = pgd_addr_end(addr, end);
		if (pgd_none(*pgd))
			continue;
		err = walk_pud_range(pgd, addr, next, &walk);
		if (err)
			return err;
	} while (pgd++, addr = next, addr != end);
	return 0;
}

/* ---- zap_page_range: unmap_page_range, then free the empty tables ---- */

/*
 * What an unmap must not free before the TLB shootdown that covers it:
 * another CPU may still reach a page, or walk a page-table page, through
 * its stale entries until then. Pages are gathered under each PTE
 * table's lock and released after the flush, which needs interrupts on
 * and so runs with the lock dropped. Linux's struct mmu_gather (mm/mmu_gather.c).
 *
 * Each flush is one shootdown: an IPI to, and a wait for, every other CPU
 * that runs the mm. So gather many pages per flush, as Linux does: a
 * small batch inside the gather, then page-sized batches allocated as
 * needed (Linux's tlb_next_batch()), up to MAX_GATHER_BATCH_COUNT of
 * them. When a batch cannot be allocated, the unmap just flushes sooner.
 */
#define TLB_LOCAL_BATCH 64

struct mmu_gather_batch {
	struct mmu_gather_batch *next;
	unsigned int nr, max;
	struct page *pages[]; /* the rest of its page */
};

#define MAX_GATHER_BATCH \
	((PAGE_SIZE - sizeof(struct mmu_gather_batch)) / sizeof(struct page *))
/* At most ~10,000 pages per flush (Linux's bound): the references wait
 * for the flush, and so does everyone after us on mmap_lock. */
#define MAX_GATHER_BATCH_COUNT (10000UL / MAX_GATHER_BATCH)

struct mmu_gather {
	struct mm_struct *mm;
	unsigned long start, end;	     /* what was unmapped since the last
					    * flush (start >= end: nothing) */
	struct page *local[TLB_LOCAL_BATCH]; /* references to drop after it */
	unsigned int nr_local;
	struct mmu_gather_batch *batches; /* allocated, kept until the end */
	struct mmu_gather_batch *active;  /* the one being filled, or NULL
					    * while local still has room */
	unsigned int batch_count;
	bool full;		 /* a page did not fit: flush before going on */
	struct list_head tables; /* page-table pages (page->lru) */
	unsigned long tables_start, tables_end;
	/* Only tables whose whole span lies in [floor, ceiling) may be
	 * freed (ceiling 0: the top), as Linux's free_pgtables() */
	unsigned long floor, ceiling;
};

static void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm)
{
	tlb->mm = mm;
	tlb->start = tlb->tables_start = ~0UL;
	tlb->end = tlb->tables_end = 0;
	tlb->nr_local = 0;
	tlb->batches = tlb->active = NULL;
	tlb->batch_count = 0;
	tlb->full = false;
	INIT_LIST_HEAD(&tlb->tables);
	tlb->floor = 0;
	tlb->ceiling = 0;
}

/* The next batch with room: a kept one, or a new one. NULL: flush first.
 * Linux's tlb_next_batch(). */
static struct mmu_gather_batch *tlb_next_batch(struct mmu_gather *tlb)
{
	struct mmu_gather_batch *b = tlb->active ? tlb->active->next :
						   tlb->batches;
	struct page *page;

	if (b)
		return b;
	if (tlb->batch_count == MAX_GATHER_BATCH_COUNT)
		return NULL;
	page = alloc_pages(0); /* a spinlock is held: this never sleeps */
	if (!page)
		return NULL;
	b = page_address(page);
	b->next = NULL;
	b->nr = 0;
	b->max = MAX_GATHER_BATCH;
	if (tlb->active)
		tlb->active->next = b;
	else
		tlb->batches = b;
	tlb->batch_count++;
	return b;
}

/*
 * Keep page's reference until the flush. False: the gather is full;
 * flush and come back. Linux's __tlb_remove_page().
 */
static bool tlb_remove_page(struct mmu_gather *tlb, struct page *page)
{
	struct mmu_gather_batch *b = tlb->active;

	if (!b && tlb->nr_local < TLB_LOCAL_BATCH) {
		tlb->local[tlb->nr_local++] = page;
		return true;
	}
	if (!b || b->nr == b->max) {
		b = tlb_next_batch(tlb);
		if (!b)
			return false;
		tlb->active = b;
	}
	b->pages[b->nr++] = page;
	return true;
}

static void tlb_range_add(struct mmu_gather *tlb, unsigned long addr)
{
	tlb->start = MIN(tlb->start, addr);
	tlb->end = MAX(tlb->end, addr + PAGE_SIZE);
}

/*
 * A gathered huge page is one entry: its first page with this bit set in
 * the pointer (struct pages are 8-byte aligned), standing for the
 * references of all 512 (include/mm/huge_mm.h). Linux gathers the
 * folio, whose single count covers the same.
 */
#define TLB_HUGE_PAGE 1UL

/* Drop a gathered entry's references. */
static void tlb_put(struct page *entry)
{
	unsigned long v = (unsigned long)entry;

	if (!(v & TLB_HUGE_PAGE)) {
		put_page(entry);
		return;
	}
	entry = (struct page *)(v & ~TLB_HUGE_PAGE);
	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++)
		put_page(entry + i);
}

/* Shoot down what was unmapped, then drop the pages' references. The
 * batches stay for the next round. No page-table lock held. Linux's
 * tlb_flush_mmu(). */
static void tlb_flush_mmu(struct mmu_gather *tlb)
{
	if (tlb->start < tlb->end)
		flush_tlb_mm_range(tlb->mm, tlb->start, tlb->end);
	for (unsigned int i = 0; i < tlb->nr_local; i++)
		tlb_put(tlb->local[i]);
	tlb->nr_local = 0;
	for (struct mmu_gather_batch *b = tlb->batches; b; b = b->next) {
		for (unsigned int i = 0; i < b->nr; i++)
			tlb_put(b->pages[i]);
		b->nr = 0;
		if (b == tlb->active)
			break; /* the ones after it were never filled */
	}
	tlb->active = NULL;
	tlb->full = false;
	tlb->start = ~0UL;
	tlb->end = 0;
}

/* The last flush, covering the freed tables, then free them. Linux's
 * tlb_finish_mmu(). */
static void tlb_finish_mmu(struct mmu_gather *tlb)
{
	tlb_flush_mmu(tlb);
	while (tlb->batches) {
		struct mmu_gather_batch *b = tlb->batches;

		tlb->batches = b->next;
		free_page((unsigned long)b);
	}
	if (list_empty(&tlb->tables))
		return;
	/* A table's span: its cached upper-level entries go too (a CR3
	 * reload above 64 pages drops every paging-structure cache). */
	flush_tlb_mm_range(tlb->mm, tlb->tables_start, tlb->tables_end);
	while (!list_empty(&tlb->tables)) {
		struct page *p =
			list_first_entry(&tlb->tables, struct page, lru);

		list_del_init(&p->lru);
		free_page((unsigned long)page_address(p));
	}
}

/*
 * Unmap the PTEs of [addr, end) under one pmd, under that table's PTE
 * lock. Returns where it stopped: end, or earlier when the batch is full
 * (the caller flushes and comes back).
 */
static unsigned long zap_pte_range(struct mmu_gather *tlb, pmd_t *pmd,
				   unsigned long addr, unsigned long end)
{
	struct mm_struct *mm = tlb->mm;
	unsigned long flags;
	spinlock_t *ptl;
	pte_t *start = pte_offset_map_lock(mm, pmd, addr, &ptl, &flags);
	pte_t *pte = start;

	update_hiwater_rss(mm); /* rss only goes down from here */
	do {
		pte_t ptent = *pte;

		/* A POE mark: no page behind it, just forget it, under its
		 * lock bit so that no walker maps it meanwhile. (munmap and
		 * madvise cleared the marks already, poe_unmark_range(); at
		 * exit no walker runs the mm.) If a walker mapped it first,
		 * it is a page now. */
		if (pte_poeable(ptent)) {
			if (poe_pte_lock(pte)) {
				pte_clear(mm, addr, pte);
				continue;
			}
			ptent = READ_ONCE(*pte);
		}
		if (pte_present(ptent)) {
			pfn_t pfn = pte_pfn(ptent);

			if (!is_zero_pfn(pfn)) {
				struct page *page = pfn_to_page(pfn);

				if (!tlb_remove_page(tlb, page)) {
					tlb->full = true;
					break; /* flush, then resume */
				}
				page_remove_rmap(page, mm);
				mm->rss--; /* the zero page is not counted */
			}
			pte_clear(mm, addr, pte);
			tlb_range_add(tlb, addr);
		}
	} while (pte++, addr += PAGE_SIZE, addr != end);
	pte_unmap_unlock(start, ptl, flags);
	return addr;
}

/*
 * Unmap the huge pmd *pmd, all 2 MiB of it, under page_table_lock; its
 * pages' references wait for the flush as one gathered entry. Returns 1
 * when done, 0 when the gather is full (flush and come back), -1 when
 * the pmd is no longer huge (split meanwhile: zap its PTEs instead).
 * Linux's zap_huge_pmd().
 */
static int zap_huge_pmd(struct mmu_gather *tlb, pmd_t *pmd, unsigned long addr)
{
	struct mm_struct *mm = tlb->mm;
	unsigned long flags;
	int ret = 1;
	pmd_t old;

	update_hiwater_rss(mm);
	spin_lock_irqsave(&mm->page_table_lock, flags);
	old = READ_ONCE(*pmd);
	if (!pmd_trans_huge(old)) {
		ret = -1;
	} else if (!is_huge_zero_pmd(old) &&
		   !tlb_remove_page(tlb,
				    (struct page *)((unsigned long)pfn_to_page(
							    pmd_pfn(old)) |
						    TLB_HUGE_PAGE))) {
		ret = 0;
	} else {
		zap_huge_pmd_locked(mm, pmd);
		tlb_range_add(tlb, addr);
		tlb_range_add(tlb, addr + HPAGE_PMD_SIZE - PAGE_SIZE);
	}
	spin_unlock_irqrestore(&mm->page_table_lock, flags);
	return ret;
}

static unsigned long zap_pmd_range(struct mmu_gather *tlb, pud_t *pud,
				   unsigned long addr, unsigned long end)
{
	pmd_t *pmd = pmd_offset(pud, addr);
	unsigned long next, stop;

	do {
		next = pmd_addr_end(addr, end);
		/* A mark left in the range (munmap and MADV_DONTNEED clear
		 * them first; exit does not): clear it, as a page table's
		 * marks go with their table. */
		if (pmd_poeable(READ_ONCE(*pmd)))
			poe_pmd_unmark(tlb->mm, pmd);
		if (pmd_none(*pmd))
			continue;
		if (pmd_trans_huge(READ_ONCE(*pmd))) {
			int done = -1;

			/* Part of it: 512 PTEs first, then zap those. */
			if (next - addr < HPAGE_PMD_SIZE)
				split_huge_pmd(tlb->mm, pmd, addr);
			else
				done = zap_huge_pmd(tlb, pmd, addr);
			if (done == 0) {
				tlb->full = true;
				return addr; /* flush, then resume */
			}
			if (done == 1) {
				if (next != end)
					return next;
				continue;
			}
		}
		stop = zap_pte_range(tlb, pmd, addr, next);
		/* Full, or one page table done: back to zap_page_range(),
		 * which flushes when the gather is full; the PTE lock was
		 * dropped (interrupts are on), as Linux takes it one table
		 * at a time. */
		if (stop != next || next != end)
			return stop;
	} while (pmd++, addr = next, addr != end);
	return end;
}

static unsigned long zap_pud_range(struct mmu_gather *tlb, pgd_t *pgd,
				   unsigned long addr, unsigned long end)
{
	pud_t *pud = pud_offset(pgd, addr);
	unsigned long next, stop;

	do {
		next = pud_addr_end(addr, end);
		if (pud_none(*pud))
			continue;
		stop = zap_pmd_range(tlb, pud, addr, next);
		if (stop != next)
			return stop;
	} while (pud++, addr = next, addr != end);
	return end;
}

/* Unmap the pages of [addr, end), the tables stay; returns where it
 * stopped: end, or earlier after one page table or with a full gather
 * (tlb->full). Linux's. */
static unsigned long unmap_page_range(struct mmu_gather *tlb,
				      unsigned long addr, unsigned long end)
{
	pgd_t *pgd = pgd_offset(tlb->mm, addr);
	unsigned long next, stop;

	do {
		next = pgd_addr_end(addr, end);
		if (pgd_none(*pgd))
			continue;
		stop = zap_pud_range(tlb, pgd, addr, next);
		if (stop != next)
			return stop;
	} while (pgd++, addr = next, addr != end);
	return end;
}

/*
 * Free the table *entry points to if nothing is left in it and its whole
 * span lies in [tlb->floor, tlb->ceiling). Linux frees the tables of a
 * range that no VMA around it can use (free_pgtables()'s floor and
 * ceiling, the ends of the neighbouring VMAs); we also keep a table that
 * is not empty, which covers madvise(MADV_DONTNEED) and the error paths,
 * where floor and ceiling are not set. The page itself waits for the
 * shootdown (tlb_finish_mmu()); addr is an address inside its span, size
 * the span in bytes.
 *
 * Takes page_table_lock for this one table only: the look at its 512
 * entries and the unhooking, a few thousand instructions with interrupts
 * off. Held across the whole walk, as it once was, the lock kept
 * interrupts off for as long as the range had tables: tens of
 * milliseconds for an exit or munmap of a range a program had strewn
 * with PTE tables, one page per 2 MiB. Between tables nothing can hook
 * a table in here: no VMA covers the span (or mmap_lock is held for
 * writing), and only one unmap at a time frees tables (the next waits
 * for the write hold).
 */
static void free_table_if_empty(struct mmu_gather *tlb, u64 *entry,
				unsigned long addr, unsigned long size)
{
	unsigned long span = addr & ~(size - 1), flags;
	struct mm_struct *mm = tlb->mm;
	u64 *table;

	/* A VMA beside the range may use (or fault into) this table. */
	if (span < tlb->floor || span + size - 1 > tlb->ceiling - 1)
		return;
	spin_lock_irqsave(&mm->page_table_lock, flags);
	/* Nothing, or a 2 MiB page rather than a table. */
	if (!*entry || (size == PMD_SIZE &&
			(pmd_trans_huge(*entry) || pmd_poeable(*entry))))
		goto out;
	table = __va(*entry & PTE_PFN_MASK);
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		if (table[i])
			goto out;
	if (size == PMD_SIZE) /* a PTE table */
		ptlock_free(virt_to_page(table));
	WRITE_ONCE(*entry, 0);
	list_add(&virt_to_page(table)->lru, &tlb->tables);
	tlb->tables_start = MIN(tlb->tables_start, span);
	tlb->tables_end = MAX(tlb->tables_end, span + size);
	mm->nr_pgtables--;
out:
	spin_unlock_irqrestore(&mm->page_table_lock, flags);
}

static void free_pmd_range(struct mmu_gather *tlb, pud_t *pud,
			   unsigned long addr, unsigned long end)
{
	pmd_t *pmd = pmd_offset(pud, addr);
	unsigned long next, start = addr;

	do {
		next = pmd_addr_end(addr, end);
		if (pmd_none(*pmd))
			continue;
		/* the page table */
		free_table_if_empty(tlb, pmd, addr, PMD_SIZE);
	} while (pmd++, addr = next, addr != end);
	free_table_if_empty(tlb, pud, start, PUD_SIZE); /* the pmd table */
}

static void free_pud_range(struct mmu_gather *tlb, pgd_t *pgd,
			   unsigned long addr, unsigned long end)
{
	pud_t *pud = pud_offset(pgd, addr);
	unsigned long next, start = addr;

	do {
		next = pud_addr_end(addr, end);
		if (pud_none(*pud))
			continue;
		free_pmd_range(tlb, pud, addr, next);
	} while (pud++, addr = next, addr != end);
	free_table_if_empty(tlb, pgd, start, PGDIR_SIZE); /* the pud table */
}

/* The page-table pages under [addr, end) left empty: unhooked, to be
 * freed after the shootdown (the pgd stays). Only upper-level entries
 * that exist are visited, so the walk's length is the number of tables,
 * whatever the range's. */
static void free_pgtables(struct mmu_gather *tlb, unsigned long addr,
			  unsigned long end)
{
	pgd_t *pgd = pgd_offset(tlb->mm, addr);
	unsigned long next;

	do {
		next = pgd_addr_end(addr, end);
		if (pgd_none(*pgd))
			continue;
		free_pud_range(tlb, pgd, addr, next);
	} while (pgd++, addr = next, addr != end);
}

/* Unmap, then free the tables tlb's floor and ceiling allow. */
static void __zap_range(struct mmu_gather *tlb, unsigned long start,
			unsigned long end)
{
	unsigned long addr = start;

	do {
		/* One page table at a time, under its PTE lock. */
		addr = unmap_page_range(tlb, addr, end);
		/* Interrupts on: the IPIs may go. One shootdown per full
		 * gather, not per page table. */
		if (tlb->full || addr == end)
			tlb_flush_mmu(tlb);
	} while (addr != end);
	/* Tables are unhooked under page_table_lock, one at a time: a fault
	 * of the mm hooking one in, or a walk outside the VMAs (mm_dump),
	 * waits for that one (free_table_if_empty()). */
	free_pgtables(tlb, start, end);
	tlb_finish_mmu(tlb);
}

void zap_page_range(struct mm_struct *mm, unsigned long start,
		    unsigned long end)
{
	struct mmu_gather tlb;

	if (start >= end)
		return;
	/* Freeing tables VMAs may still cover: no fault may be walking
	 * them (faults hold mmap_lock for reading). */
	mmap_assert_write_locked(mm);
	tlb_gather_mmu(&tlb, mm);
	__zap_range(&tlb, start, end);
}

void unmap_region(struct mm_struct *mm, unsigned long start, unsigned long end,
		  unsigned long floor, unsigned long ceiling)
{
	struct mmu_gather tlb;

	if (start >= end)
		return;
	mmap_assert_locked(mm);
	tlb_gather_mmu(&tlb, mm);
	tlb.floor = floor;
	tlb.ceiling = ceiling;
	__zap_range(&tlb, start, end);
}

void free_empty_pgtables(struct mm_struct *mm, unsigned long start,
			 unsigned long end)
{
	struct mmu_gather tlb;

	if (start >= end)
		return;
	mmap_assert_write_locked(mm);
	tlb_gather_mmu(&tlb, mm);
	tlb.floor = start;
	tlb.ceiling = end;
	free_pgtables(&tlb, start, end);
	tlb_finish_mmu(&tlb);
}

/* ---- copy_page_range: fork ---- */

/*
 * One page table: the child's PTE lock, then the parent's, as Linux's
 * copy_pte_range() nests them (a child's lock is one nobody else can
 * want yet, so the order cannot deadlock; it is the documented one).
 */
/* LAB cow: BEGIN */
static int copy_pte_range(struct vm_area_struct *dst_vma,
			  struct vm_area_struct *src_vma, pmd_t *src_pmd,
			  unsigned long addr, unsigned long end)
{
	struct mm_struct *dst_mm = dst_vma->vm_mm, *src_mm = src_vma->vm_mm;
	bool cow = !(src_vma->vm_flags & VM_SHARED);
	unsigned long dflags = 0, sflags;
	spinlock_t *dst_ptl = NULL, *src_ptl;
	pmd_t *dst_pmd = NULL;
	pte_t *src_start, *src_pte;

again:
	if (dst_pmd) {
		dst_ptl = pte_lockptr(dst_mm, dst_pmd);
		spin_lock_irqsave(dst_ptl, dflags);
	}
	src_start = src_pte =
		pte_offset_map_lock(src_mm, src_pmd, addr, &src_ptl, &sflags);
	do {
		pte_t pte = *src_pte;
		pfn_t pfn;

		/* Holes stay holes; POE marks carry the parent's TGID and are
		 * not inherited. */
		if (!pte_present(pte))
			continue;
		/* The child's tables, built at the first page to copy, so that
		 * it gets no tables with nothing in them. Building takes
		 * page_table_lock, never under a PTE lock: drop the parent's,
		 * build, and start again at this page, as Linux's
		 * copy_pte_range() does when it must allocate. */
		if (!dst_pmd) {
			pte_unmap_unlock(src_start, src_ptl, sflags);
			dst_pmd = walk_to_pmd(dst_mm, addr);
			if (!dst_pmd || pte_alloc(dst_mm, dst_pmd))
				return -ENOMEM;
			goto again;
		}
		pfn = pte_pfn(pte);
		if (cow && pte_write(pte)) {
			pte = pte_wrprotect(pte);
			set_pte(src_pte, pte);
		}
		/* The child's copy is not write-protected by a userfaultfd
		 * unless its VMA stayed registered in that mode (Linux's
		 * copy_present_pte()): a stale mark would fault a later
		 * registration's writes it never protected. */
		if (!(dst_vma->vm_flags & VM_UFFD_WP))
			pte = pte_clear_uffd_wp(pte);
		set_pte(pte_offset_kernel(dst_pmd, addr), pte);
		if (!is_zero_pfn(pfn)) {
			get_page(pfn_to_page(pfn));
			dst_mm->rss++;
		}
	} while (src_pte++, addr += PAGE_SIZE, addr != end);
	pte_unmap_unlock(src_start, src_ptl, sflags);
	if (dst_ptl)
		spin_unlock_irqrestore(dst_ptl, dflags);
	return 0;
}

static int copy_pmd_range(struct vm_area_struct *dst_vma,
			  struct vm_area_struct *src_vma, pud_t *src_pud,
			  unsigned long addr, unsigned long end)
{
	pmd_t *src_pmd = pmd_offset(src_pud, addr);
	unsigned long next;
	int err;

	do {
		next = pmd_addr_end(addr, end);
		/* A POE mark is the parent's alone: fork gives the child
		 * no marks (docs/poe.md). */
		if (pmd_none(*src_pmd) || pmd_poeable(*src_pmd))
			continue;
		/* A 2 MiB page: shared whole (VMA edges never cut one:
		 * split_at_edges() splits it first). */
		if (pmd_trans_huge(*src_pmd)) {
			err = copy_huge_pmd(dst_vma, src_vma, src_pmd, addr);
			if (err)
				return err;
			continue;
		}
		err = copy_pte_range(dst_vma, src_vma, src_pmd, addr, next);
		if (err)
			return err;
	} while (src_pmd++, addr = next, addr != end);
	return 0;
}

static int copy_pud_range(struct vm_area_struct *dst_vma,
			  struct vm_area_struct *src_vma, pgd_t *src_pgd,
			  unsigned long addr, unsigned long end)
{
	pud_t *src_pud = pud_offset(src_pgd, addr);
	unsigned long next;
	int err;

	do {
		next = pud_addr_end(addr, end);
		if (pud_none(*src_pud))
			continue;
		err = copy_pmd_range(dst_vma, src_vma, src_pud, addr, next);
		if (err)
			return err;
	} while (src_pud++, addr = next, addr != end);
	return 0;
}

int copy_page_range(struct vm_area_struct *dst_vma,
		    struct vm_area_struct *src_vma)
{
	unsigned long addr = src_vma->vm_start, end = src_vma->vm_end, next;
	pgd_t *src_pgd = pgd_offset(src_vma->vm_mm, addr);
	int err = 0;

	/* Both page tables change, one PTE table at a time under both PTE
	 * locks (copy_pte_range()). */
	do {
		next = pgd_addr_end(addr, end);
		if (pgd_none(*src_pgd))
			continue;
		err = copy_pud_range(dst_vma, src_vma, src_pgd, addr, next);
		if (err)
			break;
	} while (src_pgd++, addr = next, addr != end);
	return err;
}
/* LAB cow: END */
/* LAB cow: STUB
int copy_page_range(struct vm_area_struct *dst_vma,
		    struct vm_area_struct *src_vma)
{
	(void)dst_vma;
	(void)src_vma;
	(void)walk_to_pmd;
	return -ENOSYS;
}
*/

/* ---- change_protection: mprotect ---- */

/* One page table, under its PTE lock. */
static void change_pte_range(struct mm_struct *mm, pmd_t *pmd,
			     unsigned long addr, unsigned long end, u64 prot)
{
	unsigned long flags;
	spinlock_t *ptl;
	pte_t *start = pte_offset_map_lock(mm, pmd, addr, &ptl, &flags);
	pte_t *pte = start;

	do {
		pte_t oldpte = *pte;
		u64 newprot = prot;
		pfn_t pfn;

		if (pte_poeable(oldpte)) {
			/* A POE mark carries the rights the walker will map
			 * with: follow the VMA, or drop it for PROT_NONE. Under
			 * its lock bit, which the new value releases; if a
			 * walker mapped it first, it is a page now. */
			if (poe_pte_lock(pte)) {
				oldpte &= ~(_PAGE_POE_RIGHTS | _PAGE_POE_LOCK);
				set_pte(pte,
					(prot & _PAGE_PRESENT) ?
						oldpte | (prot &
							  _PAGE_POE_RIGHTS) :
						0);
				continue;
			}
			oldpte = READ_ONCE(*pte);
		}
		if (!pte_present(oldpte))
			continue;
		pfn = pte_pfn(oldpte);
		/* Still copy-on-write, or write-protected by a userfaultfd
		 * (which keeps its mark: only UFFDIO_WRITEPROTECT removes
		 * it, as in Linux's change_pte_range()). */
		if (is_zero_pfn(pfn) || pfn_to_page(pfn)->refcount > 1 ||
		    pte_uffd_wp(oldpte))
			newprot &= ~_PAGE_RW;
		set_pte(pte,
			pfn_pte(pfn, newprot | (oldpte &
						(_PAGE_ACCESSED | _PAGE_DIRTY |
						 _PAGE_UFFD_WP))));
	} while (pte++, addr += PAGE_SIZE, addr != end);
	pte_unmap_unlock(start, ptl, flags);
}

static void change_pmd_range(struct mm_struct *mm, pud_t *pud,
			     unsigned long addr, unsigned long end, u64 prot)
{
	pmd_t *pmd = pmd_offset(pud, addr);
	unsigned long next;

	do {
		next = pmd_addr_end(addr, end);
		/* A 2 MiB mark goes: its range takes the full handler
		 * from now on (docs/poe.md, "Huge pages"). */
		if (pmd_poeable(READ_ONCE(*pmd)))
			poe_pmd_unmark(mm, pmd);
		if (pmd_none(*pmd))
			continue;
		if (pmd_trans_huge(READ_ONCE(*pmd))) {
			if (next - addr == HPAGE_PMD_SIZE) {
				change_huge_pmd(mm, pmd, prot);
				continue;
			}
			split_huge_pmd(mm, pmd, addr); /* part of it */
		}
		change_pte_range(mm, pmd, addr, next, prot);
	} while (pmd++, addr = next, addr != end);
}

static void change_pud_range(struct mm_struct *mm, pgd_t *pgd,
			     unsigned long addr, unsigned long end, u64 prot)
{
	pud_t *pud = pud_offset(pgd, addr);
	unsigned long next;

	do {
		next = pud_addr_end(addr, end);
		if (pud_none(*pud))
			continue;
		change_pmd_range(mm, pud, addr, next, prot);
	} while (pud++, addr = next, addr != end);
}

void change_protection(struct mm_struct *mm, unsigned long start,
		       unsigned long end, u64 prot)
{
	unsigned long addr = start, next;
	pgd_t *pgd;

	if (start >= end)
		return;
	pgd = pgd_offset(mm, addr);
	do {
		next = pgd_addr_end(addr, end);
		if (pgd_none(*pgd))
			continue;
		change_pud_range(mm, pgd, addr, next, prot);
	} while (pgd++, addr = next, addr != end);
	/* Every PTE lock dropped: interrupts are on for the IPIs. */
	flush_tlb_mm_range(mm, start, end);
}

/* ---- dump_pagetable ---- */

/* LAB pgwalk: BEGIN */
static void print_entry(const char *level, u64 e)
{
	printk("  %s %016lx%s%s%s%s%s%s%s%s\n", level, (unsigned long)e,
	       e & _PAGE_PRESENT ? " P" : " -", e & _PAGE_RW ? " RW" : " RO",
	       e & _PAGE_USER ? " U" : " S", e & _PAGE_ACCESSED ? " A" : "",
	       e & _PAGE_DIRTY ? " D" : "", e & _PAGE_PSE ? " PS" : "",
	       e & _PAGE_NX ? " NX" : "", e & _PAGE_UFFD_WP ? " UFFD_WP" : "");
}

/* One page's walk; page_table_lock held. */
static void dump_one_page(struct mm_struct *mm, unsigned long va)
{
	pgd_t *pgd = pgd_offset(mm, va);
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;

	printk("walk %016lx:\n", va);
	print_entry("pgd", *pgd);
	if (!pgd_present(*pgd))
		return;
	pud = pud_offset(pgd, va);
	print_entry("pud", *pud);
	if (!pud_present(*pud))
		return;
	pmd = pmd_offset(pud, va);
	print_entry("pmd", *pmd);
	if (pmd_trans_huge(*pmd)) {
		/* A 2 MiB page: no PTE level. The CPU's view, as below. */
		if (pmd_present(*pmd))
			printk("  pfn %#lx (2M page%s) refcount %d\n",
			       (unsigned long)pmd_pfn(*pmd) + pte_index(va),
			       is_huge_zero_pmd(*pmd) ? ", huge zero page" : "",
			       pfn_to_page(pmd_pfn(*pmd) + pte_index(va))
				       ->refcount);
		return;
	}
	if (!pmd_present(*pmd))
		return;
	pte = pte_offset_kernel(pmd, va);
	print_entry("pte", *pte);
	/* The CPU's view: a PROT_NONE entry shows no frame. */
	if (pte_flags(*pte) & _PAGE_PRESENT)
		printk("  pfn %#lx%s refcount %d\n",
		       (unsigned long)pte_pfn(*pte),
		       is_zero_pfn(pte_pfn(*pte)) ? " (zero page)" : "",
		       pfn_to_page(pte_pfn(*pte))->refcount);
}

void dump_pagetable(struct mm_struct *mm, unsigned long start,
		    unsigned long end)
{
	unsigned long flags;

	for (unsigned long va = start & PAGE_MASK; va < end; va += PAGE_SIZE) {
		spin_lock_irqsave(&mm->page_table_lock, flags);
		dump_one_page(mm, va);
		spin_unlock_irqrestore(&mm->page_table_lock, flags);
	}
}
/* LAB pgwalk: END */
/* LAB pgwalk: STUB
void dump_pagetable(struct mm_struct *mm, unsigned long start,
		    unsigned long end)
{
	(void)mm;
	printk("lab pgwalk: dump_pagetable(%#lx, %#lx) not implemented\n",
	       start, end);
}
*/
