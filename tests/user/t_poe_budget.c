/*
 * t_poe_budget - POE marks ahead of use, within a memory budget
 * (mm/poe_prefault.c, docs/poe.md "Marking ahead of use"):
 *
 *   1. mmap marks the first poe.mark_sync pages itself: touched right
 *      after mmap returns, with no wait, they all take the fast path.
 *   2. A 1 TiB MAP_NORESERVE region costs at most the window's page
 *      tables (poe.mark_window pages, one table per 512), not the 2 GiB
 *      that marking all of it would take; the free-page count drops by no
 *      more than that.
 *   3. Far past the window, the first touch of a page table takes the full
 *      handler, which marks the rest of the table it built: the pages
 *      after it take the fast path.
 *   4. Under memory pressure (free pages at or below 1/16 of memory) a new
 *      region builds no page table at all: the pre-fault thread backs off
 *      (mark_backoffs) and mmap marks nothing itself.
 *   5. After munmap the free-page count is back at its baseline.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_poe_budget"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"

#define RW   (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define TIB  (1UL << 40)
#define GIB  (1UL << 30)

static int no_prefault(const struct poe_stats *st)
{
	return st->prefault_active == 0;
}

/* 1: the first pages of a new region hit straight after mmap. */
static void sync_marks(void)
{
	struct poe_stats s0, s1;
	unsigned long n = 16;
	volatile unsigned char *p;

	if (poe_wait_idle() || poe_stats_now(&s0))
		return;
	CHECK(s0.mark_sync >= n);
	p = mmap(NULL, 64 * PAGE, RW, ANON, -1, 0);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	for (unsigned long i = 0; i < n; i++)
		p[i * PAGE] = 1;
	if (poe_stats_now(&s1) == 0) {
		diag("%lu pages touched right after mmap: %lu fast-path hits, "
		     "%lu marked by mmap itself",
		     n, s1.hits - s0.hits,
		     s1.mark_sync_pages - s0.mark_sync_pages);
		CHECK_EQ(s1.hits - s0.hits, n);
		CHECK_EQ(s1.mark_sync_pages - s0.mark_sync_pages, 64);
	}
	CHECK_EQ(munmap((void *)p, 64 * PAGE), 0);
}

/* How many aligned blocks of 2^shift bytes [start, start + len) touches. */
static unsigned long spans(unsigned long start, unsigned long len, int shift)
{
	return ((start + len - 1) >> shift) - (start >> shift) + 1;
}

/* 2, 3: a huge region costs the window, and faults mark where they go. */
static void huge_region(void)
{
	struct poe_stats s0, s1, s2;
	struct meminfo m0, m1;
	unsigned long tables, budget, far;
	volatile unsigned char *p;

	if (poe_wait_idle() || poe_stats_now(&s0) || meminfo(&m0))
		return;
	p = mmap(NULL, TIB, RW, ANON | MAP_NORESERVE, -1, 0);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	if (poe_wait(no_prefault, "the pre-fault thread of 1 TiB") ||
	    poe_stats_now(&s1) || meminfo(&m1))
		goto out;
	tables = s1.proc_nr_pgtables - s0.proc_nr_pgtables;
	/* The tables the window's span crosses: its PTE tables (2 MiB
	 * each), pmd tables (1 GiB) and pud tables (512 GiB). mmap places
	 * a multiple of 2 MiB on a 2 MiB boundary (for huge pages), so
	 * where the window lies decides how many of each. */
	budget = spans((unsigned long)p, s1.mark_window * PAGE, 21) +
		 spans((unsigned long)p, s1.mark_window * PAGE, 30) +
		 spans((unsigned long)p, s1.mark_window * PAGE, 39);
	diag("1 TiB MAP_NORESERVE: %lu page-table pages built (budget %lu), "
	     "%lu PTEs marked, free pages %lu -> %lu",
	     tables, budget, s1.prefault_pages - s0.prefault_pages,
	     m0.free_pages, m1.free_pages);
	CHECK(tables <= budget);
	CHECK(s1.prefault_pages - s0.prefault_pages <= s1.mark_window);
	/* The thread's stack may not be back yet: 4 pages. */
	CHECK(m0.free_pages - m1.free_pages <= budget + 4);

	/* 3: 512 GiB in, a table the pre-fault work never built. */
	far = 512 * (GIB / PAGE);
	if (poe_wait_idle() || poe_stats_now(&s1))
		goto out;
	for (unsigned long i = 0; i < 17; i++)
		p[(far + i) * PAGE] = (unsigned char)i;
	if (poe_stats_now(&s2) == 0) {
		diag("17 pages 512 GiB in: %lu hits, %lu PTEs marked by the "
		     "full handler",
		     s2.hits - s1.hits,
		     s2.mark_fault_pages - s1.mark_fault_pages);
		CHECK_EQ(s2.hits - s1.hits, 16);
		CHECK_EQ(s2.mark_fault_pages - s1.mark_fault_pages, 511);
	}
	for (unsigned long i = 0; i < 17; i++)
		CHECK_EQ(p[(far + i) * PAGE], (unsigned char)i);
out:
	CHECK_EQ(munmap((void *)p, TIB), 0);
}

/* 4: with free memory at 1/32 of the total, marking builds nothing. */
static void pressure(void)
{
	struct poe_stats s0, s1;
	struct meminfo m;
	unsigned long fill, n = 64 * 512; /* a 128 MiB region */
	void *hog, *p;

	if (poe_wait_idle() || meminfo(&m))
		return;
	if (m.free_pages <= m.managed_pages / 32 + 1024) {
		diag("SKIP pressure: only %lu of %lu pages free", m.free_pages,
		     m.managed_pages);
		return;
	}
	/* MAP_POPULATE regions are never POE regions: plain memory. */
	fill = m.free_pages - m.managed_pages / 32;
	hog = mmap(NULL, fill * PAGE, RW, ANON | MAP_POPULATE, -1, 0);
	CHECK(hog != MAP_FAILED);
	if (hog == MAP_FAILED)
		return;
	if (poe_wait(no_prefault, "no pre-fault thread") || poe_stats_now(&s0))
		goto out;
	p = mmap(NULL, n * PAGE, RW, ANON, -1, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		if (poe_wait(no_prefault, "the pre-fault thread") == 0 &&
		    poe_stats_now(&s1) == 0) {
			meminfo(&m);
			diag("under pressure (%lu of %lu pages free): %lu "
			     "back-offs, %lu page-table pages built, %lu "
			     "marked by mmap",
			     m.free_pages, m.managed_pages,
			     s1.mark_backoffs - s0.mark_backoffs,
			     s1.proc_nr_pgtables - s0.proc_nr_pgtables,
			     s1.mark_sync_pages - s0.mark_sync_pages);
			CHECK_EQ(s1.mark_backoffs - s0.mark_backoffs, 1);
			CHECK_EQ(s1.proc_nr_pgtables, s0.proc_nr_pgtables);
			CHECK_EQ(s1.mark_sync_pages, s0.mark_sync_pages);
		}
		CHECK_EQ(munmap(p, n * PAGE), 0);
	}
out:
	CHECK_EQ(munmap(hog, fill * PAGE), 0);
}

int main(void)
{
	struct meminfo before, after;

	poe_require();
	if (poe_wait_idle() || meminfo(&before))
		return utest_done();
	sync_marks();
	huge_region();
	pressure();
	/* 5: everything back. */
	poe_settle_free(before.free_pages, &after);
	diag("free pages %lu before, %lu after", before.free_pages,
	     after.free_pages);
	CHECK_EQ(after.free_pages, before.free_pages);
	return utest_done();
}
