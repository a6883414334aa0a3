/*
 * memlayout.h (host) - replaces arch/x86_64/include/asm/memlayout.h in the
 * host unit tests (tests/host/Makefile puts tests/host/include first). The
 * "direct map" is an ordinary page-aligned heap arena that host_mem.c
 * allocates: physical address pa lives at host_arena + pa. Integer
 * arithmetic, so that __pa() of a pointer outside the arena gives a huge
 * value (which max_pfn checks reject) rather than undefined behaviour.
 */
#ifndef ASM_MEMLAYOUT_H
#define ASM_MEMLAYOUT_H

#define KERNEL_PHYS   0x100000UL
#define USER_TOP      0x0000800000000000UL
/* As the kernel's: user space ends a page below USER_TOP. */
#define TASK_SIZE_MAX (USER_TOP - 0x1000UL)

#ifndef __ASSEMBLER__
extern char *host_arena; /* page aligned; physical address 0 */

#define __va(pa) ((void *)((unsigned long)host_arena + (unsigned long)(pa)))
#define __pa(va) ((unsigned long)(va) - (unsigned long)host_arena)
#endif

#endif
