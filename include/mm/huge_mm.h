/*
 * huge_mm.h - transparent huge pages for anonymous private memory
 * (mm/huge_memory.c, docs/thp.md), with Linux's names and semantics
 * (<linux/huge_mm.h>, mm/huge_memory.c,
 * Documentation/admin-guide/mm/transhuge.rst):
 *
 *   - a fault in a 2 MiB-aligned range of a huge-eligible VMA maps one
 *     2 MiB page with a pmd entry (_PAGE_PSE) instead of 512 PTEs: a
 *     write gets an order-9 page, zeroed; a read gets the huge zero page;
 *     when no order-9 block is free the fault falls back to 4 KiB pages
 *     and counts the fall-back;
 *   - which VMAs are eligible: the transparent_hugepage= command line
 *     (always, madvise, never; default madvise) and madvise(2)'s
 *     MADV_HUGEPAGE / MADV_NOHUGEPAGE (VM_HUGEPAGE / VM_NOHUGEPAGE);
 *   - an operation on part of a huge page (munmap, mprotect, mremap,
 *     MADV_DONTNEED, a VMA split, a copy-on-write) first splits the pmd
 *     into a PTE table of 512 entries mapping the same pages
 *     (split_huge_pmd()), then works on the PTEs.
 *
 * Pages. The 2 MiB page is an order-9 block split at once into 512
 * order-0 pages (split_page()), each with its own reference count; a
 * huge pmd holds one reference on each of them. Splitting the pmd hands
 * those references to the 512 PTEs, so it never allocates and never
 * touches a count, and the pages of a split huge page are freed one by
 * one as their PTEs go. Linux keeps a compound page (a folio) and splits
 * it later (split_huge_page()); ours makes the folio's split at the
 * start, which costs 512 reference updates per huge map and unmap.
 *
 * Locks. A huge pmd is set, changed, split and cleared under
 * mm->page_table_lock, Linux's pmd_lock() without split PMD locks
 * (USE_SPLIT_PMD_PTLOCKS off). Each huge pmd has a PTE table deposited
 * for it when it is mapped (pgtable_trans_huge_deposit()), so that a
 * split never needs memory: Linux's mm->pmd_huge_pte list.
 */
#ifndef MM_HUGE_MM_H
#define MM_HUGE_MM_H

#include <kernel/types.h>
#include <mm/fault.h>
#include <mm/pgtable.h>

struct mm_struct;
struct vm_area_struct;

#define HPAGE_PMD_ORDER 9 /* a huge page is 2^9 base pages */
#define HPAGE_PMD_NR	(1UL << HPAGE_PMD_ORDER)
#define HPAGE_PMD_SIZE	PMD_SIZE
#define HPAGE_PMD_MASK	(~(HPAGE_PMD_SIZE - 1))

/* The transparent_hugepage= modes (/sys/kernel/mm/transparent_hugepage/
 * enabled in Linux). */
enum transparent_hugepage_mode {
	THP_NEVER,
	THP_MADVISE, /* the default: only VMAs with MADV_HUGEPAGE */
	THP_ALWAYS,  /* every eligible VMA but MADV_NOHUGEPAGE ones */
};
extern enum transparent_hugepage_mode transparent_hugepage_mode;

/* Events since boot, with Linux's /proc/vmstat names (fs/proc.c prints
 * them). Atomic adds (stat_add()). */
struct thp_counters {
	unsigned long thp_fault_alloc;	   /* a fault mapped a new huge page */
	unsigned long thp_fault_fallback;  /* no order-9 block: 4 KiB instead */
	unsigned long thp_split_pmd;	   /* huge pmds split into PTEs */
	unsigned long thp_zero_page_alloc; /* the huge zero page allocated */
	/* Ours: TSC ticks the huge faults spent zeroing their 2 MiB pages
	 * (instructions under -icount), or with page_init=offlevel waiting
	 * for a worker to zero them, so that a benchmark can report the
	 * zeroing apart from the rest of the fault. */
	unsigned long thp_fault_zero_ticks;
};
extern struct thp_counters thp_counters;

/* is_huge_zero_pmd - the entry maps the huge zero page (read-only, never
 * counted in rss). Linux's. */
bool is_huge_zero_pmd(pmd_t pmd);

/*
 * thp_init - allocate the huge zero page at boot, unless the mode is
 * never. Boot time rather than Linux's first read fault, so that the
 * free-page count a test takes as its baseline never loses 2 MiB to the
 * first huge read. Returns nothing; without an order-9 block read faults
 * just fall back to 4 KiB.
 */
void thp_init(void);

/*
 * hugepage_vma_check - may faults in vma map huge pages at all: an
 * anonymous private VMA (no file, not VM_SHARED), not registered with a
 * userfaultfd, not a stack that grows down, and the mode allows it
 * (always, unless VM_NOHUGEPAGE; madvise, with VM_HUGEPAGE). Linux's
 * hugepage_vma_check() (6.1) for anonymous VMAs; ours keeps registered
 * ranges at 4 KiB (docs/thp.md).
 */
bool hugepage_vma_check(const struct vm_area_struct *vma);

/*
 * transhuge_vma_suitable - the 2 MiB-aligned range around addr (bytes)
 * lies inside vma. Linux's transhuge_vma_suitable() for anonymous VMAs.
 */
bool transhuge_vma_suitable(const struct vm_area_struct *vma,
			    unsigned long addr);

/* thp_vma_allowable - both of the above: a fault at addr may map a huge
 * page. */
static inline bool thp_vma_allowable(const struct vm_area_struct *vma,
				     unsigned long addr)
{
	return hugepage_vma_check(vma) && transhuge_vma_suitable(vma, addr);
}

/*
 * do_huge_pmd_anonymous_page - the fault at address (bytes) in vma, whose
 * pmd entry *pmd is empty and whose 2 MiB range is eligible: a read maps
 * the huge zero page read-only; a write maps a new order-9 page, zeroed
 * by page_init_zero() (here, or off level while this thread sleeps
 * killably when FAULT_FLAG_ALLOW_RETRY says it may), with the VMA's
 * rights. mmap_lock held for reading. Returns 0
 * (mapped, or another thread mapped something first: the access is
 * retried), VM_FAULT_OOM (no page for the deposited table), or
 * VM_FAULT_FALLBACK (no order-9 block, counted in thp_fault_fallback;
 * the caller handles the fault with 4 KiB pages). Counted as one minor
 * fault. Linux's do_huge_pmd_anonymous_page().
 */
vm_fault_t do_huge_pmd_anonymous_page(struct vm_area_struct *vma, pmd_t *pmd,
				      unsigned long address,
				      unsigned int flags);

/*
 * do_huge_pmd_wp_page - a write to the read-only huge pmd orig_pmd at
 * address in a writable VMA: if every one of its 512 pages has no other
 * user (fork's child unmapped its share), make the pmd writable;
 * otherwise (a copy-on-write, or the huge zero page) split the pmd and
 * return VM_FAULT_FALLBACK, so that the caller copies the one 4 KiB page
 * written, as Linux does since 5.8. Returns 0 (done, or the pmd changed
 * under us: retry) or VM_FAULT_FALLBACK. Linux's do_huge_pmd_wp_page().
 */
vm_fault_t do_huge_pmd_wp_page(struct vm_area_struct *vma, pmd_t *pmd,
			       unsigned long address, pmd_t orig_pmd);

/*
 * split_huge_pmd - if *pmd maps a huge page, turn it into its deposited
 * PTE table with 512 entries mapping the same pages with the same rights
 * (the huge zero page: 512 entries of the 4 KiB zero page), and flush
 * the 2 MiB range from the TLBs. address is any address in the range.
 * Takes page_table_lock (the caller must not hold it, nor a PTE lock;
 * interrupts on); mmap_lock held. Counted in thp_split_pmd. Never fails.
 * Linux's split_huge_pmd() / __split_huge_pmd().
 */
void split_huge_pmd(struct mm_struct *mm, pmd_t *pmd, unsigned long address);

/*
 * split_huge_pmd_address - split_huge_pmd() of the pmd that covers
 * address, if any (nothing to look for while mm->nr_huge_pmds is 0).
 * Linux's split_huge_pmd_address().
 */
void split_huge_pmd_address(struct mm_struct *mm, unsigned long address);

/*
 * split_huge_pmd_range - split every huge pmd that overlaps [start, end)
 * (bytes); a walk over the upper levels that exist, so its length is
 * the tables', not the range's. For the callers that handle only PTEs
 * (move_page_tables(), userfaultfd registration). Ours.
 */
void split_huge_pmd_range(struct mm_struct *mm, unsigned long start,
			  unsigned long end);

/*
 * copy_huge_pmd - fork: map the huge pmd *src_pmd (at addr in src_vma)
 * at the same address of dst_vma's mm, one more reference on each of its
 * pages, both entries read-only so that the first write splits and
 * copies (do_huge_pmd_wp_page()). Returns 0 or -ENOMEM. Linux's
 * copy_huge_pmd().
 */
int copy_huge_pmd(struct vm_area_struct *dst_vma,
		  struct vm_area_struct *src_vma, pmd_t *src_pmd,
		  unsigned long addr);

/*
 * move_huge_pmd - mremap: move the huge pmd *old_pmd whole to the empty
 * pmd of new_addr (2 MiB aligned; the levels above it are built), under
 * page_table_lock. The deposited table stays on the mm's list. Returns
 * true when moved; false when the new pmd is not empty (a PTE table is
 * there: the caller splits and moves PTEs) or out of memory. The caller
 * flushes the old range. Linux's move_huge_pmd().
 */
bool move_huge_pmd(struct mm_struct *mm, pmd_t *old_pmd,
		   unsigned long new_addr);

/*
 * change_huge_pmd - mprotect of a whole huge pmd: its rights become prot
 * (vm_get_page_prot(); PROT_NONE keeps the page in a not-present entry
 * with _PAGE_PROTNONE and _PAGE_PSE, as Linux's x86 does). A page still
 * shared copy-on-write, or the huge zero page, stays read-only. Takes
 * page_table_lock; the caller flushes the TLB. Linux's change_huge_pmd().
 */
void change_huge_pmd(struct mm_struct *mm, pmd_t *pmd, u64 prot);

/*
 * zap_huge_pmd_locked - clear the huge pmd *pmd under page_table_lock
 * (held by the caller), giving back its deposited table (freed here, it
 * was never seen by the CPU) and mm's rss. Returns the first of its 512
 * pages, whose references the caller drops after the TLB shootdown, or
 * NULL for the huge zero page. Linux's zap_huge_pmd() without its
 * mmu_gather, which mm/pgtable.c keeps.
 */
struct page *zap_huge_pmd_locked(struct mm_struct *mm, pmd_t *pmd);

/*
 * pgtable_trans_huge_deposit / pgtable_trans_huge_withdraw - keep a
 * PTE table (a page, not zeroed: a split writes every entry) on mm's
 * list for a huge pmd just mapped, and
 * take one back to split or unmap it. page_table_lock held. The table
 * counts in mm->nr_pgtables while it waits, as Linux's does. Linux's.
 */
void pgtable_trans_huge_deposit(struct mm_struct *mm, struct page *pgtable);
struct page *pgtable_trans_huge_withdraw(struct mm_struct *mm);

/*
 * thp_get_unmapped_area - get_unmapped_area() for a private anonymous
 * mapping: a length that is a multiple of 2 MiB gets a 2 MiB-aligned
 * address (unless the hint is free), so that it can be mapped with huge
 * pages from its first byte; anything else, or when the padded search
 * fails, the plain search. Returns the address or -ENOMEM/-EINVAL as
 * get_unmapped_area(). Linux's thp_get_unmapped_area() as
 * get_unmapped_area() calls it for anonymous memory since 6.7, limited
 * to lengths that are a multiple of PMD_SIZE as in 6.12.
 */
long thp_get_unmapped_area(struct mm_struct *mm, unsigned long hint,
			   unsigned long len);

/*
 * mm_range_anon_huge - the pages of [start, end) (bytes) mapped by huge
 * pmds, the huge zero page left out: smaps' AnonHugePages, in pages.
 * mmap_lock held. Ours (Linux's smaps_pmd_entry() counts the same).
 */
unsigned long mm_range_anon_huge(struct mm_struct *mm, unsigned long start,
				 unsigned long end);

#endif
