/*
 * mm_init.h - bringing up memory management at boot (mm/init.c).
 */
#ifndef MM_MM_INIT_H
#define MM_MM_INIT_H

#include <kernel/types.h>

/* The kernel's page table root (physical), shared by every address space. */
extern phys_addr_t init_pgd_phys;

/*
 * mm_init - after memblock_init(): build the kernel's page tables (direct
 * map of all RAM, kernel image with per-section rights, no identity map),
 * switch to them, allocate mem_map and start the buddy allocator with
 * every free page. Prints the free-memory line. Panics if memory is too
 * small to do so.
 */
void mm_init(void);

#endif
