/*
 * msync.c - msync(2) with Linux 6.1's semantics and errno order
 * (Linux's mm/msync.c): the flags are checked and the range walked, and
 * that is all there is for anonymous memory, which has no file to write
 * back to.
 */
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <mm/mman.h>
#include <mm/mmap_lock.h>
#include <mm/mm_types.h>
#include <mm/page.h>
#include <mm/vma.h>

/*
 * sys_msync - write the pages of [start, start + len) (len rounded up to
 * pages) back to their file: MS_SYNC waits for the writes, MS_ASYNC only
 * schedules them, MS_INVALIDATE asks other mappings of the file to see
 * them. Returns 0, or in Linux's order: -EINVAL (unknown flags, start
 * not page aligned, both MS_ASYNC and MS_SYNC), -ENOMEM (the range
 * wraps; part of it is not mapped: the mapped parts are still synced,
 * except with MS_ASYNC alone, which stops at the first hole), -EBUSY
 * (MS_INVALIDATE on a VM_LOCKED mapping). Linux's SYSCALL_DEFINE3(msync).
 */
long sys_msync(unsigned long start, size_t len, int flags)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	long unmapped_error = 0, err;
	unsigned long end;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	len = (len + ~PAGE_MASK) & PAGE_MASK;
	end = start + len;
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	/* Holes are passed over, but make the answer -ENOMEM; with MS_ASYNC
	 * alone there is nothing left to do at the first one. */
	mmap_read_lock(mm);
	vma = find_vma(mm, start);
	for (;;) {
		err = -ENOMEM;
		if (!vma)
			break;
		if (start < vma->vm_start) {
			if (flags == MS_ASYNC)
				break;
			start = vma->vm_start;
			if (start >= end)
				break;
			unmapped_error = -ENOMEM;
		}
		if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED)) {
			err = -EBUSY;
			break;
		}
		/*
		 * Here Linux writes a shared file mapping's dirty pages back
		 * (vfs_fsync_range() for MS_SYNC, with mmap_lock dropped).
		 * Anonymous memory has nowhere to write to. When file
		 * mappings come, [start, MIN(end, vma->vm_end)) of a
		 * VM_SHARED VMA with a file is what to write back here.
		 */
		start = vma->vm_end;
		if (start >= end) {
			err = 0;
			break;
		}
		vma = find_vma(mm, start);
	}
	mmap_read_unlock(mm);
	return err ? err : unmapped_error;
}
