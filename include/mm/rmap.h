/*
 * rmap.h - the reverse mapping of anonymous user pages (mm/rmap.c): for a
 * page, which address space maps it and where, so that code holding only
 * the page (reclaim, one day) can find its PTE. Linux's <linux/rmap.h>.
 *
 * Ours records one mapping per page, in struct page (rmap_mm, rmap_va),
 * and only for pages the POE walker mapped (mm/poe_postfault.c records
 * them when it accounts the fault). A page shared copy-on-write after fork
 * keeps naming the mm that mapped it first; Linux's anon_vma chains find
 * every mapping instead. The record is cleared when that mm unmaps the
 * page, and when the page is freed (mm/page_alloc.c).
 */
#ifndef MM_RMAP_H
#define MM_RMAP_H

#include <mm/page.h>

struct mm_struct;

/*
 * page_add_new_anon_rmap - record that mm maps the new anonymous page at
 * user address address (bytes; rounded down to its page). Caller holds
 * the lock of the PTE that maps it, or mm->page_table_lock for a page
 * the POE walker mapped (the post-fault work). Linux's
 * page_add_new_anon_rmap(), which takes the VMA and reaches the mm
 * through it. Inline: the post-fault work calls it for every page it
 * accounts, in a loop a kicked task waits for (mm/poe_postfault.c).
 */
static inline void page_add_new_anon_rmap(struct page *page,
					  struct mm_struct *mm,
					  unsigned long address)
{
	page->rmap_mm = mm;
	page->rmap_va = address & PAGE_MASK;
}

/*
 * page_remove_rmap - mm no longer maps page (unmap, or a copy-on-write
 * copy replaced it): forget the record if it names mm. The page may live
 * on, mapped by a fork child, but the record must not point at an mm that
 * may go away. Caller holds the lock of the PTE that mapped it. Linux's
 * page_remove_rmap().
 */
void page_remove_rmap(struct page *page, struct mm_struct *mm);

#endif
