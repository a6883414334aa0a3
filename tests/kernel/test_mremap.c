/*
 * test_mremap.c - in-kernel tests of mremap's move_page_tables()
 * (mm/mremap.c) on a private mm that is never switched to: a move must
 * carry every PTE, the same frame to the same offset, across the 2 MiB
 * and 1 GiB boundaries of either side, build the tables the new range
 * needs and no others, leave nothing at the old address, and keep rss.
 */
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <mm/fault.h>
#include <mm/mman.h>
#include <mm/mmap_lock.h>
#include <mm/mm_types.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <asm/trap_pf.h>
#include "pte_helpers.h"

#define BASE 0x0000200000000000UL /* a 1 TiB boundary: every level new */
#define NPG  700UL		  /* pages moved: more than a PTE table */
#define RW   (PROT_READ | PROT_WRITE)

static int fault(struct mm_struct *mm, unsigned long va, unsigned long ec)
{
	return handle_user_addr_fault(mm, X86_PF_USER | ec, va);
}

/* The frames of the NPG pages from va (0 where nothing is mapped). */
static void frames(struct mm_struct *mm, unsigned long va, pfn_t *pfn)
{
	for (unsigned long i = 0; i < NPG; i++) {
		pte_t pte = pte_of(mm, va + i * PAGE_SIZE);

		pfn[i] = pte_present(pte) ? pte_pfn(pte) : 0;
	}
}

/*
 * Move NPG pages from src to dst (FIXED), every other page written
 * first, and check frame by frame. src and dst sit at different offsets
 * inside their tables, so every piece of the move ends at one side's
 * boundary or the other's.
 */
static void move_and_check(struct ktest *t, unsigned long src,
			   unsigned long dst, const char *what)
{
	static pfn_t before[NPG], after[NPG];
	unsigned long free0 = nr_free_pages(), rss, moved = 0;
	struct mm_struct *mm = mm_alloc();
	long r;

	KTEST_ASSERT(t, mm);
	r = do_mmap(mm, src, NPG * PAGE_SIZE, RW,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
	KTEST_ASSERT(t, r == (long)src);
	for (unsigned long i = 0; i < NPG; i += 2)
		KTEST_EXPECT_EQ(t, fault(mm, src + i * PAGE_SIZE, X86_PF_WRITE),
				0);
	/* A read of an untouched page maps the zero page: it moves too. */
	KTEST_EXPECT_EQ(t, fault(mm, src + PAGE_SIZE, 0), 0);
	frames(mm, src, before);
	rss = mm->rss;
	r = do_mremap(mm, src, NPG * PAGE_SIZE, NPG * PAGE_SIZE,
		      MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	KTEST_EXPECT_EQ(t, r, (long)dst);
	frames(mm, dst, after);
	for (unsigned long i = 0; i < NPG; i++) {
		if (before[i] != after[i]) {
			ktest_fail(t, __FILE__, __LINE__,
				   "%s: page %lu: pfn %#lx before, %#lx after",
				   what, i, (unsigned long)before[i],
				   (unsigned long)after[i]);
			break;
		}
		moved += before[i] != 0;
		if (pte_of(mm, src + i * PAGE_SIZE)) {
			ktest_fail(t, __FILE__, __LINE__,
				   "%s: page %lu left at the old address", what,
				   i);
			break;
		}
	}
	KTEST_EXPECT_EQ(t, moved, NPG / 2 + 1);
	KTEST_EXPECT(t, is_zero_pfn(after[1]));
	KTEST_EXPECT_EQ(t, mm->rss, rss);
	KTEST_EXPECT(t, find_vma_intersection(mm, src, src + NPG * PAGE_SIZE) ==
				NULL);
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	/* The old range's last table went with its VMA (no neighbour). */
	KTEST_EXPECT(t, pte_slot(mm, src + (NPG - 1) * PAGE_SIZE) == NULL);
	KTEST_EXPECT_EQ(t, do_munmap(mm, dst, NPG * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, 1); /* the pgd alone */
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

/* Across 2 MiB boundaries at different offsets, into tables that exist
 * for neither side yet (a new pmd below the same pud). */
KTEST(mremap, move_crosses_pte_tables)
{
	move_and_check(t, BASE + PMD_SIZE - 3 * PAGE_SIZE,
		       BASE + 8 * PMD_SIZE + 100 * PAGE_SIZE, "2 MiB");
}

/* Into a range that crosses a 1 GiB boundary: a new pud entry, two new
 * pmd tables, from a source in another PML4 slot. */
KTEST(mremap, move_into_new_upper_tables)
{
	move_and_check(t, BASE + 5 * PAGE_SIZE,
		       BASE + PGDIR_SIZE + PUD_SIZE - 300 * PAGE_SIZE, "1 GiB");
}

/* Downwards, overlapping tables on the way (one PTE table holds the end
 * of the new range and the start of the old). */
KTEST(mremap, move_down_sharing_a_table)
{
	unsigned long src = BASE + 2 * PMD_SIZE + 10 * PAGE_SIZE;

	move_and_check(t, src, src - (NPG + 5) * PAGE_SIZE, "shared table");
}

/*
 * move_page_tables() itself: a sparse source (one page per 2 MiB table)
 * builds a new table only where the old range had one, and what it
 * moves it can move back.
 */
KTEST(mremap, move_page_tables_sparse_and_back)
{
	unsigned long free0 = nr_free_pages(), src = BASE,
		      dst = BASE + PUD_SIZE, len = 8 * PMD_SIZE, tables;
	struct mm_struct *mm = mm_alloc();
	pte_t pte;

	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, do_mmap(mm, src, len, RW,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				0) == (long)src);
	KTEST_EXPECT_EQ(t,
			fault(mm, src + 3 * PMD_SIZE + 7 * PAGE_SIZE,
			      X86_PF_WRITE),
			0);
	pte = pte_of(mm, src + 3 * PMD_SIZE + 7 * PAGE_SIZE);
	tables = mm->nr_pgtables;
	mmap_write_lock(mm);
	KTEST_EXPECT_EQ(t, move_page_tables(mm, src, dst, len), len);
	mmap_write_unlock(mm);
	/* One new pmd table and one PTE table: the source's only one. */
	KTEST_EXPECT_EQ(t, mm->nr_pgtables, tables + 2);
	KTEST_EXPECT_EQ(t, pte_of(mm, dst + 3 * PMD_SIZE + 7 * PAGE_SIZE), pte);
	KTEST_EXPECT(t, pte_slot(mm, dst) == NULL);
	KTEST_EXPECT_EQ(t, pte_of(mm, src + 3 * PMD_SIZE + 7 * PAGE_SIZE), 0);
	mmap_write_lock(mm);
	KTEST_EXPECT_EQ(t, move_page_tables(mm, dst, src, len), len);
	mmap_write_unlock(mm);
	KTEST_EXPECT_EQ(t, pte_of(mm, src + 3 * PMD_SIZE + 7 * PAGE_SIZE), pte);
	KTEST_EXPECT_EQ(t, do_munmap(mm, src, len), 0);
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	mmput(mm); /* frees the tables left under dst too */
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

/* Growing in place and shrinking keep the frames; a grow that cannot
 * happen in place fails without MREMAP_MAYMOVE and changes nothing. */
KTEST(mremap, grow_shrink_in_place)
{
	unsigned long free0 = nr_free_pages();
	struct mm_struct *mm = mm_alloc();
	pte_t pte;

	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, do_mmap(mm, BASE, 4 * PAGE_SIZE, RW,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				0) == (long)BASE);
	KTEST_EXPECT_EQ(t, fault(mm, BASE, X86_PF_WRITE), 0);
	pte = pte_of(mm, BASE);
	KTEST_EXPECT_EQ(t,
			do_mremap(mm, BASE, 4 * PAGE_SIZE, 16 * PAGE_SIZE, 0,
				  0),
			(long)BASE);
	KTEST_EXPECT_EQ(t, mm->map_count, 1);
	KTEST_EXPECT_EQ(t, pte_of(mm, BASE), pte);
	KTEST_ASSERT(t, do_mmap(mm, BASE + 16 * PAGE_SIZE, PAGE_SIZE, PROT_READ,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				0) == (long)(BASE + 16 * PAGE_SIZE));
	KTEST_EXPECT_EQ(t,
			do_mremap(mm, BASE, 16 * PAGE_SIZE, 17 * PAGE_SIZE, 0,
				  0),
			-ENOMEM);
	KTEST_EXPECT_EQ(t, pte_of(mm, BASE), pte);
	KTEST_EXPECT_EQ(t, do_mremap(mm, BASE, 16 * PAGE_SIZE, PAGE_SIZE, 0, 0),
			(long)BASE);
	KTEST_EXPECT_EQ(t, mm->map_count, 2);
	KTEST_EXPECT_EQ(t, pte_of(mm, BASE), pte);
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}
