/*
 * smp.h (host) - the one thing the host unit tests need of
 * include/kernel/smp.h: smp_processor_id(), which the kernel reads through
 * GS (a fault in a host process). Here it is host_cpu, which a test sets
 * to play several CPUs in turn, e.g. to fill two CPUs' per-CPU page lists
 * (mm/page_alloc.c). Replaces include/kernel/smp.h.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <kernel/cpumask.h> /* NR_CPUS */

extern int host_cpu; /* 0 .. NR_CPUS - 1; host_shim.c; starts at 0 */

static inline int smp_processor_id(void)
{
	return host_cpu;
}

#endif
