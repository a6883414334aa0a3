/*
 * memblock.h - boot-time physical memory (mm/memblock.c), as Linux's
 * memblock: the RAM ranges from the boot memory map, the ranges reserved
 * in them (kernel image, modules, early allocations), a simple allocator
 * for page tables and mem_map before the buddy allocator exists, and the
 * hand-over of everything left to the buddy allocator.
 */
#ifndef MM_MEMBLOCK_H
#define MM_MEMBLOCK_H

#include <kernel/types.h>

#define MEMBLOCK_MAX_REGIONS 128

struct memblock_region {
	phys_addr_t base, size; /* bytes */
};

struct memblock_type {
	unsigned cnt;
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
};

struct memblock {
	struct memblock_type memory;   /* usable RAM, sorted, page-aligned */
	struct memblock_type reserved; /* sorted, may overlap each other */
	phys_addr_t installed;	       /* bytes of RAM the machine has */
};

extern struct memblock memblock;

/*
 * memblock_init - build memblock.memory from boot_params' E820 map, reserve
 * the kernel image, the modules and the first MiB (BIOS data, loader
 * structures), print the map and the "Memory:" summary line.
 */
void memblock_init(void);

/* memblock_reserve - keep [base, base+size) (bytes) from every allocator. */
void memblock_reserve(phys_addr_t base, phys_addr_t size);

/*
 * memblock_alloc - size bytes (rounded up to pages), aligned to align
 * (a power of two >= 4096), below limit, zeroed through the direct map.
 * Returns the physical address. Panics when nothing fits: at boot there
 * is no caller that could do anything else.
 */
phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align,
			   phys_addr_t limit);

/* memblock_end_of_ram - one past the last byte of usable RAM. */
phys_addr_t memblock_end_of_ram(void);

/*
 * memblock_free_all - give every usable, unreserved page to the buddy
 * allocator (free_pages_range). Returns the number of pages given.
 */
unsigned long memblock_free_all(void);

#endif
