/*
 * private.h (libc/include/private.h) - wrappers for this kernel's private
 * system calls other than POE's (those are in <poe.h>): meminfo,
 * initrd_list, mm_dump, fault_stats, irqsoff_stats. The numbers and structs come from the
 * kernel's include/uapi/private.h, found after this directory on the
 * include path. On Linux every call fails with ENOSYS, which is how a
 * program can tell where it runs. Header-only, so it also works with glibc
 * (tools/run_tests.py, step ulinux). See docs/syscalls.md.
 */
#ifndef _LIBC_PRIVATE_H
#define _LIBC_PRIVATE_H

#include_next <private.h>
#include <stddef.h>
#include <unistd.h>

/*
 * meminfo - fill *mi with the kernel's page counts (pages of 4096 bytes)
 * and number of tasks. Returns 0, or -1 with errno (EFAULT; ENOSYS on
 * Linux).
 */
static inline int meminfo(struct meminfo *mi)
{
	return (int)syscall(__NR_meminfo, mi);
}

/*
 * initrd_list - copy the NUL-separated names of the programs in the
 * initrd ("/bin/sh\0/bin/init\0...") into buf, size bytes long. Returns
 * the number of bytes used (0: no initrd), or -1 with errno (ERANGE: buf
 * too small; EFAULT; ENOMEM; ENOSYS on Linux).
 */
static inline long initrd_list(char *buf, size_t size)
{
	return syscall(__NR_initrd_list, buf, size);
}

/*
 * mm_dump - print this process's memory map on the console (from the
 * kernel): start == end == 0: the VMAs only (`start-end perms flags rss`);
 * with start < end also the page-table walk of each page in [start, end)
 * (each level's entry and flags; at most 4096 pages). Returns 0, or -1
 * with errno (EINVAL: range too long or beyond user space; ENOSYS on
 * Linux).
 */
static inline int mm_dump(unsigned long start, unsigned long end)
{
	return (int)syscall(__NR_mm_dump, start, end);
}

/*
 * fault_stats - fill *st with this process's and the global page-fault
 * counters by kind. Returns the number of bytes filled (sizeof(*st) from
 * a kernel as new as this header, fewer from an older one), or -1 with
 * errno (EFAULT; ENOSYS on Linux).
 */
static inline long fault_stats(struct fault_stats *st)
{
	return syscall(__NR_fault_stats, st, sizeof(*st));
}

/*
 * irqsoff_stats - fill *st with the longest interrupts-off section of
 * each CPU since boot (kernel/irqsoff.c; st->tracing is 0 unless the
 * kernel was booted with irqsoff.trace=1). Returns the number of bytes
 * filled, or -1 with errno (EFAULT, ENOMEM; ENOSYS on Linux).
 */
static inline long irqsoff_stats(struct irqsoff_stats *st)
{
	return syscall(__NR_irqsoff_stats, st, sizeof(*st));
}

#endif
