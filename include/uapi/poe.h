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
 *   1000    poe_enable        (flags) -> 0: this process's new anonymous
 *                             private mappings become POE regions
 *                             (VM_POE); -EINVAL (a flag other than
 *                             POE_ENABLE_*), -ENOMEM, -EBUSY (see
 *                             mm/poe.c)
 *   1001    poe_disable       () -> 0: new mappings are ordinary again;
 *                             existing POE regions keep their marks
 *   1002    poe_stats         (struct poe_stats *, size) -> bytes copied
 *                             (at most size); -EFAULT
 */
#ifndef UAPI_POE_H
#define UAPI_POE_H

#define __NR_poe_enable	 1000
#define __NR_poe_disable 1001
#define __NR_poe_stats	 1002

/*
 * poe_enable flags. POE_ENABLE_DEFER_POSTFAULT is for tests: the periodic
 * and kicked post-fault work leaves this process's used entries alone, so
 * that they are still pending when the process exits, unmaps or forks,
 * and the error handling of claim 11 takes them. Without it, whether they
 * are still pending then depends on when the workers ran. It lasts as
 * long as the address space (exec starts a new one without it).
 */
#define POE_ENABLE_DEFER_POSTFAULT 0x1UL
#define POE_ENABLE_FLAGS	   POE_ENABLE_DEFER_POSTFAULT

/*
 * The null trap: `int $0x81` from user mode enters a gate whose handler is
 * a bare iretq. faultbench times it as the floor under every fault: the
 * CPU's own trap entry and return, with no kernel work at all. Linux has
 * no such gate (the instruction gets SIGSEGV there).
 */
#define POE_NULL_TRAP_VECTOR 0x81

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
#define POE_STATS_FIELDS(CONF, WALKER, GLOBAL, CENSUS, PROC)                             \
	/* configuration */                                                              \
	CONF(enabled, "now: 1 while the tables exist (some mm has POE on)")              \
	CONF(nr_entries, "table entries per CPU (poe.entries=)")                         \
	CONF(period_ms, "post-fault work period, ms (poe.period_ms=)")                   \
	CONF(low_watermark,                                                              \
	     "refill kick below this many valid entries (poe.low=)")                     \
	CONF(nr_cpus, "CPUs, one table each")                                            \
	CONF(tsc_khz, "ticks per ms, to turn ticks into time")                           \
	/* the fast path: the emulated walker in the #PF stub */                         \
	WALKER(hits, "faults it resolved")                                               \
	GLOBAL(fb_not_poeable,                                                           \
	       "fall-back: not-present user fault outside any VM_POE region")            \
	GLOBAL(fb_not_marked,                                                            \
	       "fall-back: VM_POE region, PTE not yet marked POEable")                   \
	WALKER(fb_table_empty, "fall-back: the tail entry held no page")                 \
	WALKER(fb_pte_locked, "fall-back: the PTE lock bit (bit 5) was held")            \
	WALKER(fb_table_locked,                                                          \
	       "fall-back: the table lock was held (error handling)")                    \
	GLOBAL(fb_disabled,                                                              \
	       "fall-back: POEable PTE, this CPU's POE register off")                    \
	/* the background work */                                                        \
	GLOBAL(prealloc_pages, "zeroed pages put into tables")                           \
	GLOBAL(postfault_entries,                                                        \
	       "used entries processed by the post-fault work")                          \
	GLOBAL(error_recoveries,                                                         \
	       "used entries processed by error handling (exit, munmap, madvise, fork)") \
	GLOBAL(prefault_threads, "pre-fault threads started")                            \
	GLOBAL(prefault_pages,                                                           \
	       "PTEs marked POEable (mmap, thread, full handler)")                       \
	GLOBAL(prefault_ticks, "ticks spent marking")                                    \
	GLOBAL(postfault_ticks, "ticks spent post-processing")                           \
	GLOBAL(refill_ticks, "ticks spent refilling (zeroing included)")                 \
	GLOBAL(postfault_runs, "runs of the post-fault delayed work")                    \
	/* the tables and the background work now */                                     \
	CENSUS(table_valid, "now: valid entries, all CPUs")                              \
	CENSUS(table_used, "now: used entries awaiting post-fault")                      \
	GLOBAL(prefault_active, "now: pre-fault threads not done")                       \
	CENSUS(lru_active, "now: pages on the LRU list")                                 \
	/* the calling process */                                                        \
	PROC(proc_enabled, "POE on for this process's mm")                               \
	PROC(proc_rss, "mapped user pages (post-processed)")                             \
	PROC(proc_nr_pgtables, "page-table pages, every level")                          \
	PROC(proc_pending, "used entries of this TGID not yet post-processed")           \
	/* refills on several CPUs (appended: the offsets above are ABI) */              \
	CONF(refill_policy, "poe.refill=: 0 local, 1 help, 2 async")                     \
	GLOBAL(refill_help,                                                              \
	       "refills of a CPU's table handed to an idle CPU's worker")                \
	GLOBAL(refill_help_pages,                                                        \
	       "pages idle CPUs' workers put into other CPUs' tables")                   \
	GLOBAL(refill_waits,                                                             \
	       "kicks whose task refilled a batch itself on its way out")                \
	/* the cap on a waited-for refill (appended) */                                  \
	CONF(refill_batch,                                                               \
	     "most pages a kick makes a task wait for (poe.refill_batch=)")              \
	GLOBAL(refill_wait_pages,                                                        \
	       "pages zeroed on a CPU while a task there paid for its kick")             \
	GLOBAL(refill_wait_max_pages,                                                    \
	       "most pages zeroed on a CPU while one task there waited")                 \
	GLOBAL(refill_bg_pages,                                                          \
	       "pages a CPU's own worker added in its idle time")                        \
	/* marking ahead of use, within a budget (appended) */                           \
	CONF(mark_sync,                                                                  \
	     "pages mmap marks itself before it returns (poe.mark_sync=)")               \
	CONF(mark_window,                                                                \
	     "pages from a region's start marked ahead of use (poe.mark_window=)")       \
	CONF(mark_fault,                                                                 \
	     "1: a fault on an unmarked PTE marks its page table (poe.mark_fault=)")     \
	GLOBAL(mark_sync_pages, "PTEs marked by mmap itself")                            \
	GLOBAL(mark_fault_pages,                                                         \
	       "PTEs marked by the full handler, in the table of an unmarked PTE")       \
	GLOBAL(mark_backoffs,                                                            \
	       "pre-fault threads that stopped building tables: memory low")             \
	/* pages zeroed ahead in idle time (appended) */                                 \
	CONF(prezero_target,                                                             \
	     "free pages kept zeroed ahead in idle time (poe.prezero=)")                 \
	CENSUS(prezeroed, "now: free pages zeroed ahead (the zeroed list)")              \
	GLOBAL(prezero_pages, "pages zeroed ahead in idle time")                         \
	GLOBAL(refill_prezeroed_pages,                                                   \
	       "pages refills took zeroed ahead, with no memset")                        \
	/* the full handler in POE regions (appended) */                                 \
	GLOBAL(fault_prezeroed_pages,                                                    \
	       "pages the full handler took zeroed ahead, in POE regions")               \
	/* out of memory (appended) */                                                   \
	GLOBAL(oom_drained_pages,                                                        \
	       "table pages given back to the OOM killer before it killed")              \
	/* 2 MiB pages: the huge table (appended) */                                     \
	CONF(huge_nr_entries,                                                            \
	     "huge-table entries per CPU (poe.huge_entries=)")                           \
	WALKER(huge_hits, "2 MiB faults it resolved from the huge table")                \
	WALKER(fb_huge_table_empty,                                                      \
	       "fall-back: a POEable pmd, and no 2 MiB page at the huge tail")           \
	WALKER(fb_huge_read,                                                             \
	       "fall-back: a read of a POEable pmd (the huge zero page's)")              \
	GLOBAL(huge_marks, "pmds marked POEable")                                        \
	GLOBAL(huge_fallbacks,                                                           \
	       "faults the full handler took at a POEable pmd")                          \
	GLOBAL(huge_prealloc_pages, "zeroed 2 MiB pages put into huge tables")           \
	GLOBAL(huge_postfault_entries,                                                   \
	       "huge entries post-processed (error handling included)")                  \
	CENSUS(huge_table_valid,                                                         \
	       "now: huge entries holding a zeroed 2 MiB page")

#define POE_STATS_MEMBER(name, what) unsigned long name;
#define POE_STATS_SKIP(name, what)

struct poe_stats {
	POE_STATS_FIELDS(POE_STATS_MEMBER, POE_STATS_MEMBER, POE_STATS_MEMBER,
			 POE_STATS_MEMBER, POE_STATS_MEMBER)
};

#endif
