/*
 * t_smp_poe_exit - a process exits with used POE entries pending in
 * several CPUs' tables, and the free-page count still comes back to its
 * baseline exactly (the patent's error handling scans every CPU's table:
 * docs/poe.md, docs/concurrency.md).
 *
 *   t_smp_poe_exit [ROUNDS]     (default 10)
 *
 * As t_poe_exit, but each child runs one thread per allowed CPU (up to
 * four), pinned there, and each thread writes its own slice of a warm POE
 * region, so that each takes pages from its own CPU's table; the child
 * then _exits with those entries still used. It enables POE with
 * POE_ENABLE_DEFER_POSTFAULT, so the post-fault work leaves them to the
 * error handling at exit in every round, whenever the workers run. The
 * parent keeps POE on so the tables stay, and after every round, once
 * the tables are full again, the free-page count must equal the
 * baseline. POE is ours: on Linux the test skips.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_smp_poe_exit"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"
#include "smp_util.h"
#include <private.h>
#include <sched.h>
#include <sys/syscall.h>
#include <thread.h>

#define MAX_THREADS 4
#define SLICE	    16UL /* pages per thread */

struct report {
	long hits;    /* fast-path hits while the threads touched */
	long pending; /* used entries right before _exit */
};

static volatile struct report *shared;
static int cpus[64], nr_cpus, nr_threads;
static unsigned char *region;
static int finished; /* atomic */

static void *toucher(void *arg)
{
	long i = (long)arg;
	volatile unsigned char *p = region + i * SLICE * PAGE;

	smp_pin(cpus[i % nr_cpus]);
	for (unsigned long pg = 0; pg < SLICE; pg++)
		p[pg * PAGE] = (unsigned char)(pg + 1);
	__atomic_add_fetch(&finished, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* The child: exit codes other than 0 say which step failed. */
static int child(void *arg)
{
	volatile struct report *r = &shared[(long)arg];
	struct poe_stats s0, s1;
	thread_t t[MAX_THREADS];

	if (poe_enable_flags(POE_ENABLE_DEFER_POSTFAULT))
		return 10;
	region = map_anon(MAX_THREADS * SLICE * PAGE, PROT_READ | PROT_WRITE);
	if (region == MAP_FAILED)
		return 11;
	if (poe_wait_idle())
		return 12;
	if (poe_get_stats(&s0) < 0)
		return 13;
	for (long i = 0; i < nr_threads; i++)
		if (thread_create(&t[i], toucher, (void *)i))
			return 14;
	while (__atomic_load_n(&finished, __ATOMIC_SEQ_CST) < nr_threads) {
		cpu_relax();
		syscall(SYS_sched_yield);
	}
	if (poe_get_stats(&s1) < 0)
		return 15;
	r->hits = (long)(s1.hits - s0.hits);
	r->pending = (long)s1.proc_pending;
	_exit(0); /* at once: threads and pending entries included */
}

/* What the rounds saw. */
struct totals {
	int bad;	  /* rounds that ended off the free-page baseline */
	int with_pending; /* rounds whose child had used entries at exit */
	long pending;	  /* used entries at exit in all children */
	long hits;	  /* fast-path hits in all children */
};

/* One child, then the free-page check; -1 when the tables never settled. */
static int one_round(int r, unsigned long baseline, struct totals *res)
{
	long slot = r % (long)(PAGE / sizeof(struct report));
	struct meminfo m1;
	int status;

	shared[slot].pending = -1;
	status = run_child(child, (void *)slot);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		describe_status("child", status);
		diag("FAIL round %d: the child failed", r);
		utest_failures++;
	}
	if (poe_settle_free(baseline, &m1))
		return -1;
	if (m1.free_pages != baseline && res->bad++ == 0)
		diag("FAIL round %d: free pages %lu, baseline %lu", r,
		     m1.free_pages, baseline);
	res->with_pending += shared[slot].pending > 0;
	res->pending += shared[slot].pending;
	res->hits += shared[slot].hits;
	return 0;
}

int main(int argc, char **argv)
{
	struct poe_stats s0, s1;
	struct meminfo m0;
	struct totals res = { 0 };
	int rounds = 10, status;

	if (argc > 1)
		rounds = atoi(argv[1]);
	if (rounds <= 0) {
		diag("usage: t_smp_poe_exit [ROUNDS > 0]");
		return 2;
	}
	poe_require();
	nr_cpus = smp_cpus(cpus, 64);
	nr_threads = nr_cpus > MAX_THREADS ? MAX_THREADS : nr_cpus;
	if (nr_threads < 2)
		nr_threads = 2;
	shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(shared != MAP_FAILED);
	if (shared == MAP_FAILED)
		return utest_done();
	/* A first round, so that the kernel's caches are in the baseline. */
	status = run_child(child, (void *)0L);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (poe_wait_idle())
		return utest_done();
	poe_sleep_ms(20);
	poe_stats_now(&s0);
	meminfo(&m0);
	diag("%d threads on %d CPU(s); baseline %lu pages free", nr_threads,
	     cpus[0] < 0 ? 0 : nr_cpus, m0.free_pages);
	for (int r = 0; r < rounds; r++)
		if (one_round(r, m0.free_pages, &res))
			return utest_done();
	poe_stats_now(&s1);
	diag("%d rounds: %ld fast-path hits, pending entries at exit in %d "
	     "rounds (%ld in all), error recoveries +%lu",
	     rounds, res.hits, res.with_pending, res.pending,
	     s1.error_recoveries - s0.error_recoveries);
	CHECK_EQ(res.bad, 0);
	CHECK(res.hits > 0);
	/* Every child left entries to error handling, which took them all
	 * (the count is machine-wide: at least these). */
	CHECK_EQ(res.with_pending, rounds);
	CHECK(s1.error_recoveries - s0.error_recoveries >=
	      (unsigned long)res.pending);
	return utest_done();
}
