/*
 * t_smp_fault_race - threads pinned to different CPUs fault the same
 * pages at the same instant; each page is mapped exactly once, with every
 * thread's byte in it (the fault locking: docs/concurrency.md).
 *
 *   t_smp_fault_race [ROUNDS]     (default 8 rounds per mode)
 *
 * Up to four threads (one per allowed CPU, at least two) sleep on a futex
 * until the round starts, meet at a spin barrier, then each writes its own byte, at its own offset, into every
 * page of one fresh region, all in the same order, so that they meet in
 * the same faults. Half the threads read the page first, so that read
 * faults (the zero page) race with write faults too. Rounds run with POE
 * off (the full handler against itself) and then, where POE exists, with
 * POE on and warm (the emulated walker against the walker and the full
 * handler, patent claims 1 and 5: the PTE lock decides).
 *
 * If a page were mapped twice, one thread's byte would sit on a page that
 * is no longer mapped: every byte is checked. On our kernel the free-page
 * count must also fall by exactly the region's size (a double map that
 * leaked a page would show): the region's page table is made before the
 * baseline, by touching a page beside it.
 *
 * The threads use only memory accesses, atomics and raw syscalls (no
 * stdio: under glibc they have no TLS of their own). Runs on Linux too.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_smp_fault_race"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"
#include "smp_util.h"
#include <private.h>
#include <sched.h>
#include <sys/syscall.h>
#include <thread.h>

#define NPAGES	    256UL
#define MAX_THREADS 4
#define QUIT	    (1 << 30)
#define HUGE	    (2UL << 20)

static unsigned char *volatile region;
static volatile int go;		     /* round number + 1; QUIT: leave */
static int arrived, ready, finished; /* atomics */
static int nr_threads, cpus[64], nr_cpus, one_cpu;
static unsigned char *mapping; /* the whole mmap around region */
static unsigned long poe_hits, poe_collisions, poe_rounds;

struct worker_arg {
	int index;
};

static unsigned long offset_of(int index, unsigned long pg)
{
	return (unsigned long)index * 512 + (pg % 256) + 8;
}

static unsigned char value_of(int index, int round, unsigned long pg)
{
	return (unsigned char)(((index + 1) << 5) ^ (round << 2) ^ pg) | 1;
}

static void *worker(void *p)
{
	struct worker_arg *a = p;

	smp_pin(cpus[a->index % nr_cpus]);
	for (int round = 0;; round++) {
		volatile unsigned char *r;

		__atomic_add_fetch(&arrived, 1, __ATOMIC_SEQ_CST);
		smp_wake_all(&arrived);
		for (int g; (g = go) != round + 1 && g != QUIT;)
			smp_wait_while((int *)&go, g, 100);
		if (go == QUIT)
			break;
		/* Everyone awake: now go together. */
		__atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
		while (__atomic_load_n(&ready, __ATOMIC_SEQ_CST) <
		       nr_threads * (round + 1)) {
			cpu_relax();
			if (one_cpu)
				syscall(SYS_sched_yield);
		}
		r = region;
		for (unsigned long pg = 0; pg < NPAGES; pg++) {
			if (a->index & 1)
				(void)r[pg * PAGE + offset_of(a->index, pg)];
			r[pg * PAGE + offset_of(a->index, pg)] =
				value_of(a->index, round, pg);
		}
		__atomic_add_fetch(&finished, 1, __ATOMIC_SEQ_CST);
		smp_wake_all(&finished);
	}
	return (void *)(long)(100 + a->index);
}

/* Is POE on for this process before it asks (poe.always=1)? */
static int poe_already_on(void)
{
	struct poe_stats st;

	memset(&st, 0, sizeof(st));
	return poe_get_stats(&st) == (long)sizeof(st) && st.proc_enabled;
}

/* A fresh region of NPAGES inside one page table, whose page table
 * already exists (a page just before it is touched). */
static unsigned char *fresh_region(void)
{
	unsigned char *m = map_anon(2 * HUGE, PROT_READ | PROT_WRITE);
	unsigned char *base;

	if (m == MAP_FAILED)
		return NULL;
	mapping = m;
	base = (unsigned char *)(((unsigned long)m + HUGE - 1) & ~(HUGE - 1));
	base[0] = 1; /* the anchor: makes the page table */
	return base + PAGE;
}

/* One round; returns 0, or -1 when the threads did not finish. */
static int one_round(int round, int poe, int *rounds_done)
{
	struct meminfo m0, m1;
	struct poe_stats s0, s1;
	unsigned long lost = 0;
	int have_meminfo;

	region = fresh_region();
	CHECK(region != NULL);
	if (!region)
		return -1;
	if (poe && (poe_wait_pending() || poe_wait_idle()))
		return -1;
	if (poe)
		poe_stats_now(&s0);
	have_meminfo = meminfo(&m0) == 0;
	__atomic_store_n(&go, round + 1, __ATOMIC_SEQ_CST);
	smp_wake_all((int *)&go);
	if (smp_wait_count(&finished, nr_threads * (round + 1)) ||
	    smp_wait_count(&arrived, nr_threads * (round + 2))) {
		diag("FAIL round %d: the threads did not finish", round);
		utest_failures++;
		return -1;
	}
	(*rounds_done)++;
	for (unsigned long pg = 0; pg < NPAGES; pg++)
		for (int w = 0; w < nr_threads; w++)
			if (region[pg * PAGE + offset_of(w, pg)] !=
			    value_of(w, round, pg)) {
				if (!lost)
					diag("FAIL round %d (POE %s): page %lu "
					     "lost thread %d's byte",
					     round, poe ? "on" : "off", pg, w);
				lost++;
			}
	CHECK_EQ(lost, 0);
	if (poe && (poe_wait_pending() || poe_wait_idle()))
		return -1;
	if (have_meminfo && meminfo(&m1) == 0) {
		long used = (long)(m0.free_pages - m1.free_pages);

		if (!poe) /* POE refills its tables meanwhile: see rss */
			CHECK_EQ(used, (long)NPAGES);
		if (used != (long)NPAGES && !poe)
			diag("round %d: free pages fell by %ld, want %lu",
			     round, used, NPAGES);
	}
	if (poe && poe_stats_now(&s1) == 0) {
		CHECK_EQ(s1.proc_rss - s0.proc_rss, NPAGES);
		poe_hits += s1.hits - s0.hits;
		poe_collisions += s1.fb_pte_locked - s0.fb_pte_locked;
		poe_rounds++;
	}
	CHECK_EQ(munmap(mapping, 2 * HUGE), 0);
	return 0;
}

int main(int argc, char **argv)
{
	struct worker_arg args[MAX_THREADS];
	thread_t t[MAX_THREADS];
	int rounds = 8, created = 0, round = 0, done = 0;

	if (argc > 1)
		rounds = atoi(argv[1]);
	if (rounds <= 0) {
		diag("usage: t_smp_fault_race [ROUNDS > 0]");
		return 2;
	}
	nr_cpus = smp_cpus(cpus, 64);
	one_cpu = nr_cpus < 2;
	nr_threads = nr_cpus < 2 ?
			     2 :
			     (nr_cpus > MAX_THREADS ? MAX_THREADS : nr_cpus);
	diag("%d threads on %d CPU(s), %lu pages, %d rounds per mode",
	     nr_threads, cpus[0] < 0 ? 0 : nr_cpus, NPAGES, rounds);
	for (int i = 0; i < nr_threads; i++) {
		args[i].index = i;
		if (thread_create(&t[i], worker, &args[i])) {
			diag("FAIL thread_create %d", i);
			utest_failures++;
			break;
		}
		created++;
	}
	if (created < nr_threads || smp_wait_count(&arrived, nr_threads))
		goto out;

	/* Booted with poe.always=1, "off" is on: check it as POE rounds. */
	for (int r = 0; r < rounds; r++, round++) {
		if (one_round(round, poe_already_on(), &done))
			goto out;
		smp_progress(r + 1, rounds);
	}
	if (poe_enable() != 0) {
		diag("POE rounds skipped: poe_enable: %s (not our kernel)",
		     strerror(errno));
		goto out;
	}
	for (int r = 0; r < rounds; r++, round++) {
		if (one_round(round, 1, &done))
			goto out;
		smp_progress(r + 1, rounds);
	}
	diag("POE on: %lu rounds, %lu fast-path hits, %lu PTE-lock "
	     "collisions (a walker met a PTE another path held)",
	     poe_rounds, poe_hits, poe_collisions);
	CHECK(poe_hits > 0);
out:
	__atomic_store_n(&go, QUIT, __ATOMIC_SEQ_CST);
	smp_wake_all((int *)&go);
	for (int i = 0; i < created; i++) {
		void *ret = NULL;

		CHECK_EQ(thread_join(t[i], &ret), 0);
		CHECK_EQ((long)ret, 100 + i);
	}
	diag("%d rounds run", done);
	CHECK(done >= rounds);
	return utest_done();
}
