/*
 * userfaultfd.c - the page fills of userfaultfd's ioctls (UFFDIO_COPY,
 * UFFDIO_ZEROPAGE), as Linux's mm/userfaultfd.c: a page of the monitor's
 * (or the zero page) goes into a missing PTE of a registered range,
 * atomically against the faulting threads and the POE walker. The file
 * descriptor, its messages and the fault's sleep are fs/userfaultfd.c;
 * docs/userfaultfd.md has the whole.
 *
 * Locking as the fault path's (mm/fault.c): mmap_lock for reading, the
 * page filled with no lock held, then the PTE table's lock to check the
 * PTE is still missing and set it. A missing PTE is none or a POE mark;
 * registering clears a range's marks and nothing marks it again, but a
 * mark is still taken under its lock bit (poe_pte_lock()) the way the
 * full handler takes one, so that the walker and a fill never both map
 * a page.
 */
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/uaccess.h>
#include <kernel/userfaultfd.h>
#include <mm/mman.h>
#include <mm/mm_types.h>
#include <mm/mmap_lock.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/poe.h>
#include <mm/vma.h>

/*
 * The registered VMA holding all of [dst, dst + len), or NULL. Linux's
 * find_dst_vma(): any userfaultfd's registration will do.
 */
static struct vm_area_struct *find_dst_vma(struct mm_struct *mm,
					   unsigned long dst, unsigned long len)
{
	struct vm_area_struct *vma = find_vma(mm, dst);

	if (!vma || vma->vm_start > dst || dst + len > vma->vm_end)
		return NULL;
	if (!vma->vm_userfaultfd_ctx)
		return NULL;
	return vma;
}

/*
 * Map page (a new page of ours, or NULL for the zero page) at addr of
 * vma, if the PTE is still missing. mmap_lock held for reading. 0,
 * -EEXIST (present, or the walker mapped the mark first) or -ENOMEM (a
 * table). Linux's mfill_atomic_install_pte().
 */
static int mfill_install(struct vm_area_struct *vma, unsigned long addr,
			 void *page)
{
	struct mm_struct *mm = vma->vm_mm;
	u64 prot = vm_get_page_prot(vma->vm_flags);
	unsigned long irqflags;
	spinlock_t *ptl;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte, orig;
	int err = 0;

	pud = pud_alloc(mm, pgd_offset(mm, addr), addr);
	pmd = pud ? pmd_alloc(mm, pud, addr) : NULL;
	if (!pmd || pte_alloc(mm, pmd))
		return -ENOMEM;
	pte = pte_offset_map_lock(mm, pmd, addr, &ptl, &irqflags);
	orig = READ_ONCE(*pte);
	if (!pte_none(orig) && !pte_poeable(orig)) {
		err = -EEXIST;
	} else if (pte_poeable(orig) && !poe_pte_lock(pte)) {
		err = -EEXIST; /* the walker mapped it first */
	} else if (page) {
		set_pte(pte, pfn_pte(PFN_DOWN(__pa(page)),
				     prot | _PAGE_ACCESSED | _PAGE_DIRTY));
		mm->rss++;
	} else {
		/* The zero page, read-only: a write copies it (do_wp_page). */
		set_pte(pte, pfn_pte(zero_pfn, prot & ~_PAGE_RW));
	}
	/* Not present before: no TLB holds it, nothing to flush. */
	pte_unmap_unlock(pte, ptl, irqflags);
	return err;
}

long mfill_atomic(struct mm_struct *mm, unsigned long dst, unsigned long src,
		  unsigned long len, bool zeropage, atomic_t *mmap_changing)
{
	unsigned long done;
	long err = 0;

	for (done = 0; done < len; done += PAGE_SIZE) {
		struct vm_area_struct *vma;
		void *page = NULL;

		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		/* The range is checked before src is read: -ENOENT comes
		 * before -EFAULT, as in Linux. */
		mmap_read_lock(mm);
		err = !READ_ONCE(mm->users)	  ? -ESRCH :
		      !find_dst_vma(mm, dst, len) ? -ENOENT :
						    0;
		mmap_read_unlock(mm);
		if (err)
			break;
		if (!zeropage) {
			/* No lock held: src may fault, even into a range
			 * registered with this very userfaultfd. Not zeroed
			 * first: the copy writes every byte, or the page is
			 * freed unmapped (Linux's mcopy_atomic_pte() does
			 * not zero either; zeroing cost a third of the
			 * round trip). */
			struct page *pg = alloc_pages(0);

			if (!pg) {
				err = -ENOMEM;
				break;
			}
			page = page_address(pg);
			if (copy_from_user(page,
					   (const void __user *)(src + done),
					   PAGE_SIZE)) {
				free_page((unsigned long)page);
				err = -EFAULT;
				break;
			}
		}
		mmap_read_lock(mm);
		/* Looked up again: the lock was dropped for the copy. */
		vma = READ_ONCE(mm->users) ? find_dst_vma(mm, dst, len) : NULL;
		/* An event (REMOVE, UNMAP) began since the ioctl looked:
		 * the page might go right after we map it. mmap_lock
		 * orders us with the madvise or munmap that raised it. */
		if (mmap_changing && atomic_read(mmap_changing))
			err = -EAGAIN;
		else if (!vma)
			err = READ_ONCE(mm->users) ? -ENOENT : -ESRCH;
		else if (!vma_is_anonymous(vma) || (vma->vm_flags & VM_SHARED))
			err = -EINVAL;
		else
			err = mfill_install(vma, dst + done, page);
		mmap_read_unlock(mm);
		if (err) {
			if (page)
				free_page((unsigned long)page);
			break;
		}
	}
	return done ? (long)done : err;
}
