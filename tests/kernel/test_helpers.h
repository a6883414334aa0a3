/*
 * test_helpers.h - helpers shared by the in-kernel tests (tests/kernel/)
 * and the host unit tests (tests/host/), which test the same allocators
 * in both places: snapshots of the buddy allocator's free lists, and byte
 * patterns that show whether memory was overwritten. Static inline, so
 * that each test takes only what it uses. (Random numbers and shuffling
 * are ktest_rand() and ktest_shuffle(), kernel/ktest_rand.c.)
 */
#ifndef TESTS_KERNEL_TEST_HELPERS_H
#define TESTS_KERNEL_TEST_HELPERS_H

#include <kernel/types.h>
#include <mm/page_alloc.h>

/* The free lists at one moment: pages free, and free blocks per order. */
struct buddy_snapshot {
	unsigned long free;
	unsigned long blocks[NR_PAGE_ORDERS];
};

/* buddy_snapshot_take - record the free lists into s, the per-CPU page
 * lists drained into them first (their pages do not merge while they sit
 * there). */
static inline void buddy_snapshot_take(struct buddy_snapshot *s)
{
	drain_all_pages();
	s->free = nr_free_pages();
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		s->blocks[o] = nr_free_blocks(o);
}

/* pattern_fill - byte i of p[0..size) becomes seed + 7 i (mod 256). */
static inline void pattern_fill(void *p, size_t size, u8 seed)
{
	u8 *b = p;

	for (size_t i = 0; i < size; i++)
		b[i] = (u8)(seed + i * 7);
}

/*
 * pattern_check - the index of the first byte of p[0..size) that lost the
 * pattern pattern_fill(p, size, seed) wrote, or size when all are intact.
 */
static inline size_t pattern_check(const void *p, size_t size, u8 seed)
{
	const u8 *b = p;

	for (size_t i = 0; i < size; i++)
		if (b[i] != (u8)(seed + i * 7))
			return i;
	return size;
}

#endif
