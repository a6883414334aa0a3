/*
 * poe.h (include/uapi/poe.h) - the user ABI of the POE calls: their
 * numbers, struct poe_stats and the null-trap vector, shared by the kernel
 * and libc. Two other files share the name: libc/include/poe.h wraps this
 * one for programs (which include it as <poe.h>), and include/mm/poe.h is
 * the kernel's inside of the pipeline (data formats, calls between its
 * parts). The other private calls are in include/uapi/private.h; the
 * design is in docs/poe.md and docs/syscalls.md.
 *
 * The calls sit in our private range (include/uapi/private.h), far above
 * Linux's numbers, so on Linux they return -ENOSYS.
 *
 *   number  name              arguments -> result
 *   1000    poe_enable        () -> 0: this process's new anonymous
 *                             private mappings become POE regions
 *                             (VM_POE); -ENOMEM, -EBUSY (see mm/poe.c)
 *   1001    poe_disable       () -> 0: new mappings are ordinary again;
 *                             existing POE regions keep their marks
 *   1002    poe_stats         (struct poe_stats *, size) -> bytes copied
 *                             (at most size); -EFAULT
 */
#ifndef UAPI_POE_H
#define UAPI_POE_H

#define __NR_poe_enable		1000
#define __NR_poe_disable	1001
#define __NR_poe_stats		1002

/*
 * The null trap: `int $0x81` from user mode enters a gate whose handler is
 * a bare iretq. faultbench times it as the floor under every fault: the
 * CPU's own trap entry and return, with no kernel work at all. Linux has
 * no such gate (the instruction gets SIGSEGV there).
 */
#define POE_NULL_TRAP_VECTOR	0x81

/*
 * poe_stats: the POE pipeline's counters (mm/poe*.c, DESIGN.md §4), for
 * the whole machine since boot unless marked "now" or "proc_". Ticks are
 * TSC ticks (guest instructions under QEMU -icount shift=0). Like
 * fault_stats, the call fills at most size bytes and returns the number
 * filled.
 */
struct poe_stats {
	/* configuration (kernel command line) */
	unsigned long enabled;		/* now: 1 while the tables exist (some
					   mm has POE on) */
	unsigned long nr_entries;	/* table entries per CPU (poe.entries=) */
	unsigned long period_ms;	/* post-fault work period (poe.period_ms=) */
	unsigned long low_watermark;	/* kick refill below this many valid
					   entries (poe.low=) */
	unsigned long nr_cpus;
	unsigned long tsc_khz;		/* ticks per ms, to turn ticks into time */
	/* the fast path: the emulated walker in the #PF stub */
	unsigned long hits;		/* faults it resolved */
	unsigned long fb_not_poeable;	/* fall-backs: not-present user fault
					   outside any VM_POE region */
	unsigned long fb_not_marked;	/* ... in a VM_POE region, PTE not yet
					   marked by the pre-fault thread */
	unsigned long fb_table_empty;	/* ... tail entry not valid */
	unsigned long fb_pte_locked;	/* ... PTE lock bit (bit 5) held */
	unsigned long fb_table_locked;	/* ... table lock held (error handling) */
	unsigned long fb_disabled;	/* ... POEable PTE, but this CPU's POE
					   register is off */
	/* the background work */
	unsigned long prealloc_pages;	/* zeroed pages put into tables */
	unsigned long postfault_entries; /* used entries processed by the
					    post-fault work */
	unsigned long error_recoveries;	/* used entries processed by error
					   handling (exit, munmap, madvise,
					   fork) before pages were freed */
	unsigned long prefault_threads;	/* pre-fault threads started */
	unsigned long prefault_pages;	/* PTEs marked POEable */
	unsigned long prefault_ticks;	/* ticks spent marking */
	unsigned long postfault_ticks;	/* ticks spent post-processing */
	unsigned long refill_ticks;	/* ticks spent refilling (zeroing
					   included) */
	unsigned long postfault_runs;	/* runs of the delayed work */
	unsigned long table_valid;	/* now: valid entries, all CPUs */
	unsigned long table_used;	/* now: used entries awaiting post-fault */
	unsigned long prefault_active;	/* now: pre-fault threads not done */
	unsigned long lru_active;	/* now: pages on the active LRU list */
	/* the calling process */
	unsigned long proc_enabled;	/* POE on for this process's mm */
	unsigned long proc_rss;		/* mapped user pages (post-processed) */
	unsigned long proc_nr_ptes;	/* page-table pages */
	unsigned long proc_pending;	/* used entries of this TGID not yet
					   post-processed */
};

#endif
