/*
 * page.h - struct page, one per physical page frame, the pfn <-> page <->
 * address conversions, the page-flag tests, and a mapping's reference
 * (get_page/put_page). The array of them (mem_map) is set up by
 * mm/page_alloc.c; the buddy allocator, kmalloc, the page tables and the
 * fault handler all describe physical memory through it, as Linux's
 * <linux/mm_types.h>, <linux/page-flags.h> and <linux/mm.h> do.
 */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <asm/memlayout.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

/* Page flags: bit numbers in struct page.flags (Linux's enum pageflags). */
enum pageflags {
	PG_reserved,	  /* never given to the buddy allocator */
	PG_buddy,	  /* head of a free block on a buddy free list */
	PG_slab,	  /* backs a kmalloc size class */
	PG_head,	  /* head of an allocated block of order > 0 */
	PG_kmalloc_large, /* allocated by kmalloc for a large size */
	PG_lru,		  /* on the LRU list (mm/swap.c) */
	PG_zeroed,	  /* free and known to be zero: on the zeroed list
			   * (mm/page_alloc.c), with PG_buddy; ours */
	PG_pcp,		  /* free, on a CPU's per-CPU page list
			   * (mm/page_alloc.c); ours: Linux leaves these
			   * pages unflagged */
};

struct kmem_cache;

struct page {
	unsigned long flags;  /* PG_* bits */
	int refcount;	      /* users of an allocated page; 0 when free */
	unsigned int order;   /* block order when PG_buddy or PG_head */
	unsigned int inuse;   /* PG_slab: objects handed out */
	spinlock_t ptl;	      /* a PTE page-table page: its PTE lock
			       * (include/mm/pgtable.h, pte_lockptr()) */
	struct list_head lru; /* buddy free list / slab partial list /
			       * PG_lru: the LRU list */
	struct kmem_cache *slab_cache; /* PG_slab: owning size class */
	/* Reverse mapping of an anonymous user page: which mm maps it at
	 * which address (include/mm/rmap.h; Linux finds this through
	 * page->mapping's anon_vma and page->index). */
	struct mm_struct *rmap_mm;
	unsigned long rmap_va;
};

/*
 * PageFoo(page) / SetPageFoo(page) / ClearPageFoo(page): test, set and
 * clear flag PG_foo, generated for every flag as Linux's PAGEFLAG() does
 * in <linux/page-flags.h>. Not atomic: callers hold the lock that owns the
 * flag (zone_lock, lru_lock, ...).
 */
#define PAGEFLAG(uname, lname)                                  \
	static inline bool Page##uname(const struct page *page) \
	{                                                       \
		return (page->flags >> PG_##lname) & 1;         \
	}                                                       \
	static inline void SetPage##uname(struct page *page)    \
	{                                                       \
		page->flags |= 1UL << PG_##lname;               \
	}                                                       \
	static inline void ClearPage##uname(struct page *page)  \
	{                                                       \
		page->flags &= ~(1UL << PG_##lname);            \
	}

PAGEFLAG(Reserved, reserved)
PAGEFLAG(Buddy, buddy)
PAGEFLAG(Slab, slab)
PAGEFLAG(Head, head)
PAGEFLAG(KmallocLarge, kmalloc_large)
PAGEFLAG(LRU, lru)
PAGEFLAG(Zeroed, zeroed)
PAGEFLAG(Pcp, pcp)

extern struct page *mem_map; /* indexed by pfn, 0 .. max_pfn - 1 */
extern pfn_t max_pfn;	     /* one past the highest pfn with a page */

#define pfn_to_page(pfn)   (mem_map + (pfn))
#define page_to_pfn(page)  ((pfn_t)((page)-mem_map))
#define page_to_phys(page) ((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT)
#define page_address(page) __va(page_to_phys(page))
#define virt_to_page(va)   pfn_to_page(__pa(va) >> PAGE_SHIFT)
#define PFN_UP(x)	   (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x)	   ((x) >> PAGE_SHIFT)

/*
 * get_page - take one more reference to an allocated page (a new mapping
 * of it, e.g. fork sharing it copy-on-write). Atomic: two address
 * spaces sharing a page change its count under two different
 * page_table_locks. Linux's get_page().
 */
static inline void get_page(struct page *page)
{
	__atomic_fetch_add(&page->refcount, 1, __ATOMIC_RELAXED);
}

/*
 * put_page - drop a reference to an order-0 page; the last one takes it
 * off the LRU list and frees it. Linux's put_page() (whose last reference
 * ends in __folio_put(), mm/swap.c, as ours does).
 */
void put_page(struct page *page);

#endif
