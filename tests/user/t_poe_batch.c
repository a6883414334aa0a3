/*
 * t_poe_batch - no fault waits for more than a batch of zeroing
 * (docs/poe.md, "Refill policy"): when a CPU's walker runs low, the task
 * that faulted waits for at most poe.refill_batch= pages to be zeroed on
 * its CPU, and the rest of the refill runs in the background.
 *
 * Pinned to one CPU, a warm write sweep over 4096 pages of a POE region
 * (faultbench's warm sweep; 64 tables' worth at the default size) runs
 * its CPU's table dry again and again. Then, from the POE counters
 * (struct poe_stats), not from timing:
 *   - refill_wait_max_pages, the most pages zeroed on a CPU while one task
 *     there waited (for its kick's batch, or to run again while a
 *     background producer held its CPU), since boot: <= refill_batch (or
 *     1 with refill_batch 0: the background zeroes a page at a time);
 *   - the pages zeroed during the sweep's waits: <= waits x refill_batch;
 *   - with one CPU, a sweep longer than twice the table, and a batch
 *     above 0: the task did wait (refill_waits grew), so the cap was
 *     tested, not just never reached;
 *   - every page reads zero, then what was written.
 * POE is ours: on Linux the test skips.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_poe_batch"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"
#include "smp_util.h"

#define SWEEP_PAGES 4096UL /* faultbench's warm sweep */

int main(void)
{
	struct poe_stats s0, s1;
	unsigned long i, bad = 0, waits, wait_pages;
	int cpus[64], ncpus;
	unsigned char *p;

	poe_require();
	ncpus = smp_cpus(cpus, 64);
	CHECK_EQ(smp_pin(cpus[0]), 0);
	p = map_anon(SWEEP_PAGES * PAGE, PROT_READ | PROT_WRITE);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED || poe_wait_idle() || poe_stats_now(&s0))
		return utest_done();
	for (i = 0; i < SWEEP_PAGES; i++) {
		bad += p[i * PAGE + i % PAGE] != 0;
		p[i * PAGE + i % PAGE] = (unsigned char)(i | 1);
	}
	if (poe_stats_now(&s1))
		return utest_done();
	for (i = 0; i < SWEEP_PAGES; i++)
		bad += p[i * PAGE + i % PAGE] != (unsigned char)(i | 1);
	CHECK_EQ(bad, 0);

	waits = s1.refill_waits - s0.refill_waits;
	wait_pages = s1.refill_wait_pages - s0.refill_wait_pages;
	diag("%d CPU(s), %lu entries, poe.refill_batch=%lu: sweep of %lu "
	     "pages: %lu hits, %lu waits for %lu pages of zeroing, the most "
	     "in one wait since boot %lu; background pages %lu, help %lu",
	     ncpus, s1.nr_entries, s1.refill_batch, SWEEP_PAGES,
	     s1.hits - s0.hits, waits, wait_pages, s1.refill_wait_max_pages,
	     s1.refill_bg_pages - s0.refill_bg_pages,
	     s1.refill_help_pages - s0.refill_help_pages);
	CHECK(s1.refill_wait_max_pages <=
	      (s1.refill_batch ? s1.refill_batch : 1));
	CHECK(wait_pages <= waits * s1.refill_batch);
	if (ncpus == 1 && s1.refill_batch > 0 &&
	    SWEEP_PAGES > 2 * s1.nr_entries)
		CHECK(waits > 0);

	CHECK_EQ(munmap(p, SWEEP_PAGES * PAGE), 0);
	poe_wait_idle();
	return utest_done();
}
