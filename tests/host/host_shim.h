/*
 * host_shim.h - what the host unit tests add around the kernel sources:
 * a printk() that captures its output (host_shim.c) and a page-aligned
 * arena standing in for physical memory (host_mem.c).
 */
#ifndef HOST_SHIM_H
#define HOST_SHIM_H

#include <kernel/types.h>

/* Forget everything printk() captured so far. */
void host_log_clear(void);

/* Everything printk() wrote since the last host_log_clear(), NUL-ended. */
const char *host_log(void);

/* Does the captured output contain s? */
bool host_log_contains(const char *s);

/*
 * host_mem_init - allocate a fresh arena of nr_pages pages (pfn 0 is its
 * first byte), a mem_map for it, and call mem_map_init(); every page starts
 * PG_reserved. The previous arena, if any, is freed first.
 */
void host_mem_init(unsigned long nr_pages);

/* host_mem_exit - free the arena and mem_map. */
void host_mem_exit(void);

#endif
