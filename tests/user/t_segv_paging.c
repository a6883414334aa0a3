/*
 * t_segv_paging - paging done in user mode with SIGSEGV, as Appel and
 * Li's user-level virtual memory and the garbage collectors and DSM
 * systems built on it do (man 2 sigaction, man 2 mprotect): memory is
 * mapped PROT_NONE (or not at all), and an SA_SIGINFO handler, the
 * *pager*, serves each first touch: it checks si_signo, si_code and
 * si_addr, maps the page or opens it (PROT_READ|PROT_WRITE), writes its
 * contents and returns, and the access is retried and sees them.
 *
 * t_sig_fault already checks the siginfo of one write to a PROT_NONE
 * page, one write to a PROT_READ page and one access to no mapping (in a
 * child that exits from its handler). This test adds:
 *   - a read of a PROT_NONE page (SEGV_ACCERR) the pager fills: the
 *     retried read returns the pager's byte, and a retried write lands
 *     on top of the pager's page;
 *   - a write to a PROT_READ page the pager opens: the retried write
 *     lands, the rest of the page is kept;
 *   - no mapping (SEGV_MAPERR): the pager maps the page (mmap with
 *     MAP_FIXED_NOREPLACE) and fills it, and the retried read sees it;
 *   - an 8-byte read across a page boundary, the first page readable,
 *     the second PROT_NONE: si_addr is the first byte of the second
 *     page (CR2), not the address of the read;
 *   - stress: 4096 pages each faulted exactly once per protection
 *     change (PROT_NONE -> RW, filled; PROT_READ -> RW on a write;
 *     unmapped -> mapped, filled), in orders that split and merge the
 *     VMAs, with reads and writes; every si_addr is the exact byte, not
 *     the page (each page is touched at its own offset); the calls are
 *     counted per page, and every byte of every page is checked;
 *   - two threads faulting disjoint, interleaved pages of one region at
 *     once through the same handler: each fault is delivered to the
 *     thread that made it (Linux's force_sig_fault() on current).
 * A pager that finds a fault it cannot fix exits (a FAIL, not a loop of
 * faults): an address outside its region, a fix that fails, a page that
 * faults again after its fix.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_segv_paging"
#include "utest.h"
#include "mm_util.h"
#include <sys/syscall.h>
#include <thread.h>
#include <time.h>

enum {
	NPAGES = 4096, /* the stress region */
	TPAGES = 1024  /* the threaded region: 512 pages per thread */
};

/* What the pager does to the page of a fault. */
enum fix {
	FIX_MPROTECT, /* mprotect(PROT_READ|PROT_WRITE) */
	FIX_MMAP      /* mmap it (MAP_FIXED_NOREPLACE), read-write */
};

/* The pager's region and orders; set by the main thread between faults. */
static unsigned char *region;
static unsigned long region_pages;
static volatile int want_code;	   /* SEGV_ACCERR or SEGV_MAPERR */
static volatile int fix;	   /* enum fix */
static volatile int fill;	   /* write the page's pattern after the fix */
static volatile long want_at = -1; /* si_addr's offset in its page, or
				    * -1: at_of(page) */
static volatile int owner_tid[2];  /* threaded part: tid of page i % 2 */

/* What the pager saw. */
static unsigned short hits[NPAGES]; /* calls per page since hits_reset */
static unsigned long calls;	    /* every call (atomic) */
static unsigned long bad_info;	    /* calls with a wrong siginfo (atomic) */
static unsigned long bad_thread;    /* calls on the wrong thread (atomic) */
static int first_bad_code;	    /* the first wrong siginfo */
static uintptr_t first_bad_addr;
static unsigned long first_bad_page;

/* The byte offset in page i where the tests touch it: never 0, and
 * different from page to page, so that a page-aligned or off-by-some
 * si_addr is caught. */
static unsigned long at_of(unsigned long i)
{
	return 1 + (i * 131) % (PAGE - 16);
}

/* Word k of page i's contents, as the pager writes them. */
static uint64_t word_of(unsigned long i, unsigned long k)
{
	return (((uint64_t)i << 32) | k) * 0x9E3779B97F4A7C15ULL;
}

/* Byte `at` of page i's contents (little endian). */
static unsigned char byte_of(unsigned long i, unsigned long at)
{
	return (unsigned char)(word_of(i, at / 8) >> (8 * (at % 8)));
}

static void fill_page(unsigned char *pg, unsigned long i)
{
	uint64_t *w = (uint64_t *)pg;

	for (unsigned long k = 0; k < PAGE / 8; k++)
		w[k] = word_of(i, k);
}

/* pager_die - leave from the handler, where returning would only fault
 * again: write msg (async-signal-safe) and _exit(code). */
static void pager_die(const char *msg, int code)
{
	ssize_t r = write(1, msg, strlen(msg));

	(void)r;
	_exit(code);
}

/* The pager: an SA_SIGINFO handler for SIGSEGV. */
static void pager(int sig, siginfo_t *si, void *uc)
{
	uintptr_t a = (uintptr_t)si->si_addr, base = (uintptr_t)region;
	unsigned long i = (a - base) / PAGE, at;
	unsigned char *pg;

	(void)uc;
	if (a < base || i >= region_pages)
		pager_die("# " TEST_NAME ": FAIL SIGSEGV outside the region\n",
			  3);
	pg = region + i * PAGE;
	at = want_at >= 0 ? (unsigned long)want_at : at_of(i);
	__atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
	if (++hits[i] > 2)
		pager_die("# " TEST_NAME ": FAIL a page faults again after "
			  "its fix\n",
			  4);
	if (sig != SIGSEGV || si->si_signo != SIGSEGV ||
	    si->si_code != want_code || a != (uintptr_t)pg + at) {
		if (__atomic_fetch_add(&bad_info, 1, __ATOMIC_SEQ_CST) == 0) {
			first_bad_code = si->si_code;
			first_bad_addr = a;
			first_bad_page = i;
		}
	}
	if (owner_tid[0] && (int)syscall(SYS_gettid) != owner_tid[i % 2])
		__atomic_add_fetch(&bad_thread, 1, __ATOMIC_SEQ_CST);
	if (fix == FIX_MMAP) {
		if (mmap(pg, PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
			 0) != pg)
			pager_die("# " TEST_NAME ": FAIL the pager's mmap\n",
				  5);
	} else if (mprotect(pg, PAGE, PROT_READ | PROT_WRITE)) {
		pager_die("# " TEST_NAME ": FAIL the pager's mprotect\n", 6);
	}
	if (fill)
		fill_page(pg, i);
}

/* pager_set - the pager's orders for the faults to come; its counts
 * start again from 0. */
static void pager_set(int code, int how, int do_fill)
{
	want_code = code;
	fix = how;
	fill = do_fill;
	want_at = -1;
	memset(hits, 0, sizeof(hits));
	__atomic_store_n(&calls, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&bad_info, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&bad_thread, 0, __ATOMIC_SEQ_CST);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* check_pager - since pager_set, each page of [first, first + n) was
 * served exactly once, and no other: calls n, each with the siginfo
 * expected, on the thread that made the fault (what names the part). */
static void check_pager(const char *what, unsigned long first, unsigned long n)
{
	unsigned long wrong = 0, at;
	long bad_page = -1;

	for (unsigned long i = 0; i < region_pages && i < NPAGES; i++) {
		unsigned want = i >= first && i < first + n;

		if (hits[i] != want && !wrong++)
			bad_page = (long)i;
	}
	CHECK_EQ(calls, n);
	CHECK_EQ(wrong, 0);
	if (wrong)
		diag("%s: %lu pages served a wrong number of times (page "
		     "%ld: %u)",
		     what, wrong, bad_page, hits[bad_page]);
	CHECK_EQ(bad_info, 0);
	at = want_at >= 0 ? (unsigned long)want_at : at_of(first_bad_page);
	if (bad_info)
		diag("%s: %lu calls with a wrong siginfo; the first: page %lu, "
		     "si_code %d (expected %d), si_addr %#lx (expected %#lx)",
		     what, bad_info, first_bad_page, first_bad_code, want_code,
		     (unsigned long)first_bad_addr,
		     (unsigned long)(region + first_bad_page * PAGE + at));
	CHECK_EQ(bad_thread, 0);
}

/*
 * The accesses that fault: one instruction each, which the compiler can
 * neither drop nor move other memory accesses across (the signal fence:
 * the pager's stores to hits and calls happen "inside" the access).
 */
static unsigned char load8(const unsigned char *p)
{
	unsigned char v = *(const volatile unsigned char *)p;

	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	return v;
}

static void store8(unsigned char *p, unsigned char v)
{
	*(volatile unsigned char *)p = v;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* One 8-byte load at p, whatever its alignment. */
static uint64_t load64(const void *p)
{
	uint64_t v;

	__asm__ __volatile__("movq (%1), %0" : "=r"(v) : "r"(p) : "memory");
	return v;
}

/* The byte a write of round r leaves at at_of(i) of page i. */
static unsigned char mark_of(unsigned long i, int r)
{
	return (unsigned char)(~byte_of(i, at_of(i)) ^ r);
}

/* The round that last wrote each page (at at_of(i)), or -1. */
static signed char written[NPAGES];

/* touch - page i's touch of round r: a write of mark_of(i, r) when
 * write is set, else a read, which must see the pattern (or the last
 * round's mark); 1 when it read something else. */
static int touch(unsigned long i, int r, int write)
{
	unsigned char *p = region + i * PAGE + at_of(i);

	if (write) {
		store8(p, mark_of(i, r));
		written[i] = (signed char)r;
		return 0;
	}
	return load8(p) !=
	       (written[i] < 0 ? byte_of(i, at_of(i)) : mark_of(i, written[i]));
}

/* How many pages of [0, n) differ from the pager's contents anywhere
 * but at at_of(i), and there from what `written` says. */
static unsigned long bad_pages(unsigned long n)
{
	unsigned long bad = 0;

	for (unsigned long i = 0; i < n; i++) {
		const uint64_t *w = (const uint64_t *)(region + i * PAGE);
		unsigned long at = at_of(i);
		uint64_t m = 0xffULL << (8 * (at % 8));
		int ok = !touch(i, 0, 0);

		for (unsigned long k = 0; ok && k < PAGE / 8; k++)
			ok = k == at / 8 ? (w[k] & ~m) == (word_of(i, k) & ~m) :
					   w[k] == word_of(i, k);
		bad += !ok;
	}
	return bad;
}

/* ---- one fault of each kind ---- */

static void test_kinds(void)
{
	uint64_t v, want;

	region = map_anon(4 * PAGE, PROT_NONE);
	CHECK(region != MAP_FAILED);
	if (region == MAP_FAILED)
		return;
	region_pages = 4;
	memset(written, -1, sizeof(written));

	/* A read of a PROT_NONE page: the pager fills it, and the
	 * retried read sees the pager's byte; a write to the next one
	 * lands on the filled page. */
	pager_set(SEGV_ACCERR, FIX_MPROTECT, 1);
	CHECK_EQ(touch(0, 0, 0), 0);
	CHECK_EQ(calls, 1);
	CHECK_EQ(touch(1, 0, 1), 0);
	CHECK_EQ(bad_pages(2), 0);
	check_pager("PROT_NONE", 0, 2);

	/* A write to a PROT_READ page: opened, the rest of it kept. */
	CHECK_EQ(mprotect(region, PAGE, PROT_READ), 0);
	pager_set(SEGV_ACCERR, FIX_MPROTECT, 0);
	CHECK_EQ(touch(0, 1, 1), 0);
	CHECK_EQ(bad_pages(2), 0);
	check_pager("PROT_READ", 0, 1);

	/* No mapping: the pager maps the page and fills it. */
	CHECK_EQ(munmap(region + 2 * PAGE, PAGE), 0);
	pager_set(SEGV_MAPERR, FIX_MMAP, 1);
	CHECK_EQ(touch(2, 0, 0), 0);
	CHECK_EQ(bad_pages(3), 0);
	check_pager("no mapping", 2, 1);

	/* An 8-byte read of pages 2 (mapped) and 3 (PROT_NONE): CR2, so
	 * si_addr, is the first byte of page 3, not the read's address. */
	pager_set(SEGV_ACCERR, FIX_MPROTECT, 1);
	want_at = 0;
	v = load64(region + 3 * PAGE - 3);
	want = (word_of(2, PAGE / 8 - 1) >> 40) | (word_of(3, 0) << 24);
	CHECK(v == want);
	check_pager("across two pages", 3, 1);
	CHECK_EQ(munmap(region, 4 * PAGE), 0);
}

/* ---- thousands of pages ---- */

/*
 * Each round touches every page once, in an order that jumps about
 * (k * stride mod NPAGES, stride odd: each page once), so the pager's
 * mprotect() and mmap() split VMAs and merge neighbours all the time;
 * reads for even k, writes for odd k, or writes only. Then every byte.
 */
static void stress_round(const char *what, unsigned long stride, int r,
			 int writes_only)
{
	unsigned long misread = 0;

	for (unsigned long k = 0; k < NPAGES; k++)
		misread +=
			touch((k * stride) % NPAGES, r, writes_only || (k & 1));
	CHECK_EQ(misread, 0);
	check_pager(what, 0, NPAGES);
	CHECK_EQ(bad_pages(NPAGES), 0);
	CHECK_EQ(calls, NPAGES); /* the checks read without faulting */
}

/* Milliseconds on CLOCK_MONOTONIC. */
static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_stress(void)
{
	long t0 = now_ms();

	region = map_anon(NPAGES * PAGE, PROT_NONE);
	CHECK(region != MAP_FAILED);
	if (region == MAP_FAILED)
		return;
	region_pages = NPAGES;
	memset(written, -1, sizeof(written));

	pager_set(SEGV_ACCERR, FIX_MPROTECT, 1);
	stress_round("PROT_NONE pages", 1031, 0, 0);

	CHECK_EQ(mprotect(region, NPAGES * PAGE, PROT_READ), 0);
	pager_set(SEGV_ACCERR, FIX_MPROTECT, 0);
	stress_round("PROT_READ pages", 517, 1, 1);

	CHECK_EQ(munmap(region, NPAGES * PAGE), 0);
	memset(written, -1, sizeof(written));
	pager_set(SEGV_MAPERR, FIX_MMAP, 1);
	stress_round("unmapped pages", 2053, 2, 0);
	CHECK_EQ(munmap(region, NPAGES * PAGE), 0);
	diag("%d pages, 3 rounds, %d faults served in %ld ms", NPAGES,
	     3 * NPAGES, now_ms() - t0);
}

/* ---- two threads ---- */

static volatile int go;
static unsigned long thread_misread[2];

/* Thread t (arg) touches the pages i with i % 2 == t, reads and writes,
 * once the main thread says go. */
static void *toucher(void *arg)
{
	int t = (int)(intptr_t)arg;
	unsigned long half = TPAGES / 2;

	owner_tid[t] = (int)syscall(SYS_gettid);
	while (!__atomic_load_n(&go, __ATOMIC_SEQ_CST))
		cpu_relax();
	for (unsigned long k = 0; k < half; k++)
		thread_misread[t] +=
			touch(2 * ((k * 131) % half) + t, 3, k & 1);
	return NULL;
}

static void test_threads(void)
{
	thread_t th[2];
	int made = 0;

	region = map_anon(TPAGES * PAGE, PROT_NONE);
	CHECK(region != MAP_FAILED);
	if (region == MAP_FAILED)
		return;
	region_pages = TPAGES;
	memset(written, -1, sizeof(written));
	pager_set(SEGV_ACCERR, FIX_MPROTECT, 1);
	for (int t = 0; t < 2; t++)
		if (thread_create(&th[t], toucher, (void *)(intptr_t)t) == 0)
			made++;
	CHECK_EQ(made, 2);
	/* Both tids known before the first fault. */
	while (made == 2 && (!owner_tid[0] || !owner_tid[1]))
		cpu_relax();
	__atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
	for (int t = 0; t < made; t++)
		thread_join(th[t], NULL);
	if (made == 2) {
		CHECK_EQ(thread_misread[0] + thread_misread[1], 0);
		check_pager("two threads", 0, TPAGES);
		CHECK_EQ(bad_pages(TPAGES), 0);
	}
	owner_tid[0] = owner_tid[1] = 0;
	CHECK_EQ(munmap(region, TPAGES * PAGE), 0);
}

int main(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = pager;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(sigaction(SIGSEGV, &sa, NULL), 0);
	test_kinds();
	test_stress();
	test_threads();
	signal(SIGSEGV, SIG_DFL);
	return utest_done();
}
