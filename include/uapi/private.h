/*
 * private.h - the user ABI of this kernel's private system calls other
 * than POE's: calls that let a program look inside the kernel (memory
 * counters, its own memory map, fault counters, the initrd). Shared by the
 * kernel and libc; user space includes it as <private.h> and gets the
 * wrappers from libc/include/private.h. The POE calls share the private
 * number range and live in include/uapi/poe.h. See docs/syscalls.md.
 *
 * Linux's own calls keep Linux's numbers (include/uapi/asm/unistd.h);
 * ours sit far above Linux's range, so on Linux they return -ENOSYS and a
 * program can tell which kernel it runs on.
 *
 *   number  name              arguments -> result
 *   1010    mm_dump           (start, end) -> 0: prints the caller's VMAs
 *                             (start-end perms flags rss) on the console;
 *                             with start < end also the page-table walk
 *                             of every page in [start, end) (at most 4096
 *                             pages, -EINVAL beyond)
 *   1011    fault_stats       (struct fault_stats *, size) -> bytes
 *                             copied (size may be smaller: no cut is
 *                             silent, the return says how much); -EFAULT
 *   1020    meminfo           (struct meminfo *) -> 0; -EFAULT
 *   1021    initrd_list       (char *buf, size) -> bytes: NUL-separated
 *                             names of the programs in the initrd, 0
 *                             without one; -ERANGE when buf is too
 *                             small, -EFAULT, -ENOMEM
 *   1030    irqsoff_stats     (struct irqsoff_stats *, size) -> bytes
 *                             copied (at most size); -EFAULT. The
 *                             longest interrupts-off section of each
 *                             CPU (kernel/irqsoff.c)
 */
#ifndef UAPI_PRIVATE_H
#define UAPI_PRIVATE_H

/* Every private call, POE's included, takes a number in this range. */
#define NR_PRIVATE_FIRST 1000
#define NR_PRIVATE_LAST	 1099

#define __NR_mm_dump	   1010
#define __NR_fault_stats   1011
#define __NR_meminfo	   1020
#define __NR_initrd_list   1021
#define __NR_irqsoff_stats 1030

/* meminfo: counts in pages of 4096 bytes. */
struct meminfo {
	unsigned long free_pages;    /* on the buddy free lists now */
	unsigned long managed_pages; /* ever given to the buddy allocator */
	unsigned long nr_tasks;	     /* tasks alive, zombies included */
};

/*
 * fault_stats: page-fault counters by type, for the calling process
 * (proc_*) and for the whole system since boot (global_*). One fault may
 * count under more than one type (a write to the zero page: write and
 * cow); *_total counts each fault once. The call fills at most size bytes
 * (older or newer callers may pass a shorter or longer struct) and returns
 * the number filled.
 */
struct fault_stats {
	unsigned long proc_read;	 /* not-present, read access */
	unsigned long proc_write;	 /* not-present, write access */
	unsigned long proc_cow;		 /* write to a present read-only
						   page: copied or reused */
	unsigned long proc_zero_page;	 /* mapped the shared zero page */
	unsigned long proc_stack_growth; /* grew the stack VMA */
	unsigned long proc_segfault;	 /* no VMA permits it: SIGSEGV */
	unsigned long proc_total;
	unsigned long global_read;
	unsigned long global_write;
	unsigned long global_cow;
	unsigned long global_zero_page;
	unsigned long global_stack_growth;
	unsigned long global_segfault;
	unsigned long global_total;
	/* appended with POE (older callers pass a shorter size) */
	unsigned long proc_poe; /* mapped by the POE fast path
						   (counted by post-fault work) */
	unsigned long global_poe;
	/* appended with mlock(2): pages of the caller's VM_LOCKED
	 * mappings, what Linux shows as VmLck in /proc/PID/status */
	unsigned long proc_locked_vm;
};

/*
 * irqsoff_stats: the interrupts-off latency tracer's record
 * (kernel/irqsoff.c, docs/concurrency.md), after Linux's irqsoff tracer
 * and its tracing_max_latency: for each CPU, the longest stretch the
 * kernel ran with RFLAGS.IF clear since boot, in TSC ticks (guest
 * instructions under QEMU -icount shift=0, where they are also ns of
 * virtual time), where it began and where it ended. Filled only while
 * the tracer runs (boot with irqsoff.trace=1); otherwise tracing is 0
 * and the rest is what a ktest left, usually zeros. Like fault_stats,
 * the call fills at most size bytes and returns the number filled.
 */
#define IRQSOFF_MAX_CPUS 16 /* NR_CPUS */
#define IRQSOFF_SYM_LEN	 48 /* bytes of a symbolized address, NUL included */

struct irqsoff_cpu_stats {
	unsigned long max_ticks; /* the longest section, TSC ticks */
	unsigned long max_ns;	 /* the same in ns, by the TSC calibration */
	unsigned long start_ip;	 /* kernel address where IF went to 0 */
	unsigned long end_ip;	 /* ... and where it went back to 1 */
	unsigned long pid;	 /* the task running at its end (0: idle) */
	unsigned long sections;	 /* sections measured on this CPU */
	char start_sym[IRQSOFF_SYM_LEN]; /* start_ip as "function+0xoff" */
	char end_sym[IRQSOFF_SYM_LEN];	 /* end_ip the same way */
};

struct irqsoff_stats {
	unsigned long tracing; /* 1 while the tracer runs */
	unsigned long tsc_khz; /* TSC ticks per ms, the calibration */
	unsigned long nr_cpus; /* entries of cpu[] filled: CPUs online */
	unsigned long max_cpu; /* the CPU whose section is the longest */
	struct irqsoff_cpu_stats cpu[IRQSOFF_MAX_CPUS];
};

#endif
