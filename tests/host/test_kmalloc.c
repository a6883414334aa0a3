/*
 * test_kmalloc.c - host unit tests (cmocka) for the kernel heap,
 * mm/kmalloc.c over mm/page_alloc.c, both compiled as is against a heap
 * arena (host_mem.c). The whole group shares one arena (kmalloc keeps its
 * size classes in static state); each test measures its own baseline and
 * must give back every page it took.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <mm/kmalloc.h>
#include <mm/page_alloc.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include "host_shim.h"
#include "../kernel/test_helpers.h"

static unsigned long baseline_free, baseline_bad;

static int setup(void **state)
{
	(void)state;
	host_log_clear();
	baseline_free = nr_free_pages();
	baseline_bad = kmalloc_bad_frees();
	return 0;
}

/* The kernel's own "%p" text for ptr, to look for in a report. */
static const char *ptr_text(const void *ptr)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), "%p", ptr);
	return buf;
}

static void test_size_classes(void **state)
{
	static const struct {
		size_t size, ksize;
	} cases[] = {
		{ 1, 16 },
		{ 15, 16 },
		{ 16, 16 },
		{ 17, 32 },
		{ 33, 64 },
		{ 100, 128 },
		{ 255, 256 },
		{ 257, 512 },
		{ 1000, 1024 },
		{ 2047, 2048 },
		{ 2048, 2048 },
		{ 2049, 4096 },
		{ 4096, 4096 },
		{ 4097, 8192 },
		{ 100000, 131072 },
		{ 1 << 20, 1 << 20 },
		{ PAGE_SIZE << MAX_PAGE_ORDER, PAGE_SIZE << MAX_PAGE_ORDER },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		void *p = kmalloc(cases[i].size);
		assert_non_null(p);
		assert_int_equal(ksize(p), cases[i].ksize);
		memset(p, 0x5a, cases[i].size);
		kfree(p);
	}
	assert_null(kmalloc(0));
	assert_null(kmalloc((PAGE_SIZE << MAX_PAGE_ORDER) + 1));
	assert_null(kmalloc((size_t)-1));
	assert_int_equal(ksize(NULL), 0);
	assert_int_equal(nr_free_pages(), baseline_free);
	assert_int_equal(kmalloc_bad_frees(), baseline_bad);
}

/* Size classes are aligned to their size, large blocks to a page. */
static void test_alignment(void **state)
{
	void *ptrs[64];
	int n = 0;

	(void)state;
	for (size_t size = 1; size <= 16384; size = size * 2 + (size & 1)) {
		for (int k = 0; k < 3; k++) {
			void *p = kmalloc(size);
			assert_non_null(p);
			size_t align = ksize(p) < PAGE_SIZE ? ksize(p) :
							      PAGE_SIZE;
			assert_true(align >= KMALLOC_MIN_SIZE);
			assert_int_equal((uintptr_t)p % align, 0);
			ptrs[n++] = p;
		}
	}
	while (n)
		kfree(ptrs[--n]);
	assert_int_equal(nr_free_pages(), baseline_free);
}

struct obj {
	unsigned char *p;
	size_t size;
	unsigned char seed;
};

static int cmp_obj(const void *a, const void *b)
{
	const struct obj *x = a, *y = b;
	return x->p < y->p ? -1 : x->p > y->p;
}

static void check(const struct obj *o)
{
	size_t i = pattern_check(o->p, o->size, o->seed);

	if (i != o->size)
		fail_msg("object %p (size %zu) corrupted at byte %zu",
			 (void *)o->p, o->size, i);
}

/*
 * Hundreds of live objects of many sizes, each filled with its own
 * pattern: no two overlap, none is corrupted, then free in random order
 * and every page is back in the buddy allocator.
 */
static void test_many_objects_pattern(void **state)
{
	enum {
		N = 3000
	};
	struct obj *objs = calloc(N, sizeof(*objs));

	(void)state;
	assert_non_null(objs);
	ktest_srand(0x1234567887654321ULL);
	for (int i = 0; i < N; i++) {
		size_t size;
		switch (ktest_rand() % 8) {
		case 0:
			size = 1 + ktest_rand() % 16;
			break;
		case 1:
			size = 1 + ktest_rand() % 64;
			break;
		case 2:
			size = 1 + ktest_rand() % 256;
			break;
		case 3:
			size = 1 + ktest_rand() % 2048;
			break;
		case 4:
			size = 2049 + ktest_rand() % 6144;
			break;
		case 5:
			size = 1 << (ktest_rand() % 12);
			break;
		case 6:
			size = 1 + ktest_rand() % 8192;
			break;
		default:
			size = (ktest_rand() % 50 == 0) ?
				       40000 + ktest_rand() % 200000 :
				       1 + ktest_rand() % 512;
		}
		objs[i].p = kmalloc(size);
		assert_non_null(objs[i].p);
		assert_true(ksize(objs[i].p) >= size);
		objs[i].size = size;
		objs[i].seed = (unsigned char)ktest_rand();
		pattern_fill(objs[i].p, objs[i].size, objs[i].seed);

		/* Free some along the way, to exercise partial slabs. */
		if (i > 10 && ktest_rand() % 4 == 0) {
			int j = ktest_rand() % i;
			if (objs[j].p) {
				check(&objs[j]);
				kfree(objs[j].p);
				objs[j].p = NULL;
			}
		}
	}
	assert_true(nr_free_pages() < baseline_free);

	/* No two live objects overlap (using the full ksize). */
	struct obj *sorted = calloc(N, sizeof(*sorted));
	int live = 0;
	for (int i = 0; i < N; i++)
		if (objs[i].p)
			sorted[live++] = objs[i];
	qsort(sorted, live, sizeof(*sorted), cmp_obj);
	for (int i = 1; i < live; i++)
		assert_true(sorted[i - 1].p + ksize(sorted[i - 1].p) <=
			    sorted[i].p);
	free(sorted);

	for (int i = 0; i < N; i++)
		if (objs[i].p)
			check(&objs[i]);
	ktest_shuffle(objs, N, sizeof(objs[0]));
	for (int i = 0; i < N; i++) {
		if (objs[i].p) {
			check(&objs[i]);
			kfree(objs[i].p);
		}
	}
	free(objs);
	assert_int_equal(nr_free_pages(), baseline_free);
	assert_int_equal(kmalloc_bad_frees(), baseline_bad);
}

static void test_kfree_null(void **state)
{
	(void)state;
	kfree(NULL);
	assert_int_equal(kmalloc_bad_frees(), baseline_bad);
	assert_string_equal(host_log(), "");
}

static void test_kzalloc(void **state)
{
	(void)state;
	for (size_t size = 8; size <= 16384; size *= 2) {
		unsigned char *p = kmalloc(size);
		assert_non_null(p);
		memset(p, 0xee, size);
		kfree(p);
		p = kzalloc(size); /* most likely the same memory */
		assert_non_null(p);
		for (size_t i = 0; i < size; i++)
			assert_int_equal(p[i], 0);
		kfree(p);
	}
	assert_null(kzalloc(0));
	assert_int_equal(nr_free_pages(), baseline_free);
}

static void test_double_free_slab(void **state)
{
	(void)state;
	void *keep = kmalloc(64); /* keeps the slab page alive */
	void *p = kmalloc(64);
	assert_non_null(p);
	kfree(p);
	unsigned long free_now = nr_free_pages();

	kfree(p);
	assert_int_equal(kmalloc_bad_frees(), baseline_bad + 1);
	assert_true(host_log_contains("double free"));
	assert_true(host_log_contains(ptr_text(p)));
	assert_int_equal(nr_free_pages(), free_now);

	/* The double free must not hand the object out twice. */
	void *a = kmalloc(64), *b = kmalloc(64);
	assert_ptr_not_equal(a, b);
	kfree(a);
	kfree(b);
	kfree(keep);
	assert_int_equal(kmalloc_bad_frees(), baseline_bad + 1);
	assert_int_equal(nr_free_pages(), baseline_free);

	/* Last object of a slab: the page went back; free again. */
	host_log_clear();
	void *q = kmalloc(512);
	kfree(q);
	kfree(q);
	assert_int_equal(kmalloc_bad_frees(), baseline_bad + 2);
	assert_true(host_log_contains("double free"));
	assert_int_equal(nr_free_pages(), baseline_free);
}

static void test_double_free_large(void **state)
{
	(void)state;
	void *p = kmalloc(3 * PAGE_SIZE);
	assert_non_null(p);
	assert_int_equal(ksize(p), 4 * PAGE_SIZE);
	kfree(p);
	assert_int_equal(nr_free_pages(), baseline_free);

	kfree(p);
	assert_int_equal(kmalloc_bad_frees(), baseline_bad + 1);
	assert_true(host_log_contains("double free"));
	assert_true(host_log_contains(ptr_text(p)));
	assert_int_equal(nr_free_pages(), baseline_free);
	assert_int_equal(nr_bad_frees(), 0); /* never reached the buddy */
}

static void test_invalid_free(void **state)
{
	unsigned long bad = baseline_bad;
	int on_stack;

	(void)state;
	char *small = kmalloc(16), *mid = kmalloc(200);
	char *large = kmalloc(2 * PAGE_SIZE);
	assert_non_null(small);
	assert_non_null(mid);
	assert_non_null(large);
	memset(small, 1, 16);
	memset(mid, 2, 200);
	memset(large, 3, 2 * PAGE_SIZE);

	kfree(small + 1); /* inside an object */
	assert_int_equal(kmalloc_bad_frees(), ++bad);
	assert_true(host_log_contains("invalid free"));
	assert_true(host_log_contains(ptr_text(small + 1)));
	kfree(mid + 128); /* half way into an object */
	assert_int_equal(kmalloc_bad_frees(), ++bad);
	kfree((char *)((uintptr_t)mid & PAGE_MASK)); /* the slab header */
	assert_int_equal(kmalloc_bad_frees(), ++bad);
	kfree(large + 8); /* inside a large block */
	assert_int_equal(kmalloc_bad_frees(), ++bad);
	kfree(large + PAGE_SIZE); /* its second page */
	assert_int_equal(kmalloc_bad_frees(), ++bad);
	kfree(&on_stack); /* not in the direct map */
	assert_int_equal(kmalloc_bad_frees(), ++bad);
	kfree(host_arena); /* pfn 0: reserved */
	assert_int_equal(kmalloc_bad_frees(), ++bad);
	struct page *pg = alloc_pages(0); /* a page, not from kmalloc */
	kfree(page_address(pg));
	assert_int_equal(kmalloc_bad_frees(), ++bad);
	__free_pages(pg, 0);
	assert_false(host_log_contains("double free"));

	/* Nothing was freed: the objects are intact and free normally. */
	for (int i = 0; i < 16; i++)
		assert_int_equal(small[i], 1);
	for (int i = 0; i < 200; i++)
		assert_int_equal(mid[i], 2);
	for (size_t i = 0; i < 2 * PAGE_SIZE; i++)
		assert_int_equal(large[i], 3);
	assert_int_equal(ksize(large + 8), 0);
	kfree(small);
	kfree(mid);
	kfree(large);
	assert_int_equal(kmalloc_bad_frees(), bad);
	assert_int_equal(nr_free_pages(), baseline_free);
	assert_int_equal(nr_bad_frees(), 0);
}

/*
 * Fill many slab pages of every class, free everything: each empty slab
 * goes back to the buddy allocator, so the free count returns exactly.
 */
static void test_pages_return_to_buddy(void **state)
{
	enum {
		PER_CLASS = 700
	};
	static void *ptrs[8][PER_CLASS];

	(void)state;
	for (int c = 0; c < 8; c++)
		for (int i = 0; i < PER_CLASS; i++) {
			ptrs[c][i] = kmalloc(16u << c);
			assert_non_null(ptrs[c][i]);
		}
	/* 700 2 KiB objects alone need at least 350 pages. */
	assert_true(baseline_free - nr_free_pages() >= 350);
	/*
	 * Free every other object first. A slab of 16 .. 1024 bytes holds at
	 * least 3 consecutive objects, so each keeps an odd one and no page
	 * comes back; the 2 KiB class holds one object per page, so exactly
	 * its 350 even pages come back.
	 */
	unsigned long used = nr_free_pages();
	for (int c = 0; c < 8; c++)
		for (int i = 0; i < PER_CLASS; i += 2)
			kfree(ptrs[c][i]);
	assert_int_equal(nr_free_pages() - used, PER_CLASS / 2);
	for (int c = 0; c < 8; c++)
		for (int i = 1; i < PER_CLASS; i += 2)
			kfree(ptrs[c][i]);
	assert_int_equal(nr_free_pages(), baseline_free);
	assert_int_equal(kmalloc_bad_frees(), baseline_bad);
}

/* Exhaust memory with kmalloc: NULL, not a crash; everything comes back. */
static void test_exhaustion(void **state)
{
	void **ptrs = calloc(HOST_ARENA_PAGES * 2, sizeof(void *));
	size_t n = 0;

	(void)state;
	while (n < HOST_ARENA_PAGES * 2 && (ptrs[n] = kmalloc(2048)) != NULL)
		n++;
	assert_true(n > 0 && n < HOST_ARENA_PAGES * 2);
	assert_null(kmalloc(16 * PAGE_SIZE));
	while (n)
		kfree(ptrs[--n]);
	free(ptrs);
	assert_int_equal(nr_free_pages(), baseline_free);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup(fn, setup)
		T(test_size_classes),
		T(test_alignment),
		T(test_many_objects_pattern),
		T(test_kfree_null),
		T(test_kzalloc),
		T(test_double_free_slab),
		T(test_double_free_large),
		T(test_invalid_free),
		T(test_pages_return_to_buddy),
		T(test_exhaustion),
#undef T
	};

	return cmocka_run_group_tests_name("kmalloc", tests, host_arena_setup,
					   host_arena_teardown);
}
