/*
 * page.h - struct page, one per physical page frame, and the pfn <->
 * page <-> address conversions. The array of them (mem_map) is set up by
 * mm/page_alloc.c; the buddy allocator, kmalloc and (later) the fault
 * handler all describe physical memory through it, as Linux's
 * <linux/mm_types.h> does.
 */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <asm/memlayout.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

/* Page flags (struct page.flags bits). */
#define PG_reserved	0	/* never given to the buddy allocator */
#define PG_buddy	1	/* head of a free block on a buddy free list */
#define PG_slab		2	/* backs a kmalloc size class */
#define PG_head		3	/* head of an allocated block of order > 0 */
#define PG_kmalloc_large 4	/* allocated by kmalloc for a large size */
#define PG_lru		5	/* on the active LRU list (mm/poe_postfault.c) */

struct kmem_cache;

struct page {
	unsigned long flags;	/* PG_* bits */
	int refcount;		/* users of an allocated page; 0 when free */
	int mapcount;		/* page-table mappings (mm issue) */
	unsigned int order;	/* block order when PG_buddy or PG_head */
	unsigned int inuse;	/* PG_slab: objects handed out */
	struct list_head lru;	/* buddy free list / slab partial list /
				 * PG_lru: the active LRU list */
	struct kmem_cache *slab_cache;	/* PG_slab: owning size class */
	/* Reverse mapping of a user page the POE walker mapped, recorded by
	 * post-page-fault work: which mm maps it at which address (Linux
	 * finds this through page->mapping's anon_vma and page->index). */
	struct mm_struct *rmap_mm;
	unsigned long rmap_va;
};

static inline bool PageTest(const struct page *p, int bit)
{
	return (p->flags >> bit) & 1;
}
static inline void SetPage(struct page *p, int bit)
{
	p->flags |= 1UL << bit;
}
static inline void ClearPage(struct page *p, int bit)
{
	p->flags &= ~(1UL << bit);
}

extern struct page *mem_map;	/* indexed by pfn, 0 .. max_pfn - 1 */
extern pfn_t max_pfn;		/* one past the highest pfn with a page */

#define pfn_to_page(pfn)	(mem_map + (pfn))
#define page_to_pfn(page)	((pfn_t)((page) - mem_map))
#define page_to_phys(page)	((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT)
#define page_address(page)	__va(page_to_phys(page))
#define virt_to_page(va)	pfn_to_page(__pa(va) >> PAGE_SHIFT)
#define PFN_UP(x)		(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x)		((x) >> PAGE_SHIFT)

#endif
