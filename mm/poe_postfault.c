/*
 * poe_postfault.c - the POE pipeline's work after the fault (include/mm/
 * poe.h, DESIGN.md §4, US 11,474,952 "post-page-fault" and "error
 * handling"). The emulated walker (arch/x86_64/poe_walk.c) maps a page and
 * leaves a *used* table entry (VA, TGID, PFN); everything the full handler
 * would have done besides mapping happens here, later, in a worker thread:
 *
 *   post-page-fault  every poe.period_ms (2 ms), or at once when a table
 *                    runs low: account each used entry to its mm (rss,
 *                    fault counters), record the page's reverse mapping
 *                    and put it on the active LRU list, clear used; then
 *                    refill free entries with freshly zeroed pages.
 *   error handling   before exit, munmap, madvise(DONTNEED) or fork frees
 *                    or copies an mm's pages, the same accounting for the
 *                    used entries carrying its TGID, under the table lock,
 *                    so no page is leaked or freed twice.
 */
#include <kernel/mutex.h>
#include <kernel/panic.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/workqueue.h>
#include <mm/mm_types.h>
#include <mm/page_alloc.h>
#include <mm/poe.h>
#include <mm/rmap.h>
#include <mm/swap.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>

extern struct mutex poe_registry_mutex;
extern struct list_head poe_mm_list;
extern spinlock_t poe_tables_lock;
extern struct poe_table *poe_tables[NR_CPUS];

static DEFINE_MUTEX(producer_mutex);	/* one refiller at a time */

static struct workqueue_struct *poe_wq;	/* its own worker: kworker/0:poe */
static bool background_on;
static struct delayed_work period_work;
static struct work_struct kick_work;

/* Account one used entry to mm and clear it. Table lock and mm->lock held. */
static void account_entry(struct mm_struct *mm, struct poe_entry *e)
{
	struct page *page = pfn_to_page(e->pfn);

	mm->rss++;
	mm->faults.count[FAULT_POE]++;
	mm->faults.count[FAULT_TOTAL]++;
	global_faults.count[FAULT_POE]++;
	global_faults.count[FAULT_TOTAL]++;
	page_add_new_anon_rmap(page, mm, e->va & PAGE_MASK);
	lru_cache_add(page);
	WRITE_ONCE(e->va, 0);		/* neither used nor valid: free */
}

/* Every used entry of mm's TGID in every table; mm->lock held. */
static unsigned long process_mm(struct mm_struct *mm)
{
	unsigned long n = 0, flags;

	spin_lock_irqsave(&poe_tables_lock, flags);
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct poe_table *t = poe_tables[cpu];
		unsigned long tf;

		if (!t)
			continue;
		tf = poe_table_lock(t);
		for (u32 i = 1; i <= t->hdr.nr_entries; i++) {
			struct poe_entry *e = &t->ent[i];

			if ((e->va & POE_ENTRY_USED) && e->tgid == (u32)mm->poe.tgid) {
				account_entry(mm, e);
				n++;
			}
		}
		poe_table_unlock(t, tf);
	}
	spin_unlock_irqrestore(&poe_tables_lock, flags);
	return n;
}

unsigned long poe_error_handling(struct mm_struct *mm)
{
	unsigned long n;

	if (!mm->poe.registered)
		return 0;
	n = process_mm(mm);
	poe_counters.error_recoveries += n;
	return n;
}

/* Does any table hold a used entry? (A cheap look before the real work.) */
static bool any_used(void)
{
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct poe_table *t = poe_tables[cpu];

		for (u32 i = 1; t && i <= t->hdr.nr_entries; i++)
			if (READ_ONCE(t->ent[i].va) & POE_ENTRY_USED)
				return true;
	}
	return false;
}

/* Post-page-fault for every registered mm. Sleeps (registry mutex). */
static void postfault_all(void)
{
	struct mm_struct *mm;
	unsigned long flags;

	if (!any_used())
		return;
	mutex_lock(&poe_registry_mutex);
	list_for_each_entry(mm, &poe_mm_list, poe.node) {
		spin_lock_irqsave(&mm->lock, flags);
		poe_counters.postfault_entries += process_mm(mm);
		spin_unlock_irqrestore(&mm->lock, flags);
	}
	mutex_unlock(&poe_registry_mutex);
}

unsigned long poe_refill_table(struct poe_table *t)
{
	unsigned long added = 0, flags;
	u64 t0 = rdtsc();

	mutex_lock(&producer_mutex);
	for (;;) {
		void *page = get_zeroed_page();	/* only zeroed pages go in */
		struct poe_entry *e;

		if (!page)
			break;
		flags = poe_table_lock(t);
		e = &t->ent[t->hdr.head];
		if (e->va & (POE_ENTRY_VALID | POE_ENTRY_USED)) {
			poe_table_unlock(t, flags);	/* full, or waiting for
							 * post-fault */
			free_page(page);
			break;
		}
		e->pfn = (u32)PFN_DOWN(__pa(page));
		e->tgid = 0;
		WRITE_ONCE(e->va, POE_ENTRY_VALID);
		t->hdr.head = poe_next(t->hdr.head, t->hdr.nr_entries);
		poe_table_unlock(t, flags);
		added++;
	}
	mutex_unlock(&producer_mutex);
	poe_counters.prealloc_pages += added;
	poe_counters.refill_ticks += rdtsc() - t0;
	return added;
}

void poe_drain_table(struct poe_table *t)
{
	unsigned long flags;

	postfault_all();	/* used entries: their pages are mapped */
	flags = poe_table_lock(t);
	for (u32 i = 1; i <= t->hdr.nr_entries; i++) {
		struct poe_entry *e = &t->ent[i];

		if (e->va & POE_ENTRY_VALID)
			free_page(__va((phys_addr_t)e->pfn << PAGE_SHIFT));
		else if (e->va & POE_ENTRY_USED)
			pr_err("poe: entry %u (va %#lx tgid %u) has no mm; page leaked\n",
			       i, (unsigned long)(e->va & PAGE_MASK), e->tgid);
		e->va = 0;
	}
	t->hdr.head = t->hdr.tail = 1;
	poe_table_unlock(t, flags);
}

/* The periodic and the kicked work: post-fault, then refill. */
static void background_fn(struct work_struct *w)
{
	u64 t0 = rdtsc();

	(void)w;
	if (!READ_ONCE(background_on))
		return;
	postfault_all();
	poe_counters.postfault_ticks += rdtsc() - t0;
	poe_counters.postfault_runs++;
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		poe_refill_table(poe_tables[cpu]);
	if (w == &period_work.work && READ_ONCE(background_on))
		queue_delayed_work(poe_wq, &period_work, poe_period_ms);
}

/*
 * poe_init - create the POE worker at boot, so that its thread and stack
 * are part of the baseline and never counted as a leak. Needs workqueues.
 */
void poe_init(void)
{
	INIT_DELAYED_WORK(&period_work, background_fn);
	INIT_WORK(&kick_work, background_fn);
	poe_wq = alloc_workqueue("poe");
	if (!poe_wq)
		panic("poe: cannot create the poe workqueue");
}

void poe_background_start(void)
{
	WRITE_ONCE(background_on, true);
	queue_delayed_work(poe_wq, &period_work, poe_period_ms);
}

void poe_background_stop(void)
{
	WRITE_ONCE(background_on, false);
	/* A run already going may re-arm the timer before it sees the flag:
	 * the second cancel catches that one. */
	cancel_delayed_work_sync(&period_work);
	cancel_work_sync(&kick_work);
	cancel_delayed_work_sync(&period_work);
}

void poe_kick(void)
{
	struct percpu *cpu = this_cpu();

	cpu->poe_walk.kick = 0;
	if (!READ_ONCE(background_on))
		return;
	if (queue_work(poe_wq, &kick_work))
		cpu->need_resched = true;	/* refill before user mode */
}
