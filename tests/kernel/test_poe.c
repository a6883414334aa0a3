/*
 * test_poe.c - in-kernel tests of the POE pipeline (include/mm/poe.h):
 * the emulated walker called exactly as the #PF stub calls it, on a test
 * address space loaded in CR3 with CR2 set by hand; pre-fault marking,
 * the tables, error handling, mprotect/munmap on marks, the full handler
 * on a POEable PTE, and enable/disable cycles. There are two walkers, the
 * C reference (poe_walk(), arch/x86_64/poe_walk.c) and the assembly one
 * the #PF stub runs by default (poe_walk_asm(), arch/x86_64/poe_walk.asm):
 * every test that walks runs once on each (NAME_c, NAME_asm).
 * Suite: poe (test=poe). ktest_run() checks each test gives back every
 * page it took, so the tables, their pages and the test mm must all go.
 */
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <mm/mman.h>
#include <mm/mmap_lock.h>
#include <mm/mm_types.h>
#include <mm/page_alloc.h>
#include <mm/poe.h>
#include <mm/swap.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <asm/trap_pf.h>
#include "pte_helpers.h"
#include "remote_fault.h"

#define TEST_TGID 0x7ffffff0 /* no real process has it */
#define NPAGES	  16

/* The walker under test: poe_walk() or poe_walk_asm(). */
typedef bool (*walker_fn)(unsigned long ec);
static walker_fn walker = poe_walk;

/* Run walker fn for a user fault at va with error code ec, as the #PF
 * stub would: CR3 = mm, CR2 = va, interrupts off. */
static bool walk_with(walker_fn fn, struct mm_struct *mm, unsigned long va,
		      unsigned long ec)
{
	unsigned long flags;
	bool hit;

	local_irq_save(flags);
	switch_mm(mm);
	__asm__ __volatile__("mov %0, %%cr2" : : "r"(va) : "memory");
	hit = fn(ec | X86_PF_USER);
	switch_mm(NULL);
	local_irq_restore(flags);
	return hit;
}

/* Run the walker under test. */
static bool walk(struct mm_struct *mm, unsigned long va, unsigned long ec)
{
	return walk_with(walker, mm, va, ec);
}

/*
 * KTEST_WALKERS(name) { ... } - a walker test, registered twice: name_c
 * runs the body with the C walker, name_asm with the assembly one, so
 * that both meet every check.
 */
#define KTEST_WALKERS(name)                          \
	static void walkers_##name(struct ktest *t); \
	KTEST(poe, name##_c)                         \
	{                                            \
		walker = poe_walk;                   \
		walkers_##name(t);                   \
	}                                            \
	KTEST(poe, name##_asm)                       \
	{                                            \
		walker = poe_walk_asm;               \
		walkers_##name(t);                   \
		walker = poe_walk;                   \
	}                                            \
	static void walkers_##name(struct ktest *t)

/*
 * A test mm with POE on and an NPAGES region [*base, ...) with rights
 * prot, marked POEable (synchronously: no pre-fault thread, so the test
 * controls the timing), and this CPU's table filled.
 */
static struct mm_struct *poe_mm(struct ktest *t, unsigned long prot,
				unsigned long *base)
{
	struct mm_struct *mm = mm_alloc();
	long addr, n;

	if (!mm)
		return NULL;
	/* Map first (no pre-fault thread), then make it a POE region. */
	addr = do_mmap(mm, 0, NPAGES * PAGE_SIZE, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (addr < 0 || poe_enable(mm, TEST_TGID)) {
		ktest_fail(t, __FILE__, __LINE__,
			   "mmap %ld / poe_enable failed", addr);
		mmput(mm);
		return NULL;
	}
	mmap_write_lock(mm);
	find_vma(mm, addr)->vm_flags |= VM_POE;
	n = poe_mark_range(mm, addr, addr + NPAGES * PAGE_SIZE);
	mmap_write_unlock(mm);
	KTEST_EXPECT_EQ(t, n, prot ? NPAGES : 0);
	poe_refill_table(poe_this_table());
	*base = addr;
	return mm;
}

static void poe_mm_put(struct mm_struct *mm)
{
	poe_disable(mm);
	mmput(mm);
}

static bool page_is_zero(pfn_t pfn)
{
	const u64 *p = __va((phys_addr_t)pfn << PAGE_SHIFT);

	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		if (p[i])
			return false;
	return true;
}

/* Used entries carrying tgid in this CPU's table. */
static unsigned long pending(int tgid)
{
	struct poe_table *tb = poe_this_table();
	struct poe_entry *e;
	unsigned long n = 0;

	if (!tb)
		return 0;
	poe_for_each_entry(e, tb)
		n += (e->va & POE_ENTRY_USED) && e->tgid == (u32)tgid;
	return n;
}

KTEST(poe, marks_encode_rights_and_tgid)
{
	unsigned long base;
	struct mm_struct *mm = poe_mm(t, PROT_READ | PROT_WRITE, &base);
	pte_t pte;

	KTEST_ASSERT(t, mm);
	pte = pte_of(mm, base);
	KTEST_EXPECT(t, pte_poeable(pte));
	KTEST_EXPECT(t, !pte_present(pte));
	KTEST_EXPECT(t, pte & _PAGE_RW);
	KTEST_EXPECT(t, !(pte & _PAGE_POE_LOCK));
	KTEST_EXPECT_EQ(t, (pte & PTE_PFN_MASK) >> POE_PTE_TGID_SHIFT,
			TEST_TGID);
	KTEST_EXPECT(t, !(pte & _PAGE_PROTNONE));
	poe_mm_put(mm);
}

KTEST(poe, table_holds_only_zeroed_pages)
{
	unsigned long base;
	struct mm_struct *mm = poe_mm(t, PROT_READ | PROT_WRITE, &base);
	struct poe_table *tb = poe_this_table();
	struct poe_entry *e;
	unsigned valid = 0;

	KTEST_ASSERT(t, mm && tb);
	KTEST_EXPECT_EQ(t, tb->hdr.nr_entries, poe_nr_entries);
	poe_for_each_entry(e, tb) {
		if (!(e->va & POE_ENTRY_VALID))
			continue;
		valid++;
		KTEST_EXPECT(t, page_is_zero(e->pfn));
		KTEST_EXPECT_EQ(t, pfn_to_page(e->pfn)->refcount, 1);
	}
	KTEST_EXPECT_EQ(t, valid, tb->hdr.nr_entries);	/* refilled: full */
	KTEST_EXPECT_EQ(t, tb->hdr.head, tb->hdr.tail); /* full ring */
	poe_mm_put(mm);
}

KTEST_WALKERS(walker_maps_from_the_tail)
{
	unsigned long base;
	struct mm_struct *mm = poe_mm(t, PROT_READ | PROT_WRITE, &base);
	struct poe_table *tb = poe_this_table();
	unsigned long hits0 = this_cpu()->poe_walker_stats.hits;

	KTEST_ASSERT(t, mm && tb);
	for (int i = 0; i < NPAGES; i++) {
		unsigned long va = base + i * PAGE_SIZE + 123;
		bool write = i & 1;
		u32 tail = tb->hdr.tail;
		u32 pfn = tb->ent[tail].pfn;
		pte_t pte;

		KTEST_ASSERT(t, walk(mm, va, write ? X86_PF_WRITE : 0));
		pte = pte_of(mm, va);
		KTEST_EXPECT_EQ(t, pte_pfn(pte), pfn);
		KTEST_EXPECT_EQ(t, pte & ~PTE_PFN_MASK,
				_PAGE_PRESENT | _PAGE_USER | _PAGE_RW |
					_PAGE_ACCESSED |
					(boot_cpu.has_nx ? _PAGE_NX : 0) |
					(write ? _PAGE_DIRTY : 0));
		KTEST_EXPECT_EQ(t, tb->ent[tail].va,
				(base + i * PAGE_SIZE) | POE_ENTRY_USED);
		KTEST_EXPECT_EQ(t, tb->ent[tail].tgid, TEST_TGID);
		KTEST_EXPECT_EQ(t, tb->hdr.tail,
				poe_next(tail, tb->hdr.nr_entries));
		KTEST_EXPECT(t, page_is_zero(pfn));
		/* A present PTE is never taken again. */
		KTEST_EXPECT(t, !walk(mm, va, X86_PF_WRITE));
	}
	KTEST_EXPECT_EQ(t, this_cpu()->poe_walker_stats.hits - hits0, NPAGES);
	poe_mm_put(mm);
}

KTEST_WALKERS(walker_declines_and_changes_nothing)
{
	unsigned long base, va;
	struct mm_struct *mm = poe_mm(t, PROT_READ, &base);
	struct poe_table *tb = poe_this_table();
	struct poe_walker_stats *ws = &this_cpu()->poe_walker_stats;
	unsigned long locked0 = ws->fb_pte_locked, tlock0 = ws->fb_table_locked;
	pte_t before;
	u32 tail;

	KTEST_ASSERT(t, mm && tb);
	va = base + PAGE_SIZE;
	before = pte_of(mm, va);
	tail = tb->hdr.tail;
	KTEST_EXPECT(t, pte_poeable(before) && !(before & _PAGE_RW));
	/* A write to a read-only mark, an instruction fetch from an NX one,
	 * a protection fault, a reserved bit, kernel and unmapped addresses. */
	KTEST_EXPECT(t, !walk(mm, va, X86_PF_WRITE));
	if (boot_cpu.has_nx)
		KTEST_EXPECT(t, !walk(mm, va, X86_PF_INSTR));
	KTEST_EXPECT(t, !walk(mm, va, X86_PF_PROT));
	KTEST_EXPECT(t, !walk(mm, va, X86_PF_RSVD));
	KTEST_EXPECT(t, !walk(mm, PAGE_OFFSET, 0));
	KTEST_EXPECT(t, !walk(mm, USER_TOP, 0)); /* the first non-user byte */
	KTEST_EXPECT(t, !walk(mm, base + 64 * PMD_SIZE, 0)); /* no tables */
	KTEST_EXPECT(t,
		     !walk(mm, base + NPAGES * PAGE_SIZE, 0)); /* not marked */
	/* PTE lock held by "the other path". */
	pte_slot(mm, va)[0] |= _PAGE_POE_LOCK;
	KTEST_EXPECT(t, !walk(mm, va, 0));
	KTEST_EXPECT_EQ(t, ws->fb_pte_locked - locked0, 1);
	KTEST_EXPECT_EQ(t, pte_of(mm, va), before | _PAGE_POE_LOCK);
	pte_slot(mm, va)[0] &= ~_PAGE_POE_LOCK;
	/* Table lock held by error handling. */
	tb->hdr.lock |= POE_TABLE_LOCK;
	KTEST_EXPECT(t, !walk(mm, va, 0));
	tb->hdr.lock &= ~POE_TABLE_LOCK;
	KTEST_EXPECT_EQ(t, ws->fb_table_locked - tlock0, 1);
	/* The register's enable bit off. */
	this_cpu()->poe_reg.enable = 0;
	KTEST_EXPECT(t, !walk(mm, va, 0));
	this_cpu()->poe_reg.enable = 1;
	/* Nothing moved, and the PTE is unlocked again. */
	KTEST_EXPECT_EQ(t, pte_of(mm, va), before);
	KTEST_EXPECT_EQ(t, tb->hdr.tail, tail);
	/* And now a read it may take. */
	KTEST_EXPECT(t, walk(mm, va, 0));
	KTEST_EXPECT(t, pte_present(pte_of(mm, va)) &&
				!(pte_of(mm, va) & _PAGE_RW));
	poe_mm_put(mm);
}

KTEST_WALKERS(empty_table_falls_back_and_kicks)
{
	unsigned long base, flags;
	struct mm_struct *mm = poe_mm(t, PROT_READ | PROT_WRITE, &base);
	struct poe_table *tb = poe_this_table();
	struct poe_walker_stats *ws = &this_cpu()->poe_walker_stats;
	unsigned long empty0 = ws->fb_table_empty;
	unsigned n = 0;
	bool kick;
	long extra;

	KTEST_ASSERT(t, mm && tb);
	/* A region bigger than the table. */
	extra = do_mmap(mm, 0, (poe_nr_entries + 8) * PAGE_SIZE,
			PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0);
	KTEST_ASSERT(t, extra > 0);
	mmap_write_lock(mm);
	find_vma(mm, extra)->vm_flags |= VM_POE;
	poe_mark_range(mm, extra, extra + (poe_nr_entries + 8) * PAGE_SIZE);
	mmap_write_unlock(mm);
	/* Keep the background out: consume with interrupts off. */
	local_irq_save(flags);
	this_cpu()->poe_need_refill = false;
	for (unsigned i = 0; i < poe_nr_entries + 8; i++)
		n += walk(mm, extra + i * PAGE_SIZE, X86_PF_WRITE);
	kick = this_cpu()
		       ->poe_need_refill; /* a tick would clear it: read it now */
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, n, poe_nr_entries);
	KTEST_EXPECT_EQ(t, ws->fb_table_empty - empty0, 8);
	KTEST_EXPECT_EQ(t, kick, 1);
	/* The full handler maps what the walker could not. */
	KTEST_EXPECT_EQ(t,
			handle_user_addr_fault(mm, X86_PF_USER | X86_PF_WRITE,
					       extra + poe_nr_entries *
							       PAGE_SIZE),
			0);
	KTEST_EXPECT(t, pte_present(pte_of(mm, extra + poe_nr_entries *
							       PAGE_SIZE)));
	poe_mm_put(mm);
}

KTEST_WALKERS(error_handling_accounts_before_free)
{
	unsigned long base, flags, lru0 = nr_lru_pages();
	struct mm_struct *mm = poe_mm(t, PROT_READ | PROT_WRITE, &base);
	unsigned long rss0;

	KTEST_ASSERT(t, mm);
	rss0 = mm->rss;
	for (int i = 0; i < NPAGES; i++)
		KTEST_EXPECT(t, walk(mm, base + i * PAGE_SIZE, X86_PF_WRITE));
	/* Accounted by post-fault work or still pending: never both. The
	 * post-fault work needs page_table_lock, so it cannot run between
	 * the two reads. */
	mmap_write_lock(mm);
	spin_lock_irqsave(&mm->page_table_lock, flags);
	KTEST_EXPECT_EQ(t, mm->rss - rss0 + pending(TEST_TGID), NPAGES);
	spin_unlock_irqrestore(&mm->page_table_lock, flags);
	poe_error_handling(mm); /* takes page_table_lock itself */
	KTEST_EXPECT_EQ(t, pending(TEST_TGID), 0);
	KTEST_EXPECT_EQ(t, mm->rss - rss0, NPAGES);
	mmap_write_unlock(mm);
	KTEST_EXPECT_EQ(t, nr_lru_pages() - lru0, NPAGES);
	{
		struct page *pg =
			pfn_to_page(pte_pfn(pte_of(mm, base + PAGE_SIZE)));

		KTEST_EXPECT(t, PageLRU(pg));
		KTEST_EXPECT(t, pg->rmap_mm == mm);
		KTEST_EXPECT_EQ(t, pg->rmap_va, base + PAGE_SIZE);
	}
	/* munmap frees them and takes them off the LRU. */
	KTEST_EXPECT_EQ(t, do_munmap(mm, base, NPAGES * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, mm->rss, rss0);
	KTEST_EXPECT_EQ(t, nr_lru_pages(), lru0);
	poe_mm_put(mm);
}

KTEST_WALKERS(exit_with_used_entries_pending)
{
	unsigned long base, rec0, post0, bad0 = nr_bad_frees();
	struct mm_struct *mm = poe_mm(t, PROT_READ | PROT_WRITE, &base);
	unsigned long flags;

	KTEST_ASSERT(t, mm);
	local_irq_save(flags); /* no post-fault work in between */
	rec0 = poe_counters.error_recoveries;
	post0 = poe_counters.postfault_entries;
	for (int i = 0; i < NPAGES; i++)
		walk(mm, base + i * PAGE_SIZE, X86_PF_WRITE);
	KTEST_EXPECT_EQ(t, pending(TEST_TGID), NPAGES);
	local_irq_restore(flags);
	/* mmput: error handling first, then the pages go (the ktest leak
	 * check fails this test if one is lost or freed twice). Each entry
	 * is processed exactly once, by whichever came first. */
	poe_mm_put(mm);
	KTEST_EXPECT_EQ(t,
			poe_counters.error_recoveries - rec0 +
				poe_counters.postfault_entries - post0,
			NPAGES);
	KTEST_EXPECT_EQ(t, pending(TEST_TGID), 0);
	KTEST_EXPECT_EQ(t, nr_bad_frees() - bad0, 0);
}

KTEST(poe, full_handler_on_poeable_pte)
{
	unsigned long base, nm0 = poe_counters.fb_not_marked;
	struct mm_struct *mm = poe_mm(t, PROT_READ | PROT_WRITE, &base);
	unsigned long flags;
	spinlock_t *ptl;
	pte_t *p;

	KTEST_ASSERT(t, mm);
	/* A read: the zero page, read-only, mark and lock gone. */
	KTEST_EXPECT_EQ(t, handle_user_addr_fault(mm, X86_PF_USER, base), 0);
	KTEST_EXPECT(t, pte_present(pte_of(mm, base)) &&
				is_zero_pfn(pte_pfn(pte_of(mm, base))));
	/* A write: a fresh page, RW. */
	KTEST_EXPECT_EQ(t,
			handle_user_addr_fault(mm, X86_PF_USER | X86_PF_WRITE,
					       base + PAGE_SIZE),
			0);
	KTEST_EXPECT(t, pte_present(pte_of(mm, base + PAGE_SIZE)) &&
				pte_write(pte_of(mm, base + PAGE_SIZE)));
	/* An unmarked PTE of a VM_POE region counts as "not yet marked". */
	ptl = pte_lockptr(mm, mm_find_pmd(mm, base + 2 * PAGE_SIZE));
	spin_lock_irqsave(ptl, flags);
	p = pte_slot(mm, base + 2 * PAGE_SIZE);
	*p = 0;
	spin_unlock_irqrestore(ptl, flags);
	KTEST_EXPECT_EQ(t,
			handle_user_addr_fault(mm, X86_PF_USER,
					       base + 2 * PAGE_SIZE),
			0);
	KTEST_EXPECT_EQ(t, poe_counters.fb_not_marked - nm0, 1);
	poe_mm_put(mm);
}

/*
 * The full handler owns a POEable PTE by its lock bit before it maps it
 * (fault_claim_pte(), mm/fault.c), so that it and a walker on another
 * CPU never both map the page. Here this CPU plays the walker holding
 * the bit while a thread on another CPU takes the full handler on the
 * PTE: it must wait (the PTE keeps the mark and the bit) until the bit
 * is let go, then map a fresh page. A handler that maps without the bit
 * fails here at once; the race test t_smp_fault_race needs luck to see
 * it, since the handler re-checks the PTE under the PTE table's lock
 * first. Two CPUs or more.
 */
KTEST(poe, full_handler_waits_for_the_pte_lock_bit)
{
	static struct remote_fault r;
	int cpu_a = cpumask_first(cpu_online_mask), cpu_b;
	unsigned long base;
	pte_t mark, seen;
	struct task *f;
	bool early;
	pte_t *p;

	if (num_online_cpus() < 2)
		KTEST_SKIP(t, "one CPU online (boot with SMP=2)");
	cpu_b = cpumask_next(cpu_a, cpu_online_mask);
	r = (struct remote_fault){ .mm = poe_mm(t, PROT_READ | PROT_WRITE,
						&base) };
	KTEST_ASSERT(t, r.mm);
	r.va = base + 3 * PAGE_SIZE;
	p = pte_slot(r.mm, r.va);
	mark = *p;
	KTEST_ASSERT(t, pte_poeable(mark));
	__atomic_fetch_or(p, _PAGE_POE_LOCK, __ATOMIC_ACQUIRE); /* "walker" */
	f = remote_fault_create(&r, cpu_b, "ktest-claim/%u");
	KTEST_ASSERT(t, f);
	remote_fault_run(&r, f);
	mdelay(20); /* the handler has its page and spins on the bit */
	early = READ_ONCE(r.done);
	seen = READ_ONCE(*p);
	__atomic_fetch_and(p, ~_PAGE_POE_LOCK, __ATOMIC_RELEASE);
	remote_fault_finish(&r, f);
	KTEST_EXPECT(t, r.started);
	if (early || seen != (mark | _PAGE_POE_LOCK))
		ktest_fail(t, __FILE__, __LINE__,
			   "the full handler %s while CPU %d held the PTE lock bit",
			   early ? "returned" : "changed the PTE", cpu_a);
	KTEST_EXPECT(t, r.done);
	KTEST_EXPECT_EQ(t, r.ret, 0);
	KTEST_EXPECT(t, pte_present(*p) && pte_write(*p) && !pte_poeable(*p));
	poe_mm_put(r.mm);
}

KTEST_WALKERS(mprotect_keeps_marks_consistent)
{
	unsigned long base;
	struct mm_struct *mm = poe_mm(t, PROT_READ | PROT_WRITE, &base);

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, do_mprotect(mm, base, NPAGES * PAGE_SIZE, PROT_READ),
			0);
	KTEST_EXPECT(t, pte_poeable(pte_of(mm, base)) &&
				!(pte_of(mm, base) & _PAGE_RW));
	KTEST_EXPECT(t, !walk(mm, base, X86_PF_WRITE));
	KTEST_EXPECT_EQ(t,
			do_mprotect(mm, base, NPAGES * PAGE_SIZE,
				    PROT_READ | PROT_WRITE | PROT_EXEC),
			0);
	KTEST_EXPECT(t, (pte_of(mm, base) & _PAGE_RW) &&
				!(pte_of(mm, base) & _PAGE_NX));
	KTEST_EXPECT_EQ(t, do_mprotect(mm, base, NPAGES * PAGE_SIZE, PROT_NONE),
			0);
	KTEST_EXPECT_EQ(t, pte_of(mm, base), 0); /* nothing may map it */
	KTEST_EXPECT(t, !walk(mm, base, 0));
	/* munmap drops marks and the tables they kept. */
	KTEST_EXPECT_EQ(t, do_munmap(mm, base, NPAGES * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 1);
	poe_mm_put(mm);
}

KTEST(poe, enable_disable_cycles_leak_nothing)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long free0;

	KTEST_ASSERT(t, mm);
	free0 = nr_free_pages();
	for (int i = 0; i < 100; i++) {
		KTEST_ASSERT(t, poe_enable(mm, TEST_TGID) == 0);
		KTEST_EXPECT_EQ(t, poe_enable(mm, TEST_TGID), 0);
		KTEST_EXPECT(t, this_cpu()->poe_reg.enable);
		if (i & 1)
			poe_refill_table(poe_this_table());
		KTEST_EXPECT_EQ(t, poe_disable(mm), 0);
		KTEST_EXPECT_EQ(t, poe_disable(mm), 0);
		KTEST_EXPECT(t, !this_cpu()->poe_reg.enable);
		KTEST_EXPECT(t, !poe_this_table());
	}
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
	mmput(mm);
}

/*
 * Marks change only under their PTE lock bit (so that a walker on
 * another CPU never maps into a range being unmapped or re-protected),
 * and every change releases it: mprotect keeps the mark with the new
 * rights, PROT_NONE drops it, poe_unmark_range() (before munmap's error
 * handling) clears it, and the walker then declines.
 */
KTEST_WALKERS(marks_change_under_their_lock_bit)
{
	unsigned long base;
	struct mm_struct *mm = poe_mm(t, PROT_READ | PROT_WRITE, &base);
	pte_t pte;

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, do_mprotect(mm, base, PAGE_SIZE, PROT_READ), 0);
	pte = pte_of(mm, base);
	KTEST_EXPECT(t, pte_poeable(pte));
	KTEST_EXPECT(t, !(pte & _PAGE_RW));
	KTEST_EXPECT(t, !(pte & _PAGE_POE_LOCK));
	KTEST_EXPECT_EQ(t, (pte & PTE_PFN_MASK) >> POE_PTE_TGID_SHIFT,
			TEST_TGID);
	KTEST_EXPECT_EQ(t,
			do_mprotect(mm, base + PAGE_SIZE, PAGE_SIZE, PROT_NONE),
			0);
	KTEST_EXPECT_EQ(t, pte_of(mm, base + PAGE_SIZE), 0);
	/* Every mark left (all but the PROT_NONE page's) is cleared. */
	mmap_write_lock(mm);
	KTEST_EXPECT_EQ(t,
			poe_unmark_range(mm, base, base + NPAGES * PAGE_SIZE),
			NPAGES - 1);
	mmap_write_unlock(mm);
	for (int i = 0; i < NPAGES; i++)
		KTEST_EXPECT(t, !pte_poeable(pte_of(mm, base + i * PAGE_SIZE)));
	KTEST_EXPECT(t, !walk(mm, base + 2 * PAGE_SIZE, X86_PF_WRITE));
	poe_mm_put(mm);
}
