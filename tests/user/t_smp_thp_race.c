/*
 * t_smp_thp_race - threads pinned to different CPUs fault the same
 * 2 MiB huge-page range at the same instant, while one of them splits
 * the huge page under the others; every thread's byte must be in every
 * page afterwards (docs/thp.md: the huge fault, the huge zero page and
 * split_huge_pmd() under page_table_lock).
 *
 *   t_smp_thp_race [ROUNDS]     (default 8)
 *
 * Each round maps a fresh 2 MiB-aligned range with MADV_HUGEPAGE. Up to
 * four threads (one per allowed CPU, at least two) meet at a barrier,
 * then each writes its own byte, at its own offset, into every 4 KiB
 * page of the range, in the same order, so that they meet in the same
 * faults: the first write of each maps the whole 2 MiB (or loses the
 * race for the empty pmd and retries). In odd rounds odd threads read
 * each page first, so that the huge zero page races with the huge write
 * fault, and a write to the zero page splits it; in even rounds every
 * thread writes, so that the split below meets a real huge page. Thread 0, half-way through,
 * advises one page in the middle MADV_NOHUGEPAGE: the VMA is cut there,
 * and the huge pmd split into PTEs (Linux's vma_adjust_trans_huge(),
 * ours split_at_edges()) while the others write.
 *
 * A page mapped twice, or a split that lost a PTE, would leave a
 * thread's byte on a page no longer mapped: every byte is checked. On
 * our kernel the free-page count must come back after each round's
 * munmap. Only memory accesses, atomics and raw syscalls in the
 * threads. Runs on Linux too (THP mode madvise or always; skipped with
 * never).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_smp_thp_race"
#include "utest.h"
#include "mm_util.h"
#include "smp_util.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/syscall.h>
#include <thread.h>

#define MADV_HUGEPAGE_	 14 /* Linux's MADV_HUGEPAGE */
#define MADV_NOHUGEPAGE_ 15 /* Linux's MADV_NOHUGEPAGE */
#define HUGE		 (2UL << 20)
#define NPAGES		 (HUGE / PAGE)
#define MAX_THREADS	 4
#define QUIT		 (1 << 30)

static unsigned char *volatile region;
static volatile int go;		     /* round number + 1; QUIT: leave */
static int arrived, ready, finished; /* atomics */
static int nr_threads, cpus[64], nr_cpus, one_cpu;
static int split_errors; /* madvise failures seen by thread 0 */

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
		__atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
		while (__atomic_load_n(&ready, __ATOMIC_SEQ_CST) <
		       nr_threads * (round + 1)) {
			cpu_relax();
			if (one_cpu)
				syscall(SYS_sched_yield);
		}
		r = region;
		for (unsigned long pg = 0; pg < NPAGES; pg++) {
			if ((a->index & 1) && (round & 1))
				(void)r[pg * PAGE + offset_of(a->index, pg)];
			r[pg * PAGE + offset_of(a->index, pg)] =
				value_of(a->index, round, pg);
			/* Half-way: cut the VMA inside the huge page. */
			if (a->index == 0 && pg == NPAGES / 2 &&
			    syscall(SYS_madvise, (void *)(r + 300 * PAGE), PAGE,
				    MADV_NOHUGEPAGE_) != 0)
				__atomic_add_fetch(&split_errors, 1,
						   __ATOMIC_SEQ_CST);
		}
		__atomic_add_fetch(&finished, 1, __ATOMIC_SEQ_CST);
		smp_wake_all(&finished);
	}
	return (void *)(long)(100 + a->index);
}

/* The THP mode, as t_thp reads it: Linux's sysfs file, else our
 * command line's transparent_hugepage=, else madvise. */
static int thp_never(void)
{
	char buf[256] = { 0 };
	int fd = open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY);

	if (fd >= 0) {
		long n = read(fd, buf, sizeof(buf) - 1);

		close(fd);
		return n > 0 && strstr(buf, "[never]") != NULL;
	}
	fd = open("/proc/cmdline", O_RDONLY);
	if (fd < 0)
		return 0;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	return strstr(buf, "transparent_hugepage=never") != NULL;
}

/* One round; returns 0, or -1 when the threads did not finish. */
static int one_round(int round, int *rounds_done)
{
	unsigned char *m = map_anon(2 * HUGE, PROT_READ | PROT_WRITE);
	unsigned long lost = 0;

	CHECK(m != MAP_FAILED);
	if (m == MAP_FAILED)
		return -1;
	region = (unsigned char *)(((unsigned long)m + HUGE - 1) & ~(HUGE - 1));
	CHECK_EQ(madvise(region, HUGE, MADV_HUGEPAGE_), 0);
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
					diag("FAIL round %d: page %lu lost "
					     "thread %d's byte",
					     round, pg, w);
				lost++;
			}
	CHECK_EQ(lost, 0);
	CHECK_EQ(munmap(m, 2 * HUGE), 0);
	return 0;
}

int main(int argc, char **argv)
{
	struct worker_arg args[MAX_THREADS];
	thread_t t[MAX_THREADS];
	int rounds = 8, created = 0, done = 0;
	long before, after;

	if (argc > 1)
		rounds = atoi(argv[1]);
	if (rounds <= 0) {
		diag("usage: t_smp_thp_race [ROUNDS > 0]");
		return 2;
	}
	if (thp_never()) {
		diag("THP mode never: nothing to race");
		return 77;
	}
	nr_cpus = smp_cpus(cpus, 64);
	one_cpu = nr_cpus < 2;
	nr_threads = nr_cpus < 2 ?
			     2 :
			     (nr_cpus > MAX_THREADS ? MAX_THREADS : nr_cpus);
	diag("%d threads on %d CPU(s), %lu pages of one huge page, %d rounds",
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
	/* A first round makes the heap and tables the rounds reuse. */
	before = -1;
	for (int r = 0; r < rounds; r++) {
		if (one_round(r, &done))
			goto out;
		if (r == 0)
			before = settled_free_pages();
		smp_progress(r + 1, rounds);
	}
	after = settled_free_pages();
	if (before >= 0) {
		diag("free pages after the first round %ld, at the end %ld",
		     before, after);
		CHECK_EQ(after, before);
	}
	CHECK_EQ(split_errors, 0);
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
