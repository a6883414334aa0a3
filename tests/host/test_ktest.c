/*
 * test_ktest.c - runs the in-kernel tests (tests/kernel/test_page_alloc.c,
 * tests/kernel/test_kmalloc.c) on the host, under the sanitizers, before a
 * kernel boots: this file #includes them, so their static KTEST functions
 * are callable here (ktest_host.h). Each kernel test becomes one cmocka
 * test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <kernel/ktest.h>
#include "host_shim.h"
#include "ktest_host.h"

#include "../kernel/test_page_alloc.c"
#include "../kernel/test_kmalloc.c"

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
					   host_arena_setup,
					   host_arena_teardown);
}
