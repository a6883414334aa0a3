/*
 * memlayout.h - the kernel's virtual address map (docs/address-space.md):
 *
 *   0x0000000000001000 .. 0x00007fffffffffff   user (47 bits, page 0 unmapped)
 *   0xffff800000000000 .. + all RAM            direct map (PAGE_OFFSET)
 *   0xffffffff80000000 .. + 1 GiB              kernel image (KERNEL_VMA)
 *
 * The kernel image is loaded at physical KERNEL_PHYS (1 MiB) and linked at
 * KERNEL_VMA + KERNEL_PHYS. Host unit tests replace this header with
 * tests/host/include/asm/memlayout.h.
 */
#ifndef ASM_MEMLAYOUT_H
#define ASM_MEMLAYOUT_H

#define PAGE_OFFSET 0xffff800000000000UL
#define KERNEL_VMA  0xffffffff80000000UL
#define KERNEL_PHYS 0x100000UL
#define USER_TOP    0x0000800000000000UL

/*
 * TASK_SIZE_MAX - the end (bytes, exclusive) of what a user pointer may
 * address: USER_TOP less one page, Linux's TASK_SIZE_MAX. Linux keeps the
 * last page below the canonical hole out of user space, so that no code
 * runs there (a syscall at its end would return with sysret to a
 * non-canonical RIP: a #GP in ring 0 on Intel, and AMD CPUs misbehave
 * executing from the highest canonical page); access_ok(),
 * arch_prctl(ARCH_SET_FS) and clone's CLONE_SETTLS refuse its addresses
 * as Linux's do, and the mm calls map nothing there (TASK_SIZE,
 * mm/user_mm.h, is this same limit).
 */
#define TASK_SIZE_MAX (USER_TOP - 0x1000UL)

#ifndef __ASSEMBLER__
/* __va - direct-map virtual address of a physical address. */
#define __va(pa) ((void *)((unsigned long)(pa) + PAGE_OFFSET))
/* __pa - physical address of a direct-map or kernel-image address. */
#define __pa(va)                                                              \
	((unsigned long)(va) >= KERNEL_VMA ? (unsigned long)(va)-KERNEL_VMA : \
					     (unsigned long)(va)-PAGE_OFFSET)
#endif

#endif
