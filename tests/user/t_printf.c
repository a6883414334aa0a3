/*
 * t_printf - snprintf formats as C and glibc do for the conversions our
 * libc supports (%d %i %u %x %X %o %c %s %p %% with flags, width,
 * precision and length modifiers), truncates correctly and returns the
 * untruncated length.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_printf"
#include "utest.h"
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#define F(want, ...)                                                          \
	do {                                                                  \
		char _b[128];                                                 \
		int _n = snprintf(_b, sizeof(_b), __VA_ARGS__);               \
		utest_checks++;                                               \
		if (strcmp(_b, want) != 0 || _n != (int)strlen(want)) {       \
			utest_failures++;                                     \
			diag("FAIL %s:%d: %s gave \"%s\" (%d), want \"%s\"",  \
			     __FILE__, __LINE__, #__VA_ARGS__, _b, _n, want); \
		}                                                             \
	} while (0)

int main(void)
{
	char small[8];

	F("42", "%d", 42);
	F("-42", "%i", -42);
	F("-2147483648", "%d", INT_MIN);
	F("4294967295", "%u", UINT_MAX);
	F("-9223372036854775808", "%ld", LONG_MIN);
	F("18446744073709551615", "%lu", ULONG_MAX);
	F("18446744073709551615", "%llu", ULLONG_MAX);
	F("ffffffffffffffff", "%lx", ULONG_MAX);
	F("123456789", "%zu", (size_t)123456789);
	F("-5", "%td", (ptrdiff_t)-5);
	F("deadbeef DEADBEEF", "%x %X", 0xdeadbeefU, 0xdeadbeefU);
	F("0x1f 0X1F 0", "%#x %#X %#x", 31, 31, 0);
	F("17 017 0", "%o %#o %#o", 15, 15, 0);
	F("[   42]", "[%5d]", 42);
	F("[42   ]", "[%-5d]", 42);
	F("[00042]", "[%05d]", 42);
	F("[-0042]", "[%05d]", -42);
	F("[+42] [ 42]", "[%+d] [% d]", 42, 42);
	F("[  007]", "[%5.3d]", 7);
	F("[]", "[%.0d]", 0);
	F("[    7]", "[%*d]", 5, 7);
	F("[7    ]", "[%-*d]", 5, 7);
	F("[7    ]", "[%*d]", -5, 7);
	F("[  abc]", "[%5s]", "abc");
	F("[abc  ]", "[%-5s]", "abc");
	F("[ab]", "[%.2s]", "abcdef");
	F("[ab]", "[%.*s]", 2, "abcdef");
	F("[   ab]", "[%5.2s]", "abcdef");
	F("x", "%c", 'x');
	F("[  x]", "[%3c]", 'x');
	F("100%", "%d%%", 100);
	F("0x1234", "%p", (void *)0x1234);
	F("(nil)", "%p", (void *)0);
	F("-1 255 65535", "%hhd %hhu %hu", (signed char)-1, (unsigned char)255,
	  (unsigned short)65535);
	F("a1b2c3", "a%db%dc%d", 1, 2, 3);
	F("", "%s", "");

	CHECK_EQ(snprintf(small, sizeof(small), "%s", "0123456789"), 10);
	CHECK_EQ(strcmp(small, "0123456"), 0);
	CHECK_EQ(snprintf(NULL, 0, "%d", 12345), 5);
	small[0] = 'z';
	CHECK_EQ(snprintf(small, 1, "%d", 12345), 5);
	CHECK_EQ(small[0], '\0');
	CHECK_EQ(sprintf(small, "%03d", 5), 3);
	CHECK_EQ(strcmp(small, "005"), 0);
	return utest_done();
}
