/*
 * swap.c - the LRU list of user pages and the last put_page() (include/
 * mm/swap.h, include/mm/page.h), as Linux's mm/swap.c: a page enters the
 * list with lru_cache_add() and leaves it when its last reference goes,
 * before it returns to the buddy allocator (Linux's __page_cache_release()
 * called from __folio_put()).
 *
 * Lock order: a caller's mm->lock or POE locks -> lru_lock -> zone_lock.
 */
#include <kernel/compiler.h>
#include <kernel/spinlock.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <mm/swap.h>

static LIST_HEAD(lru_list);	  /* oldest first */
static DEFINE_SPINLOCK(lru_lock); /* lru_list, nr_lru, PG_lru */
static unsigned long nr_lru;

void lru_cache_add(struct page *page)
{
	unsigned long flags;

	spin_lock_irqsave(&lru_lock, flags);
	if (!PageLRU(page)) {
		SetPageLRU(page);
		list_add_tail(&page->lru, &lru_list);
		nr_lru++;
	}
	spin_unlock_irqrestore(&lru_lock, flags);
}

unsigned long nr_lru_pages(void)
{
	return READ_ONCE(nr_lru);
}

/* Take page off the LRU list, if it is on it. Linux's __page_cache_release(). */
static void __page_cache_release(struct page *page)
{
	unsigned long flags;

	spin_lock_irqsave(&lru_lock, flags);
	if (PageLRU(page)) {
		ClearPageLRU(page);
		list_del_init(&page->lru);
		nr_lru--;
	}
	spin_unlock_irqrestore(&lru_lock, flags);
}

void put_page(struct page *page)
{
	/* The last reference: off the LRU first, as page->lru is about to
	 * link the page into a buddy free list. */
	if (page->refcount == 1 && PageLRU(page))
		__page_cache_release(page);
	__free_pages(page, 0); /* drops one reference, frees at zero */
}
