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
 * vma, if the PTE is still missing; write-protected for the monitor
 * (_PAGE_UFFD_WP, read-only whatever the VMA allows) with wp. mmap_lock
 * held for reading. 0,
 * -EEXIST (present, or the walker mapped the mark first) or -ENOMEM (a
 * table). Linux's mfill_atomic_install_pte().
 */
static int mfill_install(struct vm_area_struct *vma, unsigned long addr,
			 void *page, bool wp)
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
		pte_t new = pfn_pte(PFN_DOWN(__pa(page)),
				    prot | _PAGE_ACCESSED | _PAGE_DIRTY);

		set_pte(pte, wp ? pte_mkuffd_wp(new) : new);
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
		  unsigned long len, bool zeropage, bool wp,
		  atomic_t *mmap_changing)
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
		else if (!vma_is_anonymous(vma) ||
			 (vma->vm_flags & VM_SHARED) ||
			 (wp && !userfaultfd_wp(vma)))
			err = -EINVAL;
		else
			err = mfill_install(vma, dst + done, page, wp);
		mmap_read_unlock(mm);
		if (err) {
			if (page)
				free_page((unsigned long)page);
			break;
		}
	}
	return done ? (long)done : err;
}

/* What a write-protect walk does to each PTE: mark it, or release it. */
struct uffd_wp_walk {
	struct vm_area_struct *vma;
	bool enable_wp;
	bool give_write; /* releasing: the write right back where it may */
};

/* walk_page_range() callback, under the PTE table's lock. Missing
 * pages are left alone (a registered range holds no POE marks). */
static int uffd_wp_pte(pte_t *pte, unsigned long addr, unsigned long next,
		       struct mm_walk *walk)
{
	struct uffd_wp_walk *w = walk->private;
	pte_t old = READ_ONCE(*pte), new;
	pfn_t pfn;

	(void)addr;
	(void)next;
	if (!pte_present(old))
		return 0;
	if (w->enable_wp) {
		new = pte_mkuffd_wp(old);
	} else {
		new = pte_clear_uffd_wp(old);
		pfn = pte_pfn(new);
		/* A page only this mapping holds may be written at once
		 * (Linux's can_change_pte_writable()); a shared or zero page
		 * is copied on the next write, and PROT_NONE stays so. */
		if (w->give_write && pte_uffd_wp(old) &&
		    (pte_flags(old) & _PAGE_PRESENT) &&
		    (w->vma->vm_flags & VM_WRITE) && !is_zero_pfn(pfn) &&
		    READ_ONCE(pfn_to_page(pfn)->refcount) == 1)
			new |= _PAGE_RW;
	}
	if (new != old)
		set_pte(pte, new);
	return 0;
}

static void uffd_wp_range(struct vm_area_struct *vma, unsigned long start,
			  unsigned long end, bool enable_wp, bool give_write)
{
	static const struct mm_walk_ops ops = { .pte_entry = uffd_wp_pte };
	struct uffd_wp_walk w = { vma, enable_wp, give_write };

	walk_page_range(vma->vm_mm, start, end, &ops, &w);
	/* Every PTE lock dropped: interrupts are on for the IPIs. A
	 * release only adds rights: a stale read-only TLB entry just
	 * faults once more. Flushed anyway, for the clearing's sake. */
	flush_tlb_mm_range(vma->vm_mm, start, end);
}

int mwriteprotect_range(struct mm_struct *mm, unsigned long start,
			unsigned long len, bool enable_wp,
			atomic_t *mmap_changing)
{
	struct vm_area_struct *vma;
	int err = 0;

	mmap_read_lock(mm);
	if (!READ_ONCE(mm->users))
		err = -ESRCH;
	else if (mmap_changing && atomic_read(mmap_changing))
		err = -EAGAIN;
	else if (!(vma = find_dst_vma(mm, start, len)) || !userfaultfd_wp(vma))
		err = -ENOENT;
	else
		uffd_wp_range(vma, start, start + len, enable_wp, true);
	mmap_read_unlock(mm);
	return err;
}

void uffd_wp_clear_vma(struct vm_area_struct *vma)
{
	uffd_wp_range(vma, vma->vm_start, vma->vm_end, false, false);
}
