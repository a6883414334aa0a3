/*
 * printf.c - the formatting core (__vformat) and the printf family.
 * Supported: %d %i %u %x %X %o %c %s %p %n-less %%; flags '-' '0' '+' ' '
 * '#'; width and precision, also as '*'; length modifiers hh h l ll z t j.
 * No floating point (%f etc. print as "%f"). Output goes to a sink: a
 * bounded buffer (snprintf) or a stream (stdio.c).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "stdio_impl.h"

static void emit(struct sink *k, const char *s, size_t n)
{
	k->count += n;
	k->put(k, s, n);
}

static void pad(struct sink *k, char c, int n)
{
	char buf[32];

	memset(buf, c, sizeof(buf));
	while (n > 0) {
		int m = n > (int)sizeof(buf) ? (int)sizeof(buf) : n;

		emit(k, buf, (size_t)m);
		n -= m;
	}
}

enum {
	F_LEFT = 1,
	F_ZERO = 2,
	F_PLUS = 4,
	F_SPACE = 8,
	F_ALT = 16
};

/* One integer conversion, with sign, prefix, precision and padding. */
static void format_int(struct sink *k, unsigned long long v, int neg, int base,
		       int upper, int flags, int width, int prec)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int len = 0, zeros, padn;
	const char *prefix = "";
	int plen;

	if (v == 0 && prec == 0)
		len = 0; /* "%.0d" of 0 prints nothing */
	else
		do {
			buf[sizeof(buf) - 1 - len++] = digits[v % base];
			v /= base;
		} while (v);
	if (neg)
		prefix = "-";
	else if (flags & F_PLUS)
		prefix = "+";
	else if (flags & F_SPACE)
		prefix = " ";
	if ((flags & F_ALT) && base == 16 && len &&
	    /* cppcheck-suppress uninitvar ; len >= 1: the loop wrote that digit */
	    !(len == 1 && buf[sizeof(buf) - 1] == '0'))
		prefix = upper ? "0X" : "0x";
	if ((flags & F_ALT) && base == 8 &&
	    (len == 0 || buf[sizeof(buf) - len] != '0') && prec <= len)
		prec = len + 1;
	plen = (int)strlen(prefix);
	zeros = prec > len ? prec - len : 0;
	if (prec < 0 && (flags & F_ZERO) && !(flags & F_LEFT) &&
	    width > plen + len)
		zeros = width - plen - len;
	padn = width - plen - zeros - len;
	if (!(flags & F_LEFT))
		pad(k, ' ', padn);
	emit(k, prefix, (size_t)plen);
	pad(k, '0', zeros);
	emit(k, buf + sizeof(buf) - len, (size_t)len);
	if (flags & F_LEFT)
		pad(k, ' ', padn);
}

int __vformat(struct sink *k, const char *fmt, va_list ap)
{
	while (*fmt) {
		const char *start = fmt;
		int flags = 0, width = 0, prec = -1, lng = 0;
		unsigned long long uv;
		long long sv;
		int base, c;

		if (*fmt != '%') {
			while (*fmt && *fmt != '%')
				fmt++;
			emit(k, start, (size_t)(fmt - start));
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				flags |= F_LEFT;
			else if (*fmt == '0')
				flags |= F_ZERO;
			else if (*fmt == '+')
				flags |= F_PLUS;
			else if (*fmt == ' ')
				flags |= F_SPACE;
			else if (*fmt == '#')
				flags |= F_ALT;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				if (prec < 0)
					prec = -1;
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		/* lng: -2 hh, -1 h, 0 int, 1 long (l, z, t, j), 2 long long */
		for (;; fmt++) {
			if (*fmt == 'h')
				lng--;
			else if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j')
				lng = 1;
			else
				break;
		}
		c = *fmt;
		if (c == '\0')
			break;
		fmt++;
		switch (c) {
		case 'd':
		case 'i':
			if (lng >= 2)
				sv = va_arg(ap, long long);
			else if (lng == 1)
				sv = va_arg(ap, long);
			else
				sv = va_arg(ap, int);
			if (lng == -1)
				sv = (short)sv;
			else if (lng <= -2)
				sv = (signed char)sv;
			format_int(k,
				   sv < 0 ? 0ULL - (unsigned long long)sv :
					    (unsigned long long)sv,
				   sv < 0, 10, 0, flags, width, prec);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (lng >= 2)
				uv = va_arg(ap, unsigned long long);
			else if (lng == 1)
				uv = va_arg(ap, unsigned long);
			else
				uv = va_arg(ap, unsigned int);
			if (lng == -1)
				uv = (unsigned short)uv;
			else if (lng <= -2)
				uv = (unsigned char)uv;
			base = c == 'u' ? 10 : c == 'o' ? 8 : 16;
			format_int(k, uv, 0, base, c == 'X',
				   flags & ~(F_PLUS | F_SPACE), width, prec);
			break;
		case 'p':
			uv = (uintptr_t)va_arg(ap, void *);
			if (!uv) { /* glibc prints "(nil)" */
				const char *nil = "(nil)";
				int padn = width - 5;

				if (!(flags & F_LEFT))
					pad(k, ' ', padn);
				emit(k, nil, 5);
				if (flags & F_LEFT)
					pad(k, ' ', padn);
				break;
			}
			format_int(k, uv, 0, 16, 0,
				   (flags | F_ALT) & ~(F_PLUS | F_SPACE), width,
				   prec);
			break;
		case 'c': {
			char ch = (char)va_arg(ap, int);

			if (!(flags & F_LEFT))
				pad(k, ' ', width - 1);
			emit(k, &ch, 1);
			if (flags & F_LEFT)
				pad(k, ' ', width - 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t len;

			if (!s)
				s = "(null)";
			len = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
			if (!(flags & F_LEFT))
				pad(k, ' ', width - (int)len);
			emit(k, s, len);
			if (flags & F_LEFT)
				pad(k, ' ', width - (int)len);
			break;
		}
		case '%':
			emit(k, "%", 1);
			break;
		default: /* unknown or unsupported: print it as written */
			emit(k, start, (size_t)(fmt - start));
			break;
		}
	}
	return k->count > 0x7fffffff ? -1 : (int)k->count;
}

/* The bounded-buffer sink: keeps the first size-1 bytes, then drops. */
struct buf_sink {
	struct sink k;
	char *buf;
	size_t size, len;
};

static void buf_put(struct sink *k, const char *s, size_t n)
{
	struct buf_sink *b = (struct buf_sink *)k;

	while (n-- && b->size && b->len < b->size - 1)
		b->buf[b->len++] = *s++;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
	      va_list ap)
{
	struct buf_sink b = { .k = { .put = buf_put },
			      .buf = buf,
			      .size = size };
	int r = __vformat(&b.k, fmt, ap);

	if (size)
		buf[b.len] = '\0';
	return r;
}

int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
	return vsnprintf(buf, (size_t)0x7fffffff, fmt, ap);
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return r;
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsprintf(buf, fmt, ap);
	va_end(ap);
	return r;
}

/* The file-descriptor sink for dprintf: unbuffered writes. */
struct fd_sink {
	struct sink k;
	int fd;
	int err;
};

static void fd_put(struct sink *k, const char *s, size_t n)
{
	struct fd_sink *f = (struct fd_sink *)k;

	if (!f->err && __write_all(f->fd, s, n) < 0)
		f->err = 1;
}

int vdprintf(int fd, const char *restrict fmt, va_list ap)
{
	struct fd_sink f = { .k = { .put = fd_put }, .fd = fd };
	int r = __vformat(&f.k, fmt, ap);

	return f.err ? -1 : r;
}

int dprintf(int fd, const char *restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vdprintf(fd, fmt, ap);
	va_end(ap);
	return r;
}

int printf(const char *restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}

int vprintf(const char *restrict fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(f, fmt, ap);
	va_end(ap);
	return r;
}
