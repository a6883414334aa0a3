/*
 * t_umap - the user-level pager of user/umap (docs/umap.md) on this
 * kernel's userfaultfd, and on Linux's (step ulinux):
 *   - FIFO eviction gives exact counts: a sweep of 64 pages with a buffer
 *     of 16 (high water 100%, low 50%) faults 64 times and evicts 48; a
 *     second sweep faults 64 more (the oldest page is always the one
 *     gone); a sweep of 8 pages, twice, faults 8 times in all; every
 *     page holds what the (memory) store holds;
 *   - write-back: a pattern written through a writable mapping of a
 *     file of 32 pages, with a buffer of 8, reaches the file for every
 *     evicted page, reads back through the mapping (refilled from the
 *     file), and is all in the file after uunmap();
 *   - a quicksort in place through the mapping of a file of 64 pages of
 *     random u64 (buffer 8) leaves the file sorted with the same sum and
 *     xor.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_umap"
#include "utest.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "../../user/umap/umap.c"
#include "../../user/umap/sort_u64.h"

#define PG   4096UL
#define WPP  (PG / sizeof(uint64_t)) /* words per page */
#define PATH "/tmp/t_umap.dat"

static void config(size_t bufsize, unsigned high, unsigned low)
{
	struct umap_config c = { .pagesize = PG,
				 .bufsize = bufsize,
				 .fillers = 1,
				 .evictors = 1,
				 .high_water = high,
				 .low_water = low };

	CHECK_EQ(umap_cfg_set(&c), 0);
}

static void sweep(volatile uint64_t *p, size_t pages, int *bad)
{
	for (size_t i = 0; i < pages; i++)
		if (p[i * WPP] != i * 7 + 1)
			(*bad)++;
}

static void test_fifo_counts(void)
{
	size_t n = 64, len = n * PG;
	uint64_t *mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct umap_store st;
	struct umap_stats a, b, c;
	unsigned long first, second;
	int bad = 0;

	CHECK(mem != MAP_FAILED);
	if (mem == MAP_FAILED)
		return;
	for (size_t i = 0; i < n; i++)
		mem[i * WPP] = i * 7 + 1;
	umap_store_mem(&st, mem, len);
	config(16, 100, 50);
	uint64_t *p = umap_ex(NULL, len, PROT_READ, MAP_PRIVATE, &st, 0);

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		goto out;
	umap_get_stats(&a);
	sweep(p, n, &bad);
	umap_get_stats(&b);
	CHECK_EQ(b.faults - a.faults, 64);
	CHECK_EQ(b.fills - a.fills, 64);
	CHECK_EQ(b.evictions - a.evictions, 48);
	CHECK_EQ(b.writebacks - a.writebacks, 0); /* read-only mapping */
	sweep(p, n, &bad);
	umap_get_stats(&c);
	CHECK_EQ(c.faults - b.faults, 64);
	CHECK_EQ(c.evictions - b.evictions, 64);
	CHECK_EQ(bad, 0);
	CHECK_EQ(uunmap(p, len), 0);
	first = b.faults - a.faults;
	second = c.faults - b.faults;

	/* Within the buffer, a second sweep faults nowhere. */
	p = umap_ex(NULL, 8 * PG, PROT_READ, MAP_PRIVATE, &st, 0);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		goto out;
	umap_get_stats(&a);
	sweep(p, 8, &bad);
	sweep(p, 8, &bad);
	umap_get_stats(&b);
	CHECK_EQ(b.faults - a.faults, 8);
	CHECK_EQ(b.evictions - a.evictions, 0);
	CHECK_EQ(bad, 0);
	CHECK_EQ(uunmap(p, 8 * PG), 0);
	diag("fifo: 64 pages, buffer 16: %lu then %lu faults", first, second);
out:
	munmap(mem, len);
}

static uint64_t pat(size_t pg, size_t w)
{
	return (uint64_t)pg << 32 | (w * 2654435761u);
}

static int make_file(size_t pages, uint64_t seed)
{
	uint64_t buf[WPP];
	int fd = open(PATH, O_CREAT | O_TRUNC | O_RDWR, 0600);

	if (fd < 0)
		return -1;
	for (size_t i = 0; i < pages; i++) {
		for (size_t w = 0; w < WPP; w++) {
			seed ^= seed << 13; /* xorshift64 */
			seed ^= seed >> 7;
			seed ^= seed << 17;
			buf[w] = seed;
		}
		if (syscall(__NR_pwrite64, fd, buf, PG, (off_t)(i * PG)) !=
		    (long)PG) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

static int file_page_ok(int fd, size_t pg)
{
	uint64_t buf[WPP];

	if (syscall(__NR_pread64, fd, buf, PG, (off_t)(pg * PG)) != (long)PG)
		return 0;
	for (size_t w = 0; w < WPP; w++)
		if (buf[w] != pat(pg, w))
			return 0;
	return 1;
}

static void test_writeback(void)
{
	size_t n = 32, len = n * PG;
	int fd = make_file(n, 1), bad = 0;
	struct umap_stats a, b;

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	config(8, 100, 50);
	uint64_t *p =
		umap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		goto out;
	umap_get_stats(&a);
	for (size_t i = 0; i < n; i++)
		for (size_t w = 0; w < WPP; w++)
			p[i * WPP + w] = pat(i, w);
	umap_get_stats(&b);
	CHECK_EQ(b.faults - a.faults, 32);
	CHECK_EQ(b.evictions - a.evictions, 24); /* at 9,13,..,29: 6 x 4 */
	CHECK_EQ(b.writebacks - a.writebacks, 24);
	/* The 24 evicted pages (0..23) are in the file. */
	for (size_t i = 0; i < 24; i++)
		if (!file_page_ok(fd, i))
			bad++;
	CHECK_EQ(bad, 0);
	/* Back through the mapping: refilled from the file. */
	for (size_t i = 0; i < n; i++)
		for (size_t w = 0; w < WPP; w++)
			if (p[i * WPP + w] != pat(i, w))
				bad++;
	CHECK_EQ(bad, 0);
	CHECK_EQ(uunmap(p, len), 0);
	for (size_t i = 0; i < n; i++)
		if (!file_page_ok(fd, i))
			bad++;
	CHECK_EQ(bad, 0);
out:
	close(fd);
	syscall(__NR_unlink, PATH);
}

static void sums(int fd, size_t pages, uint64_t *sum, uint64_t *x, int *sorted)
{
	uint64_t buf[WPP], prev = 0;

	*sum = *x = 0;
	*sorted = 1;
	for (size_t i = 0; i < pages; i++) {
		if (syscall(__NR_pread64, fd, buf, PG, (off_t)(i * PG)) !=
		    (long)PG)
			*sorted = 0;
		for (size_t w = 0; w < WPP; w++) {
			*sum += buf[w];
			*x ^= buf[w];
			if (buf[w] < prev)
				*sorted = 0;
			prev = buf[w];
		}
	}
}

static void test_sort(void)
{
	size_t n = 64, len = n * PG;
	int fd = make_file(n, 88172645463325252ull), sorted;
	uint64_t s0, x0, s1, x1;
	struct umap_stats a, b;

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	sums(fd, n, &s0, &x0, &sorted);
	CHECK_EQ(sorted, 0);
	config(8, 90, 70);
	uint64_t *p =
		umap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		goto out;
	umap_get_stats(&a);
	sort_u64(p, 0, (long)(n * WPP) - 1);
	CHECK_EQ(uunmap(p, len), 0);
	umap_get_stats(&b);
	sums(fd, n, &s1, &x1, &sorted);
	CHECK_EQ(sorted, 1);
	CHECK(s0 == s1);
	CHECK(x0 == x1);
	CHECK(b.evictions - a.evictions > 0);
	diag("sort: 64 pages, buffer 8: %lu faults, %lu evictions",
	     b.faults - a.faults, b.evictions - a.evictions);
out:
	close(fd);
	syscall(__NR_unlink, PATH);
}

int main(void)
{
	test_fifo_counts();
	test_writeback();
	test_sort();
	return utest_done();
}
