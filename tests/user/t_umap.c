/*
 * t_umap - the user-level pager of user/umap (docs/umap.md) on this
 * kernel's userfaultfd, and on Linux's (step ulinux). Dirty tracking has
 * two modes (write-protect faults where UFFDIO_API offers them, else
 * every page of a writable region dirty); each check below is exact in
 * the mode the kernel gives, and the test says which it ran:
 *   - FIFO eviction gives exact counts: a sweep of 64 pages with a buffer
 *     of 16 (high water 100%, low 50%) faults 64 times and evicts 48; a
 *     second sweep faults 64 more (the oldest page is always the one
 *     gone); a sweep of 8 pages, twice, faults 8 times in all; every
 *     page holds what the (memory) store holds;
 *   - write-back: a pattern written through a writable mapping of a
 *     file of 32 pages, with a buffer of 8, reaches the file for every
 *     evicted page, reads back through the mapping (refilled from the
 *     file), and is all in the file after uunmap();
 *   - dirty tracking: every page of 32 read, the odd ones then written
 *     (buffer 8): with WP faults, 16 WP faults and exactly the odd pages
 *     written back, each once (12 by eviction, 4 by uunmap); without,
 *     every page (24 + 8); the file holds the pattern on odd pages and
 *     its old bytes on even ones;
 *   - a write to a page that an evictor is dropping is not lost;
 *   - 2 fillers and 2 evictors, 2 application threads writing 128 pages
 *     through a buffer of 16: right contents, in the file and through
 *     the mapping; the counts add up;
 *   - a quicksort in place through the mapping of a file of 64 pages of
 *     random u64 (buffer 8), with 1 filler and 1 evictor, then 2 and 2,
 *     leaves the file sorted with the same sum and xor;
 *   - no leak: a umap round gives back every file and (on this kernel)
 *     every free page.
 * Where WP faults exist, the writing tests run again in the fallback
 * mode (umap_config.no_wp), so that Linux checks both.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_umap"
#include "utest.h"
#include <fcntl.h>
#include <private.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#include "../../user/umap/umap.c"
#include "../../user/umap/random_file.h"
#include "../../user/umap/sort_u64.h"

#define PG   4096UL
#define WPP  (PG / sizeof(uint64_t)) /* words per page */
#define PATH "/tmp/t_umap.dat"
#define SEED 88172645463325252ull

static int no_wp; /* config(): the fallback even where WP faults exist */

static void config(size_t bufsize, unsigned high, unsigned low,
		   unsigned threads)
{
	struct umap_config c = { .pagesize = PG,
				 .bufsize = bufsize,
				 .fillers = threads,
				 .evictors = threads,
				 .high_water = high,
				 .low_water = low,
				 .no_wp = no_wp };

	CHECK_EQ(umap_cfg_set(&c), 0);
}

/* The counters once the pager is idle (evictions finish in the
 * background). */
static void idle_stats(struct umap_stats *st)
{
	CHECK_EQ(umap_wait_idle(), 0);
	umap_get_stats(st);
}

static void sweep(volatile uint64_t *p, size_t pages, int *bad)
{
	for (size_t i = 0; i < pages; i++)
		if (p[i * WPP] != i * 7 + 1)
			(*bad)++;
}

static void test_fifo_counts(void)
{
	size_t n = 64, len = n * PG;
	uint64_t *mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct umap_store st;
	struct umap_stats a, b, c;
	unsigned long first, second;
	int bad = 0;

	CHECK(mem != MAP_FAILED);
	if (mem == MAP_FAILED)
		return;
	for (size_t i = 0; i < n; i++)
		mem[i * WPP] = i * 7 + 1;
	umap_store_mem(&st, mem, len);
	config(16, 100, 50, 1);
	uint64_t *p = umap_ex(NULL, len, PROT_READ, MAP_PRIVATE, &st, 0);

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		goto out;
	umap_get_stats(&a);
	sweep(p, n, &bad);
	idle_stats(&b);
	CHECK_EQ(b.faults - a.faults, 64);
	CHECK_EQ(b.fills - a.fills, 64);
	CHECK_EQ(b.evictions - a.evictions, 48);
	CHECK_EQ(b.writebacks - a.writebacks, 0); /* read-only mapping */
	CHECK_EQ(b.wp, 0);			  /* nothing to track */
	sweep(p, n, &bad);
	idle_stats(&c);
	CHECK_EQ(c.faults - b.faults, 64);
	CHECK_EQ(c.evictions - b.evictions, 64);
	CHECK_EQ(bad, 0);
	CHECK_EQ(uunmap(p, len), 0);
	first = b.faults - a.faults;
	second = c.faults - b.faults;

	/* Within the buffer, a second sweep faults nowhere. */
	p = umap_ex(NULL, 8 * PG, PROT_READ, MAP_PRIVATE, &st, 0);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		goto out;
	umap_get_stats(&a);
	sweep(p, 8, &bad);
	sweep(p, 8, &bad);
	idle_stats(&b);
	CHECK_EQ(b.faults - a.faults, 8);
	CHECK_EQ(b.evictions - a.evictions, 0);
	CHECK_EQ(bad, 0);
	CHECK_EQ(uunmap(p, 8 * PG), 0);
	diag("fifo: 64 pages, buffer 16: %lu then %lu faults", first, second);
out:
	munmap(mem, len);
}

static uint64_t pat(size_t pg, size_t w)
{
	return (uint64_t)pg << 32 | (w * 2654435761u);
}

/*
 * A store over the test file that counts the writes to each page, to
 * tell which pages the pager wrote back.
 */
static struct {
	struct umap_store s; /* first: the pager passes &s */
	struct umap_store file;
	unsigned char writes[128];
	long delay_ns; /* after each write: widens an evictor's window */
} cstore;

static ssize_t cs_read(struct umap_store *s, void *buf, size_t n, off_t off)
{
	(void)s;
	return cstore.file.read_from_store(&cstore.file, buf, n, off);
}

static ssize_t cs_write(struct umap_store *s, const void *buf, size_t n,
			off_t off)
{
	struct timespec ts = { 0, cstore.delay_ns };
	ssize_t done;

	(void)s;
	if ((size_t)off / PG < sizeof(cstore.writes))
		__atomic_fetch_add(&cstore.writes[off / PG], 1,
				   __ATOMIC_RELAXED);
	done = cstore.file.write_to_store(&cstore.file, buf, n, off);
	if (ts.tv_nsec)
		nanosleep(&ts, NULL);
	return done;
}

/*
 * A file of n pages of random u64 (umap_random_file, seed SEED) mapped
 * read-write through the counting store, with a buffer of bufsize (high,
 * low) and threads fillers and evictors. The mapping, or NULL after a
 * FAIL; *fd is the file (-1 when there is none).
 */
static uint64_t *map_file(size_t n, size_t bufsize, unsigned high, unsigned low,
			  unsigned threads, int *fd)
{
	uint64_t *p;

	*fd = open(PATH, O_CREAT | O_TRUNC | O_RDWR, 0600);
	CHECK(*fd >= 0);
	if (*fd < 0)
		return NULL;
	CHECK_EQ(umap_random_file(*fd, n, SEED), 0);
	memset(&cstore, 0, sizeof(cstore));
	umap_store_file(&cstore.file, *fd);
	cstore.s.read_from_store = cs_read;
	cstore.s.write_to_store = cs_write;
	config(bufsize, high, low, threads);
	p = umap_ex(NULL, n * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		    &cstore.s, 0);
	CHECK(p != MAP_FAILED);
	return p == MAP_FAILED ? NULL : p;
}

static void close_file(int fd)
{
	if (fd >= 0)
		close(fd);
	syscall(__NR_unlink, PATH);
}

/* Page pg of the file as it was made: (map_file's) random words. */
static int page_is_random(int fd, size_t pg)
{
	uint64_t buf[WPP], seed = SEED;

	if (syscall(__NR_pread64, fd, buf, PG, (off_t)(pg * PG)) != (long)PG)
		return 0;
	for (size_t i = 0; i < (pg + 1) * WPP; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		if (i >= pg * WPP && buf[i - pg * WPP] != seed)
			return 0;
	}
	return 1;
}

static int file_page_ok(int fd, size_t pg)
{
	uint64_t buf[WPP];

	if (syscall(__NR_pread64, fd, buf, PG, (off_t)(pg * PG)) != (long)PG)
		return 0;
	for (size_t w = 0; w < WPP; w++)
		if (buf[w] != pat(pg, w))
			return 0;
	return 1;
}

static int mapped_page_ok(const uint64_t *p, size_t pg)
{
	for (size_t w = 0; w < WPP; w++)
		if (p[pg * WPP + w] != pat(pg, w))
			return 0;
	return 1;
}

static void write_page(uint64_t *p, size_t pg)
{
	for (size_t w = 0; w < WPP; w++)
		p[pg * WPP + w] = pat(pg, w);
}

static void test_writeback(void)
{
	size_t n = 32;
	int fd, bad = 0;
	struct umap_stats a, b;
	uint64_t *p = map_file(n, 8, 100, 50, 1, &fd);

	if (!p)
		goto out;
	umap_get_stats(&a);
	for (size_t i = 0; i < n; i++)
		write_page(p, i);
	idle_stats(&b);
	CHECK_EQ(b.faults - a.faults, 32);
	CHECK_EQ(b.evictions - a.evictions, 24); /* at 9,13,..,29: 6 x 4 */
	CHECK_EQ(b.writebacks - a.writebacks, 24);
	CHECK_EQ(b.wp_faults - a.wp_faults, 0); /* written at first touch */
	/* The 24 evicted pages (0..23) are in the file. */
	for (size_t i = 0; i < 24; i++)
		if (!file_page_ok(fd, i))
			bad++;
	CHECK_EQ(bad, 0);
	/* Back through the mapping: refilled from the file. */
	for (size_t i = 0; i < n; i++)
		if (!mapped_page_ok(p, i))
			bad++;
	CHECK_EQ(bad, 0);
	CHECK_EQ(uunmap(p, n * PG), 0);
	for (size_t i = 0; i < n; i++)
		if (!file_page_ok(fd, i))
			bad++;
	CHECK_EQ(bad, 0);
out:
	close_file(fd);
}

static void test_dirty(void)
{
	size_t n = 32;
	int fd, bad = 0, wrong = 0;
	volatile uint64_t sink = 0;
	struct umap_stats a, b, c;
	uint64_t *p = map_file(n, 8, 100, 50, 1, &fd);

	if (!p)
		goto out;
	umap_get_stats(&a);
	for (size_t i = 0; i < n; i++) {
		sink += p[i * WPP + 5]; /* a read fault first */
		if (i % 2)
			write_page(p, i);
	}
	idle_stats(&b);
	(void)sink;
	int wp = b.wp;

	diag("dirty pages: %s", wp ? "write-protect faults" : "every page");
	CHECK_EQ(b.fills - a.fills, 32);
	CHECK_EQ(b.evictions - a.evictions, 24);
	CHECK_EQ(b.wp_faults - a.wp_faults, wp ? 16 : 0);
	CHECK_EQ(b.faults - a.faults, wp ? 48 : 32);
	/* Evicted: pages 0..23; with WP only the 12 odd ones written. */
	CHECK_EQ(b.writebacks - a.writebacks, wp ? 12 : 24);
	CHECK_EQ(uunmap(p, n * PG), 0);
	umap_get_stats(&c);
	CHECK_EQ(c.writebacks - a.writebacks, wp ? 16 : 32);
	for (size_t i = 0; i < n; i++) {
		if (cstore.writes[i] != (wp && i % 2 == 0 ? 0 : 1))
			wrong++;
		if (i % 2 ? !file_page_ok(fd, i) : !page_is_random(fd, i))
			bad++;
	}
	CHECK_EQ(wrong, 0);
	CHECK_EQ(bad, 0);
out:
	close_file(fd);
}

/*
 * A write to a page while the evictors drop it must not be lost: after
 * each page i, the program writes to page i - 7 again, which the round
 * that page i's fill started is evicting (buffer 8, 100%/50%: pages
 * i - 8 .. i - 5). A store that sleeps 2 ms after each write holds the
 * window between a page's write-back and its MADV_DONTNEED open; with
 * one evictor, which evicts page i - 7 after page i - 8 made room for
 * page i, the write lands in it unless the pager stops it (WP mode: the
 * page is write-protected first; else the fill waits for the round).
 * The word must be in the file after uunmap().
 */
static uint64_t marker(size_t pg)
{
	return ~pat(pg, 0);
}

static void test_evict_race(void)
{
	size_t n = 32;
	int fd, bad = 0;
	uint64_t *p = map_file(n, 8, 100, 50, 1, &fd);

	if (!p)
		goto out;
	cstore.delay_ns = 2 * 1000 * 1000;
	for (size_t i = 0; i < n; i++) {
		write_page(p, i);
		if (i >= 7)
			p[(i - 7) * WPP] = marker(i - 7);
	}
	CHECK_EQ(uunmap(p, n * PG), 0);
	for (size_t i = 0; i < n; i++) {
		uint64_t w[2];

		if (syscall(__NR_pread64, fd, w, sizeof(w), (off_t)(i * PG)) !=
			    (long)sizeof(w) ||
		    w[0] != (i + 7 < n ? marker(i) : pat(i, 0)) ||
		    w[1] != pat(i, 1))
			bad++;
	}
	CHECK_EQ(bad, 0);
out:
	close_file(fd);
}

/* Two application threads: each writes every other page. */
struct writer {
	uint64_t *p;
	size_t n, first;
};

static void *writer(void *arg)
{
	struct writer *w = arg;

	for (size_t i = w->first; i < w->n; i += 2)
		write_page(w->p, i);
	return NULL;
}

static void test_threads(void)
{
	size_t n = 128;
	int fd, bad = 0;
	struct umap_stats a, b;
	struct writer w[2];
	thread_t t[2];
	uint64_t *p = map_file(n, 16, 90, 70, 2, &fd);

	if (!p)
		goto out;
	umap_get_stats(&a);
	for (int i = 0; i < 2; i++) {
		w[i] = (struct writer){ p, n, (size_t)i };
		CHECK_EQ(thread_create(&t[i], writer, &w[i]), 0);
	}
	for (int i = 0; i < 2; i++)
		thread_join(t[i], NULL);
	for (size_t i = 0; i < n; i++)
		if (!mapped_page_ok(p, i))
			bad++;
	CHECK_EQ(bad, 0);
	idle_stats(&b);
	/* At most the buffer is present; every page came in at least once. */
	CHECK(b.fills - a.fills >= n);
	CHECK(b.fills - a.fills - (b.evictions - a.evictions) <= 16);
	CHECK(b.faults - a.faults >= b.fills - a.fills);
	CHECK_EQ(uunmap(p, n * PG), 0);
	for (size_t i = 0; i < n; i++)
		if (!file_page_ok(fd, i))
			bad++;
	CHECK_EQ(bad, 0);
	diag("2 fillers, 2 evictors, 2 writers, 128 pages, buffer 16: "
	     "%lu faults, %lu fills, %lu evictions",
	     b.faults - a.faults, b.fills - a.fills, b.evictions - a.evictions);
out:
	close_file(fd);
}

static void sums(int fd, size_t pages, uint64_t *sum, uint64_t *x, int *sorted)
{
	uint64_t buf[WPP], prev = 0;

	*sum = *x = 0;
	*sorted = 1;
	for (size_t i = 0; i < pages; i++) {
		if (syscall(__NR_pread64, fd, buf, PG, (off_t)(i * PG)) !=
		    (long)PG)
			*sorted = 0;
		for (size_t w = 0; w < WPP; w++) {
			*sum += buf[w];
			*x ^= buf[w];
			if (buf[w] < prev)
				*sorted = 0;
			prev = buf[w];
		}
	}
}

static void test_sort(unsigned threads)
{
	size_t n = 64;
	int fd, sorted;
	uint64_t s0, x0, s1, x1;
	struct umap_stats a, b;
	uint64_t *p = map_file(n, 8, 90, 70, threads, &fd);

	if (!p)
		goto out;
	sums(fd, n, &s0, &x0, &sorted);
	CHECK_EQ(sorted, 0);
	umap_get_stats(&a);
	sort_u64(p, 0, (long)(n * WPP) - 1);
	CHECK_EQ(uunmap(p, n * PG), 0);
	umap_get_stats(&b);
	sums(fd, n, &s1, &x1, &sorted);
	CHECK_EQ(sorted, 1);
	CHECK(s0 == s1);
	CHECK(x0 == x1);
	CHECK(b.evictions - a.evictions > 0);
	diag("sort: 64 pages, buffer 8, %u+%u threads: %lu faults, %lu "
	     "evictions, %lu write-backs, %lu wp faults",
	     threads, threads, b.faults - a.faults, b.evictions - a.evictions,
	     b.writebacks - a.writebacks, b.wp_faults - a.wp_faults);
out:
	close_file(fd);
}

/* Open files: the descriptors fcntl(F_GETFD) knows, below 256. */
static int open_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 256; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

/* Free pages once three reads 10 ms apart agree; -1 on Linux (ENOSYS). */
static long settled_free_pages(void)
{
	struct timespec ts = { 0, 10 * 1000000L };
	struct meminfo mi, next;
	int same = 0;

	if (meminfo(&mi) != 0)
		return -1;
	for (int tries = 0; tries < 200 && same < 2; tries++) {
		nanosleep(&ts, NULL);
		if (meminfo(&next) != 0)
			return -1;
		same = next.free_pages == mi.free_pages ? same + 1 : 0;
		mi = next;
	}
	return (long)mi.free_pages;
}

/*
 * A round like test_threads' again, after it ran once (so that the
 * page tables and the heap it needs exist): the pager's threads, maps,
 * uffd and pipe must all be gone after uunmap().
 */
static void test_no_leak(void)
{
	long before = settled_free_pages();
	int fds = open_fds();

	test_threads();
	long after = settled_free_pages();

	CHECK_EQ(open_fds(), fds);
	if (before >= 0) {
		diag("free pages before a umap round %ld, after %ld", before,
		     after);
		CHECK_EQ(after, before);
	}
}

/* The tests that write, in the dirty-tracking mode the kernel gives. */
static void writing_tests(void)
{
	test_writeback();
	test_dirty();
	test_evict_race();
	test_threads();
	test_sort(1);
	test_sort(2);
}

int main(void)
{
	struct umap_stats st;

	test_fifo_counts();
	writing_tests();
	umap_get_stats(&st);
	if (st.wp) { /* and the fallback, where WP faults exist */
		diag("again, with every page dirty (no WP faults)");
		no_wp = 1;
		writing_tests();
		no_wp = 0;
	}
	test_no_leak();
	return utest_done();
}
