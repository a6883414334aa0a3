/*
 * smp_util.h - CPU pinning for the SMP tests (tests/user/t_smp_*.c).
 * Include after utest.h. Raw sched_getaffinity(2)/sched_setaffinity(2)
 * (numbers 204/203, as on Linux), so the tests build the same against
 * our libc and glibc.
 *
 *   smp_cpus(cpus, max)  the CPUs this thread may run on, lowest first,
 *                        into cpus[]; returns how many (1 with cpus[0] =
 *                        -1 when the call is missing: run unpinned)
 *   smp_pin(cpu)         run the calling thread on cpu only (cpu < 0: do
 *                        nothing); 0, or an errno value
 *   smp_progress(done, total)  after round done of total: a diag line at
 *                        each tenth of a long run (1,000 rounds or more),
 *                        so that a run that stops can be told from a
 *                        slow one (make test-smp-race)
 *   smp_wait_while(word, val, ms)  sleep in futex(FUTEX_WAIT) while
 *                        *word == val, at most ms milliseconds; returns
 *                        at once when *word already differs
 *   smp_wake_all(word)   futex(FUTEX_WAKE) every sleeper on word
 *   smp_wait_count(counter, want)  sleep until *counter >= want; -1
 *                        after 60 s without progress
 *
 * Waiting threads sleep rather than spin: with more vCPUs than host
 * cores, a spinning vCPU takes the host core that the thread it waits
 * for needs (and a guest CPU shared with a spinner only switches at the
 * next tick).
 */
#ifndef SMP_UTIL_H
#define SMP_UTIL_H

#include <limits.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef FUTEX_WAIT
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#endif

#define SMP_NR_SETAFFINITY 203
#define SMP_NR_GETAFFINITY 204
#define SMP_MASK_WORDS	   16 /* 1024 CPUs: glibc's cpu_set_t */

static inline int smp_cpus(int *cpus, int max)
{
	unsigned long mask[SMP_MASK_WORDS] = { 0 };
	long bytes = syscall(SMP_NR_GETAFFINITY, 0, sizeof(mask), mask);
	int n = 0;

	if (bytes <= 0) {
		cpus[0] = -1;
		return 1;
	}
	for (long i = 0; i < bytes * 8 && n < max; i++)
		if ((mask[i / 64] >> (i % 64)) & 1)
			cpus[n++] = (int)i;
	return n;
}

static inline int smp_pin(int cpu)
{
	unsigned long mask[SMP_MASK_WORDS] = { 0 };

	if (cpu < 0)
		return 0;
	mask[cpu / 64] = 1UL << (cpu % 64);
	return syscall(SMP_NR_SETAFFINITY, 0, sizeof(mask), mask) ? errno : 0;
}

static inline void smp_progress(long done, long total)
{
	if (total >= 1000 && done % (total / 10) == 0)
		diag("progress: %ld of %ld rounds", done, total);
}

static inline void smp_wait_while(int *word, int val, long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	syscall(SYS_futex, word, FUTEX_WAIT, val, &ts, (void *)0, 0);
}

static inline void smp_wake_all(int *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, (void *)0, (void *)0, 0);
}

/* smp_wait_count: sleep until *counter >= want (bumped with atomics and
 * smp_wake_all()); -1 after 60 s without any progress. */
static inline int smp_wait_count(int *counter, int want)
{
	int v, last = -1, idle = 0;

	while ((v = __atomic_load_n(counter, __ATOMIC_SEQ_CST)) < want) {
		if (v != last) {
			last = v;
			idle = 0;
		} else if (++idle > 600) {
			return -1;
		}
		smp_wait_while(counter, v, 100);
	}
	return 0;
}

#endif
