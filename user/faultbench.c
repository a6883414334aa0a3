/*
 * faultbench - the page-fault microbenchmark of the POE pipeline (US
 * 11,474,952; how we measure: docs/testing.md): ticks per
 * first-touch fault of anonymous private memory, one timed access per page,
 * on the full handler and on the POE fast path, plus a will-it-scale
 * page_fault1-style throughput loop; and, for comparison, the faults user
 * space resolves itself: a userfaultfd monitor thread, and a SIGSEGV
 * handler that mprotects the page (Appel and Li's TRAP, PROT1, UNPROT).
 *
 *   faultbench [--csv | --table] [--tput-iters N] [PAGES...]
 *
 * PAGES: the sweep sizes (default 100 and 4096); --tput-iters: rounds of the
 * throughput loop (default 4, 0 skips it); --csv: only the FB lines;
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
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <linux/userfaultfd.h>
#include <poe.h>
#include <thread.h>
#include "bench_util.h"

#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE 15 /* Linux: no transparent huge pages here */
#endif

#define PAGE	     4096UL
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
		emit("faultbench: %-10s %-8s %5lu %7llu %7llu %7llu %7llu %7llu.%llu %6s",
		     r->mode, r->kind, r->pages, (unsigned long long)r->min,
		     (unsigned long long)r->median, (unsigned long long)r->p90,
		     (unsigned long long)r->p99,
		     (unsigned long long)(r->mean10 / 10),
		     (unsigned long long)(r->mean10 % 10), hit);
	}
}

static void usage(void)
{
	emit("usage: faultbench [--csv | --table] [--tput-iters N] [PAGES...]   "
	     "(default PAGES: 100 4096; N default 4, 0 skips the throughput loop)");
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
