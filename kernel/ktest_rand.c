/*
 * ktest_rand.c - random test data for the in-kernel tests (include/kernel/
 * ktest.h): a seedable xorshift64* generator and a shuffle on top of it.
 * Pure C with no kernel services, so the host unit tests (tests/host/)
 * link this very file and draw the same sequences as the kernel.
 */
#include <kernel/ktest.h>

#define KTEST_DEFAULT_SEED 0x9e3779b97f4a7c15ULL

static u64 rand_state = KTEST_DEFAULT_SEED;

u64 ktest_rand(void)
{
	/* xorshift64* (Vigna): fast, good enough for shuffling test data. */
	rand_state ^= rand_state >> 12;
	rand_state ^= rand_state << 25;
	rand_state ^= rand_state >> 27;
	return rand_state * 0x2545f4914f6cdd1dULL;
}

void ktest_srand(u64 seed)
{
	rand_state = seed ? seed : KTEST_DEFAULT_SEED; /* 0 would stick at 0 */
}

void ktest_shuffle(void *base, size_t nmemb, size_t size)
{
	unsigned char *a = base;

	/* Fisher-Yates, from the end: element i - 1 swaps with a random j < i. */
	for (size_t i = nmemb; i > 1; i--) {
		unsigned char *x = a + (i - 1) * size;
		unsigned char *y = a + (size_t)(ktest_rand() % i) * size;

		for (size_t k = 0; k < size; k++) {
			unsigned char tmp = x[k];

			x[k] = y[k];
			y[k] = tmp;
		}
	}
}
