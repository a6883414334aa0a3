/*
 * mremap.c - mremap(2): shrink, grow or move a mapping, with Linux 6.1's
 * semantics and errno order (Linux's mm/mremap.c). A move carries the
 * page-table entries, not the pages: each present PTE is taken from its
 * old slot and put in the new one (move_page_tables()), so the pages,
 * their contents, their reference counts and the mm's rss stay as they
 * are, and a page shared copy-on-write with a fork child stays shared.
 * The VMA moves with its flags (VM_SHARED, VM_LOCKED, VM_POE, ...).
 *
 * POE (include/mm/poe.h, docs/poe.md): a POE mark (a not-present PTE
 * the pre-fault thread made POEable) names the address it was made for,
 * with the rights and TGID the walker will map with. A mark is never
 * moved. Before the PTEs of a VM_POE range move, the range is closed to
 * the walkers and error handling accounts every page a walker mapped
 * there (poe_unmark_range(), poe_error_handling(): what munmap does
 * first, claim 11), so no pre-fault mark is left at the old address and
 * no post-fault entry names it. Once mmap_lock is dropped the region is
 * pre-faulted again where it now lies (poe_prefault_start(), claim 2),
 * and, with MREMAP_DONTUNMAP, also at the old range, which stays a
 * VM_POE region with nothing mapped.
 */
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <kernel/userfaultfd.h>
#include <mm/mman.h>
#include <mm/mmap_lock.h>
#include <mm/mm_types.h>
#include <mm/page.h>
#include <mm/huge_mm.h>
#include <mm/pgtable.h>
#include <mm/poe.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include "internal.h"

#define PAGE_ALIGN(x) ALIGN_UP((unsigned long)(x), PAGE_SIZE)

/* ---- move_page_tables ---- */

/* The pmd entry of addr if a PTE table hangs there, else NULL. Linux's
 * get_old_pmd(). */
static pmd_t *get_old_pmd(struct mm_struct *mm, unsigned long addr)
{
	pmd_t *pmd = mm_find_pmd(mm, addr);

	if (!pmd || pmd_none(*pmd))
		return NULL;
	return pmd;
}

/* The pmd entry of addr with a PTE table under it, building what is
 * missing; NULL when out of memory. Linux's alloc_new_pmd() and the
 * pte_alloc() of move_ptes()'s caller. */
static pmd_t *alloc_new_pmd(struct mm_struct *mm, unsigned long addr)
{
	pud_t *pud = pud_alloc(mm, pgd_offset(mm, addr), addr);
	pmd_t *pmd = pud ? pmd_alloc(mm, pud, addr) : NULL;

	if (!pmd || pte_alloc(mm, pmd))
		return NULL;
	return pmd;
}

/*
 * Move the entries of [old_addr, old_end), all under old_pmd, to the
 * slots from new_addr on, all under new_pmd: both PTE locks held (one if
 * it is the same table). Nesting two PTE locks of one mm is safe here:
 * mmap_lock is held for writing, so no other mremap runs, and everyone
 * else takes one PTE lock at a time. A mark left over is dropped, never
 * moved. The reverse mapping of a page follows it (page->rmap_va; Linux
 * needs nothing, its anon_vma keeps the offset in the VMA). Returns true
 * when anything moved. Linux's move_ptes().
 */
static bool move_ptes(struct mm_struct *mm, pmd_t *old_pmd,
		      unsigned long old_addr, unsigned long old_end,
		      pmd_t *new_pmd, unsigned long new_addr)
{
	spinlock_t *old_ptl = pte_lockptr(mm, old_pmd);
	spinlock_t *new_ptl = pte_lockptr(mm, new_pmd);
	unsigned long oflags, nflags = 0;
	pte_t *old_pte, *new_pte;
	bool moved = false;

	spin_lock_irqsave(old_ptl, oflags);
	if (new_ptl != old_ptl)
		spin_lock_irqsave(new_ptl, nflags);
	old_pte = pte_offset_kernel(old_pmd, old_addr);
	new_pte = pte_offset_kernel(new_pmd, new_addr);
	for (; old_addr < old_end; old_pte++, old_addr += PAGE_SIZE, new_pte++,
				   new_addr += PAGE_SIZE) {
		pte_t pte = *old_pte;

		if (pte_none(pte))
			continue;
		if (pte_poeable(pte)) {
			/* The caller unmarked the range; a walker that won
			 * mapped a page, which then moves. */
			if (poe_pte_lock(old_pte)) {
				pte_clear(mm, old_addr, old_pte);
				continue;
			}
			pte = READ_ONCE(*old_pte);
		}
		if (!pte_present(pte))
			continue;
		pte_clear(mm, old_addr, old_pte);
		if (!is_zero_pfn(pte_pfn(pte))) {
			struct page *page = pfn_to_page(pte_pfn(pte));

			if (page->rmap_mm == mm && page->rmap_va == old_addr)
				page->rmap_va = new_addr;
		}
		set_pte(new_pte, pte);
		moved = true;
	}
	if (new_ptl != old_ptl)
		spin_unlock_irqrestore(new_ptl, nflags);
	spin_unlock_irqrestore(old_ptl, oflags);
	return moved;
}

/*
 * move_page_tables - move the PTEs of [old_addr, old_addr + len) to
 * [new_addr, new_addr + len) (page aligned, not overlapping; the new
 * range has no present PTE), one piece per PTE table on either side:
 * a piece ends where the old or the new range crosses a 2 MiB boundary.
 * Old tables with nothing in them are skipped; new ones are built only
 * for those that exist. mmap_lock held for writing, no page-table lock,
 * interrupts on. Returns the bytes moved: len, or less when a table
 * could not be allocated (the caller moves them back). The old range's
 * TLB entries are flushed; its tables stay (munmap frees them). Linux's
 * move_page_tables() with move_huge_pmd() but without moving whole PTE
 * tables (Linux moves one only when it is aligned on both sides).
 */
unsigned long move_page_tables(struct mm_struct *mm, unsigned long old_addr,
			       unsigned long new_addr, unsigned long len)
{
	unsigned long old_start = old_addr, old_end = old_addr + len;
	unsigned long extent, next;
	bool moved = false;

	mmap_assert_write_locked(mm);
	for (; old_addr < old_end; old_addr += extent, new_addr += extent) {
		pmd_t *old_pmd, *new_pmd;

		extent = pmd_addr_end(old_addr, old_end) - old_addr;
		next = pmd_addr_end(new_addr, new_addr + extent) - new_addr;
		extent = MIN(extent, next);
		old_pmd = get_old_pmd(mm, old_addr);
		if (!old_pmd)
			continue;
		/* A 2 MiB page moves whole when all of it moves to a 2 MiB
		 * boundary; else it becomes 512 PTEs, which move below. */
		if (pmd_trans_huge(READ_ONCE(*old_pmd))) {
			if (extent == HPAGE_PMD_SIZE &&
			    move_huge_pmd(mm, old_pmd, new_addr)) {
				moved = true;
				continue;
			}
			split_huge_pmd(mm, old_pmd, old_addr);
		}
		new_pmd = alloc_new_pmd(mm, new_addr);
		if (!new_pmd)
			break;
		if (move_ptes(mm, old_pmd, old_addr, old_addr + extent, new_pmd,
			      new_addr))
			moved = true;
	}
	/* Every PTE lock dropped: the IPIs can go. Until this flush a
	 * thread on another CPU may still reach a moved page through the
	 * old address: the same page, so nothing is lost (Linux flushes
	 * under the lock only for its rmap walkers). */
	if (moved)
		flush_tlb_mm_range(mm, old_start, old_addr);
	return old_addr - old_start;
}

/* ---- mremap ---- */

/* What to do once mmap_lock is dropped: pre-fault the POE ranges, and
 * populate a VM_LOCKED mapping's new part (Linux's mm_populate() at the
 * end of mremap). */
struct mremap_after {
	unsigned long poe_start[2], poe_end[2];
	unsigned int nr_poe;
	unsigned long populate_start, populate_end;
	/* The UNMAP events of the unmaps (userfaultfd_unmap_prep()). */
	struct list_head uf;
	/* The moved VMA's userfaultfd, for a REMAP event, referenced. */
	struct userfaultfd_ctx *remap;
};

static void after_poe(struct mremap_after *after, unsigned long start,
		      unsigned long end)
{
	if (start < end && after->nr_poe < 2) {
		after->poe_start[after->nr_poe] = start;
		after->poe_end[after->nr_poe++] = end;
	}
}

/*
 * The VMA the old range lies in, checked for a resize from old_len to
 * new_len (bytes, page aligned); NULL with *err set otherwise. -EFAULT:
 * addr is not mapped, or the old range runs past its VMA; -EINVAL:
 * old_len 0 on a private mapping (Linux refuses to "duplicate" one),
 * MREMAP_DONTUNMAP on a shared mapping (Linux 5.7's rule: private
 * anonymous memory only; 5.13 let shared memory in, whose pages here
 * would not stay shared with the old range). Linux's vma_to_resize(),
 * whose limit checks (RLIMIT_MEMLOCK, RLIMIT_AS) have no limit here.
 */
static struct vm_area_struct *vma_to_resize(struct mm_struct *mm,
					    unsigned long addr,
					    unsigned long old_len,
					    unsigned long flags, long *err)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	*err = -EFAULT;
	if (!vma || vma->vm_start > addr)
		return NULL;
	*err = -EINVAL;
	if (!old_len && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE)))
		return NULL;
	if ((flags & MREMAP_DONTUNMAP) && (vma->vm_flags & VM_SHARED))
		return NULL;
	*err = -EFAULT;
	if (old_len > vma->vm_end - addr)
		return NULL;
	*err = 0;
	return vma;
}

/* Clear mask from the flags of the VMAs in [start, end), splitting at
 * the edges (best effort: a split past max_map_count leaves them). */
static void clear_range_flags(struct mm_struct *mm, unsigned long start,
			      unsigned long end, unsigned long mask)
{
	struct vm_area_struct *vma;

	if (split_at_edges(mm, start, end))
		return;
	for (unsigned long va = start; va < end; va = vma->vm_end) {
		vma = find_vma(mm, va);
		if (!vma || vma->vm_start >= end)
			break;
		vma->vm_flags &= ~mask;
	}
	for (unsigned long va = start; va < end; va = vma->vm_end) {
		vma = find_vma(mm, va);
		if (!vma || vma->vm_start >= end)
			break;
		vma = vma_merge(mm, vma);
	}
}

/*
 * Fault in the new tail [start, end) of a shared mapping now, as mmap
 * does for shared memory (mm/mmap.c): a fork must find every page of it
 * mapped. mmap_lock held for writing.
 */
static int populate_shared(struct mm_struct *mm, unsigned long start,
			   unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	/* A file's pages come from the file, fault by fault (past its end
	 * they are SIGBUS, as on Linux): nothing to populate. */
	if (vma->vm_file)
		return 0;
	return faultin_vma_page_range(vma, start, end, true);
}

/*
 * old_len 0 on a shared mapping: a second mapping [new_addr, new_addr +
 * new_len) (free) of the same pages, from addr on, the old one left as
 * it is. Linux maps the same shmem object at the same offset and lets
 * the faults find its pages; here shared memory is its PTEs (populated
 * at mmap), so they are copied, each page one reference more, as fork
 * copies a shared mapping (copy_pte_range()). Past the end of addr's
 * VMA, where Linux has the object's further pages or SIGBUS, the new
 * mapping gets fresh pages. Returns new_addr or -ENOMEM (nothing
 * changed). Linux's "duplicate shm area" case of move_vma().
 */
static long dup_shared(struct mm_struct *mm, struct vm_area_struct *vma,
		       unsigned long addr, unsigned long new_len,
		       unsigned long new_addr)
{
	unsigned long vm_flags = vma->vm_flags, off, flags, nflags = 0;
	unsigned long copy = MIN(new_len, vma->vm_end - addr);

	if (new_vma_from(mm, new_addr, new_len, vm_flags, vma, addr))
		return -ENOMEM;
	for (off = 0; off < copy; off += PAGE_SIZE) {
		pmd_t *old_pmd = get_old_pmd(mm, addr + off), *new_pmd;
		spinlock_t *old_ptl, *new_ptl;
		pte_t pte;

		if (!old_pmd)
			continue;
		new_pmd = alloc_new_pmd(mm, new_addr + off);
		if (!new_pmd)
			goto nomem;
		old_ptl = pte_lockptr(mm, old_pmd);
		new_ptl = pte_lockptr(mm, new_pmd);
		spin_lock_irqsave(old_ptl, flags);
		if (new_ptl != old_ptl)
			spin_lock_irqsave(new_ptl, nflags);
		pte = *pte_offset_kernel(old_pmd, addr + off);
		if (pte_present(pte)) {
			if (!is_zero_pfn(pte_pfn(pte))) {
				get_page(pfn_to_page(pte_pfn(pte)));
				mm->rss++;
			}
			set_pte(pte_offset_kernel(new_pmd, new_addr + off),
				pte);
		}
		if (new_ptl != old_ptl)
			spin_unlock_irqrestore(new_ptl, nflags);
		spin_unlock_irqrestore(old_ptl, flags);
	}
	if (copy < new_len &&
	    populate_shared(mm, new_addr + copy, new_addr + new_len))
		goto nomem;
	return (long)new_addr;
nomem:
	__do_munmap(mm, new_addr, new_addr + new_len, false, NULL);
	return -ENOMEM;
}

/*
 * Move [old_addr, old_addr + old_len) of vma (with vm_flags) to a new
 * VMA [new_addr, new_addr + new_len) (free), then unmap the old range,
 * or with MREMAP_DONTUNMAP leave it mapped and empty, without VM_LOCKED.
 * Returns new_addr or -ENOMEM (nothing changed). Linux's move_vma().
 */
static long move_vma(struct mm_struct *mm, struct vm_area_struct *vma,
		     unsigned long vm_flags, unsigned long old_addr,
		     unsigned long old_len, unsigned long new_len,
		     unsigned long new_addr, unsigned long flags,
		     struct mremap_after *after)
{
	unsigned long old_end = old_addr + old_len, moved;
	/* Read now: vma may merge or go below. */
	struct userfaultfd_ctx *uctx = vma->vm_userfaultfd_ctx;
	bool poe = vm_flags & VM_POE;

	/* Leave room for the splits of the unmap after (Linux's). */
	if (mm->map_count >= max_map_count - 3)
		return -ENOMEM;
	/* A file VMA's new home maps the same file offset (vm_pgoff). */
	if (new_vma_from(mm, new_addr, new_len, vm_flags, vma, old_addr))
		return -ENOMEM;
	if (poe) {
		/* Closed to the walkers and accounted before a PTE moves;
		 * marked again wherever the region is after. */
		poe_unmark_range(mm, old_addr, old_end);
		poe_error_handling(mm);
		after_poe(after, new_addr, new_addr + new_len);
	}
	moved = move_page_tables(mm, old_addr, new_addr, old_len);
	if (moved == old_len && (vm_flags & VM_SHARED) && new_len > old_len &&
	    populate_shared(mm, new_addr + old_len, new_addr + new_len))
		moved = old_len + 1; /* undo, as for a missing table */
	if (moved != old_len) {
		/* Back to where they were: the old tables are all still
		 * there, so this cannot fail; then the new VMA goes. */
		move_page_tables(mm, new_addr, old_addr, MIN(moved, old_len));
		__do_munmap(mm, new_addr, new_addr + new_len, false, NULL);
		if (poe)
			after->poe_start[0] = old_addr,
			after->poe_end[0] = old_end;
		return -ENOMEM;
	}
	/* The new VMA was made unregistered: with UFFD_FEATURE_EVENT_REMAP
	 * the registration moves along (the old range keeps its own until
	 * the unmap below; with MREMAP_DONTUNMAP for good, as Linux's). */
	after->remap = mremap_userfaultfd_prep(mm, uctx, vm_flags, new_addr,
					       new_addr + new_len);
	if (flags & MREMAP_DONTUNMAP) {
		/* Linux clears VM_LOCKED[ONFAULT] of the old VMA; later faults
		 * there get zeroed pages (or marks: it stays VM_POE). */
		clear_range_flags(mm, old_addr, old_end, VM_LOCKED_MASK);
		if (poe)
			after_poe(after, old_addr, old_end);
	} else {
		/* A failed split leaves the old range mapped, as Linux's
		 * "OOM: unable to split vma". */
		__do_munmap(mm, old_addr, old_end, false, &after->uf);
	}
	if ((vm_flags & VM_LOCKED) && new_len > old_len) {
		after->populate_start = new_addr + old_len;
		after->populate_end = new_addr + new_len;
	}
	return (long)new_addr;
}

/* Can vma grow in place by delta bytes: free above it, below TASK_SIZE?
 * Linux's vma_expandable(). */
static bool vma_expandable(struct mm_struct *mm, struct vm_area_struct *vma,
			   unsigned long delta)
{
	unsigned long end = vma->vm_end + delta;

	if (end < vma->vm_end || end > TASK_SIZE)
		return false;
	return !find_vma_intersection(mm, vma->vm_end, end);
}

/* MREMAP_FIXED or MREMAP_DONTUNMAP: Linux's mremap_to(). */
static long mremap_to(struct mm_struct *mm, unsigned long addr,
		      unsigned long old_len, unsigned long new_addr,
		      unsigned long new_len, unsigned long flags,
		      struct mremap_after *after)
{
	struct vm_area_struct *vma;
	long err;

	if (!IS_ALIGNED(new_addr, PAGE_SIZE))
		return -EINVAL;
	if (new_len > TASK_SIZE || new_addr > TASK_SIZE - new_len)
		return -EINVAL;
	/* The old and new ranges must not overlap. */
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -EINVAL;
	/* Both ranges may split in three: stay clear of the limit first,
	 * so that no unmap below is done in vain (Linux's). */
	if (mm->map_count + 2 >= max_map_count - 3)
		return -ENOMEM;
	if (flags & MREMAP_FIXED) {
		err = __do_munmap(mm, new_addr, new_addr + new_len, false,
				  &after->uf);
		if (err)
			return err;
	}
	if (old_len > new_len) {
		if (addr + old_len > TASK_SIZE || addr + old_len < addr)
			return -EINVAL; /* do_munmap()'s check */
		err = __do_munmap(mm, addr + new_len, addr + old_len, false,
				  &after->uf);
		if (err)
			return err;
		old_len = new_len;
	}
	vma = vma_to_resize(mm, addr, old_len, flags, &err);
	if (!vma)
		return err;
	if (flags & MREMAP_FIXED) {
		/* get_unmapped_area(MAP_FIXED)'s security_mmap_addr() */
		if (new_addr < MMAP_MIN_ADDR)
			return -EPERM;
	} else {
		/* MREMAP_DONTUNMAP alone: new_addr is a hint */
		err = get_unmapped_area(mm, new_addr, new_len);
		if (err < 0)
			return err;
		new_addr = (unsigned long)err;
	}
	if (!old_len)
		return dup_shared(mm, vma, addr, new_len, new_addr);
	return move_vma(mm, vma, vma->vm_flags, addr, old_len, new_len,
			new_addr, flags, after);
}

/* Grow vma (which ends at addr + old_len) in place to addr + new_len. */
static long grow_in_place(struct mm_struct *mm, struct vm_area_struct *vma,
			  unsigned long addr, unsigned long old_len,
			  unsigned long new_len, struct mremap_after *after)
{
	unsigned long vm_flags = vma->vm_flags;
	unsigned long start = addr + old_len, end = addr + new_len;

	vma->vm_end = end; /* the tree's key, vm_start, stays */
	if ((vm_flags & VM_SHARED) && populate_shared(mm, start, end)) {
		__do_munmap(mm, start, end, false, NULL);
		return -ENOMEM;
	}
	vma_merge(mm, vma);
	if (vm_flags & VM_POE)
		after_poe(after, start, end);
	if (vm_flags & VM_LOCKED) {
		after->populate_start = start;
		after->populate_end = end;
	}
	return (long)addr;
}

long do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
	       unsigned long new_len, unsigned long flags,
	       unsigned long new_addr)
{
	struct mremap_after after = { .nr_poe = 0, .remap = NULL };
	struct vm_area_struct *vma;
	long ret;

	INIT_LIST_HEAD(&after.uf);

	/* SYSCALL_DEFINE5(mremap)'s checks, in its order. */
	if (flags &
	    ~(unsigned long)(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	/* MREMAP_DONTUNMAP is always a move, and never a resize. */
	if ((flags & MREMAP_DONTUNMAP) &&
	    (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (!IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	/* A length within a page of 2^64 rounds up to 0, as Linux's. */
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len)
		return -EINVAL;

	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr) {
		ret = -EFAULT;
		goto out;
	}
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
		ret = mremap_to(mm, addr, old_len, new_addr, new_len, flags,
				&after);
		goto out;
	}
	/* Shrinking always works: it unmaps the tail, whatever is there
	 * (the range need not lie in one VMA: Linux does not look). */
	if (old_len >= new_len) {
		if (old_len > new_len) {
			ret = -EINVAL; /* do_munmap()'s range check */
			if (addr + old_len > TASK_SIZE || addr + old_len < addr)
				goto out;
			ret = __do_munmap(mm, addr + new_len, addr + old_len,
					  false, &after.uf);
			if (ret)
				goto out;
		}
		ret = (long)addr;
		goto out;
	}
	/* Growing. */
	vma = vma_to_resize(mm, addr, old_len, flags, &ret);
	if (!vma)
		goto out;
	if (old_len == vma->vm_end - addr &&
	    vma_expandable(mm, vma, new_len - old_len)) {
		ret = grow_in_place(mm, vma, addr, old_len, new_len, &after);
		goto out;
	}
	ret = -ENOMEM;
	if (flags & MREMAP_MAYMOVE) {
		/* As mmap places private anonymous memory (2 MiB-aligned
		 * for a multiple of 2 MiB). */
		ret = !vma->vm_file && !(vma->vm_flags & VM_SHARED) ?
			      thp_get_unmapped_area(mm, 0, new_len) :
			      get_unmapped_area(mm, 0, new_len);
		if (ret < 0)
			goto out;
		if (!old_len) {
			ret = dup_shared(mm, vma, addr, new_len,
					 (unsigned long)ret);
			goto out;
		}
		ret = move_vma(mm, vma, vma->vm_flags, addr, old_len, new_len,
			       (unsigned long)ret, flags, &after);
	}
out:
	mmap_write_unlock(mm);
	/* A registered range moved: the REMAP event (from, to, len: Linux
	 * passes the old length). Linux sends a MREMAP_FIXED target's and a
	 * shrink's UNMAP before it; here all UNMAPs come after. */
	mremap_userfaultfd_complete(after.remap, addr, (unsigned long)ret,
				    old_len);
	/* Unmapped registered memory (a shrink, the old range of a move,
	 * a MREMAP_FIXED target): the UNMAP events, as Linux's mremap(). */
	userfaultfd_unmap_complete(mm, &after.uf);
	for (unsigned int i = 0; i < after.nr_poe; i++)
		poe_prefault_start(mm, after.poe_start[i], after.poe_end[i]);
	if (ret >= 0 && after.populate_start < after.populate_end)
		__mm_populate(mm, after.populate_start, after.populate_end,
			      true);
	return ret;
}

/*
 * sys_mremap - resize the mapping at addr from old_len to new_len bytes
 * (both rounded up to pages), moving it when flags allow:
 * shrinking unmaps the tail; growing extends it in place when the
 * pages above are free, else with MREMAP_MAYMOVE moves it to a free
 * range, else fails; MREMAP_FIXED (with MAYMOVE) moves it to new_addr,
 * unmapping what was there; MREMAP_DONTUNMAP (with MAYMOVE, old_len ==
 * new_len, private memory) moves it and leaves the old range mapped
 * with nothing in it (later reads there see zeros). A move takes the
 * page-table entries along (move_page_tables()), never copies a page.
 * Returns the new address or, in Linux 6.1's order: -EINVAL (unknown
 * flags; FIXED without MAYMOVE; DONTUNMAP without MAYMOVE or with a
 * resize; addr not page aligned; new_len 0), -EFAULT (addr not mapped),
 * with FIXED or DONTUNMAP: -EINVAL (new_addr not aligned, the new range
 * past TASK_SIZE or overlapping the old), -ENOMEM (near max_map_count),
 * then the target is unmapped (FIXED) and a shrinking old range's tail;
 * then -EFAULT (the old range is not all in one VMA), -EINVAL (old_len 0
 * on private memory, DONTUNMAP on shared memory), -EPERM (FIXED below
 * 64 KiB); -ENOMEM (cannot grow in place and may not move, no room, no
 * memory). old_len 0 on a shared mapping (with MAYMOVE) makes a second
 * mapping of the same pages and leaves the first (dup_shared()).
 * Linux's SYSCALL_DEFINE5(mremap).
 */
long sys_mremap(unsigned long addr, unsigned long old_len,
		unsigned long new_len, unsigned long flags,
		unsigned long new_addr)
{
	return do_mremap(current->mm, addr, old_len, new_len, flags, new_addr);
}
