/*
 * cpumask.h - sets of CPUs, as Linux's <linux/cpumask.h>: one bit per CPU
 * number, NR_CPUS bits in all. The kernel keeps two global masks: the
 * CPUs that exist (cpu_possible_mask, set from the ACPI MADT at boot) and
 * the CPUs that run (cpu_online_mask, set by each CPU as it comes up).
 * There is no CPU hot-unplug: once online, a CPU stays online.
 *
 * The single-bit updates (cpumask_set_cpu, cpumask_clear_cpu) are atomic,
 * as Linux's set_bit(), because masks such as an mm's mm_cpumask() are
 * changed by several CPUs at once; the __ variants are not.
 */
#ifndef KERNEL_CPUMASK_H
#define KERNEL_CPUMASK_H

#include <kernel/compiler.h>
#include <kernel/types.h>

/* The most CPUs the kernel can run on: the size of every per-CPU array.
 * One word of bits, so a mask is copied and tested in one go. */
#define NR_CPUS 16

_Static_assert(NR_CPUS <= 8 * sizeof(unsigned long),
	       "a cpumask is one unsigned long");

struct cpumask {
	unsigned long bits;
};
typedef struct cpumask cpumask_t;

#define CPU_MASK_NONE \
	{             \
		0     \
	}

/* cpumask_set_cpu - add cpu to *m, atomically. Linux's cpumask_set_cpu(). */
static inline void cpumask_set_cpu(int cpu, struct cpumask *m)
{
	__atomic_fetch_or(&m->bits, 1UL << cpu, __ATOMIC_SEQ_CST);
}

/* cpumask_clear_cpu - remove cpu from *m, atomically. Linux's. */
static inline void cpumask_clear_cpu(int cpu, struct cpumask *m)
{
	__atomic_fetch_and(&m->bits, ~(1UL << cpu), __ATOMIC_SEQ_CST);
}

/* __cpumask_set_cpu - add cpu to *m; not atomic. Linux's. */
static inline void __cpumask_set_cpu(int cpu, struct cpumask *m)
{
	m->bits |= 1UL << cpu;
}

/* __cpumask_clear_cpu - remove cpu from *m; not atomic. Linux's. */
static inline void __cpumask_clear_cpu(int cpu, struct cpumask *m)
{
	m->bits &= ~(1UL << cpu);
}

/* cpumask_test_cpu - is cpu in *m? Linux's cpumask_test_cpu(). */
static inline bool cpumask_test_cpu(int cpu, const struct cpumask *m)
{
	return (READ_ONCE(m->bits) >> cpu) & 1;
}

/* cpumask_clear - empty *m. Linux's. */
static inline void cpumask_clear(struct cpumask *m)
{
	m->bits = 0;
}

/* cpumask_copy - *dst = *src. Linux's. */
static inline void cpumask_copy(struct cpumask *dst, const struct cpumask *src)
{
	dst->bits = READ_ONCE(src->bits);
}

/* cpumask_and - *dst = *a & *b; returns false if the result is empty.
 * Linux's. */
static inline bool cpumask_and(struct cpumask *dst, const struct cpumask *a,
			       const struct cpumask *b)
{
	dst->bits = READ_ONCE(a->bits) & READ_ONCE(b->bits);
	return dst->bits != 0;
}

/* cpumask_empty - no CPU in *m? Linux's. */
static inline bool cpumask_empty(const struct cpumask *m)
{
	return READ_ONCE(m->bits) == 0;
}

/* cpumask_weight - the number of CPUs in *m. Linux's. */
static inline unsigned int cpumask_weight(const struct cpumask *m)
{
	unsigned long bits = READ_ONCE(m->bits);
	unsigned int n = 0;

	for (; bits; bits &= bits - 1) /* no popcnt: the kernel has no libgcc */
		n++;
	return n;
}

/* cpumask_next - the first CPU in *m above n, or NR_CPUS (or more) when
 * none. cpumask_next(-1, m) is the first. Linux's cpumask_next(). */
static inline int cpumask_next(int n, const struct cpumask *m)
{
	unsigned long rest;

	if (n + 1 >= NR_CPUS)
		return NR_CPUS;
	rest = READ_ONCE(m->bits) >> (n + 1);
	return rest ? n + 1 + __builtin_ctzl(rest) : NR_CPUS;
}

/* cpumask_first - the lowest CPU in *m, or NR_CPUS when empty. Linux's. */
static inline int cpumask_first(const struct cpumask *m)
{
	return cpumask_next(-1, m);
}

/* for_each_cpu - cpu runs over the CPUs in *mask, lowest first. Linux's. */
#define for_each_cpu(cpu, mask)                            \
	for ((cpu) = cpumask_first(mask); (cpu) < NR_CPUS; \
	     (cpu) = cpumask_next((cpu), (mask)))

extern struct cpumask __cpu_possible_mask, __cpu_online_mask;
#define cpu_possible_mask ((const struct cpumask *)&__cpu_possible_mask)
#define cpu_online_mask	  ((const struct cpumask *)&__cpu_online_mask)

#define for_each_possible_cpu(cpu) for_each_cpu((cpu), cpu_possible_mask)
#define for_each_online_cpu(cpu)   for_each_cpu((cpu), cpu_online_mask)

/* cpu_online - is cpu running? Linux's cpu_online(). */
static inline bool cpu_online(int cpu)
{
	return cpu >= 0 && cpu < NR_CPUS &&
	       cpumask_test_cpu(cpu, cpu_online_mask);
}

/* num_online_cpus - how many CPUs run. Linux's num_online_cpus(). */
static inline unsigned int num_online_cpus(void)
{
	return cpumask_weight(cpu_online_mask);
}

/* num_possible_cpus - how many CPUs exist. Linux's. */
static inline unsigned int num_possible_cpus(void)
{
	return cpumask_weight(cpu_possible_mask);
}

/*
 * set_cpu_possible, set_cpu_online - add cpu to (or remove it from) the
 * possible or online mask. Boot code only (arch/x86_64/smpboot.c).
 * Linux's set_cpu_possible() and set_cpu_online().
 */
void set_cpu_possible(int cpu, bool possible);
void set_cpu_online(int cpu, bool online);

#endif
