/*
 * t_poe_exit - after exit the free-page count is back at baseline,
 * including when the process exits within the 2 ms window with used
 * entries pending (the patent's error handling; docs/poe.md).
 *
 * The parent keeps POE on, so the pre-allocation tables stay. ROUNDS
 * times a child enables POE itself (fork does not inherit it), maps
 * NPAGES pages, waits until the pre-fault thread and the refill are done,
 * writes one byte per page (the fast path) and _exits at once, before the
 * post-fault work (every 2 ms) has accounted its used entries. The child
 * records in a shared page how many of its entries were still pending
 * right before it exited. Each time, once the tables are full again, the
 * free-page count must equal the baseline exactly (nothing leaked, nothing
 * freed twice); over all rounds the error-handling counter must grow (exit
 * accounted the pending entries), and the LRU list and task count come
 * back too.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_poe_exit"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"
#include <private.h>

#define ROUNDS 20
#define NPAGES 32UL

struct report {
	long hits;    /* fast-path hits while the child touched */
	long pending; /* its used entries right before _exit */
	long rss;     /* its rss then (accounted pages only) */
};

static volatile struct report *shared;

/* The child: exit codes other than 0 say which step failed. */
static int child(void *arg)
{
	volatile struct report *r = &shared[(long)arg];
	struct poe_stats s0, s1;
	unsigned char *p;

	if (poe_enable())
		return 10;
	p = map_anon(NPAGES * PAGE, PROT_READ | PROT_WRITE);
	if (p == MAP_FAILED)
		return 11;
	if (poe_wait_idle())
		return 12;
	if (poe_get_stats(&s0) < 0)
		return 13;
	for (unsigned long i = 0; i < NPAGES; i++)
		((volatile unsigned char *)p)[i * PAGE] =
			(unsigned char)(i + 1);
	if (poe_get_stats(&s1) < 0)
		return 14;
	r->hits = (long)(s1.hits - s0.hits);
	r->pending = (long)s1.proc_pending;
	r->rss = (long)s1.proc_rss;
	_exit(0); /* at once: the entries may still be pending */
}

int main(void)
{
	struct poe_stats s0, s1;
	struct meminfo m0, m1;
	long diff[ROUNDS], worst = 0;
	int round, status, with_pending = 0, bad_rounds = 0;
	long pending_sum = 0, hits_sum = 0;

	poe_require();
	shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(shared != MAP_FAILED);
	if (shared == MAP_FAILED)
		return utest_done();

	/* One round first, so that whatever the first child leaves in the
	 * kernel's caches (kmalloc slabs) is part of the baseline. */
	status = run_child(child, (void *)(long)(ROUNDS));
	CHECK(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (poe_wait_idle())
		return utest_done();
	poe_sleep_ms(20);
	poe_stats_now(&s0);
	meminfo(&m0);
	diag("baseline: %lu pages free, %lu tasks, POE on: %lu, table entries %lu x %lu",
	     m0.free_pages, m0.nr_tasks, s0.enabled, s0.nr_entries, s0.nr_cpus);

	for (round = 0; round < ROUNDS; round++) {
		shared[round].pending = -1;
		status = run_child(child, (void *)(long)round);
		if (status == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			diag("FAIL round %d: the child failed", round);
			describe_status("child", status);
			utest_failures++;
			if (status != -1 && WIFEXITED(status) &&
			    WEXITSTATUS(status) == 12)
				return utest_done(); /* it waited 5 s in vain */
		}
		if (poe_settle_free(m0.free_pages, &m1)) {
			diag("FAIL round %d: the tables did not refill; giving up",
			     round);
			return utest_done();
		}
		diff[round] = (long)(m1.free_pages - m0.free_pages);
		if (diff[round]) {
			diag("FAIL round %d: free pages %lu, baseline %lu (%+ld)",
			     round, m1.free_pages, m0.free_pages, diff[round]);
			bad_rounds++;
		}
		if (labs(diff[round]) > labs(worst))
			worst = diff[round];
		with_pending += shared[round].pending > 0;
		pending_sum += shared[round].pending;
		hits_sum += shared[round].hits;
	}
	utest_checks++;
	utest_failures += bad_rounds != 0;

	poe_wait_idle();
	poe_stats_now(&s1);
	meminfo(&m1);
	diag("%d rounds of %lu pages: %ld fast-path hits; used entries pending at "
	     "exit in %d rounds (%ld entries in all)",
	     ROUNDS, NPAGES, hits_sum, with_pending, pending_sum);
	diag("first child: hits %ld, pending %ld, rss %ld", shared[0].hits,
	     shared[0].pending, shared[0].rss);
	diag("error recoveries +%lu, post-fault entries +%lu; free pages %lu -> %lu "
	     "(worst round %+ld); tasks %lu -> %lu; LRU %lu -> %lu",
	     s1.error_recoveries - s0.error_recoveries,
	     s1.postfault_entries - s0.postfault_entries, m0.free_pages,
	     m1.free_pages, worst, m0.nr_tasks, m1.nr_tasks, s0.lru_active,
	     s1.lru_active);
	CHECK_EQ(m1.free_pages, m0.free_pages);
	CHECK_EQ(m1.nr_tasks, m0.nr_tasks);
	CHECK_EQ(s1.lru_active, s0.lru_active);
	/* Most touches took the fast path, and some exits had work left. */
	CHECK(hits_sum * 2 >= (long)(ROUNDS * NPAGES));
	CHECK(with_pending > 0);
	CHECK(s1.error_recoveries > s0.error_recoveries);
	/* Every pending entry was accounted, by exit or by post-fault work. */
	CHECK(s1.error_recoveries - s0.error_recoveries + s1.postfault_entries -
		      s0.postfault_entries >=
	      (unsigned long)pending_sum);
	return utest_done();
}
