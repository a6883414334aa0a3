/*
 * fault_stats.h - page-fault counters by kind (mm/fault.c), per process
 * (in its mm) and for the whole machine, read by the fault_stats private
 * syscall (user/faultstat) and by tests.
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

extern struct fault_counters global_faults;

#endif
