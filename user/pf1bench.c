/*
 * pf1bench - will-it-scale's page_fault1, the page-fault throughput test
 * the POE patent's evaluation and Linux's mm scalability work both use:
 * each of N tasks, in a loop, maps 128 MiB of anonymous private memory,
 * writes one byte per page (one first-touch fault each), and unmaps it.
 * How we measure: docs/testing.md.
 *
 *   pf1bench [--threads | --processes | --both] [--tasks N] [--iters K]
 *            [--mib M] [--poe]
 *
 *   --threads    N threads of one process: one mm, so every fault takes
 *                the same address space's locks (default)
 *   --processes  N processes: N mms, nothing shared but the allocator
 *   --both       threads, then processes, in one run
 *   --tasks N    tasks (default 1); task i is pinned to the i-th CPU it
 *                may run on (sched_setaffinity), modulo their number
 *   --iters K    map/touch/unmap rounds per task (default 4)
 *   --mib M      the mapping's size (default 128, as will-it-scale)
 *   --poe        poe_enable() first (in each process): faults take the
 *                POE fast path where the tables have pages. Fails (exit
 *                1) where POE is missing, as on Linux.
 *
 * The time is the wall clock (CLOCK_MONOTONIC) from the moment every task
 * is ready until the last one finishes; the tasks start together (they
 * spin on a shared flag), so the rate is the machine's, not one task's.
 * Each task does one untimed round before it is ready (see task_body).
 *
 * Output contract (whole lines, one write(2) each):
 *   PF1,info,<key>=<value>,...
 *   PF1,row,<threads|processes>,<tasks>,<poe 0|1>,<iters>,<faults>,
 *           <elapsed_ns>,<faults_per_s>
 *   PF1,done        (the last line)
 * Exit status 0, or 1 when a task failed (the reason is printed).
 *
 * Builds against our libc (user.mk) and statically against glibc for the
 * Linux runs of `make bench-smp` (tools/bench-linux.sh), where it is /init
 * and powers the VM off at the end.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <poe.h>
#include <thread.h>
#include "bench_util.h"

#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE 15
#endif
#define SYS_SCHED_SETAFFINITY 203
#define SYS_SCHED_GETAFFINITY 204
#define PAGE		      4096UL
#define MAX_TASKS	      64

/* Shared by every task: MAP_SHARED, so forked processes see it too. */
struct shared {
	volatile int ready;   /* tasks waiting at the start line */
	volatile int go;      /* set once all are ready */
	volatile int failed;  /* a task's error number, or 0 */
	volatile long faults; /* pages touched, all tasks */
};

static struct shared *sh;
static int nr_tasks = 1, iters = 4, use_poe;
static int modes = 1; /* bit 0: threads, bit 1: processes */
static bool poe_on;   /* this process enabled POE already */
static unsigned long bytes = 128UL << 20;
static int cpus[MAX_TASKS], nr_cpus;

static void __attribute__((format(printf, 1, 2))) emit(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bench_vemit(fmt, ap);
	va_end(ap);
}

static void __attribute__((noreturn)) finish(int status)
{
	emit("PF1,done");
	bench_exit(status);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The CPUs this process may run on, from sched_getaffinity(2). */
static void read_cpus(void)
{
	unsigned long mask[16];
	long n = syscall(SYS_SCHED_GETAFFINITY, 0, sizeof(mask), mask);

	nr_cpus = 0;
	if (n <= 0) {
		emit("PF1,info,affinity=none,reason=%s", strerror(errno));
		cpus[nr_cpus++] = -1; /* unpinned */
		return;
	}
	for (long i = 0; i < n * 8 && nr_cpus < MAX_TASKS; i++)
		if (mask[i / 64] >> (i % 64) & 1)
			cpus[nr_cpus++] = (int)i;
}

static int pin(int task)
{
	int cpu = cpus[task % nr_cpus];
	unsigned long mask[16] = { 0 };

	if (cpu < 0)
		return 0;
	mask[cpu / 64] = 1UL << (cpu % 64);
	/* pid 0: the calling thread, which is what we want per task */
	return syscall(SYS_SCHED_SETAFFINITY, 0, sizeof(mask), mask) ? errno :
								       0;
}

/* One page_fault1 round: map, write one byte per page, unmap. */
static int round_trip(void)
{
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return errno ? errno : ENOMEM;
	madvise(p, bytes, MADV_NOHUGEPAGE); /* 4 KiB faults on Linux */
	for (unsigned long off = 0; off < bytes; off += PAGE)
		p[off] = 1;
	return munmap(p, bytes) ? (errno ? errno : EINVAL) : 0;
}

/*
 * One task: an untimed round first, then wait for the start, then the
 * timed rounds. The untimed round is there because under QEMU the host
 * backs guest RAM lazily: the first touch of a guest page costs a host
 * page fault, which would be charged to whichever mode ran first.
 */
static int task_body(int task)
{
	int err = pin(task);

	if (!err)
		err = round_trip();
	if (err)
		return err;
	__atomic_fetch_add(&sh->ready, 1, __ATOMIC_SEQ_CST);
	while (!sh->go)
		__asm__ __volatile__("pause");
	for (int i = 0; i < iters; i++) {
		err = round_trip();
		if (err)
			return err;
	}
	__atomic_fetch_add(&sh->faults, (long)(iters * (bytes / PAGE)),
			   __ATOMIC_SEQ_CST);
	return 0;
}

static void *thread_fn(void *arg)
{
	int err = task_body((int)(intptr_t)arg);

	if (err)
		sh->failed = err;
	return NULL;
}

static void wait_ready(void)
{
	while (sh->ready < nr_tasks && !sh->failed)
		__asm__ __volatile__("pause");
}

static int run_threads(uint64_t *elapsed)
{
	thread_t t[MAX_TASKS];
	uint64_t t0;
	int n = 0, err = 0;

	for (; n < nr_tasks; n++) {
		err = thread_create(&t[n], thread_fn, (void *)(intptr_t)n);
		if (err)
			break;
	}
	if (!err)
		wait_ready();
	t0 = now_ns();
	sh->go = 1;
	for (int i = 0; i < n; i++)
		thread_join(t[i], NULL);
	*elapsed = now_ns() - t0;
	return err ? err : sh->failed;
}

static int run_processes(uint64_t *elapsed)
{
	pid_t pid[MAX_TASKS];
	uint64_t t0;
	int n = 0, err = 0;

	for (; n < nr_tasks; n++) {
		pid[n] = fork();
		if (pid[n] == 0) {
			int e = use_poe && poe_enable() ? errno : 0;

			if (!e)
				e = task_body(n);
			if (e)
				sh->failed = e;
			_exit(e ? 1 : 0);
		}
		if (pid[n] < 0) {
			err = errno;
			break;
		}
	}
	if (!err)
		wait_ready();
	t0 = now_ns();
	sh->go = 1;
	for (int i = 0; i < n; i++) {
		int status;

		if (waitpid(pid[i], &status, 0) != pid[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			err = err ? err : (sh->failed ? sh->failed : ECHILD);
	}
	*elapsed = now_ns() - t0;
	return err ? err : sh->failed;
}

/* One measurement in one mode; prints its PF1,row. Returns 0 or 1. */
static int run_mode(bool threads)
{
	uint64_t elapsed = 0;
	int err;

	memset(sh, 0, sizeof(*sh));
	emit("PF1,info,cpus=%d,tasks=%d,mode=%s,mib=%lu,iters=%d,poe=%d",
	     cpus[0] < 0 ? 0 : nr_cpus, nr_tasks,
	     threads ? "threads" : "processes", bytes >> 20, iters, use_poe);
	if (use_poe && threads && !poe_on) {
		if (poe_enable()) {
			emit("pf1bench: poe_enable: %s (POE is this kernel's)",
			     strerror(errno));
			return 1;
		}
		poe_on = true;
	}
	err = threads ? run_threads(&elapsed) : run_processes(&elapsed);
	if (err) {
		emit("pf1bench: a task failed: %s", strerror(err));
		return 1;
	}
	emit("PF1,row,%s,%d,%d,%d,%ld,%llu,%llu",
	     threads ? "threads" : "processes", nr_tasks, use_poe, iters,
	     sh->faults, (unsigned long long)elapsed,
	     (unsigned long long)(elapsed ? (uint64_t)sh->faults *
						    1000000000ULL / elapsed :
					    0));
	return 0;
}

static long arg_long(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end || v < lo || v > hi) {
		emit("pf1bench: %s must be %ld..%ld, not '%s'", what, lo, hi,
		     s);
		finish(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	int status = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--threads"))
			modes = 1;
		else if (!strcmp(argv[i], "--processes"))
			modes = 2;
		else if (!strcmp(argv[i], "--both"))
			modes = 3;
		else if (!strcmp(argv[i], "--poe"))
			use_poe = 1;
		else if (!strcmp(argv[i], "--tasks") && i + 1 < argc)
			nr_tasks = (int)arg_long(argv[++i], 1, MAX_TASKS,
						 "--tasks");
		else if (!strcmp(argv[i], "--iters") && i + 1 < argc)
			iters = (int)arg_long(argv[++i], 1, 1000000, "--iters");
		else if (!strcmp(argv[i], "--mib") && i + 1 < argc)
			bytes = (unsigned long)arg_long(argv[++i], 1, 65536,
							"--mib")
				<< 20;
		else {
			emit("usage: pf1bench [--threads | --processes | "
			     "--both] "
			     "[--tasks N] [--iters K] [--mib M] [--poe]");
			finish(2);
		}
	}
	sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		emit("pf1bench: mmap of the shared page: %s", strerror(errno));
		finish(1);
	}
	read_cpus();
	if (modes & 1)
		status |= run_mode(true);
	if (modes & 2)
		status |= run_mode(false);
	finish(status);
}
