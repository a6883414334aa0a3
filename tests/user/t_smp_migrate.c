/*
 * t_smp_migrate - a thread that moves from CPU to CPU while it faults:
 * every page it wrote holds its byte, and with POE on the process's rss
 * grows by exactly the pages touched (each CPU's walker serves the faults
 * taken there from that CPU's own table: docs/poe.md).
 *
 *   t_smp_migrate [ROUNDS]     (default 4)
 *
 * Each round maps NPAGES fresh pages and writes one byte per page,
 * calling sched_setaffinity to move to the next allowed CPU every HOP
 * pages; each call must leave the thread on exactly that CPU's mask.
 * With POE (our kernel), the region is warm before the writes and the
 * rss must grow by NPAGES once the post-fault work is done. Runs on Linux
 * too (without the POE part).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_smp_migrate"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"
#include "smp_util.h"
#include <private.h>

#define NPAGES 256UL
#define HOP    8UL

int main(int argc, char **argv)
{
	int cpus[64], n = smp_cpus(cpus, 64), rounds = 4, poe, moves = 0;
	unsigned long hits = 0;

	if (argc > 1)
		rounds = atoi(argv[1]);
	if (rounds <= 0) {
		diag("usage: t_smp_migrate [ROUNDS > 0]");
		return 2;
	}
	poe = poe_enable() == 0;
	diag("%d CPU(s), POE %s, %d rounds of %lu pages, a move every %lu",
	     cpus[0] < 0 ? 0 : n, poe ? "on" : "off (not our kernel)", rounds,
	     NPAGES, HOP);
	for (int r = 0; r < rounds; smp_progress(++r, rounds)) {
		volatile unsigned char *p =
			map_anon(NPAGES * PAGE, PROT_READ | PROT_WRITE);
		struct poe_stats s0, s1;
		unsigned long lost = 0;

		CHECK(p != MAP_FAILED);
		if (p == MAP_FAILED)
			break;
		if (poe && (poe_wait_idle() || poe_stats_now(&s0)))
			break;
		for (unsigned long pg = 0; pg < NPAGES; pg++) {
			if (pg % HOP == 0 && cpus[0] >= 0) {
				int cpu = cpus[(pg / HOP + r) % n];
				int got[64], k;

				CHECK_EQ(smp_pin(cpu), 0);
				k = smp_cpus(got, 64);
				CHECK(k == 1 && got[0] == cpu);
				moves++;
			}
			p[pg * PAGE + (pg % 64)] = (unsigned char)(pg * 7 + r) |
						   1;
		}
		for (unsigned long pg = 0; pg < NPAGES; pg++)
			lost += p[pg * PAGE + (pg % 64)] !=
				((unsigned char)(pg * 7 + r) | 1);
		CHECK_EQ(lost, 0);
		if (poe && !poe_wait_pending() && !poe_stats_now(&s1)) {
			CHECK_EQ(s1.proc_rss - s0.proc_rss, NPAGES);
			hits += s1.hits - s0.hits;
		}
		CHECK_EQ(munmap((void *)p, NPAGES * PAGE), 0);
	}
	diag("%d moves; %lu fast-path hits", moves, hits);
	if (poe)
		CHECK(hits > 0);
	return utest_done();
}
