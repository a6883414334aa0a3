/*
 * page_alloc.h - the buddy allocator (mm/page_alloc.c): blocks of
 * 2^order contiguous pages, order 0 .. MAX_PAGE_ORDER, as in Linux's
 * mm/page_alloc.c. Counts are in pages unless a name says otherwise.
 */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H

#include <mm/page.h>

#define MAX_PAGE_ORDER 10 /* largest block: 2^10 pages = 4 MiB */
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)

/*
 * mem_map_init - point mem_map at an array of nr struct pages (zeroed here)
 * and mark every page PG_reserved. Pages become allocatable only when
 * free_pages_range() hands them over, as Linux's memblock_free_all() does.
 * The caller finds the memory for the array (mm_init() in mm/init.c, from
 * memblock; the host tests, from their arena). Linux's free_area_init().
 */
void mem_map_init(struct page *map, pfn_t nr);

/*
 * free_pages_range - give the pfns [start, end) to the buddy allocator as
 * the largest aligned blocks that fit, so that the initial free lists are
 * fully merged. Returns the number of pages added. Linux's
 * __free_pages_memory() (under memblock_free_all()).
 */
unsigned long free_pages_range(pfn_t start, pfn_t end);

/*
 * alloc_pages - allocate 2^order contiguous pages; refcount becomes 1.
 * Returns the head page, or NULL when no block is free or order is out of
 * range (order > MAX_PAGE_ORDER). The memory is not zeroed. Free it with
 * __free_pages(). An order-0 page comes off this CPU's per-CPU list
 * (mm/page_alloc.c); before it fails, it drains every CPU's list. With
 * page_poison=1 the block is first checked for writes made while it was
 * free (mm/page_poison.c; reported, then handed out as it is). Linux's
 * alloc_pages() for one zone, without the gfp mask.
 */
struct page *alloc_pages(unsigned int order);

/*
 * __free_pages - drop one reference to a block from alloc_pages() of the
 * same order, by its head struct page; the last one returns it to the
 * free lists, merged with its free buddies (a page shared copy-on-write
 * lives on until then). A page that is already free, reserved, outside
 * mem_map (NULL included), or freed with the wrong order is reported as a
 * double/bad free naming the caller (%pS) and ignored, so the free lists
 * stay consistent. With page_poison=1 the freed block is filled with
 * PAGE_POISON and its freeing task and call site recorded. Returns
 * nothing. Linux's __free_pages().
 */
void __free_pages(struct page *page, unsigned int order);

/*
 * split_page - turn an allocated block of 2^order pages (refcount 1, from
 * alloc_pages()) into 2^order order-0 pages, each with refcount 1, to be
 * freed one by one with put_page() or __free_pages(page, 0). A
 * transparent huge page is made of one (include/mm/huge_mm.h). Returns
 * nothing. Linux's split_page().
 */
void split_page(struct page *page, unsigned int order);

/*
 * free_pages - __free_pages() of the block at direct-map address addr
 * (what get_zeroed_page() or page_address() gave). addr 0 is ignored; an
 * address that is not the start of a page in mem_map is reported as a bad
 * free and ignored. Returns nothing. Linux's free_pages().
 */
void free_pages(unsigned long addr, unsigned int order);

/* free_page - free_pages(addr, 0): one page by address. Linux's free_page(). */
#define free_page(addr) free_pages((addr), 0)

/*
 * get_zeroed_page - allocate one page (order 0, refcount 1) and zero it.
 * Returns its direct-map address as an unsigned long (cast it to the
 * pointer you need), or 0 when no page is free. Linux's get_zeroed_page(),
 * without the gfp mask: there is one zone and allocation never sleeps.
 */
unsigned long get_zeroed_page(void);

/*
 * alloc_prezeroed_pages - take up to n pages off the zeroed list into
 * pages[] (each order 0, refcount 1, known to hold only zeros), under one
 * hold of the allocator's lock. Returns how many: fewer than n, 0
 * included, when the list runs out; it never zeroes one itself, so the
 * caller knows what it paid. With page_poison=1 each page is checked
 * for its zeros (one that lost one is reported and zeroed again). Ours
 * (FreeBSD's PG_ZERO pages, the zeroed page list of Windows); the POE refill takes its pages here first
 * (mm/poe_postfault.c), and so does the full handler for a fault in a
 * POE region (poe_fault_zeroed_page(), mm/poe.c).
 */
unsigned int alloc_prezeroed_pages(struct page **pages, unsigned int n);

/*
 * free_prezeroed_page - give back a page from alloc_prezeroed_pages()
 * that is still all zeros and unused, onto the zeroed list. A page that
 * is not a plain allocated order-0 page is reported as __free_pages()
 * reports a bad free.
 */
void free_prezeroed_page(struct page *page);

/*
 * prezero_page - zero one free page and put it on the zeroed list, if the
 * list holds fewer than target pages and a free page is left. Returns
 * true if it did. Zeroes with no lock held (one page, 4096 bytes of
 * stores); the page stays counted in nr_free_pages() throughout. With
 * page_poison=1 the page's poison is checked before the zeros cover it.
 * Meant for idle time: POE's background work (mm/poe_postfault.c).
 */
bool prezero_page(unsigned long target);

/* nr_zeroed_pages - free pages on the zeroed list now. */
unsigned long nr_zeroed_pages(void);

/* nr_free_pages - free pages: those on the buddy free lists, on the
 * zeroed list (alloc_prezeroed_pages()) and on every CPU's per-CPU list,
 * counted under all the allocator's locks at once, so the figure is
 * exact at the moment it is taken. Linux's NR_FREE_PAGES leaves the
 * per-CPU lists out; ours counts them so that a leak check need not
 * drain them. Not for a hot path: it takes a lock per possible CPU. */
unsigned long nr_free_pages(void);

/*
 * drain_all_pages - give every CPU's per-CPU page list back to the buddy
 * free lists, where the pages merge with their buddies. For whoever
 * needs the free lists whole: a test that compares them, an allocation
 * of a higher order (alloc_pages() drains before it fails). Takes each
 * CPU's list lock in turn, so it needs no IPI; a CPU may refill its list
 * right after. Returns nothing. Linux's drain_all_pages(), which sends
 * work to each CPU instead.
 */
void drain_all_pages(void);
/* nr_managed_pages - pages ever handed to the buddy allocator. */
unsigned long nr_managed_pages(void);

/* nr_free_blocks - free blocks of exactly this order (for tests, dumps). */
unsigned long nr_free_blocks(unsigned int order);

/* nr_bad_frees - double or invalid frees detected since boot. */
unsigned long nr_bad_frees(void);

/* show_free_areas - print free blocks per order, like /proc/buddyinfo. */
void show_free_areas(void);

#endif
