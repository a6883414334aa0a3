/*
 * random.c - random_u64() and random_below() (include/kernel/random.h):
 * the random numbers behind exec's address-space layout randomization
 * (kernel/exec.c) and AT_RANDOM. RDRAND when the boot CPU has it
 * (arch/x86_64/cpu.c reads CPUID into boot_cpu.has_rdrand), always mixed
 * with the TSC, so that a CPU without RDRAND still gets a layout that
 * changes from run to run. Under QEMU's -icount -seed (tools/qemu.sh
 * --repeatable) both are repeatable, and so is the layout.
 */
#include <kernel/compiler.h>
#include <kernel/random.h>
#include <asm/cpu.h>

#define RDRAND_RETRY_LOOPS 10 /* Linux's: RDRAND may run dry for a moment */

/* Every call adds the golden ratio: no two calls mix the same input. */
static u64 random_counter;

/* One 64-bit RDRAND into *v; false when the CPU had no value ready. */
static bool rdrand_u64(u64 *v)
{
	for (int i = 0; i < RDRAND_RETRY_LOOPS; i++) {
		bool ok;

		__asm__ __volatile__("rdrand %0" : "=r"(*v), "=@ccc"(ok));
		if (ok)
			return true;
	}
	return false;
}

/* splitmix64's finalizer: every input bit reaches every output bit. */
static u64 mix64(u64 x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

u64 random_u64(void)
{
	u64 x = rdtsc() ^ __atomic_add_fetch(&random_counter,
					     0x9e3779b97f4a7c15ULL,
					     __ATOMIC_RELAXED);
	u64 hw;

	x = mix64(x);
	if (boot_cpu.has_rdrand && rdrand_u64(&hw))
		x = mix64(x ^ hw);
	return x;
}

u64 random_below(u64 n)
{
	return n ? random_u64() % n : 0;
}
