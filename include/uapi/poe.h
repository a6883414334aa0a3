/*
 * poe.h - the kernel's private system calls, shared by the kernel and
 * libc (user space includes it as <poe.h>). Linux's own calls keep Linux's
 * numbers (DESIGN.md §5); ours sit far above Linux's range, so on Linux
 * they return -ENOSYS and a program can tell which kernel it runs on.
 *
 *   number  name              arguments -> result
 *   1000    poe_enable        () -> 0                     (POE issue)
 *   1001    poe_disable       () -> 0                     (POE issue)
 *   1002    poe_stats         (struct *, size) -> bytes   (POE issue)
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
};

#endif
