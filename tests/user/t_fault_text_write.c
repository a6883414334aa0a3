/*
 * t_fault_text_write - a child that writes to its own code (text is mapped read-only).
 * The child must be killed by signal SIGSEGV while this parent carries on
 * (it forks and waits once more afterwards to prove it).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_fault_text_write"
#include "utest.h"

static int ok(void *arg);

static int crash(void *arg)
{
	(void)arg;
	volatile unsigned char *p = (volatile unsigned char *)(unsigned long)ok;

	*p = 0xc3;
	return 0;	/* survived: the parent reports status 0 */
}

static int ok(void *arg)
{
	(void)arg;
	return 7;
}

int main(void)
{
	int status;

	expect_signal("write to .text", crash, NULL, SIGSEGV);
	status = run_child(ok, NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	return utest_done();
}
