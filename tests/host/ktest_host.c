/*
 * ktest_host.c - the ktest services on the host (tests/host/ktest_host.h):
 * a failure prints a KTAP-style diagnostic through cmocka, the random
 * generator is the kernel's xorshift64*, and the group set-up hands the
 * page allocator a host arena (host_mem.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <mm/page_alloc.h>
#include "host_shim.h"
#include "ktest_host.h"

#define HOST_ARENA_PAGES	8192

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

int ktest_host_setup(void **state)
{
	(void)state;
	host_mem_init(HOST_ARENA_PAGES);
	free_pages_range(1, HOST_ARENA_PAGES);
	return 0;
}

int ktest_host_teardown(void **state)
{
	(void)state;
	host_mem_exit();
	return 0;
}
