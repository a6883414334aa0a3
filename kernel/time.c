/*
 * time.c - jiffies and TSC time (include/kernel/time.h). time_init()
 * calibrates the TSC against the PIT (arch/x86_64/apic.c) and starts the
 * LAPIC timer at HZ; timer_interrupt() is the tick: it runs the expired
 * kernel timers (kernel/timer.c), then the tick hooks other subsystems
 * registered, then the scheduler's tick.
 *
 * Every CPU ticks; only the boot CPU writes jiffies and last_tick_ns, and
 * it brackets the pair with tick_seq (odd while it writes), so that a
 * reader on another CPU gets both from the same tick: Linux's jiffies_seq.
 */
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
static volatile u64 last_tick_ns;      /* ktime_get_ns() at the last tick */
static volatile unsigned int tick_seq; /* odd: the pair is being written */

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

void timer_interrupt(struct pt_regs *regs)
{
	(void)regs;
	/* Every CPU ticks; the boot CPU alone keeps time and runs the
	 * timers, as Linux's tick_do_timer_cpu does. */
	if (smp_processor_id() == 0) {
		tick_seq++;
		barrier();
		last_tick_ns = ktime_get_ns();
		jiffies++;
		barrier();
		tick_seq++;
		run_timers();
	}
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
