/*
 * profile.h - the tick profiler (kernel/profile.c): with `profile=<shift>`
 * on the command line, every timer tick on every CPU (HZ times a second
 * each) counts where it interrupted the CPU: in user mode, or at a kernel
 * text address, in buckets of 2^shift bytes. Linux's `profile=` option
 * and /proc/profile (kernel/profile.c), read here by profile_report()
 * instead of readprofile(8).
 *
 * What it cannot see: code that runs with interrupts off (a tick that
 * arrives there is taken, and counted, where interrupts come back on),
 * so a spin on an irqsave lock is charged to the code that releases the
 * interrupt flag. docs/testing.md shows how to profile a benchmark.
 */
#ifndef KERNEL_PROFILE_H
#define KERNEL_PROFILE_H

#include <kernel/types.h>

struct pt_regs;

/*
 * profile_init - start profiling if `profile=` asked for it (after
 * mm_init()). A failed allocation leaves profiling off with one console
 * line; nothing else depends on it.
 */
void profile_init(void);

/*
 * profile_setup - start profiling now, in buckets of 2^shift bytes
 * (shift 0..12), all counts zero. Returns 0, -EINVAL for a larger shift,
 * -EBUSY if profiling is on already, -ENOMEM without memory for the
 * buckets (8 bytes per 2^shift bytes of text). Linux's profile_setup()
 * and profile_init() in one.
 */
int profile_setup(unsigned int shift);

/*
 * profile_stop - stop profiling and free the buckets, once no tick on
 * any CPU can be counting into them any more. Sleeps (waits for every
 * CPU); nothing to do when profiling is off. Ours: Linux never stops.
 */
void profile_stop(void);

/*
 * profile_hits - samples counted at kernel text addresses [start, end),
 * in whole buckets (a bucket counts if it overlaps the range); 0 when
 * profiling is off. Ours, for tests: readprofile(8) reads the same
 * numbers from /proc/profile.
 */
unsigned long profile_hits(unsigned long start, unsigned long end);

/*
 * profile_tick - count one sample at regs (the interrupted context), on
 * the calling CPU's tick, interrupts off. Does nothing when profiling is
 * off. Linux's profile_tick(CPU_PROFILING).
 */
void profile_tick(const struct pt_regs *regs);

/*
 * profile_reset - zero every count, so that a report covers only what
 * ran after this call. Samples taken by other CPUs while it runs may be
 * kept or lost (one tick each at most). Linux: a write to /proc/profile.
 */
void profile_reset(void);

/*
 * profile_report - print the samples by kernel function, most first, at
 * most max_lines functions (the rest summed on one line), then the user
 * and total counts, each with its share of all samples, on the console
 * at KERN_NOTICE. Prints nothing when profiling is off.
 */
void profile_report(int max_lines);

#endif
