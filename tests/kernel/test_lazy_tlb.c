/*
 * test_lazy_tlb.c - in-kernel tests of what a CPU's page table costs and
 * who may run on it: switch_mm() (mm/user_mm.c) and its CR3 loads.
 * Suite: lazy_tlb (test=lazy_tlb).
 */
#include <kernel/ktest.h>
#include <kernel/smp.h>
#include <mm/user_mm.h>
#include <asm/irqflags.h>

/* ---- the counter ---------------------------------------------------- */

/* switch_mm_cr3_loads() counts real CR3 writes only. */
KTEST(lazy_tlb, switch_mm_counts_cr3_loads)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long flags, n[5];
	int cpu;

	KTEST_ASSERT(t, mm);
	local_irq_save(flags);
	cpu = smp_processor_id();
	n[0] = switch_mm_cr3_loads(cpu);
	switch_mm(mm);
	n[1] = switch_mm_cr3_loads(cpu);
	switch_mm(mm); /* loaded already */
	n[2] = switch_mm_cr3_loads(cpu);
	switch_mm(NULL);
	n[3] = switch_mm_cr3_loads(cpu);
	switch_mm(NULL);
	n[4] = switch_mm_cr3_loads(cpu);
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, n[1] - n[0], 1);
	KTEST_EXPECT_EQ(t, n[2] - n[1], 0);
	KTEST_EXPECT_EQ(t, n[3] - n[2], 1);
	KTEST_EXPECT_EQ(t, n[4] - n[3], 0);
	mmput(mm);
}
