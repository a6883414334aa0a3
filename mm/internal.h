/*
 * internal.h - what the files of the mmap family share and nothing else
 * may call (Linux's mm/internal.h): the VMA surgery and the populate
 * loop of mm/mmap.c, used by mm/mremap.c, mm/mlock.c and madvise.
 * Every function here expects mmap_lock held as it says.
 */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <kernel/types.h>

struct mm_struct;
struct vm_area_struct;

/*
 * split_at_edges - cut VMAs so that none straddles start or end (page
 * aligned bytes); afterwards every VMA touching [start, end) lies inside
 * it. mmap_lock held for writing. Returns 0, or -ENOMEM when a split
 * would pass max_map_count (what was split stays split). Ours; Linux
 * splits inside each caller (mlock_fixup(), mprotect_fixup()).
 */
int split_at_edges(struct mm_struct *mm, unsigned long start,
		   unsigned long end);

/*
 * gap_around - the free gap [*floor, *ceiling) that contains start once
 * the VMAs of a range beginning there are gone: the end of the VMA below
 * (0 if none) and the start of the one above (0 if none: the top). Page
 * tables whose whole span lies inside it serve no VMA (unmap_region()).
 * mmap_lock held. Linux passes prev and next to unmap_region().
 */
void gap_around(struct mm_struct *mm, unsigned long start, unsigned long *floor,
		unsigned long *ceiling);

/*
 * __do_munmap - unmap [start, end) (page aligned, inside user space):
 * split, POE error handling, VMAs removed, pages and empty tables freed.
 * mmap_lock held for writing; with downgrade it is turned into a read
 * hold before the pages go. uf: NULL, or the caller's list for the
 * UFFD_EVENT_UNMAP messages (userfaultfd_unmap_prep()), to send with
 * userfaultfd_unmap_complete() after mmap_lock is dropped. Returns 0, 1
 * when it downgraded (the caller drops a read hold), or -ENOMEM from
 * splitting or the event list (nothing unmapped, the write hold kept).
 * Linux 5.x's __do_munmap().
 */
int __do_munmap(struct mm_struct *mm, unsigned long start, unsigned long end,
		bool downgrade, struct list_head *uf);

/*
 * new_vma - create the VMA [addr, addr + len) with vm_flags and merge it
 * with equal neighbours. The range must be free; mmap_lock held for
 * writing. Returns 0, -EINVAL/-ENOMEM as insert_vm_struct().
 */
int new_vma(struct mm_struct *mm, unsigned long addr, unsigned long len,
	    unsigned long vm_flags);

/*
 * new_vma_from - new_vma(), the new VMA mapping what src maps at
 * src_addr: for a file VMA the same file (a reference taken) at the
 * page offset of src_addr, and its vm_ops (mremap's move). src NULL:
 * anonymous, as new_vma().
 */
int new_vma_from(struct mm_struct *mm, unsigned long addr, unsigned long len,
		 unsigned long vm_flags, struct vm_area_struct *src,
		 unsigned long src_addr);

/*
 * faultin_vma_page_range - fault every page of [start, end) (page
 * aligned, inside vma) in now, as a write when write is true, else as a
 * read (a private page not yet written gets the shared zero page).
 * mmap_lock held (either mode). Returns 0, -ENOMEM (no memory),
 * -EFAULT (the fault failed otherwise), -EINTR (a fatal signal came:
 * checked before every page, so a populate of any size is killable).
 * The rights are the caller's to check first. Linux's
 * faultin_vma_page_range() and populate_vma_page_range(), which both go
 * through __get_user_pages().
 */
int faultin_vma_page_range(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end, bool write);

/*
 * populate_vma_page_range - what mlock(2) and MAP_LOCKED populate in
 * [start, end) of vma: nothing for VM_LOCKONFAULT; a write fault per
 * page of a private writable VMA (so that copy-on-write is broken now),
 * a read fault otherwise. mmap_lock held. Returns as
 * faultin_vma_page_range(), and -EFAULT at once for PROT_NONE. Linux's
 * (mm/gup.c).
 */
int populate_vma_page_range(struct vm_area_struct *vma, unsigned long start,
			    unsigned long end);

/*
 * __mm_populate - populate_vma_page_range() over every VMA that meets
 * [start, end), taking mmap_lock for reading. With ignore_errors, a VMA
 * that fails is passed over (mlockall); without, the first error is
 * returned. Returns 0 or as faultin_vma_page_range(). Linux's (mm/gup.c).
 */
int __mm_populate(struct mm_struct *mm, unsigned long start, unsigned long end,
		  bool ignore_errors);

#endif
