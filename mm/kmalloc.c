/*
 * kmalloc.c - the kernel heap: kmalloc()/kfree() over the buddy allocator,
 * in the spirit of Linux's mm/slab_common.c + a much simplified SLAB.
 *
 * Sizes up to KMALLOC_MAX_CACHE_SIZE (2 KiB) are rounded up to a power of
 * two and served by that size class ("kmem_cache"). Each class carves
 * objects out of slab pages: single order-0 pages marked PG_slab, with
 * page->slab_cache naming the class and page->inuse counting objects
 * handed out. A slab page starts with a small header, a bitmap with one
 * bit per object (set = allocated); the objects follow, each aligned to
 * its size:
 *
 *   page_address(page)
 *   | slab_header (32 bytes) | pad to size | obj 0 | obj 1 | ... | obj n-1 |
 *
 * The bitmap makes double-free detection exact while the slab lives:
 * kfree() of an object whose bit is clear is reported and ignored. When
 * the object was the last of its slab, the page is back in the buddy
 * allocator (refcount 0), and a second kfree() is reported from that. The price is that classes of
 * 64 bytes and up lose their first slot to the header (the 2 KiB class
 * fits one object per page); Linux's SLAB keeps such headers off the slab
 * for large objects, which we do not bother with.
 *
 * A class keeps the slab pages that have a free object on its "partial"
 * list (page->lru); full slabs are on no list. A slab page whose last
 * object is freed goes straight back to the buddy allocator — no empty
 * slab is cached, so after everything is freed nr_free_pages() is exactly
 * what it was before.
 *
 * Larger sizes take a whole buddy block of the smallest order that fits,
 * marked PG_kmalloc_large (alloc_pages() already set PG_head and
 * page->order for order > 0), as Linux's kmalloc_large().
 *
 * Works with: mm/page_alloc.c (pages), include/mm/kmalloc.h (the API),
 * tests/host/test_kmalloc.c and tests/kernel/test_kmalloc.c.
 */
#include <mm/kmalloc.h>
#include <mm/page_alloc.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>

#define BITS_PER_LONG	 64
#define SLAB_MAX_OBJECTS (PAGE_SIZE / KMALLOC_MIN_SIZE) /* 256 */

/* The header at the start of every slab page. */
struct slab_header {
	unsigned long inuse_map[SLAB_MAX_OBJECTS / BITS_PER_LONG];
};

/* One size class, as Linux's struct kmem_cache. */
struct kmem_cache {
	const char *name;
	unsigned int size;	  /* object size, bytes (a power of two) */
	unsigned int offset;	  /* offset of object 0 in a slab page */
	unsigned int objects;	  /* objects per slab page */
	unsigned long nr_slabs;	  /* slab pages this class owns */
	struct list_head partial; /* slab pages with a free object */
	spinlock_t lock;	  /* protects all of the above, and the
				   * inuse/lru/header of its slabs */
};

#define SLAB_OFFSET(sz) ALIGN_UP(sizeof(struct slab_header), (size_t)(sz))
#define KMALLOC_CACHE(i, sz)                                          \
	[i] = {                                                       \
		.name = "kmalloc-" #sz,                               \
		.size = (sz),                                         \
		.offset = SLAB_OFFSET(sz),                            \
		.objects = (PAGE_SIZE - SLAB_OFFSET(sz)) / (sz),      \
		.partial = LIST_HEAD_INIT(kmalloc_caches[i].partial), \
		.lock = SPINLOCK_INIT,                                \
	}

static struct kmem_cache kmalloc_caches[] = {
	KMALLOC_CACHE(0, 16),	KMALLOC_CACHE(1, 32),	KMALLOC_CACHE(2, 64),
	KMALLOC_CACHE(3, 128),	KMALLOC_CACHE(4, 256),	KMALLOC_CACHE(5, 512),
	KMALLOC_CACHE(6, 1024), KMALLOC_CACHE(7, 2048),
};

static unsigned long bad_frees;
static DEFINE_SPINLOCK(large_lock); /* PG_kmalloc_large test-and-clear */

/* The size class for size bytes (1 .. KMALLOC_MAX_CACHE_SIZE). */
static struct kmem_cache *kmalloc_slab(size_t size)
{
	unsigned int i = 0;

	while ((size_t)kmalloc_caches[i].size < size)
		i++;
	return &kmalloc_caches[i];
}

static bool test_bit(const unsigned long *map, unsigned int nr)
{
	return (map[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1;
}

static void set_bit(unsigned long *map, unsigned int nr)
{
	map[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static void clear_bit(unsigned long *map, unsigned int nr)
{
	map[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

/* First clear bit below n; n when every bit is set. */
static unsigned int find_first_zero_bit(const unsigned long *map,
					unsigned int n)
{
	for (unsigned int w = 0; w * BITS_PER_LONG < n; w++) {
		if (map[w] != ~0UL) {
			unsigned int nr =
				w * BITS_PER_LONG + __builtin_ctzl(~map[w]);
			return nr < n ? nr : n;
		}
	}
	return n;
}

/*
 * Take a fresh page from the buddy allocator and make it an empty slab of
 * cache c, on c's partial list. Caller holds c->lock. NULL when out of
 * memory.
 */
static struct page *new_slab(struct kmem_cache *c)
{
	struct page *page = alloc_pages(0);

	if (!page)
		return NULL;
	memset(page_address(page), 0, sizeof(struct slab_header));
	SetPageSlab(page);
	page->slab_cache = c;
	page->inuse = 0;
	list_add(&page->lru, &c->partial);
	c->nr_slabs++;
	return page;
}

/* Allocate one object of cache c. */
static void *slab_alloc(struct kmem_cache *c)
{
	unsigned long flags;
	struct page *page;
	void *obj = NULL;

	spin_lock_irqsave(&c->lock, flags);
	if (list_empty(&c->partial))
		page = new_slab(c);
	else
		page = list_first_entry(&c->partial, struct page, lru);
	if (page) {
		struct slab_header *hdr = page_address(page);
		unsigned int i =
			find_first_zero_bit(hdr->inuse_map, c->objects);

		set_bit(hdr->inuse_map, i);
		if (++page->inuse == c->objects)
			list_del_init(&page->lru); /* now full */
		obj = (char *)hdr + c->offset + (size_t)i * c->size;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	return obj;
}

/* Allocate a whole buddy block of the smallest order holding size bytes. */
static void *kmalloc_large(size_t size)
{
	unsigned int order = 0;

	if (size > (PAGE_SIZE << MAX_PAGE_ORDER))
		return NULL;
	while ((PAGE_SIZE << order) < size)
		order++;
	struct page *page = alloc_pages(order);
	if (!page)
		return NULL;
	SetPageKmallocLarge(page);
	return page_address(page);
}

/*
 * kmalloc - allocate size bytes (Linux's kmalloc(), without gfp flags).
 * Sizes up to 2 KiB come from the power-of-two size class and are aligned
 * to that size; larger ones are whole buddy blocks, page aligned. Returns
 * NULL for size 0, for more than 2^MAX_PAGE_ORDER pages, or when memory is
 * exhausted. The memory is not zeroed.
 */
void *kmalloc(size_t size)
{
	if (size == 0)
		return NULL;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(size);
	return slab_alloc(kmalloc_slab(size));
}

/* kzalloc - kmalloc() and zero the size bytes. Same errors. Linux's kzalloc(). */
void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* Count and print a double or invalid kfree(). */
static void report_bad_free(const char *what, const void *ptr, const char *why,
			    void *caller)
{
	__atomic_fetch_add(&bad_frees, 1, __ATOMIC_RELAXED);
	printk(KERN_ERR "kmalloc: %s of %p (%s) by %pS\n", what, ptr, why,
	       caller);
}

/* The struct page of a direct-map address, or NULL if it has none. */
static struct page *kmalloc_page(const void *ptr)
{
	unsigned long pfn = PFN_DOWN(__pa(ptr));

	return pfn < max_pfn ? pfn_to_page(pfn) : NULL;
}

/* Free an object of the slab page; reports a bad pointer instead. */
static void slab_free(struct page *page, const void *ptr, void *caller)
{
	struct kmem_cache *c = page->slab_cache;
	struct slab_header *hdr = page_address(page);
	unsigned long flags,
		off = (unsigned long)((const char *)ptr - (const char *)hdr);
	unsigned int i;

	spin_lock_irqsave(&c->lock, flags);
	if (off < c->offset || (off - c->offset) % c->size ||
	    (off - c->offset) / c->size >= c->objects) {
		spin_unlock_irqrestore(&c->lock, flags);
		report_bad_free("invalid free", ptr,
				"not the start of an object", caller);
		return;
	}
	i = (off - c->offset) / c->size;
	if (!test_bit(hdr->inuse_map, i)) {
		spin_unlock_irqrestore(&c->lock, flags);
		report_bad_free("double free", ptr, c->name, caller);
		return;
	}

	clear_bit(hdr->inuse_map, i);
	if (page->inuse-- == c->objects)
		list_add(&page->lru, &c->partial); /* was full */
	if (page->inuse == 0) {
		/* Empty: give the page back to the buddy allocator. */
		list_del_init(&page->lru);
		ClearPageSlab(page);
		page->slab_cache = NULL;
		c->nr_slabs--;
		spin_unlock_irqrestore(&c->lock, flags);
		__free_pages(page, 0);
		return;
	}
	spin_unlock_irqrestore(&c->lock, flags);
}

/*
 * Explain a kfree() of a pointer that is neither a slab object nor the
 * start of a live large allocation.
 */
static void report_foreign_free(struct page *page, const void *ptr,
				void *caller)
{
	if (!page) {
		report_bad_free("invalid free", ptr, "not in the direct map",
				caller);
		return;
	}
	/* Inside a live large allocation? Its head is pfn rounded down. */
	pfn_t pfn = page_to_pfn(page);
	for (unsigned int k = 0; k <= MAX_PAGE_ORDER; k++) {
		struct page *head = pfn_to_page(pfn & ~((1UL << k) - 1));
		if (PageKmallocLarge(head) && head->order == k) {
			report_bad_free("invalid free", ptr,
					"inside a large allocation", caller);
			return;
		}
	}
	/*
	 * A page with no users that is not reserved is (almost surely) free
	 * in the buddy allocator: typically the object was the last one of
	 * its slab, or a large block, and was freed before. (A tail page of
	 * a block someone got from alloc_pages() looks the same; such a
	 * pointer was never kmalloc's anyway, and is reported either way.)
	 */
	if (!PageReserved(page) && page->refcount == 0) {
		report_bad_free("double free", ptr, "memory is already free",
				caller);
		return;
	}
	report_bad_free("invalid free", ptr, "not allocated by kmalloc",
			caller);
}

/*
 * kfree - free memory from kmalloc() (Linux's kfree()). NULL is ignored.
 * Freeing an object twice is reported as a "double free", and a pointer
 * kmalloc never returned (inside an object, not in the heap) as an
 * "invalid free", naming the caller with %pS; both are counted in
 * kmalloc_bad_frees() and otherwise ignored.
 */
void kfree(const void *ptr)
{
	void *caller = __builtin_return_address(0);
	unsigned long flags;

	if (!ptr)
		return;
	struct page *page = kmalloc_page(ptr);
	if (page && PageSlab(page)) {
		slab_free(page, ptr, caller);
		return;
	}

	if (page && ptr == page_address(page)) {
		bool large;

		spin_lock_irqsave(&large_lock, flags);
		large = PageKmallocLarge(page);
		if (large)
			ClearPageKmallocLarge(page);
		spin_unlock_irqrestore(&large_lock, flags);
		if (large) {
			__free_pages(page, page->order);
			return;
		}
	}
	report_foreign_free(page, ptr, caller);
}

/*
 * ksize - usable bytes of an allocation: its size class, or the whole
 * block for a large one. 0 for NULL or a pointer kmalloc did not return.
 * Linux's ksize().
 */
size_t ksize(const void *ptr)
{
	if (!ptr)
		return 0;
	struct page *page = kmalloc_page(ptr);
	if (!page)
		return 0;
	if (PageSlab(page))
		return page->slab_cache->size;
	if (PageKmallocLarge(page) && ptr == page_address(page))
		return PAGE_SIZE << page->order;
	return 0;
}

/* kmalloc_bad_frees - double or invalid kfree()s detected since boot. */
unsigned long kmalloc_bad_frees(void)
{
	return __atomic_load_n(&bad_frees, __ATOMIC_RELAXED);
}
