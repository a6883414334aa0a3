/*
 * stdio_impl.h - libc-internal: the output sink the formatting core
 * (printf.c) writes to, and the FILE structure (stdio.c).
 */
#ifndef _LIBC_STDIO_IMPL_H
#define _LIBC_STDIO_IMPL_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

struct sink {
	void (*put)(struct sink *k, const char *s, size_t n);
	size_t count; /* bytes produced so far */
};

/* __vformat - format into k; returns the byte count (or -1 past INT_MAX). */
int __vformat(struct sink *k, const char *fmt, va_list ap);

/* __write_all - write n bytes, retrying short writes and EINTR; 0 or -1. */
int __write_all(int fd, const char *s, size_t n);

#endif
