/*
 * pfdemo - one page fault on each path, then the kernel's own account of
 * them: the program the README's gdb session steps through, and the
 * known point at which tools/run_tests.py (step gdb) checks the gdb
 * helpers of tools/gdb/mm.py against what the kernel prints.
 *
 *   pfdemo          map A (2 pages) with POE off, turn POE on, map B (4
 *                   pages: a POE region, its PTEs marked POEable by
 *                   mmap; its last page made read-only), wait until the
 *                   pre-allocation tables are full, write B[0] (the POE
 *                   fast path: the emulated walker maps it) and A[0]
 *                   (the full handler: A is no POE region), then print,
 *                   through the kernel: the mm dump with the page-table
 *                   walk of A and B (mm_dump), the fault counters, the
 *                   POE counters and meminfo
 *   pfdemo segv     the same, then read address 0x1000 (no VMA): the full
 *                   handler kills the program with SIGSEGV
 *
 * Boot it with poe.period_ms=10000 poe.prezero=0 to find B's used entry
 * still in the table when it prints: no post-fault run for 10 s, and no
 * background work in idle time once the tables are full. On Linux (no
 * POE, no mm_dump) it says so and exits 1.
 */
#include <errno.h>
#include <poe.h>
#include <private.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL

/*
 * Wait (at most 5 s) until no pre-fault thread runs and every table is
 * full, so that the write to B[0] finds a page in this CPU's table; seen
 * twice, 10 ms apart, so that the worker that made the last entry valid
 * has finished too (else it might post-process B's entry right after
 * the fault, before anyone looked at it).
 */
static int wait_settled(void)
{
	struct timespec ms = { 0, 1000000L }, ms10 = { 0, 10000000L };
	struct poe_stats st;
	int seen = 0;

	for (int i = 0; i < 5000; i++) {
		if (poe_get_stats(&st) < 0)
			return -1;
		if (poe_settled(&st) && ++seen == 2)
			return 0;
		nanosleep(poe_settled(&st) ? &ms10 : &ms, NULL);
	}
	errno = ETIMEDOUT;
	return -1;
}

int main(int argc, char **argv)
{
	struct fault_stats f;
	struct poe_stats st;
	struct meminfo mi;
	unsigned long lo, hi;
	volatile char *a, *b;

	/* Touch the results' stack now: a fault while a call copies them
	 * out would change the counters after the kernel read them. */
	memset(&f, 0, sizeof(f));
	memset(&st, 0, sizeof(st));
	memset(&mi, 0, sizeof(mi));
	a = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED || poe_enable() != 0) {
		printf("pfdemo: %s: %s (not the POE kernel?)\n",
		       a == MAP_FAILED ? "mmap" : "poe_enable",
		       strerror(errno));
		return 1;
	}
	b = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* B's last page read-only: its mark loses RW (a VMA of its own). */
	if (b == MAP_FAILED ||
	    mprotect((void *)(b + 3 * PAGE), PAGE, PROT_READ) != 0 ||
	    wait_settled() != 0) {
		printf("pfdemo: %s: %s\n",
		       b == MAP_FAILED ? "mmap" : "mprotect or poe wait",
		       strerror(errno));
		return 1;
	}
	printf("pfdemo: pid %d, A %#lx (2 pages, ordinary), B %#lx (4 pages, "
	       "POE)\n",
	       (int)getpid(), (unsigned long)a, (unsigned long)b);
	fflush(stdout);

	b[0] = 1; /* not present, POEable: the walker maps a table page */
	a[0] = 1; /* not present, no POE region: the full handler */

	lo = (unsigned long)(a < b ? a : b);
	hi = (unsigned long)(a < b ? b + 4 * PAGE : a + 2 * PAGE);
	if (hi - lo > 8 * PAGE) { /* A and B apart: walk B only */
		lo = (unsigned long)b;
		hi = lo + 4 * PAGE;
	}
	if (mm_dump(lo, hi) != 0 || fault_stats(&f) < 0 ||
	    poe_get_stats(&st) < 0 || meminfo(&mi) != 0) {
		printf("pfdemo: %s\n", strerror(errno));
		return 1;
	}
	printf("pfdemo: fault_stats proc read %lu write %lu cow %lu zero_page "
	       "%lu stack_growth %lu segfault %lu total %lu poe %lu\n",
	       f.proc_read, f.proc_write, f.proc_cow, f.proc_zero_page,
	       f.proc_stack_growth, f.proc_segfault, f.proc_total, f.proc_poe);
	printf("pfdemo: fault_stats global read %lu write %lu cow %lu "
	       "zero_page %lu stack_growth %lu segfault %lu total %lu poe "
	       "%lu\n",
	       f.global_read, f.global_write, f.global_cow, f.global_zero_page,
	       f.global_stack_growth, f.global_segfault, f.global_total,
	       f.global_poe);
	printf("pfdemo: poe_stats hits %lu fb_table_empty %lu fb_pte_locked "
	       "%lu fb_table_locked %lu nr_entries %lu table_valid %lu "
	       "table_used %lu\n",
	       st.hits, st.fb_table_empty, st.fb_pte_locked, st.fb_table_locked,
	       st.nr_entries, st.table_valid, st.table_used);
	printf("pfdemo: meminfo free_pages %lu managed_pages %lu nr_tasks "
	       "%lu\n",
	       mi.free_pages, mi.managed_pages, mi.nr_tasks);
	fflush(stdout);
	if (argc > 1 && strcmp(argv[1], "segv") == 0)
		return *(volatile int *)0x1000; /* no VMA: SIGSEGV */
	return 0;
}
