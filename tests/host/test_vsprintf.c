/*
 * test_vsprintf.c - host unit tests (cmocka) for the kernel's printf core,
 * kernel/vsprintf.c compiled as is. The Makefile renames the kernel's
 * snprintf/vsnprintf to kernel_snprintf/kernel_vsnprintf, so "snprintf"
 * below is the kernel's, not the C library's. Expected strings are what
 * ISO C printf produces for the same format.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <kernel/printk.h>
#include "host_shim.h"

/* Format with the kernel's snprintf and compare text and return value. */
#define EXPECT_FMT(want, ...)                                       \
	do {                                                        \
		char buf_[256];                                     \
		int n_ = snprintf(buf_, sizeof(buf_), __VA_ARGS__); \
		assert_string_equal(buf_, want);                    \
		assert_int_equal(n_, (int)strlen(want));            \
	} while (0)

static void test_integers(void **state)
{
	(void)state;
	EXPECT_FMT("0", "%d", 0);
	EXPECT_FMT("42 -42", "%d %i", 42, -42);
	EXPECT_FMT("-2147483648", "%d", (int)INT32_MIN);
	EXPECT_FMT("2147483647", "%d", INT32_MAX);
	EXPECT_FMT("4294967295", "%u", 0xffffffffu);
	EXPECT_FMT("-9223372036854775808", "%ld", (long)INT64_MIN);
	EXPECT_FMT("18446744073709551615", "%lu", ~0UL);
	EXPECT_FMT("18446744073709551615", "%llu", ~0ULL);
	EXPECT_FMT("123456789012", "%zu", (size_t)123456789012ULL);
	EXPECT_FMT("ff FF 777", "%x %X %o", 255u, 255u, 0777u);
	EXPECT_FMT("deadbeefcafe", "%lx", 0xdeadbeefcafeUL);
	EXPECT_FMT("ffffffff", "%x", -1);
	EXPECT_FMT("0x1f", "%#x", 0x1fu);
}

static void test_width_and_padding(void **state)
{
	(void)state;
	EXPECT_FMT("   42", "%5d", 42);
	EXPECT_FMT("42   |", "%-5d|", 42);
	EXPECT_FMT("00042", "%05d", 42);
	EXPECT_FMT("-0042", "%05d", -42);
	EXPECT_FMT("  -42", "%5d", -42);
	EXPECT_FMT("000000ff", "%08x", 0xffu);
	EXPECT_FMT("0000000000001000", "%016lx", 0x1000UL);
	EXPECT_FMT("12345", "%3d", 12345); /* width is a minimum */
	EXPECT_FMT("   7", "%*d", 4, 7);
	EXPECT_FMT("7   |", "%*d|", -4, 7);
	EXPECT_FMT("    x", "%5c", 'x');
	EXPECT_FMT("x    |", "%-5c|", 'x');
	EXPECT_FMT("   ab", "%5s", "ab");
	EXPECT_FMT("ab   |", "%-5s|", "ab");
}

static void test_strings_chars(void **state)
{
	(void)state;
	EXPECT_FMT("hello, world", "%s, %s", "hello", "world");
	EXPECT_FMT("", "%s", "");
	const char *volatile null_str = NULL; /* hide NULL from -Wformat */
	EXPECT_FMT("(null)", "%s", null_str);
	EXPECT_FMT("abc", "%c%c%c", 'a', 'b', 'c');
	EXPECT_FMT("100%", "%d%%", 100);
	EXPECT_FMT("no conversions", "no conversions");
}

/* h and hh narrow as ISO C does; precision applies to %s. */
static void test_length_and_precision(void **state)
{
	(void)state;
	/* Out-of-range ints on purpose: the narrowing is what is tested,
	 * and clang's -Wformat would flag the constants. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	EXPECT_FMT("44", "%hhd", 300);
	EXPECT_FMT("-56", "%hhd", 200);
	EXPECT_FMT("200", "%hhu", 200);
	EXPECT_FMT("-1", "%hd", 65535);
	EXPECT_FMT("fffe", "%hx", 0x1fffeu);
#pragma GCC diagnostic pop
	EXPECT_FMT("abc", "%.3s", "abcdef");
	EXPECT_FMT("ab|", "%.*s|", 2, "abcdef");
	EXPECT_FMT("   ab", "%5.2s", "abcdef");
	EXPECT_FMT("xy", "%.5s", "xy");
}

static void test_pointers(void **state)
{
	(void)state;
	EXPECT_FMT("0x0000000000000000", "%p", (void *)0);
	EXPECT_FMT("0xffff800000001000", "%p", (void *)0xffff800000001000UL);
	EXPECT_FMT("[0x00000000deadbeef]", "[%p]", (void *)0xdeadbeefUL);
	/* No symbol known on the host: %pS falls back to the address. */
	char buf[64];
	snprintf(buf, sizeof(buf), "%pS", (void *)0x1234UL);
	assert_non_null(strstr(buf, "1234"));
}

/* C99 semantics: return the untruncated length, always NUL-terminate. */
static void test_truncation(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(snprintf(buf, sizeof(buf), "%s", "abcdefghijkl"), 12);
	assert_string_equal(buf, "abcdefg");

	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(snprintf(buf, 5, "%d", 1234567), 7);
	assert_string_equal(buf, "1234");
	assert_int_equal(buf[5], 'Z'); /* nothing past size */

	assert_int_equal(snprintf(buf, sizeof(buf), "%08x", 1u), 8);
	assert_string_equal(buf, "0000000");

	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(snprintf(buf, 1, "abc"), 3);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'Z');

	buf[0] = 'Z';
	assert_int_equal(snprintf(buf, 0, "abc%d", 12), 5);
	assert_int_equal(buf[0], 'Z'); /* size 0: nothing written */
	assert_int_equal(snprintf(NULL, 0, "%s-%d", "xy", -3), 5);
}

/*
 * Widths and precisions are cut to Linux's FIELD_WIDTH_MAX (2^23 - 1)
 * and PRECISION_MAX (2^15 - 1), wherever they come from. The fuzzer
 * (tests/fuzz/fuzz_vsprintf.c) found "%*d" with a huge int printing
 * billions of spaces; before the limit INT_MAX overflowed the returned
 * length, INT_MIN's negation and a long run of digits overflowed an int.
 */
static void test_width_limits(void **state)
{
	const int max = (1 << 23) - 1;
	char buf[16];

	(void)state;
	assert_int_equal(snprintf(NULL, 0, "%*d", INT32_MAX, 7), max);
	assert_int_equal(snprintf(buf, sizeof(buf), "%*d|", INT32_MIN, 7),
			 max + 1);
	assert_string_equal(buf, "7              "); /* left-justified */
	assert_int_equal(snprintf(buf, sizeof(buf), "%*d", -max - 1, 7), max);
	assert_int_equal(snprintf(NULL, 0, "%99999999999d", 7), max);
	assert_int_equal(snprintf(NULL, 0, "%08388606d", 7), max - 1);
	EXPECT_FMT("abc", "%.99999999999s", "abc");
	EXPECT_FMT("abc", "%.*s", INT32_MAX, "abc");
	EXPECT_FMT("abcdef", "%.*s", -1, "abcdef"); /* negative: none */
	EXPECT_FMT("abcdef", "%.*5s", -1, "abcdef");
}

/* printk strips the level prefix; the shim captures what it printed. */
static void test_printk_levels(void **state)
{
	(void)state;
	host_log_clear();
	int n = printk(KERN_ERR "error %d\n", 5);
	assert_string_equal(host_log(), "error 5\n");
	assert_int_equal(n, 8);
	printk("plain\n");
	assert_string_equal(host_log(), "error 5\nplain\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_width_and_padding),
		cmocka_unit_test(test_strings_chars),
		cmocka_unit_test(test_length_and_precision),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_width_limits),
		cmocka_unit_test(test_printk_levels),
	};

	return cmocka_run_group_tests_name("vsprintf", tests, NULL, NULL);
}
