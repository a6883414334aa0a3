/*
 * t_fault_gp - children that raise general-protection faults (#GP): a
 * privileged instruction (hlt) in user mode, and a load from a
 * non-canonical address. Each must be killed by SIGSEGV while this parent
 * carries on (it forks and waits once more afterwards to prove it).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_fault_gp"
#include "utest.h"

static int privileged(void *arg)
{
	(void)arg;
	__asm__ __volatile__("hlt");
	return 0; /* survived: the parent reports status 0 */
}

static int noncanonical(void *arg)
{
	(void)arg;
	return *(volatile int *)0x8000000000000000UL;
}

int main(void)
{
	expect_signal("hlt", privileged, NULL, SIGSEGV);
	expect_signal("non-canonical load", noncanonical, NULL, SIGSEGV);
	parent_carries_on();
	return utest_done();
}
