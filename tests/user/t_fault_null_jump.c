/*
 * t_fault_null_jump - a child that calls a NULL function pointer.
 * The child must be killed by signal SIGSEGV while this parent carries on
 * (it forks and waits once more afterwards to prove it).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_fault_null_jump"
#include "utest.h"

static int crash(void *arg)
{
	(void)arg;
	void (*volatile fn)(void) = 0;

	fn();
	return 0; /* survived: the parent reports status 0 */
}

int main(void)
{
	expect_signal("call through NULL", crash, NULL, SIGSEGV);
	parent_carries_on();
	return utest_done();
}
