/*
 * mlock.c - mlock(2), mlock2(2), munlock(2), mlockall(2), munlockall(2),
 * with Linux 6.1's semantics and errno order (Linux's mm/mlock.c), and
 * the populate they share with MAP_LOCKED and mremap (Linux's
 * __mm_populate() and populate_vma_page_range(), mm/gup.c).
 *
 * Locking a range sets VM_LOCKED on its VMAs (splitting them at the
 * edges, merging equal neighbours after) and faults every page in;
 * MLOCK_ONFAULT / MCL_ONFAULT set VM_LOCKONFAULT too, and then pages
 * are locked as they fault in, none populated. mlockall(MCL_FUTURE)
 * puts the flags in mm->def_flags, which every later mmap, brk and
 * mremap VMA takes. A fork child's VMAs are not locked (dup_mm()), nor
 * is a new program's mm.
 *
 * What "locked" means: this kernel has no swap and no reclaim yet
 * (mm/swap.c keeps the LRU list only), so every page stays resident
 * anyway; VM_LOCKED is what reclaim will have to skip (Linux puts such
 * pages on its unevictable list), what madvise(MADV_DONTNEED) refuses
 * (-EINVAL, as Linux), and what the count below reports.
 *
 * RLIMIT_MEMLOCK: there are no resource limits, and every process runs
 * as root (Linux's CAP_IPC_LOCK passes the limit by), so no call here
 * fails with -EPERM or -EAGAIN for want of one.
 */
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <mm/mman.h>
#include <mm/mmap_lock.h>
#include <mm/mm_types.h>
#include <mm/page.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include "internal.h"

#define PAGE_ALIGN(x) ALIGN_UP((unsigned long)(x), PAGE_SIZE)

int populate_vma_page_range(struct vm_area_struct *vma, unsigned long start,
			    unsigned long end)
{
	unsigned long f = vma->vm_flags;

	if (f & VM_LOCKONFAULT)
		return 0;
	/* PROT_NONE: Linux's gup refuses the access (FOLL_FORCE is only
	 * for accessible VMAs), so mlock(2) of it fails with -ENOMEM after
	 * locking it; mlockall() ignores the error. */
	if (!(f & (VM_READ | VM_WRITE | VM_EXEC)))
		return -EFAULT;
	/* A write breaks copy-on-write now; shared memory is not dirtied
	 * for nothing (Linux's FOLL_WRITE rule). */
	return faultin_vma_page_range(vma, start, end,
				      (f & (VM_WRITE | VM_SHARED)) == VM_WRITE);
}

int __mm_populate(struct mm_struct *mm, unsigned long start, unsigned long end,
		  bool ignore_errors)
{
	struct vm_area_struct *vma;
	unsigned long va, stop = start;
	int ret = 0;

	mmap_read_lock(mm);
	for (va = start; va < end; va = stop) {
		vma = find_vma_intersection(mm, va, end);
		if (!vma)
			break;
		va = MAX(va, vma->vm_start);
		stop = MIN(end, vma->vm_end);
		ret = populate_vma_page_range(vma, va, stop);
		if (ret == -EINTR)
			break; /* dying: nothing more is wanted */
		if (ret && !ignore_errors)
			break;
		ret = 0;
	}
	mmap_read_unlock(mm);
	return ret;
}

unsigned long mm_locked_vm(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	unsigned long pages = 0;

	mmap_assert_locked(mm);
	for_each_vma(mm, vma)
		if (vma->vm_flags & VM_LOCKED)
			pages += (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	return pages;
}

/*
 * Set the lock flags of [start, end) (page aligned, start < end) to
 * newflags (VM_LOCKED_MASK bits), VMA after VMA: the run of VMAs that
 * begins at start. mmap_lock held for writing. Returns 0, or -ENOMEM:
 * start is not mapped, or a hole further on (the VMAs before it have
 * changed, as in Linux), or a split would pass max_map_count. Linux's
 * apply_vma_lock_flags() with mlock_fixup().
 */
static int apply_vma_lock_flags(struct mm_struct *mm, unsigned long start,
				unsigned long end, unsigned long newflags)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	unsigned long va, stop;
	int err;

	if (!vma || vma->vm_start > start)
		return -ENOMEM;
	/* The mapped run from start; a hole ends it. */
	for (stop = start; vma && vma->vm_start <= stop && stop < end;
	     vma = find_vma(mm, stop))
		stop = vma->vm_end;
	stop = MIN(stop, end);
	err = split_at_edges(mm, start, stop);
	if (err)
		return err;
	for (va = start; va < stop; va = vma->vm_end) {
		vma = find_vma(mm, va);
		vma->vm_flags = (vma->vm_flags & ~VM_LOCKED_MASK) | newflags;
	}
	for (va = start; va < stop; va = vma->vm_end)
		vma = vma_merge(mm, find_vma(mm, va));
	return stop < end ? -ENOMEM : 0;
}

/* mlock()'s populate errors as POSIX wants them: a hole is -ENOMEM,
 * no memory -EAGAIN. Linux's __mlock_posix_error_return(). */
static long mlock_posix_error(long err)
{
	if (err == -EFAULT)
		return -ENOMEM;
	if (err == -ENOMEM)
		return -EAGAIN;
	return err;
}

/* mlock and mlock2 (Linux's do_mlock()), and munlock with flags 0, which
 * only clears the lock flags and populates nothing. */
static long do_mlock(struct mm_struct *mm, unsigned long start,
		     unsigned long len, unsigned long flags)
{
	unsigned long end;
	long err;

	/* Not aligned: the range is widened to whole pages (POSIX lets
	 * mlock refuse, Linux does not). */
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	mmap_write_lock(mm);
	err = apply_vma_lock_flags(mm, start, end, flags);
	mmap_write_unlock(mm);
	if (err || !flags)
		return err;
	return mlock_posix_error(__mm_populate(mm, start, end, false));
}

/*
 * sys_mlock - lock the pages of [start, start + len) (widened to whole
 * pages) in memory: VM_LOCKED on the VMAs, every page faulted in now
 * (private writable pages as by a write, so copy-on-write is broken).
 * Returns 0, or -EINVAL (the range wraps), -ENOMEM (a part is not
 * mapped: the VMAs before the hole are locked; or a PROT_NONE part,
 * which is locked but cannot be populated, as on Linux),
 * -EAGAIN (out of memory while populating), -EINTR (killed while
 * populating). Linux's SYSCALL_DEFINE2(mlock).
 */
long sys_mlock(unsigned long start, size_t len)
{
	return do_mlock(current->mm, start, len, VM_LOCKED);
}

/*
 * sys_mlock2 - mlock(), or with MLOCK_ONFAULT lock the pages only as
 * they fault in (VM_LOCKONFAULT: nothing is populated). Returns as
 * mlock, and -EINVAL first for unknown flags. Linux's
 * SYSCALL_DEFINE3(mlock2).
 */
long sys_mlock2(unsigned long start, size_t len, int flags)
{
	unsigned long vm = VM_LOCKED;

	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	if (flags & MLOCK_ONFAULT)
		vm |= VM_LOCKONFAULT;
	return do_mlock(current->mm, start, len, vm);
}

/*
 * sys_munlock - clear VM_LOCKED and VM_LOCKONFAULT on [start, start +
 * len) (widened to whole pages); the pages stay mapped. Returns 0, or
 * -EINVAL (the range wraps), -ENOMEM (a part is not mapped: the VMAs
 * before the hole are unlocked). Linux's SYSCALL_DEFINE2(munlock).
 */
long sys_munlock(unsigned long start, size_t len)
{
	return do_mlock(current->mm, start, len, 0);
}

/* Every VMA's lock flags to newflags; VMAs then merge where they can.
 * mmap_lock held for writing. A split is never needed. */
static void apply_all_vmas(struct mm_struct *mm, unsigned long newflags)
{
	struct vm_area_struct *vma;
	unsigned long va;

	for_each_vma(mm, vma)
		vma->vm_flags = (vma->vm_flags & ~VM_LOCKED_MASK) | newflags;
	for (va = 0; (vma = find_vma(mm, va)); va = vma->vm_end)
		vma = vma_merge(mm, vma);
}

/*
 * sys_mlockall - MCL_CURRENT: lock every mapping now (with MCL_ONFAULT:
 * as pages fault in), populating them; MCL_FUTURE: every later mapping
 * too (mm->def_flags), populated as it is made unless MCL_ONFAULT.
 * A call replaces the future setting of the one before. Returns 0, or
 * -EINVAL (no flag, an unknown one, or MCL_ONFAULT alone). Populate
 * errors are ignored, as Linux's. Linux's SYSCALL_DEFINE1(mlockall).
 */
long sys_mlockall(int flags)
{
	struct mm_struct *mm = current->mm;
	unsigned long to_add = 0;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	mmap_write_lock(mm);
	/* Linux's apply_mlockall_flags() */
	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
	}
	if (flags & MCL_CURRENT) {
		to_add = VM_LOCKED;
		if (flags & MCL_ONFAULT)
			to_add |= VM_LOCKONFAULT;
		apply_all_vmas(mm, to_add);
	}
	mmap_write_unlock(mm);
	if (flags & MCL_CURRENT)
		__mm_populate(mm, 0, TASK_SIZE, true);
	return 0;
}

/*
 * sys_munlockall - unlock every mapping and forget MCL_FUTURE. Returns
 * 0. Linux's SYSCALL_DEFINE0(munlockall).
 */
long sys_munlockall(void)
{
	struct mm_struct *mm = current->mm;

	mmap_write_lock(mm);
	mm->def_flags &= ~VM_LOCKED_MASK;
	apply_all_vmas(mm, 0);
	mmap_write_unlock(mm);
	return 0;
}
