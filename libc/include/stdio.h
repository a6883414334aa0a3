/*
 * stdio.h - formatted output and simple console I/O (libc/stdio.c,
 * libc/printf.c).
 *
 * Three streams on the first three file descriptors: stdin (fd 0, read in
 * blocks), stdout (fd 1, line buffered: flushed at each '\n', when full,
 * before reading stdin, at fork() and at exit()) and stderr (fd 2,
 * unbuffered). printf supports %d %i %u %x %X %o %c %s %p %% with the
 * flags '-', '0', '+', ' ', '#', a width and a precision (also '*') and the
 * length modifiers hh h l ll z t j; no floating point.
 */
#ifndef _STDIO_H
#define _STDIO_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#define EOF		(-1)
#define BUFSIZ		1024
#define _IOFBF		0
#define _IOLBF		1
#define _IONBF		2

typedef struct _FILE FILE;
extern FILE *const stdin;
extern FILE *const stdout;
extern FILE *const stderr;

int printf(const char *restrict fmt, ...) __attribute__((format(printf, 1, 2)));
int fprintf(FILE *restrict f, const char *restrict fmt, ...)
	__attribute__((format(printf, 2, 3)));
int dprintf(int fd, const char *restrict fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sprintf(char *restrict buf, const char *restrict fmt, ...)
	__attribute__((format(printf, 2, 3)));
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vprintf(const char *restrict fmt, va_list ap);
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap);
int vdprintf(int fd, const char *restrict fmt, va_list ap);
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap);
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap);

int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
int fputs(const char *restrict s, FILE *restrict f);
int puts(const char *s);
size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f);
int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
int ungetc(int c, FILE *f);
char *fgets(char *restrict s, int size, FILE *restrict f);
int fflush(FILE *f);		/* NULL: every stream */
int setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size);
int fileno(FILE *f);
int ferror(FILE *f);
int feof(FILE *f);
void clearerr(FILE *f);
void perror(const char *s);

#endif
