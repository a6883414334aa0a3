/*
 * poe.h (libc/include/poe.h) - what programs include as <poe.h>: wrappers
 * for the POE calls and helpers to read their statistics. It wraps the
 * kernel's include/uapi/poe.h (the ABI: numbers, struct poe_stats, found
 * after this directory on the include path); include/mm/poe.h, the third
 * poe.h, is the kernel's inside of the pipeline and not for programs. The
 * other private calls (meminfo, mm_dump, ...) are in <private.h>. On Linux
 * the calls fail with ENOSYS, which is how a program can tell where it
 * runs. Header-only, so it also works with glibc. See docs/poe.md.
 */
#ifndef _LIBC_POE_H
#define _LIBC_POE_H

#include_next <poe.h>
#include <stddef.h>
#include <unistd.h>

/*
 * poe_enable - turn the POE pipeline on for this process: anonymous
 * private mmaps made from now on are POE regions, pre-faulted by a kernel
 * thread and served by the #PF stub's emulated walker. Returns 0, or -1
 * with errno (ENOMEM; EBUSY; ENOSYS on Linux).
 */
static inline int poe_enable(void)
{
	return (int)syscall(__NR_poe_enable, 0UL);
}

/*
 * poe_enable_flags - poe_enable() with flags (POE_ENABLE_* in the ABI
 * header): POE_ENABLE_DEFER_POSTFAULT leaves this process's used table
 * entries to the error handling at exit, munmap or fork, for tests that
 * must reach it. Returns 0, or -1 with errno (EINVAL for an unknown
 * flag; as poe_enable()).
 */
static inline int poe_enable_flags(unsigned long flags)
{
	return (int)syscall(__NR_poe_enable, flags);
}

/*
 * poe_disable - this process's new mappings are ordinary again; existing
 * POE regions keep their marks. Returns 0, or -1 with errno (ENOSYS on
 * Linux).
 */
static inline int poe_disable(void)
{
	return (int)syscall(__NR_poe_disable);
}

/*
 * poe_fallbacks - every fall-back from the fast path in *st, all reasons
 * summed: with st->hits, every not-present user fault POE saw.
 */
static inline unsigned long poe_fallbacks(const struct poe_stats *st)
{
	return st->fb_not_poeable + st->fb_not_marked + st->fb_table_empty +
	       st->fb_pte_locked + st->fb_table_locked + st->fb_disabled;
}

/*
 * poe_settled - the "warm" state: no pre-fault thread is running and every
 * CPU's pre-allocation table is full, the huge ones (2 MiB pages) too.
 */
static inline int poe_settled(const struct poe_stats *st)
{
	return st->prefault_active == 0 &&
	       st->table_valid == st->nr_entries * st->nr_cpus &&
	       st->huge_table_valid == st->huge_nr_entries * st->nr_cpus;
}

/*
 * poe_prezeroed - poe_settled(), and the free pages zeroed ahead in idle
 * time have reached their target (poe.prezero=): what the benchmark's
 * "warm" waits for. Needs idle time: a CPU kept busy (a task spinning)
 * zeroes nothing ahead, so tests wait for poe_settled() only.
 */
static inline int poe_prezeroed(const struct poe_stats *st)
{
	return poe_settled(st) && st->prezeroed >= st->prezero_target;
}

/*
 * poe_get_stats - fill *st with the POE counters (struct poe_stats).
 * Returns the number of bytes filled, or -1 with errno (ENOSYS on Linux).
 */
static inline long poe_get_stats(struct poe_stats *st)
{
	return syscall(__NR_poe_stats, st, sizeof(*st));
}

#endif
