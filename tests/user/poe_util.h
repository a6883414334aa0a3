/*
 * poe_util.h - helpers for the POE tests (tests/user/t_poe_*.c). Include
 * after utest.h. The POE calls are ours (include/uapi/poe.h): on Linux
 * they fail with ENOSYS and a POE test reports itself skipped.
 *
 *   poe_require()        enable POE, or skip the test (exit 77: usertests
 *                        prints "# SKIP") when the kernel has no POE
 *   poe_stats_now(st)    fill *st (struct poe_stats); failure is a FAIL
 *   poe_wait_idle()      wait (max 5 s) until no pre-fault thread runs
 *                        and every table is full: the "warm" state
 *   poe_wait_pending()   wait until this process has no used entries
 *                        awaiting post-fault work
 *   poe_wait(cond, what) the polling under both: cond(st) every 1 ms
 *   poe_sleep_ms(ms)     nanosleep for ms milliseconds
 *   poe_settle_free(want, mi)  the warm state, then the free-page count
 *                        back at want (meminfo into *mi; ~2 s at most)
 *   poe_min_hits(n, st)  the fast-path hits a warm sweep of n pages must
 *                        get at least, by the refill contract
 * The waits return 0, or -1 after recording a FAIL (5 s without cond).
 * For children that check a region page by page (include mm_util.h
 * first; each _exit()s with a code of 90..93 on failure):
 *   poe_child_region(n, prot)  POE on, n pages mapped with prot, warm
 *   poe_child_hits()     the fast path's hits so far
 *   poe_write_pages(p, from, to, val)  byte 1 of pages [from, to) of p
 *                        set to val + page
 *   poe_bad_pages(p, from, to, val)  how many of those pages differ from
 *                        what poe_write_pages() left (val < 0: all zero)
 */
#ifndef POE_UTIL_H
#define POE_UTIL_H

#include <poe.h>
#include <private.h> /* meminfo */
#include <time.h>

/* poe_require - poe_enable(), or exit(UTEST_SKIP) with a diag line. */
static inline void poe_require(void)
{
	if (poe_enable() != 0) {
		diag("SKIP poe_enable: %s (not our kernel)", strerror(errno));
		exit(UTEST_SKIP);
	}
}

/* poe_stats_now - fill *st (the whole struct); 0, or -1 after recording
 * a FAIL when poe_get_stats failed or returned fewer bytes. */
static inline int poe_stats_now(struct poe_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (poe_get_stats(st) != (long)sizeof(*st)) {
		diag("FAIL poe_get_stats: %s", strerror(errno));
		utest_failures++;
		return -1;
	}
	return 0;
}

/* poe_sleep_ms - sleep ms milliseconds (nanosleep). */
static inline void poe_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Poll every ms until cond(st) holds; 0, or -1 (a FAIL) after 5 s. */
static inline int poe_wait(int (*cond)(const struct poe_stats *),
			   const char *what)
{
	struct poe_stats st;

	for (int i = 0; i < 5000; i++) {
		if (poe_stats_now(&st))
			return -1;
		if (cond(&st))
			return 0;
		poe_sleep_ms(1);
	}
	/* What stayed wrong: the numbers that say where it stuck. */
	diag("FAIL waited 5 s for %s: pre-fault threads %lu, valid entries "
	     "%lu of %lu x %lu CPUs, used %lu, this process's pending %lu, "
	     "post-fault runs %lu",
	     what, st.prefault_active, st.table_valid, st.nr_entries,
	     st.nr_cpus, st.table_used, st.proc_pending, st.postfault_runs);
	utest_failures++;
	return -1;
}

/* poe_no_pending - cond for poe_wait: no used entry of this process
 * awaits post-fault work. */
static inline int poe_no_pending(const struct poe_stats *st)
{
	return st->proc_pending == 0;
}

/*
 * poe_wait_idle - poe_wait until poe_settled (the "warm" state), seen
 * twice, 2 ms apart, and then until the free-page count has stayed the
 * same over three reads 2 ms apart (at most about 1 s; no FAIL if it
 * never does). A pre-fault thread that has just counted itself out may
 * still be on its way out of its CPU, its stack not yet freed (the next
 * task on that CPU frees it); under MTTCG on a loaded host that CPU may
 * not run for milliseconds, and a free-page baseline taken before the
 * stack comes back would be 4 pages short.
 */
static inline int poe_wait_idle(void)
{
	struct meminfo a, b;
	int same = 0;

	if (poe_wait(poe_settled, "pre-fault threads and full tables"))
		return -1;
	poe_sleep_ms(2);
	if (poe_wait(poe_settled, "pre-fault threads and full tables"))
		return -1;
	if (meminfo(&a))
		return 0;
	for (int i = 0; i < 500 && same < 2; i++) {
		poe_sleep_ms(2);
		if (meminfo(&b))
			return 0;
		same = b.free_pages == a.free_pages ? same + 1 : 0;
		a = b;
	}
	return 0;
}

/* poe_wait_pending - poe_wait until poe_no_pending. */
static inline int poe_wait_pending(void)
{
	return poe_wait(poe_no_pending, "post-fault work");
}

/*
 * poe_settle_free - wait for the tables to refill, then for the free
 * count to reach want (exit gives the last pages back a little later):
 * at most ~2 s more. *mi holds the last meminfo. -1 when the tables
 * never refill (a FAIL already).
 */
static inline int poe_settle_free(unsigned long want, struct meminfo *mi)
{
	if (poe_wait_idle())
		return -1;
	for (int i = 0; i < 200; i++) {
		meminfo(mi);
		if (mi->free_pages == want)
			break;
		poe_sleep_ms(10);
	}
	return 0;
}

/*
 * poe_min_hits - the fewest fast-path hits a warm sweep of npages fresh
 * POE pages by one task pinned to one CPU may get, 95% of what the refill
 * contract promises (docs/poe.md, "Refill policy"): the first nr_entries
 * pages from the full table; after that, a cycle of one fall-back (the
 * table found empty: the fault kicks and waits for its batch) and then
 * refill_batch hits on the batch's pages. Help from idle CPUs and refills
 * in idle time only add hits. With refill_batch 0 the task never waits:
 * no promise past the table.
 */
static inline unsigned long poe_min_hits(unsigned long npages,
					 const struct poe_stats *st)
{
	unsigned long n = st->nr_entries, b = st->refill_batch, misses;

	if (npages <= n)
		return npages * 95 / 100;
	if (b == 0)
		return n * 95 / 100;
	misses = (npages - n + b) / (b + 1);
	return (npages - misses) * 95 / 100;
}

/* poe_child_region - in a child: POE on, a region of n pages with prot,
 * warm. _exit(90..92) when a step fails. */
static inline unsigned char *poe_child_region(unsigned long n, int prot)
{
	unsigned char *p;

	if (poe_enable())
		_exit(90);
	p = map_anon(n * PAGE, prot);
	if (p == MAP_FAILED)
		_exit(91);
	if (poe_wait_idle())
		_exit(92);
	return p;
}

/* poe_child_hits - the fast path's hits so far; _exit(93) on error. */
static inline unsigned long poe_child_hits(void)
{
	struct poe_stats st;

	if (poe_get_stats(&st) < 0)
		_exit(93);
	return st.hits;
}

/* poe_write_pages - pages [from, to) of p: byte 1 = val + page. */
static inline void poe_write_pages(unsigned char *p, unsigned long from,
				   unsigned long to, int val)
{
	for (unsigned long i = from; i < to; i++)
		p[i * PAGE + 1] = (unsigned char)(val + i);
}

/* poe_bad_pages - how many pages of [from, to) of p are not as
 * poe_write_pages() left them (val < 0: all zero). */
static inline unsigned long poe_bad_pages(const unsigned char *p,
					  unsigned long from, unsigned long to,
					  int val)
{
	unsigned long bad = 0;

	for (unsigned long i = from; i < to; i++) {
		const unsigned char *pg = p + i * PAGE;
		unsigned char want = val < 0 ? 0 : (unsigned char)(val + i);

		if (pg[1] != want || pg[0] != 0 ||
		    !all_bytes(pg + 2, PAGE - 2, 0))
			bad++;
	}
	return bad;
}

#endif
