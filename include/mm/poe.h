/*
 * poe.h (include/mm/poe.h, kernel only) - the page-fault handling offload
 * engine (POE) of US patent 11,474,952, docs/poe.md: its data formats and
 * the calls between its parts. Not to be confused with the user ABI in
 * include/uapi/poe.h (call numbers, struct poe_stats) and libc's wrappers
 * in libc/include/poe.h. The claims cited in the POE files are the
 * patent's granted claims; claim 1 is the fast path itself (find the PTE
 * after a TLB miss, test its two indicators, take a PFN from a
 * pre-allocation table, update the PTE).
 *
 *   mm/poe.c            poe_enable/poe_disable, the per-CPU pre-allocation
 *                       tables and POE registers, the statistics call
 *   mm/poe_prefault.c   pre-page-fault: a kernel thread per new POE region
 *                       marks its not-present PTEs POEable (claim 2)
 *   arch/x86_64/poe_walk.c  the emulated hardware page walker, run by the
 *                       #PF entry stub before anything else: steps 1-7
 *                       of the fast path, listed there (claim 1)
 *   mm/poe_postfault.c  post-page-fault: delayed work that accounts the
 *                       pages the walker mapped (rss, rmap, LRU) and
 *                       refills the tables (claims 7, 8, 10); error
 *                       handling before exit, munmap, madvise and fork
 *                       (claim 11)
 *   mm/poe_internal.h   what only these files share
 *
 * Pre-allocation table, one per CPU, an array of 16-byte entries:
 *
 *   header            | head u32 | tail u32 | nr_entries u32 | lock u32 |
 *   ent[0]            unused (16 bytes), so that entries count from 1
 *   ent[1..N]         | va u64 (bit 0 valid, bit 1 used, bit 2 reserved)
 *                     | pfn u32 | tgid u32 |
 *
 * A producer (the refill, on any CPU) claims entry[head] (reserved) and
 * advances head, zeroes a page for it, then sets valid; the walker
 * (consumer) takes entry[tail] when valid, writes the fault VA and TGID,
 * sets used and clears valid in one store. head and tail run 1..N and
 * wrap from N back to 1. An entry is *free* (refillable) when its va is
 * 0. The lock word's bit 0 is the table lock: error handling holds it
 * while it changes entries the walker could take (claim 11), and the
 * walker falls back to the full handler while it is set. Bit 1 is ours,
 * the fill lock: every kernel writer of the table (the refill, the
 * post-fault work, error handling) holds it, so they never race with
 * each other; the walker never looks at it, so a refill never makes a
 * fault fall back. Neither needs the other's lock to be safe with the
 * walker: a producer only writes free entries (va 0), which the walker
 * never takes, and publishes each by writing va after its pfn.
 */
#ifndef MM_POE_H
#define MM_POE_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <mm/pgtable.h>
#include <uapi/poe.h> /* POE_STATS_FIELDS: the counters' one list */

struct mm_struct;
struct vm_area_struct;
struct page;

#define POE_ENTRY_VALID (1UL << 0) /* holds a zeroed page for the walker */
#define POE_ENTRY_USED \
	(1UL << 1)		      /* the walker mapped it; not yet
				  * post-processed */
#define POE_TABLE_LOCK	    (1U << 0) /* header lock word, bit 0 */
#define POE_TABLE_FILL_LOCK (1U << 1) /* ours: the producers' lock, bit 1 */

/* Ours, not the patent's: a producer claimed the entry and is zeroing a
 * page for it; to the walker it holds no page yet. */
#define POE_ENTRY_RESERVED (1UL << 2)

/*
 * poe.entries= default: the most entries a one-page table holds (16 *
 * (254 + 2) = 4096 bytes), so 1016 KiB of zeroed pages per CPU. Chosen by
 * measurement (docs/poe.md, "Choosing the table size"): on one CPU a burst
 * of faults is all hits up to the table's size, and a table small enough
 * for a default cannot hold faultbench's 4096-page sweep.
 */
#define POE_DEFAULT_ENTRIES	 254
/* poe.refill_batch= default: pages a faulting task may wait to see zeroed */
#define POE_DEFAULT_REFILL_BATCH 8
#define POE_DEFAULT_MARK_SYNC	 512   /* pages: one page table, 2 MiB */
#define POE_DEFAULT_MARK_WINDOW	 8192  /* pages: 32 MiB, 16 page tables */
#define POE_MAX_MARK_SYNC	 32768 /* pages: 128 MiB, 64 page tables */
#define POE_MAX_ENTRIES		 65534 /* 16 * (N + 2) bytes: 1 MiB of table */
/* poe.huge_entries= default and limit: 2 MiB pages per CPU in the huge
 * table (mm/poe_huge.c). 2 (4 MiB a CPU, 16 MiB at 4 CPUs of the tests'
 * 256 MiB) is a small default: every POE user pays for it, huge pages or
 * not; a benchmark asks for more. The most a one-page table holds: 254. */
#define POE_DEFAULT_HUGE_ENTRIES 2
#define POE_MAX_HUGE_ENTRIES	 254

struct poe_table_header {
	u32 head;	/* next entry a producer claims, 1..N */
	u32 tail;	/* next entry the walker takes, 1..N */
	u32 nr_entries; /* N */
	u32 lock;	/* bit 0: the table lock; bit 1: the fill lock */
};

struct poe_entry {
	u64 va;	  /* fault VA (page aligned) | USED | VALID, or RESERVED */
	u32 pfn;  /* the pre-allocated page (up to 16 TiB of RAM) */
	u32 tgid; /* the faulting process, from the POEable PTE */
};

/* In memory: the header (16 bytes), then ent[0..N]. ent[0] is never
 * used, so that entries are numbered 1..N as the patent numbers them
 * after its header entry; a table of N entries takes 16 * (N + 2) bytes
 * (tables_create(), mm/poe.c). */
struct poe_table {
	struct poe_table_header hdr; /* the header entry */
	struct poe_entry ent[];	     /* ent[1..N]; ent[0] unused */
};

_Static_assert(sizeof(struct poe_table_header) == 16, "16-byte header entry");
_Static_assert(sizeof(struct poe_entry) == 16, "16-byte table entries");

/*
 * The per-CPU "POE register": where the walker finds this CPU's
 * pre-allocation table (its PFN and number of entries, claim 1's
 * "pre-allocation table"), and the enable bit. A hardware walker would
 * read a CPU register; ours is a field of struct percpu
 * (include/kernel/percpu.h), written only through schedule_on_each_cpu()
 * (mm/poe.c) and read by the walker and the #PF stub
 * (arch/x86_64/trap_entry.asm reads `enable` at PERCPU_POE_ENABLE).
 */
struct poe_register {
	u64 table_pfn;
	u32 nr_entries;
	u16 enable;
	u16 low; /* not in the patent: the low watermark (poe.low=) */
};

/*
 * The counters the walker keeps for its CPU (struct percpu's
 * poe_walker_stats): the WALKER fields of struct poe_stats
 * (include/uapi/poe.h), summed over CPUs by the poe_stats call. Per CPU
 * because the walker runs with interrupts off and takes no lock.
 */
struct poe_walker_stats {
	POE_STATS_FIELDS(POE_STATS_SKIP, POE_STATS_MEMBER, POE_STATS_SKIP,
			 POE_STATS_SKIP, POE_STATS_SKIP)
};

/* poe_next - the index after i in a ring of n entries: 1..n, n wraps to 1. */
static inline u32 poe_next(u32 i, u32 n)
{
	return i == n ? 1 : i + 1;
}

/*
 * poe_for_each_entry - run e (a struct poe_entry *) over the entries of
 * table t (not NULL) in index order, 1..N, never over the header at
 * index 0. e's index is e - t->ent. Takes no lock: the caller holds the
 * fill lock, or reads each entry once with READ_ONCE().
 */
#define poe_for_each_entry(e, t) \
	for ((e) = &(t)->ent[1]; (e) <= &(t)->ent[(t)->hdr.nr_entries]; (e)++)

/* pte_poeable() - a POEable PTE: include/mm/pgtable.h. */

/*
 * poe_mk_pte - the POEable PTE for a VMA's rights (vm_get_page_prot()
 * bits; only RW and NX are kept) and the owner's tgid; layout in
 * asm/pgtable_bits.h.
 */
static inline pte_t poe_mk_pte(int tgid, u64 prot)
{
	return _PAGE_POEABLE | (prot & _PAGE_POE_RIGHTS) |
	       ((u64)tgid << POE_PTE_TGID_SHIFT);
}

/*
 * poe_pte_lock - the full handler's side of the PTE lock (bit 5) of the
 * POEable PTE at ptep; the walker's side is step 3 in poe_walk.c. Spins
 * while the walker holds it. Returns true with the lock held, or false
 * when the PTE is no longer POEable (the walker mapped it meanwhile).
 * Called with the lock of ptep's PTE table held (so interrupts are off):
 * the bit is never held by a task that can be preempted, and on one CPU
 * the walker never meets it held.
 */
bool poe_pte_lock(pte_t *ptep);

/*
 * poe_pmd_lock - the kernel's side of a POEable pmd's lock bit (bit 5,
 * as poe_pte_lock() for a PTE; the walker's side is in poe_walk.c).
 * Spins while the walker holds it. Returns true with the bit held, or
 * false when the pmd is no longer POEable (the walker mapped 2 MiB
 * there meanwhile, or someone cleared it). Caller holds
 * mm->page_table_lock. Ours: the patent's PTE lock, one level up.
 */
bool poe_pmd_lock(pmd_t *pmd);

/* ---- arch/x86_64/poe_walk.c ---- */

/*
 * poe_walk - the POE fast path for a user fault at the address in CR2,
 * with ec the CPU's #PF error code (X86_PF_*). Called by the #PF stub
 * (arch/x86_64/trap_entry.asm) with interrupts off, on the kernel stack,
 * with the kernel's GS, only for faults from user mode, and by the poe
 * ktests the same way. Returns true when it mapped a pre-allocated page
 * (the faulting instruction is retried), false to fall back to the full
 * handler (mm/fault.c) with the page tables and the table unchanged.
 * Never sleeps, never takes a lock but the PTE's and the table's bits.
 * Source: US 11,474,952 claim 1 and claim 9 (no context switch); steps
 * 1-7 are listed in arch/x86_64/poe_walk.c.
 */
bool poe_walk(unsigned long ec);

/*
 * poe_walk_huge - the walker's 2 MiB path (docs/poe.md, "Huge pages"):
 * the pmd at pmd, for the user address va, is POEable (pmd_poeable()),
 * so map a 2 MiB page from this CPU's huge table there, with steps 2-7
 * as for a PTE: the rights the mark carries, its lock bit, the huge
 * table's lock and tail entry, a huge pmd built from the entry's block
 * (PS set), the entry recorded (VA aligned to 2 MiB), the pmd stored.
 * ec: the #PF error code. Returns true when it mapped, false to fall
 * back with nothing changed: a read (fb_huge_read: the huge zero page is
 * the full handler's, as on Linux), an empty huge table
 * (fb_huge_table_empty); the full handler then clears the mark and
 * runs the huge fault (mm/fault.c). Called by poe_walk() (so the assembly walker
 * hands these faults to the C one), interrupts off, never sleeps.
 * Source: US 11,474,952's walker mapping a huge page from the huge
 * pre-allocation table when the PMD's POEable bit is set.
 */
bool poe_walk_huge(pmd_t *pmd, unsigned long va, unsigned long ec);

/* ---- arch/x86_64/poe_walk.asm ---- */

/*
 * poe_walk_asm - the same walker in assembly, with poe_walk()'s contract
 * and semantics (steps 1-7, fall-backs, counters, locks, refill request):
 * the body the #PF stub runs by default (poe.walker=asm), called from C.
 * For the poe ktests, which run every walker test on both. Source: as
 * poe_walk().
 */
bool poe_walk_asm(unsigned long ec);

/* ---- mm/poe.c ---- */

/* Per-mm state (in struct mm_struct). */
struct mm_poe {
	bool enabled;	       /* poe_enable() called, not yet disabled */
	bool registered;       /* on the registry: may own POEable PTEs */
	int tgid;	       /* the TGID its POEable PTEs carry */
	struct list_head node; /* on poe_mm_list */
	bool defer_postfault;  /* POE_ENABLE_DEFER_POSTFAULT: only error
				* handling takes its used entries */
};

extern unsigned int poe_nr_entries; /* table entries per CPU (poe.entries=) */
extern bool poe_always;		    /* poe.always=1: exec enables POE */

/*
 * poe_enable - turn POE on for mm (owned by process tgid): new anonymous
 * private mappings become VM_POE. The first enabler builds the tables,
 * programs every CPU's POE register and starts their background fill.
 * Returns 0 (also when already on), -EINVAL (mm is NULL), -ENOMEM, or
 * -EBUSY (another live mm registered the same TGID: a CLONE_VM child).
 * Sleeps. Ours: the claims name no call that turns POE on.
 */
int poe_enable(struct mm_struct *mm, int tgid);

/*
 * poe_disable - turn POE off for mm. The last disabler stops the
 * background work, clears every CPU's enable bit, post-processes what is
 * left and frees the tables and their pages. Returns 0, also when POE
 * was off, or -EINVAL (mm is NULL). Regions already VM_POE keep their
 * marks. Sleeps. Ours, like poe_enable().
 */
int poe_disable(struct mm_struct *mm);

/*
 * poe_mm_exit - mm is being torn down (mmput): disable POE for it, run
 * error handling for its TGID (claim 11) and take it off the registry,
 * before any of its pages is freed. Does nothing for an mm that never
 * enabled POE. Sleeps; cannot fail.
 */
void poe_mm_exit(struct mm_struct *mm);

/*
 * poe_this_table - this CPU's pre-allocation table while POE is on, else
 * NULL. The pointer stays valid until the last poe_disable().
 */
struct poe_table *poe_this_table(void);

/* ---- mm/poe_prefault.c ---- */

/*
 * poe_prefault_start - pre-page-fault for [start, end) of mm (page-aligned
 * user addresses), marking the empty PTEs of its VM_POE VMAs POEable
 * ahead of use: the first poe.mark_sync pages now, in the caller (ours,
 * so that a touch right after mmap hits), then a kernel thread (claim 2:
 * pre-page-fault work done asynchronously by a kernel background
 * process) for the rest of the first poe.mark_window pages, building page
 * tables while free memory allows, and for the tables that already exist
 * past them. Tables built later by faults are marked by poe_mark_table().
 * Called without mmap_lock, before mmap returns; the thread may still run
 * after. Sleeps. Returns 0, or -ENOMEM (no thread: the rest of the range
 * takes the full handler, which is always correct).
 */
int poe_prefault_start(struct mm_struct *mm, unsigned long start,
		       unsigned long end);

/*
 * poe_mark_table - the full handler met an empty PTE (not a mark) at
 * address in vma, in the page table under pmd, which it may just have
 * built: mark every empty PTE of that table that lies in vma POEable, if
 * vma is a VM_POE region other than PROT_NONE (else do nothing). The
 * table exists from now on anyway, so these marks cost no memory: past
 * the pre-fault window this is how a region gets its marks, one 2 MiB
 * table at a time, where it is used; and a fault that outran the
 * pre-fault thread in its window spares the thread the table.
 * Caller holds mmap_lock and the table's PTE lock. Returns the PTEs
 * marked (0 also with poe.mark_fault=0). Ours ("mark at page-table allocation"); the patent marks in the
 * background only.
 */
long poe_mark_table(struct vm_area_struct *vma, pmd_t *pmd,
		    unsigned long address);

/*
 * poe_mark_range - mark every empty PTE of the VM_POE VMAs in [start,
 * end) (page-aligned user addresses) POEable now, building page tables;
 * never a present PTE, a mark already there, or a PROT_NONE VMA.
 * mmap_lock (for reading) held, and no page-table lock: each PTE table's
 * lock is taken here (pte_offset_map_lock()). Returns the number of PTEs
 * marked, or -ENOMEM (a page table could not be allocated; the marks
 * made so far stay).
 */
long poe_mark_range(struct mm_struct *mm, unsigned long start,
		    unsigned long end);

/*
 * poe_unmark_range - clear every POE mark in [start, end) (page-aligned
 * user addresses) of mm, each under its PTE lock bit, so that from now on
 * no walker, on any CPU, can map a page there; a walker already mapping
 * one finishes first, and its page is left mapped (and its used entry
 * pending). munmap and madvise(MADV_DONTNEED) call it before
 * poe_error_handling(), so that error handling sees every page a walker
 * will ever map in the range. Caller holds mmap_lock for writing and no
 * page-table lock (each PTE table's lock is taken here). Returns the number of marks cleared; 0
 * for an mm that never enabled POE. Ours: the patent's claim 11 runs
 * error handling "before" the change, which on several CPUs needs the
 * range closed first.
 */
long poe_unmark_range(struct mm_struct *mm, unsigned long start,
		      unsigned long end);

/* ---- mm/poe_huge.c ---- */

extern unsigned int poe_huge_nr_entries; /* poe.huge_entries= */

/*
 * poe_pmd_unmark - clear the POEable pmd *pmd of mm, freeing the page
 * table deposited for it, so that no walker can map 2 MiB there from now
 * on; a walker already mapping one finishes first, and its huge page is
 * left mapped (its used entry pending, as for poe_unmark_range()). Takes
 * page_table_lock; caller holds mmap_lock. Returns true when it cleared
 * a mark. Ours.
 */
bool poe_pmd_unmark(struct mm_struct *mm, pmd_t *pmd);

/* What the full handler makes of a 2 MiB mark the walker declined
 * (poe.huge_fallback=, docs/poe.md "Huge pages"). */
enum poe_huge_fallback {
	POE_HUGE_FALLBACK_THP, /* the huge fault: a huge page all the same */
	POE_HUGE_FALLBACK_4K,  /* 512 4 KiB marks: the patent's order */
};
extern enum poe_huge_fallback poe_huge_fallback;

/*
 * poe_pmd_to_ptes - replace the POEable pmd *pmd of mm by a PTE table
 * of 512 4 KiB marks with the same TGID and rights: the table deposited
 * for the mark, so no memory is needed.
 * Takes page_table_lock; caller holds mmap_lock. Returns true when it
 * did, false when the pmd was no longer a mark (the walker mapped 2 MiB
 * there first). The patent's fall-back from the huge table to the 4 KiB
 * one (poe.huge_fallback=4k).
 */
bool poe_pmd_to_ptes(struct mm_struct *mm, pmd_t *pmd);

/*
 * poe_pmd_clear_locked - poe_pmd_unmark() with mm->page_table_lock held
 * by the caller (the huge fault replacing a mark, an unmarking walk),
 * who frees the deposited table it returns after dropping the lock, or
 * reuses it; NULL: no mark was cleared. Ours.
 */
struct page *poe_pmd_clear_locked(struct mm_struct *mm, pmd_t *pmd);

/* ---- mm/poe_postfault.c ---- */

/*
 * poe_error_handling - the error handling of claim 11: scan every table
 * for the used entries that carry mm's TGID and post-process each (as the
 * post-fault work would), under each table's lock, so that its page is
 * accounted before exit, munmap, madvise or fork frees or copies pages.
 * Caller holds mmap_lock for writing (munmap, madvise, fork), or the
 * mm's last user is gone (exit: poe_mm_exit()), so no fault of the mm
 * runs meanwhile; takes page_table_lock itself (the reverse mappings it
 * sets are under it; rss is atomic). May not be called under a page-table
 * lock. Returns the number of entries processed; 0 for an mm that never
 * enabled POE.
 */
unsigned long poe_error_handling(struct mm_struct *mm);

/*
 * poe_init - boot-time set-up (kmain, after the workqueues): create the
 * POE workqueue, register the tick hook that queues a refill the
 * walker asked for, and the OOM notifier that gives the tables' pages
 * zeroed ahead back before the OOM killer kills (include/mm/oom.h).
 * Panics when the workqueue cannot be created.
 */
void poe_init(void);

/*
 * poe_kick - this CPU's walker ran low (claim 8: refill on a threshold
 * of available pages): clear this CPU's poe_need_refill and hand out the
 * refill of this CPU's table as poe.refill= says (docs/poe.md): when
 * another CPU is idle (its run queue empty), that CPU's POE worker
 * refills this table in batches while it stays idle (help and async, the
 * default being help); unless that is under way with async, the current
 * user task puts one batch, at most poe.refill_batch pages, into the
 * table itself on its way back to user mode (a task work,
 * include/kernel/task_work.h; as Linux's direct reclaim). The rest of the
 * refill is left to the background: no task waits for more than a batch
 * of zeroing. With poe.refill_batch=0, or when no
 * user task runs (a tick in a kernel thread), only the background refill
 * is queued. Does nothing while the background work is stopped.
 * Interrupt context or not, interrupts off; never sleeps.
 */
void poe_kick(void);

/*
 * poe_refill_table - fill t's free entries, from head on, with freshly
 * zeroed pages (claim 7: replace the used pre-allocated pages); stops at
 * the first entry that is not free (valid, used, or reserved by another
 * producer), or when no page is left. Returns the number of pages added.
 * Sleeps (zeroing with interrupts on); takes the fill lock twice per
 * page: to claim the entry at head (reserved) before the page is zeroed,
 * and to make it valid after. Any number of producers may fill one table
 * at once, from any CPU: each page goes to the entry its producer
 * claimed, and none is zeroed for a full table.
 */
unsigned long poe_refill_table(struct poe_table *t);

/*
 * The machine-wide counters of the POE code (defined in mm/poe.c): the
 * GLOBAL fields of struct poe_stats (include/uapi/poe.h), copied out by
 * the poe_stats call. Ticks are TSC ticks.
 */
struct poe_counters {
	POE_STATS_FIELDS(POE_STATS_SKIP, POE_STATS_SKIP, POE_STATS_MEMBER,
			 POE_STATS_SKIP, POE_STATS_SKIP)
};
extern struct poe_counters poe_counters;

/*
 * poe_fault_zeroed_page - a zeroed page for a fault the full handler
 * resolves in a VM_POE region (mm/fault.c: a write to a POE mark the
 * walker declined, most often because its table ran dry, or to a PTE the
 * marking had not reached): a page zeroed ahead in idle time, off the
 * zeroed list (alloc_prezeroed_pages()), as the page the walker would
 * have mapped was. Its direct-map address, or NULL when the list is
 * empty: the caller then zeroes a page itself (get_zeroed_page()).
 * Counted in fault_prezeroed_pages. Any context. Ours: the patent's
 * full handler is Linux's, which zeroes on demand.
 */
void *poe_fault_zeroed_page(void);

/*
 * poe_count_fallback - count, by reason, a not-present user fault in vma
 * that the walker did not take, pte being its PTE as the full handler
 * found it (mm/fault.c): POE off on this CPU with a POEable PTE, a VM_POE
 * region not yet marked, or no VM_POE region. Reasons the walker counted
 * itself (a POEable PTE it declined) are not counted again. Any context,
 * interrupts on or off: "POE off on this CPU" is read once from the POE
 * register of the CPU it runs on, which may no longer be the one the
 * fault was taken on; poe_enable() and poe_disable() program every CPU's
 * register alike, so that differs only while they run, when the
 * register may change between the trap and here in any case. Never
 * fails. Ours: the claims have no counters of fall-backs.
 */
void poe_count_fallback(struct vm_area_struct *vma, pte_t pte);

#endif
