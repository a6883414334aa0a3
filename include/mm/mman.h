/*
 * mman.h - mmap()/mprotect() constants with Linux's values
 * (<asm-generic/mman-common.h>), shared by the user-page code
 * (mm/user_mm.c), the mmap family (mm/mmap.c) and the ELF loader, and
 * the mm-level entry points of the mmap family.
 */
#ifndef MM_MMAN_H
#define MM_MMAN_H

#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4

#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_TYPE	0x0f	/* mask of the sharing type */
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20

#define MAP_FAILED	((void *)-1)

#ifndef __ASSEMBLER__
struct mm_struct;

/*
 * do_mmap / do_munmap / do_brk - the bodies of sys_mmap(), sys_munmap()
 * and sys_brk() (mm/mmap.c; see there for arguments and errors), on any
 * mm instead of current->mm: for the kernel and in-kernel tests.
 * Mirror Linux's do_mmap(), do_vmi_munmap() and brk's do_brk_flags().
 */
long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
	     unsigned long prot, unsigned long flags, unsigned long off);
long do_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len);
long do_brk(struct mm_struct *mm, unsigned long brk);
#endif

#endif
