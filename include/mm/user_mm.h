/*
 * user_mm.h - user address spaces (mm/user_mm.c): creating, copying,
 * switching and destroying them, and mapping user pages. The kernel half
 * (PML4 entries 256..511) of every address space is shared with the
 * kernel's own page table (init_pgd_phys); the user half is private.
 */
#ifndef MM_USER_MM_H
#define MM_USER_MM_H

#include <mm/mm_types.h>

#define USER_STACK_TOP	0x00007ffffffff000UL	/* below the 47-bit limit */
#define USER_STACK_SIZE	(128UL * 1024)		/* bytes, mapped at exec */
#define USER_MMAP_BASE	0x00007f0000000000UL	/* mmap grows down from */

/*
 * mm_alloc - a new, empty address space (users = 1). Returns NULL when out
 * of memory. Mirrors Linux's mm_alloc().
 */
struct mm_struct *mm_alloc(void);

/*
 * dup_mm - a copy of oldmm for fork(): every user page is copied (the mm
 * issue replaces this with copy-on-write). Returns NULL when out of memory
 * (nothing is leaked). Mirrors Linux's dup_mm().
 */
struct mm_struct *dup_mm(struct mm_struct *oldmm);

/* mmget - one more user of mm (CLONE_VM). */
void mmget(struct mm_struct *mm);

/*
 * mmput - drop a user; the last one tears the address space down (every
 * user page, every page-table page, the VMAs; mm->users reads 0 after)
 * and drops the users' reference to the struct itself. Mirrors Linux's
 * mmput().
 */
void mmput(struct mm_struct *mm);

/*
 * mmgrab / mmdrop - a reference to the struct mm_struct only (Linux's
 * mm_count), for kernel threads that work on an mm in the background
 * (POE pre-fault): the address space may be torn down meanwhile, so they
 * check mm->users != 0 under mm->lock before touching it. The last
 * mmdrop frees the struct.
 */
void mmgrab(struct mm_struct *mm);
void mmdrop(struct mm_struct *mm);

/* switch_mm - load mm's page table into CR3 (NULL: the kernel's own). */
void switch_mm(struct mm_struct *mm);

/*
 * map_user_pages - allocate zeroed pages for [start, start + len) (page
 * aligned, bytes) and map them user-accessible with prot (PROT_READ/WRITE/
 * EXEC bits of <sys/mman.h>; no EXEC means NX). Returns 0, -EINVAL for a
 * range outside user space or unaligned, -EEXIST if a page is already
 * mapped, -ENOMEM (nothing is left mapped on failure).
 */
int map_user_pages(struct mm_struct *mm, unsigned long start,
		   unsigned long len, int prot);

/*
 * protect_user_pages - change the rights of every page in [start, start +
 * len) to prot (as map_user_pages). Returns 0, -EINVAL (unaligned or
 * outside user space) or -ENOMEM when a page in the range is not mapped
 * (then nothing changed). Mirrors Linux's mprotect_fixup() for the
 * all-present pages of this first mm.
 */
int protect_user_pages(struct mm_struct *mm, unsigned long start,
		       unsigned long len, int prot);

/*
 * unmap_user_pages - unmap and free every mapped page in [start, start +
 * len); unmapped holes are fine. Returns 0 or -EINVAL (unaligned, outside
 * user space). Flushes the TLB when mm is the current one.
 */
int unmap_user_pages(struct mm_struct *mm, unsigned long start,
		     unsigned long len);

/*
 * user_page_phys - the physical address that user address va (any byte)
 * maps to in mm, or 0 when no page is mapped there. For loaders and tests
 * that reach a not-yet-active mm through the direct map (Linux walks the
 * tables with follow_page() for the same purpose).
 */
phys_addr_t user_page_phys(struct mm_struct *mm, unsigned long va);

/*
 * copy_to_mm - write len bytes from the kernel buffer src to user address
 * va of mm through the direct map, whatever the PTE rights and whether or
 * not mm is active. Returns 0, or -EFAULT when a page in the range is not
 * mapped (bytes before it are written). Like Linux's access_remote_vm().
 */
int copy_to_mm(struct mm_struct *mm, unsigned long va, const void *src,
	       size_t len);

#endif
