/*
 * string.h - the freestanding C string functions the kernel uses
 * (kernel/string.c) and number parsing (kernel/kstrtox.c). The string
 * functions have ISO C's names and semantics (man 3 NAME), so that host
 * unit tests can use the C library's versions instead; none can fail.
 */
#ifndef KERNEL_STRING_H
#define KERNEL_STRING_H

#include <kernel/types.h>

/* memset - fill n bytes at s with (unsigned char)c; returns s. */
void *memset(void *s, int c, size_t n);

/* memcpy - copy n bytes; the areas must not overlap. Returns dst. */
void *memcpy(void *dst, const void *src, size_t n);

/* memmove - copy n bytes; the areas may overlap. Returns dst. */
void *memmove(void *dst, const void *src, size_t n);

/* memcmp - <0, 0 or >0 as the first differing byte (unsigned) of a is. */
int memcmp(const void *a, const void *b, size_t n);

/* strlen - bytes before the NUL. */
size_t strlen(const char *s);

/* strnlen - strlen(s), but at most max (s need not be NUL-terminated). */
size_t strnlen(const char *s, size_t max);

/* strcmp / strncmp - compare as unsigned chars, at most n of them. */
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* strchr - the first c in s (the NUL counts), or NULL. */
char *strchr(const char *s, int c);

/*
 * kstrtoul - parse the whole string s as an unsigned number in base (2..16,
 * or 0: "0x" hex, leading-0 octal, else decimal; base 16 also takes a
 * "0x"). A leading '+' and one trailing newline are allowed, nothing
 * else. Returns 0 and stores *res; -EINVAL for an empty string, a stray
 * character or a bad base; -ERANGE when the value does not fit an
 * unsigned long (*res untouched on error). Linux's kstrtoul().
 */
int kstrtoul(const char *s, unsigned int base, unsigned long *res);

/*
 * kstrtobool - parse s as a boolean: "1", "y", "Y", "on" are true; "0",
 * "n", "N", "off" are false (only the first one or two characters count,
 * as in Linux: "yes" is true, "no" false). Returns 0 with *res set, or
 * -EINVAL (anything else, the empty string included; *res untouched).
 * Linux's kstrtobool().
 */
int kstrtobool(const char *s, bool *res);

/*
 * memparse - parse a size at ptr: a number as kstrtoul() base 0, then an
 * optional suffix K, M, G, T, P or E (either case; x 1024 each step).
 * Returns the value (0 when ptr holds no number) and, when retptr is not
 * NULL, sets *retptr just past what was parsed so the caller can check
 * for junk. No error code: overflow wraps. Linux's memparse().
 */
unsigned long long memparse(const char *ptr, char **retptr);

#endif
