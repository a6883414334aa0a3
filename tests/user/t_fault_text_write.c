/*
 * t_fault_text_write - a child that writes to its own code (text is mapped read-only).
 * The child must be killed by signal SIGSEGV while this parent carries on
 * (it forks and waits once more afterwards to prove it).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_fault_text_write"
#include "utest.h"

int main(void);

static int crash(void *arg)
{
	(void)arg;
	volatile unsigned char *p =
		(volatile unsigned char *)(unsigned long)main;

	*p = 0xc3;
	return 0; /* survived: the parent reports status 0 */
}

int main(void)
{
	expect_signal("write to .text", crash, NULL, SIGSEGV);
	parent_carries_on();
	return utest_done();
}
