/*
 * test_lab_cow.c - the tests of lab cow (labs/cow/README.md): fork's
 * copy_page_range() (mm/pgtable.c) and the write fault's do_wp_page()
 * (mm/fault.c), through dup_mm() and handle_user_addr_fault() on private
 * mms, as fork and the #PF handler would. Suite lab_cow (test=lab_cow).
 * Every test also must give back every page (ktest_run()); the last one
 * counts them itself. Linux's copy_pte_range(), do_wp_page() and
 * wp_page_copy() (mm/memory.c) are the model.
 */
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/string.h>
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

#define COW_BASE 0x0000100000000000UL

static int cow_fault(struct mm_struct *mm, unsigned long va, bool write)
{
	return handle_user_addr_fault(mm,
				      X86_PF_USER | (write ? X86_PF_WRITE : 0),
				      va);
}

/* The kernel's view of the byte at va, or NULL when nothing maps it. */
static u8 *cow_byte(struct mm_struct *mm, unsigned long va)
{
	pte_t pte = pte_of(mm, va);

	if (!pte_present(pte))
		return NULL;
	return (u8 *)__va((phys_addr_t)pte_pfn(pte) << PAGE_SHIFT) +
	       (va & ~PAGE_MASK);
}

/* The byte at va, or -1 when nothing maps it (a test must fail, not
 * oops, on a tree where the lab is not done yet). */
static int cow_read(struct mm_struct *mm, unsigned long va)
{
	u8 *p = cow_byte(mm, va);

	return p ? *p : -1;
}

/* Store c at va, as the kernel (no fault); false when nothing maps it. */
static bool cow_write(struct mm_struct *mm, unsigned long va, u8 c)
{
	u8 *p = cow_byte(mm, va);

	if (p)
		*p = c;
	return p != NULL;
}

/* The refcount of the page at va, or -1 when no page is mapped there. */
static int cow_refcount(struct mm_struct *mm, unsigned long va)
{
	pte_t pte = pte_of(mm, va);

	return pte_present(pte) ? pfn_to_page(pte_pfn(pte))->refcount : -1;
}

/* pages pages at COW_BASE, flags MAP_PRIVATE or MAP_SHARED; page i, when
 * i < written, written with the byte 'a' + i. */
static struct mm_struct *cow_mm(unsigned long pages, unsigned long written,
				int flags)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	if (do_mmap(mm, COW_BASE, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    flags | MAP_ANONYMOUS | MAP_FIXED, 0) != (long)COW_BASE)
		goto fail;
	for (unsigned long i = 0; i < written; i++) {
		if (cow_fault(mm, COW_BASE + i * PAGE_SIZE, true) ||
		    !cow_byte(mm, COW_BASE + i * PAGE_SIZE))
			goto fail;
		memset(cow_byte(mm, COW_BASE + i * PAGE_SIZE), 'a' + (int)i,
		       PAGE_SIZE);
	}
	return mm;
fail:
	mmput(mm);
	return NULL;
}

/* After fork both map the same frames, read-only, one more reference
 * each; holes stay holes and the zero page stays the zero page. */
KTEST(lab_cow, fork_shares_pages_read_only)
{
	struct mm_struct *mm = cow_mm(4, 2, MAP_PRIVATE), *child;

	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, cow_fault(mm, COW_BASE + 2 * PAGE_SIZE, false) == 0);
	child = dup_mm(mm);
	KTEST_ASSERT(t, child);
	for (unsigned long i = 0; i < 2; i++) {
		unsigned long va = COW_BASE + i * PAGE_SIZE;

		KTEST_EXPECT_EQ(t, pte_pfn(pte_of(child, va)),
				pte_pfn(pte_of(mm, va)));
		KTEST_EXPECT(t, !pte_write(pte_of(mm, va)));
		KTEST_EXPECT(t, !pte_write(pte_of(child, va)));
		KTEST_EXPECT(t, pte_of(child, va) & _PAGE_USER);
		KTEST_EXPECT_EQ(t, cow_refcount(mm, va), 2);
		KTEST_EXPECT_EQ(t, cow_read(child, va), (int)('a' + i));
	}
	KTEST_EXPECT(t, is_zero_pfn(pte_pfn(
				pte_of(child, COW_BASE + 2 * PAGE_SIZE))));
	KTEST_EXPECT(t, pte_of(child, COW_BASE + 3 * PAGE_SIZE) == 0);
	KTEST_EXPECT_EQ(t, child->rss, 2);
	KTEST_EXPECT_EQ(t, child->nr_pgtables, mm->nr_pgtables);
	mmput(child);
	/* The child's references went with it. */
	KTEST_EXPECT_EQ(t, cow_refcount(mm, COW_BASE), 1);
	mmput(mm);
}

/* The first writer gets a copy; the last one keeps the frame. */
KTEST(lab_cow, write_copies_then_reuses)
{
	struct mm_struct *mm = cow_mm(1, 1, MAP_PRIVATE), *child;
	unsigned long free;
	pfn_t old;

	KTEST_ASSERT(t, mm);
	child = dup_mm(mm);
	KTEST_ASSERT(t, child);
	old = pte_pfn(pte_of(mm, COW_BASE));
	free = nr_free_pages();
	KTEST_EXPECT_EQ(t, cow_fault(child, COW_BASE, true), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free - 1); /* one copy */
	KTEST_EXPECT(t, pte_pfn(pte_of(child, COW_BASE)) != old);
	KTEST_EXPECT(t, pte_write(pte_of(child, COW_BASE)));
	KTEST_EXPECT(t, pte_of(child, COW_BASE) & _PAGE_DIRTY);
	KTEST_EXPECT_EQ(t, cow_read(child, COW_BASE + 99), 'a'); /* copied */
	KTEST_EXPECT_EQ(t, pfn_to_page(old)->refcount, 1);
	KTEST_EXPECT_EQ(t, child->faults.count[FAULT_COW], 1);
	/* The parent, alone on the old frame now, reuses it: no copy. */
	KTEST_EXPECT(t, !pte_write(pte_of(mm, COW_BASE)));
	KTEST_EXPECT_EQ(t, cow_fault(mm, COW_BASE, true), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free - 1);
	KTEST_EXPECT_EQ(t, pte_pfn(pte_of(mm, COW_BASE)), old);
	KTEST_EXPECT(t, pte_write(pte_of(mm, COW_BASE)));
	KTEST_EXPECT_EQ(t, mm->faults.count[FAULT_COW], 1);
	/* Each sees its own writes only. */
	KTEST_EXPECT(t, cow_write(child, COW_BASE, 'C'));
	KTEST_EXPECT(t, cow_write(mm, COW_BASE, 'P'));
	KTEST_EXPECT_EQ(t, cow_read(child, COW_BASE), 'C');
	KTEST_EXPECT_EQ(t, cow_read(mm, COW_BASE), 'P');
	KTEST_EXPECT_EQ(t, mm->rss, 1);
	KTEST_EXPECT_EQ(t, child->rss, 1);
	mmput(child);
	mmput(mm);
}

/* A write to the zero page gets a zeroed page of its own, in the child
 * and in the parent alike. */
KTEST(lab_cow, zero_page_write_gets_a_new_page)
{
	struct mm_struct *mm = cow_mm(1, 0, MAP_PRIVATE), *child;

	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, cow_fault(mm, COW_BASE, false) == 0);
	child = dup_mm(mm);
	KTEST_ASSERT(t, child);
	KTEST_EXPECT_EQ(t, cow_fault(child, COW_BASE, true), 0);
	KTEST_EXPECT(t, !is_zero_pfn(pte_pfn(pte_of(child, COW_BASE))));
	KTEST_EXPECT(t, pte_write(pte_of(child, COW_BASE)));
	KTEST_EXPECT_EQ(t, cow_read(child, COW_BASE + 4000), 0);
	KTEST_EXPECT(t, is_zero_pfn(pte_pfn(pte_of(mm, COW_BASE))));
	KTEST_EXPECT_EQ(t, child->rss, 1);
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	KTEST_EXPECT_EQ(t, cow_fault(mm, COW_BASE, true), 0);
	KTEST_EXPECT(t, pte_pfn(pte_of(mm, COW_BASE)) !=
				pte_pfn(pte_of(child, COW_BASE)));
	KTEST_EXPECT_EQ(t, mm->rss, 1);
	mmput(child);
	mmput(mm);
}

/* A shared mapping is not copied on write: fork keeps it writable and
 * both see each other's writes. */
KTEST(lab_cow, shared_mapping_stays_shared)
{
	struct mm_struct *mm = cow_mm(1, 1, MAP_SHARED), *child;

	KTEST_ASSERT(t, mm);
	child = dup_mm(mm);
	KTEST_ASSERT(t, child);
	KTEST_EXPECT(t, pte_write(pte_of(mm, COW_BASE)));
	KTEST_EXPECT(t, pte_write(pte_of(child, COW_BASE)));
	KTEST_EXPECT_EQ(t, pte_pfn(pte_of(child, COW_BASE)),
			pte_pfn(pte_of(mm, COW_BASE)));
	KTEST_EXPECT(t, cow_write(child, COW_BASE, 'S'));
	KTEST_EXPECT_EQ(t, cow_read(mm, COW_BASE), 'S');
	mmput(child);
	mmput(mm);
}

/* Leaks: three generations, writes in every order, exits in every order;
 * the free-page count must come back to where it was. */
KTEST(lab_cow, free_pages_back_at_baseline)
{
	unsigned long free0 = nr_free_pages();
	struct mm_struct *a = cow_mm(16, 16, MAP_PRIVATE), *b, *c;

	KTEST_ASSERT(t, a);
	b = dup_mm(a);
	KTEST_ASSERT(t, b);
	for (unsigned long i = 0; i < 16; i += 2)
		KTEST_EXPECT_EQ(t, cow_fault(b, COW_BASE + i * PAGE_SIZE, true),
				0);
	c = dup_mm(b);
	KTEST_ASSERT(t, c);
	for (unsigned long i = 0; i < 16; i += 3)
		KTEST_EXPECT_EQ(t, cow_fault(a, COW_BASE + i * PAGE_SIZE, true),
				0);
	for (unsigned long i = 0; i < 16; i++)
		KTEST_EXPECT_EQ(t, cow_fault(c, COW_BASE + i * PAGE_SIZE, true),
				0);
	for (unsigned long i = 0; i < 16; i++)
		KTEST_EXPECT_EQ(t, cow_read(c, COW_BASE + i * PAGE_SIZE + 7),
				(int)('a' + i));
	mmput(b); /* the middle one first */
	for (unsigned long i = 0; i < 16; i++)
		KTEST_EXPECT_EQ(t, cow_fault(a, COW_BASE + i * PAGE_SIZE, true),
				0);
	mmput(a);
	mmput(c);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}
