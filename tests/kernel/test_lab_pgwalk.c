/*
 * test_lab_pgwalk.c - the tests of lab pgwalk (labs/pgwalk/README.md):
 * mm_find_pmd(), follow_pte() and dump_pagetable() of mm/pgtable.c, on a
 * private mm that is never switched to, its pages faulted in through
 * handle_user_addr_fault() as the #PF handler would. Suite lab_pgwalk
 * (test=lab_pgwalk); tools/grade.py also checks the lines the dump test
 * prints against labs/pgwalk/lab.json.
 */
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <mm/mman.h>
#include <mm/mm_types.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <asm/trap_pf.h>

/* A 1 TiB boundary: the first fault builds a pud, a pmd and a PTE table. */
#define LAB_BASE 0x0000100000000000UL

static int lab_fault(struct mm_struct *mm, unsigned long va, bool write)
{
	return handle_user_addr_fault(mm,
				      X86_PF_USER | (write ? X86_PF_WRITE : 0),
				      va);
}

/* An mm with [LAB_BASE, +4 pages) read-write: page 0 written, page 1
 * read (the zero page), page 2 untouched, page 3 PROT_NONE after a write. */
static struct mm_struct *lab_mm(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	if (do_mmap(mm, LAB_BASE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		    0) != (long)LAB_BASE ||
	    lab_fault(mm, LAB_BASE, true) ||
	    lab_fault(mm, LAB_BASE + PAGE_SIZE, false) ||
	    lab_fault(mm, LAB_BASE + 3 * PAGE_SIZE, true) ||
	    do_mprotect(mm, LAB_BASE + 3 * PAGE_SIZE, PAGE_SIZE, PROT_NONE)) {
		ktest_fail(t, __FILE__, __LINE__, "could not set up the mm");
		mmput(mm);
		return NULL;
	}
	return mm;
}

/* mm_find_pmd() returns the pmd slot itself, present or not, and NULL
 * only when a level above it is missing. */
KTEST(lab_pgwalk, find_pmd_stops_at_a_missing_level)
{
	struct mm_struct *mm = mm_alloc();
	pmd_t *pmd;

	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t,
		     do_mmap(mm, LAB_BASE, 2 * PUD_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			     0) == (long)LAB_BASE);
	KTEST_EXPECT(t, mm_find_pmd(mm, LAB_BASE) == NULL); /* no pud table */
	KTEST_ASSERT(t, lab_fault(mm, LAB_BASE, true) == 0);
	pmd = mm_find_pmd(mm, LAB_BASE);
	KTEST_ASSERT(t, pmd != NULL);
	KTEST_EXPECT(t, pmd_present(*pmd));
	/* The same slot a level-by-level walk reaches. */
	KTEST_EXPECT(t, pmd == pmd_offset(pud_offset(pgd_offset(mm, LAB_BASE),
						     LAB_BASE),
					  LAB_BASE));
	/* The next 2 MiB: same pmd table, an empty slot, not NULL. */
	KTEST_EXPECT(t, mm_find_pmd(mm, LAB_BASE + PMD_SIZE) == pmd + 1);
	KTEST_EXPECT(t, pmd_none(*(pmd + 1)));
	/* The next 1 GiB: its pud slot is empty, so no pmd table. */
	KTEST_EXPECT(t, mm_find_pmd(mm, LAB_BASE + PUD_SIZE) == NULL);
	/* The next 512 GiB: its pgd slot is empty. */
	KTEST_EXPECT(t, mm_find_pmd(mm, LAB_BASE + PGDIR_SIZE) == NULL);
	/* Nothing was built by looking. */
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 4);
	mmput(mm);
}

/* follow_pte() finds a present PTE (a frame, the zero page, a PROT_NONE
 * page) and nothing else. */
KTEST(lab_pgwalk, follow_pte_finds_present_entries)
{
	struct mm_struct *mm = lab_mm(t);
	pte_t *pte = NULL;
	pmd_t *pmd;

	KTEST_ASSERT(t, mm);
	pmd = mm_find_pmd(mm, LAB_BASE);
	KTEST_EXPECT_EQ(t, follow_pte(mm, LAB_BASE, &pte), 0);
	KTEST_EXPECT(t, pmd != NULL);
	if (!pte || !pmd) { /* nothing more to learn: no oops either */
		mmput(mm);
		return;
	}
	KTEST_EXPECT(t, pte == pte_offset_kernel(pmd, LAB_BASE));
	KTEST_EXPECT(t, pte_write(*pte) && !is_zero_pfn(pte_pfn(*pte)));
	KTEST_EXPECT_EQ(t, follow_pte(mm, LAB_BASE + 123, &pte), 0);
	KTEST_EXPECT_EQ(t, follow_pte(mm, LAB_BASE + PAGE_SIZE, &pte), 0);
	KTEST_EXPECT(t, is_zero_pfn(pte_pfn(*pte)));
	KTEST_EXPECT_EQ(t, follow_pte(mm, LAB_BASE + 3 * PAGE_SIZE, &pte), 0);
	KTEST_EXPECT(t, pte_protnone(*pte));
	pte = NULL;
	KTEST_EXPECT_EQ(t, follow_pte(mm, LAB_BASE + 2 * PAGE_SIZE, &pte),
			-EINVAL);
	KTEST_EXPECT_EQ(t, follow_pte(mm, LAB_BASE + PMD_SIZE, &pte), -EINVAL);
	KTEST_EXPECT_EQ(t, follow_pte(mm, LAB_BASE + PUD_SIZE, &pte), -EINVAL);
	KTEST_EXPECT_EQ(t, follow_pte(mm, LAB_BASE - PGDIR_SIZE, &pte),
			-EINVAL);
	KTEST_EXPECT(t, pte == NULL); /* untouched on failure */
	mmput(mm);
}

/*
 * The dump of five pages: written, the zero page, untouched, PROT_NONE,
 * and one past the VMA in a pmd slot nobody filled. The lines it prints
 * are checked by tools/grade.py (labs/pgwalk/lab.json, "expect"); here,
 * only that it changes nothing.
 */
KTEST(lab_pgwalk, dump_prints_each_level)
{
	struct mm_struct *mm = lab_mm(t);
	unsigned long rss, tables;

	KTEST_ASSERT(t, mm);
	rss = mm->rss;
	tables = mm->nr_pgtables;
	dump_pagetable(mm, LAB_BASE, LAB_BASE + 4 * PAGE_SIZE);
	dump_pagetable(mm, LAB_BASE + PMD_SIZE + 5, LAB_BASE + PMD_SIZE + 6);
	KTEST_EXPECT_EQ(t, mm->rss, rss);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, tables);
	mmput(mm);
}
