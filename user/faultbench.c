/*
 * faultbench - page-fault microbenchmark (DESIGN.md §7): ticks per
 * first-touch fault of anonymous private memory, one timed access per page.
 *
 *   faultbench [--csv] [PAGES]      (PAGES: default 4096)
 *
 * Three kinds, each on a fresh mmap of PAGES pages:
 *   read    read one byte per page: maps the shared zero page
 *   write   write one byte per page: allocates a zeroed page
 *   rw      read every page first (untimed), then time the write, which
 *           replaces the zero page by a page of its own (COW from zero)
 * Each access is bracketed by lfence;rdtsc and rdtscp;lfence, so a sample
 * includes that pair's own cost (printed as `overhead`). Output, one line
 * per kind:
 *   faultbench: read  pages=4096 min=... median=... p99=... mean=... ticks
 * or with --csv: a header `kind,pages,min,median,p99,mean` and one row per
 * kind. Ticks are TSC ticks: guest instructions under QEMU -icount
 * shift=0, cycles under KVM; the first line names the kernel (uname).
 * Builds against our libc and against glibc (gcc -static user/faultbench.c).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>

#if __has_include(<rdtsc.h>)
#include <rdtsc.h>		/* our libc */
#else
static inline uint64_t rdtsc_ordered(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}
#endif

#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE	15	/* Linux: no transparent huge pages here */
#endif

#define PAGE	4096UL

/* rdtscp; lfence: the access before it has completed, and nothing after
 * it starts early. */
static inline uint64_t tsc_end(void)
{
	uint32_t lo, hi, aux;
	__asm__ __volatile__("rdtscp; lfence" : "=a"(lo), "=d"(hi), "=c"(aux) :: "memory");
	(void)aux;
	return ((uint64_t)hi << 32) | lo;
}

enum kind { K_READ, K_WRITE, K_RW, NR_KINDS };
static const char *const kind_name[NR_KINDS] = { "read", "write", "rw" };

static int is_linux;

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct result {
	uint64_t min, median, p99, mean;
};

static void summarize(uint64_t *t, unsigned long n, struct result *r)
{
	unsigned long i, k;
	uint64_t sum = 0;

	qsort(t, n, sizeof(*t), cmp_u64);
	for (i = 0; i < n; i++)
		sum += t[i];
	k = (n * 99 + 99) / 100;	/* nearest rank: ceil(0.99 n) */
	r->min = t[0];
	r->median = t[(n - 1) / 2];
	r->p99 = t[(k ? k : 1) - 1];
	r->mean = sum / n;
}

static unsigned char *fresh_mapping(unsigned long pages)
{
	unsigned char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (is_linux)	/* one fault per page, not per 2 MiB */
		madvise(p, pages * PAGE, MADV_NOHUGEPAGE);
	return p;
}

/* Time one first touch per page of a fresh mapping; 0 or -1. */
static int measure(enum kind kind, unsigned long pages, uint64_t *t)
{
	volatile unsigned char *p = fresh_mapping(pages);
	unsigned long i;
	uint64_t t0;

	if (!p)
		return -1;
	if (kind == K_RW)
		for (i = 0; i < pages; i++)
			(void)p[i * PAGE];
	for (i = 0; i < pages; i++) {
		volatile unsigned char *a = p + i * PAGE;

		t0 = rdtsc_ordered();
		if (kind == K_READ)
			(void)*a;
		else
			*a = 1;
		t[i] = tsc_end() - t0;
	}
	munmap((void *)p, pages * PAGE);
	return 0;
}

/* The cost of the timing pair around an access that does not fault. */
static uint64_t overhead(uint64_t *t, unsigned long n)
{
	static volatile unsigned char x;
	unsigned long i;
	uint64_t t0;

	for (i = 0; i < n; i++) {
		t0 = rdtsc_ordered();
		(void)x;
		t[i] = tsc_end() - t0;
	}
	qsort(t, n, sizeof(*t), cmp_u64);
	return t[0];
}

static void usage(void)
{
	printf("usage: faultbench [--csv] [PAGES]   (PAGES >= 1, default 4096)\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long pages = 4096, i;
	struct result r[NR_KINDS];
	struct utsname u;
	uint64_t *t, ovh;
	int csv = 0, k;

	for (k = 1; k < argc; k++) {
		char *end;

		if (strcmp(argv[k], "--csv") == 0) {
			csv = 1;
			continue;
		}
		pages = strtoul(argv[k], &end, 0);
		if (*end || pages == 0 || argv[k][0] == '-')
			usage();
	}
	if (uname(&u) != 0)
		strcpy(u.sysname, "unknown");
	is_linux = strcmp(u.sysname, "Linux") == 0;

	t = malloc(pages * sizeof(*t));
	if (!t) {
		printf("faultbench: cannot allocate %lu samples\n", pages);
		return 1;
	}
	for (i = 0; i < pages; i++)	/* fault the sample array in now */
		t[i] = 0;

	ovh = overhead(t, pages < 1000 ? pages : 1000);
	for (k = 0; k < NR_KINDS; k++) {
		if (measure(k, pages, t) != 0) {
			printf("faultbench: mmap of %lu pages failed\n", pages);
			return 1;
		}
		summarize(t, pages, &r[k]);
	}

	if (csv) {
		printf("kind,pages,min,median,p99,mean\n");
		for (k = 0; k < NR_KINDS; k++)
			printf("%s,%lu,%llu,%llu,%llu,%llu\n", kind_name[k], pages,
			       (unsigned long long)r[k].min,
			       (unsigned long long)r[k].median,
			       (unsigned long long)r[k].p99,
			       (unsigned long long)r[k].mean);
		return 0;
	}
	printf("faultbench: kernel %s %s, %lu pages per kind, ticks per fault "
	       "(timing overhead %llu included)\n", u.sysname, u.release, pages,
	       (unsigned long long)ovh);
	for (k = 0; k < NR_KINDS; k++)
		printf("faultbench: %-5s pages=%lu min=%llu median=%llu p99=%llu "
		       "mean=%llu ticks\n", kind_name[k], pages,
		       (unsigned long long)r[k].min, (unsigned long long)r[k].median,
		       (unsigned long long)r[k].p99, (unsigned long long)r[k].mean);
	return 0;
}
