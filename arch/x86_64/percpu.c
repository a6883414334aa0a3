/*
 * percpu.c - setting up per-CPU data (include/kernel/percpu.h). Kernel
 * code reaches its CPU's struct percpu through GS.base (MSR 0xc0000101);
 * while a CPU runs user code the user's GS.base is live and the kernel's
 * waits in KERNEL_GS_BASE, and swapgs exchanges them on every entry and
 * exit (trap_entry.asm, syscall_entry.asm). The offsets those stubs use
 * are in asm/percpu.inc, checked against the struct by percpu.h.
 */
#include <kernel/percpu.h>
#include <asm/cpu.h>

#define MSR_GS_BASE	   0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

static struct percpu percpu_areas[NR_CPUS];

void percpu_init(int cpu)
{
	struct percpu *p = &percpu_areas[cpu];

	p->self = p;
	p->cpu = cpu;
	wrmsr(MSR_GS_BASE, (u64)p);
	wrmsr(MSR_KERNEL_GS_BASE, 0); /* the user's GS.base until set */
}

struct percpu *per_cpu_area(int cpu)
{
	return &percpu_areas[cpu];
}
