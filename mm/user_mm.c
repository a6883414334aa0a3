/*
 * user_mm.c - user address spaces (include/mm/user_mm.h): creating,
 * copying (fork), switching and destroying a struct mm_struct, and mapping
 * and unmapping 4 KiB user pages in its page tables. Every address space
 * shares the kernel half (PML4 entries 256..511) with init_pgd_phys
 * (mm/init.c); the user half (entries 0..255) and every table below it
 * belong to the mm alone, so mmput() can free them all.
 *
 * Pages of mmap, brk and stack growth arrive by demand paging
 * (mm/fault.c); exec maps the program and the initial stack at once with
 * map_user_pages(). fork shares private pages copy-on-write. mm->rss
 * counts mapped user pages (not the zero page), mm->nr_ptes every
 * page-table page of the mm including its PML4.
 */
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <mm/kmalloc.h>
#include <mm/mm_init.h>
#include <mm/mman.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <mm/user_mm.h>
#include <mm/pgtable.h>
#include <mm/poe.h>
#include <mm/fault.h>
#include <mm/vma.h>
#include <asm/cpu.h>
#include <asm/pgtable_bits.h>

#define USER_PGD_ENTRIES	256	/* PML4 entries 0..255: the user half */

/* A range of whole pages inside user space, page 0 excluded. */
static bool user_range_ok(unsigned long start, unsigned long len)
{
	return IS_ALIGNED(start, PAGE_SIZE) && IS_ALIGNED(len, PAGE_SIZE) &&
	       start >= PAGE_SIZE && start < USER_TOP &&
	       len <= USER_TOP - start;
}

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm));
	u64 *pgd;

	if (!mm)
		return NULL;
	pgd = get_zeroed_page();
	if (!pgd) {
		kfree(mm);
		return NULL;
	}
	memcpy(pgd + USER_PGD_ENTRIES,
	       (u64 *)__va(init_pgd_phys) + USER_PGD_ENTRIES,
	       (PTRS_PER_TABLE - USER_PGD_ENTRIES) * sizeof(u64));
	mm->pgd = __pa(pgd);
	mm->users = 1;
	mm->mm_count = 1;
	spin_lock_init(&mm->lock);
	mm->mmap_base = USER_MMAP_BASE;
	mm->nr_ptes = 1;
	vma_init_mm(mm);
	return mm;
}

/*
 * Copy one VMA's page-table entries from oldmm into mm (fork). Private
 * writable pages become read-only in both and gain a reference: the first
 * write copies (mm/fault.c do_wp_page). Shared pages are mapped in both as
 * they are. Linux's copy_page_range(). Returns 0 or -ENOMEM.
 */
static int copy_vma_ptes(struct mm_struct *mm, struct mm_struct *oldmm,
			 struct vm_area_struct *vma)
{
	bool cow = !(vma->vm_flags & VM_SHARED);

	for (unsigned long va = vma->vm_start; va < vma->vm_end; va += PAGE_SIZE) {
		pte_t *src = get_pte(oldmm, va, false), *dst;
		pfn_t pfn;

		if (!src) {
			/* No page table here: skip to the next one. */
			va = (va | (PMD_SIZE - 1)) + 1 - PAGE_SIZE;
			continue;
		}
		if (!pte_present(*src))
			continue;
		dst = get_pte(mm, va, true);
		if (!dst)
			return -ENOMEM;
		pfn = pte_pfn(*src);
		if (cow && pte_write(*src))
			set_pte(src, *src & ~_PAGE_RW);
		set_pte(dst, *src);
		if (!is_zero_pfn(pfn)) {
			get_page(pfn_to_page(pfn));
			mm->rss++;
		}
	}
	return 0;
}

struct mm_struct *dup_mm(struct mm_struct *oldmm)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *vma;
	unsigned long flags;
	int err = 0;

	if (!mm)
		return NULL;
	spin_lock_irqsave(&oldmm->lock, flags);
	/* Pages the POE walker mapped are accounted before they are shared. */
	poe_error_handling(oldmm);
	for_each_vma(oldmm, vma) {
		struct vm_area_struct *copy = vm_area_alloc(mm);

		if (!copy) {
			err = -ENOMEM;
			break;
		}
		copy->vm_start = vma->vm_start;
		copy->vm_end = vma->vm_end;
		/* POE is not inherited: the child's copy of a POE region is
		 * ordinary, and its marks (they carry the parent's TGID) are
		 * not copied (copy_vma_ptes copies mapped PTEs only). */
		copy->vm_flags = vma->vm_flags & ~VM_POE;
		err = insert_vm_struct(mm, copy);
		if (err) {
			vm_area_free(copy);
			break;
		}
		err = copy_vma_ptes(mm, oldmm, vma);
		if (err)
			break;
	}
	/* The parent's writable PTEs just became read-only: flush them. */
	if (mm_is_active(oldmm))
		write_cr3(oldmm->pgd);
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->mmap_base = oldmm->mmap_base;
	mm->start_stack = oldmm->start_stack;
	spin_unlock_irqrestore(&oldmm->lock, flags);
	if (err) {
		mmput(mm);	/* frees whatever was copied */
		return NULL;
	}
	return mm;
}

void mmget(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->users, 1, __ATOMIC_RELAXED);
}

void mmput(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	unsigned long flags;

	if (__atomic_sub_fetch(&mm->users, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	if (mm_is_active(mm)) {
		pr_warn("mmput: freeing the active mm %p; switching to the kernel's\n",
			mm);
		switch_mm(NULL);
	}
	poe_mm_exit(mm);	/* POE off, its used entries accounted */
	/* Under the lock: a background thread holding only mmgrab() checks
	 * users under it and never touches a torn-down mm. */
	spin_lock_irqsave(&mm->lock, flags);
	zap_page_range(mm, 0, USER_TOP);
	while (!list_empty(&mm->mmap_list)) {
		vma = list_first_entry(&mm->mmap_list, struct vm_area_struct, vm_list);
		remove_vm_struct(mm, vma);
		vm_area_free(vma);
	}
	spin_unlock_irqrestore(&mm->lock, flags);
	if (mm->rss || mm->nr_ptes != 1)
		pr_warn("mmput: mm %p left rss %lu, nr_ptes %lu after teardown\n",
			mm, mm->rss, mm->nr_ptes);
	free_page(__va(mm->pgd));
	mm->pgd = 0;
	mmdrop(mm);
}

void mmgrab(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->mm_count, 1, __ATOMIC_RELAXED);
}

void mmdrop(struct mm_struct *mm)
{
	if (__atomic_sub_fetch(&mm->mm_count, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(mm);
}

void switch_mm(struct mm_struct *mm)
{
	phys_addr_t pgd = mm ? mm->pgd : init_pgd_phys;

	if ((read_cr3() & PTE_PFN_MASK) != pgd)
		write_cr3(pgd);
}

int map_user_pages(struct mm_struct *mm, unsigned long start,
		   unsigned long len, int prot)
{
	unsigned long irqflags, va, end = start + len;
	struct vm_area_struct *vma;
	u64 pteprot;
	int err = 0;

	if (!len || !user_range_ok(start, len))
		return -EINVAL;
	vma = vm_area_alloc(mm);
	if (!vma)
		return -ENOMEM;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = calc_vm_flags((unsigned long)prot, MAP_PRIVATE);
	pteprot = vm_page_prot(vma->vm_flags);

	spin_lock_irqsave(&mm->lock, irqflags);
	if (find_vma_intersection(mm, start, end)) {
		spin_unlock_irqrestore(&mm->lock, irqflags);
		vm_area_free(vma);
		return -EEXIST;
	}
	err = insert_vm_struct(mm, vma);
	if (err) {
		spin_unlock_irqrestore(&mm->lock, irqflags);
		vm_area_free(vma);
		return err;
	}
	/* Present now, with private zeroed pages (never the zero page: the
	 * caller fills them through copy_to_mm, whatever the rights). */
	for (va = start; va < end; va += PAGE_SIZE) {
		void *page = get_zeroed_page();
		pte_t *pte = page ? get_pte(mm, va, true) : NULL;

		if (!pte) {
			if (page)
				free_page(page);
			err = -ENOMEM;
			break;
		}
		set_pte(pte, pfn_pte(PFN_DOWN(__pa(page)), pteprot ? pteprot :
				     _PAGE_PROTNONE));
		mm->rss++;
	}
	if (err) {
		zap_page_range(mm, start, end);
		remove_vm_struct(mm, vma);
		vm_area_free(vma);
	} else {
		vma_merge(mm, vma);
	}
	spin_unlock_irqrestore(&mm->lock, irqflags);
	return err;
}

int protect_user_pages(struct mm_struct *mm, unsigned long start,
		       unsigned long len, int prot)
{
	if (!user_range_ok(start, len))
		return -EINVAL;
	return (int)do_mprotect(mm, start, len, (unsigned long)prot);
}

int unmap_user_pages(struct mm_struct *mm, unsigned long start,
		     unsigned long len)
{
	if (!user_range_ok(start, len))
		return -EINVAL;
	if (!len)
		return 0;
	return (int)do_munmap(mm, start, len);
}

phys_addr_t user_page_phys(struct mm_struct *mm, unsigned long va)
{
	unsigned long irqflags;
	phys_addr_t pa = 0;
	pte_t *e;

	if (va >= USER_TOP)
		return 0;
	spin_lock_irqsave(&mm->lock, irqflags);
	e = get_pte(mm, va, false);
	if (e && pte_present(*e) && !is_zero_pfn(pte_pfn(*e)))
		pa = (*e & PTE_PFN_MASK) | (va & ~PAGE_MASK);
	spin_unlock_irqrestore(&mm->lock, irqflags);
	return pa;
}

int copy_to_mm(struct mm_struct *mm, unsigned long va, const void *src,
	       size_t len)
{
	const char *s = src;

	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - (va & ~PAGE_MASK));
		phys_addr_t pa = user_page_phys(mm, va);

		if (!pa)
			return -EFAULT;
		memcpy(__va(pa), s, chunk);
		s += chunk;
		va += chunk;
		len -= chunk;
	}
	return 0;
}
