/*
 * time.h - the tick and the TSC (kernel/time.c). The periodic timer
 * interrupt (the LAPIC timer, arch/x86_64/apic.c) fires HZ times a second
 * and advances jiffies; the TSC, calibrated against the PIT at boot, gives
 * finer time. Under QEMU with -icount shift=0 the TSC advances one tick per
 * guest instruction (docs/testing.md), so TSC ticks are instruction counts.
 */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <kernel/types.h>
#include <asm/ptrace.h>

#define HZ	     1000 /* timer interrupts per second: 1 tick = 1 ms */
#define MSEC_PER_SEC 1000UL
#define NSEC_PER_SEC 1000000000ULL
#define TICK_NSEC    (NSEC_PER_SEC / HZ) /* nanoseconds per jiffy */
#define U64_MAX	     (~0ULL)

extern volatile u64 jiffies; /* ticks since the timer started */
extern u64 tsc_khz;	     /* TSC ticks per millisecond (calibrated) */

/*
 * time_init - calibrate the TSC and the LAPIC timer against the PIT,
 * start the tick at HZ and enable interrupts. Panics without a LAPIC or a
 * counting PIT. Linux's time_init() and tsc_init().
 */
void time_init(void);

/*
 * timer_interrupt - the tick, called by do_trap() with interrupts off on
 * every CPU, HZ times a second each: count the tick periods that have
 * passed into jiffies (the boot CPU's tick sets the pace; another CPU's
 * catches up when the boot CPU's are overdue) and, when jiffies moved,
 * run the expired timers; then call the tick hooks (below) and
 * scheduler_tick() for this CPU. Linux's tick_periodic() and
 * tick_do_update_jiffies64().
 */
void timer_interrupt(struct pt_regs *regs);

/*
 * struct tick_hook - a function the tick calls on every timer interrupt,
 * for a subsystem that must notice something soon but learns of it where
 * it cannot act: fn may queue work or set need_resched, and runs in
 * interrupt context with interrupts off, after the expired timers and
 * before scheduler_tick(), HZ times a second on every CPU, each CPU's
 * tick calling it for that CPU (several at once). So it must not sleep or
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

/*
 * ktime_get_ns - nanoseconds since boot, from the TSC; 0 before
 * time_init(). Linux's ktime_get_ns().
 */
u64 ktime_get_ns(void);

/*
 * ktime_add_timespec_sat - t (ns) plus sec seconds and nsec nanoseconds
 * (sec >= 0, 0 <= nsec < NSEC_PER_SEC), saturated at U64_MAX instead of
 * wrapping: a huge timeout from user space means "for ever", never a
 * short one. Linux's timespec64_to_ktime() saturates the same way, at
 * KTIME_MAX.
 */
static inline u64 ktime_add_timespec_sat(u64 t, s64 sec, s64 nsec)
{
	u64 d;

	if ((u64)sec >= U64_MAX / NSEC_PER_SEC)
		return U64_MAX;
	d = (u64)sec * NSEC_PER_SEC + (u64)nsec;
	return d > U64_MAX - t ? U64_MAX : t + d;
}

/*
 * tsc_to_ns - a TSC tick count in nanoseconds (0 before calibration).
 * Our own; Linux's cycles_2_ns().
 */
u64 tsc_to_ns(u64 ticks);

/*
 * deadline_to_jiffies - the jiffies value of the first tick that comes at
 * or after deadline_ns (a ktime_get_ns() time). A timer armed for it fires
 * at most one tick after the deadline instead of up to two. Our own.
 */
u64 deadline_to_jiffies(u64 deadline_ns);

/*
 * mdelay - busy-wait ms milliseconds on the TSC (interrupts may be off).
 * Linux's mdelay().
 */
void mdelay(unsigned long ms);

/*
 * Converting between jiffies and time, with Linux's names and units
 * (<linux/jiffies.h>). Every API named after a Linux one takes Linux's
 * unit: mod_timer() an absolute jiffies value, schedule_timeout(),
 * wait_event_timeout() and queue_delayed_work() a number of jiffies,
 * msleep() and mdelay() milliseconds.
 */

/*
 * msecs_to_jiffies - m milliseconds as jiffies, rounded up so that a
 * timeout never ends early. Linux's msecs_to_jiffies(); it needs no clamp
 * here, as m * HZ always fits in 64 bits.
 */
static inline unsigned long msecs_to_jiffies(unsigned int m)
{
	return ((unsigned long)m * HZ + MSEC_PER_SEC - 1) / MSEC_PER_SEC;
}

/* jiffies_to_nsecs - j jiffies as nanoseconds. Linux's jiffies_to_nsecs(). */
static inline u64 jiffies_to_nsecs(unsigned long j)
{
	return (u64)j * TICK_NSEC;
}

/*
 * nsecs_to_jiffies - n nanoseconds as whole jiffies, rounded down (a
 * caller that must not wake early finishes the rest itself, as
 * sys_nanosleep() does on the TSC). Linux's nsecs_to_jiffies().
 */
static inline unsigned long nsecs_to_jiffies(u64 n)
{
	return (unsigned long)(n / TICK_NSEC);
}

#endif
