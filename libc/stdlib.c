/*
 * stdlib.c - number conversions, qsort/bsearch, rand, getenv, and process
 * exit: exit() runs the atexit handlers (last registered first), flushes
 * stdio (stdio.c) and calls exit_group through _exit (unistd.c).
 */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

int abs(int x)
{
	return x < 0 ? -x : x;
}
long labs(long x)
{
	return x < 0 ? -x : x;
}
long long llabs(long long x)
{
	return x < 0 ? -x : x;
}

static int isspace_(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/*
 * parse - the core of the strto* family: skips white space, takes a sign,
 * a 0x/0 prefix for base 16/0 and digits; saturates at max (in magnitude)
 * and sets ERANGE. *neg gets the sign. Returns the magnitude.
 */
static unsigned long long parse(const char *s, char **end, int base,
				unsigned long long max, int *neg, int *ovf)
{
	const char *p = s, *digits;
	unsigned long long v = 0;
	int overflow = 0, d;

	*neg = 0;
	*ovf = 0;
	while (isspace_(*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 32) == 'x' &&
	    digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}
	if (base < 2 || base > 36) {
		errno = EINVAL;
		if (end)
			*end = (char *)s;
		return 0;
	}
	digits = p;
	for (; (d = digit_value(*p)) < base; p++) {
		if (v > (max - (unsigned)d) / (unsigned)base)
			overflow = 1;
		else
			v = v * base + d;
	}
	if (end)
		*end = (char *)(p == digits ? s : p);
	*ovf = overflow;
	if (overflow) {
		errno = ERANGE;
		return max;
	}
	return v;
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
	int neg, ovf;
	unsigned long long v = parse(s, end, base,
				     (unsigned long long)LLONG_MAX + 1, &neg,
				     &ovf);

	if (!neg && v > LLONG_MAX) {
		errno = ERANGE;
		return LLONG_MAX;
	}
	return neg ? (long long)(0 - v) : (long long)v;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
	return (long)strtoll(s, end, base); /* long is long long on LP64 */
}

unsigned long long strtoull(const char *restrict s, char **restrict end,
			    int base)
{
	int neg, ovf;
	unsigned long long v = parse(s, end, base, ULLONG_MAX, &neg, &ovf);

	return neg && !ovf ? 0 - v : v;
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
	return (unsigned long)strtoull(s, end, base);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}
long atol(const char *s)
{
	return strtol(s, NULL, 10);
}
long long atoll(const char *s)
{
	return strtoll(s, NULL, 10);
}

static void swap_bytes(char *a, char *b, size_t n)
{
	while (n--) {
		char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

static void sift_down(char *base, size_t root, size_t n, size_t size,
		      int (*cmp)(const void *, const void *))
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n &&
		    cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap_bytes(base + root * size, base + child * size, size);
		root = child;
	}
}

/* qsort - heapsort: O(n log n) worst case, no recursion, not stable. */
void qsort(void *base, size_t nmemb, size_t size,
	   int (*cmp)(const void *, const void *))
{
	char *b = base;
	size_t i;

	if (nmemb < 2 || size == 0)
		return;
	for (i = nmemb / 2; i-- > 0;)
		sift_down(b, i, nmemb, size, cmp);
	for (i = nmemb - 1; i > 0; i--) {
		swap_bytes(b, b + i * size, size);
		sift_down(b, 0, i, size, cmp);
	}
}

void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
	      int (*cmp)(const void *, const void *))
{
	const char *b = base;

	while (nmemb) {
		const char *mid = b + (nmemb / 2) * size;
		int c = cmp(key, mid);

		if (c == 0)
			return (void *)mid;
		if (c > 0) {
			b = mid + size;
			nmemb -= nmemb / 2 + 1;
		} else {
			nmemb /= 2;
		}
	}
	return NULL;
}

static unsigned long long rand_state = 1;

int rand(void)
{
	rand_state =
		rand_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (int)(rand_state >> 33);
}

void srand(unsigned int seed)
{
	rand_state = seed;
}

char *getenv(const char *name)
{
	size_t n = strlen(name);
	char **e;

	if (!environ || n == 0 || strchr(name, '='))
		return NULL;
	for (e = environ; *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

#define ATEXIT_MAX 32
static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

int atexit(void (*fn)(void))
{
	if (atexit_count == ATEXIT_MAX)
		return -1;
	atexit_fns[atexit_count++] = fn;
	return 0;
}

void exit(int status)
{
	while (atexit_count > 0)
		atexit_fns[--atexit_count](); /* a handler may register more */
	__stdio_flush_all();
	_exit(status);
}

void abort(void)
{
	__stdio_flush_all();
	kill(getpid(), SIGABRT);
	_exit(128 + SIGABRT); /* only if SIGABRT did not end us */
}

void __assert_fail(const char *expr, const char *file, unsigned int line,
		   const char *func)
{
	fprintf(stderr, "%s:%u: %s: Assertion `%s' failed.\n", file, line, func,
		expr);
	abort();
}
