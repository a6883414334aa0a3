/*
 * pgtable.h - walking and changing a user address space's 4-level page
 * tables (mm/pgtable.c), with Linux's names: pgd (PML4) -> pud (PDPT) ->
 * pmd (PD) -> pte (PT). The bit layout is arch/x86_64/include/asm/
 * pgtable_bits.h. Everything here runs with mm->lock held.
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include <kernel/types.h>
#include <mm/page.h>
#include <asm/pgtable_bits.h>

struct mm_struct;

typedef u64 pgd_t, pud_t, pmd_t, pte_t;

/* Intermediate entries allow everything; the PTE decides the rights. */
#define _PAGE_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)

/*
 * pte_flags - every bit of a PTE but the frame number: the hardware rights
 * and status bits, and the software bits (_PAGE_PROTNONE, the POE bits).
 * Linux's pte_flags().
 */
static inline u64 pte_flags(pte_t pte) { return pte & ~PTE_PFN_MASK; }

/* pte_none - an empty slot: no frame, no mark. Linux's pte_none(). */
static inline bool pte_none(pte_t pte) { return pte == 0; }

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
	return (pte_flags(pte) & (_PAGE_PRESENT | _PAGE_PROTNONE)) == _PAGE_PROTNONE;
}

/*
 * pte_poeable - a not-present PTE the POE pre-fault thread marked for the
 * emulated walker (layout: asm/pgtable_bits.h; include/mm/poe.h). Not
 * pte_none() and not pte_present(): no frame yet, but not empty either.
 */
static inline bool pte_poeable(pte_t pte)
{
	return (pte_flags(pte) & (_PAGE_PRESENT | _PAGE_POEABLE)) == _PAGE_POEABLE;
}

static inline bool pte_write(pte_t pte) { return pte & _PAGE_RW; }
static inline pfn_t pte_pfn(pte_t pte) { return (pte & PTE_PFN_MASK) >> PAGE_SHIFT; }
static inline pte_t pfn_pte(pfn_t pfn, u64 prot) { return ((u64)pfn << PAGE_SHIFT) | prot; }
static inline void set_pte(pte_t *ptep, pte_t pte) { *(volatile pte_t *)ptep = pte; }

/* The shared zero page (mm/init.c): read faults on anonymous memory map it. */
extern pfn_t zero_pfn;
static inline bool is_zero_pfn(pfn_t pfn) { return pfn == zero_pfn; }

/* Level by level, as Linux (no p4d: 4-level paging). NULL when missing. */
pgd_t *pgd_offset(struct mm_struct *mm, unsigned long addr);
pud_t *pud_offset(pgd_t *pgd, unsigned long addr);
pmd_t *pmd_offset(pud_t *pud, unsigned long addr);
pte_t *pte_offset(pmd_t *pmd, unsigned long addr);

/* The same, allocating a missing table (NULL only when out of memory). */
pud_t *pud_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long addr);
pmd_t *pmd_alloc(struct mm_struct *mm, pud_t *pud, unsigned long addr);
pte_t *pte_alloc(struct mm_struct *mm, pmd_t *pmd, unsigned long addr);

/*
 * get_pte - the PTE slot for addr in mm: with alloc, missing tables are
 * built (NULL: out of memory); without, NULL when a table is missing.
 */
pte_t *get_pte(struct mm_struct *mm, unsigned long addr, bool alloc);

/*
 * zap_page_range - unmap [start, end): drop each mapped page's reference
 * (freeing it at zero; the zero page is never freed), free page-table
 * pages that become empty, flush the TLB when mm is active. Returns the
 * number of pages unmapped. POE marks in the range are cleared too; the
 * caller has run POE error handling first (include/mm/poe.h). Linux's
 * zap_page_range() + free_pgtables().
 */
unsigned long zap_page_range(struct mm_struct *mm, unsigned long start,
			     unsigned long end);

/*
 * change_protection - rewrite the rights of every mapped PTE in [start,
 * end) to prot (pte flags; 0 for PROT_NONE, which keeps the frame in a
 * not-present _PAGE_PROTNONE entry). A page shared copy-on-write
 * (refcount > 1, or the zero page) stays read-only whatever prot says, so
 * the next write still copies. A POE mark takes prot's RW/NX, or is
 * cleared for PROT_NONE. Linux's change_protection().
 */
void change_protection(struct mm_struct *mm, unsigned long start,
		       unsigned long end, u64 prot);

/* flush_tlb_mm_range - invalidate [start, end) if mm is the active one. */
void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start,
			unsigned long end);

/* mm_is_active - mm's page table is the one in CR3. */
bool mm_is_active(struct mm_struct *mm);

/*
 * dump_pagetable - print, for each page of [start, end), each level's
 * entry and decoded flags, in a stable format (mm_dump syscall, vmmap).
 */
void dump_pagetable(struct mm_struct *mm, unsigned long start, unsigned long end);

#endif
