/*
 * fuzz_vsprintf.c - libFuzzer harness for the printf core,
 * kernel/vsprintf.c compiled as it is (the Makefile renames its
 * snprintf/vsnprintf to kernel_snprintf/kernel_vsnprintf).
 *
 * A format string decides how many arguments printf reads and which of
 * them it dereferences (%s). A fuzzer that writes the format must not be
 * able to make the kernel read an argument that was never passed, or
 * take an integer for a string: that would be a bug of the harness, not
 * of the kernel. Two modes make that impossible by construction rather
 * than by re-parsing the format here (a second parser that could
 * disagree with the kernel's):
 *
 *  - raw (first byte even): the rest of the input up to a NUL is the
 *    format, as it is. Each '%' reads at most three arguments (a '*'
 *    width, a '*' precision, the value), so the format is cut before
 *    its (MAX_CONV + 1)th '%' and NR_SLOTS = 3 * MAX_CONV arguments are
 *    always passed. Every argument is a pointer to a NUL-terminated
 *    string in one page (the input's tail), so it is safe whichever
 *    conversion reads it; the page sits at a 4 GiB-aligned address, so
 *    an argument read as an int ('*', %d) is its offset in the page,
 *    0..4095, and never asks for billions of spaces.
 *  - generated (first byte odd): the harness writes the format itself
 *    from the input, one conversion specification at a time in the
 *    grammar the header of kernel/vsprintf.c documents (flags, width or
 *    '*', precision or '.*', length, conversion), with literal text
 *    between them that holds no '%'. It knows what each conversion
 *    reads, so integers get the input's values and %s gets one of a few
 *    fixed strings (or NULL).
 *
 * While fuzzing, widths stay below NARROW (raw: a run of WIDE_DIGITS
 * digits ends the format; generated: values are taken modulo NARROW):
 * one width of the kernel's FIELD_WIDTH_MAX is 8 Mi characters per call,
 * and the fuzzer, fond of long runs of digits and of 0xff bytes, would
 * spend its time printing spaces. Inputs replayed as files (the corpus,
 * its regress-* inputs: fuzz_init()) are taken as they are, so the wide
 * widths that broke the kernel stay tested.
 *
 * Either way the arguments are NR_SLOTS unsigned longs. The one thing
 * beyond ISO C this relies on is the x86-64 calling convention: every
 * integer or pointer argument of a variadic call takes one 8-byte slot,
 * and va_arg(ap, int) reads the low half of its slot.
 *
 * The checks (include/kernel/printk.h):
 *  - vsnprintf() returns the length of the whole output whatever the
 *    buffer size (0 included), writes at most size bytes (the buffer is
 *    exactly size bytes, so AddressSanitizer catches one more), ends
 *    them with a NUL, and they are the output's first bytes;
 *  - vsprintf_emit() hands out exactly the same characters;
 *  - in generated mode, when every conversion is one ISO C defines the
 *    same way (the kernel ignores a precision on integers, knows no '+'
 *    or ' ' flag, prints %p its own way...), the output is the C
 *    library's, byte for byte, return value included.
 */
#include <kernel/printk.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "host_shim.h"
#include "fuzz.h"

#if !defined(__x86_64__)
#error "fuzz_vsprintf.c relies on the x86-64 calling convention"
#endif

#define MAX_CONV    32		   /* conversions per format */
#define NR_SLOTS    (3 * MAX_CONV) /* arguments passed, always */
#define POOL_SIZE   4096	   /* the raw mode's string page */
#define FMT_MAX	    4096	   /* bytes of generated format */
#define CHECK_MAX   (1 << 20)	   /* longer outputs: length only */
#define EMIT_LIMIT  CHECK_MAX
#define NARROW	    1000 /* widths while fuzzing: below this */
#define WIDE_DIGITS 4	 /* digits of a number >= NARROW */

/* The C library's vsnprintf (the Makefile renames the kernel's). */
int libc_vsnprintf(char *buf, size_t size, const char *fmt,
		   va_list ap) __asm__("vsnprintf");

#define A4(i)  a[i], a[i + 1], a[i + 2], a[i + 3]
#define A16(i) A4(i), A4(i + 4), A4(i + 8), A4(i + 12)
#define ARGS   A16(0), A16(16), A16(32), A16(48), A16(64), A16(80)
_Static_assert(NR_SLOTS == 96, "ARGS passes 96 arguments");

static int kernel_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap); /* the kernel's */
	va_end(ap);
	return n;
}

static int libc_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = libc_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static char *emitted;
static size_t nr_emitted;

static void emit(char c)
{
	if (nr_emitted < EMIT_LIMIT)
		emitted[nr_emitted] = c;
	nr_emitted++;
}

static int kernel_emit(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsprintf_emit(emit, fmt, ap);
	va_end(ap);
	return n;
}

/* Format with the kernel every way and check that the ways agree. */
static void check_kernel(const char *fmt, const unsigned long *a, size_t size,
			 const char **full_out, int *len_out)
{
	int n = kernel_fmt(NULL, 0, fmt, ARGS);
	char *buf = malloc(size ? size : 1), *full;
	int m;

	FUZZ_CHECK(n >= 0, "vsnprintf returned %d", n);
	m = kernel_fmt(size ? buf : NULL, size, fmt, ARGS);
	FUZZ_CHECK(m == n, "vsnprintf: %d with %zu bytes, %d with none", m,
		   size, n);
	*full_out = NULL;
	*len_out = n;
	if (n > CHECK_MAX) {
		free(buf);
		return;
	}
	full = malloc((size_t)n + 1);
	FUZZ_CHECK(full && kernel_fmt(full, (size_t)n + 1, fmt, ARGS) == n &&
			   full[n] == '\0',
		   "vsnprintf into %d + 1 bytes", n);
	if (size) {
		size_t k = (size_t)n < size - 1 ? (size_t)n : size - 1;

		FUZZ_CHECK(buf[k] == '\0' && memcmp(buf, full, k) == 0,
			   "vsnprintf into %zu bytes: not the output's first "
			   "%zu bytes and a NUL",
			   size, k);
	}
	free(buf);
	nr_emitted = 0;
	m = kernel_emit(fmt, ARGS);
	FUZZ_CHECK(m == n && nr_emitted == (size_t)n &&
			   memcmp(emitted, full, (size_t)n) == 0,
		   "vsprintf_emit: %d characters, %zu emitted, vsnprintf %d", m,
		   nr_emitted, n);
	*full_out = full;
}

/* ---- raw mode ------------------------------------------------------------ */

static char *pool; /* POOL_SIZE bytes, 4 GiB aligned if possible */

static void pool_init(void)
{
	static char fallback[POOL_SIZE];
	const size_t four_g = 1UL << 32;
	char *p = mmap(NULL, 2 * four_g, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *aligned;

	pool = fallback; /* works, only with larger '*' widths */
	if (p == MAP_FAILED)
		return;
	aligned = (char *)(((unsigned long)p + four_g - 1) & ~(four_g - 1));
	if (mprotect(aligned, POOL_SIZE, PROT_READ | PROT_WRITE) == 0)
		pool = aligned;
}

static void fuzz_raw(const uint8_t *in, size_t len, size_t size)
{
	const uint8_t *nul = memchr(in, 0, len);
	size_t flen = nul ? (size_t)(nul - in) : len, tail;
	unsigned long a[NR_SLOTS];
	char *fmt = malloc(flen + 1);
	const char *full;
	int convs = 0, n;

	FUZZ_CHECK(fmt != NULL, "out of memory");
	for (size_t i = 0, digits = 0; i < flen; i++) {
		if (in[i] == '%' && ++convs > MAX_CONV) {
			flen = i; /* at most MAX_CONV conversions */
			break;
		}
		/* While fuzzing, no number of WIDE_DIGITS digits (see
		 * narrow()): the format ends before it. */
		digits = in[i] >= '0' && in[i] <= '9' ? digits + 1 : 0;
		if (digits == WIDE_DIGITS && !fuzz_replay) {
			flen = i;
			break;
		}
		fmt[i] = (char)in[i];
	}
	fmt[flen] = '\0';
	tail = nul ? len - (size_t)(nul - in) - 1 : 0;
	tail = tail < POOL_SIZE - 1 ? tail : POOL_SIZE - 1;
	memset(pool, 0, POOL_SIZE);
	if (tail)
		memcpy(pool, nul + 1, tail);
	for (int i = 0; i < NR_SLOTS; i++) /* strings, every 32 bytes */
		a[i] = (unsigned long)(pool + (32 * i) % (POOL_SIZE - 1));
	check_kernel(fmt, a, size, &full, &n);
	free((void *)full);
	free(fmt);
}

/* ---- generated mode ------------------------------------------------------ */

/* v, or while fuzzing v % NARROW (see the top of this file). */
static long narrow(long v)
{
	return fuzz_replay ? v : v % NARROW;
}

struct input {
	const uint8_t *p;
	size_t left;
};

static unsigned long take(struct input *in, int bytes)
{
	unsigned long v = 0;

	for (int i = 0; i < bytes && in->left; i++, in->left--)
		v |= (unsigned long)*in->p++ << (8 * i);
	return v;
}

static const char *const strings[] = {
	"",
	"a",
	"hello, world",
	NULL,
	"%s %d %n",
	"\x7f\x80\xff",
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
};

/* v in decimal into num (16 bytes); not with the printf under test. */
static const char *utoa(char *num, unsigned long v)
{
	char *p = num + 15;

	*p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return p;
}

static void append(char *fmt, size_t *len, const char *s)
{
	size_t n = strlen(s);

	FUZZ_CHECK(*len + n < FMT_MAX, "generated format too long");
	memcpy(fmt + *len, s, n + 1);
	*len += n;
}

/*
 * One conversion specification from the input into fmt, its arguments
 * into a[*slot...]. Returns false when it is not one ISO C defines the
 * same way as the kernel (then the C library is not asked).
 */
static bool gen_conv(struct input *in, char *fmt, size_t *len, unsigned long *a,
		     int *slot)
{
	static const char *const lengths[] = { "",   "hh", "h", "l",
					       "ll", "z",  "t", "" };
	static const char *const convs[] = { "d",  "i", "u", "x", "X",
					     "o",  "c", "s", "p", "pS",
					     "pB", "%", "q" };
	unsigned int f = (unsigned int)take(in, 1);
	unsigned int wkind = (f >> 3) & 3, pkind = (f >> 5) & 3;
	unsigned long w = 0, p = 0;
	const char *lm, *cv;
	char num[16];
	bool same = true;
	int star_w = 0;

	if (wkind == 1 || wkind == 3) /* bit 7: 3 bytes, else 1 */
		w = (unsigned long)narrow((long)take(in, f & 0x80 ? 3 : 1));
	if (pkind == 1)
		p = take(in, 1);
	lm = lengths[take(in, 1) % 8];
	cv = convs[take(in, 1) % 13];

	append(fmt, len, "%");
	if (f & 1)
		append(fmt, len, "-");
	if (f & 2)
		append(fmt, len, "0");
	if (f & 4)
		append(fmt, len, "#");
	if (wkind == 2) {
		append(fmt, len, "*");
		star_w = (int)narrow((int)take(in, 4));
		a[(*slot)++] = (unsigned long)star_w;
		/* ISO C takes any int; the kernel, like Linux, clamps. */
		same = star_w > -65536 && star_w < 65536;
	} else if (w) { /* never a leading 0: that would be the 0 flag */
		append(fmt, len, utoa(num, w));
		same = w < 65536;
	}
	if (pkind == 1) {
		append(fmt, len, ".");
		append(fmt, len, utoa(num, p));
	} else if (pkind == 2) {
		append(fmt, len, ".*");
		a[(*slot)++] = (unsigned long)(int)take(in, 4);
	} else if (pkind == 3) {
		append(fmt, len, ".");
	}
	if (strcmp(cv, "%") != 0)
		append(fmt, len, lm);
	append(fmt, len, cv);

	switch (cv[0]) {
	case 's': {
		const char *s = strings[take(in, 1) % 7];

		a[(*slot)++] = (unsigned long)s;
		/* glibc prints "(null)" only when it all fits the precision */
		return same && !(f & 6) && !*lm && (s || pkind == 0);
	}
	case 'c':
		a[(*slot)++] = take(in, 8);
		return same && !(f & 6) && !*lm && !pkind;
	case 'd':
	case 'i':
		a[(*slot)++] = take(in, 8);
		return same && !(f & 4) && !pkind;
	case 'u':
		a[(*slot)++] = take(in, 8);
		return same && !(f & 4) && !pkind;
	case 'x':
	case 'X':
	case 'o':
		a[(*slot)++] = take(in, 8);
		return same && !pkind;
	case 'p':
		a[(*slot)++] = take(in, 8); /* never dereferenced */
		return false;
	case '%':
		return same && (f & 7) == 0 && wkind != 2 && !w && !pkind;
	default: /* unknown: printed as it is */
		return false;
	}
}

static void fuzz_generated(const uint8_t *data, size_t len, size_t size)
{
	struct input in = { data, len };
	unsigned long a[NR_SLOTS] = { 0 };
	char *fmt = malloc(FMT_MAX);
	size_t flen = 0;
	int slot = 0, convs = 0, n;
	bool same = true;
	const char *full;

	FUZZ_CHECK(fmt != NULL, "out of memory");
	fmt[0] = '\0';
	while (in.left && flen < FMT_MAX - 64) {
		unsigned int b = (unsigned int)take(&in, 1);

		if (b < 0xc0 || convs == MAX_CONV) { /* literal text */
			char lit[2] = { (char)b, '\0' };

			if (b == 0 || b == '%')
				lit[0] = ' ';
			append(fmt, &flen, lit);
			continue;
		}
		same = gen_conv(&in, fmt, &flen, a, &slot) && same;
		convs++;
	}
	check_kernel(fmt, a, size, &full, &n);
	if (same && full) {
		int r = libc_fmt(NULL, 0, fmt, ARGS);
		char *buf = malloc(size ? size : 1),
		     *ref = malloc((size_t)r + 1);

		FUZZ_CHECK(r >= 0 && ref, "C library: %d", r);
		libc_fmt(ref, (size_t)r + 1, fmt, ARGS);
		FUZZ_CHECK(r == n && memcmp(ref, full, (size_t)n) == 0,
			   "'%s': the kernel prints %d bytes '%s', the C "
			   "library %d bytes '%s'",
			   fmt, n, full, r, ref);
		r = libc_fmt(size ? buf : NULL, size, fmt, ARGS);
		FUZZ_CHECK(r == n, "'%s' into %zu bytes: C library %d", fmt,
			   size, r);
		free(buf);
		free(ref);
	}
	free((void *)full);
	free(fmt);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init(argc, argv);
	pool_init();
	emitted = malloc(EMIT_LIMIT);
	return emitted ? 0 : 1;
}

/*
 * Input: byte 0 picks the mode (even: raw, odd: generated); byte 1 the
 * size of the buffer vsnprintf() gets (0..199 bytes, then 64-byte steps
 * up to 3.5 KiB); the rest is the format (raw) or what the format is
 * made from (generated).
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t bufsize;

	if (size < 2)
		return 0;
	bufsize = data[1] < 200 ? data[1] : 64 * (size_t)(data[1] - 199);
	host_log_clear();
	if (data[0] & 1)
		fuzz_generated(data + 2, size - 2, bufsize);
	else
		fuzz_raw(data + 2, size - 2, bufsize);
	return 0;
}
