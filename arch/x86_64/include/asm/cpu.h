/*
 * cpu.h - CPUID, MSRs, control registers and the TSC (arch/x86_64/cpu.c
 * fills boot_cpu with what CPUID reports). Names follow Linux's
 * <asm/processor.h>, <asm/msr.h> and <asm/special_insns.h>.
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <kernel/types.h>

#define MSR_EFER      0xc0000080
#define MSR_APIC_BASE 0x0000001b
#define EFER_NXE      (1UL << 11)

#define X86_CR0_WP     (1UL << 16)
#define X86_CR4_PGE    (1UL << 7)
#define X86_CR4_OSFXSR (1UL << 9)
#define X86_CR4_SMEP   (1UL << 20)
#define X86_CR4_SMAP   (1UL << 21)

struct cpuinfo_x86 {
	char vendor[13];
	char model_id[49];
	bool has_nx, has_pdpe1gb, has_apic, has_tsc, has_rdtscp;
	bool has_invariant_tsc, has_smep, has_smap, has_pge;
	bool has_rdrand; /* CPUID.01H:ECX[30]: the RDRAND instruction */
};
extern struct cpuinfo_x86 boot_cpu;

/* cpu_init - read CPUID into boot_cpu and enable PGE. Call once, early. */
void cpu_init(void);

static inline void cpuid_count(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c,
			       u32 *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(sub));
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;
	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr"
			     :
			     : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))
			     : "memory");
}

static inline unsigned long read_cr2(void)
{
	unsigned long v;
	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}
static inline unsigned long read_cr3(void)
{
	unsigned long v;
	__asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
	return v;
}
static inline void write_cr3(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory");
}
static inline unsigned long read_cr4(void)
{
	unsigned long v;
	__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}
static inline void write_cr4(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(v) : "memory");
}
static inline void invlpg(unsigned long va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

/* rdtsc - the time-stamp counter, in TSC ticks (see kernel/time.c). */
static inline u64 rdtsc(void)
{
	u32 lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline void cpu_relax(void)
{
	__builtin_ia32_pause();
}

static inline void halt(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}

#endif
