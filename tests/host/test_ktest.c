/*
 * test_ktest.c - runs the in-kernel tests (tests/kernel/test_page_alloc.c,
 * tests/kernel/test_kmalloc.c) on the host, under the sanitizers, before a
 * kernel boots: this file #includes them, so their static KTEST functions
 * are callable here, and provides the two ktest.h services they use
 * (ktest_fail, ktest_rand). Each kernel test becomes one cmocka test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <kernel/ktest.h>
#include "host_shim.h"

#include "../kernel/test_page_alloc.c"
#include "../kernel/test_kmalloc.c"

void ktest_fail(struct ktest *t, const char *file, int line,
		const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	t->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);	/* the kernel's */
	va_end(ap);
	print_error("# %s.%s: %s:%d: %s\n", t->suite, t->name, file, line, msg);
}

static u64 ktest_seed = 0x0123456789abcdefULL;

u64 ktest_rand(void)
{
	ktest_seed ^= ktest_seed >> 12;
	ktest_seed ^= ktest_seed << 25;
	ktest_seed ^= ktest_seed >> 27;
	return ktest_seed * 0x2545F4914F6CDD1DULL;
}

void ktest_srand(u64 seed)
{
	ktest_seed = seed ? seed : 1;
}

static int group_setup(void **state)
{
	(void)state;
	host_mem_init(8192);
	free_pages_range(1, 8192);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	host_mem_exit();
	return 0;
}

#define RUN_KTEST(suite, name)						\
	static void run_##suite##_##name(void **state)			\
	{								\
		struct ktest t = { #suite, #name, false, NULL };	\
		(void)state;						\
		ktest_fn_##suite##_##name(&t);				\
		assert_null(t.skip_reason);				\
		assert_false(t.failed);					\
	}

RUN_KTEST(page_alloc, alloc_all_free_all)
RUN_KTEST(page_alloc, double_free_detected)
RUN_KTEST(page_alloc, wrong_order_detected)
RUN_KTEST(kmalloc, sizes_pattern)
RUN_KTEST(kmalloc, double_free_detected)
RUN_KTEST(kmalloc, invalid_free_detected)
RUN_KTEST(kmalloc, free_returns_pages)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(run_page_alloc_alloc_all_free_all),
		cmocka_unit_test(run_page_alloc_double_free_detected),
		cmocka_unit_test(run_page_alloc_wrong_order_detected),
		cmocka_unit_test(run_kmalloc_sizes_pattern),
		cmocka_unit_test(run_kmalloc_double_free_detected),
		cmocka_unit_test(run_kmalloc_invalid_free_detected),
		cmocka_unit_test(run_kmalloc_free_returns_pages),
	};

	return cmocka_run_group_tests_name("ktest_on_host", tests,
					   group_setup, group_teardown);
}
