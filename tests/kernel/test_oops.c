/*
 * test_oops.c - test=oops_pf: a kernel-mode page fault on purpose. The
 * handler (arch/x86_64/fault.c) must print the decoded error code,
 * registers and a symbolized backtrace naming ktest_pf_oops_trigger and
 * kmain, then panic; tools/run_tests.py counts the test as passed only
 * when all of that appears and the kernel exits with the panic code.
 */
#include <kernel/compiler.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>

/* Not mapped: the direct map ends far below, and nothing else lives here. */
#define UNMAPPED_KERNEL_ADDR 0xffffc00000000000UL

static __noinline void ktest_pf_oops_trigger(void)
{
	volatile unsigned long *p =
		(volatile unsigned long *)UNMAPPED_KERNEL_ADDR;

	pr_info("oops_pf: reading %p on purpose\n", (void *)p);
	(void)*p;
}

__noinline void ktest_pf_oops(void)
{
	ktest_pf_oops_trigger();
	pr_err("oops_pf: the read did not fault!\n");
}
