/*
 * t_poe_batch - no fault waits for more than a batch of zeroing
 * (docs/poe.md, "Refill policy"): when a CPU's walker runs low, the task
 * that faulted waits for at most poe.refill_batch= pages to be zeroed on
 * its CPU, and the rest of the refill runs in the background.
 *
 * Pinned to one CPU, a warm write sweep over 4096 pages of a POE region
 * (faultbench's warm sweep; 16 tables' worth at the default size) plus
 * as many as the background keeps zeroed ahead (poe.prezero=, which
 * refills take first, without zeroing) runs its CPU's table dry again and
 * again, past the end of the zeroed list. Then, from the POE counters
 * (struct poe_stats), not from timing:
 *   - refill_wait_max_pages, the most pages zeroed on a CPU while one task
 *     there waited (for its kick's batch, or to run again while a
 *     background producer held its CPU), since boot: <= refill_batch (or
 *     1 with refill_batch 0: the background zeroes a page at a time);
 *   - the pages zeroed during the sweep's waits: <= waits x refill_batch;
 *   - with one CPU, a sweep longer than twice the table, and a batch
 *     above 0: the task did wait (refill_waits grew) while pages were
 *     zeroed (refill_wait_pages grew), so the cap was tested, not just
 *     never reached;
 *   - every page reads zero, then what was written.
 * Before that, the same 4096-page sweep once the zeroed list is full
 * (poe_prezeroed()): the refills took their pages from the list
 * (refill_prezeroed_pages grew), and with one CPU no wait sat through
 * any zeroing, at least 99.5% of the faults hit, and every fault the
 * full handler took in the region got its page from the list too
 * (fault_prezeroed_pages grew by one per miss: the sweep reads a page
 * before it writes it, so a miss maps the zero page and the write
 * replaces it).
 * Last, the same sweep beside a child that spins on the same CPU: the
 * task refills its batch itself on its way out (a task work), so its
 * kicks do not make it sleep until a worker gets the CPU (which, behind
 * the spinner, took a whole time slice per kick): its voluntary context
 * switches during the sweep (getrusage's ru_nvcsw) stay below half its
 * kicks.
 * POE is ours: on Linux the test skips.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_poe_batch"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"
#include "smp_util.h"
#include <sys/resource.h>
#include <sys/wait.h>

#define SWEEP_PAGES 4096UL /* faultbench's warm sweep */

/* Write every page (each must read zero first), then read them back;
 * returns the pages that were wrong. */
static unsigned long sweep(unsigned char *p, unsigned long npages)
{
	unsigned long i, bad = 0;

	for (i = 0; i < npages; i++) {
		bad += p[i * PAGE + i % PAGE] != 0;
		p[i * PAGE + i % PAGE] = (unsigned char)(i | 1);
	}
	for (i = 0; i < npages; i++)
		bad += p[i * PAGE + i % PAGE] != (unsigned char)(i | 1);
	return bad;
}

/* The warm sweep with the zeroed list full: no zeroing in any wait. */
static void from_the_list(int ncpus)
{
	struct poe_stats s0, s1;
	unsigned long hits, taken, wait_pages, fault_taken;
	unsigned char *p = map_anon(SWEEP_PAGES * PAGE, PROT_READ | PROT_WRITE);

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED ||
	    poe_wait(poe_prezeroed, "the zeroed list at its target") ||
	    poe_stats_now(&s0))
		return;
	CHECK_EQ(sweep(p, SWEEP_PAGES), 0);
	if (poe_stats_now(&s1))
		return;
	hits = s1.hits - s0.hits;
	taken = s1.refill_prezeroed_pages - s0.refill_prezeroed_pages;
	wait_pages = s1.refill_wait_pages - s0.refill_wait_pages;
	fault_taken = s1.fault_prezeroed_pages - s0.fault_prezeroed_pages;
	diag("zeroed list full (%lu pages): sweep of %lu pages: %lu hits, %lu "
	     "pages taken from the list by refills and %lu by the full "
	     "handler, %lu waits for %lu pages of zeroing",
	     s0.prezeroed, SWEEP_PAGES, hits, taken, fault_taken,
	     s1.refill_waits - s0.refill_waits, wait_pages);
	CHECK(taken > 0);
	if (ncpus == 1) {
		CHECK_EQ(wait_pages, 0);
		CHECK(hits * 1000 >= SWEEP_PAGES * 995);
		CHECK(hits < SWEEP_PAGES); /* the table did run dry */
		CHECK_EQ(fault_taken, SWEEP_PAGES - hits);
	}
	CHECK_EQ(munmap(p, SWEEP_PAGES * PAGE), 0);
}

/* The sweep beside a CPU-bound child on the same CPU (see the top). */
static void beside_a_spinner(void)
{
	struct poe_stats s0, s1;
	struct rusage r0, r1;
	volatile int *stop;
	unsigned long waits;
	unsigned char *p;
	int status;
	pid_t pid;

	stop = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	p = map_anon(SWEEP_PAGES * PAGE, PROT_READ | PROT_WRITE);
	CHECK(stop != MAP_FAILED && p != MAP_FAILED);
	if (stop == MAP_FAILED || p == MAP_FAILED || poe_wait_idle())
		return;
	*stop = 0;
	pid = fork(); /* pinned to our CPU too */
	if (pid == 0) {
		while (!*stop)
			;
		_exit(0);
	}
	CHECK(pid > 0);
	if (pid < 0 || poe_stats_now(&s0) || getrusage(RUSAGE_THREAD, &r0))
		goto out;
	CHECK_EQ(sweep(p, SWEEP_PAGES), 0);
	if (poe_stats_now(&s1) || getrusage(RUSAGE_THREAD, &r1))
		goto out;
	waits = s1.refill_waits - s0.refill_waits;
	diag("beside a spinning child: sweep of %lu pages: %lu hits, %lu "
	     "kicks, %ld voluntary context switches",
	     SWEEP_PAGES, s1.hits - s0.hits, waits, r1.ru_nvcsw - r0.ru_nvcsw);
	if (s1.refill_batch > 0 && SWEEP_PAGES > 4 * s1.nr_entries) {
		CHECK(waits >= 4);
		CHECK((unsigned long)(r1.ru_nvcsw - r0.ru_nvcsw) * 2 < waits);
	}
out:
	*stop = 1;
	if (pid > 0) {
		CHECK_EQ(waitpid(pid, &status, 0), pid);
		CHECK_EQ(status, 0);
	}
	munmap(p, SWEEP_PAGES * PAGE);
	munmap((void *)stop, PAGE);
}

int main(void)
{
	struct poe_stats s0, s1;
	unsigned long bad, waits, wait_pages, npages;
	int cpus[64], ncpus;
	unsigned char *p;

	poe_require();
	ncpus = smp_cpus(cpus, 64);
	CHECK_EQ(smp_pin(cpus[0]), 0);
	from_the_list(ncpus);
	if (poe_stats_now(&s0))
		return utest_done();
	npages = SWEEP_PAGES + s0.prezero_target;
	p = map_anon(npages * PAGE, PROT_READ | PROT_WRITE);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED || poe_wait_idle() || poe_stats_now(&s0))
		return utest_done();
	bad = sweep(p, npages);
	if (poe_stats_now(&s1))
		return utest_done();
	CHECK_EQ(bad, 0);

	waits = s1.refill_waits - s0.refill_waits;
	wait_pages = s1.refill_wait_pages - s0.refill_wait_pages;
	diag("%d CPU(s), %lu entries, poe.refill_batch=%lu: sweep of %lu "
	     "pages: %lu hits, %lu waits for %lu pages of zeroing, the most "
	     "in one wait since boot %lu; background pages %lu, help %lu",
	     ncpus, s1.nr_entries, s1.refill_batch, npages, s1.hits - s0.hits,
	     waits, wait_pages, s1.refill_wait_max_pages,
	     s1.refill_bg_pages - s0.refill_bg_pages,
	     s1.refill_help_pages - s0.refill_help_pages);
	CHECK(s1.refill_wait_max_pages <=
	      (s1.refill_batch ? s1.refill_batch : 1));
	CHECK(wait_pages <= waits * s1.refill_batch);
	if (ncpus == 1 && s1.refill_batch > 0 &&
	    SWEEP_PAGES > 2 * s1.nr_entries) {
		CHECK(waits > 0);
		CHECK(wait_pages > 0);
	}

	CHECK_EQ(munmap(p, npages * PAGE), 0);
	beside_a_spinner();
	poe_wait_idle();
	return utest_done();
}
