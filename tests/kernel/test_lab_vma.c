/*
 * test_lab_vma.c - the tests of lab vma (labs/vma/README.md):
 * split_vma() and vma_merge() of mm/vma.c, directly and through the
 * mmap, munmap and mprotect that use them (mm/mmap.c), on a private mm.
 * Suite lab_vma (test=lab_vma). Linux's split_vma() and vma_merge()
 * (mm/mmap.c) are the model.
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
#include "pte_helpers.h"

#define VB 0x0000100000000000UL /* the lab's mappings start here */
#define P  PAGE_SIZE

static long lab_map(struct mm_struct *mm, unsigned long at, unsigned long len,
		    unsigned long prot)
{
	return do_mmap(mm, at, len, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
}

/* The flags of the VMA at addr, 0 when there is none. */
static unsigned long flags_at(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma->vm_flags : 0;
}

/* Does mm have a VMA exactly [start, end)? */
static bool has_vma(struct mm_struct *mm, unsigned long start,
		    unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	return vma && vma->vm_start == start && vma->vm_end == end;
}

KTEST(lab_vma, split_cuts_below_and_above)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *vma;
	unsigned long flags;

	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, lab_map(mm, VB, 8 * P, PROT_READ) == (long)VB);
	vma = find_vma(mm, VB);
	KTEST_ASSERT(t, vma);
	flags = vma->vm_flags;
	/* new_below: vma keeps the upper part. */
	KTEST_EXPECT_EQ(t, split_vma(mm, vma, VB + 2 * P, 1), 0);
	KTEST_EXPECT_EQ(t, vma->vm_start, VB + 2 * P);
	KTEST_EXPECT_EQ(t, vma->vm_end, VB + 8 * P);
	KTEST_EXPECT(t, has_vma(mm, VB, VB + 2 * P));
	/* not new_below: vma keeps the lower part. */
	KTEST_EXPECT_EQ(t, split_vma(mm, vma, VB + 5 * P, 0), 0);
	KTEST_EXPECT_EQ(t, vma->vm_start, VB + 2 * P);
	KTEST_EXPECT_EQ(t, vma->vm_end, VB + 5 * P);
	KTEST_EXPECT(t, has_vma(mm, VB + 5 * P, VB + 8 * P));
	KTEST_EXPECT_EQ(t, mm->map_count, 3);
	KTEST_EXPECT_EQ(t, flags_at(mm, VB + 7 * P), flags);
	KTEST_EXPECT_EQ(t, flags_at(mm, VB + P), flags);
	/* The tree finds each part (find_vma() walks the rbtree). */
	KTEST_EXPECT(t, find_vma(mm, VB + 4 * P) == vma);
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	mmput(mm);
}

KTEST(lab_vma, split_refuses_bad_addresses)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *vma;

	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, lab_map(mm, VB, 4 * P, PROT_READ) == (long)VB);
	vma = find_vma(mm, VB);
	KTEST_ASSERT(t, vma);
	KTEST_EXPECT_EQ(t, split_vma(mm, vma, VB, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, split_vma(mm, vma, VB + 4 * P, 1), -EINVAL);
	KTEST_EXPECT_EQ(t, split_vma(mm, vma, VB + 8 * P, 1), -EINVAL);
	KTEST_EXPECT_EQ(t, split_vma(mm, vma, VB + P + 8, 1), -EINVAL);
	/* Nothing changed. */
	KTEST_EXPECT(t, has_vma(mm, VB, VB + 4 * P));
	KTEST_EXPECT_EQ(t, mm->map_count, 1);
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	mmput(mm);
}

KTEST(lab_vma, merge_joins_equal_neighbours_only)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *vma;

	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, lab_map(mm, VB, 9 * P, PROT_READ) == (long)VB);
	vma = find_vma(mm, VB);
	KTEST_ASSERT(t, vma);
	KTEST_ASSERT(t, split_vma(mm, vma, VB + 3 * P, 0) == 0);
	vma = find_vma(mm, VB + 3 * P);
	KTEST_ASSERT(t, vma && split_vma(mm, vma, VB + 6 * P, 0) == 0);
	KTEST_EXPECT_EQ(t, mm->map_count, 3);
	/* The middle one joins both neighbours: the lowest survives. */
	vma = find_vma(mm, VB + 4 * P);
	KTEST_ASSERT(t, vma);
	vma = vma_merge(mm, vma);
	KTEST_ASSERT(t, vma);
	KTEST_EXPECT_EQ(t, vma->vm_start, VB);
	KTEST_EXPECT_EQ(t, vma->vm_end, VB + 9 * P);
	KTEST_EXPECT_EQ(t, mm->map_count, 1);
	KTEST_EXPECT(t, find_vma(mm, VB + 8 * P) == vma);
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	/* Different rights, or a gap: no merge. */
	KTEST_ASSERT(t, lab_map(mm, VB + 9 * P, P, PROT_READ | PROT_WRITE) ==
				(long)(VB + 9 * P));
	KTEST_ASSERT(t, lab_map(mm, VB + 11 * P, P, PROT_READ) ==
				(long)(VB + 11 * P));
	vma = find_vma(mm, VB + 9 * P);
	KTEST_ASSERT(t, vma);
	KTEST_EXPECT(t, vma_merge(mm, vma) == vma);
	KTEST_EXPECT(t, has_vma(mm, VB + 9 * P, VB + 10 * P));
	KTEST_EXPECT(t, has_vma(mm, VB + 11 * P, VB + 12 * P));
	KTEST_EXPECT_EQ(t, mm->map_count, 3);
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	mmput(mm);
}

/* munmap of the middle leaves two VMAs, and their pages. */
KTEST(lab_vma, munmap_middle_leaves_two)
{
	struct mm_struct *mm = mm_alloc();

	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, lab_map(mm, VB, 6 * P, PROT_READ | PROT_WRITE) ==
				(long)VB);
	for (int i = 0; i < 6; i++)
		KTEST_EXPECT_EQ(t,
				handle_user_addr_fault(mm,
						       X86_PF_USER |
							       X86_PF_WRITE,
						       VB + i * P),
				0);
	KTEST_EXPECT_EQ(t, do_munmap(mm, VB + 2 * P, 2 * P), 0);
	KTEST_EXPECT_EQ(t, mm->map_count, 2);
	KTEST_EXPECT(t, has_vma(mm, VB, VB + 2 * P));
	KTEST_EXPECT(t, has_vma(mm, VB + 4 * P, VB + 6 * P));
	KTEST_EXPECT(t, pte_present(pte_of(mm, VB + P)));
	KTEST_EXPECT(t, !pte_present(pte_of(mm, VB + 2 * P)));
	KTEST_EXPECT(t, !pte_present(pte_of(mm, VB + 3 * P)));
	KTEST_EXPECT(t, pte_present(pte_of(mm, VB + 4 * P)));
	KTEST_EXPECT_EQ(t, mm->rss, 4);
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	mmput(mm);
}

/* mprotect of the middle splits in three; mprotect back merges in one;
 * mmap beside an equal VMA merges with it. */
KTEST(lab_vma, mprotect_and_mmap_split_and_merge)
{
	struct mm_struct *mm = mm_alloc();

	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, lab_map(mm, VB, 6 * P, PROT_READ | PROT_WRITE) ==
				(long)VB);
	KTEST_EXPECT_EQ(t, do_mprotect(mm, VB + 2 * P, 2 * P, PROT_READ), 0);
	KTEST_EXPECT_EQ(t, mm->map_count, 3);
	KTEST_EXPECT(t, has_vma(mm, VB + 2 * P, VB + 4 * P));
	KTEST_EXPECT(t, !(flags_at(mm, VB + 2 * P) & VM_WRITE));
	KTEST_EXPECT(t, flags_at(mm, VB + 4 * P) & VM_WRITE);
	KTEST_EXPECT_EQ(t,
			do_mprotect(mm, VB + 2 * P, 2 * P,
				    PROT_READ | PROT_WRITE),
			0);
	KTEST_EXPECT_EQ(t, mm->map_count, 1);
	KTEST_EXPECT(t, has_vma(mm, VB, VB + 6 * P));
	KTEST_ASSERT(t, lab_map(mm, VB + 6 * P, 2 * P,
				PROT_READ | PROT_WRITE) == (long)(VB + 6 * P));
	KTEST_EXPECT_EQ(t, mm->map_count, 1);
	KTEST_EXPECT(t, has_vma(mm, VB, VB + 8 * P));
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	mmput(mm);
}
