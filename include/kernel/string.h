/*
 * string.h - the freestanding C string functions the kernel uses
 * (kernel/string.c). Same names and semantics as ISO C, so that host unit
 * tests can use the C library's versions instead.
 */
#ifndef KERNEL_STRING_H
#define KERNEL_STRING_H

#include <kernel/types.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

/*
 * kstrtoul - parse an unsigned number (decimal, 0x hex, or 0 octal) with an
 * optional K/M/G suffix (x1024). Returns 0 and stores the value, or -EINVAL
 * for an empty string, stray characters or overflow. Like Linux's
 * kstrtoul() plus memparse()'s suffixes.
 */
int kstrtoul(const char *s, unsigned long *res);

#endif
