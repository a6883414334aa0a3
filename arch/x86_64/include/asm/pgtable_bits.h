/*
 * pgtable_bits.h - x86-64 page-table entry bits (Intel SDM vol. 3, 4.5),
 * with Linux's _PAGE_* names. Every level (PML4 = pgd, PDPT = pud,
 * PD = pmd, PT = pte) uses the same low bits:
 *
 *   63  62..52  51.........12  11..9  8   7    6   5   4    3    2   1   0
 *   NX  avail   PFN (phys>>12)  avail  G  PS/PAT D   A  PCD  PWT  U/S R/W  P
 *
 * When P = 0 the CPU ignores every other bit, and software owns them. The
 * POE pipeline (docs/poe.md, US 11,474,952) uses them for a *POEable*
 * PTE: a not-present entry that the pre-page-fault thread (mm/
 * poe_prefault.c) has marked so that the emulated walker (arch/x86_64/
 * poe_walk.c) may map a pre-allocated page there without the kernel:
 *
 *   63  62..52  51.........12  11..6  5     4  3  2        1   0
 *   NX  0       TGID           0      LOCK  0  0  POEABLE  RW  P=0
 *
 *   NX       the page will be mapped no-execute (its VMA lacks VM_EXEC)
 *   TGID     the owning process, recorded by the walker in the table
 *            entry without touching any kernel structure
 *   LOCK     held while one path (walker or full handler) maps the page;
 *            the patent repurposes the accessed bit for it
 *   POEABLE  the patent's POEable bit (the U/S position, unused when P=0)
 *   RW       the page will be mapped writable (its VMA has VM_WRITE)
 * Bit 9 (_PAGE_PROTNONE, below) is never set in a POEable PTE.
 */
#ifndef ASM_PGTABLE_BITS_H
#define ASM_PGTABLE_BITS_H

#define _PAGE_PRESENT  (1UL << 0)
#define _PAGE_RW       (1UL << 1)
#define _PAGE_USER     (1UL << 2)
#define _PAGE_PWT      (1UL << 3)
#define _PAGE_PCD      (1UL << 4)
#define _PAGE_ACCESSED (1UL << 5)
#define _PAGE_DIRTY    (1UL << 6)
#define _PAGE_PSE      (1UL << 7) /* 2 MiB (pmd) or 1 GiB (pud) page */
#define _PAGE_GLOBAL   (1UL << 8)
#define _PAGE_NX       (1UL << 63)

/*
 * A PROT_NONE page keeps its frame but must not be reachable at all, not
 * even by the kernel's user copies: its PTE is not present, with this
 * software bit (ignored by the CPU when P = 0) saying the frame is still
 * ours. Linux's _PAGE_PROTNONE plays the same role (x86 Linux reuses the
 * global bit, 8, for it; we use an available bit).
 */
#define _PAGE_PROTNONE (1UL << 9)

/*
 * A present (or PROT_NONE) page that a userfaultfd write-protected
 * (UFFDIO_WRITEPROTECT, UFFDIO_COPY_MODE_WP): the entry is read-only, and
 * a write to it is the monitor's to resolve, not a copy-on-write. A
 * software bit the CPU ignores; Linux's x86 _PAGE_UFFD_WP is the same
 * bit (_PAGE_BIT_SOFTW2). Never set in a POEable PTE: registered ranges
 * are never marked.
 */
#define _PAGE_UFFD_WP (1UL << 10)

/* A not-present POEable PTE (layout above). */
#define _PAGE_POEABLE	   (1UL << 2)
#define _PAGE_POE_LOCK_BIT 5
#define _PAGE_POE_LOCK	   (1UL << _PAGE_POE_LOCK_BIT)
#define POE_PTE_TGID_SHIFT 12
/* The rights a POEable PTE carries over to the page the walker maps. */
#define _PAGE_POE_RIGHTS   (_PAGE_RW | _PAGE_NX)

#define PTE_PFN_MASK 0x000ffffffffff000UL /* bits 12..51 */

#define PTRS_PER_TABLE 512 /* entries in a table of any level */
#define PGDIR_SHIFT    39  /* one pgd entry maps 512 GiB */
#define PUD_SHIFT      30  /* one pud entry maps 1 GiB */
#define PMD_SHIFT      21  /* one pmd entry maps 2 MiB */
#define PGDIR_SIZE     (1UL << PGDIR_SHIFT)
#define PUD_SIZE       (1UL << PUD_SHIFT)
#define PMD_SIZE       (1UL << PMD_SHIFT)

#define pgd_index(va) (((va) >> PGDIR_SHIFT) & 511)
#define pud_index(va) (((va) >> PUD_SHIFT) & 511)
#define pmd_index(va) (((va) >> PMD_SHIFT) & 511)
#define pte_index(va) (((va) >> 12) & 511)

#endif
