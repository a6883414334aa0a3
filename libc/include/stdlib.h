/*
 * stdlib.h - memory allocation (libc/malloc.c), conversions, sorting,
 * environment and process exit (libc/stdlib.c), as the C standard (C11
 * 7.22) and man 3 NAME describe them.
 */
#ifndef _STDLIB_H
#define _STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX     2147483647

/*
 * malloc - size bytes, 16-byte aligned, uninitialized; NULL with errno
 * ENOMEM. free - give back what malloc, calloc or realloc returned (NULL:
 * nothing); a pointer they did not return, or a second free, prints a
 * line and aborts. calloc - nmemb * size zeroed bytes; NULL with ENOMEM,
 * also when the product overflows. realloc - resize p, moving it when it
 * must (the contents up to the smaller size stay); p == NULL: malloc;
 * size == 0: free and NULL; on failure NULL, p unchanged. Thread-safe.
 */
void *malloc(size_t size);
void free(void *p);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *p, size_t size);

/* atoi, atol, atoll - strtol(s, NULL, 10) without error reporting. */
int atoi(const char *s);
long atol(const char *s);
long long atoll(const char *s);
/*
 * strtol and friends - convert the start of s: white space, a sign, then
 * digits in base (2..36; 0: decimal, 0x... hex, 0... octal; 16 also takes
 * a 0x prefix). *end (if end is not NULL) gets the first byte not used,
 * or s when there were no digits. Out of range: the type's limit and
 * errno ERANGE; a bad base: 0 and errno EINVAL. The unsigned ones negate
 * a value with a '-' sign, as C says.
 */
long strtol(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
long long strtoll(const char *restrict s, char **restrict end, int base);
unsigned long long strtoull(const char *restrict s, char **restrict end,
			    int base);
/* abs, labs, llabs - |x| (the most negative value stays as it is). */
int abs(int x);
long labs(long x);
long long llabs(long long x);

/* qsort - sort nmemb elements of size bytes in place by cmp (<0, 0, >0);
 * heapsort: not stable, O(n log n), no recursion. */
void qsort(void *base, size_t nmemb, size_t size,
	   int (*cmp)(const void *, const void *));
/* bsearch - an element of the sorted array equal to *key, or NULL. */
void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
	      int (*cmp)(const void *, const void *));
/* rand - the next of a fixed pseudo-random sequence, 0..RAND_MAX (a
 * 64-bit LCG's high bits); srand - restart the sequence from seed. */
int rand(void);
void srand(unsigned int seed);

/* getenv - the value of NAME in environ ("NAME=value"), or NULL. */
char *getenv(const char *name);

/* atexit - have exit() call fn (last registered, first called); 0, or -1
 * when 32 are registered already. */
int atexit(void (*fn)(void));
/* exit - run the atexit handlers, flush stdio, end the process
 * (exit_group) with status & 0xff. */
void exit(int status) __attribute__((noreturn));
/* _Exit - end the process at once: no handlers, no flush (= _exit). */
void _Exit(int status) __attribute__((noreturn));
/* abort - flush stdio and kill the process with SIGABRT (wait sees
 * WTERMSIG == SIGABRT); exits with 128 + SIGABRT if it survives. */
void abort(void) __attribute__((noreturn));

#endif
