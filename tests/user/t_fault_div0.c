/*
 * t_fault_div0 - a child that divides by zero (#DE).
 * The child must be killed by signal SIGFPE while this parent carries on
 * (it forks and waits once more afterwards to prove it).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_fault_div0"
#include "utest.h"

static int crash(void *arg)
{
	(void)arg;
	volatile int zero = 0, one = 1;

	return one / zero;
	return 0; /* survived: the parent reports status 0 */
}

int main(void)
{
	expect_signal("1 / 0", crash, NULL, SIGFPE);
	parent_carries_on();
	return utest_done();
}
