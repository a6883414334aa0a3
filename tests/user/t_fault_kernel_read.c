/*
 * t_fault_kernel_read - a child that reads a kernel address (the direct map, 0xffff800000000000).
 * The child must be killed by signal SIGSEGV while this parent carries on
 * (it forks and waits once more afterwards to prove it).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_fault_kernel_read"
#include "utest.h"

static int crash(void *arg)
{
	(void)arg;
	(void)*(volatile int *)0xffff800000000000UL;
	return 0; /* survived: the parent reports status 0 */
}

int main(void)
{
	expect_signal("read of 0xffff800000000000", crash, NULL, SIGSEGV);
	parent_carries_on();
	return utest_done();
}
