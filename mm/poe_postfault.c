/*
 * poe_postfault.c - the POE pipeline's work after the fault (include/mm/
 * poe.h, docs/poe.md; US 11,474,952 claims 7, 8, 10 and 11). The emulated
 * walker (arch/x86_64/poe_walk.c) maps a pre-allocated, already zeroed
 * page and leaves a *used* table entry (VA, TGID, PFN), and does nothing
 * else. This file does the rest later, on the POE workqueue's worker
 * threads (kworker/N:poe, one per CPU; CPU N's refills CPU N's table,
 * and an idle CPU's may help a busy one's, as poe.refill= says):
 *
 *   post-page-fault  every poe.period_ms (2 ms; a delayed work, claims 7
 *                    and 10), or at once when the walker asked for a
 *                    refill (poe_kick): for each used entry, find the mm
 *                    whose TGID it carries, add 1 to mm->rss and to the
 *                    FAULT_POE and FAULT_TOTAL counters of the mm and of
 *                    the machine, point the page's reverse mapping
 *                    (page->rmap_mm, rmap_va) at mm and VA, put the page
 *                    on the active LRU list, and free the entry.
 *   refill           then put a freshly zeroed page into every free entry
 *                    from head on (claim 7: replace the used pages; claim
 *                    8: at once when the walker found fewer than
 *                    poe.low left), each entry claimed before its page
 *                    is zeroed, so that producers on several CPUs can
 *                    share a table.
 *   error handling   before exit, munmap, madvise(MADV_DONTNEED) or fork
 *                    frees or copies an mm's pages, the same per-entry
 *                    work for the used entries carrying its TGID, under
 *                    mmap_lock (the caller's, for writing),
 *                    page_table_lock and the table lock (and the fill
 *                    lock, against the other kernel writers), so no
 *                    page is leaked or freed twice (claim 11).
 *
 * Compared with the full handler (mm/fault.c): the page was zeroed when
 * it went into the table, the access was checked against the VMA when the
 * PTE was marked (mm/poe_prefault.c) and against the marked rights by the
 * walker, and the fault counts as FAULT_POE, not as FAULT_READ or
 * FAULT_WRITE. The reverse mapping and the LRU list are POE's alone: the
 * full handler keeps neither.
 */
#include <kernel/atomic.h>
#include <kernel/mutex.h>
#include <kernel/panic.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <kernel/workqueue.h>
#include <mm/fault.h>
#include <mm/huge_mm.h>
#include <mm/mm_types.h>
#include <mm/oom.h>
#include <mm/page_alloc.h>
#include <mm/poe.h>
#include <mm/rmap.h>
#include <mm/swap.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include "poe_internal.h"

/*
 * The POE workers: one per CPU, kworker/N:poe, bound to CPU N. Each
 * refills its own CPU's table in the background (bg_work[N]; the batch a
 * kick asks for, the faulting task refills itself: poe_refill_fn()); the
 * periodic post-fault work
 * runs on one of them and hands each CPU's refill to that CPU's worker.
 * When CPU N's walker runs low while another CPU is idle, poe_kick() also
 * hands the refill of table N to the idle CPU's worker (help_work[N]), as
 * Linux moves work to idle CPUs: the zeroing then runs beside the
 * faulting task instead of in its place (poe.refill=, docs/poe.md).
 */
static struct workqueue_struct *poe_wq;
static bool background_on;
static struct delayed_work period_work;
/* help_work[N]: CPU N's table refilled on another, idle CPU's worker;
 * help_in_flight[N]: it is queued or running (poe_kick() queues one);
 * help_running[N]: it is running. */
static struct work_struct help_work[NR_CPUS];
static bool help_in_flight[NR_CPUS], help_running[NR_CPUS];
/* bg_work[N]: the rest of CPU N's refill, on N's worker, in idle time. */
static struct work_struct bg_work[NR_CPUS];

/*
 * The used entries of one mm are accounted in batches of ACCOUNT_BATCH:
 * each entry is taken (and freed) under the fill lock (and, for error
 * handling, the table lock, which keeps that CPU's walker out), and the
 * rest of its accounting is done after the locks are dropped, for the
 * whole batch at once: the counters and the LRU list
 * take their locks once per batch, not per page (Linux's folio_batch). A
 * kicked task waits for this work once per table's worth of fast-path
 * faults (on one CPU with no idle time, in its own time: docs/poe.md), so
 * it is kept to a few instructions per page.
 */
#define ACCOUNT_BATCH 32

/*
 * Account the rest for pages[0..n-1] of mm: rss, the fault counters, the
 * LRU list. mm->page_table_lock held (error handling of the same mm waits
 * for it, so a page taken from its entry is never unaccounted when error
 * handling looks), neither the fill lock nor the table lock.
 */
static void account_flush(struct mm_struct *mm, struct page **pages,
			  unsigned int n)
{
	if (!n)
		return;
	mm->rss += n;
	count_faults(mm, FAULT_POE, n);
	count_faults(mm, FAULT_TOTAL, n);
	lru_cache_add_batch(pages, n);
}

/* Does t seem to hold a used entry of tgid? A look without the fill
 * lock: it may miss an entry being written (the next run gets it). */
static bool table_has_used(struct poe_table *t, u32 tgid)
{
	struct poe_entry *e;

	poe_for_each_entry(e, t) {
		if ((READ_ONCE(e->va) & POE_ENTRY_USED) &&
		    READ_ONCE(e->tgid) == tgid)
			return true;
	}
	return false;
}

static unsigned long process_mm(struct mm_struct *mm, bool all)
{
	struct page *pages[ACCOUNT_BATCH];
	u32 tgid = (u32)mm->poe.tgid;
	unsigned long total = 0, flags, ptl;
	unsigned int n = 0;

	spin_lock_irqsave(&mm->page_table_lock, ptl);
	spin_lock_irqsave(&poe_tables_lock, flags);
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct poe_table *t = poe_tables[cpu];
		struct poe_entry *e, *last;
		unsigned long ff, tf = 0;

		/* The periodic work locks only the tables that hold this
		 * mm's entries: each hold keeps that table's producers
		 * waiting (and, for error handling, its walker out). */
		if (!t || (!all && !table_has_used(t, tgid)))
			continue;
		/* poe_for_each_entry(), with the end computed once: the
		 * stores to the entries would make the compiler read
		 * nr_entries again for every entry. */
		last = &t->ent[t->hdr.nr_entries];
		ff = poe_fill_lock(t);
		if (all) /* error handling: keep the walker out (claim 11) */
			tf = poe_table_lock(t);
		for (e = &t->ent[1]; e <= last; e++) {
			/* Acquire: the walker stores tgid before va. */
			u64 va = __atomic_load_n(&e->va, __ATOMIC_ACQUIRE);
			struct page *page;

			if (!(va & POE_ENTRY_USED) || e->tgid != tgid)
				continue;
			/* Take the entry. The page's reverse mapping is
			 * written now, while the VA is at hand (two stores
			 * in struct page), not carried to account_flush(). */
			page = pfn_to_page(e->pfn);
			page_add_new_anon_rmap(page, mm, va);
			pages[n++] = page;
			WRITE_ONCE(e->va, 0); /* neither used nor valid: free */
			if (n == ACCOUNT_BATCH) {
				/* Account with the table unlocked: the
				 * walker and the producers go on meanwhile. */
				if (all)
					poe_table_unlock(t, tf);
				poe_fill_unlock(t, ff);
				account_flush(mm, pages, n);
				total += n;
				n = 0;
				ff = poe_fill_lock(t);
				if (all)
					tf = poe_table_lock(t);
			}
		}
		if (all)
			poe_table_unlock(t, tf);
		poe_fill_unlock(t, ff);
		account_flush(mm, pages, n);
		total += n;
		n = 0;
	}
	total += poe_huge_account(mm, all); /* the 2 MiB entries */
	spin_unlock_irqrestore(&poe_tables_lock, flags);
	spin_unlock_irqrestore(&mm->page_table_lock, ptl);
	return total;
}

unsigned long poe_error_handling(struct mm_struct *mm)
{
	unsigned long n;

	if (!mm->poe.registered)
		return 0;
	n = process_mm(mm, true);
	stat_add(&poe_counters.error_recoveries, n);
	return n;
}

/* Does any of the per-CPU tables tables[] hold a used entry? */
static bool tables_used(struct poe_table *const *tables)
{
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct poe_table *t = tables[cpu];
		struct poe_entry *e;

		if (!t)
			continue;
		poe_for_each_entry(e, t)
			if (READ_ONCE(e->va) & POE_ENTRY_USED)
				return true;
	}
	return false;
}

/* Does any table, 4 KiB or huge, hold a used entry? (A cheap look before
 * the real work.) */
static bool any_used(void)
{
	return tables_used(poe_tables) || tables_used(poe_huge_tables);
}

/*
 * Post-page-fault for every registered mm, but one that deferred its
 * entries to error handling (POE_ENABLE_DEFER_POSTFAULT) only when
 * deferred too (the tables are going away). Sleeps (registry mutex) when
 * wait; otherwise does nothing if another holds the mutex (returns false
 * then): the help of another CPU's refill would only sleep for work that
 * is already being done, and an idle CPU's wake-up costs milliseconds on
 * a loaded host.
 */
static bool postfault_all(bool wait, bool deferred)
{
	struct mm_struct *mm;

	if (!any_used())
		return true;
	if (wait)
		mutex_lock(&poe_registry_mutex);
	else if (!mutex_trylock(&poe_registry_mutex))
		return false;
	list_for_each_entry(mm, &poe_mm_list, poe.node)
		if (deferred || !READ_ONCE(mm->poe.defer_postfault))
			stat_add(&poe_counters.postfault_entries,
				 process_mm(mm, false));
	mutex_unlock(&poe_registry_mutex);
	return true;
}

/*
 * Pages zeroed by producers running on each CPU since boot, whatever the
 * table: poe_refill_fn() compares two readings to tell how much zeroing
 * a kicked task did or sat through on its CPU (refill_wait_pages).
 */
static unsigned long zeroed_on[NR_CPUS];

/* Does a task kicked on CPU cpu owe its refill batch (poe_refill_fn(),
 * queued or running)? Then background zeroing there would lengthen what
 * it waits through: the producers stop. */
static bool kick_waiting[NR_CPUS];
static unsigned long wait_start[NR_CPUS]; /* zeroed_on[] at the kick */

/* Raise poe_counters.refill_wait_max_pages to n if it is lower. */
static void wait_max(unsigned long n)
{
	unsigned long old = READ_ONCE(poe_counters.refill_wait_max_pages);

	while (n > old &&
	       !__atomic_compare_exchange_n(&poe_counters.refill_wait_max_pages,
					    &old, n, false, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
}

/*
 * The zeroing a task waits through, page by page (refill_wait_max_pages):
 * stretch[N] counts the pages producers zeroed on CPU N in a row while
 * some task there waited: for its kick (kick_waiting[N]), or just to run
 * (another task runnable beside the producer). A page belongs to the
 * stretch only if somebody waited both when its producer claimed its
 * entry and when the page was in: a page begun with nobody waiting
 * starts a new stretch (of 1 if somebody waits by its end), since
 * whoever waits then began waiting during that page, not before the
 * pages in a row ahead of it. The stretch also starts again when another
 * producer, or the same one after it was switched out (someone else ran
 * meanwhile), zeroes the next page. stretch_by[N] and stretch_out[N]:
 * the producer of the last page and its switched_out then. So a kick's
 * batch followed at once by a background batch, the task still waiting
 * on N (not yet back in user mode), counts as one wait of both; but
 * when the kicked task was woken on another CPU, the background page
 * that follows on N counts only for whoever starts waiting on N while
 * it is zeroed.
 */
static unsigned long stretch[NR_CPUS];
static struct task *stretch_by[NR_CPUS];
static u64 stretch_out[NR_CPUS];

/* Does a task on CPU cpu wait for zeroing there: for its kick, or to run
 * (sched_nr_running() counts the producer)? A snapshot. */
static bool cpu_waits(int cpu)
{
	return READ_ONCE(kick_waiting[cpu]) || sched_nr_running(cpu) > 1;
}

/* A producer just zeroed a page on CPU me; interrupts off. begun_waited:
 * cpu_waits(me) was true when it claimed the page's entry, on me. */
static void note_zeroed(int me, bool begun_waited)
{
	bool waited = cpu_waits(me);

	stat_add(&zeroed_on[me], 1);
	if (!waited || !begun_waited || stretch_by[me] != current ||
	    stretch_out[me] != current->switched_out)
		stretch[me] = 0;
	if (waited)
		wait_max(++stretch[me]);
	stretch_by[me] = current;
	stretch_out[me] = current->switched_out;
}

/*
 * Fill t's free entries from head on with pages zeroed ahead
 * (alloc_prezeroed_pages()), PREZEROED_BATCH at a time under one hold of
 * the allocator's lock, PREZEROED_PER_LOCK entries per hold of the fill
 * lock; the entries go straight to valid (nothing to zero, so nothing to
 * reserve).
 * Pages left over when another producer filled the table meanwhile go
 * back to the zeroed list. Returns the pages added; *full: it stopped at
 * an entry that is not free (the table is full for now), not for want
 * of pages.
 */
#define PREZEROED_BATCH	   64
#define PREZEROED_PER_LOCK 8

static unsigned long fill_prezeroed(struct poe_table *t, bool *full)
{
	struct page *pages[PREZEROED_BATCH];
	unsigned long added = 0, flags;
	unsigned int n, i;

	do {
		n = alloc_prezeroed_pages(pages, PREZEROED_BATCH);
		for (i = 0; i < n;) {
			/* A few entries per hold of the fill lock, which
			 * keeps interrupts off: the walker does not wait for
			 * it, but a tick or another producer does. */
			unsigned int lim = MIN(n, i + PREZEROED_PER_LOCK);

			flags = poe_fill_lock(t);
			for (; i < lim; i++) {
				struct poe_entry *e = &t->ent[t->hdr.head];

				if (e->va) /* valid, used or claimed: full */
					break;
				/* The walker may take it as soon as va says
				 * valid, and must see its pfn: three volatile
				 * stores stay in this order (the compiler),
				 * and x86 keeps stores in order (the CPU). */
				WRITE_ONCE(e->pfn, (u32)page_to_pfn(pages[i]));
				WRITE_ONCE(e->tgid, 0);
				WRITE_ONCE(e->va, POE_ENTRY_VALID);
				t->hdr.head = poe_next(t->hdr.head,
						       t->hdr.nr_entries);
			}
			poe_fill_unlock(t, flags);
			if (i < lim)
				break;
		}
		added += i;
		*full = i < n;
		for (unsigned int j = i; j < n; j++)
			free_prezeroed_page(pages[j]);
	} while (i == PREZEROED_BATCH);
	stat_add(&poe_counters.refill_prezeroed_pages, added);
	return added;
}

unsigned long poe_refill_table_max(struct poe_table *t, unsigned long max)
{
	unsigned long added, zeroed = 0, irq, flags;
	u64 t0 = rdtsc();
	bool full = false;

	added = fill_prezeroed(t, &full);
	while (!full && zeroed < max) {
		struct poe_entry *e;
		struct page *page;
		bool begun_waited;
		int cpu;

		/*
		 * Claim the entry at head, under the fill lock: only there
		 * do head and its entry agree (another producer may claim
		 * or fill it at any moment). The page is taken first, before
		 * the lock, which other producers should find free as often
		 * as they can (the walker never waits for it);
		 * interrupts stay off from the allocation to the claim, so a
		 * page taken for a table that turns out full goes straight
		 * back and is never missing from the free count for longer.
		 */
		local_irq_save(irq);
		cpu = this_cpu()->cpu;
		begun_waited = cpu_waits(cpu);
		page = alloc_pages(0);
		if (!page) {
			local_irq_restore(irq);
			break;
		}
		flags = poe_fill_lock(t);
		e = &t->ent[t->hdr.head];
		if (e->va) { /* valid, used or claimed: full for now */
			poe_fill_unlock(t, flags);
			__free_pages(page, 0);
			local_irq_restore(irq);
			break;
		}
		WRITE_ONCE(e->va, POE_ENTRY_RESERVED);
		t->hdr.head = poe_next(t->hdr.head, t->hdr.nr_entries);
		poe_fill_unlock(t, flags);
		local_irq_restore(irq);
		/* Zero it with no lock held (the walker goes on taking the
		 * entries before this one), as get_zeroed_page() does: only
		 * zeroed pages go in. */
		memset(page_address(page), 0, PAGE_SIZE);
		flags = poe_fill_lock(t);
		/* va last, as in fill_prezeroed(): the walker may take the
		 * entry as soon as it is valid. */
		WRITE_ONCE(e->pfn, (u32)page_to_pfn(page));
		WRITE_ONCE(e->tgid, 0);
		WRITE_ONCE(e->va, POE_ENTRY_VALID);
		/* Interrupts are off: the CPU read is the one that zeroed
		 * (if it is not the one that claimed, nobody waited on it
		 * for this page from the start). */
		note_zeroed(this_cpu()->cpu,
			    begun_waited && this_cpu()->cpu == cpu);
		poe_fill_unlock(t, flags);
		added++;
		zeroed++;
	}
	stat_add(&poe_counters.prealloc_pages, added);
	stat_add(&poe_counters.refill_ticks, rdtsc() - t0);
	return added;
}

unsigned long poe_refill_table(struct poe_table *t)
{
	return poe_refill_table_max(t, ~0UL);
}

/* Free the 2^order pages of a valid entry's pfn (a huge entry's block
 * was split when it went in: each of its pages is freed alone). */
static void free_entry_pages(u32 pfn, unsigned int order)
{
	for (unsigned long i = 0; i < (1UL << order); i++)
		free_page((unsigned long)__va((phys_addr_t)(pfn + i)
					      << PAGE_SHIFT));
}

void poe_drain_table(struct poe_table *t, unsigned int order)
{
	struct poe_entry *e;
	unsigned long ff, flags;

	/* Used entries: their pages are mapped. Deferred ones too, since
	 * the table goes. */
	postfault_all(true, true);
	ff = poe_fill_lock(t);
	flags = poe_table_lock(t);
	poe_for_each_entry(e, t) {
		if (e->va & POE_ENTRY_VALID)
			free_entry_pages(e->pfn, order);
		else if (e->va & POE_ENTRY_USED)
			pr_err("poe: entry %u (va %#lx tgid %u) has no mm; %lu pages leaked\n",
			       (u32)(e - t->ent),
			       (unsigned long)(e->va & PAGE_MASK), e->tgid,
			       1UL << order);
		else if (e->va & POE_ENTRY_RESERVED) /* every producer is
						      * stopped by now */
			pr_err("poe: entry %u still reserved by a refill\n",
			       (u32)(e - t->ent));
		e->va = 0;
	}
	t->hdr.head = t->hdr.tail = 1;
	poe_table_unlock(t, flags);
	poe_fill_unlock(t, ff);
}

/*
 * The OOM notifier (include/mm/oom.h): before the OOM killer kills, take
 * back the pages every table holds zeroed ahead and no fault has used:
 * the valid entries from tail on, each freed and passed over as if the
 * walker had taken it, so that the ring stays what it always is (tail
 * the next entry to take, head the next to fill; a freed entry is free,
 * as a post-processed used one) and the producers fill it again from
 * head, after oom_hold()'s pause: the tables keep working. Stops at the first
 * entry that is not valid (free, used, or reserved by a producer zeroing
 * its page). Under poe_tables_lock, so that no table is freed meanwhile,
 * and each table's lock, which keeps its walker out (it falls back to
 * the full handler, which finds no page either). Returns the pages
 * freed, counted in oom_drained_pages. Linux drains its per-CPU page
 * lists before it declares OOM; these are POE's.
 */
/*
 * jiffies of the last drain that gave pages back (0: none yet). For
 * POE_OOM_HOLD_MS after it the background producers and the kicked
 * refill leave the tables alone (oom_hold()): a refill that took the
 * drained pages straight back would leave the faulting task without
 * them, and the next fault would drain them again, round and round,
 * where it should kill. Then the tables fill as before.
 */
#define POE_OOM_HOLD_MS 100
static u64 oom_drained_at;

static bool oom_hold(void)
{
	u64 at = READ_ONCE(oom_drained_at);

	return at && jiffies - at < msecs_to_jiffies(POE_OOM_HOLD_MS);
}

unsigned long poe_drain_valid(struct poe_table *t, unsigned int order)
{
	unsigned long freed = 0, ff, tflags;
	struct poe_entry *e;

	/* Both locks: tail is the walker's, head the producers'. */
	ff = poe_fill_lock(t);
	tflags = poe_table_lock(t);
	while ((e = &t->ent[t->hdr.tail])->va & POE_ENTRY_VALID) {
		free_entry_pages(e->pfn, order);
		WRITE_ONCE(e->va, 0);
		t->hdr.tail = poe_next(t->hdr.tail, t->hdr.nr_entries);
		freed += 1UL << order;
	}
	poe_table_unlock(t, tflags);
	poe_fill_unlock(t, ff);
	return freed;
}

static unsigned long poe_oom_drain(void)
{
	unsigned long freed = 0, flags;
	int cpu;

	spin_lock_irqsave(&poe_tables_lock, flags);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (poe_tables[cpu])
			freed += poe_drain_valid(poe_tables[cpu], 0);
		/* the 2 MiB blocks too */
		if (poe_huge_tables[cpu])
			freed += poe_drain_valid(poe_huge_tables[cpu],
						 HPAGE_PMD_ORDER);
	}
	spin_unlock_irqrestore(&poe_tables_lock, flags);
	if (freed)
		WRITE_ONCE(oom_drained_at, jiffies | 1); /* never 0 */
	stat_add(&poe_counters.oom_drained_pages, freed);
	return freed;
}

static struct oom_notifier poe_oom_nb = { .fn = poe_oom_drain };

/* Post-fault work over every table (any CPU may do it); wait and the
 * result as for postfault_all(). */
static bool postfault_run(bool wait)
{
	u64 t0 = rdtsc();
	bool done = postfault_all(wait, false);

	if (done)
		stat_add(&poe_counters.postfault_runs, 1);
	stat_add(&poe_counters.postfault_ticks, rdtsc() - t0);
	return done;
}

/* The state of the entry a producer would claim next: VALID, USED,
 * RESERVED or 0 (free). Under the fill lock, where head and its entry
 * agree. */
static u64 head_state(struct poe_table *t)
{
	unsigned long flags = poe_fill_lock(t);
	u64 va = t->ent[t->hdr.head].va;

	poe_fill_unlock(t, flags);
	return va & (POE_ENTRY_VALID | POE_ENTRY_USED | POE_ENTRY_RESERVED);
}

/*
 * Refill CPU cpu's table with at most max pages, post-processing first
 * when used entries block head (they must be freed before they are
 * refilled); again while the walker, going on meanwhile on another CPU,
 * leaves used entries at head, at most REFILL_ROUNDS times. Nothing when
 * the table is full: help that comes late must not hold the table's lock
 * against the walker for nothing. wait: sleep for the registry mutex when
 * another CPU is post-processing (else stop: that CPU refills next).
 * Returns the pages added. Any CPU's worker may run it for any table.
 */
#define REFILL_ROUNDS 4

static unsigned long refill_cpu_table(int cpu, bool wait, unsigned long max)
{
	struct poe_table *t = poe_tables[cpu];
	unsigned long added = 0, n;

	if (oom_hold())
		return 0; /* the OOM killer took these pages back just now */

	for (int round = 0; round < REFILL_ROUNDS && added < max; round++) {
		u64 head = head_state(t);

		if (head & (POE_ENTRY_VALID | POE_ENTRY_RESERVED))
			break; /* full */
		if ((head & POE_ENTRY_USED) && !postfault_run(wait))
			break;
		added += n = poe_refill_table_max(t, max - added);
		if (!n)
			break;
	}
	return added;
}

/* Is CPU cpu's table full (the entry at head is not free)? A snapshot. */
static bool table_full(int cpu)
{
	return head_state(poe_tables[cpu]) &
	       (POE_ENTRY_VALID | POE_ENTRY_RESERVED);
}

/*
 * The batch of the background producers (bg_fn(), help_fn()), in pages:
 * they look between batches whether their CPU is wanted. The same number
 * as the cap on the waited-for refill, at least one page.
 */
static unsigned long bg_batch(void)
{
	return MAX(poe_refill_batch, 1u);
}

/* Direct refills running (poe_refill_fn()); poe_background_stop() waits
 * for none before the tables may go. */
static int direct_refills;

/*
 * The kicked refill, run by the task that faulted on CPU N itself, on its
 * way back to user mode (task_work_run(), include/kernel/task_work.h):
 * post-fault, then at most poe.refill_batch pages into N's table, then the
 * rest handed to N's background refill (bg_work[N]), so the task pays
 * for one batch of zeroing at most. As Linux's direct reclaim beside
 * kswapd: the task that needs pages does a bounded share of the work
 * itself, in its own time slice, rather than wait for a worker that the
 * scheduler may put behind every other runnable task of N (with a
 * CPU-bound task beside it, a whole slice per kick). If an idle CPU's
 * help has claimed the entry the walker takes next and is zeroing its
 * page, wait for that page alone (the walker would find the table empty
 * until it is in): one page of zeroing on the other CPU, not the help's
 * whole refill. The task may be preempted, or moved to another CPU,
 * meanwhile; it still refills N's table, which any CPU may do.
 */
static void poe_refill_fn(struct callback_head *head)
{
	struct task *task = container_of(head, struct task, poe_refill_work);
	int cpu = task->poe_refill_cpu;
	unsigned long irq;

	__atomic_add_fetch(&direct_refills, 1, __ATOMIC_SEQ_CST);
	/* What this task waits through starts here: it ran in user mode
	 * since its last batch, so that one ended (note_zeroed()). */
	local_irq_save(irq);
	stretch[this_cpu()->cpu] = 0;
	local_irq_restore(irq);
	if (READ_ONCE(background_on)) {
		struct poe_table *t = poe_tables[cpu];

		if (READ_ONCE(kick_waiting[cpu]))
			refill_cpu_table(cpu, true, poe_refill_batch);
		while (__atomic_load_n(&help_running[cpu], __ATOMIC_ACQUIRE) &&
		       (READ_ONCE(t->ent[READ_ONCE(t->hdr.tail)].va) &
			POE_ENTRY_RESERVED))
			cpu_relax();
		if (!table_full(cpu))
			queue_work_on(cpu, poe_wq, &bg_work[cpu]);
	}
	if (READ_ONCE(kick_waiting[cpu])) {
		unsigned long n = READ_ONCE(zeroed_on[cpu]) - wait_start[cpu];

		stat_add(&poe_counters.refill_wait_pages, n);
		WRITE_ONCE(kick_waiting[cpu], false);
	}
	__atomic_sub_fetch(&direct_refills, 1, __ATOMIC_SEQ_CST);
	WRITE_ONCE(task->poe_refill_queued, false);
}

/*
 * May the background refill zero another page on CPU me (its worker's)?
 * Not while a task there waits for its kick; and, while other tasks wait
 * to run there, not once the run of pages they have sat through
 * (note_zeroed()) is a batch long. The yield() before a batch normally
 * ends such a run; this holds the bound when it does not switch (a task
 * counted on the run queue but not yet on its list, a wake-up from
 * another CPU under way).
 */
static bool bg_may_zero(int me)
{
	if (READ_ONCE(kick_waiting[me]))
		return false;
	if (sched_nr_running(me) <= 1)
		return true;
	return stretch_by[me] != current ||
	       stretch_out[me] != current->switched_out ||
	       stretch[me] < bg_batch();
}

/*
 * May the help (help_fn()), on CPU me's worker, zero another page there?
 * Only while me has nothing else to do: no task there waits for its
 * kick, and none is runnable beside the worker.
 */
static bool help_may_zero(int me)
{
	return !READ_ONCE(kick_waiting[me]) && sched_nr_running(me) <= 1;
}

/*
 * One page into CPU cpu's table for a background producer (bg_fn(),
 * help_fn()), post-processing first when used entries block head (wait:
 * as refill_cpu_table()). The page is zeroed with preemption off (Linux's
 * preempt_disable(), here the per-CPU preempt_count): a task of this CPU
 * can then only fault and kick between two such pages, never while one
 * is half done. may_zero, the caller's test of whether this CPU is
 * wanted (bg_may_zero(), help_may_zero()), is asked once preemption is
 * off, right before the page: asked only before, as the caller does, it
 * may be stale, because the worker can be preempted, or sleep in the
 * post-fault work, between the test and the page, and a task of this
 * CPU fault and kick meanwhile; that task would then wait for this page
 * on top of its kick's batch. So a task that waits for its kick never
 * waits for background zeroing too. Returns the pages added: 1, more
 * when pages zeroed ahead were there to take (poe_refill_table_max()
 * takes those first, without a memset, and they do not count against
 * its one page), or 0 when the table is full, no page is left or
 * may_zero says no.
 */
static unsigned long bg_page(int cpu, bool wait, bool (*may_zero)(int me))
{
	struct poe_table *t = poe_tables[cpu];
	u64 head = head_state(t);
	unsigned long n = 0;

	if (head & (POE_ENTRY_VALID | POE_ENTRY_RESERVED))
		return 0; /* full */
	if ((head & POE_ENTRY_USED) && !postfault_run(wait))
		return 0;
	if (oom_hold())
		return 0; /* the OOM killer took these pages back just now */
	this_cpu()->preempt_count++; /* the worker is bound: same CPU */
	if (may_zero(this_cpu()->cpu))
		n = poe_refill_table_max(t, 1);
	this_cpu()->preempt_count--;
	return n;
}

/*
 * Up to a batch of free pages zeroed onto the zeroed list
 * (prezero_page(), mm/page_alloc.c), on CPU cpu's worker, one at a time
 * with preemption off (as bg_page()), each only while nothing else wants
 * this CPU (help_may_zero()) and the list is short of its target
 * (poe.prezero=). So the idle time of every CPU zeroes the pages that
 * the refills take later without a memset: a kick then refills from the
 * list, and a task that outruns its table waits for no zeroing at all
 * while the list lasts. The pages stay free memory. Returns the pages
 * zeroed. Ours: the patent pre-allocates into the table only.
 */
static unsigned long prezero_batch(int cpu)
{
	unsigned long n, irq;

	for (n = 0; n < bg_batch(); n++) {
		bool done;

		this_cpu()->preempt_count++; /* the worker is bound */
		done = help_may_zero(cpu) && prezero_page(poe_prezero_target());
		if (done) {
			/* A task that became runnable meanwhile waited for
			 * this page. */
			local_irq_save(irq);
			note_zeroed(cpu, false);
			local_irq_restore(irq);
		}
		this_cpu()->preempt_count--;
		if (!done)
			break;
	}
	stat_add(&poe_counters.prezero_pages, n);
	return n;
}

/*
 * The background refill of CPU N's table, on N's own worker: a batch of
 * bg_batch() pages, one at a time, stopping at once when a task of N
 * owes its kick's batch (poe_refill_fn() queues this again after) or
 * when the tasks waiting to run on N have sat through a batch
 * (bg_may_zero(); the periodic work queues this again); then, if
 * another task is runnable on N (sched_nr_running() counts the worker),
 * yield() to it, as cond_resched() would; then queued again, behind the
 * work that came meanwhile, until the table is full. So on an idle CPU
 * the table fills in the idle time, and a busy task loses at most one
 * batch at a time to it (once per time slice, when the round-robin comes
 * back to the worker). The periodic work and every kick queue it.
 */
static void bg_fn(struct work_struct *w)
{
	int cpu = (int)(w - bg_work);
	unsigned long n = 0, k;

	if (sched_nr_running(cpu) > 1)
		yield(); /* a runnable task goes first */
	for (; n < bg_batch(); n++) {
		if (!READ_ONCE(background_on) || !bg_may_zero(cpu))
			break;
		k = bg_page(cpu, true, bg_may_zero);
		if (!k)
			break;
		stat_add(&poe_counters.refill_bg_pages, k);
	}
	/* The table is full: zero pages ahead for the refills to come, in
	 * idle time. The tick that queued this often woke a task too: let it
	 * run (and sleep again) first. */
	if (n < bg_batch() && READ_ONCE(background_on) && table_full(cpu)) {
		if (sched_nr_running(cpu) > 1)
			yield();
		/* Then the huge table (2 MiB each: after the 4 KiB pages,
		 * which more faults wait for). */
		if (!oom_hold())
			poe_huge_refill(cpu);
		n = prezero_batch(cpu);
	}
	if (n == bg_batch() && READ_ONCE(background_on))
		queue_work_on(cpu, poe_wq, &bg_work[cpu]);
}

/*
 * The help, on an idle CPU's worker: the same for CPU N's table, N being
 * busy (poe_kick()), until the table is full or this CPU is wanted:
 * another task runnable here, or a task here waiting for this CPU's own
 * kick (both checked before each page: the help must not lengthen what
 * this CPU's tasks wait for). N's own worker refills a batch too and
 * does the post-fault work; the help does it only when nobody else is at
 * it, rather than sleep for it (except with poe.refill=async, where it is
 * the only producer). Two producers on one table are safe: each claims an
 * entry under the fill lock before it zeroes a page for it.
 */
static void help_fn(struct work_struct *w)
{
	int cpu = (int)(w - help_work), me = this_cpu()->cpu;
	bool wait = poe_refill_policy == POE_REFILL_ASYNC;
	unsigned long n;

	__atomic_store_n(&help_running[cpu], true, __ATOMIC_RELEASE);
	do {
		for (n = 0; n < bg_batch(); n++) {
			unsigned long k = 0;

			if (READ_ONCE(background_on) && help_may_zero(me))
				k = bg_page(cpu, wait, help_may_zero);
			if (!k)
				break;
			stat_add(&poe_counters.refill_help_pages, k);
		}
	} while (n == bg_batch());
	__atomic_store_n(&help_running[cpu], false, __ATOMIC_RELEASE);
	__atomic_store_n(&help_in_flight[cpu], false, __ATOMIC_RELEASE);
}

/* The periodic work: post-fault, then each online CPU's background
 * refill, queued to that CPU's worker (it runs only if that CPU idles);
 * then again after poe_period_ms. */
static void period_fn(struct work_struct *w)
{
	int cpu;

	(void)w;
	if (!READ_ONCE(background_on))
		return;
	postfault_run(true);
	for_each_online_cpu(cpu) queue_work_on(cpu, poe_wq, &bg_work[cpu]);
	if (READ_ONCE(background_on))
		queue_delayed_work(poe_wq, &period_work,
				   msecs_to_jiffies(poe_period_ms));
}

/*
 * The walker cannot queue work (interrupts off, no locks): it raises
 * poe_need_refill and the next tick queues the refill. A fault that falls
 * back to the full handler may queue it sooner (do_page_fault).
 */
static void poe_tick(void)
{
	if (this_cpu()->poe_need_refill)
		poe_kick();
}

static struct tick_hook poe_tick_hook = { .fn = poe_tick };

/*
 * poe_init - create the POE worker at boot, so that its thread and stack
 * are part of the baseline and never counted as a leak; register POE's
 * tick hook and its OOM notifier. Needs workqueues.
 */
void poe_init(void)
{
	INIT_DELAYED_WORK(&period_work, period_fn);
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		INIT_WORK(&help_work[cpu], help_fn);
		INIT_WORK(&bg_work[cpu], bg_fn);
	}
	poe_wq = alloc_workqueue("poe");
	if (!poe_wq)
		panic("poe: cannot create the poe workqueue");
	tick_hook_register(&poe_tick_hook);
	register_oom_notifier(&poe_oom_nb);
}

void poe_background_start(void)
{
	int cpu;

	WRITE_ONCE(background_on, true);
	/* The first fill: each CPU's own worker, in its idle time. */
	for_each_online_cpu(cpu) queue_work_on(cpu, poe_wq, &bg_work[cpu]);
	queue_delayed_work(poe_wq, &period_work,
			   msecs_to_jiffies(poe_period_ms));
}

void poe_background_stop(void)
{
	WRITE_ONCE(background_on, false);
	/* A run already going may re-arm the timer before it sees the flag:
	 * the second cancel catches that one. */
	cancel_delayed_work_sync(&period_work);
	/* A direct refill that saw background_on still set finishes before
	 * the tables may go; one that starts from now on sees it clear. */
	while (__atomic_load_n(&direct_refills, __ATOMIC_SEQ_CST))
		yield();
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		cancel_work_sync(&help_work[cpu]);
		cancel_work_sync(&bg_work[cpu]);
		WRITE_ONCE(kick_waiting[cpu], false);
		/* A help cancelled before it ran never cleared its flag. */
		WRITE_ONCE(help_in_flight[cpu], false);
	}
	cancel_delayed_work_sync(&period_work);
}

/*
 * An online CPU other than busy that runs only its idle task (no task on
 * its run queue, Linux's idle_cpu()), searched from busy + 1 round, or
 * -1. A CPU whose worker zeroes pages ahead (prezero_batch()) is not
 * idle: it already spends its idle time for the busy CPU's next refills.
 * A snapshot: the CPU may get work a moment later, and then the help
 * waits a little behind it.
 */
static int idle_cpu_but(int busy)
{
	for (int i = 1; i < NR_CPUS; i++) {
		int cpu = (busy + i) % NR_CPUS;

		if (cpu_online(cpu) && sched_nr_running(cpu) == 0)
			return cpu;
	}
	return -1;
}

/* LAB refill: BEGIN */
void poe_kick(void)
{
	struct percpu *cpu = this_cpu();
	int me = cpu->cpu, helper = -1;

	cpu->poe_need_refill = false;
	if (!READ_ONCE(background_on))
		return;
	/* Another CPU idles: its worker refills this CPU's table, beside
	 * the task that faults here. One help per table at a time. */
	if (poe_refill_policy != POE_REFILL_LOCAL)
		helper = idle_cpu_but(me);
	if (helper >= 0 &&
	    !__atomic_exchange_n(&help_in_flight[me], true, __ATOMIC_ACQ_REL)) {
		queue_work_on(helper, poe_wq, &help_work[me]);
		stat_add(&poe_counters.refill_help, 1);
	}
	/* poe.refill=async: with help under way the task goes on at once;
	 * the faults that find the table empty meanwhile take the full
	 * handler. poe.refill_batch=0: the task never waits; its own CPU
	 * refills when it idles. No user task to wait (a tick in a kernel
	 * thread or the idle task): nobody needs a batch now, and a kick
	 * would only zero one in the way of the tasks that are runnable. */
	if ((poe_refill_policy == POE_REFILL_ASYNC &&
	     READ_ONCE(help_in_flight[me])) ||
	    poe_refill_batch == 0 || !current->mm ||
	    (current->flags & PF_KTHREAD)) {
		queue_work_on(me, poe_wq, &bg_work[me]);
		return;
	}
	/*
	 * Otherwise the faulting task refills one batch of this CPU's table
	 * itself (poe.refill_batch= pages at most; poe_refill_fn() hands the
	 * rest to the background) on its way back to user mode, before any
	 * user instruction: a task work, run by exit_to_user_mode() with
	 * interrupts on. Interrupts are off here (fault or tick), so
	 * kick_waiting and wait_start cannot race with the refill of a task
	 * on this CPU. One queued refill per task: a task that kicks again
	 * before its refill ran (a tick during a system call) pays once.
	 */
	if (current->poe_refill_queued) {
		queue_work_on(me, poe_wq, &bg_work[me]);
		return;
	}
	/* A task in do_exit() past its last task work (a fault or a tick
	 * while it releases its mm) cannot pay: nothing would ever run the
	 * refill, and kick_waiting would keep the background off this
	 * table for good. The background refills instead. */
	init_task_work(&current->poe_refill_work, poe_refill_fn);
	if (task_work_add(current, &current->poe_refill_work)) {
		queue_work_on(me, poe_wq, &bg_work[me]);
		return;
	}
	current->poe_refill_queued = true;
	current->poe_refill_cpu = me;
	if (!kick_waiting[me]) {
		wait_start[me] = READ_ONCE(zeroed_on[me]);
		WRITE_ONCE(kick_waiting[me], true);
	}
	stat_add(&poe_counters.refill_waits, 1);
}
/* LAB refill: END */
/* LAB refill: STUB
void poe_kick(void)
{
	this_cpu()->poe_need_refill = false;
	(void)idle_cpu_but;
	(void)poe_refill_fn;
}
*/
