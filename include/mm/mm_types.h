/*
 * mm_types.h - struct mm_struct, one user address space, as in Linux's
 * <linux/mm_types.h>. This first version (mm/user_mm.c) maps every user
 * page at once (exec, mmap, brk, fork copy); the mm issue adds VMAs and
 * demand paging and grows this struct.
 */
#ifndef MM_MM_TYPES_H
#define MM_MM_TYPES_H

#include <kernel/types.h>
#include <kernel/spinlock.h>

struct mm_struct {
	phys_addr_t pgd;	/* physical address of the PML4 */
	int users;		/* tasks sharing this mm (CLONE_VM) */
	spinlock_t lock;	/* page tables and the fields below */
	unsigned long start_brk, brk;	/* heap, bytes (brk(2)) */
	unsigned long mmap_base;	/* next mmap goes below this */
	unsigned long start_stack;	/* top of the initial user stack */
	unsigned long rss;		/* user pages mapped, pages */
	unsigned long nr_ptes;		/* page-table pages, pages */
};

#endif
