/*
 * pgtable.c - page-table walks for user address spaces (include/mm/
 * pgtable.h): finding and building the tables under a virtual address,
 * unmapping ranges with page reference counts, changing rights, flushing
 * the TLB, and the page-table dump students read next to the fault
 * handler (mm/fault.c). Names follow Linux's mm/memory.c and
 * mm/pgtable-generic.c. Callers hold mm->lock.
 */
#include <kernel/printk.h>
#include <mm/mm_types.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/rmap.h>
#include <asm/cpu.h>

pfn_t zero_pfn;

static inline u64 *table_of(u64 entry)
{
	return __va(entry & PTE_PFN_MASK);
}

pgd_t *pgd_offset(struct mm_struct *mm, unsigned long addr)
{
	return (pgd_t *)__va(mm->pgd) + pgd_index(addr);
}

pud_t *pud_offset(pgd_t *pgd, unsigned long addr)
{
	return (*pgd & _PAGE_PRESENT) ? table_of(*pgd) + pud_index(addr) : NULL;
}

pmd_t *pmd_offset(pud_t *pud, unsigned long addr)
{
	return (*pud & _PAGE_PRESENT) ? table_of(*pud) + pmd_index(addr) : NULL;
}

pte_t *pte_offset(pmd_t *pmd, unsigned long addr)
{
	return (*pmd & _PAGE_PRESENT) ? table_of(*pmd) + pte_index(addr) : NULL;
}

/* Make *entry point to a new zeroed table unless it has one; false: OOM. */
static bool table_alloc(struct mm_struct *mm, u64 *entry)
{
	void *t;

	if (*entry & _PAGE_PRESENT)
		return true;
	t = get_zeroed_page();
	if (!t)
		return false;
	*entry = __pa(t) | _PAGE_TABLE;
	mm->nr_ptes++;
	return true;
}

pud_t *pud_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long addr)
{
	return table_alloc(mm, pgd) ? pud_offset(pgd, addr) : NULL;
}

pmd_t *pmd_alloc(struct mm_struct *mm, pud_t *pud, unsigned long addr)
{
	return table_alloc(mm, pud) ? pmd_offset(pud, addr) : NULL;
}

pte_t *pte_alloc(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	return table_alloc(mm, pmd) ? pte_offset(pmd, addr) : NULL;
}

pte_t *get_pte(struct mm_struct *mm, unsigned long addr, bool alloc)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	pud_t *pud = alloc ? pud_alloc(mm, pgd, addr) : pud_offset(pgd, addr);
	pmd_t *pmd;

	if (!pud)
		return NULL;
	pmd = alloc ? pmd_alloc(mm, pud, addr) : pmd_offset(pud, addr);
	if (!pmd)
		return NULL;
	return alloc ? pte_alloc(mm, pmd, addr) : pte_offset(pmd, addr);
}

bool mm_is_active(struct mm_struct *mm)
{
	return (read_cr3() & PTE_PFN_MASK) == mm->pgd;
}

void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start,
			unsigned long end)
{
	if (!mm_is_active(mm))
		return;
	if (end - start > 64 * PAGE_SIZE) {
		write_cr3(mm->pgd);	/* user pages are not global: all go */
		return;
	}
	for (unsigned long va = start; va < end; va += PAGE_SIZE)
		invlpg(va);
}

static bool table_empty(const u64 *t)
{
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		if (t[i])
			return false;
	return true;
}

/* Level 0 is a page table; 3 the pgd. Returns pages unmapped below. */
static unsigned long zap_level(struct mm_struct *mm, u64 *table, int level,
			       unsigned long start, unsigned long end)
{
	unsigned shift = PAGE_SHIFT + 9 * level;
	unsigned long n = 0;

	for (unsigned long va = start; va < end;) {
		unsigned long next = ((va >> shift) + 1) << shift;
		u64 *e = &table[(va >> shift) & 511];

		if (next > end || next == 0)
			next = end;
		if (level == 0 && pte_poeable(*e)) {
			/* A POE mark: no page behind it, just forget it. (The
			 * walker only runs for the current mm's user faults, with
			 * interrupts off, so it cannot be mapping this one.) */
			*e = 0;
		} else if (level == 0 ? pte_present(*e) : (*e & _PAGE_PRESENT)) {
			if (level == 0) {
				pfn_t pfn = pte_pfn(*e);

				if (!is_zero_pfn(pfn)) {
					page_remove_rmap(pfn_to_page(pfn), mm);
					put_page(pfn_to_page(pfn));
					mm->rss--;	/* the zero page is not counted */
				}
				*e = 0;
				n++;
			} else {
				u64 *sub = table_of(*e);

				n += zap_level(mm, sub, level - 1, va, next);
				/* Free the table only if the range covered it
				 * whole or it has nothing left (Linux frees
				 * page tables between VMAs the same way). */
				if (table_empty(sub)) {
					*e = 0;
					free_page(sub);
					mm->nr_ptes--;
				}
			}
		}
		va = next;
	}
	return n;
}

unsigned long zap_page_range(struct mm_struct *mm, unsigned long start,
			     unsigned long end)
{
	unsigned long n = zap_level(mm, __va(mm->pgd), 3, start, end);

	/* Freed tables may be cached too: a full flush covers both. */
	if (mm_is_active(mm))
		write_cr3(mm->pgd);
	return n;
}

void change_protection(struct mm_struct *mm, unsigned long start,
		       unsigned long end, u64 prot)
{
	for (unsigned long va = start; va < end; va += PAGE_SIZE) {
		pte_t *pte = get_pte(mm, va, false);
		pfn_t pfn;
		u64 p = prot;

		if (pte && pte_poeable(*pte)) {
			/* A POE mark carries the rights the walker will map
			 * with: follow the VMA, or drop it for PROT_NONE. */
			set_pte(pte, prot ? (*pte & ~_PAGE_POE_RIGHTS) |
				     (prot & _PAGE_POE_RIGHTS) : 0);
			continue;
		}
		if (!pte || !pte_present(*pte)) {
			/* Skip to the next page table if this one is absent. */
			if (!pte)
				va = (va | (PMD_SIZE - 1)) + 1 - PAGE_SIZE;
			continue;
		}
		pfn = pte_pfn(*pte);
		if (!prot) {
			p = _PAGE_PROTNONE;		/* PROT_NONE: keep the frame */
		} else if (is_zero_pfn(pfn) || pfn_to_page(pfn)->refcount > 1) {
			p &= ~_PAGE_RW;			/* still copy-on-write */
		}
		set_pte(pte, pfn_pte(pfn, p | (*pte & (_PAGE_ACCESSED | _PAGE_DIRTY))));
	}
	flush_tlb_mm_range(mm, start, end);
}

static void print_entry(const char *level, u64 e)
{
	printk("  %s %016lx%s%s%s%s%s%s%s\n", level, (unsigned long)e,
	       e & _PAGE_PRESENT ? " P" : " -",
	       e & _PAGE_RW ? " RW" : " RO",
	       e & _PAGE_USER ? " U" : " S",
	       e & _PAGE_ACCESSED ? " A" : "",
	       e & _PAGE_DIRTY ? " D" : "",
	       e & _PAGE_PSE ? " PS" : "",
	       e & _PAGE_NX ? " NX" : "");
}

void dump_pagetable(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	for (unsigned long va = start & PAGE_MASK; va < end; va += PAGE_SIZE) {
		pgd_t *pgd = pgd_offset(mm, va);
		pud_t *pud;
		pmd_t *pmd;
		pte_t *pte;

		printk("walk %016lx:\n", va);
		print_entry("pgd", *pgd);
		if (!(pud = pud_offset(pgd, va)))
			continue;
		print_entry("pud", *pud);
		if (!(pmd = pmd_offset(pud, va)))
			continue;
		print_entry("pmd", *pmd);
		if (!(pte = pte_offset(pmd, va)))
			continue;
		print_entry("pte", *pte);
		if (pte_flags(*pte) & _PAGE_PRESENT)
			printk("  pfn %#lx%s refcount %d\n", (unsigned long)pte_pfn(*pte),
			       is_zero_pfn(pte_pfn(*pte)) ? " (zero page)" : "",
			       pfn_to_page(pte_pfn(*pte))->refcount);
	}
}
