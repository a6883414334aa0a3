/*
 * mmap.c - the mmap family on VMAs, with Linux's semantics (mmap(2),
 * munmap(2), mprotect(2), madvise(2), brk(2); Linux's mm/mmap.c,
 * mm/mprotect.c, mm/madvise.c). These calls only change VMAs (mm/vma.c)
 * and drop or re-protect pages already mapped; the pages themselves come
 * later, one fault at a time (mm/fault.c). Exceptions: MAP_POPULATE, and
 * MAP_SHARED anonymous memory, which is populated at once so that fork
 * shares every page of it (Linux backs it with a shmem file instead).
 * The do_*() calls and sys_madvise() take mmap_lock for writing, which
 * keeps every fault of the mm (readers) out while VMAs change; the page
 * tables they change they change under page_table_lock (mm/pgtable.c
 * takes it). expand_stack_locked(), called by the fault handler
 * (arch/x86_64/fault.c), runs with mmap_lock held for writing. Here too
 * is vm_get_page_prot(), the PTE rights of a VMA, as in Linux's
 * mm/mmap.c.
 *
 * POE (include/mm/poe.h): in a POE-enabled mm an anonymous private mmap
 * becomes a VM_POE region and gets a pre-fault thread before mmap
 * returns; munmap and madvise(DONTNEED) run POE error handling before
 * they free pages; mprotect keeps the marks' rights equal to the VMA's.
 */
#include <kernel/errno.h>
#include <kernel/fdtable.h>
#include <kernel/fs.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/syscalls.h>
#include <kernel/userfaultfd.h>
#include <mm/fault.h>
#include <mm/huge_mm.h>
#include <mm/mman.h>
#include <mm/mmap_lock.h>
#include <mm/mm_types.h>
#include <mm/page.h>
#include <mm/pgtable.h>
#include <mm/poe.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <asm/cpu.h>
#include "internal.h"

#define PAGE_ALIGN(x) ALIGN_UP((unsigned long)(x), PAGE_SIZE)
#define STACK_MAX     (8UL << 20) /* bytes, as Linux's default RLIMIT_STACK */

u64 vm_get_page_prot(unsigned long vm_flags)
{
	u64 prot = _PAGE_PRESENT | _PAGE_USER;

	if (!(vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return _PAGE_PROTNONE; /* keeps a frame, never present */
	if (vm_flags & VM_WRITE)
		prot |= _PAGE_RW;
	if (!(vm_flags & VM_EXEC) && boot_cpu.has_nx)
		prot |= _PAGE_NX;
	return prot;
}

int expand_stack_locked(struct vm_area_struct *vma, unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long start = address & PAGE_MASK;

	if (!(vma->vm_flags & VM_GROWSDOWN))
		return -EFAULT;
	if (start >= vma->vm_start)
		return 0;
	if (find_vma_intersection(mm, start, vma->vm_start) ||
	    vma->vm_end - start > STACK_MAX || start < PAGE_SIZE)
		return -ENOMEM;
	/* Keys change: take it out of the tree and put it back. */
	remove_vm_struct(mm, vma);
	vma->vm_start = start;
	if (insert_vm_struct(mm, vma))
		panic("expand_stack_locked: reinserting the stack VMA failed");
	return 0;
}

unsigned long calc_vm_flags(unsigned long prot, unsigned long flags)
{
	unsigned long vm = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	if (prot & PROT_READ)
		vm |= VM_READ;
	if (prot & PROT_WRITE)
		vm |= VM_WRITE;
	if (prot & PROT_EXEC)
		vm |= VM_EXEC;
	if ((flags & MAP_TYPE) == MAP_SHARED)
		vm |= VM_SHARED | VM_MAYSHARE;
	return vm;
}

/*
 * Cut VMAs so that none straddles start or end; then every VMA touching
 * [start, end) lies inside it. A huge pmd across start or end is split
 * into PTEs first. -ENOMEM if a split hits max_map_count.
 */
int split_at_edges(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma;
	int err;

	/* A 2 MiB page never straddles two VMAs: split it into PTEs
	 * first, as Linux's vma_adjust_trans_huge(). */
	if (start & ~HPAGE_PMD_MASK)
		split_huge_pmd_address(mm, start);
	if (end & ~HPAGE_PMD_MASK)
		split_huge_pmd_address(mm, end);
	vma = find_vma(mm, start);
	if (vma && vma->vm_start < start && vma->vm_end > start) {
		err = split_vma(mm, vma, start, 1);
		if (err)
			return err;
	}
	vma = find_vma(mm, end - 1);
	if (vma && vma->vm_start < end && vma->vm_end > end) {
		err = split_vma(mm, vma, end, 0);
		if (err)
			return err;
	}
	return 0;
}

/*
 * The gap [*floor, *ceiling) around start once the VMAs of a range that
 * begins there are gone: the end of the VMA before it (0 if none) and
 * the start of the one after (0 if none: the top). Page tables whose
 * span lies inside it serve no VMA. Linux passes prev and next to
 * unmap_region() for the same.
 */
void gap_around(struct mm_struct *mm, unsigned long start, unsigned long *floor,
		unsigned long *ceiling)
{
	struct vm_area_struct *next = find_vma(mm, start);
	struct list_head *prev = next ? next->vm_list.prev : mm->mmap_list.prev;

	*ceiling = next ? next->vm_start : 0;
	*floor = prev != &mm->mmap_list ?
			 list_entry(prev, struct vm_area_struct, vm_list)
				 ->vm_end :
			 0;
}

/*
 * Unmap [start, end): mmap_lock held for writing (page aligned, inside
 * user space). With downgrade, the lock is turned into a read hold once
 * the VMAs are gone, and the pages and page tables are freed under it,
 * so faults of the mm in other VMAs go on meanwhile, as Linux's
 * do_vmi_align_munmap() does for munmap(2). uf: NULL, or a list for the
 * UFFD_EVENT_UNMAP messages (userfaultfd_unmap_prep()), which the caller
 * sends with userfaultfd_unmap_complete() once mmap_lock is dropped.
 * Returns 0, 1 when it downgraded (the caller then drops a read hold),
 * or a negative errno from splitting or the event list (nothing was
 * unmapped, the write hold is kept).
 */
int __do_munmap(struct mm_struct *mm, unsigned long start, unsigned long end,
		bool downgrade, struct list_head *uf)
{
	unsigned long floor, ceiling;
	struct vm_area_struct *vma;
	int err = split_at_edges(mm, start, end);

	if (err)
		return err;
	/* After the splits, as Linux's do_vmi_align_munmap(): the VMAs
	 * are still there to say which userfaultfds want the event. */
	if (uf) {
		err = userfaultfd_unmap_prep(mm, start, end, uf);
		if (err)
			return err;
	}
	/* Close the range to the walkers, then account what they mapped,
	 * before any page is freed: from here on no walker maps a page
	 * there, and error handling has seen every page one did map. */
	poe_unmark_range(mm, start, end);
	poe_error_handling(mm);
	while ((vma = find_vma_intersection(mm, start, end))) {
		remove_vm_struct(mm, vma);
		vm_area_free(vma);
	}
	/* Nothing maps [start, end) any more: a fault there finds no VMA,
	 * the pre-fault thread marks only inside VMAs, and a new mapping
	 * needs the write hold, which waits for our read hold. */
	gap_around(mm, start, &floor, &ceiling);
	if (downgrade)
		mmap_write_downgrade(mm);
	unmap_region(mm, start, end, floor, ceiling);
	return downgrade ? 1 : 0;
}

/*
 * Fault in every page of [start, end) now (MAP_POPULATE, shared memory),
 * as a write when the mapping is writable. The range lies in one new VMA
 * (merged with its neighbours, maybe). mmap_lock held for writing.
 * Returns 0, -ENOMEM (out of memory), -EINTR (a fatal signal came: the
 * task is dying, and the caller unmaps what was populated).
 * Linux's populate_vma_page_range() through __get_user_pages(), which
 * also stops on fatal_signal_pending() with -EINTR.
 *
 * The length is the caller's to choose, up to TASK_SIZE (128 TiB), so
 * the loop must not hold the CPU or the process: every page it tests
 * for a fatal signal (SIGKILL from another process ends a populate of
 * any size within a page's fault), and it runs with interrupts on and
 * no spinlock held between pages, so the tick preempts it like user
 * code and other tasks of its CPU run (this kernel is preemptible: the
 * cond_resched() Linux's loop calls is for kernels that are not).
 *
 * A private mapping without PROT_WRITE is not populated at all, unlike
 * Linux's: there every page would be the shared zero page, and Linux
 * builds the page tables that map it (8 MiB of them per GiB: a
 * PROT_READ MAP_POPULATE of 64 TiB would want 512 GiB and hours of
 * faults), to save each later read its minor fault. Here the later read
 * faults and maps the zero page then; only the count of minor faults
 * tells the two apart, and reads see zeros on both.
 */
static int populate(struct mm_struct *mm, unsigned long start,
		    unsigned long end, unsigned long vm_flags)
{
	if (!(vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return 0;
	if (!(vm_flags & (VM_WRITE | VM_SHARED)))
		return 0; /* the zero page's: nothing to allocate */
	return faultin_vma_page_range(find_vma(mm, start), start, end,
				      vm_flags & VM_WRITE);
}

int faultin_vma_page_range(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end, bool write)
{
	/* Not FAULT_FLAG_USER: the POE fall-back counters must not count it. */
	unsigned int flags = write ? FAULT_FLAG_WRITE : 0;

	for (unsigned long va = start; va < end; va += PAGE_SIZE) {
		vm_fault_t fault;

		/* Linux's fatal_signal_pending(current). */
		if (fatal_signal_pending(current))
			return -EINTR;
		fault = handle_mm_fault(vma, va, flags);
		if (fault & VM_FAULT_ERROR)
			return vm_fault_to_errno(fault);
	}
	return 0;
}

/*
 * Create the VMA [addr, addr + len) and merge it with its neighbours.
 * mmap_lock held for writing; the range must be free.
 */
int new_vma(struct mm_struct *mm, unsigned long addr, unsigned long len,
	    unsigned long vm_flags)
{
	return new_vma_from(mm, addr, len, vm_flags, NULL, 0);
}

int new_vma_from(struct mm_struct *mm, unsigned long addr, unsigned long len,
		 unsigned long vm_flags, struct vm_area_struct *src,
		 unsigned long src_addr)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);
	int err;

	if (!vma)
		return -ENOMEM;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	/* A new VMA is never registered with a userfaultfd: mremap's
	 * moved copy drops it, as Linux's mremap_userfaultfd_prep()
	 * without UFFD_FEATURE_EVENT_REMAP (with it, move_vma() registers
	 * the copy after). */
	vma->vm_flags = vm_flags & ~__VM_UFFD_FLAGS;
	if (src && src->vm_file) {
		vma->vm_file = get_file(src->vm_file);
		vma->vm_ops = src->vm_ops;
		vma->vm_pgoff = src->vm_pgoff +
				((src_addr - src->vm_start) >> PAGE_SHIFT);
		vma_link_file_after(vma, src);
	}
	err = insert_vm_struct(mm, vma);
	if (err) {
		vm_area_free(vma);
		return err;
	}
	vma_merge(mm, vma);
	return 0;
}

long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
	     unsigned long prot, unsigned long flags, unsigned long off)
{
	return do_mmap_file(mm, NULL, addr, len, prot, flags, off);
}

/*
 * The file half of do_mmap(), after the common checks, under the write
 * hold: Linux's do_mmap() "if (file)" switch, in its order. For
 * MAP_SHARED: -EACCES when PROT_WRITE and the file was not opened for
 * writing; a read-only file's shared mapping loses VM_MAYWRITE (mprotect
 * cannot make it writable) and VM_SHARED (Linux's). Then for both
 * types: -EACCES when the file was not opened for reading, -ENODEV when
 * its f_op has no ->mmap (directories, devices). MAP_SHARED_VALIDATE is
 * MAP_SHARED (we know no flag it would refuse). Other types: -EINVAL.
 */
static long mmap_file_checks(struct file *file, unsigned long type,
			     unsigned long prot, unsigned long *vm_flags)
{
	switch (type) {
	case MAP_SHARED:
	case MAP_SHARED_VALIDATE:
		if ((prot & PROT_WRITE) && !(file->f_mode & FMODE_WRITE))
			return -EACCES;
		*vm_flags |= VM_SHARED | VM_MAYSHARE;
		if (!(file->f_mode & FMODE_WRITE))
			*vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
		/* fall through */
	case MAP_PRIVATE:
		if (!(file->f_mode & FMODE_READ))
			return -EACCES;
		if (!file->f_op || !file->f_op->mmap)
			return -ENODEV;
		return 0;
	default:
		return -EINVAL;
	}
}

long do_mmap_file(struct mm_struct *mm, struct file *file, unsigned long addr,
		  unsigned long len, unsigned long prot, unsigned long flags,
		  unsigned long off)
{
	unsigned long type = flags & MAP_TYPE, vm_flags;
	struct vm_area_struct *vma;
	LIST_HEAD(uf);
	long ret;

	/*
	 * The checks come in Linux's order, so that a call with several
	 * faults fails with Linux's errno: sys_mmap()'s offset,
	 * ksys_mmap_pgoff()'s file, do_mmap()'s length, get_unmapped_area()'s
	 * range, then (under the lock) MAP_FIXED_NOREPLACE and last the
	 * sharing type. Unknown prot bits are ignored, as by Linux's
	 * calc_vm_prot_bits().
	 */
	if (!mm || !IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	if (flags & MAP_ANONYMOUS)
		file = NULL; /* the fd is ignored */
	else if (!file)
		return -EBADF;
	if (!len)
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	/* A len within a page of 2^64 rounds up to 0: Linux's -ENOMEM. */
	len = PAGE_ALIGN(len);
	if (!len || len > TASK_SIZE)
		return -ENOMEM;
	/* The file's page offset must not wrap (Linux's -EOVERFLOW). */
	if (file &&
	    (off >> PAGE_SHIFT) + (len >> PAGE_SHIFT) < (off >> PAGE_SHIFT))
		return -EOVERFLOW;
	if (flags & MAP_FIXED) {
		if (addr > TASK_SIZE - len)
			return -ENOMEM;
		if (!IS_ALIGNED(addr, PAGE_SIZE))
			return -EINVAL;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM;
	} else if (addr && addr < MMAP_MIN_ADDR) {
		addr = MMAP_MIN_ADDR; /* Linux's round_hint_to_min() */
	}
	/* mlockall(MCL_FUTURE)'s VM_LOCKED comes with def_flags (read
	 * without the lock: a racing mlockall may or may not apply). */
	vm_flags = calc_vm_flags(prot, flags) | READ_ONCE(mm->def_flags);
	if (flags & MAP_LOCKED)
		vm_flags |= VM_LOCKED;
	/* Pre-page-fault applies to anonymous private memory that will be
	 * faulted in page by page (not MAP_POPULATE, nor locked memory,
	 * which is populated at once). */
	if (mm->poe.enabled && !file && type == MAP_PRIVATE &&
	    !(flags & MAP_POPULATE) && (vm_flags & VM_LOCKED_MASK) != VM_LOCKED)
		vm_flags |= VM_POE;

	mmap_write_lock(mm);
	if (flags & MAP_FIXED) {
		ret = -EEXIST;
		if ((flags & MAP_FIXED_NOREPLACE) &&
		    find_vma_intersection(mm, addr, addr + len))
			goto out;
		ret = (long)addr;
	} else {
		/* Private anonymous memory: 2 MiB-aligned when its length
		 * is a multiple of it, for huge pages (Linux >= 6.7). */
		ret = !file && type == MAP_PRIVATE ?
			      thp_get_unmapped_area(mm, addr, len) :
			      get_unmapped_area(mm, addr, len);
		if (ret < 0)
			goto out;
	}
	addr = (unsigned long)ret;
	if (file) {
		/* calc_vm_flags() made MAP_SHARED VM_SHARED: the file
		 * decides (mmap_file_checks()). */
		vm_flags &= ~(VM_SHARED | VM_MAYSHARE);
		ret = mmap_file_checks(file, type, prot, &vm_flags);
		if (ret)
			goto out;
	} else if (type != MAP_SHARED && type != MAP_PRIVATE) {
		/* Last, as in do_mmap(): MAP_SHARED_VALIDATE is for files
		 * only. */
		ret = -EINVAL;
		goto out;
	}
	if ((flags & MAP_FIXED) &&
	    find_vma_intersection(mm, addr, addr + len)) {
		/* replace; the new VMA goes in under the same write hold */
		ret = __do_munmap(mm, addr, addr + len, false, &uf);
		if (ret)
			goto out;
	}
	if (file) {
		/* Linux's mmap_region(): the VMA takes a file reference, and
		 * the file's ->mmap sets its vm_ops. Not merged: a file VMA
		 * merges only when later calls (mprotect) touch it. */
		ret = -ENOMEM;
		vma = vm_area_alloc(mm);
		if (!vma)
			goto out;
		vma->vm_start = addr;
		vma->vm_end = addr + len;
		vma->vm_flags = vm_flags;
		vma->vm_pgoff = off >> PAGE_SHIFT;
		vma->vm_file = get_file(file);
		vma_link_file(vma);
		ret = file->f_op->mmap(file, vma);
		if (!ret)
			ret = insert_vm_struct(mm, vma);
		if (ret) {
			vm_area_free(vma);
			goto out;
		}
		/* MAP_POPULATE of a file: errors (past the end) ignored,
		 * as Linux's mm_populate(). */
		if ((flags & MAP_POPULATE) &&
		    (vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
			faultin_vma_page_range(
				vma, addr,
				MIN(addr + len,
				    addr + PAGE_ALIGN(
						   file->f_inode->i_size -
						   MIN((loff_t)off,
						       file->f_inode->i_size))),
				(vm_flags & VM_WRITE) &&
					(vm_flags & VM_SHARED));
		ret = (long)addr;
		goto out;
	}
	ret = new_vma(mm, addr, len, vm_flags);
	if (!ret && ((flags & MAP_POPULATE) || (vm_flags & VM_SHARED))) {
		ret = populate(mm, addr, addr + len, vm_flags);
		if (ret)
			__do_munmap(mm, addr, addr + len, false, NULL);
	}
	if (!ret)
		ret = (long)addr;
out:
	mmap_write_unlock(mm);
	/* A MAP_FIXED mapping replaced registered memory: its UNMAP
	 * events, as Linux's vm_mmap_pgoff(). */
	userfaultfd_unmap_complete(mm, &uf);
	/* Start marking before mmap returns; a fault that wins the race
	 * takes the full handler. */
	if (ret >= 0 && (vm_flags & VM_POE))
		poe_prefault_start(mm, (unsigned long)ret,
				   (unsigned long)ret + len);
	/* Locked memory (MAP_LOCKED, MCL_FUTURE) is populated as mlock
	 * would, after the lock is dropped, errors ignored: Linux's
	 * mm_populate() at the end of vm_mmap_pgoff(). */
	if (ret >= 0 && (vm_flags & VM_LOCKED_MASK) == VM_LOCKED)
		__mm_populate(mm, (unsigned long)ret, (unsigned long)ret + len,
			      true);
	return ret;
}

/*
 * sys_mmap - map len bytes (rounded up to pages) of anonymous memory with
 * rights prot (unknown bits ignored, as on Linux). flags: exactly one of
 * MAP_SHARED / MAP_PRIVATE, and MAP_ANONYMOUS (no files: -EBADF
 * otherwise); MAP_FIXED replaces what is mapped at addr;
 * MAP_FIXED_NOREPLACE fails with -EEXIST instead; MAP_POPULATE faults
 * every page in now; MAP_NORESERVE is accepted (we never reserve).
 * Without a fixed flag, addr is a hint, used if free (a hint below 64 KiB
 * means 64 KiB). Returns the address or, checked in this order (Linux's):
 * -EINVAL (offset not page aligned), -EBADF (not MAP_ANONYMOUS), -EINVAL
 * (len 0), -ENOMEM (len above TASK_SIZE once rounded, or wrapping past
 * 2^64; a fixed range ending above TASK_SIZE), -EINVAL (fixed address not
 * page aligned), -EPERM (fixed below 64 KiB), -ENOMEM (no room), -EEXIST
 * (MAP_FIXED_NOREPLACE over a mapping), -EINVAL (not exactly one of
 * MAP_SHARED and MAP_PRIVATE), -ENOMEM (no memory). Linux's
 * ksys_mmap_pgoff() for anonymous memory.
 */
long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
	      unsigned long flags, unsigned long fd, unsigned long off)
{
	struct file *file = NULL;
	long ret;

	/* Linux's sys_mmap() checks the offset before the fd. */
	if (!IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		file = fget((unsigned int)fd);
		if (!file)
			return -EBADF;
	}
	ret = do_mmap_file(current->mm, file, addr, len, prot, flags, off);
	if (file)
		fput(file); /* the VMA holds its own */
	return ret;
}

long do_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	LIST_HEAD(uf);
	int err;

	/* Linux's do_vmi_munmap(): the range must end at or below
	 * TASK_SIZE; checked before rounding, so len cannot wrap. */
	if (!mm || !IS_ALIGNED(addr, PAGE_SIZE) || addr > TASK_SIZE ||
	    len > TASK_SIZE - addr)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len)
		return -EINVAL;
	mmap_write_lock(mm);
	err = __do_munmap(mm, addr, addr + len, true, &uf);
	if (err == 1) { /* downgraded: the zap ran as a reader */
		mmap_read_unlock(mm);
		err = 0;
	} else {
		mmap_write_unlock(mm);
	}
	/* The monitors learn of it now, the range gone (Linux's
	 * __vm_munmap()): we wait until each has read its event. */
	userfaultfd_unmap_complete(mm, &uf);
	return err;
}

/*
 * sys_munmap - unmap [addr, addr + len) (len rounded up to pages): VMAs
 * are cut or removed, pages freed. Holes and never-mapped ranges are
 * fine. Over a range registered with a userfaultfd that asked for
 * UFFD_FEATURE_EVENT_UNMAP, a UFFD_EVENT_UNMAP message follows the unmap
 * and the call returns once the monitor read it (or the fd closed, or
 * SIGKILL): userfaultfd_unmap_complete(). Returns 0, or -EINVAL
 * (unaligned addr, len 0, a range ending above TASK_SIZE), -ENOMEM
 * (splitting would pass max_map_count, or no memory for the event).
 * Linux's __vm_munmap().
 */
long sys_munmap(unsigned long addr, unsigned long len)
{
	return do_munmap(current->mm, addr, len);
}

/*
 * The end of the mapped run that starts at start (inside a VMA): the
 * first hole at or after start, or end if there is none before it.
 */
static unsigned long mapped_run_end(struct mm_struct *mm, unsigned long start,
				    unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	unsigned long va = start;

	while (vma && vma->vm_start <= va && va < end) {
		va = vma->vm_end;
		vma = find_vma(mm, va);
	}
	return MIN(va, end);
}

long do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long len,
		 unsigned long prot)
{
	const unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	unsigned long end, stop = start, va;
	struct vm_area_struct *vma;
	bool remark = false;
	long err;

	/* Linux's do_mprotect_pkey(), in its order. */
	prot &= ~grows;
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (!IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start) /* len rounded up to 0, or the range wraps */
		return -ENOMEM;
	if (prot &
	    ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;

	mmap_write_lock(mm);
	err = -ENOMEM;
	vma = find_vma(mm, start);
	if (!vma)
		goto out;
	if (grows & PROT_GROWSDOWN) {
		/* From the start of the stack VMA that start lies in. */
		if (vma->vm_start >= end)
			goto out;
		start = vma->vm_start;
		err = -EINVAL;
		if (!(vma->vm_flags & VM_GROWSDOWN))
			goto out;
	} else {
		if (vma->vm_start > start)
			goto out;
		err = -EINVAL;
		if (grows & PROT_GROWSUP)
			goto out; /* no VMA grows up on x86 */
	}
	/*
	 * Linux changes VMA after VMA until it meets a hole, and then fails
	 * with -ENOMEM, keeping the change it made before the hole: so do
	 * we, changing the run of VMAs that starts at start.
	 */
	stop = mapped_run_end(mm, start, end);
	err = split_at_edges(mm, start, stop);
	if (err)
		goto out;
	for (va = start; va < stop; va = vma->vm_end) {
		unsigned long keep;

		vma = find_vma(mm, va);
		keep = vma->vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC);
		/* Rights the VMA may never have (a read-only file's shared
		 * mapping: no VM_MAYWRITE): Linux's -EACCES. */
		if (vma->vm_file &&
		    (calc_vm_flags(prot, 0) & ~(vma->vm_flags >> 4) &
		     (VM_READ | VM_WRITE | VM_EXEC))) {
			err = -EACCES;
			goto out;
		}
		/* PROT_NONE dropped this POE region's marks: mark it again. */
		if ((vma->vm_flags & VM_POE) &&
		    (prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) &&
		    !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
			remark = true;
		vma->vm_flags = keep | (calc_vm_flags(prot, 0) &
					(VM_READ | VM_WRITE | VM_EXEC));
		/* PROT_NONE: pages stay, not present (_PAGE_PROTNONE) */
		change_protection(mm, vma->vm_start, vma->vm_end,
				  vm_get_page_prot(vma->vm_flags));
	}
	for (va = start; va < stop;) {
		vma = vma_merge(mm, find_vma(mm, va));
		va = vma->vm_end;
	}
	err = stop < end ? -ENOMEM : 0;
out:
	mmap_write_unlock(mm);
	if (remark)
		poe_prefault_start(mm, start, stop);
	return err;
}

/*
 * sys_mprotect - set the rights of [addr, addr + len) (len rounded up) to
 * prot, splitting VMAs at the edges and merging equal neighbours after.
 * PROT_SEM is accepted and means nothing; PROT_GROWSDOWN extends the
 * range down to the start of the stack VMA it starts in. Returns 0 (also
 * for len 0, whatever the other arguments but addr's alignment), or in
 * Linux's order: -EINVAL (both PROT_GROWSDOWN and PROT_GROWSUP; unaligned
 * addr), -ENOMEM (len rounds up past 2^64, the range wraps), -EINVAL
 * (unknown prot bits), -ENOMEM (addr is not mapped), -EINVAL
 * (PROT_GROWSDOWN on a VMA that does not grow down, PROT_GROWSUP),
 * -ENOMEM (a hole further on: the VMAs before it have changed, as on
 * Linux). Linux's do_mprotect_pkey().
 */
long sys_mprotect(unsigned long addr, unsigned long len, unsigned long prot)
{
	return do_mprotect(current->mm, addr, len, prot);
}

/*
 * MADV_POPULATE_READ / MADV_POPULATE_WRITE on [start, end) of vma: fault
 * every page in as a read (a private page not yet written maps the zero
 * page) or as a write (copy-on-write broken, every page allocated), the
 * rights checked as an access of that kind, not forced as mlock's are.
 * Returns 0, -EINVAL (the VMA does not allow the access: PROT_NONE, or
 * no PROT_WRITE for a write), -ENOMEM, -EFAULT, -EINTR (killed: the
 * populate is killable page by page, as MAP_POPULATE). Linux 6.1's
 * madvise_populate() and faultin_vma_page_range()'s check_vma_flags().
 */
static long madvise_populate(struct vm_area_struct *vma, unsigned long start,
			     unsigned long end, bool write)
{
	if (!(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
		return -EINVAL;
	return faultin_vma_page_range(vma, start, end, write);
}

/*
 * MADV_HUGEPAGE / MADV_NOHUGEPAGE on [s, e), inside one VMA: the VMA is
 * cut at the edges and its huge-page advice set (merged with equal
 * neighbours after). In a POE region that may now get huge pages, the
 * marks of its whole 2 MiB pieces go, and so do the PTE tables left
 * empty, so that their next fault finds an empty pmd and maps 2 MiB,
 * or the walker does from a pmd mark (*remark: the caller marks the
 * range again); in one that may no longer, its marks go the same way,
 * so that the 2 MiB pmd marks become 4 KiB ones. Returns 0 or -ENOMEM
 * (max_map_count). Linux's hugepage_madvise() through
 * madvise_update_vma().
 */
static long madvise_hugepage(struct mm_struct *mm, unsigned long s,
			     unsigned long e, int advice, bool *remark)
{
	struct vm_area_struct *vma;
	unsigned long hs = ALIGN_UP(s, HPAGE_PMD_SIZE);
	unsigned long he = ALIGN_DOWN(e, HPAGE_PMD_SIZE);
	int err = split_at_edges(mm, s, e);

	if (err)
		return err;
	vma = find_vma(mm, s);
	if (advice == MADV_HUGEPAGE)
		vma->vm_flags = (vma->vm_flags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
	else
		vma->vm_flags = (vma->vm_flags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
	if ((vma->vm_flags & VM_POE) && hugepage_vma_check(vma) && hs < he) {
		poe_unmark_range(mm, hs, he);
		poe_error_handling(mm);
		free_empty_pgtables(mm, hs, he);
		*remark = true;
	} else if ((vma->vm_flags & VM_POE) && hs < he &&
		   poe_unmark_range(mm, hs, he)) {
		/* No more 2 MiB here: its pmd marks go, 4 KiB ones come. */
		*remark = true;
	}
	vma_merge(mm, vma);
	return 0;
}

/*
 * sys_madvise - MADV_DONTNEED drops the pages of private anonymous memory
 * in the range (later reads see zeros) and leaves shared memory's data
 * alone, and refuses locked memory (-EINVAL); MADV_POPULATE_READ and
 * MADV_POPULATE_WRITE fault the pages in (madvise_populate()); MADV_NORMAL,
 * MADV_RANDOM, MADV_SEQUENTIAL and MADV_WILLNEED are
 * hints that change nothing here; MADV_HUGEPAGE and MADV_NOHUGEPAGE set
 * whether faults may map 2 MiB pages there (madvise_hugepage(),
 * include/mm/huge_mm.h), and -ENOMEM when a VMA cannot be cut. MADV_DONTNEED over a range registered
 * with a userfaultfd that asked for UFFD_FEATURE_EVENT_REMOVE first
 * sends a UFFD_EVENT_REMOVE message and waits, mmap_lock dropped, until
 * the monitor read it (userfaultfd_remove()), then looks the VMA up
 * again. Returns 0 (also for len 0), or in Linux's order: -EINVAL
 * (unknown advice, unaligned start, len rounding up past 2^64, a range
 * that wraps), -ENOMEM (part of the range is not mapped, also beyond
 * TASK_SIZE: the advice was applied to the mapped parts), or the first
 * VMA's error, which ends the walk: -EINVAL (MADV_DONTNEED on a
 * VM_LOCKED VMA, or on one locked while a REMOVE event was read; a
 * populate the rights refuse), -ENOMEM (the VMA went while a REMOVE
 * event was read; populate), -EFAULT, -EINTR (populate). Linux's
 * do_madvise().
 */
long sys_madvise(unsigned long start, unsigned long len_in, int advice)
{
	struct mm_struct *mm = current->mm;
	unsigned long end, len, va, next;
	struct vm_area_struct *vma;
	bool remark = false, fill = false, huge = false;
	long err = 0, e;

	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
		break;
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		fill = true;
		break;
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
		huge = true;
		break;
	default:
		return -EINVAL;
	}
	if (!IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	len = PAGE_ALIGN(len_in);
	/* A len_in within a page of 2^64 rounds up to 0: not "nothing". */
	if (len_in && !len)
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	/* Populating only faults, as the fault handler does under a read
	 * hold (Linux's madvise_need_mmap_write()); the rest changes page
	 * tables faults may be walking. */
	if (fill)
		mmap_read_lock(mm);
	else
		mmap_write_lock(mm);
	for (va = start; va < end; va = next) {
		vma = find_vma(mm, va);
		if (!vma || vma->vm_start >= end) {
			err = -ENOMEM;
			break;
		}
		if (vma->vm_start > va)
			err = -ENOMEM; /* a hole; Linux goes on */
		next = vma->vm_end;
		if (fill) {
			e = madvise_populate(vma, MAX(va, vma->vm_start),
					     MIN(end, vma->vm_end),
					     advice == MADV_POPULATE_WRITE);
			if (e) {
				err = e;
				break;
			}
			continue;
		}
		if (huge) {
			next = MIN(end, vma->vm_end);
			e = madvise_hugepage(mm, MAX(va, vma->vm_start), next,
					     advice, &remark);
			if (e) {
				err = e;
				break;
			}
			continue;
		}
		/* Locked pages stay: Linux's can_madv_lru_vma(). The VMAs
		 * before this one were done already, as in Linux. */
		if (advice == MADV_DONTNEED && (vma->vm_flags & VM_LOCKED)) {
			err = -EINVAL;
			break;
		}
		if (advice == MADV_DONTNEED && !(vma->vm_flags & VM_SHARED)) {
			unsigned long s = MAX(va, vma->vm_start);
			unsigned long e = MIN(end, vma->vm_end);

			if (!userfaultfd_remove(vma, s, e)) {
				/* mmap_lock was dropped while the monitor
				 * read the REMOVE event: look again, as
				 * Linux's madvise_dontneed_free(). */
				mmap_write_lock(mm);
				vma = find_vma(mm, s);
				if (!vma || s < vma->vm_start) {
					err = -ENOMEM; /* a hole came */
					break;
				}
				if (vma->vm_flags & VM_LOCKED) {
					err = -EINVAL;
					break;
				}
				e = MIN(e, vma->vm_end);
				next = e;
				if (vma->vm_flags & VM_SHARED)
					continue;
			}
			if (vma->vm_flags & VM_POE) {
				/* Closed to the walkers, then accounted,
				 * before pages go; marked again after. */
				poe_unmark_range(mm, s, e);
				poe_error_handling(mm);
				remark = true;
			}
			zap_page_range(mm, s, e);
		}
	}
	if (fill)
		mmap_read_unlock(mm);
	else
		mmap_write_unlock(mm);
	/* The region stays a POE region: fresh zeroed pages on next touch. */
	if (remark)
		poe_prefault_start(mm, start, end);
	return err;
}

/* Linux's default stack_guard_gap (bytes): 256 pages kept free below a
 * stack, which nothing else may take. */
#define BRK_STACK_GUARD_GAP (256UL * PAGE_SIZE)

/*
 * Linux's vm_start_gap(): where vma begins for a neighbour growing up
 * towards it, its guard gap included when it is a stack (VM_GROWSDOWN);
 * 0 when the gap would reach below address 0.
 */
static unsigned long brk_vm_start_gap(const struct vm_area_struct *vma)
{
	unsigned long start = vma->vm_start;

	if (vma->vm_flags & VM_GROWSDOWN)
		start = start > BRK_STACK_GUARD_GAP ?
				start - BRK_STACK_GUARD_GAP :
				0;
	return start;
}

long do_brk(struct mm_struct *mm, unsigned long brk)
{
	unsigned long oldbrk = 0, newbrk = 0;
	struct vm_area_struct *next;
	bool populate = false;
	LIST_HEAD(uf);
	long ret;

	if (!mm)
		return 0;
	mmap_write_lock(mm);
	if (brk < mm->start_brk)
		goto fail;
	oldbrk = PAGE_ALIGN(mm->brk);
	newbrk = PAGE_ALIGN(brk);
	if (newbrk == oldbrk)
		goto done;
	if (brk <= mm->brk) {
		/* Linux refuses to shrink a heap that is not there any more
		 * (unmapped by hand): nothing of [newbrk, oldbrk) mapped. */
		if (!find_vma_intersection(mm, newbrk, oldbrk) ||
		    __do_munmap(mm, newbrk, oldbrk, false, &uf))
			goto fail;
		goto done;
	}
	/*
	 * Growing, Linux's rules (SYSCALL_DEFINE1(brk) in 6.1): the new
	 * heap ends at or below TASK_SIZE_MAX (check_brk_limits(); newbrk
	 * below oldbrk means PAGE_ALIGN() wrapped), and leaves at least a
	 * page free below the next VMA, and the guard gap below a stack.
	 */
	if (newbrk > TASK_SIZE_MAX || newbrk < oldbrk)
		goto fail;
	next = find_vma(mm, oldbrk);
	if (next && newbrk + PAGE_SIZE > brk_vm_start_gap(next))
		goto fail;
	if (new_vma(mm, oldbrk, newbrk - oldbrk,
		    VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC |
			    mm->def_flags))
		goto fail;
	/* mlockall(MCL_FUTURE): the new heap is populated (sys_brk()). */
	populate = (mm->def_flags & VM_LOCKED_MASK) == VM_LOCKED;
done:
	mm->brk = brk;
	ret = (long)brk;
	mmap_write_unlock(mm);
	/* A shrink unmapped registered memory: Linux's brk(2) sends the
	 * UNMAP events too. */
	userfaultfd_unmap_complete(mm, &uf);
	if (populate)
		__mm_populate(mm, oldbrk, newbrk, true);
	return ret;
fail:
	ret = (long)mm->brk;
	mmap_write_unlock(mm);
	userfaultfd_unmap_complete(mm, &uf);
	return ret;
}

/*
 * sys_brk - set the end of the heap to brk (bytes). Below start_brk, or
 * when growing fails, the break stays. Growing fails beyond TASK_SIZE_MAX,
 * and unless a page stays free between the new break and the next
 * mapping (and Linux's stack_guard_gap, 1 MiB, below a stack); shrinking
 * fails when nothing is mapped between the new break and the old.
 * Returns the break in force afterwards -- Linux's raw brk semantics
 * (libc's brk() turns "unchanged" into -ENOMEM). Growing only extends the
 * heap VMA: pages arrive zeroed on first touch; shrinking unmaps, so
 * touching above the new break is a SIGSEGV. Linux 6.1's brk(2).
 */
long sys_brk(unsigned long brk)
{
	return do_brk(current->mm, brk);
}
