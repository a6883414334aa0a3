/*
 * poe.h - the page-fault handling offload engine (POE) of US patent
 * 11,474,952, DESIGN.md §4: its data formats and the calls between its
 * parts.
 *
 *   mm/poe.c            poe_enable/poe_disable, the per-CPU pre-allocation
 *                       tables and "POE registers", the statistics call
 *   mm/poe_prefault.c   pre-page-fault: a kernel thread per new POE region
 *                       marks its not-present PTEs POEable
 *   arch/x86_64/poe_walk.c  the emulated hardware page walker, run by the
 *                       #PF entry stub before anything else
 *   mm/poe_postfault.c  post-page-fault: delayed work that accounts the
 *                       pages the walker mapped (rss, rmap, LRU) and
 *                       refills the tables; error handling on exit/munmap
 *
 * Pre-allocation table, one per CPU, an array of 16-byte entries:
 *
 *   entry 0 (header)  | head u32 | tail u32 | nr_entries u32 | lock u32 |
 *   entry 1..N        | va u64 (bit 0 valid, bit 1 used) | pfn u32 | tgid u32 |
 *
 * The kernel (producer) fills entry[head] with a zeroed page and sets
 * valid; the walker (consumer) takes entry[tail] when valid, writes the
 * fault VA and TGID, sets used and clears valid in one store. head and
 * tail run 1..N and wrap from N back to 1. An entry is *free* (refillable)
 * when neither valid nor used. The lock word's bit 0 is the table lock of
 * the patent's error handling: kernel code holds it while it changes
 * entries, and the walker falls back to the full handler while it is set.
 */
#ifndef MM_POE_H
#define MM_POE_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <mm/pgtable.h>

struct mm_struct;
struct vm_area_struct;
struct poe_stats;

#define POE_ENTRY_VALID	(1UL << 0)	/* holds a zeroed page for the walker */
#define POE_ENTRY_USED	(1UL << 1)	/* the walker mapped it; not yet
					 * post-processed */
#define POE_TABLE_LOCK	(1U << 0)	/* header lock word, bit 0 */

#define POE_DEFAULT_ENTRIES	64
#define POE_MAX_ENTRIES		65535	/* 1 MiB of table per CPU */

struct poe_table_header {
	u32 head;		/* next entry the producer fills, 1..N */
	u32 tail;		/* next entry the walker takes, 1..N */
	u32 nr_entries;		/* N */
	u32 lock;		/* bit 0: the table lock */
};

struct poe_entry {
	u64 va;			/* fault VA (page aligned) | USED | VALID */
	u32 pfn;		/* the pre-allocated page (up to 16 TiB of RAM) */
	u32 tgid;		/* the faulting process, from the POEable PTE */
};

struct poe_table {
	struct poe_table_header hdr;	/* entry 0 */
	struct poe_entry ent[];		/* ent[1..N]; ent[0] is the header */
};

_Static_assert(sizeof(struct poe_table_header) == 16, "16-byte header entry");
_Static_assert(sizeof(struct poe_entry) == 16, "16-byte table entries");

/* The per-CPU POE register and walker counters: include/kernel/percpu.h. */

static inline u32 poe_next(u32 i, u32 n)
{
	return i == n ? 1 : i + 1;
}

/* pte_poeable - a not-present PTE marked by the pre-fault thread. */
static inline bool pte_poeable(pte_t pte)
{
	return (pte & (_PAGE_PRESENT | _PAGE_POEABLE)) == _PAGE_POEABLE;
}

/* The POEable PTE for a VMA's rights (vm_page_prot() bits) and tgid. */
static inline pte_t poe_mk_pte(int tgid, u64 prot)
{
	return _PAGE_POEABLE | (prot & _PAGE_POE_RIGHTS) |
	       ((u64)tgid << POE_PTE_TGID_SHIFT);
}

/*
 * poe_pte_lock - take the lock bit of the POEable PTE at ptep (patent
 * step 3; the walker's side is in poe_walk.c), spinning while the other
 * path holds it. Returns true with the lock held, or false when the PTE
 * is no longer POEable (the walker mapped it meanwhile).
 */
bool poe_pte_lock(pte_t *ptep);

/* poe_pte_unlock - drop the lock of a POEable PTE still not present. */
static inline void poe_pte_unlock(pte_t *ptep)
{
	__atomic_and_fetch(ptep, ~_PAGE_POE_LOCK, __ATOMIC_RELEASE);
}

/* ---- mm/poe.c ---- */

/* Per-mm state (in struct mm_struct). */
struct mm_poe {
	bool enabled;		/* poe_enable() called, not yet disabled */
	bool registered;	/* on the registry: may own POEable PTEs */
	int tgid;		/* the TGID its POEable PTEs carry */
	struct list_head node;	/* on poe_mm_list */
};

extern unsigned int poe_nr_entries, poe_period_ms, poe_low_watermark;
extern bool poe_always;		/* poe.always=1: exec enables POE */

/*
 * poe_enable - turn POE on for mm (owned by process tgid): new anonymous
 * private mappings become VM_POE. The first enabler builds the tables,
 * programs every CPU's POE register and starts their background fill.
 * Returns 0 (also when already on), -ENOMEM, or -EBUSY (another live mm
 * registered the same TGID: a CLONE_VM child). Sleeps.
 */
int poe_enable(struct mm_struct *mm, int tgid);

/*
 * poe_disable - turn POE off for mm. The last disabler stops the
 * background work, clears every CPU's enable bit, post-processes what is
 * left and frees the tables and their pages. Returns 0; a second call
 * returns at once. Regions already VM_POE keep their marks. Sleeps.
 */
int poe_disable(struct mm_struct *mm);

/*
 * poe_mm_exit - mm is being torn down (mmput): disable POE for it, run
 * error handling for its TGID and take it off the registry, before any
 * of its pages is freed. Sleeps.
 */
void poe_mm_exit(struct mm_struct *mm);

/* poe_this_table - this CPU's table while POE is on, else NULL. */
struct poe_table *poe_this_table(void);

/* poe_table_lock/unlock - the header's table lock, interrupts off. */
unsigned long poe_table_lock(struct poe_table *t);
void poe_table_unlock(struct poe_table *t, unsigned long irqflags);

/* ---- mm/poe_prefault.c ---- */

/*
 * poe_prefault_start - pre-page-fault for [start, end) of mm: start a
 * kernel thread that builds the page tables and marks every empty PTE of
 * the VM_POE VMAs there POEable. Called without mm->lock, before mmap
 * returns. Returns 0, or -ENOMEM (no thread: the range just takes the
 * full handler, which is always correct).
 */
int poe_prefault_start(struct mm_struct *mm, unsigned long start,
		       unsigned long end);

/*
 * poe_mark_range - mark every empty PTE of the VM_POE VMAs in [start,
 * end) POEable now, building page tables. mm->lock held. Returns the
 * number of PTEs marked, or -ENOMEM.
 */
long poe_mark_range(struct mm_struct *mm, unsigned long start, unsigned long end);

/* ---- mm/poe_postfault.c ---- */

/*
 * poe_error_handling - patent's error handling: under mm->lock and each
 * table's lock, post-process every used entry that carries mm's TGID, so
 * that its page is accounted before exit, munmap, madvise or fork frees
 * or copies pages. Returns the number of entries processed.
 */
unsigned long poe_error_handling(struct mm_struct *mm);

/* poe_init - boot-time set-up of the background worker (kmain). */
void poe_init(void);

/* poe_background_start/stop - the periodic post-fault + refill work. */
void poe_background_start(void);
void poe_background_stop(void);

/* poe_kick - queue the refill now (the walker asked, or found none). */
void poe_kick(void);

/* poe_refill_table - fill t's free entries with zeroed pages; returns how
 * many were added. Sleeps (allocation), takes the table lock per entry. */
unsigned long poe_refill_table(struct poe_table *t);

/* poe_drain_table - post-process all used entries and free the pages of
 * valid ones: the table is about to be freed. */
void poe_drain_table(struct poe_table *t);

/*
 * page_remove_rmap - mm stops mapping page (zap): forget the reverse
 * mapping if it names mm. lru_del_page - take page off the active LRU
 * list (put_page, before the last reference goes).
 */
void page_remove_rmap(struct page *page, struct mm_struct *mm);
void lru_del_page(struct page *page);

/* Machine-wide counters (mm/poe.c) and the stats call. */
struct poe_counters {
	unsigned long fb_not_poeable, fb_not_marked, fb_disabled;
	unsigned long prealloc_pages, postfault_entries, error_recoveries;
	unsigned long prefault_threads, prefault_pages, prefault_ticks;
	unsigned long postfault_ticks, refill_ticks, postfault_runs;
	unsigned long prefault_active, lru_active;
};
extern struct poe_counters poe_counters;

/* poe_count_fallback - the full handler classifies a not-present user
 * fault the walker did not take (mm/fault.c). */
void poe_count_fallback(struct vm_area_struct *vma, pte_t pte);

/* poe_walk - the emulated walker (arch/x86_64/poe_walk.c), called by the
 * #PF stub: true when it mapped a pre-allocated page for CR2. */
bool poe_walk(unsigned long ec);

#endif
