/*
 * poe_internal.h - what the POE files (mm/poe.c, mm/poe_prefault.c,
 * mm/poe_postfault.c) share with each other and with nobody else, as
 * Linux's mm/internal.h. The rest of the kernel uses include/mm/poe.h.
 * Lock order: mm/poe.c's header comment.
 */
#ifndef MM_POE_INTERNAL_H
#define MM_POE_INTERNAL_H

#include <kernel/list.h>
#include <kernel/mutex.h>
#include <kernel/percpu.h> /* NR_CPUS */
#include <kernel/spinlock.h>
#include <mm/poe.h>

/* ---- mm/poe.c ---- */

/*
 * poe_entries_limit - the most entries per CPU table (poe.entries=) with
 * which the pages the full tables hold, on nr_cpus CPUs, stay within
 * 1/POE_TABLES_MAX_DIV of managed_pages; at least 1, at most
 * POE_MAX_ENTRIES. The first poe_enable() caps poe.entries= to it, with
 * a console line. Ours.
 */
#define POE_TABLES_MAX_DIV 8
unsigned int poe_entries_limit(unsigned long managed_pages,
			       unsigned int nr_cpus);

extern unsigned int poe_period_ms; /* post-fault work period, ms
				    * (poe.period_ms=) */

/* Who refills a CPU's table when its walker runs low (poe.refill=,
 * docs/poe.md): its own worker while the faulting task waits (local); an
 * idle CPU's worker as well, the task still waiting for its own (help);
 * or an idle CPU's worker alone, the task going on (async). With no idle
 * CPU, help and async do what local does. */
enum poe_refill_policy {
	POE_REFILL_LOCAL,
	POE_REFILL_HELP,
	POE_REFILL_ASYNC,
};
extern enum poe_refill_policy poe_refill_policy;

/* The most pages a faulting task waits to see zeroed when its walker ran
 * low (poe.refill_batch=, default POE_DEFAULT_REFILL_BATCH; 0: it never
 * waits). The rest of the refill runs in the background. */
extern unsigned int poe_refill_batch;

/* Marking ahead of use (mm/poe_prefault.c, docs/poe.md): the pages mmap
 * marks itself before it returns (poe.mark_sync=), and the pages from a
 * region's start that the pre-fault thread marks, building tables
 * (poe.mark_window=); past them a table is marked when a fault builds it. */
extern unsigned int poe_mark_sync;
extern unsigned int poe_mark_window;
/* poe.mark_fault=: does the full handler, on an empty PTE of a VM_POE
 * region, mark the rest of its page table (poe_mark_table())? Default
 * true. */
extern bool poe_mark_fault;

/* The pages the background keeps zeroed ahead on the zeroed list
 * (poe.prezero=, mm/poe_postfault.c's prezero_batch()): poe.prezero= if
 * given, else 1/POE_PREZERO_DIV of the managed pages, never above half
 * of them. */
unsigned long poe_prezero_target(void);
#define POE_PREZERO_DIV 8

/* Pre-fault work builds no page table while free pages are at or below
 * 1/POE_MARK_MIN_FREE_DIV of the managed pages (6.25%). */
#define POE_MARK_MIN_FREE_DIV 16

/* The registry: every mm that may own POEable PTEs, on poe_mm_list by
 * mm->poe.node, under poe_registry_mutex. */
extern struct mutex poe_registry_mutex;
extern struct list_head poe_mm_list;

/* Each CPU's pre-allocation table, NULL while POE is off. The pointers
 * change under poe_tables_lock (irqsave); the entries under each table's
 * own lock (poe_table_lock). */
extern spinlock_t poe_tables_lock;
extern struct poe_table *poe_tables[NR_CPUS];

/*
 * poe_table_lock - take t's table lock (header lock word, bit 0) with
 * interrupts off, spinning while someone else holds it. Returns the
 * interrupt flags for poe_table_unlock(). While it is held the walker
 * falls back to the full handler (step 4 in arch/x86_64/poe_walk.c), so
 * only error handling takes it (claim 11), after the fill lock.
 */
unsigned long poe_table_lock(struct poe_table *t);

/* poe_table_unlock - drop t's table lock, restore interrupts to irqflags. */
void poe_table_unlock(struct poe_table *t, unsigned long irqflags);

/*
 * poe_fill_lock - take t's fill lock (header lock word, bit 1; ours, not
 * the patent's) with interrupts off, spinning while someone else holds
 * it. Every kernel writer of t's entries and head holds it (producers,
 * post-fault work, error handling); the walker ignores it. Returns the
 * interrupt flags for poe_fill_unlock().
 */
unsigned long poe_fill_lock(struct poe_table *t);

/* poe_fill_unlock - drop t's fill lock, restore interrupts to irqflags. */
void poe_fill_unlock(struct poe_table *t, unsigned long irqflags);

/* ---- mm/poe_huge.c (docs/poe.md, "Huge pages") ---- */

/* Each CPU's huge table (2 MiB pages), NULL while POE is off or with
 * poe.huge_entries=0; under poe_tables_lock, as poe_tables[]. */
extern struct poe_table *poe_huge_tables[NR_CPUS];

/* poe_huge_on - the huge tables exist: the pre-fault work may mark pmds. */
bool poe_huge_on(void);

/*
 * poe_huge_mark - mark the empty pmd of the 2 MiB at va (aligned; the
 * caller checked that a huge page may go there: thp_vma_allowable() in
 * a VM_POE VMA) POEable, with marker (poe_mk_pte() of the VMA), and
 * deposit a page table for it. Builds the upper levels. mmap_lock held;
 * takes page_table_lock. Returns 1 (marked), 0 (no huge tables, or the
 * pmd is not empty), or -ENOMEM. The patent's pre-fault work setting the
 * POEable bit at the PMD.
 */
long poe_huge_mark(struct mm_struct *mm, unsigned long va, pte_t marker);

/*
 * poe_huge_tables_create - allocate every possible CPU's huge table (one
 * page each), poe.huge_entries= entries capped so that full tables hold
 * at most 1/POE_TABLES_MAX_DIV of memory (with a console line); none
 * with 0 entries. poe_mutex held. Returns 0 or -ENOMEM (none left).
 */
int poe_huge_tables_create(void);

/* poe_huge_program_register - write cpu's huge POE register from its
 * table (enable 0 when it has none); on that CPU (schedule_on_each_cpu()). */
void poe_huge_program_register(struct percpu *cpu);

/* poe_huge_tables_free - free the (drained) huge tables; NULL pointers. */
void poe_huge_tables_free(void);

/*
 * poe_huge_refill - fill cpu's huge table's free entries from head on
 * with zeroed 2 MiB blocks (page_init_zero(): off level with
 * page_init=offlevel), claiming each entry before the zeroing; stops at
 * an entry that is not free or when no order-9 block is left. On a POE
 * worker, background on.
 * Sleeps. Returns the blocks added (claim 7's refill, for huge pages).
 */
unsigned long poe_huge_refill(int cpu);

/*
 * poe_huge_account - post-process the used huge entries carrying mm's
 * TGID: 512 pages of rss and one FAULT_POE fault each (thp_fault_alloc
 * too), entries freed. all: error handling, which also holds each
 * table's lock (claim 11). Caller holds mm->page_table_lock and
 * poe_tables_lock (process_mm()). Returns the entries processed.
 */
unsigned long poe_huge_account(struct mm_struct *mm, bool all);

/* ---- mm/poe_postfault.c ---- */

/*
 * poe_refill_table_max - poe_refill_table() (include/mm/poe.h) that
 * zeroes at most max pages: fills t's free entries from head on, first
 * with pages zeroed ahead in idle time (alloc_prezeroed_pages(), which do
 * not count against max), then with pages it zeroes itself. Returns the
 * pages added, of both kinds (it stops early when the table is full or
 * no page is left). Sleeps. The batches of the refill policy are made of
 * it: max bounds what a waiting task sits through.
 */
unsigned long poe_refill_table_max(struct poe_table *t, unsigned long max);

/*
 * poe_background_start - start the background work: the first fill of
 * every online CPU's table, on that CPU's POE worker in its idle time,
 * and the periodic work: post-fault, then refill, every poe_period_ms ms
 * on the POE workqueue (claims 7 and 10: periodic post-page-fault work
 * on a kernel delayed work queue). Returns at once: poe_enable() does not
 * wait for the zeroing.
 */
void poe_background_start(void);

/*
 * poe_background_stop - stop it and wait until no run is left; after it
 * returns poe_kick() queues nothing. Sleeps.
 */
void poe_background_stop(void);

/*
 * poe_drain_table - the table is about to be freed: post-process every
 * used entry of every registered mm, then free the 2^order pages of each
 * valid entry (0: a 4 KiB table; HPAGE_PMD_ORDER: a huge one, whose
 * blocks were split when they went in) and empty the table. The walker
 * must be kept out already (POE registers off). Sleeps (registry mutex).
 */
void poe_drain_table(struct poe_table *t, unsigned int order);

/*
 * poe_drain_valid - free t's valid entries from tail on, 2^order pages
 * each, passing over them as if the walker had taken them, under t's
 * fill lock and table lock (the walker falls back meanwhile); stops at
 * the first entry that is not valid. The OOM notifier's work, per table
 * (poe_oom_drain()). Caller holds poe_tables_lock. Returns the pages
 * (4 KiB) freed.
 */
unsigned long poe_drain_valid(struct poe_table *t, unsigned int order);

#endif
