/*
 * fault_stats.h - page-fault counters by kind (mm/fault.c), per process
 * (in its mm) and for the whole machine (per CPU, summed when read), read
 * by the fault_stats private syscall (user/faultstat) and by tests.
 */
#ifndef MM_FAULT_STATS_H
#define MM_FAULT_STATS_H

/* The order of struct fault_stats (include/uapi/private.h). A fault may
 * count under several kinds; FAULT_TOTAL counts each fault once, fast-path
 * ones included. */
enum fault_kind {
	FAULT_READ,	    /* not present, read access */
	FAULT_WRITE,	    /* not present, write access (or a write to
			     * the zero page, which also counts as COW) */
	FAULT_COW,	    /* write to a present read-only page: copied,
			     * or reused when we were its only user */
	FAULT_ZERO_PAGE,    /* mapped the shared zero page */
	FAULT_STACK_GROWTH, /* the stack VMA grew down to the address */
	FAULT_SEGV,	    /* no VMA allows it: the process is killed */
	FAULT_TOTAL,
	FAULT_POE, /* mapped by the POE fast path (counted by
		    * post-page-fault work, mm/poe_postfault.c) */
	NR_FAULT_KINDS,
};

struct fault_counters {
	unsigned long count[NR_FAULT_KINDS];
};

/*
 * global_fault_count - faults of this kind on the whole machine since
 * boot: the sum of every CPU's count (struct percpu's fault_events), as
 * Linux's all_vm_events() sums its per-CPU vm_event_states. Each CPU
 * counts only its own, so counting never bounces a cache line between
 * CPUs; a read while others count may miss their latest faults.
 */
unsigned long global_fault_count(enum fault_kind kind);

#endif
