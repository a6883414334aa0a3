/*
 * test_lab_demand.c - the tests of lab demand (labs/demand/README.md):
 * do_anonymous_page() of mm/fault.c, demand paging and the shared zero
 * page, driven through handle_user_addr_fault() on a private mm as the
 * #PF handler would. Suite lab_demand (test=lab_demand). Linux's
 * do_anonymous_page() (mm/memory.c) is the model.
 */
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <mm/fault.h>
#include <mm/mman.h>
#include <mm/mm_types.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <asm/pgtable_bits.h>
#include <asm/trap_pf.h>
#include "pte_helpers.h"

#define DEMAND_BASE 0x0000100000000000UL

static int demand_fault(struct mm_struct *mm, unsigned long va, bool write)
{
	return handle_user_addr_fault(mm,
				      X86_PF_USER | (write ? X86_PF_WRITE : 0),
				      va);
}

static struct mm_struct *demand_mm(unsigned long pages, int flags)
{
	struct mm_struct *mm = mm_alloc();

	if (mm &&
	    do_mmap(mm, DEMAND_BASE, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    flags | MAP_FIXED, 0) != (long)DEMAND_BASE) {
		mmput(mm);
		mm = NULL;
	}
	return mm;
}

/* A read maps the one shared zero page, read-only, and allocates nothing
 * but the page table it needs. */
KTEST(lab_demand, read_maps_the_zero_page)
{
	struct mm_struct *mm = demand_mm(8, MAP_PRIVATE | MAP_ANONYMOUS);
	unsigned long free;
	pte_t pte;

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT(t, pte_slot(mm, DEMAND_BASE) == NULL);
	KTEST_EXPECT_EQ(t, demand_fault(mm, DEMAND_BASE, false), 0);
	pte = pte_of(mm, DEMAND_BASE);
	KTEST_EXPECT(t, pte_present(pte) && is_zero_pfn(pte_pfn(pte)));
	KTEST_EXPECT(t, !pte_write(pte));
	KTEST_EXPECT(t, pte & _PAGE_USER);
	KTEST_EXPECT(t, pte & _PAGE_NX); /* the VMA has no PROT_EXEC */
	/* The next read in the same table costs no page at all. */
	free = nr_free_pages();
	KTEST_EXPECT_EQ(t, demand_fault(mm, DEMAND_BASE + 5 * PAGE_SIZE, false),
			0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free);
	KTEST_EXPECT_EQ(t, pte_pfn(pte_of(mm, DEMAND_BASE + 5 * PAGE_SIZE)),
			zero_pfn);
	KTEST_EXPECT(t, pte_of(mm, DEMAND_BASE + PAGE_SIZE) == 0);
	KTEST_EXPECT_EQ(t, mm->rss, 0); /* the zero page is nobody's */
	KTEST_EXPECT_EQ(t, mm->faults.count[FAULT_ZERO_PAGE], 2);
	KTEST_EXPECT_EQ(t, mm->faults.count[FAULT_READ], 2);
	KTEST_EXPECT_EQ(t, mm->faults.count[FAULT_WRITE], 0);
	mmput(mm);
}

/* A write maps a page of its own, zeroed, writable, accessed and dirty. */
KTEST(lab_demand, write_maps_a_zeroed_page)
{
	struct mm_struct *mm = demand_mm(8, MAP_PRIVATE | MAP_ANONYMOUS);
	unsigned long free;
	const u8 *p;
	bool zeroed = true;
	pte_t pte;

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, demand_fault(mm, DEMAND_BASE, true), 0);
	free = nr_free_pages();
	KTEST_EXPECT_EQ(t, demand_fault(mm, DEMAND_BASE + 7 * PAGE_SIZE, true),
			0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free - 1); /* one page, no table */
	pte = pte_of(mm, DEMAND_BASE + 7 * PAGE_SIZE);
	KTEST_ASSERT(t, pte_present(pte) && !is_zero_pfn(pte_pfn(pte)));
	KTEST_EXPECT(t, pte_write(pte) && (pte & _PAGE_USER));
	KTEST_EXPECT(t, pte & _PAGE_ACCESSED);
	KTEST_EXPECT(t, pte & _PAGE_DIRTY);
	KTEST_EXPECT(t, pte & _PAGE_NX);
	KTEST_EXPECT(t, pte_pfn(pte) != pte_pfn(pte_of(mm, DEMAND_BASE)));
	p = __va((phys_addr_t)pte_pfn(pte) << PAGE_SHIFT);
	for (unsigned long i = 0; i < PAGE_SIZE; i++)
		zeroed = zeroed && p[i] == 0;
	KTEST_EXPECT(t, zeroed);
	KTEST_EXPECT_EQ(t, pfn_to_page(pte_pfn(pte))->refcount, 1);
	KTEST_EXPECT_EQ(t, mm->rss, 2);
	KTEST_EXPECT_EQ(t, mm->faults.count[FAULT_WRITE], 2);
	KTEST_EXPECT_EQ(t, mm->faults.count[FAULT_ZERO_PAGE], 0);
	mmput(mm);
}

/* The first fault under an empty pmd slot builds the PTE table (and the
 * levels above it); the next faults in its 2 MiB reuse it. */
KTEST(lab_demand, first_fault_builds_the_table)
{
	struct mm_struct *mm = demand_mm(PMD_SIZE / PAGE_SIZE + 1,
					 MAP_PRIVATE | MAP_ANONYMOUS);

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 1);
	KTEST_EXPECT_EQ(t, demand_fault(mm, DEMAND_BASE + 3 * PAGE_SIZE, true),
			0);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 4); /* pgd, pud, pmd, pt */
	KTEST_EXPECT_EQ(t, demand_fault(mm, DEMAND_BASE, false), 0);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 4);
	KTEST_EXPECT_EQ(t, demand_fault(mm, DEMAND_BASE + PMD_SIZE, false), 0);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 5); /* a second pt */
	KTEST_EXPECT(t, pte_present(pte_of(mm, DEMAND_BASE + PMD_SIZE)));
	mmput(mm);
}

/* A shared mapping gets a real page even for a read: the zero page could
 * not be written through later without losing what the others see.
 * mmap may fault a shared mapping in at once (mm/mmap.c, populate(), as
 * reads when it is read-only); the reads below find the pages there, or
 * fault them in themselves: the same path either way. */
KTEST(lab_demand, shared_read_gets_a_page)
{
	struct mm_struct *mm = mm_alloc();
	pte_t pte;

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t,
			do_mmap(mm, DEMAND_BASE, 2 * PAGE_SIZE, PROT_READ,
				MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, 0),
			(long)DEMAND_BASE);
	for (int i = 0; i < 2; i++) {
		KTEST_EXPECT_EQ(t,
				demand_fault(mm, DEMAND_BASE + i * PAGE_SIZE,
					     false),
				0);
		pte = pte_of(mm, DEMAND_BASE + i * PAGE_SIZE);
		KTEST_EXPECT(t, pte_present(pte) && !is_zero_pfn(pte_pfn(pte)));
		KTEST_EXPECT(t, !pte_write(pte));
	}
	KTEST_EXPECT_EQ(t, mm->rss, 2);
	KTEST_EXPECT_EQ(t, mm->faults.count[FAULT_ZERO_PAGE], 0);
	KTEST_EXPECT_EQ(t, mm->faults.count[FAULT_READ], 2);
	mmput(mm);
}

/* A fault on a PTE that is already what the access needs changes
 * nothing: another thread (or a stale TLB) got there first. */
KTEST(lab_demand, second_fault_changes_nothing)
{
	struct mm_struct *mm = demand_mm(2, MAP_PRIVATE | MAP_ANONYMOUS);
	unsigned long free;
	pte_t pte;

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, demand_fault(mm, DEMAND_BASE, true), 0);
	pte = pte_of(mm, DEMAND_BASE);
	free = nr_free_pages();
	KTEST_EXPECT_EQ(t, demand_fault(mm, DEMAND_BASE, true), 0);
	KTEST_EXPECT_EQ(t, demand_fault(mm, DEMAND_BASE, false), 0);
	KTEST_EXPECT_EQ(t, pte_of(mm, DEMAND_BASE), pte);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free);
	KTEST_EXPECT_EQ(t, mm->rss, 1);
	mmput(mm);
}

/* Every page a fault took comes back when the mm goes. */
KTEST(lab_demand, munmap_gives_every_page_back)
{
	unsigned long free0 = nr_free_pages();
	struct mm_struct *mm = demand_mm(64, MAP_PRIVATE | MAP_ANONYMOUS);

	KTEST_ASSERT(t, mm);
	for (unsigned long i = 0; i < 64; i++)
		KTEST_EXPECT_EQ(t,
				demand_fault(mm, DEMAND_BASE + i * PAGE_SIZE,
					     i % 3 != 0),
				0);
	KTEST_EXPECT_EQ(t, mm->rss, 42);
	KTEST_EXPECT_EQ(t, do_munmap(mm, DEMAND_BASE, 64 * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}
