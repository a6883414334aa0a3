/*
 * ktest_host.h - running in-kernel KTEST functions (the files in
 * tests/kernel/) on the host under cmocka and the sanitizers (test_ktest.c,
 * test_vma.c). ktest_host.c reports ktest_fail() through cmocka; the rest
 * of what include/kernel/ktest.h promises is the kernel's own code
 * (kernel/ktest_rand.c), and host_arena_setup() (host_shim.h) is the
 * group set-up that gives the page allocator its memory.
 */
#ifndef TESTS_HOST_KTEST_HOST_H
#define TESTS_HOST_KTEST_HOST_H

#include <kernel/ktest.h>

/* One cmocka test per KTEST(suite, name) of an #included kernel test file. */
#define RUN_KTEST(suite, name)                                   \
	static void run_##suite##_##name(void **state)           \
	{                                                        \
		struct ktest t = { #suite, #name, false, NULL }; \
		(void)state;                                     \
		ktest_fn_##suite##_##name(&t);                   \
		assert_null(t.skip_reason);                      \
		assert_false(t.failed);                          \
	}

#endif
