/*
 * pgtable.h - a user address space's 4-level page tables (mm/pgtable.c)
 * with Linux's names and meanings: pgd (PML4) -> pud (PDPT) -> pmd (PD)
 * -> pte (PT). There is no p4d level: with 4-level paging Linux folds it
 * into the pgd, and we leave it out. The bits are asm/pgtable_bits.h.
 *
 * One address, level by level, as in Linux:
 *
 *	pgd = pgd_offset(mm, addr);
 *	if (pgd_none(*pgd))		no pud table under this entry
 *		...
 *	pud = pud_offset(pgd, addr);	and so on: pmd_offset(),
 *					pte_offset_kernel()
 *
 * The _offset() helpers never fail and never return NULL: they index the
 * table the entry above points to, so the caller checks that entry first
 * (pXd_none() / pXd_present()). pud_alloc(), pmd_alloc() and pte_alloc()
 * build a missing table instead.
 *
 * A range, one loop per level: each step covers [addr, next) with next =
 * pXd_addr_end(addr, end), the end of this entry's span or end if that
 * comes first (mm/pgtable.c: unmap_page_range() and its siblings).
 *
 * Locks, as Linux's with USE_SPLIT_PTE_PTLOCKS (docs/concurrency.md):
 * everything here runs with the mm's mmap_lock held. The entries of a
 * PTE table are read and changed under that table's own PTE lock
 * (pte_lockptr(), taken by pte_offset_map_lock()); the upper levels
 * (a pud, pmd or PTE table hooked into the level above, or unhooked)
 * change under mm->page_table_lock, which pud_alloc(), pmd_alloc() and
 * pte_alloc() take themselves. So two faults of one mm in different
 * 2 MiB page tables never wait for each other. The range calls
 * (zap_page_range(), unmap_region(), copy_page_range(),
 * change_protection(), apply_to_page_range(), walk_page_range()) take
 * the locks they need themselves.
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include <kernel/spinlock.h>
#include <kernel/types.h>
#include <mm/page.h>
#include <asm/pgtable_bits.h>

struct mm_struct;
struct vm_area_struct;

/*
 * One entry of each level. Linux wraps each in a struct (read with
 * pte_val() etc.) so that the compiler keeps the levels apart; ours are
 * plain 64-bit values.
 */
typedef u64 pgd_t, pud_t, pmd_t, pte_t;

/* Intermediate entries allow everything; the PTE decides the rights. */
#define _PAGE_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)

/* The pgd entries of the kernel half (Linux's names): 256..511. */
#define KERNEL_PGD_BOUNDARY pgd_index(PAGE_OFFSET)
#define KERNEL_PGD_PTRS	    (PTRS_PER_TABLE - KERNEL_PGD_BOUNDARY)

/*
 * pte_flags - every bit of a PTE but the frame number: the hardware rights
 * and status bits, and the software bits (_PAGE_PROTNONE, the POE bits).
 * Linux's pte_flags().
 */
static inline u64 pte_flags(pte_t pte)
{
	return pte & ~PTE_PFN_MASK;
}

/* pte_none - an empty slot: no frame, no mark. Linux's pte_none(). */
static inline bool pte_none(pte_t pte)
{
	return pte == 0;
}

/*
 * pte_present - a frame is attached: the entry is present for the CPU
 * (_PAGE_PRESENT), or it is a PROT_NONE entry that keeps its frame while
 * the CPU sees it as not present (_PAGE_PROTNONE). This is x86 Linux's
 * pte_present(): mm code asks "is there a page here?", not "would the CPU
 * use this entry?".
 *
 * The CPU's own view is tested as `pte_flags(pte) & _PAGE_PRESENT`, the way
 * Linux's x86 code tests it (pte_protnone(), pte_accessible(), the fault
 * dump). We do not give that test a name of its own because Linux has none:
 * its pte_accessible() also says true for a PROT_NONE entry while a TLB
 * flush is pending, which is a different question.
 */
static inline bool pte_present(pte_t pte)
{
	return pte_flags(pte) & (_PAGE_PRESENT | _PAGE_PROTNONE);
}

/* pte_protnone - a PROT_NONE entry: a frame, not present. Linux's. */
static inline bool pte_protnone(pte_t pte)
{
	return (pte_flags(pte) & (_PAGE_PRESENT | _PAGE_PROTNONE)) ==
	       _PAGE_PROTNONE;
}

/*
 * pte_poeable - a not-present PTE the POE pre-fault thread marked for the
 * emulated walker (layout: asm/pgtable_bits.h; include/mm/poe.h). Not
 * pte_none() and not pte_present(): no frame yet, but not empty either.
 */
static inline bool pte_poeable(pte_t pte)
{
	return (pte_flags(pte) & (_PAGE_PRESENT | _PAGE_POEABLE)) ==
	       _PAGE_POEABLE;
}

static inline bool pte_write(pte_t pte)
{
	return pte & _PAGE_RW;
}
/* pte_wrprotect - the same entry, read-only. Linux's. */
static inline pte_t pte_wrprotect(pte_t pte)
{
	return pte & ~_PAGE_RW;
}
/*
 * pte_uffd_wp / pte_mkuffd_wp / pte_clear_uffd_wp - the userfaultfd
 * write-protect bit (asm/pgtable_bits.h). Marking also takes the write
 * right away: a marked entry is never writable. Linux's.
 */
static inline bool pte_uffd_wp(pte_t pte)
{
	return pte & _PAGE_UFFD_WP;
}
static inline pte_t pte_mkuffd_wp(pte_t pte)
{
	return pte_wrprotect(pte) | _PAGE_UFFD_WP;
}
static inline pte_t pte_clear_uffd_wp(pte_t pte)
{
	return pte & ~_PAGE_UFFD_WP;
}
static inline pfn_t pte_pfn(pte_t pte)
{
	return (pte & PTE_PFN_MASK) >> PAGE_SHIFT;
}
static inline pte_t pfn_pte(pfn_t pfn, u64 prot)
{
	return ((u64)pfn << PAGE_SHIFT) | prot;
}
/* set_pte - write an entry in one store (the POE walker reads it). */
static inline void set_pte(pte_t *ptep, pte_t pte)
{
	*(volatile pte_t *)ptep = pte;
}
/* pte_clear - empty an entry. Linux's (the mm and address are for
 * architectures that need them). */
static inline void pte_clear(struct mm_struct *mm, unsigned long addr,
			     pte_t *ptep)
{
	(void)mm;
	(void)addr;
	set_pte(ptep, 0);
}

/*
 * The upper levels. A pgd or pud entry is either empty or points to a
 * table. A pmd entry may also map a 2 MiB transparent huge page itself
 * (pmd_trans_huge(): _PAGE_PSE; include/mm/huge_mm.h), present or, after
 * mprotect(PROT_NONE), not present with _PAGE_PROTNONE. pmd_present() is
 * the CPU's present bit only: a walk that follows a pmd to its PTE table
 * tests pmd_trans_huge() first. (Linux's pmd_present() also says true
 * for a PROT_NONE huge pmd; ours leaves that to pmd_trans_huge().)
 */
static inline bool pgd_none(pgd_t pgd)
{
	return pgd == 0;
}
static inline bool pgd_present(pgd_t pgd)
{
	return pgd & _PAGE_PRESENT;
}
static inline bool pud_none(pud_t pud)
{
	return pud == 0;
}
static inline bool pud_present(pud_t pud)
{
	return pud & _PAGE_PRESENT;
}
static inline bool pmd_none(pmd_t pmd)
{
	return pmd == 0;
}
static inline bool pmd_present(pmd_t pmd)
{
	return pmd & _PAGE_PRESENT;
}
/*
 * pmd_poeable - a not-present pmd the POE pre-fault work marked for a
 * 2 MiB page from the walker's huge table (docs/poe.md, "Huge pages"):
 * the POEable PTE's layout (asm/pgtable_bits.h) one level up, with no PS
 * bit. Neither pmd_none() nor pmd_present() nor pmd_trans_huge(): it
 * points to no table, and every walk of the pmd level must treat it as
 * holding none (mm/poe_huge.c clears it where a table is needed). Ours:
 * the patent's POEable bit at the PMD.
 */
static inline bool pmd_poeable(pmd_t pmd)
{
	return (pmd & (_PAGE_PRESENT | _PAGE_POEABLE | _PAGE_PSE)) ==
	       _PAGE_POEABLE;
}
/* pud_leaf / pmd_leaf - the entry maps a 1 GiB / 2 MiB page itself (PS
 * bit) instead of pointing to a table. Linux's pud_leaf(), pmd_leaf(). */
static inline bool pud_leaf(pud_t pud)
{
	return pud & _PAGE_PSE;
}
static inline bool pmd_leaf(pmd_t pmd)
{
	return pmd & _PAGE_PSE;
}

/* The frame bits of a pmd that maps a 2 MiB page: 21..51 (bit 12 there
 * is the large page's PAT bit, never set here). */
#define PMD_PFN_MASK (PTE_PFN_MASK & ~(PMD_SIZE - 1))

/*
 * pmd_trans_huge - the entry maps a transparent huge page (present or
 * PROT_NONE) rather than pointing to a PTE table. Linux's.
 */
static inline bool pmd_trans_huge(pmd_t pmd)
{
	return pmd & _PAGE_PSE;
}
/* pmd_pfn / pmd_flags / pfn_pmd - a huge pmd's first frame, its other
 * bits, and the entry for a frame and bits (which must hold _PAGE_PSE).
 * Linux's. */
static inline pfn_t pmd_pfn(pmd_t pmd)
{
	return (pmd & PMD_PFN_MASK) >> PAGE_SHIFT;
}
static inline u64 pmd_flags(pmd_t pmd)
{
	return pmd & ~PMD_PFN_MASK;
}
static inline pmd_t pfn_pmd(pfn_t pfn, u64 prot)
{
	return ((u64)pfn << PAGE_SHIFT) | prot;
}
static inline bool pmd_write(pmd_t pmd)
{
	return pmd & _PAGE_RW;
}

/*
 * The table an entry points to, through the direct map: Linux's
 * pgd_page_vaddr() (its p4d_pgtable() when p4d is folded), pud_pgtable()
 * and pmd_page_vaddr(), with their return types.
 */
static inline unsigned long pgd_page_vaddr(pgd_t pgd)
{
	return (unsigned long)__va(pgd & PTE_PFN_MASK);
}
static inline pmd_t *pud_pgtable(pud_t pud)
{
	return (pmd_t *)__va(pud & PTE_PFN_MASK);
}
static inline unsigned long pmd_page_vaddr(pmd_t pmd)
{
	return (unsigned long)__va(pmd & PTE_PFN_MASK);
}

/*
 * The entry for addr in each level's table. pgd_offset() takes the mm
 * (its pgd is always there); the others take the entry above, which must
 * point to a table. Linux's pgd_offset_pgd(), pgd_offset(), pud_offset()
 * (given the pgd entry that plays p4d), pmd_offset(), pte_offset_kernel().
 * Linux reaches user PTE tables with pte_offset_map(), which also maps a
 * high-memory table on 32-bit machines; with every table in the direct
 * map, pte_offset_kernel() is the same thing here.
 */
static inline pgd_t *pgd_offset_pgd(pgd_t *pgd, unsigned long addr)
{
	return pgd + pgd_index(addr);
}
#define pgd_offset(mm, addr) pgd_offset_pgd((mm)->pgd, (addr))
static inline pud_t *pud_offset(pgd_t *pgd, unsigned long addr)
{
	return (pud_t *)pgd_page_vaddr(*pgd) + pud_index(addr);
}
static inline pmd_t *pmd_offset(pud_t *pud, unsigned long addr)
{
	return pud_pgtable(*pud) + pmd_index(addr);
}
static inline pte_t *pte_offset_kernel(pmd_t *pmd, unsigned long addr)
{
	return (pte_t *)pmd_page_vaddr(*pmd) + pte_index(addr);
}

/* pmd_page - the struct page of the PTE table *pmd points to (the entry
 * must point to one). Linux's pmd_page(). */
static inline struct page *pmd_page(pmd_t pmd)
{
	return pfn_to_page((pmd & PTE_PFN_MASK) >> PAGE_SHIFT);
}

/*
 * Split PTE locks, as Linux's USE_SPLIT_PTE_PTLOCKS: every PTE table has
 * its own spinlock, in its struct page (page->ptl), for its entries.
 * Linux allocates the lock apart when a spinlock is bigger than a long
 * (ALLOC_SPLIT_PTLOCKS, lock debugging); ours is an int, so it lives in
 * struct page, as Linux's does in a normal build. The upper levels have
 * no split locks (Linux's USE_SPLIT_PMD_PTLOCKS is for huge pages, which
 * we do not have): pmd_lock() is mm->page_table_lock.
 *
 * pte_lockptr - the lock of the PTE table *pmd points to (the entry must
 * point to one). Linux's pte_lockptr(); the mm is for its non-split
 * configuration, where it returns &mm->page_table_lock.
 */
static inline spinlock_t *pte_lockptr(struct mm_struct *mm, pmd_t *pmd)
{
	(void)mm;
	return &pmd_page(*pmd)->ptl;
}

/*
 * ptlock_init - make a new PTE table's lock free, before the table is
 * hooked into its pmd (pte_alloc()). Linux's ptlock_init(), which
 * pgtable_pte_page_ctor() calls; ours cannot fail (nothing to allocate).
 * ptlock_free - a PTE table is being unhooked to be freed: panics if its
 * lock is held, which would mean someone is still working in a table
 * about to go. Linux's ptlock_free() (pgtable_pte_page_dtor()), which
 * frees a separately allocated lock instead.
 */
static inline void ptlock_init(struct page *page)
{
	spin_lock_init(&page->ptl);
}
void ptlock_free(struct page *page);

/*
 * pte_offset_map_lock - the PTE slot for addr in the PTE table *pmd
 * points to (the entry must point to one), returned with that table's
 * lock held, interrupts off: the lock in *ptlp, the saved interrupt flag
 * in *irqflags. pte_unmap_unlock() gives both back. Linux's, with one
 * argument more because our spinlocks always save the interrupt flag
 * (the POE PTE lock bit must only be held with interrupts off).
 */
static inline pte_t *pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd,
					 unsigned long addr, spinlock_t **ptlp,
					 unsigned long *irqflags)
{
	spinlock_t *ptl = pte_lockptr(mm, pmd);

	spin_lock_irqsave(ptl, *irqflags);
	*ptlp = ptl;
	return pte_offset_kernel(pmd, addr);
}

/* pte_unmap_unlock - the end of pte_offset_map_lock(). Linux's. */
static inline void pte_unmap_unlock(pte_t *pte, spinlock_t *ptl,
				    unsigned long irqflags)
{
	(void)pte;
	spin_unlock_irqrestore(ptl, irqflags);
}

/*
 * pgd_addr_end / pud_addr_end / pmd_addr_end - where the span of addr's
 * entry at this level ends (bytes), or end if that comes first: the next
 * step of a range walk. The comparison is done one below both values so
 * that a span ending at the top of the address space (boundary 0) still
 * compares right. Linux's macros of the same names.
 */
static inline unsigned long
__pgtable_addr_end(unsigned long addr, unsigned long end, unsigned long size)
{
	unsigned long boundary = (addr + size) & ~(size - 1);

	return boundary - 1 < end - 1 ? boundary : end;
}
static inline unsigned long pgd_addr_end(unsigned long addr, unsigned long end)
{
	return __pgtable_addr_end(addr, end, PGDIR_SIZE);
}
static inline unsigned long pud_addr_end(unsigned long addr, unsigned long end)
{
	return __pgtable_addr_end(addr, end, PUD_SIZE);
}
static inline unsigned long pmd_addr_end(unsigned long addr, unsigned long end)
{
	return __pgtable_addr_end(addr, end, PMD_SIZE);
}

/* The shared zero page (mm/init.c): read faults on anonymous memory map it. */
extern pfn_t zero_pfn;
static inline bool is_zero_pfn(pfn_t pfn)
{
	return pfn == zero_pfn;
}

/*
 * pgd_alloc - a new pgd (PML4) for mm: the user half empty, the kernel
 * half copied from the kernel's own table, so that every address space
 * maps the kernel alike. Returns NULL when out of memory. pgd_free - free
 * it; the user half must be empty by then. Linux's pgd_alloc()/pgd_free().
 */
pgd_t *pgd_alloc(struct mm_struct *mm);
void pgd_free(struct mm_struct *mm, pgd_t *pgd);

/*
 * __pud_alloc / __pmd_alloc / __pte_alloc - hook a new zeroed table into
 * the empty entry *pgd / *pud / *pmd (a PTE table with its PTE lock
 * initialised: ptlock_init()), counted in mm->nr_pgtables. The table is
 * allocated with no lock held and hooked in under page_table_lock, which
 * the caller must not hold (nor a PTE lock); if another thread hooked one
 * in meanwhile, ours is freed. Return 0, or -ENOMEM. Linux's: the slow
 * paths of the inlines below.
 */
int __pud_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long addr);
int __pmd_alloc(struct mm_struct *mm, pud_t *pud, unsigned long addr);
int __pte_alloc(struct mm_struct *mm, pmd_t *pmd);

/*
 * pud_alloc / pmd_alloc - the entry for addr one level down, building a
 * zeroed table under *pgd / *pud first if it has none (__pud_alloc(),
 * __pmd_alloc()). Return NULL only when out of memory. Inline, as
 * Linux's: every fault walks through them, and the table is nearly
 * always there.
 */
static inline pud_t *pud_alloc(struct mm_struct *mm, pgd_t *pgd,
			       unsigned long addr)
{
	if (pgd_none(READ_ONCE(*pgd)) && __pud_alloc(mm, pgd, addr))
		return NULL;
	return pud_offset(pgd, addr);
}

static inline pmd_t *pmd_alloc(struct mm_struct *mm, pud_t *pud,
			       unsigned long addr)
{
	if (pud_none(READ_ONCE(*pud)) && __pmd_alloc(mm, pud, addr))
		return NULL;
	return pmd_offset(pud, addr);
}

/*
 * pte_alloc - give *pmd a page table if it has none (__pte_alloc()); a
 * POEable pmd gives up its mark for an empty table (poe_pmd_unmark()).
 * Returns 0, or nonzero (-ENOMEM) when out of memory, as Linux's
 * pte_alloc(); the caller then uses pte_offset_map_lock().
 */
static inline int pte_alloc(struct mm_struct *mm, pmd_t *pmd)
{
	pmd_t p = READ_ONCE(*pmd);

	/* Empty or a mark (pmd_none() or pmd_poeable()): one test for the
	 * common case, a table. */
	return !pmd_present(p) && !pmd_trans_huge(p) ? __pte_alloc(mm, pmd) : 0;
}

/*
 * mm_find_pmd - the pmd entry for address in mm, or NULL when the pgd or
 * pud level above it is missing; the caller checks pmd_present(). Never
 * allocates. Linux's mm_find_pmd() (mm/rmap.c).
 */
pmd_t *mm_find_pmd(struct mm_struct *mm, unsigned long address);

/*
 * follow_pte - find the present PTE (pte_present(): a frame, possibly
 * PROT_NONE) that maps user address address in mm. Returns 0 and the
 * entry in *ptepp, or -EINVAL when nothing is mapped there, and for a
 * 2 MiB page, which has no PTE (follow_phys() finds both). Linux's
 * follow_pte(), without its PTE lock: the caller holds page_table_lock,
 * so no table on the way can be unhooked (and freed) while it looks, and
 * reads the entry once.
 */
int follow_pte(struct mm_struct *mm, unsigned long address, pte_t **ptepp);

/*
 * follow_phys - the physical address user address address maps to in mm
 * (a 4 KiB or a 2 MiB page, present or PROT_NONE; the zero pages
 * included: is_zero_phys() tells them). Returns 0 and the address in
 * *physp, or -EINVAL when nothing is mapped there. The caller holds
 * page_table_lock, as for follow_pte(). Linux's follow_phys() (mm/
 * memory.c until 6.10), with the mm instead of the VMA and without the
 * rights.
 */
int follow_phys(struct mm_struct *mm, unsigned long address,
		phys_addr_t *physp);

/* is_zero_phys - phys lies in the zero page or the huge zero page. */
bool is_zero_phys(phys_addr_t phys);

/*
 * free_empty_pgtables - unhook and free the PTE tables whose whole 2 MiB
 * span lies in [start, end) (bytes) and that hold nothing (POE marks
 * cleared by the caller), after a TLB shootdown; mmap_lock held for
 * writing. So that madvise(MADV_HUGEPAGE) leaves empty pmds a huge
 * fault can use. Ours (Linux's free_pgtables() on part of a range).
 */
void free_empty_pgtables(struct mm_struct *mm, unsigned long start,
			 unsigned long end);

/*
 * apply_to_page_range - call fn(pte, addr, data) for every PTE slot of
 * [address, address + size) (bytes, page aligned), in address order,
 * building the page tables on the way. Stops at the first nonzero return
 * of fn and returns it; -ENOMEM when a table cannot be allocated; -EINVAL
 * for an empty or wrapping range. fn runs under the PTE table's lock
 * (interrupts off: it must not sleep), taken here; the caller holds
 * mmap_lock and neither page_table_lock nor a PTE lock (tables are
 * built on the way). Linux's apply_to_page_range() on a user mm.
 */
typedef int (*pte_fn_t)(pte_t *pte, unsigned long addr, void *data);
int apply_to_page_range(struct mm_struct *mm, unsigned long address,
			unsigned long size, pte_fn_t fn, void *data);

/*
 * walk_page_range - call ops->pte_entry for every PTE slot of [start,
 * end) (page aligned) whose page table exists, and ops->pmd_entry (if
 * set) for every huge pmd met, in address order, never allocating. A nonzero return of pte_entry stops the walk and is
 * returned; else 0. pte_entry runs under the PTE table's lock, taken
 * here (interrupts off); the caller holds mmap_lock, and may hold
 * page_table_lock (taken before a PTE lock), which it must when it holds
 * mmap_lock only for reading and the range is not covered by VMAs: only
 * then can no table of it be freed meanwhile (unmap_region()). Linux's walk_page_range() (mm/pagewalk.c)
 * with only a pte_entry callback; ours walks the tables whatever the
 * VMAs.
 */
struct mm_walk;
struct mm_walk_ops {
	int (*pte_entry)(pte_t *pte, unsigned long addr, unsigned long next,
			 struct mm_walk *walk);
	/* A pmd that maps a huge page (pmd_trans_huge()), [addr, next)
	 * of it in the range; called under page_table_lock. NULL: huge
	 * pmds are skipped (Linux's walk splits them instead). */
	int (*pmd_entry)(pmd_t *pmd, unsigned long addr, unsigned long next,
			 struct mm_walk *walk);
	/* A POEable pmd (pmd_poeable()), [addr, next) of it in the range;
	 * called under page_table_lock. NULL: skipped, as an empty pmd. */
	int (*pmd_poeable_entry)(pmd_t *pmd, unsigned long addr,
				 unsigned long next, struct mm_walk *walk);
};
struct mm_walk {
	const struct mm_walk_ops *ops;
	struct mm_struct *mm;
	void *private; /* the caller's */
};
int walk_page_range(struct mm_struct *mm, unsigned long start,
		    unsigned long end, const struct mm_walk_ops *ops,
		    void *private);

/*
 * mm_range_rss - the pages of [start, end) (bytes, page-aligned) that are
 * mapped and are not the zero page: the Rss of smaps and of the mm dump,
 * counted from the page table rather than from mm->rss, so a range's
 * share is exact. mmap_lock held. Returns pages; no error. Ours (Linux's
 * smaps_pte_range() counts the same while it walks).
 */
unsigned long mm_range_rss(struct mm_struct *mm, unsigned long start,
			   unsigned long end);

/*
 * zap_page_range - unmap [start, end) (page aligned): drop each mapped
 * page's reference (freeing it at zero; the zero page is never freed) and
 * its reverse mapping, forget POE marks, free the page-table pages that
 * are left empty. Pages and tables are freed only after the TLB
 * shootdown that covers them (flush_tlb_mm_range()). The caller holds
 * mmap_lock for writing, not page_table_lock, with interrupts on, and
 * has run POE error handling first (include/mm/poe.h). Linux's
 * zap_page_range() (unmap_page_range() below it) followed by what
 * free_pgtables() does for munmap; Linux keeps the tables on
 * madvise(MADV_DONTNEED), we free empty ones on every unmap.
 */
void zap_page_range(struct mm_struct *mm, unsigned long start,
		    unsigned long end);

/*
 * unmap_region - munmap's half of zap_page_range(), after the VMAs of
 * [start, end) (page aligned) were removed: unmap the range as
 * zap_page_range() does, then free only the page-table pages that no
 * remaining VMA can use: those whose whole span lies in [floor, ceiling),
 * the end of the VMA before the range (0 if none) and the start of the
 * one after it (0 if none: the top), and that are empty. The caller holds
 * mmap_lock in either mode (munmap downgrades it to a read hold first:
 * mmap_write_downgrade()), neither page_table_lock nor a PTE lock,
 * interrupts on, and has cleared the POE marks of the range and run POE
 * error handling before removing the VMAs. Faults of the mm may run
 * meanwhile, in other VMAs, even in the same page tables: they take the
 * same PTE locks, and never a table this frees. Linux's unmap_region()
 * (unmap_vmas() and free_pgtables() with the neighbours' floor and
 * ceiling).
 */
void unmap_region(struct mm_struct *mm, unsigned long start, unsigned long end,
		  unsigned long floor, unsigned long ceiling);

/*
 * copy_page_range - fork: map every page src_vma maps into dst_vma's mm
 * at the same addresses, one more reference each. Private writable pages
 * become read-only in both, so the first write copies (mm/fault.c
 * do_wp_page); shared pages stay as they are. POE marks are not copied.
 * Page tables are built only where a page is mapped. Returns 0 or -ENOMEM
 * (what was copied stays; the caller tears the new mm down). Linux's
 * copy_page_range().
 */
int copy_page_range(struct vm_area_struct *dst_vma,
		    struct vm_area_struct *src_vma);

/*
 * change_protection - rewrite the rights of every mapped PTE in [start,
 * end) (page aligned) to prot (vm_get_page_prot(): _PAGE_PROTNONE alone
 * for PROT_NONE, which keeps the frame in a not-present entry). A page shared
 * copy-on-write (refcount > 1, or the zero page) stays read-only whatever
 * prot says, so the next write still copies. A POE mark takes prot's
 * RW/NX, or is cleared for PROT_NONE. Flushes the TLB. Linux's
 * change_protection().
 */
void change_protection(struct mm_struct *mm, unsigned long start,
		       unsigned long end, u64 prot);

/*
 * flush_tlb_mm_range - TLB shootdown: drop the entries of [start, end)
 * (bytes) on every CPU that may hold them: this one, and the others of
 * mm_cpumask(mm) through smp_call_function_many(), waiting until all are
 * done; invlpg per page, or a CR3 reload above 64 pages. Call after
 * changing the entries, with interrupts on and page_table_lock not held.
 * Linux's flush_tlb_mm_range().
 */
void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start,
			unsigned long end);

/*
 * nr_tlb_shootdowns - flush_tlb_mm_range() calls that flushed a range,
 * since boot: each is one round of IPIs to the other CPUs of mm_cpumask
 * (if any) and a wait for them, the cost an unmap's batching saves.
 * Ours; Linux counts the same events as nr_tlb_remote_flush and
 * nr_tlb_local_flush_* in /proc/vmstat.
 */
extern unsigned long nr_tlb_shootdowns;

/* mm_is_active - mm's page table is the one in CR3 (Linux asks
 * cpu_tlbstate.loaded_mm the same question). */
bool mm_is_active(struct mm_struct *mm);

/*
 * dump_pagetable - print, for each page of [start, end), each level's
 * entry and decoded flags, in a stable format (mm_dump syscall, vmmap).
 * Linux's dump_pagetable() (arch/x86/mm/fault.c) for one address. The
 * caller holds mmap_lock; each page's walk is made under
 * page_table_lock (the range may lie outside every VMA, where an unmap
 * running as a reader frees tables), taken and dropped page by page, so
 * that the console's lines are never printed with interrupts off for
 * more than one page.
 */
void dump_pagetable(struct mm_struct *mm, unsigned long start,
		    unsigned long end);

#endif
