/*
 * mincore.c - mincore(2): which pages of a range are resident, with
 * Linux 6.1's semantics and errno order (Linux's mm/mincore.c). For the
 * anonymous memory this kernel has, a page is resident when its PTE
 * holds a frame: a present PTE (the zero page included, as Linux counts
 * it), a PROT_NONE one, or a page the POE walker mapped on the fast path
 * (a present PTE too, whether or not its post-fault work has run). A POE
 * mark is a promise, not a page: 0, as an empty PTE is.
 */
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <mm/mmap_lock.h>
#include <mm/mm_types.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/vma.h>

struct mincore_walk {
	unsigned long start; /* the address of vec[0] */
	unsigned char *vec;
};

/* walk_page_range() callback: 1 where a frame is mapped. Slots of tables
 * that do not exist are never visited: the caller zeroed vec. */
static int mincore_pte_entry(pte_t *pte, unsigned long addr, unsigned long next,
			     struct mm_walk *walk)
{
	struct mincore_walk *w = walk->private;

	(void)next;
	w->vec[(addr - w->start) >> PAGE_SHIFT] = pte_present(*pte) ? 1 : 0;
	return 0;
}

/* walk_page_range() callback: a huge pmd's pages are all resident (the
 * huge zero page too, as Linux counts it). */
static int mincore_pmd_entry(pmd_t *pmd, unsigned long addr, unsigned long next,
			     struct mm_walk *walk)
{
	struct mincore_walk *w = walk->private;

	(void)pmd;
	memset(w->vec + ((addr - w->start) >> PAGE_SHIFT), 1,
	       (next - addr) >> PAGE_SHIFT);
	return 0;
}

/*
 * Fill vec[0..pages) for the pages from addr, stopping at the end of the
 * VMA addr lies in. mmap_lock held for reading. Returns the pages done,
 * or -ENOMEM when addr is not mapped. Linux's do_mincore().
 */
static long do_mincore(struct mm_struct *mm, unsigned long addr,
		       unsigned long pages, unsigned char *vec)
{
	static const struct mm_walk_ops ops = { .pte_entry = mincore_pte_entry,
						.pmd_entry =
							mincore_pmd_entry };
	struct vm_area_struct *vma = find_vma(mm, addr);
	struct mincore_walk w = { .start = addr, .vec = vec };
	unsigned long end;

	if (!vma || vma->vm_start > addr)
		return -ENOMEM;
	end = MIN(vma->vm_end, addr + (pages << PAGE_SHIFT));
	memset(vec, 0, (end - addr) >> PAGE_SHIFT);
	walk_page_range(mm, addr, end, &ops, &w);
	return (long)((end - addr) >> PAGE_SHIFT);
}

/*
 * sys_mincore - for each page of [start, start + len) (len rounded up to
 * pages), one byte in vec: bit 0 set when the page is resident, the
 * other bits 0. At most a page of answers is gathered at a time, under
 * mmap_lock for reading, then copied out. Returns 0, or in Linux's
 * order: -EINVAL (start not page aligned), -ENOMEM (the range is not in
 * user space), -EFAULT (vec cannot hold the answer: outside user space),
 * -ENOMEM (a page of the range is not mapped: the bytes before it were
 * written), -EFAULT (vec is not writable there). Linux's
 * SYSCALL_DEFINE3(mincore).
 */
long sys_mincore(unsigned long start, size_t len, unsigned char __user *vec)
{
	struct mm_struct *mm = current->mm;
	unsigned long pages;
	unsigned char *tmp;
	long ret = 0;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!access_ok((const void __user *)start, len))
		return -ENOMEM;
	/* This also avoids any overflow of rounding len up. */
	pages = (len >> PAGE_SHIFT) + ((len & ~PAGE_MASK) != 0);
	if (!access_ok(vec, pages))
		return -EFAULT;
	tmp = (unsigned char *)get_zeroed_page();
	if (!tmp)
		return -EAGAIN;
	while (pages) {
		mmap_read_lock(mm);
		ret = do_mincore(mm, start, MIN(pages, PAGE_SIZE), tmp);
		mmap_read_unlock(mm);
		if (ret <= 0)
			break;
		if (copy_to_user(vec, tmp, (size_t)ret)) {
			ret = -EFAULT;
			break;
		}
		pages -= (unsigned long)ret;
		vec += ret;
		start += (unsigned long)ret << PAGE_SHIFT;
		ret = 0;
	}
	free_page((unsigned long)tmp);
	return ret;
}
