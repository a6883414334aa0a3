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
 * kstrtoul - parse an unsigned number (decimal, 0x hex, or 0 octal, as
 * Linux's base 0) with an optional K/M/G suffix (x1024, as Linux's
 * memparse()). Returns 0 and stores the value, or -EINVAL for an empty
 * string, stray characters or overflow. Unlike Linux's kstrtoul() it
 * takes no base, accepts the suffixes, rejects a trailing newline and
 * reports overflow as -EINVAL, not -ERANGE.
 */
int kstrtoul(const char *s, unsigned long *res);

#endif
