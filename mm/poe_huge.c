/*
 * poe_huge.c - POE for 2 MiB pages (docs/poe.md, "Huge pages"): the
 * patent extends its pipeline to huge pages with a second pre-allocation
 * table per core, holding zeroed huge pages, a POEable bit at the PMD set
 * by the pre-fault work, and a walker that maps a huge page from that
 * table when it meets such a PMD. Here:
 *
 *   the huge table   one per CPU, in the 4 KiB table's entry format
 *                    (include/mm/poe.h), poe.huge_entries= entries, each
 *                    holding a zeroed, 2 MiB-aligned block already split
 *                    into 512 order-0 pages (as do_huge_pmd_anonymous_page()
 *                    leaves one), located by the CPU's second POE
 *                    register (struct percpu's poe_huge_reg);
 *   the pmd mark     the POEable PTE's bits at the pmd (pmd_poeable()),
 *                    written only where a whole 2 MiB of a VM_POE VMA may
 *                    take a huge page (thp_vma_allowable()), with a page
 *                    table deposited for it at once (mm->pmd_huge_pte), so
 *                    that neither the walker nor the full handler ever
 *                    needs memory to turn the mark into a huge pmd or a
 *                    PTE table; a marked pmd counts in mm->nr_huge_pmds;
 *   the walker       poe_walk() (arch/x86_64/poe_walk.c) maps the huge
 *                    tail entry's block with one pmd store; the assembly
 *                    walker hands such faults to it;
 *   post-fault       an entry's accounting is 512 pages of rss and one
 *                    fault (FAULT_POE, thp_fault_alloc), in the same runs
 *                    and error handling as the 4 KiB entries;
 *   fall-back        a read (the huge zero page is the full handler's),
 *                    an empty huge table, or POE off sends the fault to
 *                    the full handler, whose huge fault replaces the
 *                    mark under page_table_lock, so that the range still
 *                    gets a huge page; with no order-9 block left, that
 *                    falls back to 4 KiB pages, and the fault marks
 *                    their table for the 4 KiB walker. poe.huge_fallback
 *                    =4k turns the mark into 512 4 KiB marks instead
 *                    (poe_pmd_to_ptes()), the patent's order.
 *   refill           by the POE workers once the 4 KiB table is full, the
 *                    2 MiB zeroing done by page_init_zero() (mm/
 *                    page_init.c): with page_init=offlevel on a page-init
 *                    worker. The OOM notifier takes the valid blocks back
 *                    before the OOM killer kills, as it does the 4 KiB
 *                    pages.
 *
 * Locks: as for the 4 KiB tables (mm/poe.c's header comment). A pmd
 * mark's lock bit (bit 5, as a PTE mark's) is taken by the walker with a
 * test-and-set and by the kernel under page_table_lock (poe_pmd_lock()),
 * which is the lock of every pmd here.
 */
#include <kernel/atomic.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <mm/fault.h>
#include <mm/huge_mm.h>
#include <mm/mm_types.h>
#include <mm/page_alloc.h>
#include <mm/page_init.h>
#include <mm/poe.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include "poe_internal.h"

unsigned int poe_huge_nr_entries = POE_DEFAULT_HUGE_ENTRIES;
struct poe_table *poe_huge_tables[NR_CPUS]; /* under poe_tables_lock */

static int set_huge_entries(const char *val)
{
	unsigned long v;

	if (kstrtoul(val, 0, &v) || v > POE_MAX_HUGE_ENTRIES) {
		pr_err("poe: poe.huge_entries=%s rejected: must be 0..%u\n",
		       val, POE_MAX_HUGE_ENTRIES);
		return -EINVAL;
	}
	poe_huge_nr_entries = (unsigned int)v;
	return 0;
}
KERNEL_PARAM("poe.huge_entries", set_huge_entries,
	     "2 MiB pages per CPU in POE's huge table (default 2; 0: no "
	     "huge table, huge-eligible ranges take the THP fault)");

struct page *poe_pmd_clear_locked(struct mm_struct *mm, pmd_t *pmd)
{
	if (!poe_pmd_lock(pmd))
		return NULL;
	WRITE_ONCE(*pmd, 0); /* also drops the lock bit */
	mm->nr_huge_pmds--;  /* the mark counted as a huge pmd */
	return pgtable_trans_huge_withdraw(mm);
}

enum poe_huge_fallback poe_huge_fallback = POE_HUGE_FALLBACK_THP;

static int set_huge_fallback(const char *val)
{
	if (strcmp(val, "thp") == 0) {
		poe_huge_fallback = POE_HUGE_FALLBACK_THP;
	} else if (strcmp(val, "4k") == 0) {
		poe_huge_fallback = POE_HUGE_FALLBACK_4K;
	} else {
		pr_err("poe: poe.huge_fallback=%s rejected: must be thp or 4k\n",
		       val);
		return -EINVAL;
	}
	return 0;
}
KERNEL_PARAM("poe.huge_fallback", set_huge_fallback,
	     "what a 2 MiB POE mark the walker declined becomes: thp "
	     "(default: the huge fault) or 4k (512 4 KiB marks, the "
	     "patent's order)");

bool poe_pmd_to_ptes(struct mm_struct *mm, pmd_t *pmd)
{
	unsigned long flags;
	bool done = false;

	spin_lock_irqsave(&mm->page_table_lock, flags);
	if (poe_pmd_lock(pmd)) {
		/* The 4 KiB mark is the 2 MiB one's bits (no PS bit). */
		pte_t marker = READ_ONCE(*pmd) & ~_PAGE_POE_LOCK;
		struct page *pgtable = pgtable_trans_huge_withdraw(mm);
		pte_t *pte = page_address(pgtable);

		/* The deposit was never zeroed (pte_alloc_one() in
		 * mm/huge_memory.c): every entry is written here. */
		for (unsigned long i = 0; i < PTRS_PER_TABLE; i++)
			pte[i] = marker;
		ptlock_init(pgtable);
		/* Filled before the pmd points to it (x86 keeps stores in
		 * order); the store also drops the mark's lock bit. */
		WRITE_ONCE(*pmd, page_to_phys(pgtable) | _PAGE_TABLE);
		mm->nr_huge_pmds--;
		mm->nr_pgtables++; /* hooked in: counted as any table */
		done = true;
	}
	spin_unlock_irqrestore(&mm->page_table_lock, flags);
	return done;
}

bool poe_pmd_unmark(struct mm_struct *mm, pmd_t *pmd)
{
	struct page *pgtable;
	unsigned long flags;

	spin_lock_irqsave(&mm->page_table_lock, flags);
	pgtable = poe_pmd_clear_locked(mm, pmd);
	spin_unlock_irqrestore(&mm->page_table_lock, flags);
	if (!pgtable)
		return false;
	free_page((unsigned long)page_address(pgtable));
	return true;
}

bool poe_huge_on(void)
{
	return READ_ONCE(poe_huge_tables[0]) != NULL;
}

long poe_huge_mark(struct mm_struct *mm, unsigned long va, pte_t marker)
{
	struct page *pgtable;
	unsigned long flags;
	bool marked = false;
	pud_t *pud;
	pmd_t *pmd;

	if (!poe_huge_on())
		return 0;
	pud = pud_alloc(mm, pgd_offset(mm, va), va);
	pmd = pud ? pmd_alloc(mm, pud, va) : NULL;
	if (!pmd)
		return -ENOMEM;
	if (!pmd_none(READ_ONCE(*pmd)))
		return 0; /* a table, a huge page or a mark already */
	pgtable = alloc_pages(0);
	if (!pgtable)
		return -ENOMEM;
	spin_lock_irqsave(&mm->page_table_lock, flags);
	if (pmd_none(READ_ONCE(*pmd))) {
		pgtable_trans_huge_deposit(mm, pgtable);
		mm->nr_huge_pmds++;
		/* The 4 KiB mark's bits, which have no PS bit, at the pmd. */
		WRITE_ONCE(*pmd, marker);
		marked = true;
	}
	spin_unlock_irqrestore(&mm->page_table_lock, flags);
	if (!marked) {
		free_page((unsigned long)page_address(pgtable));
		return 0;
	}
	stat_add(&poe_counters.huge_marks, 1);
	return 1;
}

int poe_huge_tables_create(void)
{
	unsigned long flags, limit;
	int cpu;

	if (!poe_huge_nr_entries)
		return 0;
	/* As the 4 KiB tables: the full tables' pages may hold at most
	 * 1/POE_TABLES_MAX_DIV of memory. */
	limit = nr_managed_pages() / POE_TABLES_MAX_DIV / HPAGE_PMD_NR /
		MAX(num_possible_cpus(), 1u);
	if (poe_huge_nr_entries > limit) {
		pr_warn("poe: poe.huge_entries=%u capped to %lu: the huge "
			"tables may hold at most 1/%u of memory over %u CPUs\n",
			poe_huge_nr_entries, limit, POE_TABLES_MAX_DIV,
			num_possible_cpus());
		poe_huge_nr_entries = (unsigned int)limit;
		if (!limit)
			return 0;
	}
	for_each_possible_cpu(cpu)
	{
		/* One page: 16 * (N + 2) bytes, N <= POE_MAX_HUGE_ENTRIES. */
		struct poe_table *t = (void *)get_zeroed_page();

		if (!t) {
			poe_huge_tables_free();
			return -ENOMEM;
		}
		t->hdr.head = t->hdr.tail = 1;
		t->hdr.nr_entries = poe_huge_nr_entries;
		spin_lock_irqsave(&poe_tables_lock, flags);
		poe_huge_tables[cpu] = t;
		spin_unlock_irqrestore(&poe_tables_lock, flags);
	}
	return 0;
}

void poe_huge_program_register(struct percpu *cpu)
{
	struct poe_table *t = poe_huge_tables[cpu->cpu];

	if (!t) {
		WRITE_ONCE(cpu->poe_huge_reg.enable, 0);
		return;
	}
	cpu->poe_huge_reg.table_pfn = PFN_DOWN(__pa(t));
	cpu->poe_huge_reg.nr_entries = t->hdr.nr_entries;
	cpu->poe_huge_reg.low = 0;
	WRITE_ONCE(cpu->poe_huge_reg.enable, 1);
}

void poe_huge_tables_free(void)
{
	struct poe_table *old[NR_CPUS];
	unsigned long flags;

	spin_lock_irqsave(&poe_tables_lock, flags);
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		old[cpu] = poe_huge_tables[cpu];
		poe_huge_tables[cpu] = NULL;
	}
	spin_unlock_irqrestore(&poe_tables_lock, flags);
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		if (old[cpu])
			free_page((unsigned long)old[cpu]);
}

unsigned long poe_huge_refill(int cpu)
{
	struct poe_table *t = poe_huge_tables[cpu];
	unsigned long added = 0, ff;

	while (t) {
		struct poe_entry *e;
		struct page *page;

		/* Full: nothing to allocate (this runs at every period a
		 * CPU idles, and 2 MiB taken and given back each time
		 * would move the free-page count in everyone's sight). */
		if (READ_ONCE(t->ent[READ_ONCE(t->hdr.head)].va))
			break;
		page = alloc_pages(HPAGE_PMD_ORDER);
		if (!page)
			break;
		/* Claim the head entry before the zeroing, as the 4 KiB
		 * producers do, so that no two producers zero for it. */
		ff = poe_fill_lock(t);
		e = &t->ent[t->hdr.head];
		if (e->va) { /* full */
			poe_fill_unlock(t, ff);
			__free_pages(page, HPAGE_PMD_ORDER);
			break;
		}
		WRITE_ONCE(e->va, POE_ENTRY_RESERVED);
		t->hdr.head = poe_next(t->hdr.head, t->hdr.nr_entries);
		poe_fill_unlock(t, ff);
		/* May sleep: with page_init=offlevel a page-init worker
		 * zeroes while this worker waits. A kernel worker gets no
		 * signal, so the zeroing is never abandoned. */
		page_init_zero(page, HPAGE_PMD_ORDER, true);
		split_page(page, HPAGE_PMD_ORDER);
		ff = poe_fill_lock(t);
		e->pfn = (u32)page_to_pfn(page);
		__atomic_store_n(&e->va, POE_ENTRY_VALID, __ATOMIC_RELEASE);
		poe_fill_unlock(t, ff);
		added++;
	}
	stat_add(&poe_counters.huge_prealloc_pages, added);
	return added;
}

unsigned long poe_huge_account(struct mm_struct *mm, bool all)
{
	u32 tgid = (u32)mm->poe.tgid;
	unsigned long n = 0, ff, tf = 0;

	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct poe_table *t = poe_huge_tables[cpu];
		struct poe_entry *e;

		if (!t)
			continue;
		ff = poe_fill_lock(t);
		if (all) /* error handling: keep the walker out (claim 11) */
			tf = poe_table_lock(t);
		poe_for_each_entry(e, t) {
			u64 va = __atomic_load_n(&e->va, __ATOMIC_ACQUIRE);

			if (!(va & POE_ENTRY_USED) || e->tgid != tgid)
				continue;
			WRITE_ONCE(e->va, 0); /* free */
			n++;
		}
		if (all)
			poe_table_unlock(t, tf);
		poe_fill_unlock(t, ff);
	}
	if (!n)
		return 0;
	/* The huge fault's accounting (do_huge_pmd_anonymous_page()):
	 * 512 pages of rss, one fault, one huge page allocated. */
	mm->rss += n * HPAGE_PMD_NR;
	count_faults(mm, FAULT_POE, n);
	count_faults(mm, FAULT_TOTAL, n);
	stat_add(&thp_counters.thp_fault_alloc, n);
	stat_add(&poe_counters.huge_postfault_entries, n);
	return n;
}
