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

#define EOF    (-1)
#define BUFSIZ 1024
#define _IOFBF 0
#define _IOLBF 1
#define _IONBF 2

typedef struct _FILE FILE;
extern FILE *const stdin;
extern FILE *const stdout;
extern FILE *const stderr;

/*
 * The printf family - format as described above. printf, vprintf: to
 * stdout; fprintf, vfprintf: to f; dprintf, vdprintf: straight to fd, one
 * write(2) per piece, unbuffered. Return the bytes produced, or -1 when
 * writing failed (errno from write). sprintf, vsprintf: into buf, with no
 * bound; snprintf, vsnprintf: at most size - 1 bytes and a NUL (nothing
 * when size is 0), returning the length the whole output would have had.
 */
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
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
	      va_list ap);

/* fputc, putc, putchar - write (unsigned char)c; return it, or EOF. */
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
/* fputs - write s (no newline added); puts - s and a newline to stdout.
 * Return 0, or EOF. */
int fputs(const char *restrict s, FILE *restrict f);
int puts(const char *s);
/* fwrite - write n items of size bytes; returns n, or 0 on error. */
size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f);
/* fgetc, getc, getchar - the next byte as unsigned char, or EOF at end of
 * input (feof) or on error (ferror; EBADF for any stream but stdin).
 * stdout is flushed before stdin blocks, so a prompt shows. */
int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
/* ungetc - push c back for the next read (one byte only); returns c, or
 * EOF when c is EOF or a byte is already pushed back. */
int ungetc(int c, FILE *f);
/* fgets - read up to size - 1 bytes, stopping after a newline, and add a
 * NUL; returns s, or NULL when nothing was read (end or error). */
char *fgets(char *restrict s, int size, FILE *restrict f);
/* fflush - write out f's buffered output (NULL: every stream); 0, or EOF
 * with ferror set. */
int fflush(FILE *f);
/* setvbuf - set f's mode (_IOFBF, _IOLBF, _IONBF) after flushing it; buf
 * and size are ignored (each stream keeps its own buffer). 0, or -1 for
 * an unknown mode. */
int setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size);
/* fileno - f's file descriptor. ferror, feof - f's error / end-of-file
 * flag; clearerr clears both. */
int fileno(FILE *f);
int ferror(FILE *f);
int feof(FILE *f);
void clearerr(FILE *f);
/* perror - "s: <strerror(errno)>" (or just the message) on stderr. */
void perror(const char *s);

/* rename - give oldpath the name newpath (libc/dir.c); renameat -
 * relative to directory fds. */
int rename(const char *oldpath, const char *newpath);
int renameat(int olddirfd, const char *oldpath, int newdirfd,
	     const char *newpath);

#endif
