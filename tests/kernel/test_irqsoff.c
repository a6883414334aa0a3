/*
 * test_irqsoff.c - the interrupts-off latency tracer (kernel/irqsoff.c):
 * a deliberate long section with interrupts off must be recorded with
 * its length (TSC ticks, and ns by the calibration) and the function it
 * began and ended in; a nested save/restore or a disable with interrupts
 * already off must not cut it in two. The tests switch the C hooks on
 * for their own duration (irqsoff_set_tracing()), so they run in every
 * boot, irqsoff.trace=1 or not, and reset their CPU's record. And the
 * tracer's first find: freeing a range's page tables must not keep
 * interrupts off for the whole range.
 *
 * The upper bounds are loose on purpose: under -icount with several
 * CPUs the spin's PAUSE hands the one virtual clock to the other vCPUs
 * for a turn (docs/testing.md), so a spin may end up to a turn late.
 * What must hold is the order of magnitude and the place.
 */
#include <kernel/irqsoff.h>
#include <kernel/ksyms.h>
#include <kernel/ktest.h>
#include <kernel/percpu.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <mm/fault.h>
#include <mm/mman.h>
#include <mm/mm_types.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/user_mm.h>
#include <asm/cpu.h>
#include <asm/trap_pf.h>

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
	if (r.ticks < want || r.ticks >= 2 * want)
		ktest_fail(t, __FILE__, __LINE__,
			   "recorded %llu ticks (%s to %s) for a section of %llu",
			   (unsigned long long)r.ticks, a, b,
			   (unsigned long long)want);
	/* 2 ms by the calibration (and less than 4) */
	KTEST_EXPECT(t, tsc_to_ns(r.ticks) >= 2000000 &&
				tsc_to_ns(r.ticks) < 4000000);
	KTEST_EXPECT(t, ip_in(r.start_ip, "long_section"));
	KTEST_EXPECT(t, ip_in(r.end_ip, "long_section"));
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
	KTEST_EXPECT(t, r.ticks < 6 * each);
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
	KTEST_EXPECT(t, r.ticks >= want && r.ticks < 2 * want);
	KTEST_EXPECT(t, r.sections >= 2);
}

#define STREW_BASE   0x0000100000000000UL /* a 1 TiB boundary */
#define STREW_TABLES 512UL		  /* PTE tables per half */

/* Fault one page into each of n PTE tables from va on (one per 2 MiB). */
static int strew(struct mm_struct *mm, unsigned long va, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		if (handle_user_addr_fault(mm, X86_PF_USER | X86_PF_WRITE,
					   va + i * PMD_SIZE))
			return -1;
	return 0;
}

/* This CPU's longest section while fn(mm) runs, with tracing on. */
static u64 longest_during(void (*fn)(struct mm_struct *), struct mm_struct *mm,
			  char *where, size_t size)
{
	struct percpu *cpu = this_cpu();
	struct irqsoff_record r;
	bool was;

	cpu->preempt_count++;
	was = irqsoff_set_tracing(true);
	irqsoff_reset(cpu->cpu);
	fn(mm);
	irqsoff_read(cpu->cpu, &r);
	irqsoff_set_tracing(was);
	cpu->preempt_count--;
	irqsoff_symbolize(r.start_ip, where, size);
	return r.ticks;
}

static void unmap_first_half(struct mm_struct *mm)
{
	do_munmap(mm, STREW_BASE, STREW_TABLES * PMD_SIZE);
}

static void exit_mm(struct mm_struct *mm)
{
	mmput(mm);
}

/*
 * munmap and the exit free a range's empty page tables with interrupts
 * off for one table at a time, not for the whole range
 * (free_table_if_empty(), mm/pgtable.c): with 512 PTE tables, each
 * holding one page, no section may reach 0.1 ms. Taking
 * page_table_lock over the whole walk, as free_pgtables() once did,
 * kept them off for about a millisecond here, and for as long as a
 * program had tables.
 */
KTEST(irqsoff, freeing_page_tables_keeps_sections_short)
{
	unsigned long free0 = nr_free_pages();
	struct mm_struct *mm = mm_alloc();
	u64 limit = tsc_khz / 10, ticks;
	char where[64];
	long a;

	KTEST_ASSERT(t, mm && tsc_khz);
	a = do_mmap(mm, STREW_BASE, 2 * STREW_TABLES * PMD_SIZE,
		    PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
	KTEST_ASSERT(t, a == (long)STREW_BASE);
	KTEST_ASSERT(t, strew(mm, STREW_BASE, 2 * STREW_TABLES) == 0);
	KTEST_EXPECT(t, mm->nr_pgtables >= 2 * STREW_TABLES);
	ticks = longest_during(unmap_first_half, mm, where, sizeof(where));
	if (ticks >= limit)
		ktest_fail(t, __FILE__, __LINE__,
			   "munmap of %lu strewn tables: interrupts off for "
			   "%llu ticks from %s (limit %llu)",
			   STREW_TABLES, (unsigned long long)ticks, where,
			   (unsigned long long)limit);
	ticks = longest_during(exit_mm, mm, where, sizeof(where));
	if (ticks >= limit)
		ktest_fail(t, __FILE__, __LINE__,
			   "exit with %lu strewn tables: interrupts off for "
			   "%llu ticks from %s (limit %llu)",
			   STREW_TABLES, (unsigned long long)ticks, where,
			   (unsigned long long)limit);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}
