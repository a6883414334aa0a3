/*
 * test_brk.c - in-kernel tests of brk's limits (do_brk(), mm/mmap.c), the
 * rules of Linux 6.1's brk(2) that a user test cannot reach on this
 * kernel: the stack guard gap below a VM_GROWSDOWN VMA (our mmap does not
 * take MAP_GROWSDOWN, so only exec makes one), and the top of user space.
 * tests/user/t_brk_gap.c checks the page gap below an ordinary mapping on
 * both kernels. Suite: brk (test=brk).
 */
#include <kernel/ktest.h>
#include <mm/mman.h>
#include <mm/page.h>
#include <mm/user_mm.h>
#include <mm/vma.h>

#define BASE  0x800000UL
#define GAP   (256 * PAGE_SIZE) /* Linux's default stack_guard_gap */
#define ANON  (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define STACK (BASE + 64 * GAP) /* a stack, well above the heap */

static struct mm_struct *heap_mm(unsigned long base)
{
	struct mm_struct *mm = mm_alloc();

	if (mm)
		mm->start_brk = mm->brk = base;
	return mm;
}

KTEST(brk, keeps_a_page_below_the_next_mapping)
{
	struct mm_struct *mm = heap_mm(BASE);
	unsigned long next = BASE + 4 * PAGE_SIZE;

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, do_mmap(mm, next, PAGE_SIZE, PROT_READ, ANON, 0),
			(long)next);
	/* Touching the mapping: refused, the break stays. */
	KTEST_EXPECT_EQ(t, do_brk(mm, next), BASE);
	KTEST_EXPECT_EQ(t, do_brk(mm, next - PAGE_SIZE + 1), BASE);
	/* One page free below it: allowed. */
	KTEST_EXPECT_EQ(t, do_brk(mm, next - PAGE_SIZE), next - PAGE_SIZE);
	/* Over it: refused. */
	KTEST_EXPECT_EQ(t, do_brk(mm, next + 2 * PAGE_SIZE), next - PAGE_SIZE);
	KTEST_EXPECT(t, find_vma(mm, next)->vm_start == next);
	mmput(mm);
}

KTEST(brk, keeps_the_guard_gap_below_a_stack)
{
	struct mm_struct *mm = heap_mm(BASE);
	unsigned long limit = STACK - GAP - PAGE_SIZE;

	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, do_mmap(mm, STACK, PAGE_SIZE, PROT_READ | PROT_WRITE,
				ANON, 0) == (long)STACK);
	find_vma(mm, STACK)->vm_flags |= VM_GROWSDOWN; /* as exec does */
	KTEST_EXPECT_EQ(t, do_brk(mm, STACK - PAGE_SIZE), BASE);
	KTEST_EXPECT_EQ(t, do_brk(mm, limit + 1), BASE);
	KTEST_EXPECT_EQ(t, do_brk(mm, limit), limit);
	/* An ordinary mapping there may come as close as a page. */
	find_vma(mm, STACK)->vm_flags &= ~VM_GROWSDOWN;
	KTEST_EXPECT_EQ(t, do_brk(mm, STACK - PAGE_SIZE), STACK - PAGE_SIZE);
	mmput(mm);
}

KTEST(brk, a_stack_below_its_gap_blocks_everything)
{
	/* A stack so low that its gap would reach below 0: Linux's
	 * vm_start_gap() is then 0, and no heap may grow towards it. */
	struct mm_struct *mm = heap_mm(0x10000);

	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, do_mmap(mm, 0x20000, PAGE_SIZE, PROT_READ, ANON, 0) ==
				0x20000);
	find_vma(mm, 0x20000)->vm_flags |= VM_GROWSDOWN;
	KTEST_EXPECT_EQ(t, do_brk(mm, 0x11000), 0x10000);
	mmput(mm);
}

KTEST(brk, stops_at_task_size_max)
{
	unsigned long base = TASK_SIZE_MAX - 2 * PAGE_SIZE;
	struct mm_struct *mm = heap_mm(base);

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, do_brk(mm, TASK_SIZE_MAX + 1), base);
	KTEST_EXPECT_EQ(t, do_brk(mm, USER_TOP), base);
	/* PAGE_ALIGN() of these wraps to 0: still refused. */
	KTEST_EXPECT_EQ(t, do_brk(mm, ~0UL), base);
	KTEST_EXPECT_EQ(t, do_brk(mm, ~0UL - PAGE_SIZE), base);
	KTEST_EXPECT_EQ(t, do_brk(mm, TASK_SIZE_MAX), TASK_SIZE_MAX);
	KTEST_EXPECT_EQ(t, do_brk(mm, base), base);
	mmput(mm);
}

KTEST(brk, shrinking_a_heap_that_is_gone_is_refused)
{
	struct mm_struct *mm = heap_mm(BASE);

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT_EQ(t, do_brk(mm, BASE + 4 * PAGE_SIZE),
			BASE + 4 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, do_munmap(mm, BASE, 4 * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, do_brk(mm, BASE), BASE + 4 * PAGE_SIZE);
	/* Part of it back: shrinking unmaps that part. */
	KTEST_EXPECT_EQ(t,
			do_mmap(mm, BASE + PAGE_SIZE, PAGE_SIZE,
				PROT_READ | PROT_WRITE, ANON, 0),
			(long)(BASE + PAGE_SIZE));
	KTEST_EXPECT_EQ(t, do_brk(mm, BASE), BASE);
	KTEST_EXPECT(t, !find_vma_intersection(mm, BASE, BASE + 4 * PAGE_SIZE));
	mmput(mm);
}
