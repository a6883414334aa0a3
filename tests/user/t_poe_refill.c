/*
 * t_poe_refill - who refills a CPU's pre-allocation table (docs/poe.md,
 * "Refill policy"): with another CPU idle, that CPU's POE worker.
 *
 * Pinned to one CPU, a warm write sweep over 32 tables' worth of a POE
 * region runs its CPU's table low again and again, while every other CPU
 * has nothing to run. Then, as poe.refill= says (struct poe_stats
 * refill_policy):
 *   - help (the default) or async, with two CPUs or more: the refills were
 *     handed to an idle CPU (refill_help grew) and the idle CPUs zeroed
 *     pages for this CPU's table: their workers put pages into it
 *     (refill_help_pages grew), or zeroed free pages ahead in their idle
 *     time (prezero_pages grew; this CPU, busy with the sweep, has no
 *     idle time), which the refills took without a memset;
 *   - local, or one CPU: no help at all, and the task waited for its
 *     own CPU's refill (refill_waits grew);
 *   - with help or local, the fast path took at least the faults the
 *     refill contract promises (poe_min_hits(), as t_poe_basic asks of
 *     one CPU; async trades hits for no waiting);
 *   - always: every page reads zero, then what was written.
 * POE is ours: on Linux the test skips.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_poe_refill"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"
#include "smp_util.h"

#define POLICY_LOCAL 0 /* poe.refill=, as include/uapi/poe.h numbers it */
#define POLICY_HELP  1
#define POLICY_ASYNC 2

/* One warm sweep of npages fresh pages pinned where we are: *s0 and *s1
 * around it; returns the pages that read wrong, or -1 (a FAIL noted). */
static long sweep(unsigned long npages, struct poe_stats *s0,
		  struct poe_stats *s1)
{
	unsigned long i, bad = 0;
	unsigned char *p = map_anon(npages * PAGE, PROT_READ | PROT_WRITE);

	CHECK(p != MAP_FAILED);
	/* Also the zeroed list at its target: until then the other CPUs
	 * spend their idle time zeroing ahead, and a CPU at that is busy,
	 * not idle, to poe_kick(). */
	if (p == MAP_FAILED || poe_wait_idle() ||
	    poe_wait(poe_prezeroed, "the zeroed list at its target"))
		return -1;
	poe_stats_now(s0);
	for (i = 0; i < npages; i++) {
		bad += p[i * PAGE + i % PAGE] != 0;
		p[i * PAGE + i % PAGE] = (unsigned char)(i | 1);
	}
	poe_stats_now(s1);
	for (i = 0; i < npages; i++)
		bad += p[i * PAGE + i % PAGE] != (unsigned char)(i | 1);
	CHECK_EQ(munmap(p, npages * PAGE), 0);
	return (long)bad;
}

int main(void)
{
	struct poe_stats s0, s1;
	unsigned long npages, hits, help, pages, waits, ahead;
	int cpus[64], ncpus, attempt;
	long bad;

	poe_require();
	ncpus = smp_cpus(cpus, 64);
	CHECK_EQ(smp_pin(cpus[0]), 0);
	if (poe_stats_now(&s0))
		return utest_done();
	if (s0.nr_entries > 256) {
		diag("SKIP poe.entries=%lu: a sweep of 32 tables is too big",
		     s0.nr_entries);
		return UTEST_SKIP;
	}
	/* 32 tables' worth: some helps come late on a loaded host (the
	 * table is full by then and they add nothing), not all of them. A
	 * sweep may also find every other CPU busy zeroing ahead for the
	 * list it drains, and hand no refill out: then it runs again, up to
	 * three times, so that an idle CPU is found by one of them; a kick
	 * that never finds one fails all three. */
	npages = 32 * s0.nr_entries;
	for (attempt = 0; attempt < 3; attempt++) {
		bad = sweep(npages, &s0, &s1);
		if (bad < 0)
			return utest_done();
		CHECK_EQ(bad, 0);
		if (ncpus < 2 || s1.refill_policy == POLICY_LOCAL ||
		    s1.refill_help > s0.refill_help)
			break;
		diag("sweep %d: no refill handed to an idle CPU (%lu pages "
		     "zeroed ahead meanwhile); again",
		     attempt + 1, s1.prezero_pages - s0.prezero_pages);
	}

	hits = s1.hits - s0.hits;
	help = s1.refill_help - s0.refill_help;
	pages = s1.refill_help_pages - s0.refill_help_pages;
	waits = s1.refill_waits - s0.refill_waits;
	ahead = s1.prezero_pages - s0.prezero_pages;
	diag("poe.refill=%s, %d CPU(s): sweep of %lu pages on CPU %d: %lu "
	     "fast-path hits; refills handed to an idle CPU %lu, pages it "
	     "added %lu, pages zeroed ahead meanwhile %lu, waits for the own "
	     "refill %lu",
	     s1.refill_policy == POLICY_LOCAL ? "local" :
	     s1.refill_policy == POLICY_HELP  ? "help" :
	     s1.refill_policy == POLICY_ASYNC ? "async" :
						"?",
	     ncpus, npages, cpus[0], hits, help, pages, ahead, waits);
	if (ncpus >= 2 && s1.refill_policy != POLICY_LOCAL) {
		CHECK(help > 0);
		CHECK(pages + ahead > 0);
	} else {
		CHECK_EQ(help, 0);
		CHECK_EQ(pages, 0);
		CHECK(waits > 0);
	}
	if (s1.refill_policy != POLICY_ASYNC)
		CHECK(hits >= poe_min_hits(npages, &s1));
	poe_wait_idle();
	return utest_done();
}
