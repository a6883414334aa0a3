/*
 * poe.h - the kernel's private system calls, shared by the kernel and
 * libc (user space includes it as <poe.h>). Linux's own calls keep Linux's
 * numbers (DESIGN.md §5); ours sit far above Linux's range, so on Linux
 * they return -ENOSYS and a program can tell which kernel it runs on.
 *
 *   number  name              arguments -> result
 *   1000    poe_enable        () -> 0: this process's new anonymous
 *                             private mappings become POE regions
 *                             (VM_POE); -ENOMEM, -EBUSY (see mm/poe.c)
 *   1001    poe_disable       () -> 0: new mappings are ordinary again;
 *                             existing POE regions keep their marks
 *   1002    poe_stats         (struct poe_stats *, size) -> bytes copied
 *   1010    mm_dump           (start, end) -> 0: prints the caller's VMAs
 *                             (start-end perms flags rss) on the console;
 *                             with start < end also the page-table walk
 *                             of every page in [start, end)
 *   1011    fault_stats       (struct poe_fault_stats *, size) -> bytes
 *                             copied (size may be smaller: no cut is
 *                             silent, the return says how much)
 *   1020    meminfo           (struct poe_meminfo *) -> 0
 *   1021    initrd_list       (char *buf, size) -> bytes: NUL-separated
 *                             names of the programs in the initrd, or
 *                             -ERANGE when buf is too small
 */
#ifndef UAPI_POE_H
#define UAPI_POE_H

#define __NR_poe_enable		1000
#define __NR_poe_disable	1001
#define __NR_poe_stats		1002
#define __NR_mm_dump		1010
#define __NR_fault_stats	1011
#define __NR_meminfo		1020
#define __NR_initrd_list	1021

#define POE_NR_PRIVATE_FIRST	1000
#define POE_NR_PRIVATE_LAST	1099

/* meminfo: counts in pages of 4096 bytes. */
struct poe_meminfo {
	unsigned long free_pages;	/* on the buddy free lists now */
	unsigned long managed_pages;	/* ever given to the buddy allocator */
	unsigned long nr_tasks;		/* tasks alive, zombies included */
};

/*
 * fault_stats: page-fault counters by type, for the calling process
 * (proc_*) and for the whole system since boot (global_*). One fault may
 * count under more than one type (a write to the zero page: write and
 * cow); *_total counts each fault once. The call fills at most size bytes
 * (older or newer callers may pass a shorter or longer struct) and returns
 * the number filled.
 */
struct poe_fault_stats {
	unsigned long proc_read;		/* not-present, read access */
	unsigned long proc_write;		/* not-present, write access */
	unsigned long proc_cow;			/* write to a present read-only
						   page: copied or reused */
	unsigned long proc_zero_page;		/* mapped the shared zero page */
	unsigned long proc_stack_growth;	/* grew the stack VMA */
	unsigned long proc_segfault;		/* no VMA permits it: SIGSEGV */
	unsigned long proc_total;
	unsigned long global_read;
	unsigned long global_write;
	unsigned long global_cow;
	unsigned long global_zero_page;
	unsigned long global_stack_growth;
	unsigned long global_segfault;
	unsigned long global_total;
	/* appended by the POE issue (older callers pass a shorter size) */
	unsigned long proc_poe;			/* mapped by the POE fast path
						   (counted by post-fault work) */
	unsigned long global_poe;
};

/*
 * The null trap: `int $0x81` from user mode enters a gate whose handler is
 * a bare iretq. faultbench times it as the floor under every fault: the
 * CPU's own trap entry and return, with no kernel work at all. Linux has
 * no such gate (the instruction gets SIGSEGV there).
 */
#define POE_NULL_TRAP_VECTOR	0x81

/*
 * poe_stats: the POE pipeline's counters (mm/poe*.c, docs/poe.md), for
 * the whole machine since boot unless marked "now" or "proc_". Ticks are
 * TSC ticks (guest instructions under QEMU -icount shift=0). Like
 * fault_stats, the call fills at most size bytes and returns the number
 * filled.
 *
 * Every field is an unsigned long, listed once, here, in ABI order (new
 * fields are only ever appended), as KEEPER(name, "what it is"). KEEPER
 * says which part of the kernel keeps the number:
 *   CONF    the configuration (kernel command line), read by the call
 *   WALKER  the emulated walker: one counter per CPU, summed by the call
 *   GLOBAL  the rest of the POE code: one machine-wide counter
 *   CENSUS  the tables and the LRU list as they are now, counted by the call
 *   PROC    the calling process, read by the call
 * Expand the list with one macro M(name, what) per keeper, or with
 * POE_STATS_SKIP for the keepers you do not want: struct poe_stats below
 * takes every field; the kernel's counter structs (include/mm/poe.h),
 * the call (mm/poe.c) and poestat's rows come from the same list.
 */
#define POE_STATS_FIELDS(CONF, WALKER, GLOBAL, CENSUS, PROC)			\
	/* configuration */							\
	CONF(enabled, "now: 1 while the tables exist (some mm has POE on)")	\
	CONF(nr_entries, "table entries per CPU (poe.entries=)")		\
	CONF(period_ms, "post-fault work period, ms (poe.period_ms=)")	\
	CONF(low_watermark, "refill kick below this many valid entries (poe.low=)") \
	CONF(nr_cpus, "CPUs, one table each")					\
	CONF(tsc_khz, "ticks per ms, to turn ticks into time")			\
	/* the fast path: the emulated walker in the #PF stub */		\
	WALKER(hits, "faults it resolved")					\
	GLOBAL(fb_not_poeable, "fall-back: not-present user fault outside any VM_POE region") \
	GLOBAL(fb_not_marked, "fall-back: VM_POE region, PTE not yet marked POEable") \
	WALKER(fb_table_empty, "fall-back: the tail entry held no page")	\
	WALKER(fb_pte_locked, "fall-back: the PTE lock bit (bit 5) was held") \
	WALKER(fb_table_locked, "fall-back: the table lock was held (error handling)") \
	GLOBAL(fb_disabled, "fall-back: POEable PTE, this CPU's POE register off") \
	/* the background work */						\
	GLOBAL(prealloc_pages, "zeroed pages put into tables")			\
	GLOBAL(postfault_entries, "used entries processed by the post-fault work") \
	GLOBAL(error_recoveries, "used entries processed by error handling (exit, munmap, madvise, fork)") \
	GLOBAL(prefault_threads, "pre-fault threads started")			\
	GLOBAL(prefault_pages, "PTEs marked POEable")				\
	GLOBAL(prefault_ticks, "ticks spent marking")				\
	GLOBAL(postfault_ticks, "ticks spent post-processing")			\
	GLOBAL(refill_ticks, "ticks spent refilling (zeroing included)")	\
	GLOBAL(postfault_runs, "runs of the post-fault delayed work")		\
	/* the tables and the background work now */				\
	CENSUS(table_valid, "now: valid entries, all CPUs")			\
	CENSUS(table_used, "now: used entries awaiting post-fault")		\
	GLOBAL(prefault_active, "now: pre-fault threads not done")		\
	CENSUS(lru_active, "now: pages on the active LRU list")		\
	/* the calling process */						\
	PROC(proc_enabled, "POE on for this process's mm")			\
	PROC(proc_rss, "mapped user pages (post-processed)")			\
	PROC(proc_nr_ptes, "page-table pages")					\
	PROC(proc_pending, "used entries of this TGID not yet post-processed")

#define POE_STATS_MEMBER(name, what)	unsigned long name;
#define POE_STATS_SKIP(name, what)

struct poe_stats {
	POE_STATS_FIELDS(POE_STATS_MEMBER, POE_STATS_MEMBER, POE_STATS_MEMBER,
			 POE_STATS_MEMBER, POE_STATS_MEMBER)
};

#endif
