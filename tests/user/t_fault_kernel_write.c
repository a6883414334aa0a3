/*
 * t_fault_kernel_write - a child that writes to a kernel address (0xffffffff80000000).
 * The child must be killed by signal SIGSEGV while this parent carries on
 * (it forks and waits once more afterwards to prove it).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_fault_kernel_write"
#include "utest.h"

static int crash(void *arg)
{
	(void)arg;
	*(volatile int *)0xffffffff80000000UL = 1;
	return 0; /* survived: the parent reports status 0 */
}

int main(void)
{
	expect_signal("write to 0xffffffff80000000", crash, NULL, SIGSEGV);
	parent_carries_on();
	return utest_done();
}
