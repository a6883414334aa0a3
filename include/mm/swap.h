/*
 * swap.h - the LRU list of user pages (mm/swap.c), as Linux's
 * <linux/swap.h>: the list page reclaim would scan, oldest first. There
 * is no reclaim here yet; the list and its count show the bookkeeping a
 * fault owes (the POE post-fault work puts the pages the walker mapped on
 * it, patent "post-page-fault"). Linux keeps active and inactive lists per
 * memory cgroup and node; we keep one list. Reclaim, when it comes, must
 * pass by the pages of VM_LOCKED VMAs (mlock(2), mm/mlock.c), which
 * Linux moves to its unevictable list instead.
 */
#ifndef MM_SWAP_H
#define MM_SWAP_H

struct page;

/*
 * lru_cache_add - put page at the tail of the LRU list (PG_lru set); a
 * page already on it stays where it is. Interrupt-safe (lru_lock).
 * Linux's lru_cache_add() / folio_add_lru().
 */
void lru_cache_add(struct page *page);

/*
 * lru_cache_add_batch - lru_cache_add() of pages[0..n-1], in that order,
 * under one hold of lru_lock: for callers that add many pages at once
 * (POE's post-fault work). Linux batches the same way, per CPU, in a
 * folio_batch drained by lru_add_drain().
 */
void lru_cache_add_batch(struct page **pages, unsigned int n);

/* nr_lru_pages - pages on the LRU list now (Linux: NR_ACTIVE_ANON etc.). */
unsigned long nr_lru_pages(void);

/* put_page, which takes a page off the list before freeing it: mm/page.h. */

#endif
