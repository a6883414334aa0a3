/*
 * app_sort - an application benchmark of `make bench-apps`
 * (docs/testing.md): sort a large in-memory array, as a program would,
 * and time it with its page faults (user/app_util.h).
 *
 *   app_sort [keys=N]          (default 8388608: a 32 MiB array)
 *
 * Fills an array of N 32-bit keys from a fixed xorshift sequence (the same
 * on every kernel), then sorts it with a bottom-up merge sort (insertion
 * sort of 32-key runs, then merges through a second array of the same
 * size), as glibc's qsort does for arrays that fit in memory: both arrays
 * come from malloc, so the array is faulted in by the fill and the buffer
 * by the first merge pass, one fault per 4 KiB page of each. Then it
 * checks the result: every key not smaller than the one before it, and
 * the same keys as before the sort (their count, sum, xor and sum of
 * squares), and frees both arrays. A wrong result is said on a line of
 * its own and the exit status is 1. The sort is the program's own code
 * (no libc call in the loops), so our kernel and Linux run the same
 * instructions in it.
 *
 * Phases (APP,phase lines): fill, sort, check, free.
 */
#include "app_util.h"

#define RUN 32 /* keys per insertion-sorted run */

static void insertion_sort(uint32_t *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint32_t v = a[i];
		size_t j = i;

		while (j > 0 && a[j - 1] > v) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = v;
	}
}

/* Merge src[lo, mid) and src[mid, hi), both sorted, into dst[lo, hi). */
static void merge(const uint32_t *src, uint32_t *dst, size_t lo, size_t mid,
		  size_t hi)
{
	size_t i = lo, j = mid, k = lo;

	while (i < mid && j < hi)
		dst[k++] = src[j] < src[i] ? src[j++] : src[i++];
	while (i < mid)
		dst[k++] = src[i++];
	while (j < hi)
		dst[k++] = src[j++];
}

/* Sort a[0, n) with tmp (n keys) as the merge buffer. */
static void merge_sort(uint32_t *a, uint32_t *tmp, size_t n)
{
	uint32_t *src = a, *dst = tmp, *t;

	for (size_t i = 0; i < n; i += RUN)
		insertion_sort(a + i, n - i < RUN ? n - i : RUN);
	for (size_t w = RUN; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;

			merge(src, dst, lo, mid, hi);
		}
		t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		for (size_t i = 0; i < n; i++)
			a[i] = src[i];
}

/* What must survive the sort: the keys as a multiset. */
struct keysum {
	uint64_t sum, xor, squares;
};

static struct keysum keysum(const uint32_t *a, size_t n)
{
	struct keysum s = { 0, 0, 0 };

	for (size_t i = 0; i < n; i++) {
		s.sum += a[i];
		s.xor ^= a[i];
		s.squares += (uint64_t)a[i] * a[i];
	}
	return s;
}

int main(int argc, char **argv)
{
	size_t n = app_arg(argc, argv, "keys", 8388608, 2, 1UL << 28,
			   "app_sort [keys=N]");
	struct keysum before, after;
	uint64_t rng = 0x9e3779b97f4a7c15ULL, checksum = 0;
	size_t bad = 0, first_bad = 0;
	uint32_t *a, *tmp;
	struct app app;
	char params[64];
	int ok;

	snprintf(params, sizeof(params), "keys=%zu,mib=%zu", n,
		 n * sizeof(*a) >> 20);
	app_begin(&app, "sort", params);

	app_phase(&app, "fill");
	a = malloc(n * sizeof(*a));
	tmp = malloc(n * sizeof(*tmp));
	if (!a || !tmp)
		app_fail_alloc("app_sort", "two arrays", 2 * n * sizeof(*a));
	for (size_t i = 0; i < n; i++)
		a[i] = (uint32_t)(app_rand(&rng) >> 32);
	before = keysum(a, n);

	app_phase(&app, "sort");
	merge_sort(a, tmp, n);

	app_phase(&app, "check");
	for (size_t i = 1; i < n; i++)
		if (a[i - 1] > a[i] && bad++ == 0)
			first_bad = i;
	after = keysum(a, n);
	for (size_t i = 0; i < n; i++)
		checksum += (uint64_t)a[i] * (i + 1);
	ok = bad == 0 && before.sum == after.sum &&
	     before.xor == after.xor &&before.squares == after.squares;
	if (bad)
		app_emit("app_sort: WRONG: %zu keys smaller than the one before "
			 "them, the first at index %zu (%u after %u)",
			 bad, first_bad, a[first_bad], a[first_bad - 1]);
	else if (!ok)
		app_emit("app_sort: WRONG: the keys changed in the sort (sum "
			 "%llu vs %llu)",
			 (unsigned long long)after.sum,
			 (unsigned long long)before.sum);

	app_phase(&app, "free");
	free(tmp);
	free(a);
	app_end(&app, ok, checksum);
}
