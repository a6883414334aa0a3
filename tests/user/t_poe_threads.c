/*
 * t_poe_threads - two threads that fault the same POEable page map it
 * once (docs/poe.md; the locking rules: docs/concurrency.md).
 *
 * Two threads (<thread.h>, as t_threads) wait at a spin barrier; then
 * each writes its own byte, at its own offset, into every page of the
 * same warm POE region (the pre-fault thread and the refill are done), so
 * both fault the same POEable pages. If a page were mapped twice (once by
 * the fast path, once by the full handler, or twice by either) one
 * thread's byte would be on a page that is no longer mapped. Afterwards
 * every page holds both bytes, and once post-fault work has run the
 * process's rss grew by exactly the number of pages (a double map would
 * count twice) and the free-page count fell by exactly as many.
 *
 * Rounds vary the interleaving: both threads forward, yielding after each
 * page (they take turns page by page) or not (they run until preempted),
 * one forward and one backward, and reads before the writes.
 *
 * With one CPU (NR_CPUS is 1 today) the two can never be inside a fault
 * at the same instant: the walker runs with interrupts off, and the full
 * handler under mm->lock with interrupts off. Here the second thread
 * meets a page the first has just mapped (or is preempted between the
 * two); the PTE-lock race of two CPUs needs SMP to be exercised.
 *
 * The threads only do memory accesses, atomics and raw syscalls (no
 * stdio: under glibc they have no TLS of their own).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_poe_threads"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"
#include <private.h>
#include <sched.h>
#include <sys/syscall.h>
#include <thread.h>

#define NPAGES 48UL
#define ROUNDS 6
#define QUIT   1000

enum {
	YIELD = 1,
	BACKWARD = 2,
	READ_FIRST = 4
};

static const int round_mode[ROUNDS] = {
	0, YIELD, BACKWARD, BACKWARD | YIELD, READ_FIRST, READ_FIRST | YIELD,
};

static unsigned char *volatile region;
static volatile int go;	  /* round number + 1; QUIT: leave */
static int arrived, done; /* atomics */

struct worker_arg {
	int index; /* 0 or 1 */
};

/* offset_of, value_of - where thread index writes in page pg, and what
 * (never 0; it depends on the thread, the round and the page). */
static unsigned long offset_of(int index, unsigned long pg)
{
	return index ? PAGE - 1 - pg : 64 + pg; /* distinct for every page */
}

static unsigned char value_of(int index, int round, unsigned long pg)
{
	return (unsigned char)(((index + 1) << 6) ^ (round << 3) ^ pg) | 1;
}

/* worker - one of the two threads: each round, meet at the barrier, then
 * touch every page of region in the round's mode. */
static void *worker(void *p)
{
	struct worker_arg *a = p;
	int round;

	for (round = 0;; round++) {
		int mode;
		volatile unsigned char *r;

		/* The spin barrier: both threads here, then the go. */
		__atomic_add_fetch(&arrived, 1, __ATOMIC_SEQ_CST);
		while (go != round + 1 && go != QUIT) {
			cpu_relax();
			syscall(SYS_sched_yield);
		}
		if (go == QUIT)
			break;
		while (__atomic_load_n(&arrived, __ATOMIC_SEQ_CST) <
		       2 * (round + 1))
			cpu_relax();
		mode = round_mode[round];
		r = region;
		for (unsigned long i = 0; i < NPAGES; i++) {
			unsigned long pg = (mode & BACKWARD) && a->index ?
						   NPAGES - 1 - i :
						   i;

			if (mode & READ_FIRST)
				(void)r[pg * PAGE + offset_of(a->index, pg)];
			r[pg * PAGE + offset_of(a->index, pg)] =
				value_of(a->index, round, pg);
			if (mode & YIELD)
				syscall(SYS_sched_yield);
		}
		__atomic_add_fetch(&done, 1, __ATOMIC_SEQ_CST);
	}
	return (void *)(long)(100 + a->index);
}

/* Wait (yielding) until *counter reaches want; 0 or -1 after ~5 s. */
static int wait_count(int *counter, int want)
{
	for (long i = 0; i < 5000000L; i++) {
		if (__atomic_load_n(counter, __ATOMIC_SEQ_CST) >= want)
			return 0;
		syscall(SYS_sched_yield);
		if (i % 1000 == 999)
			poe_sleep_ms(1);
	}
	return -1;
}

int main(void)
{
	struct worker_arg args[2] = { { 0 }, { 1 } };
	struct poe_stats s0, s1;
	struct meminfo m0, m1;
	unsigned char *maps[ROUNDS];
	thread_t t[2];
	int created = 0, round, i;

	poe_require();

	/* All regions first: no mmap between a baseline and its check. */
	for (round = 0; round < ROUNDS; round++) {
		maps[round] = map_anon(NPAGES * PAGE, PROT_READ | PROT_WRITE);
		CHECK(maps[round] != MAP_FAILED);
		if (maps[round] == MAP_FAILED)
			return utest_done();
	}
	for (i = 0; i < 2; i++) {
		int e = thread_create(&t[i], worker, &args[i]);

		if (e) {
			diag("FAIL thread_create %d: %s", i, strerror(e));
			utest_failures++;
			break;
		}
		created++;
	}
	if (created < 2)
		goto out;
	/* Both threads at the first barrier (their stacks are touched). */
	if (wait_count(&arrived, 2)) {
		diag("FAIL the threads did not reach the barrier");
		utest_failures++;
		goto out;
	}
	diag("two threads at the barrier; %lu pages per round, %d rounds",
	     NPAGES, ROUNDS);

	for (round = 0; round < ROUNDS; round++) {
		unsigned long lost = 0, hits;
		long used;

		region = maps[round];
		if (poe_wait_pending() || poe_wait_idle())
			break;
		poe_stats_now(&s0);
		meminfo(&m0);
		__atomic_store_n(&go, round + 1, __ATOMIC_SEQ_CST);
		if (wait_count(&done, 2 * (round + 1)) ||
		    wait_count(&arrived, 2 * (round + 2))) {
			diag("FAIL round %d: the threads did not finish",
			     round);
			utest_failures++;
			break;
		}
		/* Every page holds both threads' bytes. */
		for (unsigned long pg = 0; pg < NPAGES; pg++)
			for (int w = 0; w < 2; w++)
				if (region[pg * PAGE + offset_of(w, pg)] !=
				    value_of(w, round, pg)) {
					if (!lost)
						diag("FAIL round %d: page %lu lost thread "
						     "%d's byte",
						     round, pg, w);
					lost++;
				}
		CHECK_EQ(lost, 0);
		if (poe_wait_pending() || poe_wait_idle())
			break;
		poe_stats_now(&s1);
		meminfo(&m1);
		hits = s1.hits - s0.hits;
		used = (long)(m0.free_pages - m1.free_pages);
		diag("round %d (mode %d): %lu fast-path hits, %lu pte-locked "
		     "fall-backs, rss +%lu, free pages -%ld",
		     round, round_mode[round], hits,
		     s1.fb_pte_locked - s0.fb_pte_locked,
		     s1.proc_rss - s0.proc_rss, used);
		CHECK_EQ(s1.proc_rss - s0.proc_rss, NPAGES);
		CHECK_EQ(used, NPAGES);
		CHECK(hits <= NPAGES);
		CHECK(hits > 0);
	}
out:
	__atomic_store_n(&go, QUIT, __ATOMIC_SEQ_CST);
	for (i = 0; i < created; i++) {
		void *ret = NULL;

		CHECK_EQ(thread_join(t[i], &ret), 0);
		CHECK_EQ((long)ret, 100 + i);
	}
	for (round = 0; round < ROUNDS; round++)
		munmap(maps[round], NPAGES * PAGE);
	return utest_done();
}
