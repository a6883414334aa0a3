/*
 * test_kmalloc.c - in-kernel tests (ktest) of the kernel heap,
 * mm/kmalloc.c:
 *
 *   kmalloc.sizes_pattern        hundreds of live objects, 1 byte .. 1 MiB,
 *                                each with its own pattern; no overlaps
 *   kmalloc.double_free_detected a second kfree is reported and ignored
 *   kmalloc.invalid_free_detected pointers kmalloc never returned
 *   kmalloc.free_returns_pages   empty slabs go back to the buddy allocator
 *
 * The tests that compare free-page counts or free an object twice run
 * with interrupts off, so that (on our single CPU) nobody else allocates
 * in between.
 */
#include <kernel/ktest.h>
#include <kernel/string.h>
#include <mm/kmalloc.h>
#include <mm/page_alloc.h>
#include <asm/irqflags.h>
#include "test_helpers.h"

struct test_obj {
	unsigned char *p;
	size_t size;
	u8 seed;
};

/* Boundary sizes first, then random ones; 0 ends the fixed list. */
static const size_t fixed_sizes[] = {
	1,    2,    15,	   16,	  17,	  31,	   32,	 33,   63,   64,
	65,   127,  128,   129,	  255,	  256,	   257,	 511,  512,  513,
	1023, 1024, 1025,  2047,  2048,	  2049,	   4095, 4096, 4097, 8191,
	8192, 8193, 16384, 65536, 100000, 1 << 20, 0
};

#define NR_OBJS 400

KTEST(kmalloc, sizes_pattern)
{
	struct test_obj *objs = kzalloc(NR_OBJS * sizeof(*objs));
	unsigned long bad = kmalloc_bad_frees();
	int n = 0;

	KTEST_ASSERT(t, objs != NULL);
	for (n = 0; n < NR_OBJS; n++) {
		size_t k = MIN((size_t)n, ARRAY_SIZE(fixed_sizes) - 1);
		size_t size = fixed_sizes[k];
		if (size == 0)
			size = (ktest_rand() % 16 == 0) ?
				       8193 + ktest_rand() % 60000 :
				       1 + ktest_rand() % 8192;
		objs[n].p = kmalloc(size);
		if (!objs[n].p) {
			ktest_fail(t, __FILE__, __LINE__, "kmalloc(%zu) failed",
				   size);
			break;
		}
		objs[n].size = size;
		objs[n].seed = (u8)ktest_rand();
		size_t ks = ksize(objs[n].p);
		KTEST_EXPECT(t, ks >= size);
		size_t align = ks < PAGE_SIZE ? ks : PAGE_SIZE;
		KTEST_EXPECT_EQ(t, (unsigned long)objs[n].p % align, 0);
		pattern_fill(objs[n].p, objs[n].size, objs[n].seed);
	}

	/* No two live objects overlap, even counting their full ksize(). */
	for (int i = 0; i < n; i++) {
		unsigned long a = (unsigned long)objs[i].p;
		unsigned long a_end = a + ksize(objs[i].p);
		for (int j = i + 1; j < n; j++) {
			unsigned long b = (unsigned long)objs[j].p;
			unsigned long b_end = b + ksize(objs[j].p);
			if (a < b_end && b < a_end)
				ktest_fail(t, __FILE__, __LINE__,
					   "objects %p (%zu) and %p (%zu) overlap",
					   objs[i].p, objs[i].size, objs[j].p,
					   objs[j].size);
		}
	}

	/* Every pattern intact; free in a shuffled order. */
	ktest_shuffle(objs, (size_t)n, sizeof(objs[0]));
	for (int i = 0; i < n; i++) {
		size_t at =
			pattern_check(objs[i].p, objs[i].size, objs[i].seed);
		if (at != objs[i].size)
			ktest_fail(t, __FILE__, __LINE__,
				   "object %p (size %zu) corrupted at byte %zu",
				   objs[i].p, objs[i].size, at);
		kfree(objs[i].p);
	}
	kfree(objs);
	KTEST_EXPECT_EQ(t, kmalloc_bad_frees(), bad);
	KTEST_EXPECT(t, kmalloc(0) == NULL);
	KTEST_EXPECT(t, kmalloc((PAGE_SIZE << MAX_PAGE_ORDER) + 1) == NULL);
}

KTEST(kmalloc, double_free_detected)
{
	unsigned long flags, bad, free_before;

	local_irq_save(flags);
	bad = kmalloc_bad_frees();

	/* An object in a slab that stays alive (keep holds it). */
	void *keep = kmalloc(64), *p = kmalloc(64);
	if (!keep || !p) {
		kfree(keep);
		kfree(p);
		local_irq_restore(flags);
		KTEST_ASSERT(t, keep && p);
	}
	kfree(p);
	free_before = nr_free_pages();
	kfree(p);
	KTEST_EXPECT_EQ(t, kmalloc_bad_frees(), bad + 1);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
	void *a = kmalloc(64), *b = kmalloc(64); /* not handed out twice */
	KTEST_EXPECT(t, a != b);
	kfree(a);
	kfree(b);
	kfree(keep);

	/* The only object of its slab: its page is back in the buddy. */
	p = kmalloc(1024);
	KTEST_EXPECT(t, p != NULL);
	kfree(p);
	free_before = nr_free_pages();
	kfree(p);
	KTEST_EXPECT_EQ(t, kmalloc_bad_frees(), bad + 2);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);

	/* A large allocation. */
	p = kmalloc(5 * PAGE_SIZE);
	KTEST_EXPECT(t, p != NULL);
	kfree(p);
	free_before = nr_free_pages();
	kfree(p);
	KTEST_EXPECT_EQ(t, kmalloc_bad_frees(), bad + 3);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
	local_irq_restore(flags);

	kfree(NULL);
	KTEST_EXPECT_EQ(t, kmalloc_bad_frees(), bad + 3);
}

KTEST(kmalloc, invalid_free_detected)
{
	unsigned long bad = kmalloc_bad_frees();
	static int not_heap;
	char *small = kmalloc(32), *large = kmalloc(2 * PAGE_SIZE);

	KTEST_ASSERT(t, small && large);
	memset(small, 0x11, 32);
	kfree(small + 4);	  /* inside an object */
	kfree(large + PAGE_SIZE); /* inside a large block */
	kfree(&not_heap);	  /* kernel image */
	KTEST_EXPECT_EQ(t, kmalloc_bad_frees(), bad + 3);
	for (int i = 0; i < 32; i++)
		KTEST_EXPECT_EQ(t, small[i], 0x11);
	kfree(small);
	kfree(large);
	KTEST_EXPECT_EQ(t, kmalloc_bad_frees(), bad + 3);
}

#define PER_CLASS 100

KTEST(kmalloc, free_returns_pages)
{
	unsigned long flags, baseline;
	void **ptrs;
	int n = 0;

	local_irq_save(flags);
	baseline = nr_free_pages();
	ptrs = kmalloc(10 * PER_CLASS * sizeof(void *));
	if (!ptrs) {
		local_irq_restore(flags);
		KTEST_ASSERT(t, ptrs != NULL);
	}
	/* PER_CLASS objects of every size class, and some large ones. */
	for (size_t size = 16; size <= 8192; size *= 2)
		for (int i = 0; i < PER_CLASS; i++) {
			void *p = kmalloc(size);
			if (p)
				ptrs[n++] = p;
		}
	KTEST_EXPECT_EQ(t, n, 10 * PER_CLASS);
	KTEST_EXPECT(t, nr_free_pages() < baseline - PER_CLASS);

	/* Free odd ones first, then even ones. */
	for (int i = 1; i < n; i += 2)
		kfree(ptrs[i]);
	for (int i = 0; i < n; i += 2)
		kfree(ptrs[i]);
	kfree(ptrs);
	unsigned long after = nr_free_pages();
	local_irq_restore(flags);

	KTEST_EXPECT_EQ(t, after, baseline);
}
