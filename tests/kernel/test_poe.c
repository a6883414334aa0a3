/*
 * test_poe.c - in-kernel tests of the POE pipeline (include/mm/poe.h):
 * the emulated walker called exactly as the #PF stub calls it, on a test
 * address space loaded in CR3 with CR2 set by hand; pre-fault marking,
 * the tables, error handling, mprotect/munmap on marks, the full handler
 * on a POEable PTE, and enable/disable cycles. There are two walkers, the
 * C reference (poe_walk(), arch/x86_64/poe_walk.c) and the assembly one
 * the #PF stub runs by default (poe_walk_asm(), arch/x86_64/poe_walk.asm):
 * every test that walks runs once on each (NAME_c, NAME_asm), and
 * asm_walker_agrees_with_c_walker compares the two on random input.
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
#include <mm/huge_mm.h>
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
#include "../../mm/poe_internal.h" /* poe_fill_lock() */
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

/* Valid entries in table tb. */
static unsigned int nr_valid(struct poe_table *tb)
{
	struct poe_entry *e;
	unsigned int n = 0;

	poe_for_each_entry(e, tb)
		n += !!(e->va & POE_ENTRY_VALID);
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

/*
 * A producer filling the table (the fill lock held, as by the refill or
 * the post-fault work on any CPU) does not stop the walker: it takes the
 * valid tail entry and maps the page, with no fall-back counted. Only
 * the table lock (error handling) keeps it out.
 */
KTEST_WALKERS(walker_ignores_fill_lock)
{
	unsigned long base, ff;
	struct mm_struct *mm = poe_mm(t, PROT_READ | PROT_WRITE, &base);
	struct poe_table *tb = poe_this_table();
	struct poe_walker_stats *ws = &this_cpu()->poe_walker_stats;
	unsigned long tlock0 = ws->fb_table_locked, hits0 = ws->hits;
	bool hit;

	KTEST_ASSERT(t, mm && tb);
	ff = poe_fill_lock(tb);
	hit = walk(mm, base, X86_PF_WRITE);
	poe_fill_unlock(tb, ff);
	KTEST_EXPECT(t, hit);
	KTEST_EXPECT_EQ(t, ws->hits - hits0, 1);
	KTEST_EXPECT_EQ(t, ws->fb_table_locked - tlock0, 0);
	KTEST_EXPECT(t, pte_present(pte_of(mm, base)));
	poe_mm_put(mm);
}

/*
 * A pud or pmd entry that maps a huge page itself (PS set) is not a
 * table: the walker must not follow it (pud_leaf(), pmd_leaf()), and
 * declines with nothing changed; the same for a pmd entry not present.
 * This kernel builds no huge pages, so the test sets PS by hand.
 */
KTEST_WALKERS(walker_declines_huge_levels)
{
	unsigned long base;
	struct mm_struct *mm = poe_mm(t, PROT_READ | PROT_WRITE, &base);
	struct poe_table *tb = poe_this_table();
	pud_t *pud;
	pmd_t *pmd;
	pte_t before;
	u32 tail;

	KTEST_ASSERT(t, mm && tb);
	pud = pud_offset(pgd_offset(mm, base), base);
	pmd = mm_find_pmd(mm, base);
	KTEST_ASSERT(t, pmd && pmd_present(*pmd) && pud_present(*pud));
	before = pte_of(mm, base);
	tail = tb->hdr.tail;
	*pmd |= _PAGE_PSE;
	KTEST_EXPECT(t, !walk(mm, base, X86_PF_WRITE));
	*pmd &= ~_PAGE_PSE;
	*pud |= _PAGE_PSE;
	KTEST_EXPECT(t, !walk(mm, base, X86_PF_WRITE));
	*pud &= ~_PAGE_PSE;
	/* A missing level: the table's address with P and U clear (with
	 * U, bit 2, it would be a 2 MiB POE mark: pmd_poeable()). */
	*pmd &= ~(_PAGE_PRESENT | _PAGE_USER);
	KTEST_EXPECT(t, !walk(mm, base, X86_PF_WRITE));
	*pmd |= _PAGE_PRESENT | _PAGE_USER;
	KTEST_EXPECT_EQ(t, pte_of(mm, base), before);
	KTEST_EXPECT_EQ(t, tb->hdr.tail, tail);
	/* The levels restored, the same fault is a hit. */
	KTEST_EXPECT(t, walk(mm, base, X86_PF_WRITE));
	poe_mm_put(mm);
}

/*
 * The low watermark (claim 8, the threshold): after a hit, the walker
 * raises poe_need_refill exactly when fewer than poe_reg.low valid
 * entries are left, never with low = 0; and tail goes round the ring,
 * from N back to 1. A full table, a random low before each of its N
 * hits. The mm's page_table_lock is held throughout (so interrupts are
 * off): no tick consumes the flag, and no post-fault work on another CPU
 * accounts an entry (it takes that lock first) for a refill to fill.
 */
KTEST_WALKERS(walker_low_watermark_asks_for_a_refill)
{
	unsigned long base, flags;
	struct mm_struct *mm = poe_mm(t, PROT_READ | PROT_WRITE, &base);
	struct poe_table *tb = poe_this_table();
	struct percpu *cpu;
	unsigned int n = poe_nr_entries, wrong = 0, kicks = 0, unmarked = 0;
	u16 low0;
	unsigned int valid0;
	u32 tail0;
	long extra;

	KTEST_ASSERT(t, mm && tb);
	extra = do_mmap(mm, 0, n * PAGE_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, 0);
	KTEST_ASSERT(t, extra > 0);
	mmap_write_lock(mm);
	find_vma(mm, extra)->vm_flags |= VM_POE;
	/* do_mmap() marked the first poe.mark_sync pages itself; this marks
	 * whatever it left. Every PTE of the range must be a mark now. */
	KTEST_EXPECT(t, poe_mark_range(mm, extra, extra + n * PAGE_SIZE) >= 0);
	for (unsigned int i = 0; i < n; i++)
		unmarked += !pte_poeable(pte_of(mm, extra + i * PAGE_SIZE));
	KTEST_EXPECT_EQ(t, unmarked, 0);
	mmap_write_unlock(mm);
	spin_lock_irqsave(&mm->page_table_lock, flags);
	cpu = this_cpu(); /* this CPU's, now that the test cannot move */
	tb = poe_this_table();
	low0 = cpu->poe_reg.low;
	valid0 = nr_valid(tb);
	tail0 = tb->hdr.tail;
	for (unsigned int k = 1; k <= n && valid0 == n; k++) {
		/* 0, 1, n and everything between */
		u16 low = k == 1 ? 0 : k == 2 ? n : ktest_rand() % (n + 1);
		bool want;

		cpu->poe_reg.low = low;
		cpu->poe_need_refill = false;
		if (!walk(mm, extra + (k - 1) * PAGE_SIZE, X86_PF_WRITE)) {
			wrong = k;
			break;
		}
		/* n - k valid entries are left */
		want = low && n - k < low;
		kicks += want;
		if (cpu->poe_need_refill != want && !wrong)
			wrong = k;
	}
	cpu->poe_reg.low = low0;
	spin_unlock_irqrestore(&mm->page_table_lock, flags);
	KTEST_EXPECT_EQ(t, valid0, n); /* poe_mm() filled it */
	if (wrong)
		ktest_fail(t, __FILE__, __LINE__,
			   "hit %u of %u: poe_need_refill wrong, or no hit",
			   wrong, n);
	KTEST_EXPECT(t, kicks > 0);
	KTEST_EXPECT_EQ(t, tb->hdr.tail, tail0); /* once round the ring */
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

/*
 * A test mm with POE on and a VM_POE | VM_HUGEPAGE region holding n
 * whole 2 MiB pieces from *haddr, each pmd marked POEable by
 * poe_mark_range(); NULL, with the failure recorded and nothing left
 * behind, when any of that does not happen.
 */
static struct mm_struct *poe_huge_mm(struct ktest *t, int n,
				     unsigned long *haddr)
{
	struct mm_struct *mm = mm_alloc();
	long addr;

	if (!mm) {
		ktest_fail(t, __FILE__, __LINE__, "mm_alloc failed");
		return NULL;
	}
	/* One piece more than n, so that n aligned ones fit. */
	addr = do_mmap(mm, 0, (n + 1) * HPAGE_PMD_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (addr < 0 || poe_enable(mm, TEST_TGID)) {
		ktest_fail(t, __FILE__, __LINE__,
			   "mmap %ld / poe_enable failed", addr);
		mmput(mm);
		return NULL;
	}
	*haddr = ALIGN_UP((unsigned long)addr, HPAGE_PMD_SIZE);
	mmap_write_lock(mm);
	find_vma(mm, addr)->vm_flags |= VM_POE | VM_HUGEPAGE;
	poe_mark_range(mm, *haddr, *haddr + n * HPAGE_PMD_SIZE);
	mmap_write_unlock(mm);
	for (int i = 0; i < n; i++) {
		pmd_t *pmd = mm_find_pmd(mm, *haddr + i * HPAGE_PMD_SIZE);

		if (!pmd || !pmd_poeable(*pmd)) {
			ktest_fail(t, __FILE__, __LINE__,
				   "the pmd of piece %d is not POEable", i);
			poe_mm_put(mm);
			return NULL;
		}
	}
	return mm;
}

/*
 * 2 MiB pages (docs/poe.md, "Huge pages"): in a VM_POE | VM_HUGEPAGE
 * region the marking leaves a POEable pmd for each whole 2 MiB; a read
 * there is declined (fb_huge_read: the huge zero page is the full
 * handler's), a write maps the huge table's tail block with one pmd
 * (PS, the mark's rights, dirty), records the entry (VA 2 MiB-aligned,
 * TGID, used) and is never taken again; with the huge table empty the
 * walker declines (fb_huge_table_empty), changing nothing, and the full
 * handler clears the mark and maps a huge page itself. Error handling
 * then accounts 512 pages of rss for the walker's entry.
 */
KTEST_WALKERS(walker_maps_2m_from_the_huge_table)
{
	unsigned long read0, empty0, hits0, haddr, flags, irqs, rss;
	struct mm_struct *mm = poe_huge_mm(t, 2, &haddr);
	struct poe_walker_stats *ws;
	bool full;
	struct poe_table *ht;
	pmd_t *pmd, *pmd2, v;
	u32 tail;
	pfn_t pfn;

	KTEST_ASSERT(t, mm);
	pmd = mm_find_pmd(mm, haddr);
	pmd2 = mm_find_pmd(mm, haddr + HPAGE_PMD_SIZE);
	/* From here to the fall-back, on one CPU: its huge table and its
	 * counters (poe_enable() slept, so it may not be the CPU the test
	 * began on; with interrupts off the refill zeroes in line). */
	local_irq_save(irqs);
	ws = &this_cpu()->poe_walker_stats;
	read0 = ws->fb_huge_read;
	empty0 = ws->fb_huge_table_empty;
	hits0 = ws->huge_hits;
	ht = poe_huge_tables[this_cpu()->cpu];
	if (ht)
		poe_huge_refill(this_cpu()->cpu);
	full = ht && (ht->ent[ht->hdr.tail].va & POE_ENTRY_VALID);
	if (!full) {
		local_irq_restore(irqs);
		poe_mm_put(mm);
		KTEST_ASSERT(t, full);
	}
	tail = ht->hdr.tail;
	pfn = ht->ent[tail].pfn;

	KTEST_EXPECT(t, !walk(mm, haddr + 5, 0));
	KTEST_EXPECT_EQ(t, ws->fb_huge_read - read0, 1);
	KTEST_EXPECT(t, pmd_poeable(*pmd) && !(*pmd & _PAGE_POE_LOCK));

	KTEST_EXPECT(t, walk(mm, haddr + 123, X86_PF_WRITE));
	v = *pmd;
	KTEST_EXPECT_EQ(t, pmd_pfn(v), pfn);
	KTEST_EXPECT_EQ(t, v & ~PMD_PFN_MASK,
			_PAGE_PRESENT | _PAGE_USER | _PAGE_RW | _PAGE_ACCESSED |
				_PAGE_DIRTY | _PAGE_PSE |
				(boot_cpu.has_nx ? _PAGE_NX : 0));
	KTEST_EXPECT_EQ(t, ht->ent[tail].va, haddr | POE_ENTRY_USED);
	KTEST_EXPECT_EQ(t, ht->ent[tail].tgid, TEST_TGID);
	KTEST_EXPECT_EQ(t, ws->huge_hits - hits0, 1);
	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++)
		if (!page_is_zero(pfn + i)) {
			KTEST_EXPECT(t, page_is_zero(pfn + i));
			break;
		}
	KTEST_EXPECT(t, !walk(mm, haddr, X86_PF_WRITE)); /* present now */

	/* The huge table empty (its valid blocks freed, as the OOM drain
	 * does): a fall-back that leaves the mark as it was. */
	spin_lock_irqsave(&poe_tables_lock, flags);
	poe_drain_valid(ht, HPAGE_PMD_ORDER);
	spin_unlock_irqrestore(&poe_tables_lock, flags);
	v = *pmd2;
	KTEST_EXPECT(t, !walk(mm, haddr + HPAGE_PMD_SIZE, X86_PF_WRITE));
	KTEST_EXPECT_EQ(t, ws->fb_huge_table_empty - empty0, 1);
	KTEST_EXPECT_EQ(t, *pmd2, v);
	local_irq_restore(irqs);
	KTEST_EXPECT_EQ(t,
			handle_user_addr_fault(mm, X86_PF_USER | X86_PF_WRITE,
					       haddr + HPAGE_PMD_SIZE),
			0);
	KTEST_EXPECT(t, pmd_trans_huge(*pmd2) && pmd_present(*pmd2));

	rss = mm->rss;
	mmap_write_lock(mm);
	KTEST_EXPECT_EQ(t, poe_error_handling(mm), 1);
	mmap_write_unlock(mm);
	KTEST_EXPECT_EQ(t, mm->rss - rss, HPAGE_PMD_NR);
	poe_mm_put(mm);
}

/*
 * poe.huge_fallback=4k, the patent's order: the full handler turns a
 * 2 MiB mark the walker declined into a table of 512 4 KiB marks (the
 * mark's deposit, with its TGID and rights), maps the faulting page from
 * it, and the next page of that 2 MiB is a 4 KiB walker hit.
 */
KTEST(poe, full_handler_turns_a_2m_mark_into_4k_marks)
{
	unsigned long haddr, fb0 = poe_counters.huge_fallbacks;
	enum poe_huge_fallback mode = poe_huge_fallback;
	struct mm_struct *mm = poe_huge_mm(t, 1, &haddr);
	pmd_t *pmd, mark;

	KTEST_ASSERT(t, mm);
	pmd = mm_find_pmd(mm, haddr);
	mark = *pmd;

	poe_huge_fallback = POE_HUGE_FALLBACK_4K;
	KTEST_EXPECT_EQ(t,
			handle_user_addr_fault(mm, X86_PF_USER | X86_PF_WRITE,
					       haddr + 7 * PAGE_SIZE),
			0);
	poe_huge_fallback = mode;
	KTEST_EXPECT(t, pmd_present(*pmd) && !pmd_trans_huge(*pmd));
	KTEST_EXPECT_EQ(t, poe_counters.huge_fallbacks - fb0, 1);
	KTEST_EXPECT(t, pte_present(pte_of(mm, haddr + 7 * PAGE_SIZE)));
	KTEST_EXPECT_EQ(t, pte_of(mm, haddr), mark);
	KTEST_EXPECT_EQ(t, pte_of(mm, haddr + HPAGE_PMD_SIZE - PAGE_SIZE),
			mark);
	poe_refill_table(poe_this_table());
	KTEST_EXPECT(t, walk(mm, haddr + 8 * PAGE_SIZE, X86_PF_WRITE));
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
 * In a POE region the full handler's new page is one zeroed ahead, off
 * the zeroed list (poe_fault_zeroed_page(), called by mm/fault.c): a
 * write to a mark, and the copy that replaces the zero page after a read,
 * each take one and count it in fault_prezeroed_pages. Outside POE
 * regions the handler zeroes its own page, as Linux's does. The list is
 * first filled past what every CPU's table could take meanwhile, so that
 * a background refill on another CPU cannot empty it under the test.
 */
KTEST(poe, full_handler_takes_pages_zeroed_ahead)
{
	unsigned long base, f0, want;
	struct mm_struct *mm = poe_mm(t, PROT_READ | PROT_WRITE, &base);
	struct mm_struct *plain;
	long addr;

	KTEST_ASSERT(t, mm);
	want = (unsigned long)poe_nr_entries * num_online_cpus() + 8;
	while (nr_zeroed_pages() < want && prezero_page(want))
		;
	KTEST_ASSERT(t, nr_zeroed_pages() >= want);
	f0 = poe_counters.fault_prezeroed_pages;
	/* A write to a mark. */
	KTEST_EXPECT_EQ(t,
			handle_user_addr_fault(mm, X86_PF_USER | X86_PF_WRITE,
					       base),
			0);
	KTEST_EXPECT_EQ(t, poe_counters.fault_prezeroed_pages - f0, 1);
	KTEST_EXPECT(t, pte_write(pte_of(mm, base)) &&
				page_is_zero(pte_pfn(pte_of(mm, base))));
	/* A read maps the zero page; the write after it copies. */
	KTEST_EXPECT_EQ(t,
			handle_user_addr_fault(mm, X86_PF_USER,
					       base + PAGE_SIZE),
			0);
	KTEST_EXPECT_EQ(t, poe_counters.fault_prezeroed_pages - f0, 1);
	KTEST_EXPECT_EQ(t,
			handle_user_addr_fault(mm,
					       X86_PF_USER | X86_PF_WRITE |
						       X86_PF_PROT,
					       base + PAGE_SIZE),
			0);
	KTEST_EXPECT_EQ(t, poe_counters.fault_prezeroed_pages - f0, 2);
	KTEST_EXPECT(t, pte_write(pte_of(mm, base + PAGE_SIZE)) &&
				!is_zero_pfn(pte_pfn(
					pte_of(mm, base + PAGE_SIZE))) &&
				page_is_zero(
					pte_pfn(pte_of(mm, base + PAGE_SIZE))));
	poe_mm_put(mm);
	/* No POE region: the list is left alone. */
	plain = mm_alloc();
	KTEST_ASSERT(t, plain);
	addr = do_mmap(plain, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	KTEST_ASSERT(t, addr > 0);
	f0 = poe_counters.fault_prezeroed_pages;
	KTEST_EXPECT_EQ(t,
			handle_user_addr_fault(plain,
					       X86_PF_USER | X86_PF_WRITE,
					       (unsigned long)addr),
			0);
	KTEST_EXPECT_EQ(t, poe_counters.fault_prezeroed_pages - f0, 0);
	KTEST_EXPECT(t, pte_present(pte_of(plain, (unsigned long)addr)));
	mmput(plain);
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

/*
 * The assembly walker against the C reference, on random faults: random
 * POEable and not-so-POEable PTEs (one low bit flipped, random flags and
 * TGID, any 64-bit value), random error codes and addresses (user,
 * kernel, USER_TOP, no tables), a random tail, an empty tail entry, a
 * random low watermark with the entry it looks at valid or not, the
 * table lock held, the enable bit clear, a pud or pmd that maps a huge
 * page or is not present. Each case runs on both walkers from the same
 * state; everything they may change must come out the same: the result,
 * every PTE of the region, every table entry, head and tail, the four
 * counters, the refill request. The mm's page_table_lock and the
 * table's fill lock are held for each case, so that no post-fault work
 * accounts an entry the case made used and no producer fills an entry
 * the case puts back (the walker ignores the fill lock). Error handling
 * on another CPU may still take the table lock for a moment; a case that
 * met it is run again.
 */
#define AGREE_CASES 2000

struct walk_result {
	bool hit, need_refill;
	u32 head, tail;
	struct poe_walker_stats d; /* counter increments */
	pte_t pte[NPAGES];
	struct poe_entry ent[POE_DEFAULT_ENTRIES + 1];
};

static struct walk_result agree_c, agree_asm;
static struct poe_entry agree_orig[POE_DEFAULT_ENTRIES + 1],
	agree_in[POE_DEFAULT_ENTRIES + 1];

static void walk_record(walker_fn fn, struct mm_struct *mm, pte_t *const *slots,
			unsigned long va, unsigned long ec,
			struct poe_table *tb, struct walk_result *r)
{
	struct percpu *cpu = this_cpu();
	struct poe_walker_stats s0 = cpu->poe_walker_stats;
	unsigned int n = tb->hdr.nr_entries;

	cpu->poe_need_refill = false;
	r->hit = walk_with(fn, mm, va, ec);
	r->need_refill = cpu->poe_need_refill;
	r->head = tb->hdr.head;
	r->tail = tb->hdr.tail;
	r->d.hits = cpu->poe_walker_stats.hits - s0.hits;
	r->d.fb_table_empty =
		cpu->poe_walker_stats.fb_table_empty - s0.fb_table_empty;
	r->d.fb_pte_locked =
		cpu->poe_walker_stats.fb_pte_locked - s0.fb_pte_locked;
	r->d.fb_table_locked =
		cpu->poe_walker_stats.fb_table_locked - s0.fb_table_locked;
	for (int i = 0; i < NPAGES; i++)
		r->pte[i] = *slots[i];
	memcpy(r->ent, tb->ent, (n + 1) * sizeof(tb->ent[0]));
}

/* Put the region's PTEs back to marks[], with page `pick` holding pte. */
static void set_ptes(pte_t *const *slots, const pte_t *marks, int pick,
		     pte_t pte)
{
	for (int i = 0; i < NPAGES; i++)
		*slots[i] = i == pick ? pte : marks[i];
}

static bool same_result(const struct walk_result *a,
			const struct walk_result *b, unsigned int n)
{
	return a->hit == b->hit && a->need_refill == b->need_refill &&
	       a->head == b->head && a->tail == b->tail &&
	       a->d.hits == b->d.hits &&
	       a->d.fb_table_empty == b->d.fb_table_empty &&
	       a->d.fb_pte_locked == b->d.fb_pte_locked &&
	       a->d.fb_table_locked == b->d.fb_table_locked &&
	       memcmp(a->pte, b->pte, sizeof(a->pte)) == 0 &&
	       memcmp(a->ent, b->ent, (n + 1) * sizeof(a->ent[0])) == 0;
}

static unsigned long agree_va(unsigned long base, int *pick)
{
	u64 r = ktest_rand();

	*pick = (int)(r % NPAGES);
	switch ((r >> 8) % 32) {
	case 0:
		return PAGE_OFFSET + (ktest_rand() & 0xffffff);
	case 1:
		return USER_TOP + (ktest_rand() & 0xffff);
	case 2:
		return USER_TOP - 1 - (ktest_rand() & 0xffffff); /* no tables */
	case 3:
		return ktest_rand(); /* anything, even non-canonical */
	case 4:
		return ktest_rand() & (USER_TOP - 1);
	default:
		return base + *pick * PAGE_SIZE +
		       (ktest_rand() & (PAGE_SIZE - 1));
	}
}

static pte_t agree_pte(pte_t mark)
{
	switch (ktest_rand() % 5) {
	case 0:
	case 1:
		return mark;
	case 2:
		return mark ^ (1UL << (ktest_rand() % 12));
	case 3:
		return mark ^
		       (ktest_rand() & (0xfffUL | _PAGE_NX | PTE_PFN_MASK));
	default:
		return ktest_rand();
	}
}

KTEST(poe, asm_walker_agrees_with_c_walker)
{
	static const unsigned long ecs[] = { 0, X86_PF_WRITE, X86_PF_INSTR };
	unsigned long base, flags, ff, hits = 0, empty = 0, plocked = 0,
				       tlocked = 0, kicks = 0, declines = 0;
	struct mm_struct *mm = poe_mm(t, PROT_READ | PROT_WRITE, &base);
	unsigned int n = poe_nr_entries, cases = 0, retries = 0, bad = 0;
	pte_t marks[NPAGES], *slots[NPAGES];

	KTEST_ASSERT(t, mm);
	if (n > POE_DEFAULT_ENTRIES) {
		poe_mm_put(mm);
		KTEST_SKIP(t, "poe.entries above the default");
	}
	for (int i = 0; i < NPAGES; i++) {
		slots[i] = pte_slot(mm, base + i * PAGE_SIZE);
		marks[i] = *slots[i];
	}
	while (cases < AGREE_CASES && retries < 1000 && bad < 5) {
		struct percpu *cpu;
		struct poe_table *tb;
		unsigned long va, ec;
		pud_t *pud, pud0;
		pmd_t *pmd, pmd0;
		u16 low0, low;
		u32 tail0, tail, w;
		bool inj_lock = false, enable_off;
		int pick;
		pte_t pte;

		va = agree_va(base, &pick);
		pte = agree_pte(marks[pick]);
		ec = ktest_rand() % 4 ?
			     ecs[ktest_rand() % 3] :
			     ktest_rand() & (X86_PF_PROT | X86_PF_WRITE |
					     X86_PF_RSVD | X86_PF_INSTR);
		pud = pud_offset(pgd_offset(mm, base + pick * PAGE_SIZE),
				 base + pick * PAGE_SIZE);
		pmd = mm_find_pmd(mm, base + pick * PAGE_SIZE);
		pud0 = *pud;
		pmd0 = *pmd;

		spin_lock_irqsave(&mm->page_table_lock, flags);
		cpu = this_cpu();
		tb = poe_this_table();
		ff = poe_fill_lock(tb);
		low0 = cpu->poe_reg.low;
		tail0 = tb->hdr.tail;
		memcpy(agree_orig, tb->ent, (n + 1) * sizeof(tb->ent[0]));
		/* The case: the table first. */
		tail = 1 + ktest_rand() % n;
		tb->hdr.tail = tail;
		if (ktest_rand() % 4 == 0)
			tb->ent[tail].va = POE_ENTRY_RESERVED; /* empty */
		low = ktest_rand() % 4 ? ktest_rand() % (n + 1) : 0;
		cpu->poe_reg.low = low;
		w = poe_next(tail, n) + low - 1;
		if (w > n)
			w -= n;
		if (low && ktest_rand() % 2)
			tb->ent[w].va = POE_ENTRY_RESERVED; /* low: kick */
		if (ktest_rand() % 16 == 0)
			inj_lock = !(__atomic_fetch_or(&tb->hdr.lock,
						       POE_TABLE_LOCK,
						       __ATOMIC_ACQUIRE) &
				     POE_TABLE_LOCK);
		enable_off = ktest_rand() % 32 == 0;
		if (enable_off)
			cpu->poe_reg.enable = 0;
		switch (ktest_rand() % 32) {
		case 0:
			*pud |= _PAGE_PSE;
			break;
		case 1:
			*pmd |= _PAGE_PSE;
			break;
		case 2: /* a missing level (with U kept, a 2 MiB mark,
			 * which both walkers hand to poe_walk_huge(): the
			 * walker_maps_2m test) */
			*pmd &= ~(_PAGE_PRESENT | _PAGE_USER);
			break;
		}
		/* Both walkers from the same state. */
		memcpy(agree_in, tb->ent, (n + 1) * sizeof(tb->ent[0]));
		set_ptes(slots, marks, pick, pte);
		walk_record(poe_walk, mm, slots, va, ec, tb, &agree_c);
		memcpy(tb->ent, agree_in, (n + 1) * sizeof(tb->ent[0]));
		tb->hdr.tail = tail;
		set_ptes(slots, marks, pick, pte);
		walk_record(poe_walk_asm, mm, slots, va, ec, tb, &agree_asm);
		/* Everything back as it was. */
		*pud = pud0;
		*pmd = pmd0;
		set_ptes(slots, marks, -1, 0);
		memcpy(tb->ent, agree_orig, (n + 1) * sizeof(tb->ent[0]));
		tb->hdr.tail = tail0;
		cpu->poe_reg.low = low0;
		cpu->poe_reg.enable = 1;
		if (inj_lock)
			__atomic_and_fetch(&tb->hdr.lock, ~POE_TABLE_LOCK,
					   __ATOMIC_RELEASE);
		poe_fill_unlock(tb, ff);
		spin_unlock_irqrestore(&mm->page_table_lock, flags);

		if (!inj_lock && (agree_c.d.fb_table_locked ||
				  agree_asm.d.fb_table_locked)) {
			retries++; /* another CPU held the table lock */
			continue;
		}
		cases++;
		if (!same_result(&agree_c, &agree_asm, n)) {
			bad++;
			ktest_fail(t, __FILE__, __LINE__,
				   "case %u: va %#lx ec %#lx pte %#lx tail %u low %u%s%s: C %d (hits %lu empty %lu pte-locked %lu table-locked %lu refill %d tail %u pte %#lx), asm %d (hits %lu empty %lu pte-locked %lu table-locked %lu refill %d tail %u pte %#lx)%s",
				   cases, va, ec | X86_PF_USER, pte, tail, low,
				   inj_lock ? " table-locked" : "",
				   enable_off ? " disabled" : "", agree_c.hit,
				   agree_c.d.hits, agree_c.d.fb_table_empty,
				   agree_c.d.fb_pte_locked,
				   agree_c.d.fb_table_locked,
				   agree_c.need_refill, agree_c.tail,
				   agree_c.pte[pick], agree_asm.hit,
				   agree_asm.d.hits, agree_asm.d.fb_table_empty,
				   agree_asm.d.fb_pte_locked,
				   agree_asm.d.fb_table_locked,
				   agree_asm.need_refill, agree_asm.tail,
				   agree_asm.pte[pick],
				   memcmp(agree_c.ent, agree_asm.ent,
					  (n + 1) * sizeof(agree_c.ent[0])) ?
					   " (table entries differ)" :
					   "");
		}
		hits += agree_c.d.hits;
		empty += agree_c.d.fb_table_empty;
		plocked += agree_c.d.fb_pte_locked;
		tlocked += agree_c.d.fb_table_locked;
		kicks += agree_c.hit && agree_c.need_refill;
		declines += !agree_c.hit;
	}
	KTEST_EXPECT_EQ(t, cases, AGREE_CASES);
	/* Every way through the walkers was taken. */
	KTEST_EXPECT(t, hits > 0 && empty > 0 && plocked > 0 && tlocked > 0 &&
				kicks > 0 && declines > hits / 4);
	poe_mm_put(mm);
}
