/*
 * cpu.c - what the boot CPU can do (CPUID), read once into boot_cpu, and
 * the control-register features the kernel turns on early (PGE).
 * Other files test boot_cpu.has_* instead of running CPUID again.
 */
#include <kernel/printk.h>
#include <kernel/string.h>
#include <asm/cpu.h>

struct cpuinfo_x86 boot_cpu;

void cpu_init(void)
{
	u32 a, b, c, d, max, maxext;

	cpuid_count(0, 0, &max, &b, &c, &d);
	memcpy(boot_cpu.vendor + 0, &b, 4);
	memcpy(boot_cpu.vendor + 4, &d, 4);
	memcpy(boot_cpu.vendor + 8, &c, 4);
	boot_cpu.vendor[12] = '\0';

	if (max >= 1) {
		cpuid_count(1, 0, &a, &b, &c, &d);
		boot_cpu.has_tsc = d & (1u << 4);
		boot_cpu.has_apic = d & (1u << 9);
		boot_cpu.has_pge = d & (1u << 13);
		boot_cpu.has_rdrand = c & (1u << 30);
	}
	if (max >= 7) {
		cpuid_count(7, 0, &a, &b, &c, &d);
		boot_cpu.has_smep = b & (1u << 7);
		boot_cpu.has_smap = b & (1u << 20);
	}
	cpuid_count(0x80000000, 0, &maxext, &b, &c, &d);
	if (maxext >= 0x80000001) {
		cpuid_count(0x80000001, 0, &a, &b, &c, &d);
		boot_cpu.has_nx = d & (1u << 20);
		boot_cpu.has_pdpe1gb = d & (1u << 26);
		boot_cpu.has_rdtscp = d & (1u << 27);
	}
	if (maxext >= 0x80000004) {
		u32 *p = (u32 *)boot_cpu.model_id;

		for (u32 leaf = 0x80000002; leaf <= 0x80000004; leaf++, p += 4)
			cpuid_count(leaf, 0, &p[0], &p[1], &p[2], &p[3]);
		boot_cpu.model_id[48] = '\0';
	}
	if (maxext >= 0x80000007) {
		cpuid_count(0x80000007, 0, &a, &b, &c, &d);
		boot_cpu.has_invariant_tsc = d & (1u << 8);
	}
	if (boot_cpu.has_pge)
		write_cr4(read_cr4() | X86_CR4_PGE);
	/* User programs may use x87/SSE (the kernel does not): FPU native
	 * errors, no emulation, fxsave/fxrstor and SSE exceptions on. */
	__asm__ __volatile__("mov %%cr0, %%rax\n\t"
			     "and $~(1 << 2), %%rax\n\t"	    /* EM off */
			     "or $((1 << 1) | (1 << 5)), %%rax\n\t" /* MP, NE */
			     "mov %%rax, %%cr0\n\t"
			     "fninit" ::
				     : "rax", "memory");
	write_cr4(read_cr4() | X86_CR4_OSFXSR | (1UL << 10)); /* OSXMMEXCPT */

	pr_info("CPU: %s \"%s\" nx=%d pdpe1gb=%d apic=%d rdtscp=%d smep=%d smap=%d rdrand=%d\n",
		boot_cpu.vendor, boot_cpu.model_id, boot_cpu.has_nx,
		boot_cpu.has_pdpe1gb, boot_cpu.has_apic, boot_cpu.has_rdtscp,
		boot_cpu.has_smep, boot_cpu.has_smap, boot_cpu.has_rdrand);
}
