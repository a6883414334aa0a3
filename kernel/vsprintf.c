/*
 * vsprintf.c - the printf core behind printk() and snprintf(), as Linux's
 * lib/vsprintf.c but small. It is pure (no I/O, no locks), so the host
 * unit tests compile this very file (tests/host/).
 *
 * Supported: flags '-', '0' and '#', a field width (digits or *), a
 * precision for %s (%.5s, %.*s), the length modifiers hh h l ll z t, and
 * the conversions d i u x X o c s p %.
 * %p prints 0x and 16 hex digits; %pS prints "symbol+0xoff/0xsize" through
 * ksym_lookup() (falling back to %p outside kernel text); %pB does the
 * same for a return address (see out_symbol()).
 *
 * A field width is at most FIELD_WIDTH_MAX and a precision at most
 * PRECISION_MAX, Linux's limits: a larger one, written in the format or
 * passed for '*', is cut to them, as Linux's set_field_width() and
 * set_precision() do (without their warning). Without the limit, "%*d"
 * with INT_MAX asks for 2 GiB of spaces, whose length no int return
 * value holds, and the format's digits could overflow an int.
 */
#include <kernel/printk.h>
#include <kernel/ksyms.h>

#define FIELD_WIDTH_MAX ((1 << 23) - 1) /* characters */
#define PRECISION_MAX	((1 << 15) - 1) /* characters */

/* v * 10 + the digit c, or max if that is more (0 <= v <= max). */
static int add_digit(int v, char c, int max)
{
	int d = c - '0';

	return v > (max - d) / 10 ? max : v * 10 + d;
}

struct outbuf {
	void (*emit)(char c); /* stream each character here, or ... */
	char *buf;	      /* ... store into buf */
	size_t size;	      /* bytes available in buf, including the NUL */
	size_t len; /* bytes the full output needs, excluding the NUL */
};

static void out_char(struct outbuf *o, char c)
{
	if (o->emit)
		o->emit(c);
	else if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct outbuf *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

/* A string, at most prec characters of it when prec >= 0. */
static void out_str(struct outbuf *o, const char *s, int width, bool left,
		    int prec)
{
	int n = 0;

	if (!s)
		s = "(null)";
	while (s[n] && (prec < 0 || n < prec))
		n++;
	if (!left)
		out_pad(o, ' ', width - n);
	for (int i = 0; i < n; i++)
		out_char(o, s[i]);
	if (left)
		out_pad(o, ' ', width - n);
}

/* Print an unsigned number in base 8/10/16 with sign, width and padding. */
static void out_num(struct outbuf *o, unsigned long long v, unsigned base,
		    bool neg, bool upper, int width, bool zero, bool left,
		    const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, plen = prefix ? (int)__builtin_strlen(prefix) : 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int body = n + plen + (neg ? 1 : 0);

	if (!left && !zero)
		out_pad(o, ' ', width - body);
	if (neg)
		out_char(o, '-');
	for (int i = 0; i < plen; i++)
		out_char(o, prefix[i]);
	if (!left && zero)
		out_pad(o, '0', width - body);
	while (n)
		out_char(o, tmp[--n]);
	if (left)
		out_pad(o, ' ', width - body);
}

/*
 * A return address points just past its call, which may be the first byte
 * of the next function when the call was the last instruction (a call to a
 * noreturn function): for %pB look up addr - 1, then print the offset of
 * addr itself, as Linux's sprint_backtrace() does.
 */
static void out_symbol(struct outbuf *o, unsigned long addr, bool backtrace)
{
	unsigned long off, size;
	const char *name = ksym_lookup(addr - backtrace, &off, &size);

	if (!name) {
		out_num(o, addr, 16, false, false, 18, true, false, "0x");
		return;
	}
	out_str(o, name, 0, false, -1);
	out_str(o, "+", 0, false, -1);
	out_num(o, off + backtrace, 16, false, false, 0, false, false, "0x");
	out_str(o, "/", 0, false, -1);
	out_num(o, size, 16, false, false, 0, false, false, "0x");
}

static void format(struct outbuf *o, const char *fmt, va_list ap);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { NULL, buf, size, 0 };

	format(&o, fmt, ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int vsprintf_emit(void (*emit)(char c), const char *fmt, va_list ap)
{
	struct outbuf o = { emit, NULL, 0, 0 };

	format(&o, fmt, ap);
	return (int)o.len;
}

static void format(struct outbuf *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		bool left = false, zero = false, alt = false;
		int width = 0, lng = 0, prec = -1;

		if (*fmt != '%') {
			out_char(o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) { /* flags */
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				zero = true;
			else if (*fmt == '#')
				alt = true;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < -FIELD_WIDTH_MAX || width > FIELD_WIDTH_MAX)
				width = width < 0 ? -FIELD_WIDTH_MAX :
						    FIELD_WIDTH_MAX;
			if (width < 0) {
				left = true;
				width = -width;
			}
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = add_digit(width, *fmt++, FIELD_WIDTH_MAX);
		if (*fmt == '.') { /* precision: %s only */
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				/* negative: as if none was given (ISO C) */
				prec = va_arg(ap, int);
				prec = prec < 0		    ? -1 :
				       prec > PRECISION_MAX ? PRECISION_MAX :
							      prec;
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				if (prec >= 0)
					prec = add_digit(prec, *fmt++,
							 PRECISION_MAX);
				else
					fmt++;
		}
		for (;; fmt++) { /* length modifiers */
			if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z' || *fmt == 't')
				lng = 1; /* size_t, ptrdiff_t: 64-bit */
			else if (*fmt == 'h')
				lng = lng < 0 ? -2 : -1; /* short, char */
			else
				break;
		}

		unsigned long long u;
		long long s;

		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng >= 2 ? va_arg(ap, long long) :
			    lng == 1 ? va_arg(ap, long) :
				       va_arg(ap, int);
			if (lng == -1)
				s = (short)s;
			else if (lng == -2)
				s = (signed char)s;
			u = s < 0 ? -(unsigned long long)s :
				    (unsigned long long)s;
			out_num(o, u, 10, s < 0, false, width, zero, left,
				NULL);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = lng >= 2 ? va_arg(ap, unsigned long long) :
			    lng == 1 ? va_arg(ap, unsigned long) :
				       va_arg(ap, unsigned int);
			if (lng == -1)
				u = (unsigned short)u;
			else if (lng == -2)
				u = (unsigned char)u;
			out_num(o, u,
				*fmt == 'u' ? 10 :
				*fmt == 'o' ? 8 :
					      16,
				false, *fmt == 'X', width, zero, left,
				alt && u ? (*fmt == 'o' ? "0" :
					    *fmt == 'X' ? "0X" :
					    *fmt == 'x' ? "0x" :
							  NULL) :
					   NULL);
			break;
		case 'c':
			if (!left)
				out_pad(o, ' ', width - 1);
			out_char(o, (char)va_arg(ap, int));
			if (left)
				out_pad(o, ' ', width - 1);
			break;
		case 's':
			out_str(o, va_arg(ap, const char *), width, left, prec);
			break;
		case 'p':
			u = (unsigned long)va_arg(ap, void *);
			if (fmt[1] == 'S' || fmt[1] == 'B') {
				fmt++;
				out_symbol(o, u, *fmt == 'B');
			} else {
				out_num(o, u, 16, false, false, 18, true, false,
					"0x");
			}
			break;
		case '%':
			out_char(o, '%');
			break;
		case '\0':
			fmt--; /* lone % at the end */
			break;
		default: /* unknown: print it as is */
			out_char(o, '%');
			out_char(o, *fmt);
			break;
		}
	}
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
