/*
 * t_malloc - malloc/calloc/realloc/free: alignment, no overlap (every block
 * keeps its own pattern), calloc zeroes, realloc keeps the contents, large
 * blocks (their own mappings) work, and memory is reused after free.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_malloc"
#include "utest.h"
#include <stdint.h>

#define N 500

/* size_of - the i-th request size: small, class-edge and large sizes. */
static size_t size_of(int i)
{
	static const size_t sizes[] = { 1,    7,    16,	  17,	 100,	 1000,
					4000, 4081, 5000, 70000, 1 << 20 };
	return sizes[i % (sizeof(sizes) / sizeof(sizes[0]))] + (size_t)(i % 3);
}

/* check_pattern - 1 iff all n bytes at p are v. */
static int check_pattern(const unsigned char *p, size_t n, unsigned char v)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (p[k] != v)
			return 0;
	return 1;
}

int main(void)
{
	static unsigned char *p[N];
	unsigned char *q, *r;
	int i, bad = 0, round;

	for (round = 0; round < 3; round++) {
		for (i = 0; i < N; i++) {
			p[i] = malloc(size_of(i));
			if (!p[i]) {
				diag("FAIL malloc(%zu) = NULL", size_of(i));
				utest_failures++;
				return utest_done();
			}
			if ((uintptr_t)p[i] % 16)
				bad++;
			memset(p[i], (unsigned char)(i + round), size_of(i));
		}
		CHECK_EQ(bad, 0);
		for (i = 0; i < N; i++)
			if (!check_pattern(p[i], size_of(i),
					   (unsigned char)(i + round)))
				bad++;
		CHECK_EQ(bad, 0);
		/* Free every other block, then the rest. */
		for (i = 0; i < N; i += 2)
			free(p[i]);
		for (i = 1; i < N; i += 2)
			free(p[i]);
	}

	q = calloc(1000, 8);
	CHECK(q != NULL);
	CHECK(q && check_pattern(q, 8000, 0));
	free(q);
	q = calloc(3, 100000);
	CHECK(q && check_pattern(q, 300000, 0));
	free(q);
	errno = 0;
	/* cppcheck-suppress leakReturnValNotUsed ; it must fail: nothing to free */
	CHECK(calloc((size_t)1 << 62, 16) == NULL);
	CHECK_EQ(errno, ENOMEM);

	q = malloc(10);
	memcpy(q, "abcdefghi", 10);
	r = realloc(q, 100);
	CHECK(r && memcmp(r, "abcdefghi", 10) == 0);
	q = realloc(r, 200000);
	CHECK(q && memcmp(q, "abcdefghi", 10) == 0);
	if (q)
		memset(q + 10, 1, 200000 - 10);
	r = realloc(q, 5);
	CHECK(r && memcmp(r, "abcde", 5) == 0);
	free(r);
	r = realloc(NULL, 32);
	CHECK(r != NULL);
	free(r);
	free(NULL);

	q = malloc(0);
	free(q);
	return utest_done();
}
