/*
 * test_page_alloc.c - in-kernel tests (ktest) of the buddy allocator,
 * mm/page_alloc.c, on the machine's real memory:
 *
 *   page_alloc.alloc_all_free_all   take every free page in blocks of random
 *                                   orders, free them in random order: every
 *                                   buddy must merge back
 *   page_alloc.double_free_detected a second free is reported and ignored
 *   page_alloc.wrong_order_detected freeing with another order is too
 *
 * Each test runs with interrupts off, so that no other thread of this CPU
 * allocates or frees pages while the free lists are compared (the other
 * CPUs sit idle while the ktests run).
 */
#include <kernel/ktest.h>
#include <mm/page_alloc.h>
#include <asm/irqflags.h>
#include "test_helpers.h"

/*
 * An allocated block, described inside its own first bytes: the blocks
 * form a singly linked list that needs no memory besides the blocks.
 */
struct held_block {
	struct held_block *next;
	pfn_t pfn; /* checked before the free: catches overlaps */
	unsigned int order;
};

KTEST(page_alloc, alloc_all_free_all)
{
	struct buddy_snapshot before, after;
	struct held_block *list = NULL, **pp;
	unsigned long nr_blocks = 0, pages = 0, flags;

	local_irq_save(flags);
	buddy_snapshot_take(&before);

	/* Take everything: a random order, falling back to smaller ones. */
	for (;;) {
		unsigned int order = ktest_rand() % NR_PAGE_ORDERS;
		struct page *page;

		while ((page = alloc_pages(order)) == NULL && order > 0)
			order--;
		if (!page)
			break; /* even order 0 failed: memory is empty */
		KTEST_EXPECT_EQ(t, page_to_pfn(page) & ((1UL << order) - 1), 0);

		struct held_block *b = page_address(page);
		b->pfn = page_to_pfn(page);
		b->order = order;
		b->next = list;
		list = b;
		nr_blocks++;
		pages += 1UL << order;
	}
	KTEST_EXPECT_EQ(t, nr_free_pages(), 0);
	KTEST_EXPECT_EQ(t, pages, before.free);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		KTEST_EXPECT_EQ(t, nr_free_blocks(o), 0);

	/*
	 * Free in random order without an array: walk the list again and
	 * again, freeing each block with probability 1/4.
	 */
	while (list) {
		pp = &list;
		while (*pp) {
			struct held_block *b = *pp;

			if (ktest_rand() % 4) {
				pp = &b->next;
				continue;
			}
			*pp = b->next;
			KTEST_EXPECT_EQ(t, b->pfn,
					page_to_pfn(virt_to_page(b)));
			__free_pages(pfn_to_page(b->pfn), b->order);
		}
	}

	buddy_snapshot_take(&after);
	local_irq_restore(flags);

	printk(KERN_INFO "# page_alloc: %lu pages in %lu blocks taken and "
			 "freed\n",
	       pages, nr_blocks);
	KTEST_EXPECT(t, nr_blocks > 0);
	KTEST_EXPECT_EQ(t, after.free, before.free);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		KTEST_EXPECT_EQ(t, after.blocks[o], before.blocks[o]);
}

KTEST(page_alloc, double_free_detected)
{
	unsigned long flags, bad, free_before;

	local_irq_save(flags);
	struct page *page = alloc_pages(0);
	if (!page) {
		local_irq_restore(flags);
		KTEST_ASSERT(t, page != NULL);
	}
	__free_pages(page, 0);
	bad = nr_bad_frees();
	free_before = nr_free_pages();

	__free_pages(page, 0); /* the double free */
	KTEST_EXPECT_EQ(t, nr_bad_frees(), bad + 1);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);

	/* The allocator is still sound: the page can be had once more. */
	struct page *again = alloc_pages(0);
	KTEST_EXPECT(t, again != NULL);
	if (again)
		__free_pages(again, 0);
	KTEST_EXPECT_EQ(t, nr_bad_frees(), bad + 1);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);
	local_irq_restore(flags);
}

KTEST(page_alloc, wrong_order_detected)
{
	unsigned long flags, bad, free_before;

	local_irq_save(flags);
	struct page *page = alloc_pages(2);
	if (!page) {
		local_irq_restore(flags);
		KTEST_ASSERT(t, page != NULL);
	}
	bad = nr_bad_frees();
	free_before = nr_free_pages();

	__free_pages(page, 1); /* allocated as order 2 */
	__free_pages(page, 3);
	__free_pages(page + 1, 0); /* a tail page */
	KTEST_EXPECT_EQ(t, nr_bad_frees(), bad + 3);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before);

	__free_pages(page, 2);
	KTEST_EXPECT_EQ(t, nr_bad_frees(), bad + 3);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free_before + 4);
	local_irq_restore(flags);

	KTEST_EXPECT(t, alloc_pages(MAX_PAGE_ORDER + 1) == NULL);
}
