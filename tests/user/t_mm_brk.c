/*
 * t_mm_brk - the raw brk system call, as Linux's (man 2 brk): brk(0)
 * returns the current break; growing it gives zeroed, writable memory;
 * a request below the start of the heap changes nothing and returns the
 * current break; shrinking it unmaps the pages above the new break, and a
 * child touching one is killed by SIGSEGV.
 *
 * Raw syscall(SYS_brk): the libc's brk()/sbrk() keep their own view. No
 * output and no malloc while the break is moved (glibc's malloc may use
 * brk): results are collected first and checked afterwards.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_brk"
#include "utest.h"
#include "mm_util.h"
#include <sys/syscall.h>

/* sys_brk - the raw call: returns the new break, or the old one when it
 * cannot move (Linux's rule; errno is not set). */
static uintptr_t sys_brk(uintptr_t addr)
{
	return (uintptr_t)syscall(SYS_brk, addr);
}

int main(void)
{
	uintptr_t b0, start, grown, low, again, shrunk, now, regrown;
	int zero_ok, zero_again;
	unsigned char *h;

	diag("testing the raw brk call"); /* stdio is set up now */
	b0 = sys_brk(0);
	start = (b0 + PAGE - 1) & ~(PAGE - 1);
	grown = sys_brk(start + 3 * PAGE);
	h = (unsigned char *)start;
	zero_ok = grown == start + 3 * PAGE && all_bytes(h, 3 * PAGE, 0);
	if (grown == start + 3 * PAGE)
		memset(h, 0xab, 3 * PAGE);
	low = sys_brk(PAGE); /* below the heap: refused */
	again = sys_brk(0);
	shrunk = sys_brk(start + PAGE); /* give back two pages */
	now = sys_brk(0);

	CHECK(b0 != 0);
	CHECK(b0 != (uintptr_t)-1);
	CHECK_EQ(grown, start + 3 * PAGE);
	CHECK(zero_ok);
	CHECK_EQ(low, start + 3 * PAGE);
	CHECK_EQ(again, start + 3 * PAGE);
	CHECK_EQ(shrunk, start + PAGE);
	CHECK_EQ(now, start + PAGE);
	if (grown != start + 3 * PAGE)
		return utest_done();

	/* The page below the new break stays, the ones above are gone. */
	CHECK(all_bytes(h, PAGE, 0xab));
	expect_write_ok("write below the shrunk break", h + PAGE - 1);
	expect_signal("read above the shrunk break", child_read, h + PAGE,
		      SIGSEGV);
	expect_signal("write above the shrunk break", child_write,
		      h + 2 * PAGE + 8, SIGSEGV);

	/* Growing again gives zeroed pages, not the old contents. */
	fflush(stdout);
	regrown = sys_brk(start + 3 * PAGE);
	zero_again = regrown == start + 3 * PAGE &&
		     all_bytes(h + PAGE, 2 * PAGE, 0);
	now = sys_brk(b0); /* back to where we began */
	CHECK_EQ(regrown, start + 3 * PAGE);
	CHECK(zero_again);
	CHECK_EQ(now, b0);
	CHECK_EQ(sys_brk(0), b0);
	parent_carries_on();
	return utest_done();
}
