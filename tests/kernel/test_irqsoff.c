/*
 * test_irqsoff.c - the interrupts-off latency tracer (kernel/irqsoff.c):
 * a deliberate long section with interrupts off must be recorded with
 * its length (TSC ticks, and ns by the calibration) and the function it
 * began and ended in; a nested save/restore or a disable with interrupts
 * already off must not cut it in two. The tests switch the C hooks on
 * for their own duration (irqsoff_set_tracing()), so they run in every
 * boot, irqsoff.trace=1 or not, and reset their CPU's record.
 */
#include <kernel/irqsoff.h>
#include <kernel/ksyms.h>
#include <kernel/ktest.h>
#include <kernel/percpu.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <asm/cpu.h>

/* Spin with whatever IF is now for ticks TSC ticks. */
static void spin_ticks(u64 ticks)
{
	u64 t0 = rdtsc();

	while (rdtsc() - t0 < ticks)
		cpu_relax();
}

/* Is ip inside the function called name? */
static bool ip_in(unsigned long ip, const char *name)
{
	unsigned long off, size;
	const char *sym = ksym_lookup(ip, &off, &size);

	return sym && strcmp(sym, name) == 0;
}

/*
 * Run fn with tracing on and this CPU's record reset; copy the record
 * out. Preemption off, so that the CPU is the same throughout.
 */
static int traced_run(void (*fn)(u64), u64 ticks, struct irqsoff_record *r)
{
	struct percpu *cpu = this_cpu();
	int n;
	bool was;

	cpu->preempt_count++;
	n = cpu->cpu;
	was = irqsoff_set_tracing(true);
	irqsoff_reset(n);
	fn(ticks);
	irqsoff_read(n, r);
	irqsoff_set_tracing(was);
	cpu->preempt_count--;
	return n;
}

/* noinline: the section's two ends must lie in this function. */
static void __noinline long_section(u64 ticks)
{
	unsigned long flags;

	local_irq_save(flags);
	spin_ticks(ticks);
	local_irq_restore(flags);
}

KTEST(irqsoff, records_a_long_section_where_it_is)
{
	u64 want = tsc_khz * 2; /* 2 ms */
	struct irqsoff_record r;
	char a[64], b[64];

	KTEST_ASSERT(t, tsc_khz != 0);
	KTEST_ASSERT(t, arch_local_save_flags() & X86_EFLAGS_IF);
	traced_run(long_section, want, &r);
	irqsoff_symbolize(r.start_ip, a, sizeof(a));
	irqsoff_symbolize(r.end_ip, b, sizeof(b));
	if (r.ticks < want || r.ticks > want + want / 20)
		ktest_fail(t, __FILE__, __LINE__,
			   "recorded %llu ticks (%s to %s) for a section of %llu",
			   (unsigned long long)r.ticks, a, b,
			   (unsigned long long)want);
	/* 2 ms by the calibration, within 5% */
	KTEST_EXPECT(t, tsc_to_ns(r.ticks) >= 2000000 &&
				tsc_to_ns(r.ticks) <= 2100000);
	KTEST_EXPECT(t, ip_in(r.start_ip, "long_section"));
	KTEST_EXPECT(t, ip_in(r.end_ip, "long_section"));
	KTEST_EXPECT(t, r.start_ip < r.end_ip);
	KTEST_EXPECT(t, r.sections >= 1);
}

/* One section, however the code nests inside it. */
static void __noinline nested_section(u64 ticks)
{
	unsigned long outer, inner;

	local_irq_save(outer);
	spin_ticks(ticks);
	local_irq_save(inner); /* already off: no new section */
	local_irq_disable();   /* the same */
	spin_ticks(ticks);
	local_irq_restore(inner); /* flags with IF clear: stays off */
	spin_ticks(ticks);
	local_irq_restore(outer);
}

KTEST(irqsoff, nesting_does_not_cut_a_section)
{
	u64 each = tsc_khz / 2; /* 0.5 ms, three times */
	struct irqsoff_record r;

	KTEST_ASSERT(t, tsc_khz != 0);
	KTEST_ASSERT(t, arch_local_save_flags() & X86_EFLAGS_IF);
	traced_run(nested_section, each, &r);
	KTEST_EXPECT(t, r.ticks >= 3 * each);
	KTEST_EXPECT(t, r.ticks <= 3 * each + each / 10);
	KTEST_EXPECT(t, ip_in(r.start_ip, "nested_section"));
	KTEST_EXPECT(t, ip_in(r.end_ip, "nested_section"));
}

/* A short section after a long one leaves the long one on record. */
static void __noinline long_then_short(u64 ticks)
{
	long_section(ticks);
	long_section(ticks / 100);
}

KTEST(irqsoff, keeps_the_longest)
{
	u64 want = tsc_khz; /* 1 ms */
	struct irqsoff_record r;

	KTEST_ASSERT(t, tsc_khz != 0);
	traced_run(long_then_short, want, &r);
	KTEST_EXPECT(t, r.ticks >= want && r.ticks <= want + want / 20);
	KTEST_EXPECT(t, r.sections >= 2);
}
