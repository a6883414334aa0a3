/*
 * rdtsc.h - time-stamp counter helpers (docs/testing.md: with QEMU -icount
 * shift=0 the TSC advances one tick per guest instruction).
 *
 *   rdtsc()          the raw TSC; may be reordered with nearby code
 *   rdtsc_ordered()  lfence; rdtsc: earlier instructions have completed
 *   rdtscp(&aux)     rdtscp: waits for earlier instructions, returns the
 *                    TSC and IA32_TSC_AUX (the CPU number on Linux) in aux
 */
#ifndef _RDTSC_H
#define _RDTSC_H

#include <stdint.h>

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t rdtsc_ordered(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t rdtscp(uint32_t *aux)
{
	uint32_t lo, hi, c;
	__asm__ __volatile__("rdtscp" : "=a"(lo), "=d"(hi), "=c"(c)::"memory");
	if (aux)
		*aux = c;
	return ((uint64_t)hi << 32) | lo;
}

#endif
