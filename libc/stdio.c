/*
 * stdio.c - the three standard streams and character/line I/O on them.
 * stdout is line buffered, stderr unbuffered, stdin read in blocks of up
 * to BUFSIZ bytes (whatever one read(0) returns: a line on a console).
 * Formatting is in printf.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "stdio_impl.h"
#include "internal.h"

struct _FILE {
	int fd;
	int mode; /* _IOFBF, _IOLBF, _IONBF */
	int err, eof;
	size_t len; /* output: bytes buffered; input: bytes held */
	size_t pos; /* input: next byte to hand out */
	int unget;  /* ungetc'd character, or EOF */
	char buf[BUFSIZ];
};

static struct _FILE files[3] = {
	{ .fd = 0, .mode = _IOFBF, .unget = EOF },
	{ .fd = 1, .mode = _IOLBF, .unget = EOF },
	{ .fd = 2, .mode = _IONBF, .unget = EOF },
};
FILE *const stdin = &files[0];
FILE *const stdout = &files[1];
FILE *const stderr = &files[2];

int __write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static int flush_out(FILE *f)
{
	size_t n = f->len;

	if (f == stdin || n == 0)
		return 0;
	f->len = 0;
	if (__write_all(f->fd, f->buf, n) < 0) {
		f->err = 1;
		return EOF;
	}
	return 0;
}

int fflush(FILE *f)
{
	if (!f)
		return flush_out(stdout) | flush_out(stderr);
	return flush_out(f);
}

void __stdio_flush_all(void)
{
	fflush(NULL);
}

/* Append n bytes to an output stream, flushing as its mode says. */
static int put_bytes(FILE *f, const char *s, size_t n)
{
	if (f == stdin) {
		errno = EBADF;
		return EOF;
	}
	if (f->mode == _IONBF) {
		if (__write_all(f->fd, s, n) < 0) {
			f->err = 1;
			return EOF;
		}
		return 0;
	}
	while (n) {
		size_t room = sizeof(f->buf) - f->len;
		size_t m = n < room ? n : room;
		int newline = f->mode == _IOLBF && memchr(s, '\n', m);

		memcpy(f->buf + f->len, s, m);
		f->len += m;
		s += m;
		n -= m;
		if ((f->len == sizeof(f->buf) || newline) && flush_out(f) < 0)
			return EOF;
	}
	return 0;
}

struct file_sink {
	struct sink k;
	FILE *f;
	int err;
};

static void file_put(struct sink *k, const char *s, size_t n)
{
	struct file_sink *fs = (struct file_sink *)k;

	if (!fs->err && put_bytes(fs->f, s, n) < 0)
		fs->err = 1;
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	struct file_sink fs = { .k = { .put = file_put }, .f = f };
	int r = __vformat(&fs.k, fmt, ap);

	return fs.err ? -1 : r;
}

int fputc(int c, FILE *f)
{
	char ch = (char)c;

	return put_bytes(f, &ch, 1) < 0 ? EOF : (unsigned char)ch;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fputs(const char *restrict s, FILE *restrict f)
{
	return put_bytes(f, s, strlen(s)) < 0 ? EOF : 0;
}

int puts(const char *s)
{
	if (put_bytes(stdout, s, strlen(s)) < 0 ||
	    put_bytes(stdout, "\n", 1) < 0)
		return EOF;
	return 0;
}

size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f)
{
	if (size == 0 || n == 0)
		return 0;
	return put_bytes(f, p, size * n) < 0 ? 0 : n;
}

int setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size)
{
	(void)buf; /* each stream keeps its own buffer */
	(void)size;
	if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF)
		return -1;
	fflush(f);
	f->mode = mode;
	return 0;
}

int fgetc(FILE *f)
{
	if (f->unget != EOF) {
		int c = f->unget;

		f->unget = EOF;
		return c;
	}
	if (f->pos == f->len) {
		ssize_t r;

		if (f != stdin) {
			errno = EBADF;
			f->err = 1;
			return EOF;
		}
		fflush(stdout); /* show the prompt before we block */
		do
			r = read(f->fd, f->buf, sizeof(f->buf));
		while (r < 0 && errno == EINTR);
		if (r <= 0) {
			if (r == 0)
				f->eof = 1;
			else
				f->err = 1;
			return EOF;
		}
		f->pos = 0;
		f->len = (size_t)r;
	}
	return (unsigned char)f->buf[f->pos++];
}

int getc(FILE *f)
{
	return fgetc(f);
}

int getchar(void)
{
	return fgetc(stdin);
}

int ungetc(int c, FILE *f)
{
	if (c == EOF || f->unget != EOF)
		return EOF;
	f->unget = (unsigned char)c;
	f->eof = 0;
	return (unsigned char)c;
}

char *fgets(char *restrict s, int size, FILE *restrict f)
{
	int i = 0, c;

	if (size <= 0)
		return NULL;
	while (i < size - 1) {
		c = fgetc(f);
		if (c == EOF)
			break;
		s[i++] = (char)c;
		if (c == '\n')
			break;
	}
	if (i == 0)
		return NULL;
	s[i] = '\0';
	return s;
}

int fileno(FILE *f)
{
	return f->fd;
}

int ferror(FILE *f)
{
	return f->err;
}

int feof(FILE *f)
{
	return f->eof;
}

void clearerr(FILE *f)
{
	f->err = f->eof = 0;
}

void perror(const char *s)
{
	int e = errno;

	if (s && *s)
		fprintf(stderr, "%s: %s\n", s, strerror(e));
	else
		fprintf(stderr, "%s\n", strerror(e));
}
