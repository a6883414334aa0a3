/*
 * faultstat - page-fault counters (the fault_stats private call,
 * include/uapi/private.h) before and after touching some memory.
 *
 *   faultstat [PAGES]     (default 256)
 *
 * Maps PAGES pages of anonymous private memory, reads every page (read
 * faults: the zero page), then writes every page (each replaces the zero
 * page: a COW-from-zero fault), and prints a table of this process's
 * counters (with the change the touching made) and the global ones.
 * On Linux (and any kernel without fault_stats) it says so and exits 1.
 */
#include <errno.h>
#include <private.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE 4096UL

static const char *const names[] = {
	"read",		"write",    "cow",   "zero_page",
	"stack_growth", "segfault", "total",
};
#define NR (sizeof(names) / sizeof(names[0]))

/* The counters of s in the order of names[]: proc_* (who 0), global_*. */
static void counters(const struct fault_stats *s, int global,
		     unsigned long c[NR])
{
	const unsigned long pc[NR] = {
		s->proc_read,	   s->proc_write,	 s->proc_cow,
		s->proc_zero_page, s->proc_stack_growth, s->proc_segfault,
		s->proc_total,
	};
	const unsigned long gc[NR] = {
		s->global_read,	     s->global_write,	     s->global_cow,
		s->global_zero_page, s->global_stack_growth, s->global_segfault,
		s->global_total,
	};

	memcpy(c, global ? gc : pc, sizeof(pc));
}

int main(int argc, char **argv)
{
	struct fault_stats before, after;
	unsigned long pages = 256, i;
	volatile unsigned char *p;
	unsigned long b[NR], a[NR], g[NR];
	char *end;

	if (argc > 2 ||
	    (argc == 2 && ((pages = strtoul(argv[1], &end, 0)) == 0 || *end ||
			   argv[1][0] == '-'))) {
		printf("usage: faultstat [PAGES]   (PAGES >= 1, default 256)\n");
		return 2;
	}
	memset(&before, 0, sizeof(before));
	memset(&after, 0, sizeof(after));
	if (fault_stats(&before) < 0) {
		if (errno == ENOSYS)
			printf("faultstat: fault_stats: %s: this kernel has no "
			       "fault_stats call (not the POE kernel?)\n",
			       strerror(errno));
		else
			printf("faultstat: fault_stats: %s\n", strerror(errno));
		return 1;
	}
	p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		printf("faultstat: mmap of %lu pages: %s\n", pages,
		       strerror(errno));
		return 1;
	}
	for (i = 0; i < pages; i++)
		(void)p[i * PAGE];
	for (i = 0; i < pages; i++)
		p[i * PAGE] = 1;
	if (fault_stats(&after) < 0) {
		printf("faultstat: fault_stats: %s\n", strerror(errno));
		return 1;
	}
	munmap((void *)p, pages * PAGE);

	counters(&before, 0, b);
	counters(&after, 0, a);
	counters(&after, 1, g);
	printf("faultstat: read, then wrote, %lu pages\n", pages);
	printf("%-14s %12s %12s %12s\n", "fault", "process", "(touching)",
	       "global");
	for (i = 0; i < NR; i++)
		printf("%-14s %12lu %12lu %12lu\n", names[i], a[i], a[i] - b[i],
		       g[i]);
	return 0;
}
