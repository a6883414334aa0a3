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
 */
#ifndef SMP_UTIL_H
#define SMP_UTIL_H

#include <unistd.h>

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

#endif
