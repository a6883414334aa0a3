/*
 * truncate.c - what truncate does to the mappings of a file: the list
 * of a file's VMAs (address_space->i_mmap, include/kernel/fs.h) and
 * unmap_mapping_range(), which takes the pages past a new end of file
 * out of every mapping of it, so that a later access there is SIGBUS,
 * as Linux's mm/truncate.c and mm/memory.c.
 *
 * Locking (docs/vfs.md, "mmap"): i_mmap_rwsem nests inside mmap_lock
 * (mmap, munmap, fork and split link and unlink VMAs holding their
 * mm's mmap_lock), so unmap_mapping_range() cannot hold it while it
 * takes an mm's mmap_lock to zap. It takes one mm off the list at a
 * time instead: under i_mmap_rwsem it pins the mm of the first VMA not
 * yet done (mmgrab()) and moves that mm's VMAs behind a marker, then
 * drops the rwsem and zaps the mm's mappings of the file under its
 * mmap_lock. Linux holds i_mmap_rwsem across its zaps, which take only
 * PTE locks (zap_page_range_single()); ours also free page tables, which
 * wants mmap_lock for writing.
 */
#include <kernel/fs.h>
#include <kernel/list.h>
#include <mm/mm_types.h>
#include <mm/mmap_lock.h>
#include <mm/page.h>
#include <mm/pgtable.h>
#include <mm/user_mm.h>
#include <mm/vma.h>

static struct address_space *vma_mapping(struct vm_area_struct *vma)
{
	return vma->vm_file->f_inode->i_mapping;
}

void vma_link_file(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma_mapping(vma);

	down_write(&mapping->i_mmap_rwsem);
	list_add_tail(&vma->shared, &mapping->i_mmap);
	up_write(&mapping->i_mmap_rwsem);
}

void vma_link_file_after(struct vm_area_struct *new, struct vm_area_struct *old)
{
	struct address_space *mapping = vma_mapping(new);

	down_write(&mapping->i_mmap_rwsem);
	list_add(&new->shared, &old->shared);
	up_write(&mapping->i_mmap_rwsem);
}

void unlink_file_vma(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma_mapping(vma);

	down_write(&mapping->i_mmap_rwsem);
	list_del_init(&vma->shared);
	up_write(&mapping->i_mmap_rwsem);
}

/*
 * Zap the pages of file pages [first, last] (page offsets, inclusive)
 * from every VMA of mm that maps mapping; mm pinned by the caller. The
 * private copies a write made in a MAP_PRIVATE mapping go too (Linux's
 * even_cows, which truncate asks for).
 */
static void unmap_mm_range(struct mm_struct *mm, struct address_space *mapping,
			   unsigned long first, unsigned long last)
{
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	if (!mm->users) { /* torn down already (mmput()) */
		mmap_write_unlock(mm);
		return;
	}
	for_each_vma(mm, vma) {
		unsigned long npages = (vma->vm_end - vma->vm_start) >>
				       PAGE_SHIFT;
		unsigned long lo, hi;

		if (!vma->vm_file || vma_mapping(vma) != mapping)
			continue;
		if (vma->vm_pgoff + npages <= first || vma->vm_pgoff > last)
			continue;
		lo = first > vma->vm_pgoff ? first - vma->vm_pgoff : 0;
		/* last may be ~0UL: compare before adding one */
		hi = last - vma->vm_pgoff < npages ? last - vma->vm_pgoff + 1 :
						     npages;
		zap_page_range(mm, vma->vm_start + (lo << PAGE_SHIFT),
			       vma->vm_start + (hi << PAGE_SHIFT));
	}
	mmap_write_unlock(mm);
}

void unmap_mapping_range(struct address_space *mapping, loff_t holebegin,
			 loff_t holelen)
{
	unsigned long first = (unsigned long)holebegin >> PAGE_SHIFT;
	unsigned long last = ~0UL;
	struct list_head marker, *pos, *n;
	struct vm_area_struct *vma;
	struct mm_struct *mm;

	if (holelen > 0)
		last = first +
		       (((unsigned long)holelen + PAGE_SIZE - 1) >>
			PAGE_SHIFT) -
		       1;
	down_write(&mapping->i_mmap_rwsem);
	if (list_empty(&mapping->i_mmap)) {
		up_write(&mapping->i_mmap_rwsem);
		return;
	}
	/* The VMAs before the marker are still to do; a VMA linked later
	 * goes behind it (mmap: it has no page yet, and its faults see the
	 * new i_size) or right after its original (a copy: done with it). */
	list_add_tail(&marker, &mapping->i_mmap);
	while (mapping->i_mmap.next != &marker) {
		mm = list_first_entry(&mapping->i_mmap, struct vm_area_struct,
				      shared)
			     ->vm_mm;
		mmgrab(mm);
		/* Every VMA of this mm is done by one pass over its VMAs. */
		for (pos = mapping->i_mmap.next; pos != &marker; pos = n) {
			n = pos->next;
			vma = list_entry(pos, struct vm_area_struct, shared);
			if (vma->vm_mm == mm) {
				list_del(pos);
				list_add_tail(pos, &mapping->i_mmap);
			}
		}
		up_write(&mapping->i_mmap_rwsem);
		unmap_mm_range(mm, mapping, first, last);
		mmdrop(mm);
		down_write(&mapping->i_mmap_rwsem);
	}
	list_del(&marker);
	up_write(&mapping->i_mmap_rwsem);
}

void truncate_pagecache(struct inode *inode, loff_t newsize)
{
	/* The page that holds the new end stays mapped: its bytes past
	 * the end read as zeros, as Linux keeps the partial page. */
	unmap_mapping_range(inode->i_mapping,
			    (loff_t)ALIGN_UP((u64)newsize, (u64)PAGE_SIZE), 0);
}
