/*
 * test_tlb.c - in-kernel tests of what a TLB shootdown protects
 * (flush_tlb_mm_range() and struct mmu_gather, mm/pgtable.c;
 * docs/concurrency.md): munmap frees neither a page nor a page-table
 * page before every CPU that could still reach it has answered the
 * shootdown. Suite: tlb (test=tlb). Needs two CPUs; SKIPs with one.
 *
 * The POE walker (arch/x86_64/poe_walk.c) walks the current page tables
 * in software with interrupts off and without mmap_lock. What keeps a
 * table from being freed under it is only the order of munmap: unhook
 * the table, shoot down (the IPI waits until the walker's CPU has
 * interrupts on again, so the walk is over), then free. Linux relies on
 * the same for GUP-fast (tlb_remove_table()).
 *
 * So CPU B stands in for a walker: a thread bound to it turns
 * interrupts off, loads the test mm (switch_mm(), which puts B in
 * mm_cpumask) and looks up the PTE of an address, while a thread on CPU
 * A munmaps that address. B keeps interrupts off until the shootdown's
 * IPI is pending at its local APIC, watching the pages it could reach,
 * then 10 ms longer; or until munmap returns without having waited for
 * it, a failure of its own. With the right order nothing can be freed
 * while B watches: A is still waiting for B's answer. If the kernel
 * frees first, the page is gone by the time the IPI is sent, so B sees
 * it every time. No timing is guessed: B waits for the IPI itself.
 *
 * To see a free without racing a reallocation, the test takes a
 * reference of its own on every watched page before the munmap: the
 * kernel's free then shows as the count falling from 2 to 1, and the
 * page really goes back to the allocator only when the test drops its
 * reference at the end.
 */
#include <kernel/ktest.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <mm/mman.h>
#include <mm/mmap_lock.h>
#include <mm/mm_types.h>
#include <mm/page.h>
#include <mm/pgtable.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <asm/smp.h>
#include <asm/trap_pf.h>
#include "pte_helpers.h"

/* A 1 TiB boundary, alone in its PML4 entry: the pud, pmd and pte
 * tables below it hold nothing else, so munmap frees all three. */
#define BASE	     0x0000100000000000UL
#define NWATCH	     4
#define WAIT_NS	     (5000ULL * 1000 * 1000)  /* 5 s: only if A is stuck */
#define WATCH_NS     (10ULL * 1000 * 1000)    /* 10 ms after the IPI */
#define DONE_WAIT_NS (20000ULL * 1000 * 1000) /* 20 s for both */

struct shootdown_race {
	struct mm_struct *mm;
	/* The pages B could reach, with the test's reference on each. */
	struct page *watch[NWATCH];
	const char *name[NWATCH];
	int nwatch;
	/* B's results, written before it sets b_done. */
	volatile int walking; /* B is "mid-walk": A may unmap */
	bool found_pte;	      /* B's lookup found the PTE slot */
	bool ipi_seen;	      /* the shootdown IPI reached B */
	bool unmapped_first;  /* munmap returned while B walked */
	int refcount[NWATCH]; /* the lowest count B saw of each */
	/* A's result. */
	long munmap_ret;
	volatile int a_done, b_done;
};

/*
 * Whether vector is pending at this CPU's local APIC: its bit in the
 * interrupt request register, eight 32-bit registers 16 bytes apart from
 * offset 0x200 (Intel SDM vol. 3, "Interrupt Acceptance for Fixed
 * Interrupts"). A fixed IPI stays there while interrupts are off. The
 * LAPIC page is in the direct map (arch/x86_64/apic.c).
 */
static bool lapic_vector_pending(unsigned int vector)
{
	const volatile u32 *irr =
		__va((rdmsr(MSR_APIC_BASE) & 0xffffff000ULL) + 0x200);

	return (irr[(vector / 32) * 4] >> (vector % 32)) & 1;
}

/*
 * CPU B: a walker holding the mm's tables with interrupts off, until
 * the shootdown's IPI has waited WATCH_NS at its local APIC, or munmap
 * returned without one (then nothing waited for B: a failure).
 */
static int walker_fn(void *arg)
{
	struct shootdown_race *s = arg;
	unsigned long flags;
	u64 t0, seen = 0;
	pte_t *pte;

	for (int i = 0; i < s->nwatch; i++)
		s->refcount[i] = s->watch[i]->refcount;
	local_irq_save(flags);
	switch_mm(s->mm); /* into mm_cpumask: shootdowns now wait for B */
	pte = pte_slot(s->mm, BASE);
	s->found_pte = pte != NULL;
	WRITE_ONCE(s->walking, 1);
	t0 = ktime_get_ns();
	for (;;) {
		u64 now = ktime_get_ns();
		bool a_done = READ_ONCE(s->a_done);

		if (pte)
			(void)READ_ONCE(*pte); /* what a walker reads */
		for (int i = 0; i < s->nwatch; i++)
			s->refcount[i] = MIN(s->refcount[i],
					     READ_ONCE(s->watch[i]->refcount));
		if (!seen && lapic_vector_pending(CALL_FUNCTION_VECTOR))
			seen = now;
		if (seen ? now - seen >= WATCH_NS :
			   a_done || now - t0 >= WAIT_NS)
			break;
		cpu_relax();
	}
	s->ipi_seen = seen != 0;
	s->unmapped_first = READ_ONCE(s->a_done);
	local_irq_restore(flags); /* the shootdown runs here; A goes on */
	local_irq_save(flags);
	switch_mm(NULL); /* before the test can free the mm's pgd */
	local_irq_restore(flags);
	WRITE_ONCE(s->b_done, 1);
	return 0;
}

/* CPU A: munmap once B is walking. */
static int unmapper_fn(void *arg)
{
	struct shootdown_race *s = arg;
	u64 t0 = ktime_get_ns();

	while (!READ_ONCE(s->walking) && ktime_get_ns() - t0 < WAIT_NS)
		cpu_relax();
	s->munmap_ret = do_munmap(s->mm, BASE, PAGE_SIZE);
	WRITE_ONCE(s->a_done, 1);
	return 0;
}

/* Watch page p (named name for the report): take the test's reference. */
static void watch_page(struct shootdown_race *s, struct page *p,
		       const char *name)
{
	get_page(p);
	s->watch[s->nwatch] = p;
	s->name[s->nwatch++] = name;
}

/* Watch the pud, pmd and pte tables that BASE's walk passes through. */
static void watch_tables(struct shootdown_race *s)
{
	pgd_t *pgd = pgd_offset(s->mm, BASE);
	pud_t *pud = pud_offset(pgd, BASE);
	pmd_t *pmd = pmd_offset(pud, BASE);

	watch_page(s, virt_to_page(pud_offset(pgd, 0)), "pud table");
	watch_page(s, virt_to_page(pmd_offset(pud, 0)), "pmd table");
	watch_page(s, virt_to_page(pmd_page_vaddr(*pmd)), "pte table");
}

/*
 * Run B (walker) and A (unmapper) on two CPUs and check what B saw:
 * the shootdown reached it, nothing watched was freed before it
 * answered, and everything was freed after. Drops the test's
 * references; the caller still owns the mm.
 */
static void race_unmap_against_walker(struct ktest *t, struct shootdown_race *s)
{
	int cpu_a = cpumask_first(cpu_online_mask);
	int cpu_b = cpumask_next(cpu_a, cpu_online_mask);
	struct task *a, *b;
	u64 t0;

	b = kthread_create_on_cpu(walker_fn, s, cpu_b, "ktest-walker/%u");
	a = kthread_create_on_cpu(unmapper_fn, s, cpu_a, "ktest-unmap/%u");
	if (!a || !b) {
		ktest_fail(t, __FILE__, __LINE__, "kthread_create_on_cpu");
		if (a)
			kthread_stop(a); /* never started: never runs */
		if (b)
			kthread_stop(b);
		for (int i = 0; i < s->nwatch; i++)
			put_page(s->watch[i]);
		return;
	}
	wake_up_process(b);
	wake_up_process(a);
	/* kthread_stop() of a thread that has not run yet would skip it */
	t0 = ktime_get_ns();
	while (!(READ_ONCE(s->a_done) && READ_ONCE(s->b_done)) &&
	       ktime_get_ns() - t0 < DONE_WAIT_NS)
		msleep(1);
	KTEST_EXPECT(t, s->a_done && s->b_done);
	kthread_stop(b);
	kthread_stop(a);

	KTEST_EXPECT_EQ(t, s->munmap_ret, 0);
	KTEST_EXPECT(t, s->found_pte);
	if (s->unmapped_first)
		ktest_fail(t, __FILE__, __LINE__,
			   "munmap returned while CPU %d still walked with "
			   "interrupts off: no shootdown waited for it",
			   cpu_b);
	else if (!s->ipi_seen)
		ktest_fail(t, __FILE__, __LINE__,
			   "no shootdown IPI reached CPU %d within 5 s", cpu_b);
	for (int i = 0; i < s->nwatch; i++) {
		if (s->refcount[i] < 2)
			ktest_fail(t, __FILE__, __LINE__,
				   "the %s was freed (refcount 2 -> %d) while "
				   "CPU %d still walked with interrupts off, "
				   "before it answered the shootdown",
				   s->name[i], s->refcount[i], cpu_b);
		/* Once B answered, munmap went on and freed it. */
		if (s->watch[i]->refcount != 1)
			ktest_fail(t, __FILE__, __LINE__,
				   "the %s: refcount %d after the munmap, "
				   "expected 1 (the test's own)",
				   s->name[i], s->watch[i]->refcount);
		put_page(s->watch[i]);
	}
	KTEST_EXPECT_EQ(t, s->mm->nr_pgtables, 1); /* the pgd alone */
}

/* A fresh mm with a one-page VMA at BASE. */
static struct mm_struct *base_mm(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	long a;

	if (!mm)
		return NULL;
	a = do_mmap(mm, BASE, PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
	if (a != (long)BASE) {
		ktest_fail(t, __FILE__, __LINE__, "do_mmap: %ld", a);
		mmput(mm);
		return NULL;
	}
	return mm;
}

/*
 * The walker's case: tables with nothing present in them (as the POE
 * pre-fault thread leaves them, holding only marks), so that the one
 * shootdown of the munmap is the one for the tables. Freeing the tables
 * before it (tlb_finish_mmu(), or free_pgtables() freeing at once)
 * fails here.
 */
KTEST(tlb, page_tables_freed_only_after_the_shootdown)
{
	static struct shootdown_race s;
	pmd_t *pmd = NULL;
	pud_t *pud;

	if (num_online_cpus() < 2)
		KTEST_SKIP(t, "one CPU online (boot with SMP=2)");
	s = (struct shootdown_race){ .mm = base_mm(t) };
	KTEST_ASSERT(t, s.mm);
	mmap_write_lock(s.mm);
	/* Each level hooked in under page_table_lock, taken inside. */
	pud = pud_alloc(s.mm, pgd_offset(s.mm, BASE), BASE);
	if (pud)
		pmd = pmd_alloc(s.mm, pud, BASE);
	if (pmd && pte_alloc(s.mm, pmd))
		pmd = NULL;
	mmap_write_unlock(s.mm);
	KTEST_EXPECT(t, pmd != NULL);
	if (pmd) {
		KTEST_EXPECT_EQ(t, s.mm->nr_pgtables, 4);
		watch_tables(&s);
		race_unmap_against_walker(t, &s);
	}
	mmput(s.mm);
}

/*
 * The CPU's own walker: a mapped page, which B's TLB may still reach,
 * is freed only after the shootdown too (tlb_flush_mmu()), and its
 * tables after the one that follows. Dropping the pages' references
 * before the flush fails here.
 */
KTEST(tlb, unmapped_page_freed_only_after_the_shootdown)
{
	static struct shootdown_race s;
	pte_t pte;

	if (num_online_cpus() < 2)
		KTEST_SKIP(t, "one CPU online (boot with SMP=2)");
	s = (struct shootdown_race){ .mm = base_mm(t) };
	KTEST_ASSERT(t, s.mm);
	KTEST_EXPECT_EQ(t,
			handle_user_addr_fault(s.mm, X86_PF_USER | X86_PF_WRITE,
					       BASE),
			0);
	pte = pte_of(s.mm, BASE);
	KTEST_EXPECT(t, pte_present(pte) && !is_zero_pfn(pte_pfn(pte)));
	if (pte_present(pte)) {
		watch_page(&s, pfn_to_page(pte_pfn(pte)), "page");
		watch_tables(&s);
		race_unmap_against_walker(t, &s);
	}
	mmput(s.mm);
}
