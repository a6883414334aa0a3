/*
 * string.h - memory and string functions (libc/string.c), as the C
 * standard (C11 7.24) and man 3 NAME describe them. None of them can
 * fail or sets errno, except strdup/strndup (ENOMEM from malloc). Sizes
 * and counts are in bytes; comparisons are of unsigned char.
 */
#ifndef _STRING_H
#define _STRING_H

#include <stddef.h>

/* memcpy - copy n bytes (the areas must not overlap); returns dst. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
/* memmove - copy n bytes, correct when the areas overlap; returns dst. */
void *memmove(void *dst, const void *src, size_t n);
/* memset - set n bytes to (unsigned char)c; returns s. */
void *memset(void *s, int c, size_t n);
/* memcmp - <0, 0 or >0 as the first differing byte of a is below, equal
 * or above b's. */
int memcmp(const void *a, const void *b, size_t n);
/* memchr - the first of n bytes equal to (unsigned char)c, or NULL. */
void *memchr(const void *s, int c, size_t n);

/* strlen - bytes before the terminating NUL. */
size_t strlen(const char *s);
/* strnlen - strlen, but looks at no more than max bytes. */
size_t strnlen(const char *s, size_t max);
/* strcmp, strncmp - like memcmp, stopping at a NUL (and after n bytes). */
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
/* strcpy - copy src with its NUL; returns dst. */
char *strcpy(char *restrict dst, const char *restrict src);
/* strncpy - copy at most n bytes and pad with NULs up to n: dst is not
 * terminated when src is n bytes or longer. Returns dst. */
char *strncpy(char *restrict dst, const char *restrict src, size_t n);
/* strcat - append src to dst; returns dst. */
char *strcat(char *restrict dst, const char *restrict src);
/* strncat - append at most n bytes of src, then a NUL; returns dst. */
char *strncat(char *restrict dst, const char *restrict src, size_t n);
/* strchr, strrchr - the first / last c in s (c may be the NUL), or NULL. */
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
/* strstr - the first occurrence of needle in hay (hay if needle is ""),
 * or NULL. */
char *strstr(const char *hay, const char *needle);
/* strspn - length of s's first run of bytes in accept. */
size_t strspn(const char *s, const char *accept);
/* strcspn - length of s's first run of bytes not in reject. */
size_t strcspn(const char *s, const char *reject);
/* strpbrk - the first byte of s that is in accept, or NULL. */
char *strpbrk(const char *s, const char *accept);
/* strtok - the next token of s (NULL: continue the last string) separated
 * by bytes of delim, NUL-terminated in place; NULL when none is left. One
 * hidden state for the whole process: threads use strtok_r. */
char *strtok(char *restrict s, const char *restrict delim);
/* strtok_r - strtok with the state in *save. */
char *strtok_r(char *restrict s, const char *restrict delim,
	       char **restrict save);
/* strdup, strndup - a malloc'ed copy of s (of at most n bytes, always
 * terminated); NULL with errno ENOMEM. */
char *strdup(const char *s);
char *strndup(const char *s, size_t n);

/* strerror, strsignal - the message for an errno value / a signal number
 * (glibc's wording; never NULL). An unknown number gets "Unknown error N"
 * in a static buffer that the next such call overwrites. */
char *strerror(int errnum);
char *strsignal(int sig);

#endif
