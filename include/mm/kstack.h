/*
 * kstack.h - kernel stacks with guard pages (mm/kstack.c). Each stack is
 * KSTACK_PAGES pages mapped in the kernel's stack area with one unmapped
 * page below it, so that an overflow faults (and is reported as a double
 * fault on the known-good IST stack) instead of corrupting memory, as
 * Linux's CONFIG_VMAP_STACK does.
 */
#ifndef MM_KSTACK_H
#define MM_KSTACK_H

#include <kernel/types.h>

#define KSTACK_AREA  0xffffc90000000000UL /* Linux's vmalloc base */
#define KSTACK_SLOTS 1024		  /* stacks alive at once */

/* kstack_init - build the area's page tables (shared by every mm). */
void kstack_init(void);

/*
 * kstack_alloc - map a fresh stack of `pages` pages (1..7). Returns its
 * lowest address, or NULL when memory or slots run out.
 */
void *kstack_alloc(unsigned pages);

/* kstack_free - unmap and free a stack from kstack_alloc(). */
void kstack_free(void *stack, unsigned pages);

/* kstack_guard_hit - true when addr lies in some stack's guard page. */
bool kstack_guard_hit(unsigned long addr);

#endif
