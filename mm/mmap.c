/*
 * mmap.c - mmap(2), munmap(2) and brk(2) for the current process, with
 * Linux's arguments and errors. This first version is eager: the pages of
 * a mapping are allocated, zeroed and mapped at once by map_user_pages()
 * (mm/user_mm.c), and the page tables themselves are the only record of
 * what is mapped. The mm issue replaces this file's insides with VMAs
 * (mm/vma.c) and demand paging; the system-call contracts stay.
 *
 * Only anonymous memory exists (there are no files yet). MAP_SHARED |
 * MAP_ANONYMOUS is accepted and behaves like MAP_PRIVATE until fork()
 * learns to share pages: a child gets a copy, not the same memory.
 */
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <mm/mman.h>
#include <mm/mm_types.h>
#include <mm/page.h>
#include <mm/user_mm.h>

#define PAGE_ALIGN(x)	ALIGN_UP(x, PAGE_SIZE)

/*
 * highest_mapped - the highest page address in [start, end) that mm maps,
 * or 0 when the whole range is free. Probes the page tables page by page
 * from the top (eager mappings only: the mm issue asks the VMA tree).
 */
static unsigned long highest_mapped(struct mm_struct *mm, unsigned long start,
				    unsigned long end)
{
	for (unsigned long va = end; va > start;) {
		va -= PAGE_SIZE;
		if (user_page_phys(mm, va))
			return va;
	}
	return 0;
}

static bool range_free(struct mm_struct *mm, unsigned long start,
		       unsigned long len)
{
	return highest_mapped(mm, start, start + len) == 0;
}

/*
 * get_unmapped_area - a free, page-aligned range of len bytes: the hint
 * addr when it is free and inside user space, else the highest free range
 * below mm->mmap_base (top-down, as Linux's default layout) and above the
 * heap. Returns the address or -ENOMEM. Mirrors Linux's
 * get_unmapped_area() without MAP_FIXED.
 */
static long get_unmapped_area(struct mm_struct *mm, unsigned long addr,
			      unsigned long len)
{
	unsigned long floor = MAX(PAGE_ALIGN(mm->brk), PAGE_SIZE);
	unsigned long end = mm->mmap_base;

	addr = PAGE_ALIGN(addr);
	if (addr >= PAGE_SIZE && addr < USER_TOP && len <= USER_TOP - addr &&
	    range_free(mm, addr, len))
		return (long)addr;

	while (end >= floor && end - floor >= len) {
		unsigned long hit = highest_mapped(mm, end - len, end);

		if (!hit)
			return (long)(end - len);
		end = hit;	/* try again just below the mapped page */
	}
	return -ENOMEM;
}

/*
 * sys_mmap - map len bytes of zeroed anonymous memory (rounded up to
 * pages) with rights prot (PROT_*). flags: exactly one of MAP_SHARED /
 * MAP_PRIVATE, MAP_ANONYMOUS (required: fd-backed mappings return -EBADF,
 * there are no files), MAP_FIXED (addr must be page aligned; whatever is
 * mapped there is replaced). Without MAP_FIXED a free, non-zero addr is
 * used as given (rounded up to a page), otherwise the kernel picks one
 * below mm->mmap_base. Returns the address, or -EINVAL (len 0, bad flags
 * or prot, unaligned fixed address or offset), -ENOMEM (no room, out of
 * memory, or a fixed range outside user space), -EPERM (fixed mapping of
 * page 0). fd is ignored (anonymous only). Mirrors Linux's
 * ksys_mmap_pgoff() for anonymous memory.
 */
long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
	      unsigned long flags, unsigned long fd, unsigned long off)
{
	(void)fd;
	return do_mmap(current->mm, addr, len, prot, flags, off);
}

/* do_mmap - sys_mmap() on any mm (include/mm/mman.h). */
long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
	     unsigned long prot, unsigned long flags, unsigned long off)
{
	unsigned long type = flags & MAP_TYPE;
	long ret;

	if (!mm)
		return -EINVAL;
	if (!len)
		return -EINVAL;
	if (type != MAP_SHARED && type != MAP_PRIVATE)
		return -EINVAL;
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if (!IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return -EBADF;
	if (len > USER_TOP)
		return -ENOMEM;
	len = PAGE_ALIGN(len);

	if (flags & MAP_FIXED) {
		if (!IS_ALIGNED(addr, PAGE_SIZE))
			return -EINVAL;
		if (addr < PAGE_SIZE)
			return -EPERM;
		if (addr >= USER_TOP || len > USER_TOP - addr)
			return -ENOMEM;
		/* Replace what is there; retry if a thread maps in between. */
		for (int tries = 0; tries < 4; tries++) {
			unmap_user_pages(mm, addr, len);
			ret = map_user_pages(mm, addr, len, (int)prot);
			if (ret != -EEXIST)
				return ret ? ret : (long)addr;
		}
		return -ENOMEM;
	}

	for (int tries = 0; tries < 4; tries++) {
		long where = get_unmapped_area(mm, addr, len);

		if (where < 0)
			return where;
		ret = map_user_pages(mm, (unsigned long)where, len, (int)prot);
		if (ret != -EEXIST)	/* -EEXIST: a thread got there first */
			return ret ? ret : where;
	}
	return -ENOMEM;
}

/*
 * sys_munmap - unmap and free the pages of [addr, addr + len) (len rounded
 * up to pages). Holes and never-mapped ranges are fine; part of a mapping
 * may be unmapped. Returns 0, or -EINVAL (unaligned addr, len 0, range
 * outside user space). Mirrors Linux's __vm_munmap().
 */
long sys_munmap(unsigned long addr, unsigned long len)
{
	return do_munmap(current->mm, addr, len);
}

/* do_munmap - sys_munmap() on any mm (include/mm/mman.h). */
long do_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	if (!mm || !len || !IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	if (addr >= USER_TOP || len > USER_TOP - addr)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (addr < PAGE_SIZE) {		/* page 0 is never mapped */
		if (len == PAGE_SIZE)
			return 0;
		addr += PAGE_SIZE;
		len -= PAGE_SIZE;
	}
	return unmap_user_pages(mm, addr, len);
}

/*
 * sys_brk - set the end of the heap (bytes). brk below mm->start_brk (0
 * included) only asks for the current break. Growing maps zeroed RW pages
 * up to the new break's page, shrinking unmaps whole pages above it. On
 * any failure (no memory, something mapped in the way) the break stays.
 * Returns the break in force afterwards: Linux's raw brk semantics
 * (libc's brk() turns "unchanged" into -ENOMEM). Mirrors Linux's sys_brk().
 */
long sys_brk(unsigned long brk)
{
	return do_brk(current->mm, brk);
}

/* do_brk - sys_brk() on any mm (include/mm/mman.h). */
long do_brk(struct mm_struct *mm, unsigned long brk)
{
	unsigned long oldbrk, newbrk;

	if (!mm)
		return 0;
	if (brk < mm->start_brk || brk > USER_TOP)
		return (long)mm->brk;
	oldbrk = PAGE_ALIGN(mm->brk);
	newbrk = PAGE_ALIGN(brk);
	if (newbrk < oldbrk) {
		unmap_user_pages(mm, newbrk, oldbrk - newbrk);
	} else if (newbrk > oldbrk) {
		if (map_user_pages(mm, oldbrk, newbrk - oldbrk,
				   PROT_READ | PROT_WRITE) < 0)
			return (long)mm->brk;
	}
	mm->brk = brk;
	return (long)brk;
}

/*
 * sys_mprotect - change the rights of the pages in [addr, addr + len)
 * (len rounded up to pages) to prot. Returns 0; -EINVAL for an unaligned
 * addr or unknown prot bits; -ENOMEM when part of the range is not mapped
 * (nothing changes then). Linux's mprotect(2); with every page present in
 * this first mm it only rewrites PTEs (mm/user_mm.c).
 */
long sys_mprotect(unsigned long addr, unsigned long len, unsigned long prot)
{
	if (!IS_ALIGNED(addr, PAGE_SIZE) || (prot & ~(unsigned long)(PROT_READ |
					      PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (len > USER_TOP)
		return -ENOMEM;
	len = PAGE_ALIGN(len);
	if (!len)
		return 0;
	if (addr + len > USER_TOP || addr + len < addr)
		return -ENOMEM;
	return protect_user_pages(current->mm, addr, len, (int)prot);
}
