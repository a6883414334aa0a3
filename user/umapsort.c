/*
 * umapsort - sort a file larger than the pager's buffer in place through
 * umap() (user/umap, docs/umap.md), as LLNL's UMap's umapsort does.
 *
 *   umapsort [--no-wp] [PAGES [FILE]]
 *
 * Writes PAGES pages (default: 4 x the buffer) of random u64 to FILE
 * (default /tmp/umapsort.dat, or /umapsort.dat without /tmp), maps it
 * with a buffer of UMAP_BUFSIZE pages (default here 256, when the
 * variable is unset), quicksorts it in place through the mapping, unmaps
 * (writing every dirty page back), then reads the file and checks it is
 * sorted and has the same sum and xor as the input. --no-wp: every page
 * of the mapping counts as dirty even where write-protect faults exist
 * (umap_config.no_wp), to compare both kernels in the same mode. Prints
 * the pager's counters (docs/umap.md), the sort's time and its
 * throughput (KiB of file sorted per second of sort + unmap), and
 * one line for tools/bench_report.py:
 *   UMAPSORT,pages,bufsize,faults,fills,evictions,writebacks,wp_faults,
 *            wp,us,kib_per_s,ok|FAILED
 * then UMAPSORT,done. Builds for this kernel (make user) and for Linux:
 *   gcc -O2 -idirafter libc/include -idirafter include/uapi -Iuser \
 *       user/umapsort.c libc/thread.c -o umapsort
 * Exit status 0 iff the check passed (as a Linux VM's /init it powers the
 * VM off instead: bench_exit()).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "umap/umap.c"
#include "umap/random_file.h"
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

int main(int argc, char **argv)
{
	int no_wp = argc > 1 && strcmp(argv[1], "--no-wp") == 0;

	argc -= no_wp;
	argv += no_wp;
	struct umap_config c;
	struct umap_stats st;
	uint64_t seed = 88172645463325252ull, s0, x0, s1, x1;
	/* /tmp, or / where there is none (a Linux VM's initramfs). */
	const char *path = argc > 2		     ? argv[2] :
			   access("/tmp", W_OK) == 0 ? "/tmp/umapsort.dat" :
						       "/umapsort.dat";

	umap_cfg_get(&c);
	if (!getenv("UMAP_BUFSIZE"))
		c.bufsize = 256;
	c.no_wp = no_wp;
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
	if (umap_random_file(fd, pages, seed)) {
		printf("umapsort: cannot write %s\n", path);
		return 2;
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
	unsigned long us = t1 > t0 ? t1 - t0 : 1;
	unsigned long kibs = (unsigned long)(pages * 4 * 1000000ull / us);

	printf("umapsort: %zu pages of 4 KiB, umap page %zu B, buffer %zu "
	       "umap pages (%u%%/%u%%), %u fillers, %u evictors\n",
	       pages, c.pagesize, c.bufsize, c.high_water, c.low_water,
	       c.fillers, c.evictors);
	printf("umapsort: faults %lu fills %lu evictions %lu write-backs %lu "
	       "wp-faults %lu; dirty pages: %s\n",
	       st.faults, st.fills, st.evictions, st.writebacks, st.wp_faults,
	       st.wp ? "wp faults" : "every page (no wp)");
	printf("umapsort: sort + unmap %lu us (fillers %lu us, evictors %lu "
	       "us), %lu KiB/s; %s\n",
	       us, st.fill_us, st.evict_us, kibs,
	       ok ? "sorted, same sum and xor: ok" : "FAILED");
	printf("UMAPSORT,%zu,%zu,%lu,%lu,%lu,%lu,%lu,%d,%lu,%lu,%s\n", pages,
	       c.bufsize, st.faults, st.fills, st.evictions, st.writebacks,
	       st.wp_faults, st.wp, us, kibs, ok ? "ok" : "FAILED");
	printf("UMAPSORT,done\n");
	fflush(stdout);
	close(fd);
	syscall(__NR_unlink, path);
	bench_exit(ok ? 0 : 1);
}
