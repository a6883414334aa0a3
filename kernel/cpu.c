/*
 * cpu.c - the possible and online CPU masks (include/kernel/cpumask.h),
 * as Linux's kernel/cpu.c keeps them. The boot CPU is both from the
 * start; arch/x86_64/smpboot.c adds the others.
 */
#include <kernel/cpumask.h>

struct cpumask __cpu_possible_mask = { 1UL };
struct cpumask __cpu_online_mask = { 1UL };

void set_cpu_possible(int cpu, bool possible)
{
	if (possible)
		cpumask_set_cpu(cpu, &__cpu_possible_mask);
	else
		cpumask_clear_cpu(cpu, &__cpu_possible_mask);
}

void set_cpu_online(int cpu, bool online)
{
	if (online)
		cpumask_set_cpu(cpu, &__cpu_online_mask);
	else
		cpumask_clear_cpu(cpu, &__cpu_online_mask);
}
