/*
 * faultbench - the page-fault microbenchmark of the POE pipeline (US
 * 11,474,952; how we measure: docs/testing.md): ticks per
 * first-touch fault of anonymous private memory, one timed access per page,
 * on the full handler and on the POE fast path, plus a will-it-scale
 * page_fault1-style throughput loop; and, for comparison, the faults user
 * space resolves itself: a userfaultfd monitor thread, and a SIGSEGV
 * handler that mprotects the page (Appel and Li's TRAP, PROT1, UNPROT).
 *
 *   faultbench [--csv | --table] [--tput-iters N] [--huge N] [--corun N]
 *              [--thp-only] [PAGES...]
 *
 * PAGES: the sweep sizes (default 100 and 4096); --tput-iters: rounds of the
 * throughput loop (default 4, 0 skips it); --huge: 2 MiB pages in the THP
 * sweeps (default 64: 128 MiB at once, which a 256 MiB guest has; 0 skips
 * them); --corun: huge faults in the co-runner's burst (default 32, 0
 * skips it); --thp-only: only the THP rows; --csv: only the FB lines;
 * --table: for people (make run's default job, user/init.c): no FB line at
 * all, only the human lines and the table, which ends with TABLE_END_NOTE
 * (what a tick means; tools/run_tests.py's iso step waits for it).
 *
 * Each sweep mmaps PAGES fresh pages (MADV_NOHUGEPAGE on Linux) and times one
 * access per page between `lfence; rdtsc` and `rdtscp; lfence` (or `lfence;
 * rdtsc; lfence` when CPUID lacks rdtscp). The timer's own cost (the minimum
 * over accesses that do not fault) is subtracted from every sample. Kinds:
 *   read    read one byte per page (full handler: maps the zero page)
 *   write   write one byte per page (allocates a zeroed page)
 *   rw      read every page untimed, then time the write (full handler:
 *           COW from the zero page; under POE the read already mapped a
 *           private writable page, so the write may not fault at all)
 * Modes:
 *   off     POE off: the full handler. Runs everywhere, Linux included.
 *   cold    poe_enable(), wait until the background is settled (tables
 *           full, pages zeroed ahead: poe_prezeroed()), then mmap and touch
 *           straight after it (the marking is what races)
 *   warm    poe_enable(), mmap, wait until the pre-fault threads are done,
 *           the tables are full and the pages zeroed ahead are there
 *           (poe_prezeroed()), then touch
 *   floor   kind nulltrap: `int $0x81`, a gate whose handler is a bare
 *           iretq (POE_NULL_TRAP_VECTOR; only where poe_get_stats works)
 *   uffd-same   the userfaultfd round trip (man 2 userfaultfd, MISSING
 *           mode; docs/userfaultfd.md): PAGES fresh pages registered, a
 *           monitor thread blocked in read(2) gets each fault's message
 *           and UFFDIO_COPYs a page in; kind write: one timed write per
 *           page, fault to completed retry. Kinds toread, copy, resume
 *           split those same samples at the monitor's stamps: the access
 *           until the monitor's read returned; the UFFDIO_COPY ioctl; its
 *           return until the access completed. Both threads pinned to one
 *           CPU (sched_setaffinity): the monitor runs on the faulter's CPU
 *   uffd-cross  the same with the monitor pinned to another CPU (only
 *           when the process may run on two or more)
 *   uffd-any    the same unpinned, when sched_getaffinity fails
 *           (FB,info,uffd_early_<mode>_<pages>=<n>: how many of those
 *           accesses completed before the monitor's ioctl returned, as
 *           when the wake-up preempts the monitor; their resume is then
 *           inside the copy step, and their resume step is 0)
 *   mprotect    Appel and Li's primitives on pages present and written:
 *           kind trap: write to a PROT_NONE page, SIGSEGV to an
 *           SA_SIGINFO handler that mprotects the page read-write, return,
 *           the write retried (one timed write per page); prot1: mprotect
 *           of one page to PROT_NONE; unprot: back to read-write
 *   huge    transparent huge pages (docs/thp.md), 2 MiB-aligned regions
 *           advised MADV_HUGEPAGE: kind write, one timed write per 2 MiB
 *           (a huge fault: 2 MiB allocated and zeroed, one pmd); memset,
 *           16 timed `rep stosb` of 2 MiB over a page already mapped (the
 *           zeroing without the fault, on any kernel); read, one timed
 *           read per 2 MiB (the huge zero page). <pages> counts 2 MiB
 *           pages. Each sweep is checked (FB,thp): /proc/vmstat's
 *           thp_fault_alloc and thp_fault_fallback, smaps' AnonHugePages
 *           and a second, untimed touch 4 KiB further on that must not
 *           fault; a row that fails is INVALID, in the table and in
 *           FB,thp. Linux maps huge pages here only when booted with
 *           transparent_hugepage=madvise or always
 *   poehuge POE's 2 MiB fast path (docs/poe.md, "Huge pages"), POE on:
 *           kind write, one timed write per 2 MiB of MADV_HUGEPAGE
 *           regions whose pmds are marked, each region waited warm (the
 *           huge tables full), as many 2 MiB per region as one CPU's
 *           huge table holds; <pages> counts 2 MiB pages, hits the
 *           walker's huge_hits. Our kernel only
 *   corun   a co-runner thread counting loop iterations, pinned with the
 *           faulting thread to one CPU: its iterations per ms alone (the
 *           faulter asleep) and during a burst of --corun huge write
 *           faults (kind write: their latency), FB,corun
 * The uffd rows are skipped (one line says why) when userfaultfd(2)
 * fails with ENOSYS or EPERM.
 * cold/warm are skipped (one line says why) when poe_enable() fails, as on
 * Linux, where it is ENOSYS. Ticks are TSC ticks: guest instructions under
 * QEMU -icount shift=0 (make bench), cycles under KVM, and host time spent
 * emulating under plain TCG (make run).
 *
 * Output contract (tools/bench_report.py parses only these whole lines):
 *   FB,info,<key>=<value>,...     (cpus=: the CPUs it may run on)
 *   FB,row,<mode>,<kind>,<pages>,<n>,<min>,<median>,<p90>,<p99>,<mean>,<hits|-1>
 *   FB,refill,<mode>,<kind>,<pages>,<waits>,<wait_pages>,<wait_max>,
 *           <refill_batch>,<bg_pages>,<help_pages>,<prezeroed_taken>,
 *           <prezeroed_before>,<fault_prezeroed>   (POE rows only: the
 *           refills during the sweep, struct poe_stats; wait_max is the
 *           largest since boot; prezeroed_taken: pages the refills took
 *           zeroed ahead, prezeroed_before: the zeroed list's length at
 *           the start, fault_prezeroed: pages the full handler took
 *           zeroed ahead for the sweep's misses)
 *   FB,cdf,<mode>,<kind>,<pages>,<q0>,...,<q100>
 *   FB,mmap,<mode>,<kind>,<pages>,<ticks>   (the sweep's mmap call)
 *   FB,tput,<mode>,<pages_per_iter>,<iters>,<faults>,<elapsed_ns>,
 *           <faults_per_s>,<bg_ticks|-1>,<faults_per_s_with_bg|-1>
 *   FB,thp,<mode>,<kind>,<pages>,<thp_fault_alloc>,<thp_fault_fallback>,
 *           <anon_huge_kb>,<refaults>,<valid 0|1>,<zero_ticks>
 *           (after a huge or corun sweep: the counters' growth over it,
 *           AnonHugePages of the region, the faults of the second touch;
 *           -1 where a figure cannot be read; zero_ticks: our kernel's
 *           thp_fault_zero_ticks, -1 on Linux, which has no such counter)
 *   FB,corun,<cpus>,<cpu>,<faults>,<alone_iters>,<alone_ns>,<burst_iters>,
 *           <burst_ns>,<ratio_x1000>   (the co-runner's iterations over
 *           CLOCK_MONOTONIC ns; ratio: its rate in the burst / alone)
 *   FB,info,page_init=<word|-|?>   (/proc/cmdline's page_init=: the
 *           zeroing mode the corun row ran under; -: not given)
 *   FB,done        (the last line; never with --table)
 * Each line goes out in one write(2), so console noise cannot split it.
 *
 * <hits|-1>: the fast-path hits during the row (poe_get_stats); -1 for
 * the floor and the user-level rows, and where poe_get_stats fails.
 *
 * Builds against our libc (user.mk) and statically against glibc for the
 * Linux run of `make bench-linux` (bench.mk), where it is /init and powers
 * the VM off at the end.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h> /* glibc: _IOWR for Linux's header */
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <linux/userfaultfd.h>
#include <poe.h>
#include <thread.h>
#include "bench_util.h"
#ifdef __GLIBC__
#include <sys/mount.h> /* Linux's /init mounts /proc itself */
#endif

#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE 15 /* Linux: no transparent huge pages here */
#endif
#ifndef MADV_HUGEPAGE
#define MADV_HUGEPAGE 14 /* transparent huge pages here (madvise mode) */
#endif

#define PAGE	     4096UL
#define HPAGE	     (2UL << 20) /* a transparent huge page: one pmd */
#define MAX_SIZES    8
#define MAX_ROWS     64
#define TPUT_BYTES   (128UL << 20) /* will-it-scale page_fault1's size */
#define WARM_WAIT_MS 5000

/*
 * The last line of --table. Under plain TCG (make run) QEMU's TSC follows
 * the host's clock, so a tick is time spent emulating and changes from run
 * to run; make bench runs under -icount, where a tick is one guest
 * instruction, the same on every run (docs/testing.md).
 */
#define TABLE_END_NOTE                                       \
	"faultbench: ticks under plain TCG (make run) are "  \
	"emulation time and vary per run; make bench gives " \
	"exact instruction counts"

#define always_inline inline __attribute__((always_inline))

static int csv, table_only, is_linux, have_rdtscp, stats_ok, failed;
static struct utsname uts;

/* ---- output: one write(2) per line ------------------------------------ */

static void __attribute__((format(printf, 1, 2))) emit(const char *fmt, ...)
{
	va_list ap;

	if (table_only && strncmp(fmt, "FB,", 3) == 0)
		return; /* --table: people only, no machine lines */
	va_start(ap, fmt);
	bench_vemit(fmt, ap);
	va_end(ap);
}

/* ---- timing ----------------------------------------------------------- */

static always_inline uint64_t t_begin(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

/* After the access: rdtscp waits for it to complete; the lfence keeps what
 * follows from starting early. Without rdtscp: lfence; rdtsc; lfence. */
static always_inline uint64_t t_end(const int tscp)
{
	uint32_t lo, hi, aux;

	if (tscp)
		__asm__ __volatile__("rdtscp; lfence"
				     : "=a"(lo), "=d"(hi), "=c"(aux)::"memory");
	else
		__asm__ __volatile__("lfence; rdtsc; lfence"
				     : "=a"(lo), "=d"(hi)::"memory");
	(void)aux;
	return ((uint64_t)hi << 32) | lo;
}

/* One timed access per page: the loop body is the same for every mode, so
 * the overhead measured with it is the overhead of every sample. */
static always_inline void sweep_t(volatile unsigned char *p, unsigned long n,
				  unsigned long stride, uint64_t *t,
				  const int write, const int tscp)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		volatile unsigned char *a = p + i * stride;
		uint64_t t0 = t_begin();

		if (write)
			*a = 1;
		else
			(void)*a;
		t[i] = t_end(tscp) - t0;
	}
}

static void sweep(volatile unsigned char *p, unsigned long n,
		  unsigned long stride, uint64_t *t, int write)
{
	if (write && have_rdtscp)
		sweep_t(p, n, stride, t, 1, 1);
	else if (write)
		sweep_t(p, n, stride, t, 1, 0);
	else if (have_rdtscp)
		sweep_t(p, n, stride, t, 0, 1);
	else
		sweep_t(p, n, stride, t, 0, 0);
}

static always_inline void nulltrap_t(unsigned long n, uint64_t *t,
				     const int tscp)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		uint64_t t0 = t_begin();

		__asm__ __volatile__("int %0" ::"i"(POE_NULL_TRAP_VECTOR)
				     : "memory");
		t[i] = t_end(tscp) - t0;
	}
}

static uint64_t rdtsc_plain(void)
{
	return t_begin();
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * timer_overhead - the cost of the timing pair itself: the minimum over
 * reads and writes of bytes that are already mapped (no fault), timed by the
 * same loop as the faults. Returns it, or -1 when the scratch mmap fails.
 */
static long long timer_overhead(uint64_t *t, unsigned long nt)
{
	unsigned long n = nt < 64 ? nt : 64, i, round;
	volatile unsigned char *p;
	uint64_t best = UINT64_MAX;

	p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	for (i = 0; i < n; i++)
		p[i * PAGE] = 1;
	for (round = 0; round < 16; round++) {
		sweep(p, n, PAGE, t, round & 1);
		for (i = 0; i < n; i++)
			if (t[i] < best)
				best = t[i];
	}
	munmap((void *)p, n * PAGE);
	return (long long)best;
}

/* ---- statistics ------------------------------------------------------- */

struct row {
	const char *mode, *kind;
	unsigned long pages, n;
	uint64_t min, median, p90, p99, mean10; /* mean10: mean x 10 */
	long hits;
	int invalid; /* a THP row whose faults were not 2 MiB pages */
};

static struct row rows[MAX_ROWS];
static int nr_rows;

/* Nearest rank: the smallest sample with at least pct% of them <= it. */
static uint64_t rank(const uint64_t *t, unsigned long n, unsigned pct)
{
	unsigned long k = (n * pct + 99) / 100;

	return t[(k ? k : 1) - 1];
}

/*
 * report - subtract the timer overhead from samples t[0..n) (clamped at 0),
 * sort them and print the FB,row and FB,cdf lines of one distribution.
 */
static void report(const char *mode, const char *kind, unsigned long pages,
		   uint64_t *t, unsigned long n, uint64_t ovh, long hits)
{
	struct row *r = nr_rows < MAX_ROWS ? &rows[nr_rows++] :
					     &rows[MAX_ROWS - 1];
	char cdf[101 * 21], *c = cdf;
	uint64_t sum = 0;
	unsigned long i;
	unsigned q;

	for (i = 0; i < n; i++) {
		t[i] = t[i] > ovh ? t[i] - ovh : 0;
		sum += t[i];
	}
	qsort(t, n, sizeof(*t), cmp_u64);
	r->mode = mode;
	r->kind = kind;
	r->pages = pages;
	r->n = n;
	r->min = t[0];
	r->median = rank(t, n, 50);
	r->p90 = rank(t, n, 90);
	r->p99 = rank(t, n, 99);
	r->mean10 = (sum * 10 + n / 2) / n;
	r->hits = hits;
	r->invalid = 0;
	emit("FB,row,%s,%s,%lu,%lu,%llu,%llu,%llu,%llu,%llu.%llu,%ld", mode,
	     kind, pages, n, (unsigned long long)r->min,
	     (unsigned long long)r->median, (unsigned long long)r->p90,
	     (unsigned long long)r->p99, (unsigned long long)(r->mean10 / 10),
	     (unsigned long long)(r->mean10 % 10), hits);
	for (q = 0; q <= 100; q++)
		c += sprintf(c, ",%llu", (unsigned long long)rank(t, n, q));
	emit("FB,cdf,%s,%s,%lu%s", mode, kind, pages, cdf);
}

/* ---- POE -------------------------------------------------------------- */

static int get_stats(struct poe_stats *st)
{
	memset(st, 0, sizeof(*st));
	return poe_get_stats(st) >=
	       (long)offsetof(struct poe_stats, proc_enabled);
}

static long hits_now(void)
{
	struct poe_stats st;

	return stats_ok && get_stats(&st) ? (long)st.hits : -1;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * wait_warm - poll poe_get_stats every 1 ms until poe_prezeroed(): no
 * pre-fault thread is running, every CPU's table is full and the pages
 * zeroed ahead are there. 0, or -1 (said on stdout) after WARM_WAIT_MS.
 */
static int wait_warm(void)
{
	uint64_t deadline = now_ns() + WARM_WAIT_MS * 1000000ULL;
	struct poe_stats st;

	for (;;) {
		if (!get_stats(&st)) {
			emit("faultbench: warm: poe_get_stats failed (errno %d)",
			     errno);
			return -1;
		}
		if (poe_prezeroed(&st))
			return 0;
		if (now_ns() >= deadline)
			break;
		sleep_ms(1);
	}
	emit("faultbench: warm: gave up after %d ms: prefault_active=%lu "
	     "table_valid=%lu prezeroed=%lu, want 0, %lu (nr_entries %lu x "
	     "nr_cpus %lu) and %lu",
	     WARM_WAIT_MS, st.prefault_active, st.table_valid, st.prezeroed,
	     st.nr_entries * st.nr_cpus, st.nr_entries, st.nr_cpus,
	     st.prezero_target);
	return -1;
}

/* ---- the latency sweeps ----------------------------------------------- */

enum kind {
	K_READ,
	K_WRITE,
	K_RW,
	NR_KINDS
};
static const char *const kind_name[NR_KINDS] = { "read", "write", "rw" };

/* The mmap of a sweep's pages; *ticks: how long the call took (with POE
 * on, the marking mmap does itself is in it). */
static volatile unsigned char *fresh_mapping(unsigned long pages,
					     uint64_t *ticks)
{
	uint64_t t0 = t_begin();
	void *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	*ticks = t_end(have_rdtscp) - t0;

	if (p == MAP_FAILED) {
		emit("faultbench: mmap of %lu pages failed (errno %d)", pages,
		     errno);
		failed = 1;
		return NULL;
	}
	if (is_linux) /* one fault per page, not one per 2 MiB */
		madvise(p, pages * PAGE, MADV_NOHUGEPAGE);
	return p;
}

/* The FB,refill line of a POE row: how the refills went during it. */
static void report_refill(const char *mode, const char *kind,
			  unsigned long pages, const struct poe_stats *s0,
			  const struct poe_stats *s1)
{
	emit("FB,refill,%s,%s,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu", mode,
	     kind, pages, s1->refill_waits - s0->refill_waits,
	     s1->refill_wait_pages - s0->refill_wait_pages,
	     s1->refill_wait_max_pages, s1->refill_batch,
	     s1->refill_bg_pages - s0->refill_bg_pages,
	     s1->refill_help_pages - s0->refill_help_pages,
	     s1->refill_prezeroed_pages - s0->refill_prezeroed_pages,
	     s0->prezeroed,
	     s1->fault_prezeroed_pages - s0->fault_prezeroed_pages);
}

/* One row: mode off/cold/warm, one kind, one size. */
static void measure(const char *mode, enum kind kind, unsigned long pages,
		    uint64_t *t, uint64_t ovh)
{
	volatile unsigned char *p;
	struct poe_stats s0, s1;
	int poe = strcmp(mode, "off") != 0 && stats_ok;
	unsigned long i;
	uint64_t mmap_ticks;
	long h0, h1;

	/* cold: the tables and the pages zeroed ahead are ready, the
	 * marking of the new region is not: mmap, then touch at once. */
	if (strcmp(mode, "cold") == 0 && wait_warm() != 0) {
		failed = 1;
		return;
	}
	p = fresh_mapping(pages, &mmap_ticks);
	if (!p)
		return;
	emit("FB,mmap,%s,%s,%lu,%llu", mode, kind_name[kind], pages,
	     (unsigned long long)mmap_ticks);
	if (strcmp(mode, "warm") == 0 && wait_warm() != 0) {
		failed = 1;
		munmap((void *)p, pages * PAGE);
		return;
	}
	if (kind == K_RW)
		for (i = 0; i < pages; i++)
			(void)p[i * PAGE];
	h0 = hits_now();
	if (poe)
		poe = get_stats(&s0);
	sweep(p, pages, PAGE, t, kind != K_READ);
	if (poe)
		poe = get_stats(&s1);
	h1 = hits_now();
	munmap((void *)p, pages * PAGE);
	report(mode, kind_name[kind], pages, t, pages, ovh,
	       h0 >= 0 && h1 >= 0 ? h1 - h0 : -1);
	if (poe)
		report_refill(mode, kind_name[kind], pages, &s0, &s1);
}

static void measure_nulltrap(unsigned long n, uint64_t *t, uint64_t ovh)
{
	if (have_rdtscp)
		nulltrap_t(n, t, 1);
	else
		nulltrap_t(n, t, 0);
	report("floor", "nulltrap", n, t, n, ovh, -1);
}

/* ---- user-level fault round trips ------------------------------------- */

/*
 * The two ways a user program resolves its own faults: a userfaultfd
 * monitor thread (Linux's userfaultfd(2), MISSING mode; ours:
 * docs/userfaultfd.md), and a SIGSEGV handler that mprotects the page
 * (Appel and Li, "Virtual Memory Primitives for User Programs", ASPLOS
 * 1991: TRAP, PROT1, UNPROT). Both run the same on Linux and on this
 * kernel.
 */

/* The page the monitor copies in (0xa5 bytes). */
static unsigned char uffd_src[PAGE] __attribute__((aligned(PAGE)));

/* n samples from malloc, touched now so that no sweep faults on them;
 * NULL when malloc fails. */
static uint64_t *alloc_samples(unsigned long n)
{
	uint64_t *a = malloc(n * sizeof(*a));

	if (a)
		memset(a, 0, n * sizeof(*a));
	return a;
}

/* The uffd sweep, shared with its monitor thread (threads share all). */
static struct {
	int fd;			   /* the userfaultfd */
	unsigned long base, pages; /* the registered range */
	const unsigned char *src;  /* the page UFFDIO_COPY copies */
	int cpu;		   /* pin the monitor here; -1: don't */
	volatile int ready;	   /* monitor started (and pinned) */
	volatile int err;	   /* errno of the monitor's failure */
	/* Per page, the monitor's TSC stamps: read(2) returned, and the
	 * UFFDIO_COPY ioctl's start and end; the faulting thread's: before
	 * and after its access. */
	uint64_t *t_read, *t_c0, *t_c1, *t0, *t1;
} uf;

/*
 * pin_self - let the calling thread run only on cpu (pid 0 of
 * sched_setaffinity(2) is the caller, not the process). 0, or an errno.
 */
static int pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? errno : 0;
}

/*
 * uffd_monitor - the monitor thread: pin itself to uf.cpu (when >= 0),
 * then read one message at a time in blocking mode and UFFDIO_COPY
 * uf.src into the faulting page, stamping each step (rdtsc), until every
 * page of the range is filled. A copy that finds the page there
 * (EEXIST: the fault came again after a signal) wakes the faulter
 * instead. On any other failure it stores the errno in uf.err and
 * unregisters the range, which wakes the faulter and lets its faults
 * fill with zeros (man 2 ioctl_userfaultfd), so the sweep ends. Returns
 * NULL.
 */
static void *uffd_monitor(void *arg)
{
	unsigned long done = 0;
	int err = 0;

	(void)arg;
	if (uf.cpu >= 0)
		err = pin_self(uf.cpu);
	uf.ready = 1;
	while (!err && done < uf.pages) {
		struct uffd_msg msg;
		struct uffdio_copy copy;
		unsigned long i;
		uint64_t tr, c0, c1;
		long n = read(uf.fd, &msg, sizeof(msg));

		tr = t_end(have_rdtscp);
		if (n != (long)sizeof(msg)) {
			err = n < 0 ? errno : EIO;
			if (err == EINTR)
				err = 0;
			continue;
		}
		if (msg.event != UFFD_EVENT_PAGEFAULT ||
		    msg.arg.pagefault.address < uf.base ||
		    msg.arg.pagefault.address >= uf.base + uf.pages * PAGE) {
			err = EIO; /* not a fault of the range */
			continue;
		}
		i = (msg.arg.pagefault.address - uf.base) / PAGE;
		copy = (struct uffdio_copy){
			.dst = uf.base + i * PAGE,
			.src = (uintptr_t)uf.src,
			.len = PAGE,
		};
		c0 = t_begin();
		n = syscall(__NR_ioctl, uf.fd, UFFDIO_COPY, &copy);
		c1 = t_end(have_rdtscp);
		if (n == 0) {
			uf.t_read[i] = tr;
			uf.t_c0[i] = c0;
			uf.t_c1[i] = c1;
			done++;
		} else if (errno == EEXIST) {
			struct uffdio_range r = { uf.base + i * PAGE, PAGE };

			if (syscall(__NR_ioctl, uf.fd, UFFDIO_WAKE, &r))
				err = errno;
		} else {
			err = errno;
		}
	}
	if (err) {
		struct uffdio_range r = { uf.base, uf.pages * PAGE };

		uf.err = err;
		syscall(__NR_ioctl, uf.fd, UFFDIO_UNREGISTER, &r);
	}
	return NULL;
}

/* b - a in ticks, or 0 when b is earlier. */
static uint64_t tsc_diff(uint64_t b, uint64_t a)
{
	return b > a ? b - a : 0;
}

/* One timed write per page, as sweep_t, keeping both stamps of each
 * access (in uf.t0[], uf.t1[]) to line them up with the monitor's. */
static always_inline void stamped_t(volatile unsigned char *p, unsigned long n,
				    const int tscp)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		volatile unsigned char *a = p + i * PAGE;
		uint64_t s = t_begin();

		*a = 1;
		uf.t1[i] = t_end(tscp);
		uf.t0[i] = s;
	}
}

/* The CPUs this thread may run on (sched_getaffinity(2)) into *set;
 * their number, or 0 when the call fails. */
static int allowed_cpus(cpu_set_t *set)
{
	CPU_ZERO(set);
	if (sched_getaffinity(0, sizeof(*set), set))
		return 0;
	return CPU_COUNT(set);
}

/* The n-th CPU of set (n from 0), or -1. */
static int nth_cpu(const cpu_set_t *set, int n)
{
	int c;

	for (c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, set) && n-- == 0)
			return c;
	return -1;
}

/*
 * uffd_open - a userfaultfd (blocking, O_CLOEXEC) with UFFDIO_API done:
 * the fd, or -1 with errno (ENOSYS where the kernel has no userfaultfd,
 * EPERM where Linux's vm.unprivileged_userfaultfd refuses the caller).
 */
static int uffd_open(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	int fd = (int)syscall(__NR_userfaultfd, O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (syscall(__NR_ioctl, fd, UFFDIO_API, &api)) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/*
 * measure_uffd - the userfaultfd round trip, one row per step: mmap pages
 * fresh pages, register them (MISSING), start a monitor thread blocked in
 * read(2), and time one write per page from before the access until it
 * completes (the fault, the message, the monitor's read and UFFDIO_COPY,
 * the wake-up and the retried access): kind `write`, ticks. The
 * monitor's stamps split each sample into `toread` (the access until
 * the monitor's read returned: fault entry, handle_userfault, the wake,
 * the switch, read), `copy` (the UFFDIO_COPY ioctl: copy, map, wake) and
 * `resume` (the ioctl's return until the access completed: the
 * monitor's next read blocks, the switch back, the retried access).
 * mode names where the monitor ran: on the faulting thread's CPU, or on
 * another one (both pinned with sched_setaffinity). Returns 0, or -1
 * after a note line (failed is set for an unexpected error). Not
 * inlined: tools/faultprof.py --mode uffd-same stops at it, and at
 * measure_mprotect() after it.
 */
static __attribute__((noinline)) int measure_uffd(const char *mode,
						  unsigned long pages,
						  uint64_t *t, uint64_t ovh,
						  int fcpu, int mcpu)
{
	struct uffdio_register reg;
	volatile unsigned char *p;
	const char *why = "";
	thread_t mon;
	unsigned long i, early;
	uint64_t mmap_ticks;
	int err;

	p = fresh_mapping(pages, &mmap_ticks);
	if (!p)
		return -1;
	uf.fd = uffd_open();
	if (uf.fd < 0) {
		err = errno;
		munmap((void *)p, pages * PAGE);
		if (err == ENOSYS)
			why = " (no userfaultfd in this kernel)";
		else if (err == EPERM)
			why = " (not allowed: vm.unprivileged_userfaultfd)";
		else
			failed = 1;
		emit("faultbench: uffd rows skipped: userfaultfd: %s%s",
		     strerror(err), why);
		return -1;
	}
	reg = (struct uffdio_register){
		.range = { (uintptr_t)p, pages * PAGE },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	if (syscall(__NR_ioctl, uf.fd, UFFDIO_REGISTER, &reg)) {
		emit("faultbench: uffd rows failed: UFFDIO_REGISTER: %s",
		     strerror(errno));
		goto fail;
	}
	uf.base = (uintptr_t)p;
	uf.pages = pages;
	uf.cpu = mcpu;
	uf.ready = 0;
	uf.err = 0;
	if (fcpu >= 0 && (err = pin_self(fcpu)) != 0) {
		emit("faultbench: uffd rows failed: sched_setaffinity: %s",
		     strerror(err));
		goto fail;
	}
	err = thread_create(&mon, uffd_monitor, NULL);
	if (err) {
		emit("faultbench: uffd rows failed: thread_create: %s",
		     strerror(err));
		goto fail;
	}
	/* Let the monitor block in read(2) first: the round trip then
	 * includes its wake-up, as a waiting monitor's does. */
	while (!uf.ready) {
		/* pause: under -icount with several CPUs, a loop without
		 * it keeps the other vCPU from running (docs/testing.md) */
		__asm__ __volatile__("pause");
		sched_yield();
	}
	sleep_ms(2);
	if (have_rdtscp)
		stamped_t(p, pages, 1);
	else
		stamped_t(p, pages, 0);
	thread_join(mon, NULL);
	close(uf.fd);
	if (uf.err) {
		emit("faultbench: uffd %s row failed: the monitor: %s", mode,
		     strerror(uf.err));
		munmap((void *)p, pages * PAGE);
		failed = 1;
		return -1;
	}
	for (i = 0; i < pages; i++)
		if (p[i * PAGE] != 1 || p[i * PAGE + 1] != uf.src[1]) {
			emit("faultbench: uffd %s row failed: page %lu does "
			     "not hold the monitor's copy",
			     mode, i);
			munmap((void *)p, pages * PAGE);
			failed = 1;
			return -1;
		}
	munmap((void *)p, pages * PAGE);
	/* A wake-up that preempts the monitor (Linux's CFS does) lets the
	 * faulting thread finish before the ioctl returns: its resume is
	 * then inside the copy step, and the resume step is 0. Say how
	 * often. */
	for (i = 0, early = 0; i < pages; i++)
		early += uf.t1[i] < uf.t_c1[i];
	emit("FB,info,uffd_early_%s_%lu=%lu", mode, pages, early);
	/* The round trip, then its steps from the same accesses (each
	 * minus ovh, as every row; a step the stamps put below 0, as two
	 * CPUs' TSCs could, counts 0). */
	for (i = 0; i < pages; i++)
		t[i] = uf.t1[i] - uf.t0[i];
	report(mode, "write", pages, t, pages, ovh, -1);
	for (i = 0; i < pages; i++)
		t[i] = tsc_diff(uf.t_read[i], uf.t0[i]);
	report(mode, "toread", pages, t, pages, ovh, -1);
	for (i = 0; i < pages; i++)
		t[i] = tsc_diff(uf.t_c1[i], uf.t_c0[i]);
	report(mode, "copy", pages, t, pages, ovh, -1);
	for (i = 0; i < pages; i++)
		t[i] = tsc_diff(uf.t1[i], uf.t_c1[i]);
	report(mode, "resume", pages, t, pages, ovh, -1);
	return 0;
fail:
	close(uf.fd);
	munmap((void *)p, pages * PAGE);
	failed = 1;
	return -1;
}

/* The TRAP sweep's range, for its handler. */
static volatile unsigned long segv_base, segv_len;

/*
 * segv_handler - the TRAP sweep's SA_SIGINFO handler for SIGSEGV: make
 * the faulting page (si_addr, rounded down) readable and writable again
 * with mprotect(2), so that the access, retried on return, completes
 * (Appel and Li's TRAP with the UNPROT it needs). A fault outside the
 * sweep's range, or an mprotect that fails, is not the handler's to fix:
 * it restores the default action, and the retried access kills the
 * program with SIGSEGV, as without a handler.
 */
static void segv_handler(int sig, siginfo_t *si, void *uc)
{
	unsigned long a = (unsigned long)si->si_addr;
	void *page = (void *)(a & ~(PAGE - 1));
	struct sigaction dfl;

	(void)uc;
	if (a - segv_base < segv_len &&
	    mprotect(page, PAGE, PROT_READ | PROT_WRITE) == 0)
		return;
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(sig, &dfl, NULL);
}

/* mprotect(2) of one page, timed: ticks, or UINT64_MAX when it failed. */
static uint64_t timed_mprotect(volatile unsigned char *a, int prot)
{
	uint64_t s = t_begin();
	int r = mprotect((void *)a, PAGE, prot);
	uint64_t e = t_end(have_rdtscp);

	return r ? UINT64_MAX : e - s;
}

/*
 * measure_mprotect - Appel and Li's primitives on pages present and
 * written: mode `mprotect`, kind `trap` (the range made PROT_NONE, then
 * one timed write per page: the fault, SIGSEGV delivery to an SA_SIGINFO
 * handler, its mprotect of the page back to read-write, sigreturn, the
 * retried write), then per page `prot1` (mprotect of that one page to
 * PROT_NONE) and `unprot` (back to read-write): each in ticks, minus the
 * timer overhead. Each prot1 splits the range's VMA around the page and
 * its unprot merges it back; the trap sweep goes in address order, so
 * the pages it unprotects merge into one VMA as it goes. u: scratch of
 * pages samples. Returns 0, or -1 after a note line (failed set).
 */
static __attribute__((noinline)) int
measure_mprotect(unsigned long pages, uint64_t *t, uint64_t *u, uint64_t ovh)
{
	struct sigaction sa, old;
	volatile unsigned char *p;
	const char *what = NULL;
	uint64_t mmap_ticks;
	unsigned long i;
	int err = 0;

	p = fresh_mapping(pages, &mmap_ticks);
	if (!p)
		return -1;
	for (i = 0; i < pages; i++)
		p[i * PAGE] = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = segv_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	segv_base = (uintptr_t)p;
	segv_len = pages * PAGE;
	if (sigaction(SIGSEGV, &sa, &old)) {
		err = errno;
		what = "sigaction";
		goto out;
	}
	if (mprotect((void *)p, pages * PAGE, PROT_NONE)) {
		err = errno;
		what = "mprotect of the range to PROT_NONE";
		sigaction(SIGSEGV, &old, NULL);
		goto out;
	}
	sweep(p, pages, PAGE, t, 1);
	sigaction(SIGSEGV, &old, NULL);
	report("mprotect", "trap", pages, t, pages, ovh, -1);
	for (i = 0; i < pages && !what; i++) {
		t[i] = timed_mprotect(p + i * PAGE, PROT_NONE);
		if (t[i] == UINT64_MAX) {
			err = errno;
			what = "mprotect of one page to PROT_NONE";
			break;
		}
		u[i] = timed_mprotect(p + i * PAGE, PROT_READ | PROT_WRITE);
		if (u[i] == UINT64_MAX) {
			err = errno;
			what = "mprotect of one page back to read-write";
		}
	}
	/* The pages kept what was written before all this. */
	for (i = 0; i < pages && !what; i++)
		if (p[i * PAGE] != 1)
			what = "a page lost its contents";
	if (!what) {
		report("mprotect", "prot1", pages, t, pages, ovh, -1);
		report("mprotect", "unprot", pages, u, pages, ovh, -1);
	}
out:
	munmap((void *)p, pages * PAGE);
	if (what) {
		emit("faultbench: mprotect rows failed: %s%s%s", what,
		     err ? ": " : "", err ? strerror(err) : "");
		failed = 1;
		return -1;
	}
	return 0;
}

/*
 * measure_user - the user-level rows for every sweep size: the
 * userfaultfd round trip with the monitor on the faulting thread's CPU
 * (`uffd-same`; the only one with one CPU, as under make bench) and, when
 * this thread may run on two CPUs or more, on another CPU
 * (`uffd-cross`); when sched_getaffinity fails, unpinned (`uffd-any`).
 * Then the mprotect rows. The thread's CPU affinity is restored after.
 * u: scratch of the largest size's samples.
 */
static void measure_user(const unsigned long *sizes, unsigned long nsizes,
			 uint64_t *t, uint64_t *u, uint64_t ovh)
{
	cpu_set_t saved;
	int ncpus = allowed_cpus(&saved), a = nth_cpu(&saved, 0);
	int b = nth_cpu(&saved, 1), ok = 1;
	unsigned long i;

	emit("FB,info,cpus=%d", ncpus);
	for (i = 0; i < nsizes && ok; i++)
		ok = measure_uffd(ncpus ? "uffd-same" : "uffd-any", sizes[i], t,
				  ovh, ncpus ? a : -1, ncpus ? a : -1) == 0;
	for (i = 0; i < nsizes && ok && ncpus >= 2; i++)
		ok = measure_uffd("uffd-cross", sizes[i], t, ovh, a, b) == 0;
	if (ncpus && sched_setaffinity(0, sizeof(saved), &saved)) {
		emit("faultbench: restoring the CPU affinity failed: %s",
		     strerror(errno));
		failed = 1;
	}
	if (!ncpus)
		emit("faultbench: uffd monitor not pinned: sched_getaffinity "
		     "failed");
	for (i = 0; i < nsizes; i++)
		if (measure_mprotect(sizes[i], t, u, ovh))
			break;
}

/* ---- transparent huge pages: 2 MiB faults ------------------------------ */

/*
 * The THP rows (docs/thp.md; Linux's Documentation/admin-guide/mm/
 * transhuge.rst): a region of n 2 MiB pages, aligned by hand (Linux 6.1
 * does not align anonymous mmaps) and advised MADV_HUGEPAGE, so that
 * each first touch of a 2 MiB page is one huge fault under
 * transparent_hugepage=madvise (both kernels' mode for these rows). The
 * counters that prove it come from /proc/vmstat (thp_fault_alloc,
 * thp_fault_fallback; ours also thp_fault_zero_ticks), /proc/self/smaps
 * (AnonHugePages) and getrusage(2): a 2 MiB page takes one fault, so a
 * second touch 4 KiB further on takes none.
 */

/* A /proc file's text (NUL-terminated, cut at len - 1 bytes); the
 * buffers are static and touched at start-up, so that reading them
 * takes no fault of its own. */
static char vmstat_buf[8192], smaps_buf[65536];

/*
 * read_text - the contents of path into buf (at most len - 1 bytes,
 * NUL-terminated). Returns the length, or -1 (errno) when path cannot be
 * opened or read.
 */
static long read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;

	if (fd < 0)
		return -1;
	while (n < len - 1) {
		ssize_t r = read(fd, buf + n, len - 1 - n);

		if (r < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	close(fd);
	return (long)n;
}

/*
 * text_field - the number after `name ` at the start of a line of text
 * (a "name value" file such as /proc/vmstat), or -1 when no line has it.
 */
static long long text_field(const char *text, const char *name)
{
	size_t l = strlen(name);
	const char *s = text;

	while (s && *s) {
		if (strncmp(s, name, l) == 0 && s[l] == ' ')
			return strtoll(s + l + 1, NULL, 10);
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	return -1;
}

/* The /proc/vmstat counters the THP rows read; -1: not there. */
struct thp_vmstat {
	long long alloc, fallback, zero_ticks;
};

static void read_vmstat(struct thp_vmstat *v)
{
	v->alloc = v->fallback = v->zero_ticks = -1;
	if (read_text("/proc/vmstat", vmstat_buf, sizeof(vmstat_buf)) < 0)
		return;
	v->alloc = text_field(vmstat_buf, "thp_fault_alloc");
	v->fallback = text_field(vmstat_buf, "thp_fault_fallback");
	/* ours only: the ticks huge faults spent zeroing their page */
	v->zero_ticks = text_field(vmstat_buf, "thp_fault_zero_ticks");
}

/* b - a of two counters, or -1 when either is missing. */
static long long counter_diff(long long b, long long a)
{
	return a < 0 || b < 0 ? -1 : b - a;
}

/*
 * smaps_anon_huge_kb - the AnonHugePages kB of the VMAs of
 * /proc/self/smaps that overlap [base, base + len): Linux's count of
 * what huge pmds map there (the huge zero page left out). -1 when smaps
 * cannot be read.
 */
static long long smaps_anon_huge_kb(unsigned long base, unsigned long len)
{
	const char *s = smaps_buf;
	long long kb = 0;
	int in = 0;

	if (read_text("/proc/self/smaps", smaps_buf, sizeof(smaps_buf)) < 0)
		return -1;
	while (*s) {
		char *end;
		unsigned long lo = strtoul(s, &end, 16), hi;

		if (end != s && *end == '-') { /* a VMA's first line */
			hi = strtoul(end + 1, NULL, 16);
			in = lo < base + len && hi > base;
		} else if (in && strncmp(s, "AnonHugePages:", 14) == 0) {
			kb += strtoll(s + 14, NULL, 10);
		}
		s = strchr(s, '\n');
		if (!s)
			break;
		s++;
	}
	return kb;
}

/* The calling process's minor faults (getrusage(2)), or -1. */
static long minflt_now(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? -1 : ru.ru_minflt;
}

/*
 * huge_region - n 2 MiB pages of anonymous private memory starting on
 * a 2 MiB boundary, advised MADV_HUGEPAGE: mmap n * 2 MiB + 2 MiB and
 * unmap the head and tail around the aligned part (neither kernel's
 * placement is relied on). Returns the aligned start, or NULL after a
 * note line (failed set).
 */
static volatile unsigned char *huge_region(unsigned long n)
{
	unsigned long len = n * HPAGE, a;
	unsigned char *p = mmap(NULL, len + HPAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		emit("faultbench: mmap of %lu MiB for the huge rows failed "
		     "(errno %d)",
		     (len + HPAGE) >> 20, errno);
		failed = 1;
		return NULL;
	}
	a = ((unsigned long)p + HPAGE - 1) & ~(HPAGE - 1);
	if (a > (unsigned long)p)
		munmap(p, a - (unsigned long)p);
	if ((unsigned long)p + HPAGE > a)
		munmap((void *)(a + len), (unsigned long)p + HPAGE - a);
	if (madvise((void *)a, len, MADV_HUGEPAGE)) {
		emit("faultbench: madvise(MADV_HUGEPAGE) failed: %s",
		     strerror(errno));
		munmap((void *)a, len);
		failed = 1;
		return NULL;
	}
	return (volatile unsigned char *)a;
}

/* fig - v printed with fmt into out, or "n/a" when v < 0 (not read). */
static void fig(char *out, size_t len, const char *fmt, long long v)
{
	if (v < 0)
		snprintf(out, len, "n/a");
	else
		snprintf(out, len, fmt, v);
}

/* What the counters said about one huge sweep. */
struct thp_check {
	long long alloc, fallback, anon_kb, zero_ticks;
	long refaults; /* faults of the second touch, -1: unknown */
	int valid;
};

/*
 * thp_verify - after a sweep of n 2 MiB pages at p (v0: /proc/vmstat
 * before it), check that each access was one huge fault: for a write,
 * thp_fault_alloc grew by n and AnonHugePages covers the region (where
 * they can be read); for both kinds, thp_fault_fallback did not move and
 * a second touch of each 2 MiB page, 4 KiB further on, takes no fault
 * (a 4 KiB fall-back would take one each). Prints the FB,thp line and a
 * line for people; returns the result in *c.
 */
static void thp_verify(const char *mode, const char *kind,
		       volatile unsigned char *p, unsigned long n, int write,
		       const struct thp_vmstat *v0, struct thp_check *c)
{
	struct thp_vmstat v1;
	char sa[24], sf[24], sk[24], sr[24];
	unsigned long i;
	long f0, f1;

	read_vmstat(&v1);
	c->alloc = counter_diff(v1.alloc, v0->alloc);
	c->fallback = counter_diff(v1.fallback, v0->fallback);
	c->zero_ticks = counter_diff(v1.zero_ticks, v0->zero_ticks);
	c->anon_kb = write ? smaps_anon_huge_kb((unsigned long)p, n * HPAGE) :
			     -1;
	f0 = minflt_now();
	for (i = 0; i < n; i++)
		(void)p[i * HPAGE + PAGE];
	f1 = minflt_now();
	c->refaults = f0 < 0 || f1 < 0 ? -1 : f1 - f0;
	c->valid = c->refaults == 0 && c->fallback <= 0 &&
		   (!write || c->alloc < 0 || c->alloc >= (long long)n) &&
		   (!write || c->anon_kb < 0 ||
		    c->anon_kb >= (long long)(n * (HPAGE >> 10)));
	/* Nothing at all to go by: not a valid huge row either. */
	if (c->refaults < 0 && c->alloc < 0 && c->anon_kb < 0)
		c->valid = 0;
	emit("FB,thp,%s,%s,%lu,%lld,%lld,%lld,%ld,%d,%lld", mode, kind, n,
	     c->alloc, c->fallback, c->anon_kb, c->refaults, c->valid,
	     c->zero_ticks);
	fig(sa, sizeof(sa), "%+lld", c->alloc);
	fig(sf, sizeof(sf), "%+lld", c->fallback);
	fig(sk, sizeof(sk), "%lld kB", c->anon_kb);
	fig(sr, sizeof(sr), "%lld", c->refaults);
	emit("faultbench: %s %s, %lu x 2 MiB: thp_fault_alloc %s, "
	     "thp_fault_fallback %s, AnonHugePages %s, %s faults on a second "
	     "touch: %s",
	     mode, kind, n, sa, sf, sk, sr,
	     c->valid ? "2 MiB pages, row valid" :
			"NOT 2 MiB pages: this row is INVALID");
	if (!c->valid)
		rows[nr_rows - 1].invalid = 1;
}

/* A user-space 2 MiB memset, as the kernels' own: `rep stosb`, one tick
 * per byte under -icount (our kernel's memset, Linux's clear_page_erms
 * per 4 KiB). */
static always_inline void rep_stosb(volatile unsigned char *p, unsigned long n)
{
	void *d = (void *)p;

	__asm__ __volatile__("rep stosb"
			     : "+D"(d), "+c"(n)
			     : "a"(0)
			     : "memory");
}

#define MEMSET_SAMPLES 16

/*
 * measure_poe_huge - the 2 MiB POE row (mode poehuge, kind write; POE
 * on; docs/poe.md, "Huge pages"): n timed writes, one per 2 MiB of fresh
 * MADV_HUGEPAGE regions whose pmds the pre-fault work marked, each
 * region waited warm first (wait_warm(): the huge tables full too), in
 * rounds of as many 2 MiB pieces as one CPU's huge table holds
 * (poe.huge_entries=), so that each write finds a zeroed 2 MiB page
 * there: the walker's 2 MiB fast path. The row's hits are the walker's
 * huge_hits over the rounds; fewer hits than writes (a fall-back to
 * 4 KiB POE or to the full handler) shows in the hit rate.
 */
static void measure_poe_huge(unsigned long n, uint64_t *t, uint64_t ovh)
{
	struct poe_stats s0, s1;
	unsigned long done = 0, hits = 0, k;
	volatile unsigned char *p;

	if (!get_stats(&s0) || !s0.huge_nr_entries) {
		emit("faultbench: poehuge row skipped: %s",
		     s0.huge_nr_entries ? "poe_get_stats failed" :
					  "poe.huge_entries=0");
		return;
	}
	for (; done < n; done += k) {
		k = n - done < s0.huge_nr_entries ? n - done :
						    s0.huge_nr_entries;
		p = huge_region(k);
		if (!p)
			return;
		if (wait_warm() || !get_stats(&s0)) {
			munmap((void *)p, k * HPAGE);
			failed = 1;
			return;
		}
		sweep(p, k, HPAGE, t + done, 1);
		if (get_stats(&s1))
			hits += s1.huge_hits - s0.huge_hits;
		munmap((void *)p, k * HPAGE);
	}
	report("poehuge", "write", n, t, n, ovh, (long)hits);
}

/*
 * measure_huge - the 2 MiB rows (mode huge): kind write (one timed
 * write per 2 MiB page of a fresh MADV_HUGEPAGE region: a huge fault
 * that allocates and zeroes 2 MiB), then memset (MEMSET_SAMPLES timed
 * `rep stosb` of 2 MiB over the first page, now mapped: the zeroing a
 * fault does, without the fault), then read (a fresh region, one timed
 * read per 2 MiB: the huge zero page). Each sweep is checked by
 * thp_verify(); with our kernel's thp_fault_zero_ticks the write's
 * zeroing is split off (a line for people; bench_report.py the table).
 */
static void measure_huge(unsigned long n, uint64_t *t, uint64_t ovh)
{
	volatile unsigned char *p;
	struct thp_vmstat v0;
	struct thp_check c;
	unsigned long i;

	p = huge_region(n);
	if (!p)
		return;
	read_vmstat(&v0);
	sweep(p, n, HPAGE, t, 1);
	report("huge", "write", n, t, n, ovh, -1);
	thp_verify("huge", "write", p, n, 1, &v0, &c);
	if (c.zero_ticks >= 0 && c.alloc > 0) {
		uint64_t m10 = rows[nr_rows - 1].mean10;
		long long z10 = (c.zero_ticks * 10 + c.alloc / 2) / c.alloc;

		long long r10 = (long long)m10 - z10;

		emit("faultbench: huge write: zeroing %lld.%lld ticks per fault "
		     "(thp_fault_zero_ticks / thp_fault_alloc), the rest of "
		     "the fault %s%lld.%lld (the mean %llu.%llu minus it)",
		     z10 / 10, z10 % 10, r10 < 0 ? "-" : "",
		     (r10 < 0 ? -r10 : r10) / 10, (r10 < 0 ? -r10 : r10) % 10,
		     (unsigned long long)(m10 / 10),
		     (unsigned long long)(m10 % 10));
	} else if (c.zero_ticks >= 0) {
		emit("faultbench: huge write: zeroing n/a (no huge page was "
		     "allocated)");
	} else {
		emit("faultbench: huge write: zeroing n/a (no "
		     "thp_fault_zero_ticks in /proc/vmstat%s)",
		     is_linux ? ": Linux has no such counter" : "");
	}
	for (i = 0; i < MEMSET_SAMPLES; i++) {
		uint64_t t0 = t_begin();

		rep_stosb(p, HPAGE);
		t[i] = t_end(have_rdtscp) - t0;
	}
	report("huge", "memset", n, t, MEMSET_SAMPLES, ovh, -1);
	munmap((void *)p, n * HPAGE);

	p = huge_region(n);
	if (!p)
		return;
	read_vmstat(&v0);
	sweep(p, n, HPAGE, t, 0);
	report("huge", "read", n, t, n, ovh, -1);
	thp_verify("huge", "read", p, n, 0, &v0, &c);
	munmap((void *)p, n * HPAGE);
}

/*
 * The co-runner: a CPU-bound thread on the faulting thread's CPU that
 * counts its loop's iterations, to see how much of that CPU the huge
 * faults take from others (the zeroing done inline in the fault, or
 * moved off it: page_init=, docs/testing.md).
 */
static struct {
	volatile unsigned long iters; /* the co-runner's progress */
	volatile int stop, ready, err;
	int cpu; /* pin it here; -1: don't */
} co;

#define CORUN_INNER    256 /* increments between two PAUSEs */
#define CORUN_ALONE_MS 50  /* the window measured without faults */

/*
 * corunner - pin itself to co.cpu, then count in co.iters until co.stop.
 * Every CORUN_INNER increments it executes PAUSE: under -icount with
 * several vCPUs, a loop without it keeps the other vCPUs from running
 * at all (docs/testing.md, "Several CPUs under -icount"), and off-level
 * work there could never run. Returns NULL.
 */
static void *corunner(void *arg)
{
	(void)arg;
	if (co.cpu >= 0)
		co.err = pin_self(co.cpu);
	co.ready = 1;
	while (!co.stop) {
		int k;

		for (k = 0; k < CORUN_INNER; k++)
			co.iters++;
		__asm__ __volatile__("pause");
	}
	return NULL;
}

/*
 * measure_corun - the co-runner row: pin this thread and a co-runner to
 * one CPU (the first this process may use), measure the co-runner's
 * iterations per ms of CLOCK_MONOTONIC time while this thread sleeps
 * CORUN_ALONE_MS (alone), then while this thread takes n huge write
 * faults (a fresh MADV_HUGEPAGE region, one timed write per 2 MiB: the
 * burst). Prints FB,corun (the ratio burst / alone, x 1000), the
 * burst's latency row (mode corun, kind write) and its FB,thp check.
 * The affinity is restored after.
 */
static void measure_corun(unsigned long n, uint64_t *t, uint64_t ovh)
{
	volatile unsigned char *p;
	struct thp_vmstat v0;
	struct thp_check c;
	cpu_set_t saved;
	int ncpus = allowed_cpus(&saved), cpu = nth_cpu(&saved, 0), err;
	unsigned long a0, a1, b0, b1;
	uint64_t n0, n1, m0, m1, ra, rb;
	thread_t th;

	co.iters = 0;
	co.stop = co.ready = co.err = 0;
	co.cpu = ncpus ? cpu : -1;
	if (ncpus && (err = pin_self(cpu)) != 0) {
		emit("faultbench: corun row failed: sched_setaffinity: %s",
		     strerror(err));
		failed = 1;
		return;
	}
	p = huge_region(n);
	if (!p)
		goto out;
	err = thread_create(&th, corunner, NULL);
	if (err) {
		emit("faultbench: corun row failed: thread_create: %s",
		     strerror(err));
		munmap((void *)p, n * HPAGE);
		failed = 1;
		goto out;
	}
	while (!co.ready) {
		__asm__ __volatile__("pause"); /* see corunner() */
		sched_yield();
	}
	/* alone: this thread asleep, the co-runner has the CPU */
	n0 = now_ns();
	a0 = co.iters;
	sleep_ms(CORUN_ALONE_MS);
	a1 = co.iters;
	n1 = now_ns();
	/* the burst: n huge faults on the same CPU */
	read_vmstat(&v0);
	m0 = now_ns();
	b0 = co.iters;
	sweep(p, n, HPAGE, t, 1);
	b1 = co.iters;
	m1 = now_ns();
	co.stop = 1;
	thread_join(th, NULL);
	if (co.err) {
		emit("faultbench: corun row failed: the co-runner's "
		     "sched_setaffinity: %s",
		     strerror(co.err));
		munmap((void *)p, n * HPAGE);
		failed = 1;
		goto out;
	}
	report("corun", "write", n, t, n, ovh, -1);
	thp_verify("corun", "write", p, n, 1, &v0, &c);
	munmap((void *)p, n * HPAGE);
	/* iterations per ms, and their ratio x 1000 */
	ra = n1 > n0 ? (uint64_t)(a1 - a0) * 1000000ULL / (n1 - n0) : 0;
	rb = m1 > m0 ? (uint64_t)(b1 - b0) * 1000000ULL / (m1 - m0) : 0;
	emit("FB,corun,%d,%d,%lu,%lu,%llu,%lu,%llu,%llu", ncpus, cpu, n,
	     a1 - a0, (unsigned long long)(n1 - n0), b1 - b0,
	     (unsigned long long)(m1 - m0),
	     (unsigned long long)(ra ? rb * 1000 / ra : 0));
	emit("faultbench: corun, %d CPU%s, co-runner and faulter on CPU %d: "
	     "%llu iterations/ms alone, %llu during %lu huge faults "
	     "(%llu.%03llu of alone)",
	     ncpus, ncpus == 1 ? "" : "s", cpu, (unsigned long long)ra,
	     (unsigned long long)rb, n,
	     (unsigned long long)(ra ? rb * 1000 / ra / 1000 : 0),
	     (unsigned long long)(ra ? rb * 1000 / ra % 1000 : 0));
out:
	if (ncpus && sched_setaffinity(0, sizeof(saved), &saved)) {
		emit("faultbench: restoring the CPU affinity failed: %s",
		     strerror(errno));
		failed = 1;
	}
}

#define THP_SYSFS "/sys/kernel/mm/transparent_hugepage/"

/*
 * cmdline_word - the value of the kernel command line's word name=
 * (/proc/cmdline) into out, or "" when it is absent or unreadable.
 */
static void cmdline_word(const char *name, char *out, size_t len)
{
	char buf[1024];
	size_t l = strlen(name), i = 0;
	const char *s;

	out[0] = '\0';
	if (read_text("/proc/cmdline", buf, sizeof(buf)) < 0)
		return;
	for (s = buf; (s = strstr(s, name)) != NULL; s++)
		if ((s == buf || s[-1] == ' ') && s[l] == '=')
			break;
	if (!s)
		return;
	s += l + 1;
	while (i + 1 < len && s[i] && s[i] != ' ' && s[i] != '\n')
		i++;
	memcpy(out, s, i);
	out[i] = '\0';
}

#ifdef __GLIBC__
/* write_text - write the string s to the file path: 0, or an errno. */
static int write_text(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), e = 0;

	if (fd < 0)
		return errno;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		e = errno ? errno : EIO;
	close(fd);
	return e;
}
#endif

/*
 * thp_admin - on Linux, as the VM's /init only: Linux turns transparent
 * huge pages off at boot on a machine with less than 512 MiB of RAM,
 * whatever transparent_hugepage= says (hugepage_init() in
 * mm/huge_memory.c: "The admin can still enable it through /sys"), and
 * make bench's guest has 256 MiB. So, as that admin, write the command
 * line's mode into THP_SYSFS "enabled", Debian's default "madvise" into
 * "defrag" and 1 into "use_zero_page" (the flags hugepage_init()
 * cleared), before the first 2 MiB row: the 4 KiB rows before it run
 * with huge pages off. Says what it did in one line; does nothing on
 * our kernel (its mode is the command line's, docs/thp.md) or as any
 * other process.
 */
static void thp_admin(void)
{
#ifdef __GLIBC__
	char mode[32], cur[128];
	int e;

	if (!is_linux || getpid() != 1)
		return;
	cmdline_word("transparent_hugepage", mode, sizeof(mode));
	if (!mode[0])
		return;
	if (access(THP_SYSFS "enabled", W_OK)) {
		mkdir("/sys", 0555);
		if (mount("sysfs", "/sys", "sysfs", 0, NULL)) {
			emit("faultbench: mount of /sys failed: %s",
			     strerror(errno));
			return;
		}
	}
	if (read_text(THP_SYSFS "enabled", cur, sizeof(cur)) < 0) {
		emit("faultbench: no " THP_SYSFS "enabled: %s",
		     strerror(errno));
		return;
	}
	if (strstr(cur, "[never]") && strcmp(mode, "never") != 0) {
		e = write_text(THP_SYSFS "enabled", mode);
		if (!e)
			e = write_text(THP_SYSFS "defrag", "madvise");
		if (!e)
			e = write_text(THP_SYSFS "use_zero_page", "1");
		emit("faultbench: Linux booted with transparent huge pages off "
		     "(less than 512 MiB of RAM: hugepage_init()); /init set "
		     "%senabled to %s, defrag to madvise, use_zero_page to "
		     "1%s%s",
		     THP_SYSFS, mode, e ? ": " : "", e ? strerror(e) : "");
	}
#endif
}

/*
 * page_init_mode - the page_init= word of the kernel's command line
 * (/proc/cmdline), for the FB,info line: which zeroing mode a corun row
 * measured ("-" when the word is absent, "?" when the file cannot be
 * read; a comma, which would cut the FB line, becomes ';').
 */
static void page_init_mode(char *out, size_t len)
{
	char probe[8], *c;

	if (read_text("/proc/cmdline", probe, sizeof(probe)) < 0) {
		snprintf(out, len, "?");
		return;
	}
	cmdline_word("page_init", out, len);
	if (!out[0])
		snprintf(out, len, "-");
	for (c = out; *c; c++)
		if (*c == ',')
			*c = ';';
}

/* ---- throughput (will-it-scale page_fault1) --------------------------- */

/*
 * tput - iters rounds of: mmap 128 MiB anonymous private, write one byte
 * per page, munmap. Prints faults per second of CLOCK_MONOTONIC time and,
 * with POE, the ticks its background work spent meanwhile (pre-fault,
 * post-fault, refill) and the rate if that time is added.
 */
static void tput(const char *mode, unsigned long iters, int poe)
{
	unsigned long pages = TPUT_BYTES / PAGE, it, i;
	uint64_t ns0, ns1, tsc0, tsc1, faults, elapsed, fps;
	struct poe_stats s0, s1;
	long long bg = -1, fps_bg = -1;

	if (poe && (!get_stats(&s0) || wait_warm() != 0 || !get_stats(&s0))) {
		failed = 1;
		return;
	}
	ns0 = now_ns();
	tsc0 = rdtsc_plain();
	for (it = 0; it < iters; it++) {
		uint64_t mmap_ticks;
		volatile unsigned char *p = fresh_mapping(pages, &mmap_ticks);

		if (!p)
			return;
		for (i = 0; i < pages; i++)
			p[i * PAGE] = 1;
		munmap((void *)p, pages * PAGE);
	}
	tsc1 = rdtsc_plain();
	ns1 = now_ns();
	faults = (uint64_t)iters * pages;
	elapsed = ns1 > ns0 ? ns1 - ns0 : 1;
	fps = faults * 1000000000ULL / elapsed;
	if (poe && get_stats(&s1)) {
		uint64_t b = (s1.prefault_ticks - s0.prefault_ticks) +
			     (s1.postfault_ticks - s0.postfault_ticks) +
			     (s1.refill_ticks - s0.refill_ticks);
		uint64_t b_ns;

		if (s1.tsc_khz)
			b_ns = b * 1000000ULL / s1.tsc_khz;
		else /* the loop's own ticks-per-ns ratio */
			b_ns = b * (elapsed / 1000) /
			       ((tsc1 - tsc0) / 1000 + 1);
		bg = (long long)b;
		fps_bg = (long long)(faults * 1000000000ULL / (elapsed + b_ns));
	}
	emit("FB,tput,%s,%lu,%lu,%llu,%llu,%llu,%lld,%lld", mode, pages, iters,
	     (unsigned long long)faults, (unsigned long long)elapsed,
	     (unsigned long long)fps, bg, fps_bg);
	if (!csv)
		emit("faultbench: tput %-4s %lu x %lu MiB: %llu faults in %llu us "
		     "(%llu TSC ticks): %llu faults/s",
		     mode, iters, TPUT_BYTES >> 20, (unsigned long long)faults,
		     (unsigned long long)(elapsed / 1000),
		     (unsigned long long)(tsc1 - tsc0),
		     (unsigned long long)fps);
	if (!csv && bg >= 0)
		emit("faultbench: tput %-4s background POE work %lld ticks; "
		     "with it added: %lld faults/s",
		     mode, bg, fps_bg);
}

/* ---- main ------------------------------------------------------------- */

static void print_table(uint64_t ovh)
{
	int i;

	emit("faultbench: %s %s, timer %s, overhead %llu ticks subtracted; "
	     "ticks per fault",
	     uts.sysname, uts.release, have_rdtscp ? "rdtscp" : "lfence+rdtsc",
	     (unsigned long long)ovh);
	emit("faultbench: %-10s %-8s %5s %7s %7s %7s %7s %9s %6s", "mode",
	     "kind", "pages", "min", "median", "p90", "p99", "mean", "hit%");
	for (i = 0; i < nr_rows; i++) {
		struct row *r = &rows[i];
		char hit[24] = "-";

		if (r->hits >= 0 && strcmp(r->mode, "off") != 0) {
			unsigned long pm = (unsigned long)r->hits * 1000 / r->n;

			snprintf(hit, sizeof(hit), "%lu.%lu", pm / 10, pm % 10);
		}
		emit("faultbench: %-10s %-8s %5lu %7llu %7llu %7llu %7llu %7llu.%llu %6s%s",
		     r->mode, r->kind, r->pages, (unsigned long long)r->min,
		     (unsigned long long)r->median, (unsigned long long)r->p90,
		     (unsigned long long)r->p99,
		     (unsigned long long)(r->mean10 / 10),
		     (unsigned long long)(r->mean10 % 10), hit,
		     r->invalid ? "  INVALID: not 2 MiB pages" : "");
	}
}

static void usage(void)
{
	emit("usage: faultbench [--csv | --table] [--tput-iters N] [--huge N] "
	     "[--corun N] [--thp-only] [PAGES...]   (default PAGES: 100 4096; "
	     "--tput-iters default 4, --huge 64, --corun 32; 0 skips)");
	exit(2);
}

static unsigned long parse_ul(const char *s, unsigned long lo, unsigned long hi)
{
	char *end;
	unsigned long v;

	if (!s || *s < '0' || *s > '9')
		usage();
	v = strtoul(s, &end, 0);
	if (*end || v < lo || v > hi)
		usage();
	return v;
}

static void __attribute__((noreturn)) finish(int status)
{
	emit("FB,done");
	bench_exit(status);
}

int main(int argc, char **argv)
{
	unsigned long sizes[MAX_SIZES], nsizes = 0, maxn = 0, iters = 4, i;
	unsigned long huge = 64, corun = 32;
	int thp_only = 0;
	char pinit[64];
	unsigned eax, ebx, ecx, edx;
	struct poe_stats st;
	long long ovh_l;
	uint64_t *t, *u, ovh;
	int a, k, stats_errno;
	char kname[2 * 65 + 1], *c;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--csv") == 0)
			csv = 1;
		else if (strcmp(argv[a], "--table") == 0)
			table_only = 1;
		else if (strcmp(argv[a], "--tput-iters") == 0)
			iters = parse_ul(argv[++a], 0, 1000);
		else if (strcmp(argv[a], "--huge") == 0)
			huge = parse_ul(argv[++a], 0, 4096);
		else if (strcmp(argv[a], "--corun") == 0)
			corun = parse_ul(argv[++a], 0, 4096);
		else if (strcmp(argv[a], "--thp-only") == 0)
			thp_only = 1;
		else if (nsizes < MAX_SIZES)
			sizes[nsizes++] = parse_ul(argv[a], 1, 1UL << 24);
		else
			usage();
	}
	if (csv && table_only)
		usage();
	if (!nsizes) {
		sizes[nsizes++] = 100;
		sizes[nsizes++] = 4096;
	}
	for (i = 0; i < nsizes; i++)
		if (sizes[i] > maxn)
			maxn = sizes[i];
	if (maxn < huge)
		maxn = huge;
	if (maxn < corun)
		maxn = corun;
	if (maxn < 101)
		maxn = 101;

	if (uname(&uts) != 0)
		strcpy(uts.sysname, "unknown");
	is_linux = strcmp(uts.sysname, "Linux") == 0;
	snprintf(kname, sizeof(kname), "%s %s", uts.sysname, uts.release);
	for (c = kname; *c; c++)
		if (*c == ',' || *c == '\n')
			*c = ';';
	have_rdtscp = __get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx) &&
		      (edx & (1u << 27));
	stats_ok = get_stats(&st);
	stats_errno = errno;
#ifdef __GLIBC__
	/* Linux's /init: nothing mounted /proc, which the THP rows read
	 * (the initramfs may not even have the directory). */
	if (is_linux && getpid() == 1 && access("/proc/vmstat", R_OK)) {
		mkdir("/proc", 0555);
		if (mount("proc", "/proc", "proc", 0, NULL))
			emit("faultbench: mount of /proc failed: %s",
			     strerror(errno));
	}
#endif
	/* The THP rows' /proc buffers, touched before any sweep. */
	memset(vmstat_buf, 0, sizeof(vmstat_buf));
	memset(smaps_buf, 0, sizeof(smaps_buf));
	page_init_mode(pinit, sizeof(pinit));

	/* The sample array is faulted in now, before POE is on. */
	t = malloc(maxn * sizeof(*t));
	if (!t) {
		emit("faultbench: cannot allocate %lu samples", maxn);
		finish(1);
	}
	for (i = 0; i < maxn; i++)
		t[i] = 0;
	/* And the user rows' scratch and stamps, and the monitor's page. */
	u = alloc_samples(maxn);
	uf.t_read = alloc_samples(maxn);
	uf.t_c0 = alloc_samples(maxn);
	uf.t_c1 = alloc_samples(maxn);
	uf.t0 = alloc_samples(maxn);
	uf.t1 = alloc_samples(maxn);
	if (!u || !uf.t_read || !uf.t_c0 || !uf.t_c1 || !uf.t0 || !uf.t1) {
		emit("faultbench: cannot allocate %lu samples", maxn);
		finish(1);
	}
	memset(uffd_src, 0xa5, sizeof(uffd_src));
	uf.src = uffd_src;
	ovh_l = timer_overhead(t, maxn);
	if (ovh_l < 0) {
		emit("faultbench: mmap for the timer overhead failed (errno %d)",
		     errno);
		finish(1);
	}
	ovh = (uint64_t)ovh_l;
	emit("FB,info,kernel=%s,timer=%s,overhead=%llu,tsc_khz=%lu", kname,
	     have_rdtscp ? "rdtscp" : "lfence+rdtsc", (unsigned long long)ovh,
	     stats_ok ? st.tsc_khz : 0UL);
	emit("FB,info,page_init=%s", pinit);

	if (thp_only) {
		thp_admin();
		if (huge)
			measure_huge(huge, t, ovh);
		if (corun)
			measure_corun(corun, t, ovh);
		if (!csv)
			print_table(ovh);
		if (table_only)
			emit("%s", TABLE_END_NOTE);
		finish(failed);
	}

	/* 2 MiB pages first, while the free lists still hold 2 MiB blocks:
	 * after the 4 KiB rows and the throughput loop below (128 MiB
	 * faulted and unmapped) one of 64 huge faults on our kernel found
	 * none (no compaction) and the row was INVALID. */
	if (huge || corun)
		thp_admin();
	if (huge)
		measure_huge(huge, t, ovh);
	if (corun)
		measure_corun(corun, t, ovh);

	/* POE off: the full handler (Linux's, or ours). */
	for (i = 0; i < nsizes; i++)
		for (k = 0; k < NR_KINDS; k++)
			measure("off", k, sizes[i], t, ovh);
	if (iters)
		tput("off", iters, 0);

	/* POE on: cold and warm. */
	if (poe_enable() == 0) {
		if (!get_stats(&st))
			memset(&st, 0, sizeof(st));
		emit("FB,info,poe=1,nr_entries=%lu,period_ms=%lu,low_watermark=%lu",
		     st.nr_entries, st.period_ms, st.low_watermark);
		for (i = 0; i < nsizes; i++)
			for (k = 0; k < NR_KINDS; k++)
				measure("cold", k, sizes[i], t, ovh);
		for (i = 0; i < nsizes; i++)
			for (k = 0; k < NR_KINDS; k++)
				measure("warm", k, sizes[i], t, ovh);
		if (iters)
			tput("warm", iters, 1);
		if (huge)
			measure_poe_huge(huge, t, ovh);
		if (poe_disable() != 0) {
			emit("faultbench: poe_disable failed (errno %d)",
			     errno);
			failed = 1;
		}
	} else {
		int e = errno;

		emit("FB,info,poe=0");
		emit("faultbench: POE rows skipped: poe_enable: %s (%s)",
		     strerror(e),
		     e == ENOSYS ? (is_linux ? "Linux has no POE" :
					       "this kernel has no POE yet") :
				   "unexpected error");
		if (e != ENOSYS)
			failed = 1;
	}

	/* The floor: a trap that does nothing but return. */
	if (stats_ok)
		for (i = 0; i < nsizes; i++)
			measure_nulltrap(sizes[i], t, ovh);
	else
		emit("faultbench: null-trap row skipped: poe_get_stats: %s",
		     strerror(stats_errno));

	/* Faults that user space resolves: userfaultfd and SIGSEGV. */
	measure_user(sizes, nsizes, t, u, ovh);

	if (!csv)
		print_table(ovh);
	if (table_only)
		emit("%s", TABLE_END_NOTE);
	finish(failed);
	return failed;
}
