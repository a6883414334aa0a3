/*
 * test_page_alloc.c - host unit tests (cmocka) for the buddy allocator,
 * mm/page_alloc.c compiled as is against a heap arena (host_mem.c). Each
 * test starts from a fresh mem_map (setup) and checks splitting, merging,
 * alignment, exhaustion, the double/bad-free reports, the zeroed list and
 * the per-CPU lists (host_cpu plays the CPUs).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <mm/page_alloc.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/smp.h> /* host_cpu */
#include "host_shim.h"
#include "../kernel/test_helpers.h"

static void assert_snapshot_equal(const struct buddy_snapshot *a,
				  const struct buddy_snapshot *b)
{
	assert_int_equal(a->free, b->free);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		assert_int_equal(a->blocks[o], b->blocks[o]);
}

/* Pages on the free lists, counted from the per-order block counts,
 * once the per-CPU lists are drained into them. */
static unsigned long pages_in_blocks(void)
{
	unsigned long n = 0;

	drain_all_pages();
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		n += nr_free_blocks(o) << o;
	return n;
}

static int setup(void **state)
{
	(void)state;
	host_mem_init(4096);
	host_log_clear();
	return 0;
}

/* Nothing is free until free_pages_range() hands pages over. */
static void test_init_all_reserved(void **state)
{
	(void)state;
	assert_int_equal(nr_free_pages(), 0);
	assert_int_equal(nr_managed_pages(), 0);
	assert_null(alloc_pages(0));
	for (pfn_t pfn = 0; pfn < max_pfn; pfn++)
		assert_true(PageReserved(pfn_to_page(pfn)));
}

/* One order-10 block: an order-0 allocation splits it all the way down. */
static void test_split_and_merge(void **state)
{
	struct buddy_snapshot before, after;

	(void)state;
	assert_int_equal(free_pages_range(0, 1024), 1024);
	buddy_snapshot_take(&before);
	assert_int_equal(before.free, 1024);
	assert_int_equal(before.blocks[MAX_PAGE_ORDER], 1);
	for (unsigned int o = 0; o < MAX_PAGE_ORDER; o++)
		assert_int_equal(before.blocks[o], 0);

	struct page *p = alloc_pages(0);
	assert_non_null(p);
	assert_int_equal(page_to_pfn(p), 0);
	assert_int_equal(p->refcount, 1);
	assert_false(PageBuddy(p));
	assert_false(PageHead(p));
	assert_int_equal(nr_free_pages(), 1023);
	/* The split left one free block of every order 0 .. 9. */
	for (unsigned int o = 0; o < MAX_PAGE_ORDER; o++)
		assert_int_equal(nr_free_blocks(o), 1);
	assert_int_equal(nr_free_blocks(MAX_PAGE_ORDER), 0);
	assert_int_equal(pages_in_blocks(), nr_free_pages());

	/* The next order-0 page is the buddy: pfn 1. */
	struct page *q = alloc_pages(0);
	assert_non_null(q);
	assert_int_equal(page_to_pfn(q), 1);
	assert_int_equal(nr_free_blocks(0), 0);

	__free_pages(p, 0);
	__free_pages(q, 0);
	buddy_snapshot_take(&after);
	assert_snapshot_equal(&before, &after);
	assert_int_equal(nr_bad_frees(), 0);
}

/* An order-k allocation is aligned to 2^k pages, for every k. */
static void test_alignment(void **state)
{
	(void)state;
	free_pages_range(0, 4096);
	struct page *small = alloc_pages(0); /* break the symmetry */
	assert_non_null(small);
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		struct page *p = alloc_pages(o);
		assert_non_null(p);
		assert_int_equal(page_to_pfn(p) & ((1UL << o) - 1), 0);
		assert_int_equal(p->order, o);
		assert_int_equal(PageHead(p), o > 0);
		__free_pages(p, o);
	}
	__free_pages(small, 0);
	assert_int_equal(nr_free_pages(), 4096);
	drain_all_pages();
	assert_int_equal(nr_free_blocks(MAX_PAGE_ORDER), 4);
}

static void test_order_too_large(void **state)
{
	struct buddy_snapshot before, after;

	(void)state;
	free_pages_range(0, 4096);
	buddy_snapshot_take(&before);
	assert_null(alloc_pages(MAX_PAGE_ORDER + 1));
	assert_null(alloc_pages(31));
	assert_null(alloc_pages(~0U));
	assert_int_equal(nr_free_blocks(MAX_PAGE_ORDER + 1), 0);
	buddy_snapshot_take(&after);
	assert_snapshot_equal(&before, &after);
}

/* A 16-page range: 16 order-0 pages, then NULL at every order. */
static void test_exhaustion(void **state)
{
	struct page *pages[16];

	(void)state;
	assert_int_equal(free_pages_range(32, 48), 16);
	assert_null(alloc_pages(5)); /* larger than all memory */
	for (int i = 0; i < 16; i++) {
		pages[i] = alloc_pages(0);
		assert_non_null(pages[i]);
		assert_true(page_to_pfn(pages[i]) >= 32);
		assert_true(page_to_pfn(pages[i]) < 48);
	}
	assert_int_equal(nr_free_pages(), 0);
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++)
		assert_null(alloc_pages(o));
	assert_int_equal(get_zeroed_page(), 0);
	for (int i = 15; i >= 0; i--)
		__free_pages(pages[i], 0);
	assert_int_equal(nr_free_pages(), 16);
	drain_all_pages();
	assert_int_equal(nr_free_blocks(4), 1);
	assert_int_equal(nr_bad_frees(), 0);
}

/* Expected free lists for [start, end): the greedy largest-aligned split. */
static void expected_blocks(pfn_t start, pfn_t end, unsigned long *blocks)
{
	memset(blocks, 0, NR_PAGE_ORDERS * sizeof(*blocks));
	while (start < end) {
		unsigned int o = MAX_PAGE_ORDER;
		while (o > 0 &&
		       ((start % (1UL << o)) || start + (1UL << o) > end))
			o--;
		blocks[o]++;
		start += 1UL << o;
	}
}

/* Ranges of odd sizes, not starting at pfn 0, and clamping. */
static void test_odd_ranges(void **state)
{
	static const pfn_t ranges[][2] = {
		{ 5, 1234 },	{ 1, 2 },    { 3, 1027 },
		{ 1023, 1025 }, { 7, 4095 }, { 2048, 3071 },
	};
	unsigned long want[NR_PAGE_ORDERS];

	(void)state;
	for (size_t r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
		pfn_t s = ranges[r][0], e = ranges[r][1];

		host_mem_init(4096);
		assert_int_equal(free_pages_range(s, e), e - s);
		assert_int_equal(nr_free_pages(), e - s);
		assert_int_equal(nr_managed_pages(), e - s);
		expected_blocks(s, e, want);
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
			assert_int_equal(nr_free_blocks(o), want[o]);
		/* Pages outside the range stay reserved. */
		if (s > 0)
			assert_true(PageReserved(pfn_to_page(s - 1)));
		if (e < max_pfn)
			assert_true(PageReserved(pfn_to_page(e)));

		/* Take every page one by one: all inside the range. */
		unsigned long n = 0;
		struct page *p;
		while ((p = alloc_pages(0)) != NULL) {
			assert_true(page_to_pfn(p) >= s && page_to_pfn(p) < e);
			n++;
		}
		assert_int_equal(n, e - s);
		for (pfn_t pfn = s; pfn < e; pfn++)
			__free_pages(pfn_to_page(pfn), 0);
		drain_all_pages();
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
			assert_int_equal(nr_free_blocks(o), want[o]);
	}

	/* Two halves given separately merge into one block. */
	host_mem_init(4096);
	free_pages_range(0, 512);
	free_pages_range(512, 1024);
	assert_int_equal(nr_free_blocks(MAX_PAGE_ORDER), 1);
	assert_int_equal(nr_free_pages(), 1024);
	/* Giving managed pages again adds nothing; past max_pfn is clamped. */
	assert_int_equal(free_pages_range(100, 200), 0);
	assert_int_equal(free_pages_range(4000, 9000), 96);
	assert_int_equal(nr_managed_pages(), 1024 + 96);
	/* Overlapping range: only the new pages count. */
	assert_int_equal(free_pages_range(1000, 1100), 76);
	assert_int_equal(nr_free_pages(), 1024 + 96 + 76);
	assert_int_equal(pages_in_blocks(), nr_free_pages());
}

struct block {
	struct page *page;
	unsigned int order;
};

/*
 * Allocate all of memory in random orders (falling back to smaller ones),
 * check alignment, bounds and that no two blocks overlap, then free in a
 * random order: every buddy must merge back to the starting free lists.
 */
static void alloc_all_free_all(pfn_t start, pfn_t end, uint64_t seed)
{
	struct buddy_snapshot before, after;
	struct block *blocks = calloc(end - start, sizeof(*blocks));
	unsigned char *owner = calloc(max_pfn, 1);
	size_t n = 0;

	assert_non_null(blocks);
	assert_non_null(owner);
	ktest_srand(seed); /* seeded per call, so that failures repeat */
	buddy_snapshot_take(&before);

	for (;;) {
		unsigned int order = ktest_rand() % NR_PAGE_ORDERS;
		struct page *p;

		while ((p = alloc_pages(order)) == NULL && order > 0)
			order--;
		if (!p)
			break;
		pfn_t pfn = page_to_pfn(p);
		assert_int_equal(pfn & ((1UL << order) - 1), 0);
		assert_true(pfn >= start && pfn + (1UL << order) <= end);
		for (pfn_t i = pfn; i < pfn + (1UL << order); i++) {
			assert_int_equal(owner[i], 0);
			owner[i] = 1;
		}
		/* Touch the memory: it must really be ours (ASan). */
		memset(page_address(p), (int)(n & 0xff), PAGE_SIZE << order);
		blocks[n].page = p;
		blocks[n].order = order;
		n++;
	}
	assert_int_equal(nr_free_pages(), 0);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		assert_int_equal(nr_free_blocks(o), 0);
	assert_null(alloc_pages(0));

	/* Shuffle, then free. */
	ktest_shuffle(blocks, n, sizeof(blocks[0]));
	for (size_t i = 0; i < n; i++) {
		const unsigned char *mem = page_address(blocks[i].page);
		size_t bytes = PAGE_SIZE << blocks[i].order;
		/* Some other block's memset must not have hit this one. */
		unsigned char v = mem[0];
		assert_int_equal(mem[bytes - 1], v);
		__free_pages(blocks[i].page, blocks[i].order);
	}
	buddy_snapshot_take(&after);
	assert_snapshot_equal(&before, &after);
	assert_int_equal(nr_bad_frees(), 0);
	free(blocks);
	free(owner);
}

static void test_alloc_all_free_all(void **state)
{
	(void)state;
	free_pages_range(0, 4096);
	for (uint64_t seed = 1; seed <= 5; seed++)
		alloc_all_free_all(0, 4096, seed * 0x9E3779B97F4A7C15ULL);
}

static void test_alloc_all_free_all_odd_range(void **state)
{
	(void)state;
	free_pages_range(3, 3001);
	for (uint64_t seed = 1; seed <= 5; seed++)
		alloc_all_free_all(3, 3001, seed * 0xD1B54A32D192ED03ULL);
}

/* Expected "pfn 0x<hex>" text of a report, formatted by the kernel's own snprintf. */
static const char *pfn_text(struct page *p)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "pfn 0x%lx ", page_to_pfn(p));
	return buf;
}

static void test_double_free(void **state)
{
	(void)state;
	free_pages_range(0, 1024);
	struct page *keep =
		alloc_pages(0); /* so pfn 1's block is not merged away */
	struct page *p = alloc_pages(0);
	assert_non_null(p);
	__free_pages(p, 0);
	unsigned long free_before = nr_free_pages();
	struct buddy_snapshot before, after;
	buddy_snapshot_take(&before);
	host_log_clear();

	__free_pages(p, 0);
	assert_int_equal(nr_bad_frees(), 1);
	assert_int_equal(nr_free_pages(), free_before);
	buddy_snapshot_take(&after);
	assert_snapshot_equal(&before, &after);
	assert_true(host_log_contains("double free"));
	assert_true(host_log_contains(pfn_text(p)));
	assert_true(host_log_contains("order 0"));

	/* A page merged into a larger free block (not a head any more). */
	__free_pages(keep, 0);
	host_log_clear();
	__free_pages(keep, 0);
	assert_int_equal(nr_bad_frees(), 2);
	assert_true(host_log_contains("double free"));
	assert_int_equal(nr_free_pages(), 1024);
	drain_all_pages();
	assert_int_equal(nr_free_blocks(MAX_PAGE_ORDER), 1);

	/* A tail page inside a free block. */
	host_log_clear();
	__free_pages(pfn_to_page(77), 0);
	assert_int_equal(nr_bad_frees(), 3);
	assert_true(host_log_contains("double free"));
	assert_int_equal(nr_free_pages(), 1024);

	/* The allocator still works and is consistent. */
	struct page *a = alloc_pages(3);
	assert_non_null(a);
	__free_pages(a, 3);
	drain_all_pages();
	assert_int_equal(nr_free_blocks(MAX_PAGE_ORDER), 1);
}

static void test_wrong_order_free(void **state)
{
	struct buddy_snapshot before, after;

	(void)state;
	free_pages_range(0, 1024);
	struct page *p = alloc_pages(2);
	assert_non_null(p);
	buddy_snapshot_take(&before);

	__free_pages(p, 1); /* too small */
	assert_int_equal(nr_bad_frees(), 1);
	assert_true(host_log_contains("bad free"));
	assert_true(host_log_contains(pfn_text(p)));
	assert_true(host_log_contains("order 1"));
	__free_pages(p, 3); /* too large */
	assert_int_equal(nr_bad_frees(), 2);
	__free_pages(p, 0); /* order 0 of an order-2 block */
	assert_int_equal(nr_bad_frees(), 3);
	__free_pages(p + 1, 0); /* a tail page */
	assert_int_equal(nr_bad_frees(), 4);
	__free_pages(p + 2, 1); /* the upper half */
	assert_int_equal(nr_bad_frees(), 5);
	__free_pages(p, MAX_PAGE_ORDER + 1);
	assert_int_equal(nr_bad_frees(), 6);
	buddy_snapshot_take(&after);
	assert_snapshot_equal(&before, &after);

	__free_pages(p, 2); /* the right order works */
	assert_int_equal(nr_bad_frees(), 6);
	assert_int_equal(nr_free_pages(), 1024);
	assert_int_equal(nr_free_blocks(MAX_PAGE_ORDER), 1);

	/* An order-0 page freed as order 1: misaligned or wrong order. */
	struct page *a = alloc_pages(0), *b = alloc_pages(0);
	__free_pages(b, 1);
	assert_int_equal(nr_bad_frees(), 7);
	__free_pages(a, 1);
	assert_int_equal(nr_bad_frees(), 8);
	__free_pages(a, 0);
	__free_pages(b, 0);
	assert_int_equal(nr_bad_frees(), 8);
	assert_int_equal(nr_free_pages(), 1024);
}

/* Reserved pages, pages outside mem_map, NULL. */
static void test_bad_free_reserved(void **state)
{
	struct page outside;

	(void)state;
	free_pages_range(100, 200);
	host_log_clear();
	__free_pages(pfn_to_page(50), 0);
	assert_int_equal(nr_bad_frees(), 1);
	assert_true(host_log_contains("bad free"));
	assert_true(host_log_contains("reserved"));
	__free_pages(&outside, 0);
	assert_int_equal(nr_bad_frees(), 2);
	__free_pages(NULL, 0);
	assert_int_equal(nr_bad_frees(), 3);
	__free_pages(pfn_to_page(max_pfn - 1), 1); /* runs past the end */
	assert_int_equal(nr_bad_frees(), 4);
	assert_int_equal(nr_free_pages(), 100);
	assert_true(PageReserved(pfn_to_page(50)));
}

/* A page with an extra reference survives the first __free_pages(). */
static void test_refcount(void **state)
{
	(void)state;
	free_pages_range(0, 64);
	struct page *p = alloc_pages(1);
	assert_non_null(p);
	p->refcount++;
	__free_pages(p, 1);
	assert_int_equal(nr_free_pages(), 62);
	assert_int_equal(p->refcount, 1);
	__free_pages(p, 1);
	assert_int_equal(nr_free_pages(), 64);
	assert_int_equal(nr_bad_frees(), 0);
}

static void test_zeroed_page(void **state)
{
	(void)state;
	free_pages_range(0, 8);
	struct page *p = alloc_pages(0);
	memset(page_address(p), 0xa5, PAGE_SIZE);
	__free_pages(p, 0);

	unsigned char *z = (unsigned char *)get_zeroed_page();
	assert_non_null(z);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		assert_int_equal(z[i], 0);
	assert_int_equal(nr_free_pages(), 7);
	free_page((unsigned long)z);
	assert_int_equal(nr_free_pages(), 8);

	free_page(0); /* ignored */
	assert_int_equal(nr_bad_frees(), 0);
	free_page((unsigned long)z); /* double */
	assert_int_equal(nr_bad_frees(), 1);
	assert_true(host_log_contains("double free"));
	free_page((unsigned long)(z + 1)); /* not a page start */
	assert_int_equal(nr_bad_frees(), 2);
	int on_stack;
	free_page((unsigned long)&on_stack); /* not in mem_map */
	assert_int_equal(nr_bad_frees(), 3);
	assert_int_equal(nr_free_pages(), 8);

	/* free_pages() frees a whole block by its address, as Linux's. */
	struct page *blk = alloc_pages(2);
	assert_non_null(blk);
	assert_int_equal(nr_free_pages(), 4);
	free_pages((unsigned long)page_address(blk), 2);
	assert_int_equal(nr_free_pages(), 8);
	assert_int_equal(nr_bad_frees(), 3);
}

/* Is the page at addr all zeros? */
static bool page_is_zero(const void *addr)
{
	const unsigned char *b = addr;

	for (unsigned long i = 0; i < PAGE_SIZE; i++)
		if (b[i])
			return false;
	return true;
}

/*
 * The zeroed list: prezero_page() fills it up to its target from the free
 * lists, the pages stay counted free, alloc_prezeroed_pages() hands out
 * zero pages (even where the memory held data before), and
 * free_prezeroed_page() takes them back.
 */
static void test_zeroed_list(void **state)
{
	struct page *got[8];
	struct page *p;

	(void)state;
	assert_int_equal(free_pages_range(0, 16), 16);
	/* Dirty every page, so that only the zeroing makes them zero. */
	for (int i = 0; i < 16; i++) {
		p = alloc_pages(0);
		memset(page_address(p), 0xa5, PAGE_SIZE);
		got[i % 8] = p;
		if (i % 8 == 7)
			for (int j = 0; j < 8; j++)
				__free_pages(got[j], 0);
	}
	assert_int_equal(nr_free_pages(), 16);
	assert_int_equal(alloc_prezeroed_pages(got, 8), 0);

	for (int i = 0; i < 5; i++)
		assert_true(prezero_page(5));
	assert_false(prezero_page(5)); /* at its target */
	assert_int_equal(nr_zeroed_pages(), 5);
	assert_int_equal(nr_free_pages(), 16); /* still free memory */
	assert_int_equal(pages_in_blocks(), 11);

	assert_int_equal(alloc_prezeroed_pages(got, 8), 5);
	assert_int_equal(nr_zeroed_pages(), 0);
	assert_int_equal(nr_free_pages(), 11);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(got[i]->refcount, 1);
		assert_false(PageBuddy(got[i]) || PageZeroed(got[i]));
		assert_true(page_is_zero(page_address(got[i])));
	}
	free_prezeroed_page(got[0]);
	assert_int_equal(nr_zeroed_pages(), 1);
	assert_int_equal(nr_free_pages(), 12);
	for (int i = 1; i < 5; i++)
		__free_pages(got[i], 0);
	assert_int_equal(nr_free_pages(), 16);
	assert_int_equal(nr_bad_frees(), 0);
}

/* A page on the zeroed list is free: freeing it again is a double free. */
static void test_zeroed_list_double_free(void **state)
{
	struct page *p;

	(void)state;
	free_pages_range(0, 4);
	assert_true(prezero_page(1));
	assert_int_equal(alloc_prezeroed_pages(&p, 1), 1);
	free_prezeroed_page(p);
	host_log_clear();
	__free_pages(p, 0);
	assert_int_equal(nr_bad_frees(), 1);
	assert_true(host_log_contains("double free"));
	assert_int_equal(nr_free_pages(), 4);
	assert_int_equal(nr_zeroed_pages(), 1);
}

/*
 * The zeroed list is free memory to alloc_pages() too: an order-0 request
 * takes from it when the free lists are empty, and a larger one drains it
 * back into the free lists (merging) and is served.
 */
static void test_zeroed_list_serves_alloc(void **state)
{
	struct page *p, *q;

	(void)state;
	free_pages_range(0, 8);
	for (int i = 0; i < 8; i++)
		assert_true(prezero_page(8));
	assert_int_equal(pages_in_blocks(), 0);
	p = alloc_pages(0);
	assert_non_null(p);
	assert_int_equal(nr_zeroed_pages(), 7);
	q = alloc_pages(2); /* drains: the 7 merge into blocks of 1, 2, 4 */
	assert_non_null(q);
	assert_int_equal(nr_zeroed_pages(), 0);
	assert_int_equal(nr_free_pages(), 3);
	__free_pages(q, 2);
	__free_pages(p, 0);
	assert_int_equal(nr_free_pages(), 8);
	drain_all_pages();			/* p sat on the per-CPU list */
	assert_int_equal(nr_free_blocks(3), 1); /* merged whole again */
	assert_int_equal(nr_bad_frees(), 0);
}

/* Free pages on the per-CPU lists: counted free, but in no block. */
static unsigned long pcp_pages(void)
{
	unsigned long n = nr_zeroed_pages();

	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		n += nr_free_blocks(o) << o;
	return nr_free_pages() - n;
}

/*
 * The per-CPU lists: a CPU gets back the page it freed last (cache-hot,
 * and no zone_lock), another CPU does not see it; the lists are counted
 * free, bounded by pcp_high, and drain_all_pages() merges them back.
 * 64 MiB, so that the batch is 3 and high 18 (Linux's zone_batchsize()).
 */
static void test_pcp_lists(void **state)
{
	struct page *p, *q, *many[40];

	(void)state;
	host_mem_init(16384);
	free_pages_range(0, 16384);
	host_cpu = 0;
	p = alloc_pages(0);
	assert_non_null(p);
	assert_false(PagePcp(p));
	assert_int_equal(p->refcount, 1);
	assert_int_equal(pcp_pages(), 2); /* the rest of the batch of 3 */
	__free_pages(p, 0);
	assert_true(PagePcp(p));
	assert_int_equal(pcp_pages(), 3);
	assert_int_equal(nr_free_pages(), 16384);
	assert_ptr_equal(alloc_pages(0), p); /* the last freed comes back */
	__free_pages(p, 0);

	host_cpu = 1; /* another CPU takes its own batch */
	q = alloc_pages(0);
	assert_non_null(q);
	assert_ptr_not_equal(q, p);
	assert_int_equal(pcp_pages(), 3 + 2);
	__free_pages(q, 0);

	/* A double free of a page on a list is still caught. */
	host_log_clear();
	__free_pages(q, 0);
	assert_int_equal(nr_bad_frees(), 1);
	assert_true(host_log_contains("double free"));
	assert_true(host_log_contains(pfn_text(q)));

	/* Frees past high (18) give batches back: the list stays bounded. */
	for (int i = 0; i < 40; i++)
		assert_non_null(many[i] = alloc_pages(0));
	for (int i = 0; i < 40; i++)
		__free_pages(many[i], 0);
	assert_true(pcp_pages() <= 3 + 18);
	assert_int_equal(nr_free_pages(), 16384);

	drain_all_pages();
	assert_int_equal(pcp_pages(), 0);
	assert_int_equal(nr_free_blocks(MAX_PAGE_ORDER), 16);
	assert_int_equal(nr_bad_frees(), 1);
	host_cpu = 0;
}

/*
 * Memory held on other CPUs' lists is not lost: when the free lists are
 * empty, an allocation drains the lists and finds it, for order 0 and
 * for a block that only merging makes.
 */
static void test_pcp_drained_before_failing(void **state)
{
	struct page *pages[16];

	(void)state;
	assert_int_equal(free_pages_range(32, 48), 16);
	host_cpu = 0;
	for (int i = 0; i < 16; i++)
		assert_non_null(pages[i] = alloc_pages(0));
	host_cpu = 3; /* CPU 3 frees them all onto its list */
	for (int i = 0; i < 16; i++)
		__free_pages(pages[i], 0);
	assert_int_equal(nr_free_pages(), 16);
	host_cpu = 0;
	struct page *big = alloc_pages(4); /* only a drain can merge this */
	assert_non_null(big);
	assert_int_equal(page_to_pfn(big), 32);
	assert_int_equal(nr_free_pages(), 0);
	__free_pages(big, 4);
	for (int i = 0; i < 16; i++) /* now on CPU 0's list, in batches */
		assert_non_null(pages[i] = alloc_pages(0));
	assert_null(alloc_pages(0));
	host_cpu = 5;
	for (int i = 0; i < 16; i++)
		__free_pages(pages[i], 0);
	host_cpu = 0;
	assert_non_null(pages[0] = alloc_pages(0)); /* found on CPU 5's */
	__free_pages(pages[0], 0);
	assert_int_equal(nr_free_pages(), 16);
	assert_int_equal(nr_bad_frees(), 0);
}

static void test_show_free_areas(void **state)
{
	(void)state;
	free_pages_range(1, 1024);
	host_log_clear();
	show_free_areas();
	assert_true(host_log_contains("0:1 1:1 2:1"));
	assert_true(host_log_contains(" 10:0"));
	assert_true(host_log_contains(
		"1023 of 1023 pages free (0 on per-CPU lists)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, host_arena_teardown)
		T(test_init_all_reserved),
		T(test_split_and_merge),
		T(test_alignment),
		T(test_order_too_large),
		T(test_exhaustion),
		T(test_odd_ranges),
		T(test_alloc_all_free_all),
		T(test_alloc_all_free_all_odd_range),
		T(test_double_free),
		T(test_wrong_order_free),
		T(test_bad_free_reserved),
		T(test_refcount),
		T(test_zeroed_page),
		T(test_zeroed_list),
		T(test_zeroed_list_double_free),
		T(test_zeroed_list_serves_alloc),
		T(test_pcp_lists),
		T(test_pcp_drained_before_failing),
		T(test_show_free_areas),
#undef T
	};

	return cmocka_run_group_tests_name("page_alloc", tests, NULL, NULL);
}
