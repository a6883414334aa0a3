/*
 * t_fault_nx - a child that jumps into a writable data page (NX: no PROT_EXEC).
 * The child must be killed by signal SIGSEGV while this parent carries on
 * (it forks and waits once more afterwards to prove it).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_fault_nx"
#include "utest.h"

static int crash(void *arg)
{
	(void)arg;
	static unsigned char code[16] = { 0xc3 }; /* ret */
	void (*volatile fn)(void) = (void (*)(void))code;

	fn();
	return 0; /* survived: the parent reports status 0 */
}

int main(void)
{
	expect_signal("execute .data", crash, NULL, SIGSEGV);
	parent_carries_on();
	return utest_done();
}
