/*
 * kstrtox.c - parsing numbers from strings (include/kernel/string.h), as
 * Linux's lib/kstrtox.c (kstrtoul()) and lib/cmdline.c (memparse()).
 * Kept apart from string.c because it is pure C with no assembly and no
 * C-library names, so the host unit tests (tests/host/) link this very
 * file.
 */
#include <kernel/errno.h>
#include <kernel/string.h>

/*
 * Pick the base as Linux's _parse_integer_fixup_radix(): base 0 is 16
 * after "0x" followed by a hex digit, 8 after a leading 0, else 10; a
 * "0x" before a base-16 number is skipped. Returns where the digits start.
 */
static bool is_xdigit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

static const char *fixup_radix(const char *s, unsigned int *base)
{
	bool hex_prefix = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');

	if (*base == 0) {
		if (hex_prefix && is_xdigit(s[2]))
			*base = 16;
		else if (s[0] == '0')
			*base = 8;
		else
			*base = 10;
	}
	if (*base == 16 && hex_prefix)
		s += 2;
	return s;
}

/*
 * Parse the digits of base at s into *res, stopping at the first
 * character that is not one. Returns the number of digits taken; sets
 * *overflow when the value does not fit an unsigned long (*res is then
 * meaningless). Linux's _parse_integer().
 */
static size_t parse_digits(const char *s, unsigned int base, unsigned long *res,
			   bool *overflow)
{
	unsigned long v = 0;
	size_t n = 0;

	*overflow = false;
	for (;; n++) {
		char c = s[n];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			break;
		if (d >= base)
			break;
		if (v > (~0UL - d) / base)
			*overflow = true;
		v = v * base + d;
	}
	*res = v;
	return n;
}

int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long v;
	bool overflow;
	size_t n;

	if (base == 1 || base > 16)
		return -EINVAL;
	if (s[0] == '+')
		s++;
	s = fixup_radix(s, &base);
	n = parse_digits(s, base, &v, &overflow);
	if (overflow)
		return -ERANGE;
	if (n == 0)
		return -EINVAL;
	s += n;
	if (*s == '\n') /* as Linux: one newline may end the number */
		s++;
	if (*s)
		return -EINVAL;
	*res = v;
	return 0;
}

int kstrtobool(const char *s, bool *res)
{
	switch (s[0]) {
	case 'y':
	case 'Y':
	case '1':
		*res = true;
		return 0;
	case 'n':
	case 'N':
	case '0':
		*res = false;
		return 0;
	case 'o':
	case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*res = true;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

/* The shift of a memparse() suffix (K = 10 ... E = 60), or 0 for none. */
static unsigned int suffix_shift(char c)
{
	static const char suffixes[] = "KMGTPE";

	for (unsigned int i = 0; suffixes[i]; i++)
		if (c == suffixes[i] || c == suffixes[i] - 'A' + 'a')
			return 10 * (i + 1);
	return 0;
}

unsigned long long memparse(const char *ptr, char **retptr)
{
	unsigned int base = 0, shift;
	unsigned long v;
	bool overflow; /* ignored: Linux's simple_strtoull() wraps */
	const char *s = fixup_radix(ptr, &base);

	s += parse_digits(s, base, &v, &overflow);
	shift = suffix_shift(*s);
	if (shift)
		s++;
	if (retptr)
		*retptr = (char *)s;
	return (unsigned long long)v << shift;
}
