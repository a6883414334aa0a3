/*
 * host_mem.c - "physical memory" for the host unit tests: a page-aligned
 * arena from aligned_alloc() whose first byte is physical address 0 (see
 * include/asm/memlayout.h), and a calloc()ed mem_map handed to the real
 * mm/page_alloc.c through mem_map_init().
 */
#include <mm/page_alloc.h>
#include <stdlib.h>
#include <stdio.h>
#include "host_shim.h"

char *host_arena;
static struct page *host_map;

void host_mem_exit(void)
{
	free(host_arena);
	free(host_map);
	host_arena = NULL;
	host_map = NULL;
}

void host_mem_init(unsigned long nr_pages)
{
	host_mem_exit();
	host_arena = aligned_alloc(PAGE_SIZE, nr_pages * PAGE_SIZE);
	host_map = calloc(nr_pages, sizeof(struct page));
	if (!host_arena || !host_map) {
		fprintf(stderr, "host_mem_init: out of host memory\n");
		abort();
	}
	mem_map_init(host_map, nr_pages);
}

int host_arena_setup(void **state)
{
	(void)state;
	host_mem_init(HOST_ARENA_PAGES);
	free_pages_range(1, HOST_ARENA_PAGES); /* pfn 0 stays reserved */
	return 0;
}

int host_arena_teardown(void **state)
{
	(void)state;
	host_mem_exit();
	return 0;
}
