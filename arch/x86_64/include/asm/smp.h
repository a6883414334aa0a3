/*
 * smp.h - the x86 side of SMP: the real-mode trampoline secondary CPUs
 * start in (arch/x86_64/trampoline.asm), their bring-up
 * (arch/x86_64/smpboot.c) and the IPI vectors and handlers
 * (arch/x86_64/smp.c). The generic interface is <kernel/smp.h>;
 * docs/smp.md tells the whole sequence.
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <kernel/cpumask.h>
#include <kernel/types.h>

/*
 * The page the trampoline is copied to: below 1 MiB (a SIPI vector is a
 * page number from 0x01 to 0xff), free RAM on every PC, and inside the
 * first MiB that memblock never hands out. trampoline.asm has the same
 * number; smpboot.c checks that they agree.
 */
#define TRAMPOLINE_PHYS 0x8000UL

/*
 * struct trampoline_data - what the boot CPU writes into the trampoline's
 * copy for the CPU it is about to start (the tail of trampoline.asm, at
 * the same offsets).
 */
struct trampoline_data {
	u32 base;	/* TRAMPOLINE_PHYS, as assembled */
	u32 cpu;	/* the CPU number being started */
	u64 stack;	/* top of its idle task's stack */
	u64 kernel_cr3; /* the kernel's page tables (init_pgd_phys) */
	u32 efer_nx;	/* 1: set EFER.NXE before paging is on */
	u32 reserved;
};

/*
 * smp_reserve_trampoline - keep the trampoline's page (TRAMPOLINE_PHYS)
 * from every allocator. Call after memblock_init(), before mm_init().
 */
void smp_reserve_trampoline(void);

/* The trampoline blob and its data tail (labels in trampoline.asm). */
extern const char trampoline_start[], trampoline_end[];
extern const struct trampoline_data trampoline_data;

/*
 * IPI vectors, Linux's numbers (arch/x86/include/asm/irq_vectors.h): in
 * the highest priority class, above the timer (32), so that a CPU whose
 * TPR is 0 takes them before any device interrupt.
 */
#define CALL_FUNCTION_VECTOR 0xfc
#define RESCHEDULE_VECTOR    0xfd

/* The local APIC ID of each CPU number, from the ACPI MADT (boot CPU
 * first). Linux's x86_cpu_to_apicid. Valid for possible CPUs. */
extern u32 x86_cpu_to_apicid[NR_CPUS];

/*
 * start_secondary - a secondary CPU's first C code, called by
 * trampoline.asm on its idle task's stack with the kernel's page tables
 * loaded and interrupts off: loads its GDT, TSS, IDT and GS, turns on the
 * boot CPU's CR0/CR4/EFER features, the syscall MSRs and its LAPIC timer,
 * marks itself online and ends in cpu_startup_entry(). Never returns.
 * Linux's start_secondary().
 */
void start_secondary(int cpu) __attribute__((noreturn));

/*
 * smp_reschedule_interrupt - the reschedule IPI's handler (interrupts
 * off): sets need_resched and counts the IPI. The caller sends the EOI
 * and then lets preempt_check() act on it. Linux's
 * sysvec_reschedule_ipi().
 */
void smp_reschedule_interrupt(void);

/*
 * smp_call_function_interrupt - the call-function IPI's handler
 * (interrupts off): runs the function another CPU's
 * smp_call_function_many() posted for this one. Sends its own EOI.
 * Linux's sysvec_call_function().
 */
void smp_call_function_interrupt(void);

/* smp_resched_ipi_count - reschedule IPIs CPU cpu has taken since boot
 * (0 <= cpu < NR_CPUS). Linux counts them in irq_stat.irq_resched_count. */
unsigned long smp_resched_ipi_count(int cpu);

#endif
