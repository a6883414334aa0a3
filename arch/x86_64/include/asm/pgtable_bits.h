/*
 * pgtable_bits.h - x86-64 page-table entry bits (Intel SDM vol. 3, 4.5),
 * with Linux's _PAGE_* names. Every level (PML4 = pgd, PDPT = pud,
 * PD = pmd, PT = pte) uses the same low bits:
 *
 *   63  62..52  51.........12  11..9  8   7    6   5   4    3    2   1   0
 *   NX  avail   PFN (phys>>12)  avail  G  PS/PAT D   A  PCD  PWT  U/S R/W  P
 *
 * The POE issue adds the software meaning of a not-present PTE here.
 */
#ifndef ASM_PGTABLE_BITS_H
#define ASM_PGTABLE_BITS_H

#define _PAGE_PRESENT	(1UL << 0)
#define _PAGE_RW	(1UL << 1)
#define _PAGE_USER	(1UL << 2)
#define _PAGE_PWT	(1UL << 3)
#define _PAGE_PCD	(1UL << 4)
#define _PAGE_ACCESSED	(1UL << 5)
#define _PAGE_DIRTY	(1UL << 6)
#define _PAGE_PSE	(1UL << 7)	/* 2 MiB (pmd) or 1 GiB (pud) page */
#define _PAGE_GLOBAL	(1UL << 8)
#define _PAGE_NX	(1UL << 63)

#define PTE_PFN_MASK	0x000ffffffffff000UL	/* bits 12..51 */

#define PTRS_PER_TABLE	512
#define PGDIR_SHIFT	39	/* one pgd entry maps 512 GiB */
#define PUD_SHIFT	30	/* one pud entry maps 1 GiB */
#define PMD_SHIFT	21	/* one pmd entry maps 2 MiB */
#define PUD_SIZE	(1UL << PUD_SHIFT)
#define PMD_SIZE	(1UL << PMD_SHIFT)

#define pgd_index(va)	(((va) >> PGDIR_SHIFT) & 511)
#define pud_index(va)	(((va) >> PUD_SHIFT) & 511)
#define pmd_index(va)	(((va) >> PMD_SHIFT) & 511)
#define pte_index(va)	(((va) >> 12) & 511)

#endif
