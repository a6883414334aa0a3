/*
 * mman.h - mmap()/mprotect() constants with Linux's values
 * (<asm-generic/mman-common.h>), shared by the user-page code
 * (mm/user_mm.c), the mmap family (mm/mmap.c) and the ELF loader, and
 * the mm-level entry points of the mmap family.
 */
#ifndef MM_MMAN_H
#define MM_MMAN_H

#include <asm/mman.h> /* PROT_*, MAP_*, MADV_*: include/uapi */

#ifndef __ASSEMBLER__
#include <kernel/types.h>

struct file;
struct mm_struct;
struct vm_area_struct;

/*
 * do_mmap / do_munmap / do_brk - the bodies of sys_mmap(), sys_munmap()
 * and sys_brk() (mm/mmap.c; see there for arguments and errors), on any
 * mm instead of current->mm: for the kernel and in-kernel tests.
 * Mirror Linux's do_mmap(), do_vmi_munmap() and brk's do_brk_flags().
 */
long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
	     unsigned long prot, unsigned long flags, unsigned long off);

/*
 * do_mmap_file - do_mmap() of file (NULL: only MAP_ANONYMOUS works, else
 * -EBADF) at byte offset off: the new VMA takes its own reference to
 * file and file->f_op->mmap() sets its vm_ops. Errors of a file mapping,
 * after do_mmap()'s address checks (Linux's do_mmap() order): -EOVERFLOW
 * (off + len wraps in pages), -EACCES (MAP_SHARED with PROT_WRITE on a
 * file not open for writing; a file not open for reading), -ENODEV (no
 * ->mmap: directories, devices), -EINVAL (a bad sharing type).
 */
long do_mmap_file(struct mm_struct *mm, struct file *file, unsigned long addr,
		  unsigned long len, unsigned long prot, unsigned long flags,
		  unsigned long off);
long do_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len);
long do_brk(struct mm_struct *mm, unsigned long brk);
long do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long len,
		 unsigned long prot);

/*
 * do_mremap - the body of sys_mremap() (mm/mremap.c; arguments and
 * errors there) on any mm. Linux's SYSCALL_DEFINE5(mremap).
 */
long do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
	       unsigned long new_len, unsigned long flags,
	       unsigned long new_addr);

/*
 * move_page_tables - move the page-table entries of [old_addr, old_addr +
 * len) to [new_addr, new_addr + len) (bytes, page aligned, the ranges
 * apart, the new one with no page mapped), building new page tables as
 * needed; the pages themselves do not move. mmap_lock held for writing.
 * Returns the bytes moved (len, or less when out of memory). Linux's
 * (mm/mremap.c).
 */
unsigned long move_page_tables(struct mm_struct *mm, unsigned long old_addr,
			       unsigned long new_addr, unsigned long len);

/*
 * mm_locked_vm - pages of mm in VM_LOCKED VMAs (mlock(2)), what Linux
 * keeps in mm->locked_vm and shows as VmLck in /proc/PID/status. Counted
 * from the VMAs each time, so that no VMA change can make it drift.
 * mmap_lock held. Ours (mm/mlock.c).
 */
unsigned long mm_locked_vm(struct mm_struct *mm);

/*
 * calc_vm_flags - the VM_* flags of a mapping made with prot (PROT_*) and
 * flags (MAP_*): rights, VM_MAY*, and VM_SHARED for MAP_SHARED. Linux's
 * calc_vm_prot_bits() | calc_vm_flag_bits().
 */
unsigned long calc_vm_flags(unsigned long prot, unsigned long flags);

/*
 * vm_get_page_prot - the PTE rights (_PAGE_* bits) of the pages of a VMA
 * with these vm_flags: present, user, RW with VM_WRITE, NX without
 * VM_EXEC (when the CPU has NX). For a VMA with no rights (PROT_NONE),
 * _PAGE_PROTNONE alone: a frame kept but never present. Linux's
 * vm_get_page_prot() (whose result Linux also caches in the VMA's
 * vm_page_prot field).
 */
u64 vm_get_page_prot(unsigned long vm_flags);

/*
 * expand_stack_locked - grow the VM_GROWSDOWN VMA vma down to address
 * (bytes; rounded down to its page), so that a fault just below the stack
 * finds it. Allowed up to 8 MiB of stack (Linux's default RLIMIT_STACK)
 * and only into free space. Caller holds mmap_lock for writing (the VMA
 * tree changes). Returns 0, -EFAULT
 * (vma does not grow down), -ENOMEM (too big, or something in the way).
 * Linux's expand_stack_locked().
 */
int expand_stack_locked(struct vm_area_struct *vma, unsigned long address);
#endif

#endif
