/*
 * test_vma.c - runs the in-kernel red-black tree and VMA tests
 * (tests/kernel/test_vma.c) on the host under the sanitizers, against
 * kernel/rbtree.c, mm/vma.c and the kernel's kmalloc over a host arena:
 * this file #includes the kernel test file, so its static KTEST functions
 * are callable here (ktest_host.h). What those sources need from the rest
 * of the kernel is the kernel's own kstrtoul() (kernel/kstrtox.c) and
 * host_shim.c's panic().
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

#include "../kernel/test_vma.c"

RUN_KTEST(rbtree, random_insert_erase)
RUN_KTEST(rbtree, sequential_keys_stay_balanced)
RUN_KTEST(vma, random_ops_match_model)
RUN_KTEST(vma, insert_rejects_bad_ranges)
RUN_KTEST(vma, max_map_count_limit)
RUN_KTEST(vma, get_unmapped_area_rules)
RUN_KTEST(vma, check_catches_broken_books)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(run_rbtree_random_insert_erase),
		cmocka_unit_test(run_rbtree_sequential_keys_stay_balanced),
		cmocka_unit_test(run_vma_random_ops_match_model),
		cmocka_unit_test(run_vma_insert_rejects_bad_ranges),
		cmocka_unit_test(run_vma_max_map_count_limit),
		cmocka_unit_test(run_vma_get_unmapped_area_rules),
		cmocka_unit_test(run_vma_check_catches_broken_books),
	};

	return cmocka_run_group_tests_name("vma_on_host", tests,
					   host_arena_setup,
					   host_arena_teardown);
}
