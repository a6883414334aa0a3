/*
 * test_pgtable.c - in-kernel tests of the page-table walker and the fault
 * handler's paths (mm/pgtable.c, mm/fault.c, arch/x86_64/fault.c) on a
 * private mm that is never switched to: demand faults are driven through
 * handle_user_addr_fault() exactly as the #PF handler would, and the
 * tables are checked level by level.
 */
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/smp.h>
#include <mm/fault.h>
#include <mm/mman.h>
#include <mm/mm_types.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <asm/trap_pf.h>
#include "pte_helpers.h"

#define BASE 0x0000100000000000UL /* a 1 TiB boundary: every level new */

static int fault(struct mm_struct *mm, unsigned long va, unsigned long ec)
{
	return handle_user_addr_fault(mm, X86_PF_USER | ec, va);
}

KTEST(pgtable, walk_builds_and_frees_levels)
{
	unsigned long free0 = nr_free_pages();
	struct mm_struct *mm = mm_alloc();
	long a;

	KTEST_ASSERT(t, mm);
	a = do_mmap(mm, BASE, 3 * PUD_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
	KTEST_ASSERT(t, a == (long)BASE);
	KTEST_EXPECT(t, pte_slot(mm, BASE) == NULL); /* nothing yet */
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 1);
	/* Touch pages that need a new pud, pmd and pte table each. */
	KTEST_EXPECT_EQ(t, fault(mm, BASE, X86_PF_WRITE), 0);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 4); /* pgd+pud+pmd+pt */
	KTEST_EXPECT_EQ(t, fault(mm, BASE + PMD_SIZE, X86_PF_WRITE), 0);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 5); /* + a pt */
	KTEST_EXPECT_EQ(t, fault(mm, BASE + PUD_SIZE, X86_PF_WRITE), 0);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 7); /* + pmd + pt */
	/* Level by level, the Linux way. */
	pgd_t *pgd = pgd_offset(mm, BASE);
	KTEST_ASSERT(t, pgd_present(*pgd));
	pud_t *pud = pud_offset(pgd, BASE);
	KTEST_ASSERT(t, pud_present(*pud));
	pmd_t *pmd = pmd_offset(pud, BASE);
	KTEST_ASSERT(t, pmd_present(*pmd));
	KTEST_EXPECT(t, pmd == mm_find_pmd(mm, BASE));
	pte_t *pte = pte_offset_kernel(pmd, BASE);

	KTEST_ASSERT(t, pte != NULL);
	KTEST_EXPECT(t, (*pgd & _PAGE_TABLE) == _PAGE_TABLE);
	KTEST_EXPECT(t, pte_present(*pte) && pte_write(*pte) &&
				(*pte & _PAGE_USER));
	KTEST_EXPECT(t, pte == pte_slot(mm, BASE));
	KTEST_EXPECT_EQ(t, mm->rss, 3);
	/* Unmapping the middle gigabyte frees its tables, not the others'. */
	KTEST_EXPECT_EQ(t, do_munmap(mm, BASE + PUD_SIZE, PUD_SIZE), 0);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 5);
	KTEST_EXPECT_EQ(t, mm->rss, 2);
	KTEST_EXPECT(t, pte_slot(mm, BASE + PUD_SIZE) == NULL);
	KTEST_EXPECT_EQ(t, do_munmap(mm, BASE, 3 * PUD_SIZE), 0);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 1);
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

/*
 * munmap frees a PTE table only when no VMA beside the range can use it
 * (free_pgtables()'s floor and ceiling): the zap runs under mmap_lock
 * for reading, so a fault in the neighbour may be filling the table at
 * that moment. Here the neighbour has no page yet, so the table is empty
 * once the range is gone, and only floor and ceiling keep it. Fails if
 * unmap_region() frees empty tables whatever their span, or if it never
 * frees them.
 */
KTEST(pgtable, munmap_keeps_a_table_a_neighbour_shares)
{
	unsigned long free0 = nr_free_pages(), b = BASE + 4 * PMD_SIZE;
	unsigned long nb = b + 4 * PAGE_SIZE; /* the neighbour */
	struct mm_struct *mm = mm_alloc();
	unsigned long tables;
	pte_t *slot;
	long a;

	KTEST_ASSERT(t, mm);
	a = do_mmap(mm, b, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
	KTEST_ASSERT(t, a == (long)b);
	/* Read-only: a VMA of its own, in the same PTE table. */
	a = do_mmap(mm, nb, 4 * PAGE_SIZE, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
	KTEST_ASSERT(t, a == (long)nb);
	KTEST_EXPECT_EQ(t, fault(mm, b, X86_PF_WRITE), 0);
	slot = pte_slot(mm, nb);
	KTEST_ASSERT(t, slot != NULL);
	tables = mm->nr_pgtables;

	KTEST_EXPECT_EQ(t, do_munmap(mm, b, 4 * PAGE_SIZE), 0);
	KTEST_EXPECT(t, pte_slot(mm, nb) == slot);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, tables);
	KTEST_EXPECT_EQ(t, fault(mm, nb, 0), 0);

	/* The neighbour goes too: now nothing can use the table. */
	KTEST_EXPECT_EQ(t, do_munmap(mm, nb, 4 * PAGE_SIZE), 0);
	KTEST_EXPECT(t, pte_slot(mm, nb) == NULL);
	KTEST_EXPECT(t, mm->nr_pgtables < tables);
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

KTEST(pgtable, zero_page_then_write)
{
	struct mm_struct *mm = mm_alloc();
	pte_t *pte;

	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, do_mmap(mm, BASE, PAGE_SIZE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				0) == (long)BASE);
	KTEST_EXPECT_EQ(t, fault(mm, BASE, 0), 0); /* read */
	pte = pte_slot(mm, BASE);
	KTEST_ASSERT(t, pte);
	KTEST_EXPECT(t, is_zero_pfn(pte_pfn(*pte)));
	KTEST_EXPECT(t, !pte_write(*pte));
	KTEST_EXPECT_EQ(t, mm->rss, 0); /* not counted */
	KTEST_EXPECT_EQ(t, fault(mm, BASE, X86_PF_WRITE | X86_PF_PROT), 0);
	KTEST_EXPECT(t, !is_zero_pfn(pte_pfn(*pte)));
	KTEST_EXPECT(t, pte_write(*pte));
	KTEST_EXPECT_EQ(t, mm->rss, 1);
	KTEST_EXPECT_EQ(t, mm->faults.count[FAULT_ZERO_PAGE], 1);
	KTEST_EXPECT_EQ(t, mm->faults.count[FAULT_COW], 1);
	mmput(mm);
}

KTEST(pgtable, access_checks_and_stack_growth)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *stack;

	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, do_mmap(mm, BASE, PAGE_SIZE, PROT_READ,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				0) == (long)BASE);
	KTEST_EXPECT_EQ(t, fault(mm, BASE, X86_PF_WRITE),
			-EFAULT); /* read-only */
	KTEST_EXPECT_EQ(t, fault(mm, BASE, X86_PF_INSTR),
			-EFAULT); /* no exec */
	KTEST_EXPECT_EQ(t, fault(mm, BASE + PAGE_SIZE, 0),
			-EFAULT); /* no VMA */
	KTEST_EXPECT_EQ(t, mm->faults.count[FAULT_SEGV], 3);
	/* A stack VMA grows down to a fault just below it, up to 8 MiB. */
	KTEST_ASSERT(t, map_user_pages(mm, USER_STACK_TOP - PAGE_SIZE,
				       PAGE_SIZE, PROT_READ | PROT_WRITE) == 0);
	stack = find_vma(mm, USER_STACK_TOP - 1);
	stack->vm_flags |= VM_GROWSDOWN;
	KTEST_EXPECT_EQ(t,
			fault(mm, USER_STACK_TOP - 5 * PAGE_SIZE, X86_PF_WRITE),
			0);
	KTEST_EXPECT_EQ(t, find_vma(mm, USER_STACK_TOP - 1)->vm_start,
			USER_STACK_TOP - 5 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, mm->faults.count[FAULT_STACK_GROWTH], 1);
	KTEST_EXPECT_EQ(t,
			fault(mm, USER_STACK_TOP - (9UL << 20), X86_PF_WRITE),
			-EFAULT);
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	mmput(mm);
}

KTEST(pgtable, mprotect_splits_and_keeps_cow)
{
	struct mm_struct *mm = mm_alloc(), *child;
	const unsigned long rw = PROT_READ | PROT_WRITE;

	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, do_mmap(mm, BASE, 3 * PAGE_SIZE, rw,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				0) == (long)BASE);
	for (int i = 0; i < 3; i++)
		KTEST_EXPECT_EQ(t,
				fault(mm, BASE + i * PAGE_SIZE, X86_PF_WRITE),
				0);
	KTEST_EXPECT_EQ(t, mm->map_count, 1);
	KTEST_EXPECT_EQ(t,
			do_mprotect(mm, BASE + PAGE_SIZE, PAGE_SIZE, PROT_READ),
			0);
	KTEST_EXPECT_EQ(t, mm->map_count, 3); /* split in three */
	KTEST_EXPECT(t, !pte_write(*pte_slot(mm, BASE + PAGE_SIZE)));
	KTEST_EXPECT(t, pte_write(*pte_slot(mm, BASE)));
	KTEST_EXPECT_EQ(t,
			do_mprotect(mm, BASE + PAGE_SIZE, PAGE_SIZE, PROT_NONE),
			0);
	KTEST_EXPECT(t, !(pte_flags(*pte_slot(mm, BASE + PAGE_SIZE)) &
			  _PAGE_PRESENT));
	KTEST_EXPECT(t, pte_present(*pte_slot(mm, BASE + PAGE_SIZE)));
	KTEST_EXPECT(t, pte_protnone(*pte_slot(mm, BASE + PAGE_SIZE)));
	KTEST_EXPECT_EQ(t, fault(mm, BASE + PAGE_SIZE, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, do_mprotect(mm, BASE + PAGE_SIZE, PAGE_SIZE, rw), 0);
	KTEST_EXPECT_EQ(t, mm->map_count, 1); /* merged back */
	KTEST_EXPECT(t, pte_write(*pte_slot(mm, BASE + PAGE_SIZE)));
	/* After fork, mprotect(RW) must not make shared pages writable. */
	child = dup_mm(mm);
	KTEST_ASSERT(t, child);
	KTEST_EXPECT_EQ(t, do_mprotect(mm, BASE, 3 * PAGE_SIZE, rw), 0);
	KTEST_EXPECT(t, !pte_write(*pte_slot(mm, BASE)));
	/* 0x10 is no PROT_ bit (0x8, PROT_SEM, is one Linux accepts). */
	KTEST_EXPECT_EQ(t,
			do_mprotect(mm, BASE, PAGE_SIZE,
				    PROT_READ | PROT_WRITE | 0x10),
			-EINVAL);
	KTEST_EXPECT_EQ(t, do_mprotect(mm, BASE + 3 * PAGE_SIZE, PAGE_SIZE, rw),
			-ENOMEM);
	mmput(child);
	mmput(mm);
}

/* walk_page_range() callback: count the slots holding a frame. */
static int count_present(pte_t *pte, unsigned long addr, unsigned long next,
			 struct mm_walk *walk)
{
	(void)addr;
	(void)next;
	if (pte_present(*pte))
		(*(unsigned long *)walk->private)++;
	return 0;
}

KTEST(pgtable, addr_end_and_lookups)
{
	static const struct mm_walk_ops ops = { .pte_entry = count_present };
	struct mm_struct *mm = mm_alloc();
	unsigned long n = 0;
	pte_t *pte = NULL;

	/* The next step of a range walk: the end of this entry's span, or
	 * end when sooner; a span that ends at the top wraps to 0. */
	KTEST_EXPECT_EQ(t, pmd_addr_end(0x1000, 0x400000), 0x200000);
	KTEST_EXPECT_EQ(t, pmd_addr_end(0x1000, 0x3000), 0x3000);
	KTEST_EXPECT_EQ(t, pud_addr_end(BASE + 5, BASE + 3 * PUD_SIZE),
			BASE + PUD_SIZE);
	KTEST_EXPECT_EQ(t, pgd_addr_end(USER_TOP - PGDIR_SIZE, USER_TOP),
			USER_TOP);
	KTEST_EXPECT_EQ(t, pud_addr_end(-PUD_SIZE, 0), 0);

	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, do_mmap(mm, BASE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				0) == (long)BASE);
	KTEST_EXPECT(t, mm_find_pmd(mm, BASE) == NULL); /* no pud yet */
	KTEST_EXPECT_EQ(t, follow_pte(mm, BASE, &pte), -EINVAL);
	KTEST_EXPECT_EQ(t, fault(mm, BASE, X86_PF_WRITE), 0);
	KTEST_EXPECT_EQ(t, fault(mm, BASE + 2 * PAGE_SIZE, 0),
			0); /* zero page */
	KTEST_EXPECT_EQ(t, follow_pte(mm, BASE, &pte), 0);
	KTEST_EXPECT(t, pte == pte_slot(mm, BASE));
	KTEST_EXPECT_EQ(t, follow_pte(mm, BASE + PAGE_SIZE, &pte), -EINVAL);
	/* A PROT_NONE page still has its frame: follow_pte() finds it. */
	KTEST_EXPECT_EQ(t, do_mprotect(mm, BASE, PAGE_SIZE, PROT_NONE), 0);
	KTEST_EXPECT_EQ(t, follow_pte(mm, BASE, &pte), 0);
	KTEST_EXPECT(t, pte_protnone(*pte));
	/* The walk visits what the tables hold and builds nothing. */
	KTEST_EXPECT_EQ(t, walk_page_range(mm, BASE, BASE + PUD_SIZE, &ops, &n),
			0);
	KTEST_EXPECT_EQ(t, n, 2);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 4);
	mmput(mm);
}

/*
 * An unmap gathers its pages and flushes once per full gather, not once
 * per small batch: 2,048 pages need one shootdown for the pages and one
 * for the freed tables (mm/pgtable.c, struct mmu_gather). Each shootdown
 * is an IPI round to every other CPU running the mm.
 */
KTEST(pgtable, unmap_batches_its_shootdowns)
{
	const unsigned long pages = 2048;
	unsigned long free0 = nr_free_pages(), flushes;
	struct mm_struct *mm = mm_alloc();
	long a;

	KTEST_ASSERT(t, mm);
	a = do_mmap(mm, BASE, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
	KTEST_ASSERT(t, a == (long)BASE);
	for (unsigned long i = 0; i < pages; i++)
		KTEST_ASSERT(t, fault(mm, BASE + i * PAGE_SIZE, X86_PF_WRITE) ==
					0);
	KTEST_EXPECT_EQ(t, mm->rss, pages);
	flushes = READ_ONCE(nr_tlb_shootdowns);
	KTEST_EXPECT_EQ(t, do_munmap(mm, BASE, pages * PAGE_SIZE), 0);
	flushes = READ_ONCE(nr_tlb_shootdowns) - flushes;
	KTEST_EXPECT(t, flushes >= 1); /* the pages did go */
	KTEST_EXPECT(t, flushes <= 2);
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 1);
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

static void count_one_stack_growth(void *mm)
{
	count_fault(mm, FAULT_STACK_GROWTH);
}

/* The machine's counts are per CPU (count_fault(), this_cpu_add()):
 * global_fault_count() must see a fault counted on any CPU, once. */
KTEST(pgtable, machine_fault_counts_sum_every_cpu)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long before = global_fault_count(FAULT_STACK_GROWTH);
	unsigned long n = 0;
	int cpu;

	KTEST_ASSERT(t, mm);
	for_each_online_cpu(cpu)
	{
		KTEST_EXPECT_EQ(t,
				smp_call_function_single(cpu,
							 count_one_stack_growth,
							 mm, true),
				0);
		n++;
	}
	KTEST_EXPECT_EQ(t, global_fault_count(FAULT_STACK_GROWTH) - before, n);
	KTEST_EXPECT_EQ(t, mm->faults.count[FAULT_STACK_GROWTH], n);
	mmput(mm);
}
