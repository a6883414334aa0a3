/*
 * t_mm_zero_fill - demand-zero memory (man 2 mmap, MAP_ANONYMOUS): a fresh
 * mapping reads zero; written data reads back; a 1 GiB MAP_NORESERVE
 * mapping with one byte written per MiB works, and its untouched pages
 * (sampled: the rest of each written page, its neighbours, the middle and
 * the last page of every MiB) read zero.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_zero_fill"
#include "utest.h"
#include "mm_util.h"

#define MIB (1UL << 20)
#define BIG (1UL << 30)

int main(void)
{
	const int rw = PROT_READ | PROT_WRITE;
	unsigned char *p, *big;
	size_t i, bad = 0;

	/* Small: zero, then a pattern that reads back. */
	p = map_anon(16 * PAGE, rw);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return utest_done();
	CHECK(all_bytes(p, 16 * PAGE, 0));
	for (i = 0; i < 16 * PAGE; i++)
		p[i] = (unsigned char)(i * 7 + i / PAGE);
	for (i = 0; i < 16 * PAGE; i++)
		if (p[i] != (unsigned char)(i * 7 + i / PAGE))
			bad++;
	CHECK_EQ(bad, 0);
	CHECK_EQ(munmap(p, 16 * PAGE), 0);

	/* Write-first and read-first pages of the same fresh mapping. */
	p = map_anon(8 * PAGE, rw);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		for (i = 0; i < 8; i += 2)
			p[i * PAGE + 1] = 0xee; /* write fault */
		for (i = 1; i < 8; i += 2)
			CHECK_EQ(p[i * PAGE + 1], 0); /* read fault */
		for (i = 1; i < 8; i += 2)
			p[i * PAGE + 2] = 0xdd; /* write after read */
		for (i = 0; i < 8; i++) {
			CHECK_EQ(p[i * PAGE + 1], i % 2 ? 0 : 0xee);
			CHECK_EQ(p[i * PAGE + 2], i % 2 ? 0xdd : 0);
			CHECK_EQ(p[i * PAGE], 0);
		}
		CHECK_EQ(munmap(p, 8 * PAGE), 0);
	}

	/* 1 GiB, one byte per MiB. */
	big = mmap(NULL, BIG, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		   -1, 0);
	CHECK(big != MAP_FAILED);
	if (big == MAP_FAILED) {
		diag("1 GiB mmap: %s", strerror(errno));
		return utest_done();
	}
	for (i = 0; i < BIG; i += MIB)
		big[i + (i / MIB) % PAGE] = (unsigned char)(i / MIB % 255 + 1);
	bad = 0;
	for (i = 0; i < BIG; i += MIB) {
		size_t off = (i / MIB) % PAGE;

		if (big[i + off] != (unsigned char)(i / MIB % 255 + 1))
			bad++;
		if (big[i + (off + 1) % PAGE] != 0) /* same page */
			bad++;
		if (big[i + PAGE] != 0 ||	  /* next page */
		    big[i + MIB / 2 + 17] != 0 || /* middle */
		    big[i + MIB - 1] != 0)	  /* last byte */
			bad++;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(munmap(big, BIG), 0);
	return utest_done();
}
