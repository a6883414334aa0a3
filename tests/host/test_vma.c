/*
 * test_vma.c - runs the in-kernel red-black tree and VMA tests
 * (tests/kernel/test_vma.c) on the host under the sanitizers, against
 * kernel/rbtree.c, mm/vma.c and the kernel's kmalloc over a host arena:
 * this file #includes the kernel test file, so its static KTEST functions
 * are callable here, and provides what those sources need from the rest
 * of the kernel (panic, kstrtoul; the ktest services are ktest_host.c's).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include <kernel/ktest.h>
#include <kernel/panic.h>
#include <kernel/string.h>
#include <mm/page_alloc.h>
#include "host_shim.h"
#include "ktest_host.h"

#include "../kernel/test_vma.c"

/* mm/vma.c's BUG() lands here: fail loudly. */
void panic(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print_error("Kernel panic - not syncing: %s\n", msg);
	abort();
}

/* Only the vm.max_map_count= handler uses it; decimal is enough here. */
int kstrtoul(const char *s, unsigned long *res)
{
	unsigned long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*res = v;
	return 0;
}

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
					   ktest_host_setup, ktest_host_teardown);
}
