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
 *   1010    mm_dump           (start, end) -> 0           (mm issue)
 *   1011    fault_stats       (struct *, size) -> bytes   (mm issue)
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

#endif
