/*
 * swap.c - the LRU list of user pages and the last put_page() (include/
 * mm/swap.h, include/mm/page.h), as Linux's mm/swap.c: a page enters the
 * list with lru_cache_add() and leaves it when its last reference goes,
 * before it returns to the buddy allocator (Linux's __page_cache_release()
 * called from __folio_put()).
 *
 * Lock order: a caller's page_table_lock or POE locks -> lru_lock -> the
 * allocator's (a per-CPU page list's lock, then zone_lock).
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
	lru_cache_add_batch(&page, 1);
}

/*
 * Each page not yet on the list is flagged and linked at its tail as
 * list_add_tail() would, but with the tail kept in a register and the
 * list closed once at the end: two stores a page where
 * list_add_tail() makes four and a load (the compiler cannot keep
 * lru_list.prev in a register across the stores into the pages). The POE
 * post-fault work adds a page here for every fast-path fault, in a loop a
 * kicked task waits for.
 */
void lru_cache_add_batch(struct page **pages, unsigned int n)
{
	struct list_head *tail;
	unsigned long flags, added = 0;

	spin_lock_irqsave(&lru_lock, flags);
	tail = lru_list.prev;
	for (unsigned int i = 0; i < n; i++) {
		struct page *page = pages[i];

		if (PageLRU(page))
			continue;
		SetPageLRU(page);
		page->lru.prev = tail;
		tail->next = &page->lru;
		tail = &page->lru;
		added++;
	}
	tail->next = &lru_list;
	lru_list.prev = tail;
	nr_lru += added;
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
	/*
	 * Not the last reference: nothing else to do. The decrement is the
	 * test, so that two CPUs dropping the last two references cannot
	 * both see "not the last" (another address space sharing the page
	 * drops its reference under its own page_table_lock).
	 */
	int left = __atomic_sub_fetch(&page->refcount, 1, __ATOMIC_ACQ_REL);

	if (left > 0)
		return;
	if (left < 0) {
		/* A put of a free page: give the count back and let
		 * __free_pages() report the bad free. */
		__atomic_add_fetch(&page->refcount, 1, __ATOMIC_RELAXED);
		__free_pages(page, 0);
		return;
	}
	/* The last one: nobody else can reach the page now. Off the LRU
	 * first, as page->lru is about to link the page into a buddy free
	 * list; then __free_pages() drops the reference we give back. */
	__atomic_store_n(&page->refcount, 1, __ATOMIC_RELAXED);
	if (PageLRU(page))
		__page_cache_release(page);
	__free_pages(page, 0);
}
