/*
 * kstrtox.c - parsing numbers from strings (include/kernel/string.h), as
 * Linux's lib/kstrtox.c. Kept apart from string.c because it is pure C
 * with no assembly and no C-library names, so the host unit tests
 * (tests/host/) link this very file.
 */
#include <kernel/errno.h>
#include <kernel/string.h>

int kstrtoul(const char *s, unsigned long *res)
{
	unsigned long v = 0, base = 10;
	const char *start;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1]) {
		base = 8;
		s++;
	}
	start = s;
	for (; *s; s++) {
		unsigned long d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (d >= base)
			return -EINVAL;
		if (v > (~0UL - d) / base)
			return -EINVAL;		/* overflow */
		v = v * base + d;
	}
	if (s == start)
		return -EINVAL;
	if (*s) {
		unsigned shift;

		switch (*s) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		default: return -EINVAL;
		}
		if (s[1] || v > (~0UL >> shift))
			return -EINVAL;
		v <<= shift;
	}
	*res = v;
	return 0;
}
