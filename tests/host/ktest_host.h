/*
 * ktest_host.h - running in-kernel KTEST functions (the files in tests/kernel/) on
 * the host under cmocka and the sanitizers (test_ktest.c, test_vma.c).
 * ktest_host.c provides what include/kernel/ktest.h promises the tests
 * (ktest_fail, ktest_rand, ktest_srand) and a cmocka group set-up that
 * gives the kernel's page allocator an 8192-page host arena.
 */
#ifndef TESTS_HOST_KTEST_HOST_H
#define TESTS_HOST_KTEST_HOST_H

#include <kernel/ktest.h>

/* cmocka group set-up/tear-down: the host arena for alloc_pages(). */
int ktest_host_setup(void **state);
int ktest_host_teardown(void **state);

/* One cmocka test per KTEST(suite, name) of an #included kernel test file. */
#define RUN_KTEST(suite, name)						\
	static void run_##suite##_##name(void **state)			\
	{								\
		struct ktest t = { #suite, #name, false, NULL };	\
		(void)state;						\
		ktest_fn_##suite##_##name(&t);				\
		assert_null(t.skip_reason);				\
		assert_false(t.failed);					\
	}

#endif
