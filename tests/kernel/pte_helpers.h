/*
 * pte_helpers.h - looking a user address up in a test mm's page table,
 * for the in-kernel tests of the page tables (test_pgtable.c), the fault
 * handler and user address spaces (test_user_mm.c) and POE (test_poe.c).
 * The lookups use mm/pgtable.c's own helpers, so a test sees exactly what
 * the kernel's walkers see.
 */
#ifndef TESTS_KERNEL_PTE_HELPERS_H
#define TESTS_KERNEL_PTE_HELPERS_H

#include <mm/pgtable.h>

/* pte_slot - the PTE slot for va in mm, or NULL when a table above it is
 * missing or a 2 MiB page maps va (no PTE level). */
static inline pte_t *pte_slot(struct mm_struct *mm, unsigned long va)
{
	pmd_t *pmd = mm_find_pmd(mm, va);

	return pmd && pmd_present(*pmd) && !pmd_trans_huge(*pmd) ?
		       pte_offset_kernel(pmd, va) :
		       NULL;
}

/* pte_of - the PTE value for va in mm, 0 when a table above it is
 * missing. */
static inline pte_t pte_of(struct mm_struct *mm, unsigned long va)
{
	pte_t *p = pte_slot(mm, va);

	return p ? *p : 0;
}

#endif
