/*
 * time.c - jiffies and TSC time (include/kernel/time.h). time_init()
 * calibrates the TSC against the PIT (arch/x86_64/apic.c) and starts the
 * LAPIC timer at HZ; timer_interrupt() is the tick: it runs the expired
 * kernel timers (kernel/timer.c), then the tick hooks other subsystems
 * registered, then the scheduler's tick.
 *
 * Every CPU ticks; jiffies counts the tick periods that have passed, on
 * the TSC, as Linux's tick_do_update_jiffies64() does, so that a tick
 * the host delivered late or dropped (a virtual CPU it did not run in
 * time) is not lost. The boot CPU's tick sets the pace; another CPU's
 * counts only when the boot CPU's are overdue (tick_do_update_jiffies).
 * tick_seq (odd while the pair jiffies, last_tick_ns is written) lets a
 * reader get both from the same update, as Linux's jiffies_seq does.
 */
#include <kernel/profile.h>
#include <kernel/time.h>
#include <kernel/printk.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <kernel/timer.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>

volatile u64 jiffies;
u64 tsc_khz;
static u64 tsc_at_boot;
static volatile u64 last_tick_ns;      /* ktime_get_ns() at the last count */
static volatile unsigned int tick_seq; /* odd: the pair is being written */
static DEFINE_SPINLOCK(jiffies_lock);  /* one writer at a time */
static u64 tick_grid_ns;	       /* the current tick period began */

u64 tsc_to_ns(u64 ticks)
{
	if (!tsc_khz)
		return 0;
	/* ticks * 1e6 / khz, split to avoid overflow for long uptimes */
	return ticks / tsc_khz * 1000000ULL +
	       ticks % tsc_khz * 1000000ULL / tsc_khz;
}

u64 ktime_get_ns(void)
{
	return tsc_to_ns(rdtsc() - tsc_at_boot);
}

u64 deadline_to_jiffies(u64 deadline_ns)
{
	unsigned int seq;
	u64 base, j;

	do {
		while ((seq = tick_seq) & 1)
			cpu_relax();
		barrier();
		base = last_tick_ns;
		j = jiffies;
		barrier();
	} while (tick_seq != seq);

	if (deadline_ns <= base)
		return j + 1;
	return j + (deadline_ns - base + TICK_NSEC - 1) / TICK_NSEC;
}

void mdelay(unsigned long ms)
{
	u64 end = rdtsc() + ms * tsc_khz;

	while (rdtsc() < end)
		cpu_relax();
}

static struct tick_hook *tick_hooks;	 /* newest first; never removed */
static DEFINE_SPINLOCK(tick_hooks_lock); /* registrations, one at a time */

void tick_hook_register(struct tick_hook *hook)
{
	unsigned long flags;

	/* Every CPU's tick walks the list without a lock: fill the entry,
	 * then publish it with a release store, so no tick anywhere sees a
	 * half-made one. The lock only orders two registrations. */
	spin_lock_irqsave(&tick_hooks_lock, flags);
	hook->next = tick_hooks;
	__atomic_store_n(&tick_hooks, hook, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&tick_hooks_lock, flags);
}

/*
 * Count into jiffies the tick periods that have ended since the last
 * count and return true if jiffies moved. Interrupts off.
 *
 * The periods are a grid on the TSC (tick_grid_ns: where the current
 * one began), kept so that the boot CPU's ticks arrive half-way through
 * a period: a tick a bit early or late still counts one, a tick that
 * came very late counts the periods it missed, and the grid follows the
 * LAPIC timer, which was calibrated apart from the TSC, by a small nudge
 * on every count. Another CPU's tick counts only periods the boot CPU's
 * is overdue for by half a period or more (its virtual CPU was not run,
 * or it sat with interrupts off), so each period counts once.
 * jiffies_lock makes one CPU at a time the writer.
 */
static bool tick_do_update_jiffies(void)
{
	bool boot_cpu = smp_processor_id() == 0;
	u64 now = ktime_get_ns(), ticks, late = boot_cpu ? 1 : 2;

	if (now < READ_ONCE(tick_grid_ns) + late * TICK_NSEC)
		return false; /* the common case on the other CPUs */
	spin_lock(&jiffies_lock);
	if (now < tick_grid_ns + late * TICK_NSEC) {
		spin_unlock(&jiffies_lock);
		return false;
	}
	ticks = (now - tick_grid_ns) / TICK_NSEC - (late - 1);
	tick_grid_ns += ticks * TICK_NSEC;
	if (boot_cpu) /* keep our ticks half-way through a period */
		tick_grid_ns +=
			((s64)(now - tick_grid_ns) - (s64)(TICK_NSEC / 2)) / 8;
	tick_seq++;
	barrier();
	last_tick_ns = now;
	jiffies += ticks;
	barrier();
	tick_seq++;
	spin_unlock(&jiffies_lock);
	return true;
}

void timer_interrupt(struct pt_regs *regs)
{
	profile_tick(regs);
	/* Whichever CPU moves jiffies runs the expired timers (one CPU at a
	 * time: run_timers() makes sure). */
	if (tick_do_update_jiffies())
		run_timers();
	for (struct tick_hook *h =
		     __atomic_load_n(&tick_hooks, __ATOMIC_ACQUIRE);
	     h; h = h->next)
		h->fn();
	scheduler_tick();
}

void time_init(void)
{
	u64 tsc;
	u32 unused;

	tsc_at_boot = rdtsc();
	if (lapic_init() == 0) {
		/* lapic_init() measured 10 ms; measure the TSC alone again
		 * over 50 ms for a finer frequency. */
		if (pit_calibrate(50, &tsc, &unused, false))
			panic("time: PIT does not count; cannot calibrate the TSC");
		tsc_khz = tsc / 50;
		last_tick_ns = ktime_get_ns();
		/* The first tick comes one period from now: half-way
		 * through its period, as every later one should. */
		tick_grid_ns = last_tick_ns - TICK_NSEC / 2;
		lapic_timer_start(HZ);
	} else {
		panic("time: no local APIC; this kernel needs one for its tick");
	}
	pr_info("time: TSC %llu.%03llu MHz%s, tick %d Hz (LAPIC timer)\n",
		(unsigned long long)tsc_khz / 1000,
		(unsigned long long)tsc_khz % 1000,
		boot_cpu.has_invariant_tsc ? " invariant" : "", HZ);
	local_irq_enable();
}
