/*
 * host_shim.h - what the host unit tests add around the kernel sources:
 * a UART that captures what kernel/printk.c prints (host_shim.c) and a
 * page-aligned arena standing in for physical memory (host_mem.c).
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

#define HOST_ARENA_PAGES 8192 /* 32 MiB, for host_arena_setup() */

/*
 * host_arena_setup - a cmocka fixture: host_mem_init(HOST_ARENA_PAGES)
 * and every page but pfn 0 handed to the buddy allocator, as memblock
 * does at boot. Returns 0.
 */
int host_arena_setup(void **state);

/* host_arena_teardown - the matching fixture: host_mem_exit(). Returns 0. */
int host_arena_teardown(void **state);

#endif
