/*
 * umapsort - sort a file larger than the pager's buffer in place through
 * umap() (user/umap, docs/umap.md), as LLNL's UMap's umapsort does.
 *
 *   umapsort [PAGES [FILE]]
 *
 * Writes PAGES pages (default: 4 x the buffer) of random u64 to FILE
 * (default /tmp/umapsort.dat), maps it with a buffer of UMAP_BUFSIZE
 * pages (default here 256, when the variable is unset), quicksorts it in
 * place through the mapping, unmaps (writing every page back), then reads
 * the file and checks it is sorted and has the same sum and xor as the
 * input. Prints the pager's counters and the sort's time. Builds for this
 * kernel (make user) and for Linux:
 *   gcc -O2 -idirafter libc/include -idirafter include/uapi \
 *       user/umapsort.c libc/thread.c -o umapsort
 * Exit status 0 iff the check passed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "umap/umap.c"
#include "umap/sort_u64.h"

#define PG  4096UL
#define WPP (PG / sizeof(uint64_t))

/* Sum, xor and sortedness of the file's pages; -1 on a short read. */
static int scan(int fd, size_t pages, uint64_t *sum, uint64_t *x)
{
	static uint64_t buf[WPP];
	uint64_t prev = 0;
	int sorted = 1;

	*sum = *x = 0;
	for (size_t i = 0; i < pages; i++) {
		if (syscall(__NR_pread64, fd, buf, PG, (off_t)(i * PG)) !=
		    (long)PG)
			return -1;
		for (size_t w = 0; w < WPP; w++) {
			*sum += buf[w];
			*x ^= buf[w];
			sorted &= buf[w] >= prev;
			prev = buf[w];
		}
	}
	return sorted;
}

/* Microseconds of CLOCK_MONOTONIC (our printf has no %f). */
static unsigned long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * 1000000 +
	       (unsigned long)ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	static uint64_t buf[WPP];
	struct umap_config c;
	struct umap_stats st;
	uint64_t seed = 88172645463325252ull, s0, x0, s1, x1;
	const char *path = argc > 2 ? argv[2] : "/tmp/umapsort.dat";

	umap_cfg_get(&c);
	if (!getenv("UMAP_BUFSIZE"))
		c.bufsize = 256;
	if (umap_cfg_set(&c)) {
		printf("umapsort: bad UMAP_* configuration\n");
		return 2;
	}
	size_t pages = argc > 1 ? strtoul(argv[1], NULL, 0) : 4 * c.bufsize;
	size_t psz = c.pagesize / PG; /* 4 KiB pages per umap page */

	pages = (pages + psz - 1) / psz * psz;
	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);

	if (fd < 0) {
		printf("umapsort: cannot create %s\n", path);
		return 2;
	}
	for (size_t i = 0; i < pages; i++) {
		for (size_t w = 0; w < WPP; w++) {
			seed ^= seed << 13; /* xorshift64 */
			seed ^= seed >> 7;
			seed ^= seed << 17;
			buf[w] = seed;
		}
		syscall(__NR_pwrite64, fd, buf, PG, (off_t)(i * PG));
	}
	scan(fd, pages, &s0, &x0);
	unsigned long t0 = now_us();
	uint64_t *p = umap(NULL, pages * PG, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE, fd, 0);

	if (p == MAP_FAILED) {
		printf("umapsort: umap failed\n");
		return 2;
	}
	sort_u64(p, 0, (long)(pages * WPP) - 1);
	uunmap(p, pages * PG);
	unsigned long t1 = now_us();
	int sorted = scan(fd, pages, &s1, &x1);
	int ok = sorted == 1 && s0 == s1 && x0 == x1;

	umap_get_stats(&st);
	printf("umapsort: %zu pages of 4 KiB, umap page %zu B, buffer %zu "
	       "umap pages (%u%%/%u%%)\n",
	       pages, c.pagesize, c.bufsize, c.high_water, c.low_water);
	printf("umapsort: faults %lu fills %lu evictions %lu write-backs %lu\n",
	       st.faults, st.fills, st.evictions, st.writebacks);
	printf("umapsort: sort + unmap %lu us; %s\n", t1 - t0,
	       ok ? "sorted, same sum and xor: ok" : "FAILED");
	close(fd);
	syscall(__NR_unlink, path);
	return ok ? 0 : 1;
}
