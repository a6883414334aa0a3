/*
 * time.h - the tick and the TSC (kernel/time.c). The periodic timer
 * interrupt (the LAPIC timer, arch/x86_64/apic.c) fires HZ times a second
 * and advances jiffies; the TSC, calibrated against the PIT at boot, gives
 * finer time. Under QEMU with -icount shift=0 the TSC advances one tick per
 * guest instruction (DESIGN.md §7), so TSC ticks are instruction counts.
 */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <kernel/types.h>
#include <asm/ptrace.h>

#define HZ		1000	/* timer interrupts per second: 1 tick = 1 ms */
#define NSEC_PER_SEC	1000000000ULL

extern volatile u64 jiffies;	/* ticks since the timer started */
extern u64 tsc_khz;		/* TSC ticks per millisecond (calibrated) */

/* time_init - calibrate TSC and LAPIC timer against the PIT, start the tick. */
void time_init(void);

/* timer_interrupt - the tick: called by do_trap() with interrupts off. */
void timer_interrupt(struct pt_regs *regs);

/*
 * struct tick_hook - a function the tick calls on every timer interrupt,
 * for a subsystem that must notice something soon but learns of it where
 * it cannot act: fn may queue work or set need_resched, and runs in
 * interrupt context with interrupts off, after the expired timers and
 * before scheduler_tick(), HZ times a second. So it must not sleep or
 * take a sleeping lock, and should return at once when it has nothing to
 * do. next is the tick's; the caller fills only fn.
 */
struct tick_hook {
	void (*fn)(void);
	struct tick_hook *next;
};

/*
 * tick_hook_register - call hook->fn() from every tick from now on.
 * hook must live for ever (static): there is no unregister. Callable with
 * interrupts on or off; cannot fail.
 */
void tick_hook_register(struct tick_hook *hook);

/* ktime_get_ns - nanoseconds since boot, from the TSC. 0 before time_init. */
u64 ktime_get_ns(void);

/* tsc_to_ns - convert a TSC tick count to nanoseconds. */
u64 tsc_to_ns(u64 ticks);

/*
 * deadline_to_jiffies - the jiffies value of the first tick that comes at
 * or after deadline_ns (a ktime_get_ns() time). A timer armed for it fires
 * at most one tick after the deadline instead of up to two.
 */
u64 deadline_to_jiffies(u64 deadline_ns);

/* mdelay - busy-wait ms milliseconds on the TSC (interrupts may be off). */
void mdelay(unsigned long ms);

static inline u64 msecs_to_jiffies(u64 ms)
{
	return (ms * HZ + 999) / 1000;
}

#endif
