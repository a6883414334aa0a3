/*
 * t_smp_fork_race - fork while sibling threads on other CPUs keep writing:
 * the child's copy-on-write memory is a snapshot that nothing in the
 * parent changes afterwards (fork write-protects the parent's pages and
 * must flush every CPU that runs the parent: docs/concurrency.md).
 *
 *   t_smp_fork_race [ROUNDS]     (default 30 forks)
 *
 * Writer threads, pinned to CPUs other than the forking thread's when
 * there are several, each increment a counter in their own page of a
 * shared-by-threads private region, without pause. The main thread forks.
 * In the child only the main thread exists, so nobody there writes the
 * region: the child reads every counter, lets time pass (yielding while
 * the parent's writers run on), and reads them again; they must not have
 * moved. A writer CPU that kept a writable TLB entry across the fork
 * would keep writing into the page the child now shares, and the child
 * would see it move. The parent's counters must keep rising (its writes
 * go to its own copies after the COW fault), and the threads are joined.
 * Runs on Linux too.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_smp_fork_race"
#include "utest.h"
#include "mm_util.h"
#include "smp_util.h"
#include <sched.h>
#include <sys/syscall.h>
#include <thread.h>
#include <time.h>

#define MAX_WRITERS 3

static volatile unsigned long *pages; /* one counter per page */
static volatile int stop;
static int started; /* atomic */
static int cpus[64], nr_cpus, nr_writers;

static void *writer(void *arg)
{
	long i = (long)arg;
	volatile unsigned long *c = pages + i * (PAGE / sizeof(long));

	smp_pin(cpus[(i + 1) % nr_cpus]);
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	while (!stop)
		(*c)++;
	return NULL;
}

static long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

/* The child: 0 when its snapshot stayed still, 1 when it moved. */
static int child(void *arg)
{
	unsigned long before[MAX_WRITERS] = { 0 };

	(void)arg;
	for (int i = 0; i < nr_writers; i++)
		before[i] = pages[i * (PAGE / sizeof(long))];
	/* Let the parent's writers run on for 2 ms; with one CPU a yield
	 * may give them a whole slice, so count time, not yields. */
	for (long t0 = now_us(); now_us() - t0 < 2000;)
		syscall(SYS_sched_yield);
	for (int i = 0; i < nr_writers; i++)
		if (pages[i * (PAGE / sizeof(long))] != before[i])
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	thread_t t[MAX_WRITERS];
	int rounds = 30, created = 0, moved = 0;
	unsigned long last[MAX_WRITERS] = { 0 };

	if (argc > 1)
		rounds = atoi(argv[1]);
	if (rounds <= 0) {
		diag("usage: t_smp_fork_race [ROUNDS > 0]");
		return 2;
	}
	nr_cpus = smp_cpus(cpus, 64);
	nr_writers = nr_cpus < 2 ? 1 :
				   (nr_cpus - 1 > MAX_WRITERS ? MAX_WRITERS :
								nr_cpus - 1);
	smp_pin(cpus[0]);
	pages = map_anon(MAX_WRITERS * PAGE, PROT_READ | PROT_WRITE);
	CHECK(pages != MAP_FAILED);
	if (pages == MAP_FAILED)
		return utest_done();
	diag("%d writer(s) on %d CPU(s), %d forks", nr_writers,
	     cpus[0] < 0 ? 0 : nr_cpus, rounds);
	for (long i = 0; i < nr_writers; i++) {
		if (thread_create(&t[i], writer, (void *)i)) {
			diag("FAIL thread_create %ld", i);
			utest_failures++;
			break;
		}
		created++;
	}
	while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < created) {
		cpu_relax();
		syscall(SYS_sched_yield);
	}
	for (int r = 0; r < rounds && created == nr_writers;
	     smp_progress(++r, rounds)) {
		int status = run_child(child, NULL);

		if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
			if (moved++ == 0) {
				describe_status("child", status);
				diag("FAIL fork %d: the child's copy changed after "
				     "the fork",
				     r);
			}
		}
		for (int i = 0; i < nr_writers; i++) {
			unsigned long now = pages[i * (PAGE / sizeof(long))];

			CHECK(now >= last[i]);
			last[i] = now;
		}
	}
	CHECK_EQ(moved, 0);
	stop = 1;
	for (int i = 0; i < created; i++)
		CHECK_EQ(thread_join(t[i], NULL), 0);
	for (int i = 0; i < created; i++)
		CHECK(pages[i * (PAGE / sizeof(long))] > 0);
	return utest_done();
}
