/*
 * t_brk_gap - how close the raw brk call lets the heap come to another
 * mapping, as Linux 6.1's brk(2): a page must stay free between the new
 * break and the next mapping (newbrk + PAGE_SIZE <= vm_start_gap(next)),
 * and below a stack (MAP_GROWSDOWN) Linux's stack_guard_gap too, 1 MiB.
 * A refused brk returns the old break.
 *
 * The guard-gap part needs a mapping the kernel grows down; where
 * MAP_GROWSDOWN gives an ordinary one (this kernel's mmap), that part
 * says so and is left to the in-kernel test (tests/kernel/test_brk.c).
 * No output and no malloc while the break is moved (glibc's malloc may
 * use brk): results are collected first and checked afterwards.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_brk_gap"
#include "utest.h"
#include "mm_util.h"
#include <sys/syscall.h>

#define GUARD_GAP (256 * PAGE) /* Linux's default stack_guard_gap */

static uintptr_t sys_brk(uintptr_t addr)
{
	return (uintptr_t)syscall(SYS_brk, addr);
}

/* Map one page at addr exactly, or fail (MAP_FAILED). */
static void *map_at(uintptr_t addr, int flags)
{
	return mmap((void *)addr, PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | flags,
		    -1, 0);
}

/* A child writes just below addr: does the mapping there grow down? */
static int child_write_below(void *addr)
{
	*((volatile char *)addr - 1) = 1;
	return 0;
}

int main(void)
{
	uintptr_t b0, start, next, stack, r[8];
	int status;

	diag("the break may not come within a page of a mapping");
	b0 = sys_brk(0);
	start = (b0 + PAGE - 1) & ~(PAGE - 1);
	next = start + 8 * PAGE;
	if (map_at(next, 0) != (void *)next) {
		diag("FAIL cannot map a page at %#lx", (unsigned long)next);
		return 1;
	}
	r[0] = sys_brk(next); /* touching it */
	r[1] = sys_brk(next - PAGE + 1);
	r[2] = sys_brk(next - PAGE);	 /* a page free below it */
	r[3] = sys_brk(next + 2 * PAGE); /* over it */
	r[4] = sys_brk(b0);
	CHECK_EQ(r[0], b0);
	CHECK_EQ(r[1], b0);
	CHECK_EQ(r[2], next - PAGE);
	CHECK_EQ(r[3], next - PAGE);
	CHECK_EQ(r[4], b0);
	CHECK_EQ(munmap((void *)next, PAGE), 0);

	stack = start + 4 * GUARD_GAP;
	if (map_at(stack, MAP_GROWSDOWN) != (void *)stack) {
		diag("FAIL cannot map a page at %#lx", (unsigned long)stack);
		return utest_done();
	}
	status = run_child(child_write_below, (void *)stack);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		diag("MAP_GROWSDOWN gave a mapping that does not grow down "
		     "here; the guard gap is left to the in-kernel test brk");
		munmap((void *)stack, PAGE);
		return utest_done();
	}
	diag("the break may not come within the guard gap of a stack");
	r[0] = sys_brk(stack - 2 * PAGE); /* a page free, but in the gap */
	r[1] = sys_brk(stack - GUARD_GAP - PAGE + 1);
	r[2] = sys_brk(stack - GUARD_GAP - PAGE); /* the gap and a page */
	r[3] = sys_brk(b0);
	CHECK_EQ(r[0], b0);
	CHECK_EQ(r[1], b0);
	CHECK_EQ(r[2], stack - GUARD_GAP - PAGE);
	CHECK_EQ(r[3], b0);
	CHECK_EQ(munmap((void *)stack, PAGE), 0);
	CHECK_EQ(sys_brk(0), b0);
	return utest_done();
}
