/*
 * random_file.h - the file of random u64 that umapsort sorts
 * (user/umapsort.c) and t_umap sorts in small (tests/user/t_umap.c):
 * Marsaglia's xorshift64 (13, 7, 17), so that a seed names the same
 * bytes on every kernel.
 */
#ifndef UMAP_RANDOM_FILE_H
#define UMAP_RANDOM_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * umap_random_file - write pages pages of 4096 bytes of xorshift64 words
 * from seed (not 0) to fd from byte 0, with pwrite(2). 0, or -1 when a
 * write was short.
 */
static int umap_random_file(int fd, size_t pages, uint64_t seed)
{
	static uint64_t buf[4096 / sizeof(uint64_t)];

	for (size_t i = 0; i < pages; i++) {
		for (size_t w = 0; w < sizeof(buf) / sizeof(buf[0]); w++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			buf[w] = seed;
		}
		if (syscall(__NR_pwrite64, fd, buf, sizeof(buf),
			    (off_t)(i * sizeof(buf))) != (long)sizeof(buf))
			return -1;
	}
	return 0;
}

#endif
