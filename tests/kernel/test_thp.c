/*
 * test_thp.c - in-kernel tests of transparent huge pages (mm/
 * huge_memory.c, include/mm/huge_mm.h) on a private mm that is never
 * switched to: faults are driven through handle_user_addr_fault(), the
 * pmd and PTE entries, the reference counts, rss, nr_pgtables and the
 * THP counters are checked after each step, and the free-page count
 * returns to where it was at the end of every test.
 */
#include <kernel/ktest.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <mm/huge_mm.h>
#include <mm/mman.h>
#include <mm/mmap_lock.h>
#include <mm/mm_types.h>
#include <mm/page_alloc.h>
#include <mm/page_init.h>
#include <mm/pgtable.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <asm/trap_pf.h>
#include "pte_helpers.h"

#define BASE 0x0000200000000000UL /* 2 MiB (and 1 GiB) aligned */
#define RW   (PROT_READ | PROT_WRITE)

static int fault(struct mm_struct *mm, unsigned long va, unsigned long ec)
{
	return handle_user_addr_fault(mm, X86_PF_USER | ec, va);
}

/* A new mm with len bytes at addr, advised MADV_HUGEPAGE (the flag set
 * as madvise sets it). */
static struct mm_struct *thp_mm(struct ktest *t, unsigned long addr,
				unsigned long len)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *vma;

	if (!mm)
		return NULL;
	KTEST_EXPECT_EQ(t,
			do_mmap(mm, addr, len, RW,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0),
			(long)addr);
	vma = find_vma(mm, addr);
	if (!vma) {
		mmput(mm);
		return NULL;
	}
	vma->vm_flags |= VM_HUGEPAGE;
	return mm;
}

static pmd_t pmd_of(struct mm_struct *mm, unsigned long va)
{
	pmd_t *pmd = mm_find_pmd(mm, va);

	return pmd ? *pmd : 0;
}

/* The bytes of user address va in mm, through the direct map. */
static unsigned char *user_byte(struct mm_struct *mm, unsigned long va)
{
	phys_addr_t pa;

	return follow_phys(mm, va, &pa) ? NULL : (unsigned char *)__va(pa);
}

/* A write fault maps one zeroed 2 MiB page with one pmd: one minor
 * fault, rss 512, a deposited table, and nothing left at munmap. */
KTEST(thp, write_fault_maps_2m_page)
{
	unsigned long free0 = nr_free_pages();
	unsigned long alloc0 = thp_counters.thp_fault_alloc;
	struct mm_struct *mm = thp_mm(t, BASE, 2 * PMD_SIZE);
	unsigned long total0;
	unsigned char *p;
	bool zero = true;
	pmd_t pmd;

	KTEST_ASSERT(t, mm);
	total0 = mm->faults.count[FAULT_TOTAL];
	KTEST_EXPECT_EQ(t, fault(mm, BASE + 123 * PAGE_SIZE, X86_PF_WRITE), 0);
	pmd = pmd_of(mm, BASE);
	KTEST_EXPECT(t, pmd_trans_huge(pmd) && pmd_present(pmd) &&
				pmd_write(pmd) && (pmd & _PAGE_USER));
	KTEST_EXPECT(t, !is_huge_zero_pmd(pmd));
	KTEST_EXPECT_EQ(t, mm->rss, HPAGE_PMD_NR);
	KTEST_EXPECT_EQ(t, mm->faults.count[FAULT_TOTAL] - total0, 1);
	KTEST_EXPECT_EQ(t, thp_counters.thp_fault_alloc - alloc0, 1);
	/* pgd + pud + pmd tables + the deposited PTE table */
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 4);
	KTEST_EXPECT_EQ(t, mm->nr_huge_pmds, 1);
	KTEST_EXPECT(t, pte_slot(mm, BASE) == NULL); /* no PTE level */
	p = user_byte(mm, BASE);
	KTEST_ASSERT(t, p);
	for (unsigned long i = 0; i < PMD_SIZE; i++)
		zero &= p[i] == 0;
	KTEST_EXPECT(t, zero);
	/* Each of the 512 pages has its own reference: the pmd's. */
	KTEST_EXPECT_EQ(t, pfn_to_page(pmd_pfn(pmd))->refcount, 1);
	KTEST_EXPECT_EQ(t, pfn_to_page(pmd_pfn(pmd) + 511)->refcount, 1);
	KTEST_EXPECT_EQ(t, mm_range_rss(mm, BASE, BASE + 2 * PMD_SIZE),
			HPAGE_PMD_NR);
	KTEST_EXPECT_EQ(t, mm_range_anon_huge(mm, BASE, BASE + 2 * PMD_SIZE),
			HPAGE_PMD_NR);
	/* A second fault in the same 2 MiB is no fault at all. */
	KTEST_EXPECT_EQ(t, fault(mm, BASE + PAGE_SIZE, X86_PF_WRITE), 0);
	KTEST_EXPECT_EQ(t, mm->rss, HPAGE_PMD_NR);
	KTEST_EXPECT_EQ(t, do_munmap(mm, BASE, 2 * PMD_SIZE), 0);
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 1);
	KTEST_EXPECT_EQ(t, mm->nr_huge_pmds, 0);
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

/* A read maps the huge zero page, counted nowhere in rss; a write then
 * splits it and gets one 4 KiB page, as Linux since 5.8. */
KTEST(thp, read_then_write_splits_huge_zero_page)
{
	unsigned long free0 = nr_free_pages();
	unsigned long split0 = thp_counters.thp_split_pmd;
	struct mm_struct *mm = thp_mm(t, BASE, PMD_SIZE);
	pte_t pte;

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, fault(mm, BASE + 5 * PAGE_SIZE, 0), 0);
	KTEST_EXPECT(t, is_huge_zero_pmd(pmd_of(mm, BASE)));
	KTEST_EXPECT(t, !pmd_write(pmd_of(mm, BASE)));
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	KTEST_EXPECT_EQ(t, mm_range_rss(mm, BASE, BASE + PMD_SIZE), 0);
	KTEST_EXPECT_EQ(t, mm_range_anon_huge(mm, BASE, BASE + PMD_SIZE), 0);
	KTEST_EXPECT_EQ(t,
			fault(mm, BASE + 7 * PAGE_SIZE,
			      X86_PF_WRITE | X86_PF_PROT),
			0);
	KTEST_EXPECT_EQ(t, thp_counters.thp_split_pmd - split0, 1);
	KTEST_EXPECT(t, !pmd_trans_huge(pmd_of(mm, BASE)));
	pte = pte_of(mm, BASE + 7 * PAGE_SIZE);
	KTEST_EXPECT(t, pte_present(pte) && pte_write(pte) &&
				!is_zero_pfn(pte_pfn(pte)));
	pte = pte_of(mm, BASE + 8 * PAGE_SIZE);
	KTEST_EXPECT(t, pte_present(pte) && !pte_write(pte) &&
				is_zero_pfn(pte_pfn(pte)));
	KTEST_EXPECT_EQ(t, mm->rss, 1);
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

/* With no order-9 block free, the fault maps 4 KiB and counts the
 * fall-back. */
KTEST(thp, fallback_when_no_2m_block)
{
	unsigned long free0 = nr_free_pages();
	unsigned long fb0 = thp_counters.thp_fault_fallback;
	struct mm_struct *mm = thp_mm(t, BASE, PMD_SIZE);
	struct page *held[512];
	unsigned int n = 0;
	pte_t pte;

	KTEST_ASSERT(t, mm);
	while (n < 512 && (held[n] = alloc_pages(HPAGE_PMD_ORDER)))
		n++;
	KTEST_ASSERT(t, n < 512); /* memory ran out of 2 MiB blocks */
	KTEST_EXPECT_EQ(t, fault(mm, BASE, X86_PF_WRITE), 0);
	KTEST_EXPECT_EQ(t, thp_counters.thp_fault_fallback - fb0, 1);
	KTEST_EXPECT(t, !pmd_trans_huge(pmd_of(mm, BASE)));
	pte = pte_of(mm, BASE);
	KTEST_EXPECT(t, pte_present(pte) && pte_write(pte));
	KTEST_EXPECT_EQ(t, mm->rss, 1);
	while (n)
		__free_pages(held[--n], HPAGE_PMD_ORDER);
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

/* munmap of one page inside splits the pmd: 511 pages stay, the same
 * frames at the same addresses, with their contents. */
KTEST(thp, partial_munmap_splits)
{
	unsigned long free0 = nr_free_pages();
	unsigned long split0 = thp_counters.thp_split_pmd;
	struct mm_struct *mm = thp_mm(t, BASE, PMD_SIZE);
	unsigned char *p;
	pfn_t pfn;

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, fault(mm, BASE, X86_PF_WRITE), 0);
	pfn = pmd_pfn(pmd_of(mm, BASE));
	p = user_byte(mm, BASE + 9 * PAGE_SIZE);
	KTEST_ASSERT(t, p);
	*p = 0x5a;
	KTEST_EXPECT_EQ(t, do_munmap(mm, BASE + 3 * PAGE_SIZE, PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, thp_counters.thp_split_pmd - split0, 1);
	KTEST_EXPECT(t, !pmd_trans_huge(pmd_of(mm, BASE)));
	KTEST_EXPECT_EQ(t, mm->nr_huge_pmds, 0);
	KTEST_EXPECT_EQ(t, mm->rss, HPAGE_PMD_NR - 1);
	KTEST_EXPECT_EQ(t, pte_of(mm, BASE + 3 * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, pte_pfn(pte_of(mm, BASE + 9 * PAGE_SIZE)), pfn + 9);
	KTEST_EXPECT(t, pte_write(pte_of(mm, BASE + 9 * PAGE_SIZE)));
	p = user_byte(mm, BASE + 9 * PAGE_SIZE);
	KTEST_EXPECT(t, p && *p == 0x5a);
	/* The deposited table is the PTE table now: one table more
	 * hooked in, none waiting. */
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 4);
	KTEST_EXPECT(t, list_empty(&mm->pmd_huge_pte));
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

/* mprotect of the whole 2 MiB keeps the pmd (PROT_NONE: not present,
 * its frame kept); of part of it, splits it. */
KTEST(thp, mprotect_whole_keeps_part_splits)
{
	unsigned long free0 = nr_free_pages();
	struct mm_struct *mm = thp_mm(t, BASE, PMD_SIZE);
	pmd_t pmd;
	pfn_t pfn;

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, fault(mm, BASE, X86_PF_WRITE), 0);
	pfn = pmd_pfn(pmd_of(mm, BASE));
	KTEST_EXPECT_EQ(t, do_mprotect(mm, BASE, PMD_SIZE, PROT_READ), 0);
	pmd = pmd_of(mm, BASE);
	KTEST_EXPECT(t, pmd_trans_huge(pmd) && pmd_present(pmd) &&
				!pmd_write(pmd) && pmd_pfn(pmd) == pfn);
	KTEST_EXPECT_EQ(t, do_mprotect(mm, BASE, PMD_SIZE, PROT_NONE), 0);
	pmd = pmd_of(mm, BASE);
	KTEST_EXPECT(t, pmd_trans_huge(pmd) && !pmd_present(pmd) &&
				(pmd & _PAGE_PROTNONE) && pmd_pfn(pmd) == pfn);
	KTEST_EXPECT_EQ(t, mm_range_rss(mm, BASE, BASE + PMD_SIZE),
			HPAGE_PMD_NR);
	KTEST_EXPECT_EQ(t, do_mprotect(mm, BASE, PMD_SIZE, RW), 0);
	KTEST_EXPECT(t, pmd_write(pmd_of(mm, BASE)));
	/* One page read-only: the pmd is split, that PTE alone loses RW. */
	KTEST_EXPECT_EQ(t,
			do_mprotect(mm, BASE + PAGE_SIZE, PAGE_SIZE, PROT_READ),
			0);
	KTEST_EXPECT(t, !pmd_trans_huge(pmd_of(mm, BASE)));
	KTEST_EXPECT(t, !pte_write(pte_of(mm, BASE + PAGE_SIZE)));
	KTEST_EXPECT(t, pte_write(pte_of(mm, BASE)));
	KTEST_EXPECT(t, pte_write(pte_of(mm, BASE + 2 * PAGE_SIZE)));
	KTEST_EXPECT_EQ(t, mm->rss, HPAGE_PMD_NR);
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

/* Fork shares the 2 MiB page read-only; a write on either side splits
 * that side's pmd and copies one 4 KiB page; the other keeps its data. */
KTEST(thp, fork_cow_both_directions)
{
	unsigned long free0 = nr_free_pages();
	struct mm_struct *mm = thp_mm(t, BASE, PMD_SIZE), *child;
	unsigned char *p;
	pfn_t pfn;

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, fault(mm, BASE, X86_PF_WRITE), 0);
	pfn = pmd_pfn(pmd_of(mm, BASE));
	*user_byte(mm, BASE + 2 * PAGE_SIZE) = 1;
	*user_byte(mm, BASE + 4 * PAGE_SIZE) = 2;
	child = dup_mm(mm);
	KTEST_ASSERT(t, child);
	KTEST_EXPECT_EQ(t, child->nr_huge_pmds, 1);
	KTEST_EXPECT(t, pmd_trans_huge(pmd_of(child, BASE)) &&
				!pmd_write(pmd_of(child, BASE)));
	KTEST_EXPECT(t, !pmd_write(pmd_of(mm, BASE)));
	KTEST_EXPECT_EQ(t, pfn_to_page(pfn + 100)->refcount, 2);
	KTEST_EXPECT_EQ(t, child->rss, HPAGE_PMD_NR);
	/* The child writes page 2: its own copy. */
	KTEST_EXPECT_EQ(t,
			fault(child, BASE + 2 * PAGE_SIZE,
			      X86_PF_WRITE | X86_PF_PROT),
			0);
	KTEST_EXPECT(t, !pmd_trans_huge(pmd_of(child, BASE)));
	KTEST_EXPECT(t,
		     pte_pfn(pte_of(child, BASE + 2 * PAGE_SIZE)) != pfn + 2);
	p = user_byte(child, BASE + 2 * PAGE_SIZE);
	KTEST_ASSERT(t, p);
	KTEST_EXPECT_EQ(t, *p, 1);
	*p = 11;
	KTEST_EXPECT_EQ(t, *user_byte(mm, BASE + 2 * PAGE_SIZE), 1);
	KTEST_EXPECT(t, pmd_trans_huge(pmd_of(mm, BASE)));
	/* The parent writes page 4: the pages are still shared, so it
	 * splits and copies too. */
	KTEST_EXPECT_EQ(t,
			fault(mm, BASE + 4 * PAGE_SIZE,
			      X86_PF_WRITE | X86_PF_PROT),
			0);
	KTEST_EXPECT(t, !pmd_trans_huge(pmd_of(mm, BASE)));
	*user_byte(mm, BASE + 4 * PAGE_SIZE) = 22;
	KTEST_EXPECT_EQ(t, *user_byte(child, BASE + 4 * PAGE_SIZE), 2);
	KTEST_EXPECT_EQ(t, child->rss, HPAGE_PMD_NR);
	KTEST_EXPECT_EQ(t, mm->rss, HPAGE_PMD_NR);
	mmput(child);
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

/* After fork, once the child is gone, the parent's write makes the pmd
 * writable again: no split, no copy. */
KTEST(thp, cow_reuses_when_child_gone)
{
	unsigned long free0 = nr_free_pages();
	unsigned long split0;
	struct mm_struct *mm = thp_mm(t, BASE, PMD_SIZE), *child;

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, fault(mm, BASE, X86_PF_WRITE), 0);
	child = dup_mm(mm);
	KTEST_ASSERT(t, child);
	mmput(child);
	split0 = thp_counters.thp_split_pmd;
	KTEST_EXPECT_EQ(t, fault(mm, BASE, X86_PF_WRITE | X86_PF_PROT), 0);
	KTEST_EXPECT(t, pmd_trans_huge(pmd_of(mm, BASE)) &&
				pmd_write(pmd_of(mm, BASE)));
	KTEST_EXPECT_EQ(t, thp_counters.thp_split_pmd, split0);
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

/* MADV_DONTNEED's zap: part of a huge page splits it, all of it clears
 * the pmd. */
KTEST(thp, zap_part_and_whole)
{
	unsigned long free0 = nr_free_pages();
	struct mm_struct *mm = thp_mm(t, BASE, PMD_SIZE);

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, fault(mm, BASE, X86_PF_WRITE), 0);
	mmap_write_lock(mm);
	zap_page_range(mm, BASE + PAGE_SIZE, BASE + 3 * PAGE_SIZE);
	mmap_write_unlock(mm);
	KTEST_EXPECT(t, !pmd_trans_huge(pmd_of(mm, BASE)));
	KTEST_EXPECT_EQ(t, mm->rss, HPAGE_PMD_NR - 2);
	KTEST_EXPECT_EQ(t, fault(mm, BASE + PMD_SIZE / 2, X86_PF_WRITE), 0);
	/* The table is there now: 4 KiB faults from here on. */
	KTEST_EXPECT_EQ(t, fault(mm, BASE + PAGE_SIZE, X86_PF_WRITE), 0);
	KTEST_EXPECT_EQ(t, mm->rss, HPAGE_PMD_NR - 1);
	mmap_write_lock(mm);
	zap_page_range(mm, BASE, BASE + PMD_SIZE);
	mmap_write_unlock(mm);
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	/* The empty table went: the next fault maps 2 MiB again. */
	KTEST_EXPECT_EQ(t, fault(mm, BASE, X86_PF_WRITE), 0);
	KTEST_EXPECT(t, pmd_trans_huge(pmd_of(mm, BASE)));
	mmap_write_lock(mm);
	zap_page_range(mm, BASE, BASE + PMD_SIZE);
	mmap_write_unlock(mm);
	KTEST_EXPECT_EQ(t, pmd_of(mm, BASE), 0);
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

/* Only the 2 MiB pieces wholly inside the VMA get huge pages; a
 * multiple of 2 MiB is placed 2 MiB-aligned. */
KTEST(thp, unaligned_ends_and_placement)
{
	unsigned long free0 = nr_free_pages();
	struct mm_struct *mm = thp_mm(t, BASE + PAGE_SIZE, 3 * PMD_SIZE);
	long a;

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, fault(mm, BASE + PAGE_SIZE, X86_PF_WRITE), 0);
	KTEST_EXPECT(t, !pmd_trans_huge(pmd_of(mm, BASE)));
	KTEST_EXPECT_EQ(t, fault(mm, BASE + PMD_SIZE, X86_PF_WRITE), 0);
	KTEST_EXPECT(t, pmd_trans_huge(pmd_of(mm, BASE + PMD_SIZE)));
	KTEST_EXPECT_EQ(t, fault(mm, BASE + 3 * PMD_SIZE, X86_PF_WRITE), 0);
	KTEST_EXPECT(t, !pmd_trans_huge(pmd_of(mm, BASE + 3 * PMD_SIZE)));
	KTEST_EXPECT_EQ(t, mm->rss, HPAGE_PMD_NR + 2);
	a = do_mmap(mm, 0, 2 * PMD_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, 0);
	KTEST_EXPECT(t, a > 0 && IS_ALIGNED((unsigned long)a, PMD_SIZE));
	a = do_mmap(mm, 0, PMD_SIZE + PAGE_SIZE, RW,
		    MAP_PRIVATE | MAP_ANONYMOUS, 0);
	KTEST_EXPECT(t, a > 0);
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

/* Poll cond every ms for at most 2 s; evaluates to cond's last value. */
#define thp_wait_for(cond)                                                   \
	({                                                                   \
		u64 __t0 = ktime_get_ns();                                   \
		while (!(cond) && ktime_get_ns() - __t0 < 2000ULL * 1000000) \
			msleep(1);                                           \
		(cond);                                                      \
	})

/* A huge fault in a thread of its own, which a test may kill. */
struct huge_faulter {
	struct mm_struct *mm;
	unsigned long va;
	volatile int finished, ret;
};

static int huge_faulter_fn(void *p)
{
	struct huge_faulter *f = p;

	f->ret = fault(f->mm, f->va, X86_PF_WRITE);
	WRITE_ONCE(f->finished, 1);
	return 0;
}

/*
 * page_init=offlevel: the huge fault's 2 MiB are zeroed by a page-init
 * worker (mm/page_init.c) and mapped; a faulter killed while it waits
 * maps nothing, and the worker frees the page: the free-page count comes
 * back.
 */
KTEST(thp, offlevel_zeroing_and_kill)
{
	enum page_init_mode mode = page_init_mode;
	unsigned long free0 = nr_free_pages();
	struct page_init_stats s0 = page_init_stats;
	struct mm_struct *mm = thp_mm(t, BASE, 2 * PMD_SIZE);
	struct huge_faulter f = { .va = BASE + PMD_SIZE };
	unsigned char *p;
	struct task *k;
	bool zero = true;

	KTEST_ASSERT(t, mm);
	page_init_mode = PAGE_INIT_OFFLEVEL;
	KTEST_EXPECT_EQ(t, fault(mm, BASE, X86_PF_WRITE), 0);
	KTEST_EXPECT(t, pmd_trans_huge(pmd_of(mm, BASE)));
	KTEST_EXPECT_EQ(t, page_init_stats.offlevel_blocks,
			s0.offlevel_blocks + 1);
	p = user_byte(mm, BASE);
	KTEST_ASSERT(t, p);
	for (unsigned long i = 0; i < PMD_SIZE; i++)
		zero &= p[i] == 0;
	KTEST_EXPECT(t, zero);

	/* The second 2 MiB: the worker held, the faulter killed. */
	f.mm = mm;
	page_init_test_set_hold(true);
	k = kthread_run(huge_faulter_fn, &f, "ktest-thp-faulter");
	if (!k)
		page_init_test_set_hold(false);
	KTEST_ASSERT(t, k);
	KTEST_EXPECT(t,
		     thp_wait_for(READ_ONCE(page_init_stats.offlevel_blocks) ==
				  s0.offlevel_blocks + 2));
	sigkill_task(k);
	KTEST_EXPECT(t, thp_wait_for(READ_ONCE(f.finished)));
	KTEST_EXPECT_EQ(t, f.ret, 0); /* retried: the kill ends the task */
	KTEST_EXPECT_EQ(t, pmd_of(mm, BASE + PMD_SIZE), 0);
	KTEST_EXPECT_EQ(t, page_init_stats.abandoned_blocks,
			s0.abandoned_blocks + 1);
	kthread_stop(k);
	page_init_test_set_hold(false);
	KTEST_EXPECT(t,
		     thp_wait_for(READ_ONCE(page_init_stats.abandoned_freed) ==
				  s0.abandoned_freed + 1));
	page_init_mode = mode;
	mmput(mm);
	KTEST_EXPECT(t, thp_wait_for(nr_free_pages() == free0));
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}
