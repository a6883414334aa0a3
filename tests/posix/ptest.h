/*
 * ptest.h - the checks of the real-libc tests (tests/posix/, docs/
 * testing.md, step `posix`): each p_NAME.c is built with musl
 * (musl-gcc -static) and glibc (gcc -static), runs on this kernel and on
 * the Linux host, and must print the same lines on both.
 *
 * Output goes through write(1, ...) alone, never stdio: musl's stdio
 * writes with writev(2), which is not what these programs test. A
 * check prints "ok - WHAT" or "not ok - WHAT: DETAIL"; the details
 * (values, errno) appear only on a failure, so that a passing run prints
 * the same on every system. The last line is "PASS NAME" or
 * "FAIL NAME (N of M checks failed)"; the exit status is 0 or 1.
 */
#ifndef PTEST_H
#define PTEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int pt_checks, pt_failed;

static void pt_write(const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t w = write(1, s, n);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

__attribute__((format(printf, 1, 2))) static void pt_print(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pt_write(buf);
}

static int pt_result(int ok, const char *what, const char *file, int line,
		     const char *detail)
{
	pt_checks++;
	if (ok) {
		pt_print("ok - %s\n", what);
		return 1;
	}
	pt_failed++;
	pt_print("not ok - %s: %s (%s:%d)\n", what, detail, file, line);
	return 0;
}

/* CHECK(cond): cond holds. */
#define CHECK(cond) pt_result(!!(cond), #cond, __FILE__, __LINE__, "false")

/* CHECK_EQ(a, b): a == b, as long values. */
#define CHECK_EQ(a, b)                                                    \
	({                                                                \
		long pt_a = (long)(a), pt_b = (long)(b);                  \
		char pt_d[96];                                            \
		snprintf(pt_d, sizeof(pt_d), "%ld != %ld", pt_a, pt_b);   \
		pt_result(pt_a == pt_b, #a " == " #b, __FILE__, __LINE__, \
			  pt_d);                                          \
	})

/* CHECK_ERR(expr, e): expr is -1 with errno e. */
#define CHECK_ERR(expr, e)                                                  \
	({                                                                  \
		errno = 0;                                                  \
		long pt_r = (long)(expr);                                   \
		int pt_e = errno;                                           \
		char pt_d[96];                                              \
		snprintf(pt_d, sizeof(pt_d), "returned %ld, errno %d (%s)", \
			 pt_r, pt_e, strerror(pt_e));                       \
		pt_result(pt_r == -1 && pt_e == (e), #expr " fails " #e,    \
			  __FILE__, __LINE__, pt_d);                        \
	})

/* The last line and the exit status. */
static int pt_done(const char *name)
{
	if (pt_failed)
		pt_print("FAIL %s (%d of %d checks failed)\n", name, pt_failed,
			 pt_checks);
	else
		pt_print("PASS %s\n", name);
	return pt_failed ? 1 : 0;
}

#endif
