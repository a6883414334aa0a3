/*
 * test_smp.c - in-kernel tests of the secondary CPUs and the IPIs
 * (arch/x86_64/smpboot.c, arch/x86_64/smp.c): every online CPU answers
 * cross-CPU calls as itself, each has its own GS base, GDT, TSS and IST
 * stacks, and the reschedule IPI arrives. Boot with SMP=2 or more
 * (tools/qemu.sh); with one CPU, the tests that need another SKIP.
 */
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/irqflags.h>
#include <asm/processor-flags.h>
#include <asm/smp.h>

#define MSR_GS_BASE   0xc0000101
#define APIC_BASE_BSP (1ULL << 8) /* set on the boot CPU only */

/* Per-CPU MSRs every CPU must set as the boot CPU does. */
static const u32 same_msrs[5] = {
	MSR_EFER,
	0xc0000081 /* STAR */,
	0xc0000082 /* LSTAR */,
	0xc0000084 /* FMASK */,
	MSR_APIC_BASE,
};
#define WAIT_NS (2000ULL * 1000 * 1000) /* 2 s: TCG on a busy host */

#define NEED_TWO_CPUS(t)                                                   \
	do {                                                               \
		if (num_online_cpus() < 2)                                 \
			KTEST_SKIP(t, "one CPU online (boot with SMP=2)"); \
	} while (0)

/* What one CPU reports about itself, from its registers. */
struct cpu_report {
	int cpu;       /* smp_processor_id() */
	u32 apic_id;   /* from the LAPIC */
	u64 gs_base;   /* MSR_GS_BASE */
	u64 gdt_base;  /* sgdt */
	u64 tss_base;  /* from the TSS descriptor that str names */
	u64 ist[2];    /* the TSS's IST1 (#DF) and IST2 (NMI) */
	u64 cr0, cr4;  /* control registers */
	u64 msr[5];    /* same_msrs[], APIC_BASE without the BSP bit */
	bool irqs_off; /* RFLAGS.IF clear while the call ran */
	int calls;     /* times the function ran here */
};

static struct cpu_report reports[NR_CPUS];

static void report_self(void *arg)
{
	int cpu = smp_processor_id();
	struct cpu_report *r = &reports[cpu];
	struct {
		u16 limit;
		u64 base;
	} __packed gdtr;
	u16 tr;
	const u64 *gdt;

	(void)arg;
	__asm__ __volatile__("sgdt %0" : "=m"(gdtr));
	__asm__ __volatile__("str %0" : "=r"(tr));
	gdt = (const u64 *)gdtr.base;
	r->cpu = cpu;
	r->apic_id = lapic_id();
	r->gs_base = rdmsr(MSR_GS_BASE);
	r->gdt_base = gdtr.base;
	/* A 16-byte TSS descriptor: base 0..23 in bits 16..39, 24..31 in
	 * bits 56..63, 32..63 in the next quadword. */
	r->tss_base = ((gdt[tr / 8] >> 16) & 0xffffff) |
		      ((gdt[tr / 8] >> 56) << 24) | (gdt[tr / 8 + 1] << 32);
	r->ist[0] = *(const u64 *)(r->tss_base + 36);
	r->ist[1] = *(const u64 *)(r->tss_base + 44);
	__asm__ __volatile__("mov %%cr0, %0" : "=r"(r->cr0));
	r->cr4 = read_cr4();
	for (int i = 0; i < 5; i++)
		r->msr[i] = rdmsr(same_msrs[i]);
	r->msr[4] &= ~APIC_BASE_BSP;
	r->irqs_off = !(arch_local_save_flags() & X86_EFLAGS_IF);
	__atomic_fetch_add(&r->calls, 1, __ATOMIC_SEQ_CST);
}

static void clear_reports(void)
{
	for (int i = 0; i < NR_CPUS; i++)
		reports[i] = (struct cpu_report){ .cpu = -1 };
}

KTEST(smp, call_function_single_runs_on_that_cpu)
{
	int cpu;

	NEED_TWO_CPUS(t);
	clear_reports();
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!cpu_online(cpu))
			continue;
		KTEST_EXPECT_EQ(t,
				smp_call_function_single(cpu, report_self, NULL,
							 true),
				0);
		/* wait: the report is complete when the call returns */
		KTEST_EXPECT_EQ(t, reports[cpu].cpu, cpu);
		KTEST_EXPECT_EQ(t, reports[cpu].calls, 1);
		KTEST_EXPECT_EQ(t, reports[cpu].apic_id,
				x86_cpu_to_apicid[cpu]);
		KTEST_EXPECT(t, reports[cpu].irqs_off);
	}
}

KTEST(smp, call_function_single_offline_cpu_is_enxio)
{
	int cpu = NR_CPUS - 1;

	clear_reports();
	if (cpu_online(cpu))
		KTEST_SKIP(t, "every CPU number is online");
	KTEST_EXPECT_EQ(t,
			smp_call_function_single(cpu, report_self, NULL, true),
			-ENXIO);
	KTEST_EXPECT_EQ(t,
			smp_call_function_single(-1, report_self, NULL, true),
			-ENXIO);
	for (int i = 0; i < NR_CPUS; i++)
		KTEST_EXPECT_EQ(t, reports[i].calls, 0);
}

KTEST(smp, on_each_cpu_runs_once_on_every_online_cpu)
{
	int cpu, ran = 0;

	NEED_TWO_CPUS(t);
	clear_reports();
	on_each_cpu(report_self, NULL, true);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		KTEST_EXPECT_EQ(t, reports[cpu].calls, cpu_online(cpu) ? 1 : 0);
		ran += reports[cpu].calls;
	}
	KTEST_EXPECT_EQ(t, ran, num_online_cpus());
}

static int nowait_hits;

static void count_hit(void *arg)
{
	(void)arg;
	__atomic_fetch_add(&nowait_hits, 1, __ATOMIC_SEQ_CST);
}

KTEST(smp, call_function_many_without_wait_still_runs)
{
	u64 t0;
	int want = num_online_cpus() - 1;

	NEED_TWO_CPUS(t);
	nowait_hits = 0;
	smp_call_function_many(cpu_online_mask, count_hit, NULL, false);
	t0 = ktime_get_ns();
	while (__atomic_load_n(&nowait_hits, __ATOMIC_SEQ_CST) < want &&
	       ktime_get_ns() - t0 < WAIT_NS)
		cpu_relax();
	/* every other CPU once, this one not at all */
	KTEST_EXPECT_EQ(t, __atomic_load_n(&nowait_hits, __ATOMIC_SEQ_CST),
			want);
}

KTEST(smp, per_cpu_gs_gdt_tss_and_ist_stacks_differ)
{
	int a, b;

	NEED_TWO_CPUS(t);
	clear_reports();
	on_each_cpu(report_self, NULL, true);
	for (a = 0; a < NR_CPUS; a++) {
		struct cpu_report *ra = &reports[a];

		if (!cpu_online(a))
			continue;
		KTEST_EXPECT_EQ(t, ra->gs_base, (u64)per_cpu_area(a));
		KTEST_EXPECT(t, ra->ist[0] && ra->ist[1] &&
					ra->ist[0] != ra->ist[1]);
		for (b = a + 1; b < NR_CPUS; b++) {
			struct cpu_report *rb = &reports[b];

			if (!cpu_online(b))
				continue;
			KTEST_EXPECT(t, ra->gs_base != rb->gs_base);
			KTEST_EXPECT(t, ra->gdt_base != rb->gdt_base);
			KTEST_EXPECT(t, ra->tss_base != rb->tss_base);
			KTEST_EXPECT(t, ra->ist[0] != rb->ist[0]);
			KTEST_EXPECT(t, ra->ist[1] != rb->ist[1]);
			KTEST_EXPECT(t, ra->apic_id != rb->apic_id);
		}
	}
}

KTEST(smp, reschedule_ipi_arrives)
{
	int cpu;

	NEED_TWO_CPUS(t);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		unsigned long before;
		u64 t0;

		if (!cpu_online(cpu) || cpu == smp_processor_id())
			continue;
		before = smp_resched_ipi_count(cpu);
		smp_send_reschedule(cpu);
		t0 = ktime_get_ns();
		while (smp_resched_ipi_count(cpu) == before &&
		       ktime_get_ns() - t0 < WAIT_NS)
			cpu_relax();
		KTEST_EXPECT_EQ(t, smp_resched_ipi_count(cpu), before + 1);
	}
}

KTEST(smp, many_calls_in_a_row_lose_none)
{
	int cpu, rounds = 2000;

	NEED_TWO_CPUS(t);
	clear_reports();
	for (int i = 0; i < rounds; i++)
		smp_call_function_many(cpu_online_mask, report_self, NULL,
				       i & 1);
	/* Even rounds do not wait, odd ones do; the last (odd) one waited
	 * for every CPU, and each took the calls in order. */
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		u64 t0 = ktime_get_ns();

		if (!cpu_online(cpu))
			continue;
		if (cpu == smp_processor_id()) {
			KTEST_EXPECT_EQ(t, reports[cpu].calls, 0);
			continue;
		}
		while (__atomic_load_n(&reports[cpu].calls, __ATOMIC_SEQ_CST) <
			       rounds &&
		       ktime_get_ns() - t0 < WAIT_NS)
			cpu_relax();
		KTEST_EXPECT_EQ(t, reports[cpu].calls, rounds);
	}
}

/* CR0/CR4 (PGE, SSE, SMEP, SMAP, WP), EFER (NXE, SCE, LME), the syscall
 * MSRs and the enabled APIC: every CPU as the boot CPU. */
KTEST(smp, control_registers_and_msrs_match_the_boot_cpu)
{
	int cpu;

	NEED_TWO_CPUS(t);
	clear_reports();
	on_each_cpu(report_self, NULL, true);
	KTEST_ASSERT(t, reports[0].calls == 1);
	KTEST_EXPECT(t, reports[0].cr4 & X86_CR4_PGE);
	for (cpu = 1; cpu < NR_CPUS; cpu++) {
		if (!cpu_online(cpu))
			continue;
		KTEST_EXPECT_EQ(t, reports[cpu].cr0, reports[0].cr0);
		KTEST_EXPECT_EQ(t, reports[cpu].cr4, reports[0].cr4);
		for (int i = 0; i < 5; i++)
			KTEST_EXPECT_EQ(t, reports[cpu].msr[i],
					reports[0].msr[i]);
	}
}

/* Each CPU's own LAPIC timer ticks at about HZ: each takes 10 within
 * WAIT_NS, and none takes more than two a millisecond (TCG's timers are
 * loose, not that loose). */
KTEST(smp, every_cpu_takes_timer_interrupts)
{
	unsigned long before[NR_CPUS], n[NR_CPUS];
	u64 start = ktime_get_ns(), ms;
	bool all;
	int cpu;

	NEED_TWO_CPUS(t);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		before[cpu] = READ_ONCE(apic_timer_irqs[cpu]);
	/* Until every CPU took 10, or for WAIT_NS: a vCPU the busy host
	 * does not run takes none meanwhile, while jiffies (kept by
	 * whichever CPU runs) go on, so count against the TSC. */
	do {
		msleep(10);
		all = true;
		for_each_online_cpu(cpu)
		{
			n[cpu] = READ_ONCE(apic_timer_irqs[cpu]) - before[cpu];
			all &= n[cpu] >= 10;
		}
	} while (!all && ktime_get_ns() - start < WAIT_NS);
	ms = (ktime_get_ns() - start) / 1000000;
	for_each_online_cpu(cpu)
	{
		/* HZ = 1000: about one a millisecond, never many more. */
		if (n[cpu] < 10 || n[cpu] > 2 * ms + 10)
			ktest_fail(t, __FILE__, __LINE__,
				   "CPU %d took %lu timer interrupts in %llu ms",
				   cpu, n[cpu], (unsigned long long)ms);
	}
}
