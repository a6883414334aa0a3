/*
 * page_alloc.c - the buddy allocator: physical memory in blocks of 2^order
 * contiguous pages, order 0 .. MAX_PAGE_ORDER, as in Linux's
 * mm/page_alloc.c (one zone, no migrate types).
 *
 * Every page frame has a struct page in mem_map[], indexed by pfn. A free
 * block is described by its first ("head") page only: PG_buddy set, order
 * in page->order, and page->lru linking it into free_area[order]. The
 * block's other pages are left blank (flags 0, refcount 0). An allocated
 * block's head has refcount 1, its order in page->order and, for order > 0,
 * PG_head, so that __free_pages() can check that a block comes back whole.
 *
 * The buddy of the block at pfn with order o is the block at pfn ^ (1 << o):
 * the two halves of the aligned block of order o + 1. Freeing merges a
 * block with its buddy for as long as the buddy is free and whole.
 *
 * Beside the free lists sits the zeroed list: free order-0 pages known to
 * hold only zeros, zeroed ahead of need in idle time (prezero_page(), run
 * by POE's background work) for a taker that wants a zeroed page without
 * the memset (alloc_prezeroed_pages(): POE's refill, and the full
 * handler's faults in POE regions). They are free memory
 * like any other: counted in nr_free_pages(), PG_buddy set so that a
 * double free is still caught, and given to alloc_pages() when the free
 * lists cannot serve it (an order-0 request takes one; a larger one
 * drains the list back into the free lists, merging, and tries again).
 * PG_zeroed keeps them off free_area[] and out of merging. FreeBSD's
 * PG_ZERO pages and the zeroed page list of Windows; Linux has no such
 * list and zeroes on demand.
 *
 * In front of the free lists sit the per-CPU page lists (Linux's struct
 * per_cpu_pages): each CPU keeps a short list of free order-0 pages, so
 * that a fault's page and an unmap's frees usually cost that CPU's own
 * lock and cache lines, not zone_lock, which every CPU shares. A CPU whose
 * list is empty takes pcp_batch pages from the free lists under one hold of
 * zone_lock; one whose list grows past pcp_high gives pcp_batch back. Their
 * pages are free memory: nr_free_pages() counts them, unlike Linux's
 * NR_FREE_PAGES, under every list's lock, so that a free-page count is
 * exact whichever CPU freed.
 * PG_pcp marks them, so that a second free is still caught as a double
 * free. They do not merge while they sit there; drain_all_pages() gives
 * every list back, and alloc_pages() does so before it fails.
 *
 * With page_poison=1 (mm/page_poison.c, Linux's page poisoning) every
 * page that becomes free memory holds a known pattern and is checked on
 * its way out: a freed block is filled with PAGE_POISON in
 * __free_pages() before it reaches a per-CPU list or the free lists, and
 * so is memory at the boot handover (free_pages_range()); alloc_pages()
 * checks the block it hands out, whichever list it came from;
 * prezero_page() checks before it zeroes, alloc_prezeroed_pages() checks
 * that zeroed-list pages still hold zeros, and drain_zeroed() checks the
 * zeros and poisons before the pages rejoin the free lists. Moves between
 * the per-CPU lists and the free lists, and merging, leave the contents
 * alone. Off, each of these costs one test of page_poisoning.
 *
 * Works with: include/mm/page.h (struct page), mm/kmalloc.c (the heap on
 * top), the boot memory code that calls mem_map_init()/free_pages_range(),
 * and tests/host/test_page_alloc.c, tests/kernel/test_page_alloc.c.
 */
#include <mm/page_alloc.h>
#include <kernel/atomic.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <mm/page_poison.h>

struct page *mem_map;
pfn_t max_pfn;

/* One free list per order, as Linux's struct free_area. */
struct free_area {
	struct list_head free_list; /* head pages, linked by page->lru */
	unsigned long nr_free;	    /* blocks on free_list */
};

static struct free_area free_area[NR_PAGE_ORDERS];
static unsigned long free_pages_count; /* pages on all free lists */
static unsigned long managed_pages;    /* pages given by free_pages_range */
static unsigned long bad_frees;	       /* double/bad frees detected */
static LIST_HEAD(zeroed_list);	       /* zeroed free pages, by page->lru */
static unsigned long nr_zeroed;	       /* pages on zeroed_list */
static DEFINE_SPINLOCK(zone_lock);     /* protects all of the above and the
					* PG_buddy/order/lru of free pages */

/*
 * One CPU's list of free order-0 pages (Linux's struct per_cpu_pages).
 * The CPU takes its own lock with interrupts off, so the lock is only ever
 * contended by drain_all_pages() from another CPU (as Linux's pcp->lock
 * since 6.0). Lock order: a pcp lock, then zone_lock; never two pcp
 * locks at once.
 */
struct per_cpu_pages {
	spinlock_t lock;
	unsigned int count;	/* pages on list */
	struct list_head list;	/* free pages, PG_pcp, by page->lru; the most
				* recently freed (cache-hot) first */
} __attribute__((aligned(64))); /* a cache line per CPU */

static struct per_cpu_pages pcp_lists[NR_CPUS];
static unsigned int pcp_batch = 1; /* pages moved per zone_lock hold */
static unsigned int pcp_high = 6;  /* a list longer than this shrinks */

/*
 * mem_map_init - point mem_map at nr struct pages, zero them and mark each
 * PG_reserved; empty every free list. Mirrors the part of Linux's
 * free_area_init() that sets up struct pages; memory becomes allocatable
 * only through free_pages_range(). Calling it again starts over (the host
 * tests do this between tests).
 */
void mem_map_init(struct page *map, pfn_t nr)
{
	unsigned long flags;

	spin_lock_irqsave(&zone_lock, flags);
	mem_map = map;
	max_pfn = nr;
	memset(map, 0, nr * sizeof(*map));
	for (pfn_t pfn = 0; pfn < nr; pfn++) {
		SetPageReserved(&map[pfn]);
		INIT_LIST_HEAD(&map[pfn].lru);
	}
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		INIT_LIST_HEAD(&free_area[o].free_list);
		free_area[o].nr_free = 0;
		INIT_LIST_HEAD(&zeroed_list);
		nr_zeroed = 0;
	}
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		spin_lock_init(&pcp_lists[cpu].lock);
		pcp_lists[cpu].count = 0;
		INIT_LIST_HEAD(&pcp_lists[cpu].list);
	}
	free_pages_count = 0;
	managed_pages = 0;
	bad_frees = 0;
	pcp_batch = 1;
	pcp_high = 6;
	spin_unlock_irqrestore(&zone_lock, flags);
}

/*
 * Size the per-CPU lists for managed pages, as Linux's zone_batchsize():
 * a batch of about a quarter of managed/1024 pages, at most 1 MiB / 4,
 * rounded to 2^n - 1 (Linux found that powers of two could make the
 * batches alias in the cache), at least 1; high is 6 batches, Linux's rule before it
 * sized high by the watermarks (pageset_set_batch() up to 5.13). 1 GiB
 * gives batch 63 and high 378. Caller holds zone_lock.
 */
static void pcp_update_sizes(void)
{
	unsigned long batch = managed_pages >> 10;

	if (batch > (1UL << 20) / PAGE_SIZE)
		batch = (1UL << 20) / PAGE_SIZE;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	batch += batch / 2;
	while (batch & (batch - 1)) /* round down to a power of two */
		batch &= batch - 1;
	batch = batch > 1 ? batch - 1 : 1;
	WRITE_ONCE(pcp_batch, (unsigned int)batch);
	WRITE_ONCE(pcp_high, (unsigned int)(6 * batch));
}

/* Put a whole free block on its order's list. Caller holds zone_lock. */
static void add_to_free_list(struct page *page, unsigned int order)
{
	SetPageBuddy(page);
	page->order = order;
	list_add(&page->lru, &free_area[order].free_list);
	free_area[order].nr_free++;
}

/* Take a free block off its order's list. Caller holds zone_lock. */
static void del_from_free_list(struct page *page, unsigned int order)
{
	list_del_init(&page->lru);
	ClearPageBuddy(page);
	page->order = 0;
	free_area[order].nr_free--;
}

/*
 * Is the block at pfn of this order free and whole, so that a neighbour of
 * the same order can merge with it? Linux's page_is_buddy().
 */
static bool page_is_buddy(pfn_t pfn, unsigned int order)
{
	if (pfn >= max_pfn)
		return false;
	struct page *p = pfn_to_page(pfn);
	/* A zeroed-list page is free but never merged: it is taken whole. */
	return PageBuddy(p) && !PageZeroed(p) && p->order == order;
}

/*
 * __free_one_page - put the block [pfn, pfn + 2^order) on the free lists,
 * merging it with its buddy, then the merged block with its buddy, and so
 * on up to MAX_PAGE_ORDER. The block's pages must be blank (no PG_ flags,
 * refcount 0). Caller holds zone_lock. As Linux's __free_one_page().
 */
static void __free_one_page(pfn_t pfn, unsigned int order)
{
	free_pages_count += 1UL << order;

	while (order < MAX_PAGE_ORDER) {
		pfn_t buddy_pfn = pfn ^ (1UL << order);

		if (!page_is_buddy(buddy_pfn, order))
			break;
		del_from_free_list(pfn_to_page(buddy_pfn), order);
		pfn &= buddy_pfn; /* head of the merged block */
		order++;
	}
	add_to_free_list(pfn_to_page(pfn), order);
}

/* Are all 2^order pages from pfn still PG_reserved (not yet managed)? */
static bool range_reserved(pfn_t pfn, unsigned int order)
{
	for (pfn_t p = pfn; p < pfn + (1UL << order); p++)
		if (!PageReserved(pfn_to_page(p)))
			return false;
	return true;
}

/*
 * free_pages_range - give the pfns [start, end) to the buddy allocator as
 * the largest aligned blocks that fit (Linux's __free_pages_memory()), so
 * the free lists start fully merged; a block also merges with free
 * neighbours given earlier. Pfns at or past max_pfn are ignored, and so
 * are pages already managed (not PG_reserved). Returns the number of pages
 * added.
 */
unsigned long free_pages_range(pfn_t start, pfn_t end)
{
	unsigned long flags, added = 0;

	spin_lock_irqsave(&zone_lock, flags);
	if (end > max_pfn)
		end = max_pfn;
	while (start < end) {
		unsigned int order = MAX_PAGE_ORDER;

		/* Largest block aligned at start, ending by end, all new. */
		while (order > 0 && ((start & ((1UL << order) - 1)) ||
				     start + (1UL << order) > end ||
				     !range_reserved(start, order)))
			order--;

		if (range_reserved(start, order)) {
			for (pfn_t p = start; p < start + (1UL << order); p++)
				ClearPageReserved(pfn_to_page(p));
			/* Free memory holds the pattern from the start, as
			 * in Linux's __free_pages_core() since 5.11. */
			if (unlikely(page_poisoning))
				page_poison_fill(pfn_to_page(start), order);
			__free_one_page(start, order);
			added += 1UL << order;
		}
		start += 1UL << order;
	}
	managed_pages += added;
	pcp_update_sizes();
	spin_unlock_irqrestore(&zone_lock, flags);
	return added;
}

/* Take a block of this order off the free lists, splitting a larger one;
 * NULL if none. Not yet accounted. Caller holds zone_lock. */
static struct page *rmqueue(unsigned int order)
{
	struct page *page = NULL;
	unsigned int o;

	for (o = order; o <= MAX_PAGE_ORDER; o++) {
		if (!list_empty(&free_area[o].free_list)) {
			page = list_first_entry(&free_area[o].free_list,
						struct page, lru);
			break;
		}
	}
	if (!page)
		return NULL;
	del_from_free_list(page, o);
	/* Split: keep the lower half, free the upper half. */
	while (o > order) {
		o--;
		add_to_free_list(page + (1UL << o), o);
	}
	return page;
}

/* Take the first page off the zeroed list (not empty); still counted
 * free. Caller holds zone_lock. */
static struct page *take_zeroed(void)
{
	struct page *page = list_first_entry(&zeroed_list, struct page, lru);

	list_del_init(&page->lru);
	ClearPageBuddy(page);
	ClearPageZeroed(page);
	nr_zeroed--;
	return page;
}

/* Give every zeroed-list page back to the free lists, merging; with
 * page_poison=1, each is checked for its zeros and poisoned first, the
 * free lists' pattern (found_by: for a report). Caller holds zone_lock. */
static void drain_zeroed(void *found_by)
{
	while (nr_zeroed) {
		struct page *page = take_zeroed();

		if (unlikely(page_poisoning)) {
			page_poison_check(page, 0, 0, found_by);
			page_poison_fill(page, 0);
		}
		free_pages_count--; /* __free_one_page() counts it again */
		__free_one_page(page_to_pfn(page), 0);
	}
}

/* The allocated head's state; the pages leave the free count. Caller
 * holds zone_lock. */
static void prep_new_page(struct page *page, unsigned int order)
{
	free_pages_count -= 1UL << order;
	page->refcount = 1;
	page->order = order;
	if (order > 0)
		SetPageHead(page);
}

/*
 * Move up to n pages from the free lists onto p's list (coldest last);
 * returns how many. They stay free memory: they leave free_pages_count
 * for p->count. Caller holds p->lock with interrupts off. Linux's
 * rmqueue_bulk().
 */
static unsigned int rmqueue_bulk(struct per_cpu_pages *p, unsigned int n)
{
	unsigned int i;

	spin_lock(&zone_lock);
	for (i = 0; i < n; i++) {
		struct page *page = rmqueue(0);

		if (!page)
			break;
		SetPagePcp(page);
		list_add_tail(&page->lru, &p->list);
	}
	free_pages_count -= i;
	p->count += i;
	spin_unlock(&zone_lock);
	return i;
}

/*
 * Give up to n pages from the tail of p's list (the longest unused, so
 * the cache-hot ones stay) back to the free lists, merging. Returns how
 * many. Caller holds p->lock with interrupts off. Linux's
 * free_pcppages_bulk().
 */
static unsigned int free_pcppages_bulk(struct per_cpu_pages *p, unsigned int n)
{
	unsigned int i;

	spin_lock(&zone_lock);
	for (i = 0; i < n && p->count; i++) {
		struct page *page = list_entry(p->list.prev, struct page, lru);

		list_del_init(&page->lru);
		ClearPagePcp(page);
		p->count--;
		__free_one_page(page_to_pfn(page), 0);
	}
	spin_unlock(&zone_lock);
	return i;
}

/*
 * An order-0 page off this CPU's list, which takes a batch from the free
 * lists when it is empty; NULL when they are empty too. Linux's
 * rmqueue_pcplist().
 */
static struct page *rmqueue_pcplist(void)
{
	struct per_cpu_pages *p;
	struct page *page = NULL;
	unsigned long flags;

	local_irq_save(flags);
	p = &pcp_lists[smp_processor_id()];
	spin_lock(&p->lock);
	if (p->count || rmqueue_bulk(p, READ_ONCE(pcp_batch))) {
		page = list_first_entry(&p->list, struct page, lru);
		list_del_init(&page->lru);
		ClearPagePcp(page);
		p->count--;
		page->refcount = 1;
		page->order = 0;
	}
	spin_unlock(&p->lock);
	local_irq_restore(flags);
	return page;
}

/*
 * Put a blank order-0 page, its last reference gone, on this CPU's list;
 * a list longer than pcp_high gives a batch back to the free lists.
 * Linux's free_unref_page().
 */
static void free_unref_page(struct page *page)
{
	struct per_cpu_pages *p;
	unsigned long flags;

	local_irq_save(flags);
	p = &pcp_lists[smp_processor_id()];
	spin_lock(&p->lock);
	SetPagePcp(page);
	list_add(&page->lru, &p->list);
	if (++p->count > READ_ONCE(pcp_high))
		free_pcppages_bulk(p, READ_ONCE(pcp_batch));
	spin_unlock(&p->lock);
	local_irq_restore(flags);
}

/* Empty every CPU's list into the free lists; returns the pages moved. */
static unsigned long drain_pcp_lists(void)
{
	unsigned long flags, moved = 0;

	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct per_cpu_pages *p = &pcp_lists[cpu];

		if (!READ_ONCE(p->count))
			continue;
		spin_lock_irqsave(&p->lock, flags);
		moved += free_pcppages_bulk(p, p->count);
		spin_unlock_irqrestore(&p->lock, flags);
	}
	return moved;
}

void drain_all_pages(void)
{
	drain_pcp_lists();
}

/*
 * alloc_pages - allocate 2^order contiguous pages, as Linux's
 * alloc_pages(): an order-0 page comes off this CPU's list; a larger
 * block is the smallest free block of at least this order, split, the
 * unused halves returned to the lower free lists ("expand"). The head
 * page gets refcount 1, page->order = order and, for order > 0, PG_head.
 * Returns NULL when order > MAX_PAGE_ORDER or no block is free. The
 * memory is not zeroed. When the free lists cannot serve the request the
 * zeroed list does, and then the per-CPU lists, drained (see the top of
 * this file; Linux drains them before it declares OOM). With
 * page_poison=1 the block is checked before it is handed out (Linux's
 * post_alloc_hook()).
 */
struct page *alloc_pages(unsigned int order)
{
	bool drained = false, zeroed = false;
	unsigned long flags;
	struct page *page;

	if (order > MAX_PAGE_ORDER)
		return NULL;
retry:
	if (order == 0) {
		page = rmqueue_pcplist();
		if (page)
			goto out;
	}
	spin_lock_irqsave(&zone_lock, flags);
	page = rmqueue(order);
	if (!page && nr_zeroed) {
		/* The zeroed list is the last reserve: free memory too. */
		if (order == 0) {
			page = take_zeroed();
			zeroed = true;
		} else {
			drain_zeroed(__builtin_return_address(0));
			page = rmqueue(order);
		}
	}
	if (page)
		prep_new_page(page, order);
	spin_unlock_irqrestore(&zone_lock, flags);
	if (!page && !drained && drain_pcp_lists()) {
		drained = true;
		goto retry;
	}
out:
	if (unlikely(page_poisoning) && page)
		page_poison_check(page, order, zeroed ? 0 : PAGE_POISON,
				  __builtin_return_address(0));
	return page;
}

/*
 * The pages come off the front of the list in one cut, not one
 * list_del_init() each: a refill takes them 64 at a time while the task
 * that kicked it waits (mm/poe_postfault.c), so an instruction per page
 * here is paid about 4,000 times in a 4096-page sweep. Each page gets
 * the state take_zeroed() and prep_new_page() give it, but for its lru
 * link, which is left stale, as in any allocated page: whoever links the
 * page into a list sets it.
 */
unsigned int alloc_prezeroed_pages(struct page **pages, unsigned int n)
{
	struct list_head *pos;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&zone_lock, flags);
	if (n > nr_zeroed)
		n = (unsigned int)nr_zeroed;
	pos = zeroed_list.next;
	for (i = 0; i < n; i++) {
		struct page *page = list_entry(pos, struct page, lru);

		pos = pos->next;
		ClearPageBuddy(page);
		ClearPageZeroed(page);
		page->refcount = 1; /* prep_new_page(page, 0); order is 0 */
		pages[i] = page;
	}
	/* pos: the first page left (or the list head): the n before it go. */
	zeroed_list.next = pos;
	pos->prev = &zeroed_list;
	nr_zeroed -= n;
	free_pages_count -= n;
	spin_unlock_irqrestore(&zone_lock, flags);
	if (unlikely(page_poisoning)) /* with no lock held */
		for (i = 0; i < n; i++)
			page_poison_check(pages[i], 0, 0,
					  __builtin_return_address(0));
	return n;
}

/* Put a free page on the zeroed list; it is counted free. Caller holds
 * zone_lock. */
static void add_zeroed(struct page *page)
{
	SetPageBuddy(page);
	SetPageZeroed(page);
	page->order = 0;
	list_add(&page->lru, &zeroed_list);
	nr_zeroed++;
}

static void __free_pages_caller(struct page *page, unsigned int order,
				void *caller);

void free_prezeroed_page(struct page *page)
{
	unsigned long flags;

	spin_lock_irqsave(&zone_lock, flags);
	if (page->refcount != 1 || page->flags || page->order) {
		/* Not a plain order-0 page of ours: let the checks of
		 * __free_pages() report it. */
		spin_unlock_irqrestore(&zone_lock, flags);
		__free_pages_caller(page, 0, __builtin_return_address(0));
		return;
	}
	page->refcount = 0;
	/* Its pattern on the zeroed list is the zeros it holds. */
	if (unlikely(page_poisoning))
		page_poison_note_free(page, 0, __builtin_return_address(0));
	free_pages_count++;
	add_zeroed(page);
	spin_unlock_irqrestore(&zone_lock, flags);
}

bool prezero_page(unsigned long target)
{
	unsigned long flags;
	struct page *page;

	spin_lock_irqsave(&zone_lock, flags);
	page = nr_zeroed < target ? rmqueue(0) : NULL;
	/* Still counted free while it is zeroed (it never stops being free
	 * memory): so nr_free_pages() does not flicker under the
	 * free-page checks of tests while the list fills. */
	spin_unlock_irqrestore(&zone_lock, flags);
	if (!page)
		return false;
	/* A write into it while it was free would vanish under the zeros:
	 * look first. */
	if (unlikely(page_poisoning))
		page_poison_check(page, 0, PAGE_POISON,
				  __builtin_return_address(0));
	memset(page_address(page), 0, PAGE_SIZE);
	spin_lock_irqsave(&zone_lock, flags);
	add_zeroed(page);
	spin_unlock_irqrestore(&zone_lock, flags);
	return true;
}

unsigned long nr_zeroed_pages(void)
{
	return READ_ONCE(nr_zeroed);
}

/*
 * Is pfn inside a free block (as its head or one of its tail pages)?
 * A free block of order k containing pfn must start at pfn rounded down to
 * 2^k, so looking at those MAX_PAGE_ORDER + 1 candidates is enough.
 */
static bool pfn_in_free_block(pfn_t pfn)
{
	for (unsigned int k = 0; k <= MAX_PAGE_ORDER; k++) {
		pfn_t head = pfn & ~((1UL << k) - 1);
		if (page_is_buddy(head, k))
			return true;
	}
	return false;
}

/*
 * Why would freeing this block be wrong? Returns NULL when the free is
 * fine, or a short reason. *is_double says whether the block is already
 * free (a double free) rather than never allocated in this shape.
 * Needs no lock for a block the caller really holds: nobody else writes
 * its struct page. For one it does not hold (the bug being reported) the
 * answer can be stale, which is as good as a debugging check gets without
 * making every free take zone_lock.
 */
static const char *check_free(pfn_t pfn, unsigned int order, bool *is_double)
{
	struct page *page = pfn_to_page(pfn);

	*is_double = false;
	if (pfn & ((1UL << order) - 1))
		return "not aligned to its order";
	if (pfn + (1UL << order) > max_pfn)
		return "block runs past the end of memory";
	if (PageReserved(page))
		return "reserved page";
	if (PageBuddy(page) || PagePcp(page)) {
		*is_double = true;
		return "already free";
	}
	if (READ_ONCE(page->refcount) <= 0) {
		unsigned long flags;
		bool in_free;

		/* A tail page of a free block, or of an allocated one? */
		spin_lock_irqsave(&zone_lock, flags);
		in_free = pfn_in_free_block(pfn);
		spin_unlock_irqrestore(&zone_lock, flags);
		*is_double = in_free;
		return in_free ? "already free" :
				 "not the head of an allocated block";
	}
	if (page->order != order || PageHead(page) != (order > 0))
		return "order differs from the allocation's order";
	if (PageSlab(page) || PageKmallocLarge(page))
		return "page still owned by kmalloc";
	return NULL;
}

/*
 * The body of __free_pages(), with the caller to name in a report.
 * Like Linux's __free_pages(): the block is freed when its refcount drops
 * to zero, so a page with extra references (page->refcount++ by a user such
 * as copy-on-write) stays allocated until the last __free_pages(). The
 * drop is a compare-and-swap that never goes below zero, so two CPUs
 * freeing the same page once too often leave one report, not a free
 * block with a negative count.
 */
static void __free_pages_caller(struct page *page, unsigned int order,
				void *caller)
{
	uintptr_t p = (uintptr_t)page, base = (uintptr_t)mem_map;
	bool is_double;
	const char *why;
	int ref;

	if (!page || p < base || p >= (uintptr_t)(mem_map + max_pfn) ||
	    (p - base) % sizeof(struct page)) {
		stat_add(&bad_frees, 1);
		printk(KERN_ERR "page_alloc: bad free of page %p order %u "
				"(not in mem_map) by %pS\n",
		       page, order, caller);
		return;
	}

	pfn_t pfn = page_to_pfn(page);
	is_double = false;
	if (order > MAX_PAGE_ORDER)
		why = "order above MAX_PAGE_ORDER";
	else
		why = check_free(pfn, order, &is_double);
	ref = READ_ONCE(page->refcount);
	while (!why) {
		if (ref <= 0) { /* another CPU's free got there first */
			is_double = true;
			why = "already free";
		} else if (__atomic_compare_exchange_n(&page->refcount, &ref,
						       ref - 1, false,
						       __ATOMIC_ACQ_REL,
						       __ATOMIC_RELAXED)) {
			break;
		}
	}
	if (why) {
		stat_add(&bad_frees, 1);
		printk(KERN_ERR "page_alloc: %s of pfn 0x%lx order %u (%s) "
				"by %pS\n",
		       is_double ? "double free" : "bad free", pfn, order, why,
		       caller);
		return;
	}
	if (ref > 1)
		return; /* other references remain */

	page->flags = 0;      /* clears PG_head */
	page->rmap_mm = NULL; /* as Linux clears page->mapping */
	page->order = 0;
	page->slab_cache = NULL;
	page->inuse = 0;
	/* Before any list: from here on another CPU may take the block. */
	if (unlikely(page_poisoning))
		page_poison_free(page, order, caller);
	if (order == 0) {
		free_unref_page(page);
	} else {
		unsigned long flags;

		spin_lock_irqsave(&zone_lock, flags);
		__free_one_page(pfn, order);
		spin_unlock_irqrestore(&zone_lock, flags);
	}
}

/*
 * __free_pages - return a block from alloc_pages() of the same order, by
 * its head page, and merge it with its free buddies (Linux's
 * __free_pages()). A block that is already free, reserved, misaligned, or
 * freed with another order than it was allocated with is reported as a
 * double/bad free naming the caller and ignored, so the free lists stay
 * consistent; nr_bad_frees() counts it.
 */
void split_page(struct page *page, unsigned int order)
{
	ClearPageHead(page);
	page->order = 0;
	for (unsigned long i = 1; i < (1UL << order); i++) {
		page[i].order = 0;
		page[i].refcount = 1;
	}
}

void __free_pages(struct page *page, unsigned int order)
{
	__free_pages_caller(page, order, __builtin_return_address(0));
}

/*
 * free_pages - __free_pages() of the block at direct-map address addr
 * (Linux's free_pages(); free_page() is this with order 0). 0 is
 * ignored; an address that is not a page start in mem_map is reported as
 * a bad free.
 */
void free_pages(unsigned long addr, unsigned int order)
{
	void *caller = __builtin_return_address(0);

	if (!addr)
		return;
	unsigned long pa = __pa((void *)addr);
	if ((pa & ~PAGE_MASK) || PFN_DOWN(pa) >= max_pfn) {
		stat_add(&bad_frees, 1);
		printk(KERN_ERR "page_alloc: bad free of address %p "
				"(not a page in mem_map) by %pS\n",
		       (void *)addr, caller);
		return;
	}
	__free_pages_caller(pfn_to_page(PFN_DOWN(pa)), order, caller);
}

/*
 * get_zeroed_page - allocate one page and zero it. Returns its direct-map
 * address, or 0 when memory is exhausted. Linux's get_zeroed_page().
 */
unsigned long get_zeroed_page(void)
{
	struct page *page = alloc_pages(0);

	if (!page)
		return 0;
	void *addr = page_address(page);
	memset(addr, 0, PAGE_SIZE);
	return (unsigned long)addr;
}

/*
 * Every free page, counted under every per-CPU list's lock and zone_lock
 * at once, so that no page moving between a list and the free lists
 * (rmqueue_bulk(), free_pcppages_bulk()) is missed or counted twice.
 * *pcp: those on the per-CPU lists. The locks are taken in CPU order:
 * everyone else holds at most one of them, so this cannot deadlock.
 */
static unsigned long count_free_pages(unsigned long *pcp)
{
	unsigned long flags, n;
	int cpu;

	local_irq_save(flags);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		spin_lock(&pcp_lists[cpu].lock);
	spin_lock(&zone_lock);
	*pcp = 0;
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		*pcp += pcp_lists[cpu].count;
	n = free_pages_count + *pcp;
	spin_unlock(&zone_lock);
	while (cpu--)
		spin_unlock(&pcp_lists[cpu].lock);
	local_irq_restore(flags);
	return n;
}

/* nr_free_pages - free pages: free lists, zeroed list and per-CPU lists
 * (Linux's of the same name, which leaves the per-CPU lists out). */
unsigned long nr_free_pages(void)
{
	unsigned long pcp;

	return count_free_pages(&pcp);
}

/* nr_managed_pages - pages ever given by free_pages_range() (zone->managed_pages). */
unsigned long nr_managed_pages(void)
{
	return READ_ONCE(managed_pages);
}

/* nr_free_blocks - free blocks of exactly this order; 0 for an order out of range. */
unsigned long nr_free_blocks(unsigned int order)
{
	if (order > MAX_PAGE_ORDER)
		return 0;
	return READ_ONCE(free_area[order].nr_free);
}

/* nr_bad_frees - double or bad frees detected and ignored. */
unsigned long nr_bad_frees(void)
{
	return READ_ONCE(bad_frees);
}

/*
 * show_free_areas - print one line with the number of free blocks of each
 * order and the totals in pages, like /proc/buddyinfo and Linux's
 * show_free_areas().
 */
void show_free_areas(void)
{
	char line[40 + NR_PAGE_ORDERS * 24 + 128];
	unsigned long flags, count[NR_PAGE_ORDERS], total, managed, pcp;
	int len;

	spin_lock_irqsave(&zone_lock, flags);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		count[o] = free_area[o].nr_free;
	managed = managed_pages;
	spin_unlock_irqrestore(&zone_lock, flags);
	total = count_free_pages(&pcp);

	len = snprintf(line, sizeof(line), "page_alloc: free blocks by order:");
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		len += snprintf(line + len, sizeof(line) - len, " %u:%lu", o,
				count[o]);
	snprintf(line + len, sizeof(line) - len,
		 "; %lu of %lu pages free (%lu on per-CPU lists)\n", total,
		 managed, pcp);
	printk(KERN_INFO "%s", line);
}
