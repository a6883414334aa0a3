/*
 * random.h - random numbers for the kernel's own choices (kernel/random.c):
 * where exec puts the stack, the mmap area and the heap (address-space
 * layout randomization, kernel/exec.c), and the 16 bytes of AT_RANDOM.
 * Not a cryptographic generator: Linux's get_random_u64() draws from a
 * ChaCha20 CRNG seeded from many sources; this mixes the CPU's RDRAND,
 * when CPUID has it, with the TSC.
 */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include <kernel/types.h>

/*
 * random_u64 - 64 random bits: a 64-bit RDRAND (retried up to 10 times,
 * as Linux's rdrand_long(), when CPUID.01H:ECX[30] says the CPU has it)
 * mixed with the TSC and a global counter through splitmix64's
 * finalizer, so that two calls never return the same value by
 * construction, and without RDRAND the values still differ from boot to
 * boot as the TSC does. Any context, any CPU; no lock. Our own (see
 * above why not Linux's name).
 */
u64 random_u64(void);

/*
 * random_below - a random number in [0, n) (n > 0; 0 for n == 0), from
 * random_u64() (the modulo bias is below 2^-40 for the ranges exec uses).
 * Our own; Linux's get_random_u32_below().
 */
u64 random_below(u64 n);

#endif
