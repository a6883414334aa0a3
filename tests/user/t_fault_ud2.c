/*
 * t_fault_ud2 - a child that executes ud2 (#UD).
 * The child must be killed by signal SIGILL while this parent carries on
 * (it forks and waits once more afterwards to prove it).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_fault_ud2"
#include "utest.h"

static int crash(void *arg)
{
	(void)arg;
	__asm__ __volatile__("ud2");
	return 0; /* survived: the parent reports status 0 */
}

int main(void)
{
	expect_signal("ud2", crash, NULL, SIGILL);
	parent_carries_on();
	return utest_done();
}
