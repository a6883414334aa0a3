/*
 * t_poe_basic - the POE pipeline end to end (docs/poe.md): enable twice,
 * a warm sweep over a POE region, and its books.
 *
 *   - poe_enable/poe_disable return 0, also the second time;
 *   - after the pre-fault thread and the refill are done, reading one byte
 *     per page of a 4096-page POE region takes the fast path at least as
 *     often as the refill contract says (poe_min_hits(): the table, then
 *     a batch of hits after each wait; unless poe.refill=async), and every
 *     not-present fault there is counted once: as a hit or as a fall-back
 *     by reason;
 *   - every page the fast path mapped is zero, all 4096 bytes of it;
 *   - after post-fault work: rss grew by exactly the pages touched, the
 *     process's POE fault counter equals the hits, its total counter
 *     every fault, and the active LRU list holds the hits;
 *   - the free-page count fell by rss + page tables (+ at most one kmalloc
 *     slab page), and munmap gives it all back.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_poe_basic"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"
#include <private.h>

#define NPAGES 4096UL

int main(void)
{
	struct poe_stats s0, s1, s2;
	struct fault_stats f0, f1;
	struct meminfo m0, m1, m2;
	unsigned long i, nonzero = 0, hits;
	unsigned char *p;

	poe_require();
	CHECK_EQ(poe_enable(), 0); /* a second enable: no-op */
	/* A flag the kernel does not know: refused, nothing else changes. */
	CHECK(poe_enable_flags(~POE_ENABLE_FLAGS) == -1 && errno == EINVAL);

	p = map_anon(NPAGES * PAGE, PROT_READ | PROT_WRITE);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return utest_done();
	if (poe_wait_idle())
		return utest_done();
	poe_stats_now(&s0);
	fault_stats(&f0);
	meminfo(&m0);

	for (i = 0; i < NPAGES; i++)
		(void)*(volatile unsigned char *)(p + i * PAGE);
	poe_stats_now(&s1);

	hits = s1.hits - s0.hits;
	diag("warm sweep of %lu pages: %lu fast-path hits (%lu.%lu%%), fall-backs: "
	     "not marked %lu, table empty %lu, not POEable %lu, PTE locked %lu, "
	     "table locked %lu, POE off %lu",
	     NPAGES, hits, hits * 100 / NPAGES, hits * 1000 / NPAGES % 10,
	     s1.fb_not_marked - s0.fb_not_marked,
	     s1.fb_table_empty - s0.fb_table_empty,
	     s1.fb_not_poeable - s0.fb_not_poeable,
	     s1.fb_pte_locked - s0.fb_pte_locked,
	     s1.fb_table_locked - s0.fb_table_locked,
	     s1.fb_disabled - s0.fb_disabled);
	/* poe.refill=async (2) lets the task run on while an idle CPU
	 * refills, and trades hits for that (docs/poe.md): the minimum holds
	 * for the policies that make it wait, local and help. */
	if (s1.refill_policy != 2)
		CHECK(hits >= poe_min_hits(NPAGES, &s1));
	else
		diag("poe.refill=async: no hit-rate check");
	CHECK_EQ(hits + poe_fallbacks(&s1) - poe_fallbacks(&s0), NPAGES);
	CHECK_EQ(s1.fb_not_marked - s0.fb_not_marked, 0);

	/* Page by page: nothing but zeros, then our data reads back. */
	for (i = 0; i < NPAGES; i++)
		if (!all_bytes(p + i * PAGE, PAGE, 0))
			nonzero++;
	CHECK_EQ(nonzero, 0);
	for (i = 0; i < NPAGES; i++)
		p[i * PAGE + (i % PAGE)] = (unsigned char)(i | 1);
	for (i = 0; i < NPAGES; i++)
		if (p[i * PAGE + (i % PAGE)] != (unsigned char)(i | 1))
			nonzero++;
	CHECK_EQ(nonzero, 0);

	/* The books, once post-fault work has run. */
	if (poe_wait_pending() || poe_wait_idle())
		return utest_done();
	poe_stats_now(&s2);
	fault_stats(&f1);
	meminfo(&m1);
	CHECK_EQ(s2.proc_rss - s0.proc_rss, NPAGES);
	CHECK_EQ(f1.proc_poe - f0.proc_poe, hits);
	/* Fall-backs read the zero page, so the later write faulted again. */
	CHECK_EQ(f1.proc_total - f0.proc_total, NPAGES + (NPAGES - hits));
	CHECK(s2.lru_active - s0.lru_active >= hits);
	CHECK(s2.postfault_entries - s0.postfault_entries +
		      s2.error_recoveries - s0.error_recoveries >=
	      hits);
	{
		long used = (long)(m0.free_pages - m1.free_pages);
		long want = (long)(NPAGES + s2.proc_nr_pgtables -
				   s0.proc_nr_pgtables);

		diag("free pages %lu -> %lu: %ld used; rss +%lu, page tables +%lu",
		     m0.free_pages, m1.free_pages, used,
		     s2.proc_rss - s0.proc_rss,
		     s2.proc_nr_pgtables - s0.proc_nr_pgtables);
		CHECK(used >= want && used <= want + 1);
	}

	CHECK_EQ(munmap(p, NPAGES * PAGE), 0);
	poe_wait_idle();
	poe_stats_now(&s2);
	meminfo(&m2);
	CHECK_EQ(s2.proc_rss, s0.proc_rss);
	CHECK_EQ(s2.lru_active, s0.lru_active);
	{
		/* Back, plus the page tables the pre-fault thread had built. */
		long back = (long)(m2.free_pages - m0.free_pages);
		long tables = (long)(s0.proc_nr_pgtables - s2.proc_nr_pgtables);

		diag("after munmap: free pages %+ld, page tables -%ld", back,
		     tables);
		CHECK(back >= tables - 1 && back <= tables + 1);
	}

	CHECK_EQ(poe_disable(), 0);
	CHECK_EQ(poe_disable(), 0); /* a second disable: at once */
	poe_stats_now(&s2);
	CHECK_EQ(s2.proc_enabled, 0);
	return utest_done();
}
