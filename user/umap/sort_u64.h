/*
 * sort_u64.h - the in-place sort that umapsort runs through a umap()ed
 * file (user/umapsort.c), and t_umap in small (tests/user/t_umap.c), so
 * that the test sorts as the demo does. Quicksort (Hoare's partition),
 * the smaller side recursed: stack depth O(log n). Its accesses jump
 * between the two ends of a range, which is what makes a pager's buffer
 * work.
 */
#ifndef UMAP_SORT_U64_H
#define UMAP_SORT_U64_H

#include <stdint.h>

/* sort_u64 - sort a[lo..hi] (indexes, inclusive) ascending, in place. */
static void sort_u64(uint64_t *a, long lo, long hi)
{
	while (lo < hi) {
		uint64_t piv = a[lo + (hi - lo) / 2];
		long i = lo - 1, j = hi + 1;

		for (;;) {
			while (a[++i] < piv)
				;
			while (a[--j] > piv)
				;
			if (i >= j)
				break;
			uint64_t t = a[i];

			a[i] = a[j];
			a[j] = t;
		}
		if (j - lo < hi - j) {
			sort_u64(a, lo, j);
			lo = j + 1;
		} else {
			sort_u64(a, j + 1, hi);
			hi = j;
		}
	}
}

#endif
