/*
 * t_fault_unmapped - a child that reads an unmapped user address (0x1000; page 0 and up are never mapped).
 * The child must be killed by signal SIGSEGV while this parent carries on
 * (it forks and waits once more afterwards to prove it).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_fault_unmapped"
#include "utest.h"

static int crash(void *arg)
{
	(void)arg;
	(void)*(volatile int *)0x1000UL;
	return 0; /* survived: the parent reports status 0 */
}

int main(void)
{
	expect_signal("read of 0x1000", crash, NULL, SIGSEGV);
	parent_carries_on();
	return utest_done();
}
