/*
 * poe.c - the POE pipeline's control side (include/mm/poe.h, docs/poe.md,
 * US 11,474,952): the poe_enable/poe_disable system calls, the per-CPU
 * pre-allocation tables and POE registers, the registry of mms whose
 * PTEs may be POEable, and the poe_stats call.
 *
 * Lifetime: the first poe_enable() builds one table per CPU, programs
 * every CPU's POE register with schedule_on_each_cpu(), and starts a
 * the background work that fills the tables and the periodic post-fault
 * work (mm/poe_postfault.c). The last poe_disable() undoes all of that. An mm
 * stays on the registry from its first enable until it is torn down,
 * because its VM_POE regions keep their POEable PTEs after a disable.
 *
 * Locks, outermost first (docs/concurrency.md has the whole order):
 *
 *   poe_mutex (enable/disable)
 *     -> poe_registry_mutex (poe_mm_list)
 *          -> mm->mmap_lock (a sleeping rwsem: the VMAs)
 *               -> mm->page_table_lock (a spinlock: upper levels;
 *                  |    the post-fault work's reverse mappings)
 *                  |    -> a PTE table's lock (its 512 PTEs)
 *                  |         -> a PTE's lock bit (the full handler
 *                  |            mapping a mark)
 *                    -> poe_tables_lock (the tables[] pointers)
 *                         -> a table's fill lock bit (ours: producers,
 *                            post-fault work, error handling)
 *                              -> its table lock bit (error handling)
 *                                   -> lru_lock
 *
 * The sleeping locks come first and no spinlock is held across them.
 * The walker (arch/x86_64/poe_walk.c) takes only a PTE's lock bit and
 * its CPU's table's lock bit, with interrupts off, each with one
 * test-and-set, and falls back when either is held; it never looks at
 * the fill lock bit.
 */
#include <kernel/atomic.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/mutex.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include <kernel/workqueue.h>
#include <mm/huge_mm.h>
#include <mm/mm_types.h>
#include <mm/page_alloc.h>
#include <mm/poe.h>
#include <mm/swap.h>
#include <mm/vma.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <poe.h>
#include "poe_internal.h"

unsigned int poe_nr_entries = POE_DEFAULT_ENTRIES; /* per CPU */
unsigned int poe_period_ms = 2;
static unsigned int poe_low_watermark; /* 0: nr_entries / 4 */
struct poe_counters poe_counters;

static DEFINE_MUTEX(poe_mutex);	  /* enable/disable, table lifetime */
DEFINE_MUTEX(poe_registry_mutex); /* poe_mm_list */
LIST_HEAD(poe_mm_list);		  /* registered mms (mm->poe.node) */
static int nr_enabled;		  /* mms with POE on */

DEFINE_SPINLOCK(poe_tables_lock);
struct poe_table *poe_tables[NR_CPUS]; /* NULL while POE is off */
static unsigned int table_order;       /* buddy order of one table */

static int parse_uint(const char *val, unsigned long lo, unsigned long hi,
		      unsigned int *out, const char *what)
{
	unsigned long v;

	if (kstrtoul(val, 0, &v) || v < lo || v > hi) {
		pr_err("poe: %s=%s rejected: must be %lu..%lu\n", what, val, lo,
		       hi);
		return -EINVAL;
	}
	*out = (unsigned int)v;
	return 0;
}

/* A boolean as Linux's kstrtobool() reads one; anything else is rejected
 * on the console and leaves *out as it was. */
static int parse_bool(const char *val, bool *out, const char *what)
{
	if (kstrtobool(val, out)) {
		pr_err("poe: %s=%s rejected: must be a boolean (1, y, on / 0, "
		       "n, off)\n",
		       what, val);
		return -EINVAL;
	}
	return 0;
}

static int set_entries(const char *val)
{
	return parse_uint(val, 1, POE_MAX_ENTRIES, &poe_nr_entries,
			  "poe.entries");
}
KERNEL_PARAM("poe.entries", set_entries,
	     "POE pre-allocation table entries per CPU (default 254)");

static int set_period(const char *val)
{
	return parse_uint(val, 1, 10000, &poe_period_ms, "poe.period_ms");
}
KERNEL_PARAM("poe.period_ms", set_period,
	     "POE post-fault work period, ms (default 2)");

static int set_low(const char *val)
{
	return parse_uint(val, 0, POE_MAX_ENTRIES, &poe_low_watermark,
			  "poe.low");
}
KERNEL_PARAM(
	"poe.low", set_low,
	"POE refill kick below this many valid entries (default entries/4)");

unsigned int poe_mark_sync = POE_DEFAULT_MARK_SYNC;
unsigned int poe_mark_window = POE_DEFAULT_MARK_WINDOW;

static int set_mark_sync(const char *val)
{
	return parse_uint(val, 0, POE_MAX_MARK_SYNC, &poe_mark_sync,
			  "poe.mark_sync");
}
KERNEL_PARAM("poe.mark_sync", set_mark_sync,
	     "POE: pages mmap marks itself before it returns (default 512)");

static int set_mark_window(const char *val)
{
	return parse_uint(val, 0, 0xffffffffUL, &poe_mark_window,
			  "poe.mark_window");
}
KERNEL_PARAM("poe.mark_window", set_mark_window,
	     "POE: pages from a region's start marked ahead of use, "
	     "building tables (default 8192)");

#define PREZERO_AUTO 0xffffffffU /* no poe.prezero= given */
static unsigned int poe_prezero = PREZERO_AUTO;

static int set_prezero(const char *val)
{
	return parse_uint(val, 0, PREZERO_AUTO - 1, &poe_prezero,
			  "poe.prezero");
}
KERNEL_PARAM("poe.prezero", set_prezero,
	     "POE: free pages kept zeroed ahead in idle time "
	     "(default 1/8 of memory)");

unsigned long poe_prezero_target(void)
{
	unsigned long managed = nr_managed_pages();
	unsigned long want = poe_prezero == PREZERO_AUTO ?
				     managed / POE_PREZERO_DIV :
				     poe_prezero;

	return MIN(want, managed / 2);
}

bool poe_mark_fault = true;

static int set_mark_fault(const char *val)
{
	return parse_bool(val, &poe_mark_fault, "poe.mark_fault");
}
KERNEL_PARAM("poe.mark_fault", set_mark_fault,
	     "POE: 1 (default): a fault on an unmarked PTE of a POE region "
	     "marks the rest of its page table; 0: it does not");

enum poe_refill_policy poe_refill_policy = POE_REFILL_HELP;
unsigned int poe_refill_batch = POE_DEFAULT_REFILL_BATCH;

static int set_refill_batch(const char *val)
{
	return parse_uint(val, 0, POE_MAX_ENTRIES, &poe_refill_batch,
			  "poe.refill_batch");
}
KERNEL_PARAM("poe.refill_batch", set_refill_batch,
	     "most pages a faulting task waits to see zeroed (default 8)");

static int set_refill(const char *val)
{
	static const char *const names[] = { "local", "help", "async" };

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(val, names[i]) == 0) {
			poe_refill_policy = (enum poe_refill_policy)i;
			return 0;
		}
	pr_err("poe: poe.refill=%s rejected: must be local, help or async\n",
	       val);
	return -EINVAL;
}
KERNEL_PARAM("poe.refill", set_refill,
	     "who refills a CPU's table: local, help (default) or async");

bool poe_always;

static int set_always(const char *val)
{
	if (!val[0]) { /* a bare "poe.always": on */
		poe_always = true;
		return 0;
	}
	return parse_bool(val, &poe_always, "poe.always");
}
KERNEL_PARAM("poe.always", set_always,
	     "POE on in every program from exec (tests: poe.always=1)");

/* The watermark in force: poe.low= capped at the table size. */
static unsigned int low_watermark(void)
{
	unsigned int low = poe_low_watermark ? poe_low_watermark :
					       poe_nr_entries / 4;

	return MIN(low, poe_nr_entries);
}

/* Take one bit of t's header lock word (test-and-set, as the walker
 * does), interrupts off; the other bit's holder is not disturbed. */
static unsigned long header_bit_lock(struct poe_table *t, u32 bit)
{
	unsigned long flags;

	local_irq_save(flags);
	while (__atomic_fetch_or(&t->hdr.lock, bit, __ATOMIC_ACQUIRE) & bit)
		cpu_relax();
	return flags;
}

static void header_bit_unlock(struct poe_table *t, u32 bit, unsigned long flags)
{
	__atomic_and_fetch(&t->hdr.lock, ~bit, __ATOMIC_RELEASE);
	local_irq_restore(flags);
}

unsigned long poe_table_lock(struct poe_table *t)
{
	return header_bit_lock(t, POE_TABLE_LOCK);
}

void poe_table_unlock(struct poe_table *t, unsigned long flags)
{
	header_bit_unlock(t, POE_TABLE_LOCK, flags);
}

unsigned long poe_fill_lock(struct poe_table *t)
{
	return header_bit_lock(t, POE_TABLE_FILL_LOCK);
}

void poe_fill_unlock(struct poe_table *t, unsigned long flags)
{
	header_bit_unlock(t, POE_TABLE_FILL_LOCK, flags);
}

/* Set the lock bit of the mark at *entry (a PTE or a pmd), spinning
 * while it is set; false once is_mark() no longer holds for the entry. */
static bool mark_lock(u64 *entry, bool (*is_mark)(u64))
{
	for (;;) {
		u64 old = READ_ONCE(*entry);

		if (!is_mark(old))
			return false;
		if (!(old & _PAGE_POE_LOCK) &&
		    __atomic_compare_exchange_n(entry, &old,
						old | _PAGE_POE_LOCK, false,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
		cpu_relax();
	}
}

bool poe_pte_lock(pte_t *ptep)
{
	return mark_lock(ptep, pte_poeable);
}

bool poe_pmd_lock(pmd_t *pmd)
{
	return mark_lock(pmd, pmd_poeable);
}

struct poe_table *poe_this_table(void)
{
	return poe_tables[this_cpu()->cpu];
}

/* schedule_on_each_cpu() callbacks: write this CPU's POE register. */
static void program_register(struct work_struct *w)
{
	struct percpu *cpu = this_cpu();
	struct poe_table *t = poe_tables[cpu->cpu];

	(void)w;
	cpu->poe_reg.table_pfn = PFN_DOWN(__pa(t));
	cpu->poe_reg.nr_entries = t->hdr.nr_entries;
	cpu->poe_reg.low = (u16)MIN(low_watermark(), 0xffffu);
	poe_huge_program_register(cpu);
	WRITE_ONCE(cpu->poe_reg.enable, 1);
}

static void clear_register(struct work_struct *w)
{
	(void)w;
	WRITE_ONCE(this_cpu()->poe_reg.enable, 0);
	WRITE_ONCE(this_cpu()->poe_huge_reg.enable, 0);
}

/* Build and install the tables; poe_mutex held. */
unsigned int poe_entries_limit(unsigned long managed_pages,
			       unsigned int nr_cpus)
{
	unsigned long n = managed_pages / POE_TABLES_MAX_DIV / MAX(nr_cpus, 1u);

	return (unsigned int)MIN(MAX(n, 1ul), (unsigned long)POE_MAX_ENTRIES);
}

static int tables_create(void)
{
	/* ent[] follows the header and is indexed 1..N: ent[0], the 16
	 * bytes after the header, is never used, so N entries take N + 2
	 * slots. (Counting N + 1 put ent[N] past the end of the block
	 * whenever 16 * (N + 1) was exactly a power-of-two number of pages,
	 * N = 255 for one page.) */
	size_t bytes = sizeof(struct poe_table) +
		       ((size_t)poe_nr_entries + 1) * sizeof(struct poe_entry);
	unsigned long flags;
	unsigned int limit =
		poe_entries_limit(nr_managed_pages(), num_possible_cpus());
	int cpu;

	/* Every entry holds a zeroed page: a table as large as asked could
	 * take all of memory. */
	if (poe_nr_entries > limit) {
		pr_warn("poe: poe.entries=%u capped to %u: the tables' pages may "
			"hold at most 1/%u of memory (%lu pages) over %u CPUs\n",
			poe_nr_entries, limit, POE_TABLES_MAX_DIV,
			nr_managed_pages(), num_possible_cpus());
		poe_nr_entries = limit;
		bytes = sizeof(struct poe_table) +
			((size_t)poe_nr_entries + 1) * sizeof(struct poe_entry);
	}
	table_order = 0;
	while ((PAGE_SIZE << table_order) < bytes)
		table_order++;
	for_each_possible_cpu(cpu)
	{
		struct page *p = alloc_pages(table_order);
		struct poe_table *t;

		if (!p) {
			for_each_possible_cpu(cpu)
			{
				if (!poe_tables[cpu])
					continue;
				__free_pages(virt_to_page(poe_tables[cpu]),
					     table_order);
				poe_tables[cpu] = NULL;
			}
			return -ENOMEM;
		}
		t = page_address(p);
		memset(t, 0, PAGE_SIZE << table_order);
		t->hdr.head = t->hdr.tail = 1;
		t->hdr.nr_entries = poe_nr_entries;
		spin_lock_irqsave(&poe_tables_lock, flags);
		poe_tables[cpu] = t;
		spin_unlock_irqrestore(&poe_tables_lock, flags);
	}
	if (poe_huge_tables_create()) /* no memory: 4 KiB POE only */
		pr_warn("poe: no memory for the huge tables: 2 MiB ranges "
			"take the THP fault\n");
	schedule_on_each_cpu(program_register);
	poe_background_start(); /* the first fill too, in the background */
	pr_debug("poe: on: %u entries per CPU, post-fault every %u ms, low watermark %u\n",
		 poe_nr_entries, poe_period_ms, low_watermark());
	return 0;
}

/* Stop everything, account what is left, free the tables; poe_mutex held. */
static void tables_destroy(void)
{
	struct poe_table *old[NR_CPUS];
	unsigned long flags;
	int cpu;

	poe_background_stop();
	schedule_on_each_cpu(clear_register); /* the walker keeps out now */
	for_each_possible_cpu(cpu)
	{
		poe_drain_table(poe_tables[cpu], 0);
		if (poe_huge_tables[cpu])
			poe_drain_table(poe_huge_tables[cpu], HPAGE_PMD_ORDER);
	}
	poe_huge_tables_free();
	spin_lock_irqsave(&poe_tables_lock, flags);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		old[cpu] = poe_tables[cpu];
		poe_tables[cpu] = NULL;
	}
	spin_unlock_irqrestore(&poe_tables_lock, flags);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (old[cpu])
			__free_pages(virt_to_page(old[cpu]), table_order);
	pr_debug("poe: off\n");
}

/* Put mm on the registry under tgid; -EBUSY if another mm has it. */
static int registry_add(struct mm_struct *mm, int tgid)
{
	struct mm_struct *other;
	int err = 0;

	mutex_lock(&poe_registry_mutex);
	list_for_each_entry(other, &poe_mm_list, poe.node)
		if (other->poe.tgid == tgid)
			err = -EBUSY;
	if (!err) {
		mm->poe.tgid = tgid;
		mm->poe.registered = true;
		list_add_tail(&mm->poe.node, &poe_mm_list);
	}
	mutex_unlock(&poe_registry_mutex);
	return err;
}

int poe_enable(struct mm_struct *mm, int tgid)
{
	int err = 0;

	if (!mm)
		return -EINVAL;
	mutex_lock(&poe_mutex);
	if (mm->poe.enabled)
		goto out;
	if (!mm->poe.registered && (err = registry_add(mm, tgid)))
		goto out;
	if (nr_enabled == 0 && (err = tables_create()))
		goto out;
	nr_enabled++;
	mm->poe.enabled = true;
out:
	mutex_unlock(&poe_mutex);
	return err;
}

int poe_disable(struct mm_struct *mm)
{
	if (!mm)
		return -EINVAL;
	mutex_lock(&poe_mutex);
	if (mm->poe.enabled) {
		mm->poe.enabled = false;
		if (--nr_enabled == 0)
			tables_destroy();
	}
	mutex_unlock(&poe_mutex);
	return 0;
}

void poe_mm_exit(struct mm_struct *mm)
{
	if (!mm->poe.registered)
		return;
	poe_disable(mm);
	mutex_lock(&poe_registry_mutex);
	/* The last user is gone: no fault or mmap call of mm can run, and
	 * poe_error_handling() takes page_table_lock itself. */
	poe_error_handling(mm);
	list_del_init(&mm->poe.node);
	mm->poe.registered = false;
	mutex_unlock(&poe_registry_mutex);
}

void *poe_fault_zeroed_page(void)
{
	struct page *page;

	if (!alloc_prezeroed_pages(&page, 1))
		return NULL;
	stat_add(&poe_counters.fault_prezeroed_pages, 1);
	return page_address(page);
}

void poe_count_fallback(struct vm_area_struct *vma, pte_t pte)
{
	if (!this_cpu()->poe_reg.enable) {
		if (pte_poeable(pte))
			stat_add(&poe_counters.fb_disabled, 1);
		return; /* no fast path to fall back from */
	}
	if (pte_poeable(pte))
		return; /* the walker counted its reason */
	if (vma->vm_flags & VM_POE)
		stat_add(&poe_counters.fb_not_marked, 1);
	else
		stat_add(&poe_counters.fb_not_poeable, 1);
}

/*
 * sys_poe_enable - POE on for the calling process (private call 1000):
 * its anonymous private mmaps from now on are VM_POE regions. flags:
 * POE_ENABLE_DEFER_POSTFAULT (include/uapi/poe.h) also leaves this
 * address space's used entries to error handling. Returns 0, -EINVAL
 * (an unknown flag), -ENOMEM (no memory for the tables), -EBUSY (a
 * process sharing this address space registered it under another TGID).
 * Ours: the patent's claims name no such call; see poe_enable().
 */
long sys_poe_enable(unsigned long flags)
{
	int err;

	if (flags & ~POE_ENABLE_FLAGS)
		return -EINVAL;
	err = poe_enable(current->mm, current->tgid);
	if (!err && (flags & POE_ENABLE_DEFER_POSTFAULT))
		WRITE_ONCE(current->mm->poe.defer_postfault, true);
	return err;
}

/*
 * sys_poe_disable - POE off for the calling process (private call 1001).
 * Returns 0, also when it was off. Existing POE regions keep their marks
 * and use the fast path while any process keeps POE on.
 */
long sys_poe_disable(void)
{
	return poe_disable(current->mm);
}

/* Add the valid and used entries of the per-CPU tables tables[], and the
 * used ones carrying tgid, to *valid, *used, *mine. */
static void tables_census(struct poe_table *const *tables, int tgid,
			  unsigned long *valid, unsigned long *used,
			  unsigned long *mine)
{
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct poe_table *t = tables[cpu];
		struct poe_entry *e;

		if (!t)
			continue;
		poe_for_each_entry(e, t) {
			u64 va = READ_ONCE(e->va);

			*valid += !!(va & POE_ENTRY_VALID);
			if (va & POE_ENTRY_USED) {
				(*used)++;
				*mine += e->tgid == (u32)tgid;
			}
		}
	}
}

/* Valid and used entries of all tables (the huge ones' valid apart), and
 * used ones carrying tgid. */
static void table_census(int tgid, unsigned long *valid, unsigned long *used,
			 unsigned long *mine, unsigned long *huge_valid)
{
	unsigned long flags;

	*valid = *used = *mine = *huge_valid = 0;
	spin_lock_irqsave(&poe_tables_lock, flags);
	tables_census(poe_tables, tgid, valid, used, mine);
	/* Used huge entries are pending work as the 4 KiB ones are. */
	tables_census(poe_huge_tables, tgid, huge_valid, used, mine);
	spin_unlock_irqrestore(&poe_tables_lock, flags);
}

/* User space has compiled these offsets in: fields are only appended. */
_Static_assert(offsetof(struct poe_stats, hits) == 6 * sizeof(unsigned long) &&
		       offsetof(struct poe_stats, prealloc_pages) ==
			       13 * sizeof(unsigned long) &&
		       offsetof(struct poe_stats, table_valid) ==
			       22 * sizeof(unsigned long) &&
		       offsetof(struct poe_stats, proc_pending) ==
			       29 * sizeof(unsigned long) &&
		       offsetof(struct poe_stats, refill_policy) ==
			       30 * sizeof(unsigned long) &&
		       offsetof(struct poe_stats, refill_batch) ==
			       34 * sizeof(unsigned long),
	       "struct poe_stats: a field moved; append new fields instead");

/*
 * sys_poe_stats - copy struct poe_stats (include/uapi/poe.h) to buf,
 * at most size bytes (private call 1002). Returns the number of bytes
 * copied, or -EFAULT. Ours, like the fault_stats call; the counters
 * show the cost the background work moved off the fault path.
 */
long sys_poe_stats(void __user *buf, size_t size)
{
	struct mm_struct *mm = current->mm;
	struct poe_stats st;
	unsigned long mine;

	memset(&st, 0, sizeof(st));
	st.enabled = nr_enabled > 0;
	st.nr_entries = poe_nr_entries;
	st.huge_nr_entries = poe_huge_nr_entries;
	st.period_ms = poe_period_ms;
	st.low_watermark = low_watermark();
	st.nr_cpus = num_possible_cpus();
	st.tsc_khz = tsc_khz;
	st.refill_policy = poe_refill_policy;
	st.refill_batch = poe_refill_batch;
	st.mark_sync = poe_mark_sync;
	st.mark_window = poe_mark_window;
	st.mark_fault = poe_mark_fault;
	st.prezero_target = poe_prezero_target();
	st.prezeroed = nr_zeroed_pages();
	/* The counters, by the list that defines them: WALKER fields summed
	 * over the CPUs, GLOBAL ones copied. */
#define SUM_WALKER(name, what)	st.name += READ_ONCE(w->name);
#define COPY_GLOBAL(name, what) st.name = READ_ONCE(poe_counters.name);
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct poe_walker_stats *w =
			&per_cpu_area(cpu)->poe_walker_stats;

		POE_STATS_FIELDS(POE_STATS_SKIP, SUM_WALKER, POE_STATS_SKIP,
				 POE_STATS_SKIP, POE_STATS_SKIP)
	}
	POE_STATS_FIELDS(POE_STATS_SKIP, POE_STATS_SKIP, COPY_GLOBAL,
			 POE_STATS_SKIP, POE_STATS_SKIP)
#undef SUM_WALKER
#undef COPY_GLOBAL
	st.lru_active = nr_lru_pages();
	table_census(mm && mm->poe.registered ? mm->poe.tgid : -1,
		     &st.table_valid, &st.table_used, &mine,
		     &st.huge_table_valid);
	if (mm) {
		st.proc_enabled = mm->poe.enabled;
		st.proc_rss = mm->rss;
		st.proc_nr_pgtables = mm->nr_pgtables;
		st.proc_pending = mine;
	}
	size = MIN(size, sizeof(st));
	if (copy_to_user(buf, &st, size))
		return -EFAULT;
	return (long)size;
}
