/*
 * user_mm.c - user address spaces (include/mm/user_mm.h): creating,
 * copying (fork), switching and destroying a struct mm_struct, and the
 * loaders' calls that map user pages at once and fill them. Every address
 * space shares the kernel half (PML4 entries 256..511) with init_pgd_phys
 * (mm/init.c; pgd_alloc() copies it); the user half (entries 0..255) and
 * every table below it belong to the mm alone, so mmput() can free them
 * all, and the last mmdrop() the PML4 (a kernel thread may still run on
 * it: lazy TLB, docs/concurrency.md). The page-table work itself is
 * mm/pgtable.c.
 *
 * Pages of mmap, brk and stack growth arrive by demand paging
 * (mm/fault.c); exec maps the program and the initial stack at once with
 * map_user_pages(). fork shares private pages copy-on-write. mm->rss
 * counts mapped user pages (not the zero page), mm->nr_pgtables every
 * page-table page of the mm including its PML4.
 */
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/userfaultfd.h>
#include <mm/kmalloc.h>
#include <mm/mm_init.h>
#include <mm/mman.h>
#include <mm/mmap_lock.h>
#include <mm/oom.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <mm/user_mm.h>
#include <mm/pgtable.h>
#include <mm/poe.h>
#include <mm/vma.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <asm/pgtable_bits.h>

/* A range of whole pages a process may map: page 0 and the top page
 * (TASK_SIZE) excluded. */
static bool user_range_ok(unsigned long start, unsigned long len)
{
	return IS_ALIGNED(start, PAGE_SIZE) && IS_ALIGNED(len, PAGE_SIZE) &&
	       start >= PAGE_SIZE && start < TASK_SIZE &&
	       len <= TASK_SIZE - start;
}

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	mm->pgd = pgd_alloc(mm);
	if (!mm->pgd) {
		kfree(mm);
		return NULL;
	}
	mm->users = 1;
	mm->mm_count = 1;
	mmap_init_lock(mm);
	spin_lock_init(&mm->page_table_lock);
	INIT_LIST_HEAD(&mm->pmd_huge_pte);
	mm->mmap_base = USER_MMAP_BASE;
	mm->nr_pgtables = 1;
	vma_init_mm(mm);
	return mm;
}

struct mm_struct *dup_mm(struct mm_struct *oldmm)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *vma;
	LIST_HEAD(uf); /* the fork events to send (dup_userfaultfd()) */
	int err = 0;

	if (!mm)
		return NULL;
	/* No fault of oldmm while its PTEs turn read-only; the new mm is
	 * not visible to anyone else yet. */
	mmap_write_lock(oldmm);
	/* The copy's file VMAs are in their files' i_mmap as soon as they
	 * are made, where a truncate may find the new mm and zap in it:
	 * it waits for the copy here (Linux's dup_mmap() write-locks the
	 * new mm too, nested inside the old one's). */
	mmap_write_lock(mm);
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
		/* A file VMA's child holds its own file reference. */
		vma_set_file_from(copy, vma);
		/* POE is not inherited: the child's copy of a POE region is
		 * ordinary, and its marks (they carry the parent's TGID) are
		 * not copied (copy_page_range copies mapped PTEs only). */
		copy->vm_flags = vma->vm_flags & ~VM_POE;
		/* Nor are locks (Linux's dup_mmap()), nor a userfaultfd
		 * registration: without UFFD_FEATURE_EVENT_FORK the child's
		 * faults are its own (Linux's dup_userfaultfd()). */
		copy->vm_flags &= ~(VM_LOCKED_MASK | __VM_UFFD_FLAGS);
		err = insert_vm_struct(mm, copy);
		if (err) {
			vm_area_free(copy);
			break;
		}
		/* With UFFD_FEATURE_EVENT_FORK the copy stays registered,
		 * with a new userfaultfd of the child's. */
		err = dup_userfaultfd(copy, vma, &uf);
		if (err)
			break;
		err = copy_page_range(copy, vma);
		if (err)
			break;
	}
	/* The parent's writable PTEs just became read-only: flush them on
	 * every CPU that runs the parent, before any of its threads can
	 * write through a stale entry what the child must not see. */
	flush_tlb_mm_range(oldmm, 0, USER_TOP);
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->mmap_base = oldmm->mmap_base;
	mm->start_stack = oldmm->start_stack;
	mm->arg_start = oldmm->arg_start;
	mm->arg_end = oldmm->arg_end;
	if (oldmm->exe_path) { /* without it, /proc/PID/exe is ENOENT */
		size_t n = strlen(oldmm->exe_path) + 1;

		mm->exe_path = kmalloc(n);
		if (mm->exe_path)
			memcpy(mm->exe_path, oldmm->exe_path, n);
	}
	mm->personality = oldmm->personality;
	mmap_write_unlock(mm);
	mmap_write_unlock(oldmm);
	if (err) {
		mmput(mm); /* frees whatever was copied */
		dup_userfaultfd_fail(&uf);
		return NULL;
	}
	/* Each monitor learns of the child's new userfaultfd: this thread
	 * waits until it has read the event (or SIGKILL), before the child
	 * can run (Linux's dup_mmap()). */
	dup_userfaultfd_complete(&uf);
	return mm;
}

void mmget(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->users, 1, __ATOMIC_RELAXED);
}

void mmput(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	if (__atomic_sub_fetch(&mm->users, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	/*
	 * A kernel thread that borrows mm (lazy TLB: current->active_mm)
	 * may stay on its page table: the borrow holds mm_count, so the
	 * PML4 outlives the teardown, and the shootdowns below reach this
	 * CPU like any other in mm_cpumask. Anything else with mm in CR3
	 * loaded it by hand and holds no reference: the last mmdrop would
	 * free the PML4 under it.
	 */
	if (mm_is_active(mm) && current->active_mm != mm) {
		pr_warn("mmput: freeing the active mm %p; switching to the kernel's\n",
			mm);
		switch_mm(NULL);
	}
	poe_mm_exit(mm); /* POE off, its used entries accounted */
	/* Under the lock: a background thread holding only mmgrab() checks
	 * users under mmap_lock and never touches a torn-down mm. */
	mmap_write_lock(mm);
	zap_page_range(mm, 0, USER_TOP);
	while (!list_empty(&mm->mmap_list)) {
		vma = list_first_entry(&mm->mmap_list, struct vm_area_struct,
				       vm_list);
		remove_vm_struct(mm, vma);
		vm_area_free(vma);
	}
	mmap_write_unlock(mm);
	/* Every page is back: an OOM victim's kill has done its work, and
	 * the OOM killer may choose again (mm/oom_kill.c). */
	oom_mm_torn_down(mm);
	if (mm->rss || mm->nr_pgtables != 1)
		pr_warn("mmput: mm %p left rss %lu, nr_pgtables %lu after teardown\n",
			mm, mm->rss, mm->nr_pgtables);
	/* The PML4 stays until the last mmdrop: a CPU may still run on it
	 * (a kernel thread borrowing mm). */
	mmdrop(mm);
}

void mmgrab(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->mm_count, 1, __ATOMIC_RELAXED);
}

/*
 * The last reference is gone: no task uses mm and no CPU runs on its page
 * table (a borrowing kernel thread holds a reference until it switches
 * away), so the PML4 can go. Everything below it went in mmput(). Linux's
 * __mmdrop(), which frees the pgd too (mm_free_pgd()).
 */
static void __mmdrop(struct mm_struct *mm)
{
	pgd_free(mm, mm->pgd);
	mm->pgd = NULL;
	kfree(mm->exe_path);
	kfree(mm);
}

void mmdrop(struct mm_struct *mm)
{
	if (__atomic_sub_fetch(&mm->mm_count, 1, __ATOMIC_ACQ_REL) == 0)
		__mmdrop(mm);
}

/* CR3 loads switch_mm() made, per CPU: each written only by its own CPU,
 * with interrupts off. */
static unsigned long cr3_loads[NR_CPUS];

unsigned long switch_mm_cr3_loads(int cpu)
{
	return READ_ONCE(cr3_loads[cpu]);
}

void switch_mm(struct mm_struct *mm)
{
	phys_addr_t pgd = mm ? __pa(mm->pgd) : init_pgd_phys;
	unsigned long flags;

	local_irq_save(flags); /* one CPU, one CR3 from test to load */
	/*
	 * Loaded already (a kernel thread that kept the previous task's
	 * page table, a thread of the same process): nothing to do, not
	 * even the mask. This CPU joined mm_cpumask(mm) before it loaded
	 * mm, and only its own shootdown handler takes it out again, and
	 * only once CR3 no longer holds mm's table.
	 */
	if ((read_cr3() & PTE_PFN_MASK) != pgd) {
		/*
		 * Join mm_cpumask before the first walk of mm's tables: a
		 * locked instruction, so that a flush_tlb_mm_range() that
		 * changed an entry and then found this CPU missing from the
		 * mask is ordered before our walk, which then sees the
		 * change. Leaving the mask is lazy: the next shootdown's
		 * handler does it.
		 */
		if (mm)
			cpumask_set_cpu(smp_processor_id(), mm_cpumask(mm));
		write_cr3(pgd);
		cr3_loads[smp_processor_id()]++;
	}
	local_irq_restore(flags);
}

struct map_zeroed_ctx {
	struct mm_struct *mm;
	u64 prot;   /* the VMA's PTE rights (vm_get_page_prot) */
	void *page; /* the zeroed page to map */
};

/* apply_to_page_range() callback: ctx->page at pte. */
static int map_zeroed_page(pte_t *pte, unsigned long addr, void *data)
{
	struct map_zeroed_ctx *ctx = data;

	(void)addr;
	set_pte(pte, pfn_pte(PFN_DOWN(__pa(ctx->page)), ctx->prot));
	ctx->mm->rss++;
	return 0;
}

int map_user_pages(struct mm_struct *mm, unsigned long start, unsigned long len,
		   int prot)
{
	unsigned long end = start + len;
	struct map_zeroed_ctx ctx;
	struct vm_area_struct *vma;
	int err;

	if (!len || !user_range_ok(start, len))
		return -EINVAL;
	vma = vm_area_alloc(mm);
	if (!vma)
		return -ENOMEM;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = calc_vm_flags((unsigned long)prot, MAP_PRIVATE);

	mmap_write_lock(mm);
	if (find_vma_intersection(mm, start, end)) {
		mmap_write_unlock(mm);
		vm_area_free(vma);
		return -EEXIST;
	}
	err = insert_vm_struct(mm, vma);
	if (err) {
		mmap_write_unlock(mm);
		vm_area_free(vma);
		return err;
	}
	/* Present now, with private zeroed pages (never the zero page: the
	 * caller fills them through copy_to_mm, whatever the rights). */
	ctx.mm = mm;
	ctx.prot = vm_get_page_prot(vma->vm_flags);
	/*
	 * A page at a time, each zeroed before its PTE lock is taken, as
	 * the fault handler zeroes with no lock held: zeroed in the
	 * callback, under the lock, a 2 MiB segment kept interrupts off
	 * for about 2.2 ms (kernel/irqsoff.c found exec's 0.14 ms as the
	 * longest section under the fuzzer). apply_to_page_range() takes
	 * the page-table locks itself.
	 */
	err = 0;
	for (unsigned long va = start; va < end && !err; va += PAGE_SIZE) {
		ctx.page = (void *)get_zeroed_page();
		if (!ctx.page) {
			err = -ENOMEM;
			break;
		}
		err = apply_to_page_range(mm, va, PAGE_SIZE, map_zeroed_page,
					  &ctx);
		if (err)
			free_page((unsigned long)ctx.page);
	}
	if (err) {
		zap_page_range(mm, start, end);
		remove_vm_struct(mm, vma);
		vm_area_free(vma);
	} else {
		vma_merge(mm, vma);
	}
	mmap_write_unlock(mm);
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

	if (va >= USER_TOP)
		return 0;
	mmap_read_lock(mm);
	spin_lock_irqsave(&mm->page_table_lock, irqflags);
	if (follow_phys(mm, va, &pa) || is_zero_phys(pa))
		pa = 0;
	spin_unlock_irqrestore(&mm->page_table_lock, irqflags);
	mmap_read_unlock(mm);
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
