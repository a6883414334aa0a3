/*
 * ktest_host.c - ktest_fail() on the host (tests/host/ktest_host.h): the
 * failure's KTAP-style diagnostic goes through cmocka, next to the test's
 * `not ok` line, instead of to the kernel console.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "ktest_host.h"

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt,
		...)
{
	char msg[512];
	va_list ap;

	t->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap); /* the kernel's */
	va_end(ap);
	print_error("# %s.%s: %s:%d: %s\n", t->suite, t->name, file, line, msg);
}
