/*
 * swap.h - the LRU list of user pages (mm/swap.c), as Linux's
 * <linux/swap.h>: the list page reclaim would scan, oldest first. There
 * is no reclaim here yet; the list and its count show the bookkeeping a
 * fault owes (the POE post-fault work puts the pages the walker mapped on
 * it, patent "post-page-fault"). Linux keeps active and inactive lists per
 * memory cgroup and node; we keep one list.
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

/* nr_lru_pages - pages on the LRU list now (Linux: NR_ACTIVE_ANON etc.). */
unsigned long nr_lru_pages(void);

/* put_page, which takes a page off the list before freeing it: mm/page.h. */

#endif
