/*
 * t_poe_fork - fork of a POE region with used entries pending (the
 * patent's error handling, docs/poe.md: fork must account the walker's
 * pages before it shares them).
 *
 * A warm POE region of NPAGES pages; the parent writes pages 0..NWRITE-1
 * (the fast path: used entries now wait for post-fault work) and forks at
 * once. Then:
 *   - right after the fork none of the parent's entries is pending (the
 *     fork's error handling accounted them);
 *   - the child sees the same data (and zeros in the untouched pages);
 *     its copy is ordinary (POE is not inherited);
 *   - copy-on-write both ways: the child overwrites every page, the
 *     parent (while the child still lives) some; each sees only its own
 *     writes; the parent's untouched pages still take the fast path;
 *   - both exit cleanly; after post-fault work the parent's rss grew by
 *     exactly the pages it touched, and once the child is reaped the
 *     free-page count is down by exactly those pages; munmap gives them
 *     back (plus the page tables).
 * Odd rounds: the child exits at once without touching anything.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_poe_fork"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"
#include <private.h>
#include <sched.h>

#define NPAGES	64UL
#define NWRITE	48UL /* written before the fork */
#define NPARENT 24UL /* rewritten by the parent after it */
#define ROUNDS	4

enum {
	CHILD_WROTE,
	PARENT_WROTE
};
static volatile long *flags; /* MAP_SHARED */
static int rounds_pending;   /* rounds that forked with entries
					   pending (the case under test) */

/* wait_flag - wait (yielding, ~1 ms naps) until flags[f] is set; 0, or
 * -1 after about 2000 naps. */
static int wait_flag(int f)
{
	for (long i = 0; i < 200000; i++) {
		if (flags[f])
			return 0;
		sched_yield();
		if (i % 100 == 99)
			poe_sleep_ms(1);
	}
	return -1;
}

/* Pages [from, to): byte i % PAGE is val ^ page (val < 0: zero page). */
static unsigned long bad_pages(const unsigned char *p, unsigned long from,
			       unsigned long to, int val)
{
	unsigned long bad = 0;

	for (unsigned long i = from; i < to; i++) {
		const unsigned char *pg = p + i * PAGE;
		unsigned long at = (i * 31) % PAGE;
		unsigned char want = val < 0 ? 0 : (unsigned char)(val ^ i);

		if (pg[at] != want)
			bad++;
		else if (!all_bytes(pg, at, 0) ||
			 !all_bytes(pg + at + 1, PAGE - at - 1, 0))
			bad++;
	}
	return bad;
}

/* write_pages - pages [from, to): byte (i * 31) % PAGE = val ^ i. */
static void write_pages(unsigned char *p, unsigned long from, unsigned long to,
			int val)
{
	for (unsigned long i = from; i < to; i++)
		((volatile unsigned char *)p)[i * PAGE + (i * 31) % PAGE] =
			(unsigned char)(val ^ i);
}

/* child - the fork child: check the parent's data, overwrite every page,
 * check it saw none of the parent's later writes. Exit codes say which
 * check failed. */
static int child(unsigned char *p)
{
	struct poe_stats st;

	if (poe_get_stats(&st) < 0)
		return 2;
	if (st.proc_enabled || st.proc_pending)
		return 3;
	if (bad_pages(p, 0, NWRITE, 0x11))
		return 4; /* not the parent's data */
	if (bad_pages(p, NWRITE, NPAGES, -1))
		return 5;
	write_pages(p, 0, NPAGES, 0x22);
	flags[CHILD_WROTE] = 1;
	if (wait_flag(PARENT_WROTE))
		return 6;
	if (bad_pages(p, 0, NPAGES, 0x22))
		return 7; /* saw the parent's writes */
	return 0;
}

/* round_ - one round (see the top); child_works: the child checks and
 * writes (else it exits at once). */
static void round_(int r, int child_works)
{
	struct poe_stats s0, s1, s2, s3, s4, s5;
	struct meminfo m0, m1, m2;
	unsigned char *p;
	int status = -1;
	pid_t pid;

	flags[CHILD_WROTE] = flags[PARENT_WROTE] = 0;
	p = map_anon(NPAGES * PAGE, PROT_READ | PROT_WRITE);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED || poe_wait_pending() || poe_wait_idle())
		return;
	poe_stats_now(&s0);
	meminfo(&m0);

	write_pages(p, 0, NWRITE, 0x11);
	poe_get_stats(&s1);
	pid = fork(); /* at once: entries pending */
	if (pid == 0)
		_exit(child_works ? child(p) : 0);
	CHECK(pid > 0);
	if (pid < 0)
		return;
	poe_stats_now(&s2);

	if (child_works && wait_flag(CHILD_WROTE)) {
		diag("FAIL round %d: the child did not write", r);
		utest_failures++;
	}
	/* The child's writes are not ours; then ours, while it lives. */
	CHECK_EQ(bad_pages(p, 0, NWRITE, 0x11), 0);
	write_pages(p, 0, NPARENT, 0x33);
	flags[PARENT_WROTE] = 1;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		describe_status("child", status);
	CHECK_EQ(bad_pages(p, 0, NPARENT, 0x33), 0);
	CHECK_EQ(bad_pages(p, NPARENT, NWRITE, 0x11), 0);
	/* Untouched pages: the parent's marks survived the fork. */
	if (poe_wait_idle())
		return;
	poe_stats_now(&s3);
	CHECK_EQ(bad_pages(p, NWRITE, NPAGES, -1), 0);
	write_pages(p, NWRITE, NPAGES, 0x44);
	poe_stats_now(&s4);

	if (poe_wait_pending() || poe_wait_idle())
		return;
	meminfo(&m1);
	poe_stats_now(&s5);
	diag("round %d (%s): %lu hits writing %lu pages, %lu pending at the fork, "
	     "%lu after it; error recoveries +%lu; %lu hits on the %lu untouched "
	     "pages after it",
	     r, child_works ? "child writes" : "child exits at once",
	     s1.hits - s0.hits, NWRITE, s1.proc_pending, s2.proc_pending,
	     s2.error_recoveries - s0.error_recoveries, s4.hits - s3.hits,
	     NPAGES - NWRITE);
	CHECK_EQ(s2.proc_pending, 0);
	CHECK(s1.hits - s0.hits > 0);
	rounds_pending += s1.proc_pending > 0;
	CHECK(s4.hits - s3.hits > 0);
	CHECK_EQ(s5.proc_rss - s0.proc_rss, NPAGES);
	diag("round %d: rss +%lu, free pages %lu -> %lu (-%ld), page tables %+ld",
	     r, s5.proc_rss - s0.proc_rss, m0.free_pages, m1.free_pages,
	     (long)(m0.free_pages - m1.free_pages),
	     (long)(s5.proc_nr_pgtables - s0.proc_nr_pgtables));
	CHECK_EQ((long)(m0.free_pages - m1.free_pages),
		 (long)(NPAGES + s5.proc_nr_pgtables - s0.proc_nr_pgtables));
	CHECK_EQ(bad_pages(p, 0, NPARENT, 0x33), 0);
	CHECK_EQ(bad_pages(p, NPARENT, NWRITE, 0x11), 0);
	CHECK_EQ(bad_pages(p, NWRITE, NPAGES, 0x44), 0);

	CHECK_EQ(munmap(p, NPAGES * PAGE), 0);
	if (poe_wait_idle())
		return;
	poe_stats_now(&s2);
	meminfo(&m2);
	CHECK_EQ(s2.proc_rss, s0.proc_rss);
	diag("round %d: after munmap free pages %+ld, page tables -%ld", r,
	     (long)(m2.free_pages - m0.free_pages),
	     (long)(s0.proc_nr_pgtables - s2.proc_nr_pgtables));
	CHECK_EQ((long)(m2.free_pages - m0.free_pages),
		 (long)(s0.proc_nr_pgtables - s2.proc_nr_pgtables));
}

int main(void)
{
	int status;

	poe_require();
	flags = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(flags != MAP_FAILED);
	if (flags == MAP_FAILED)
		return utest_done();
	/* A fork first: kernel caches it fills are part of the baselines. */
	status = run_child(utest_exit_7, NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	for (int r = 0; r < ROUNDS; r++)
		round_(r, r % 2 == 0);
	diag("%d of %d rounds forked with used entries pending", rounds_pending,
	     ROUNDS);
	CHECK(rounds_pending > 0);
	return utest_done();
}
