/*
 * t_poe_contents - POE on vs off gives identical memory contents: the
 * fast path must be invisible to the program (docs/poe.md).
 *
 * One deterministic sequence of operations (a fixed-seed generator picks
 * every offset and value) runs on three regions of NPAGES pages:
 *   warm  a POE region, after the pre-fault thread and the refill are done
 *         (most faults take the fast path: the hits must grow);
 *   cold  a POE region, used straight after mmap (faults race the
 *         pre-fault thread: a mix of fall-backs and hits);
 *   plain an ordinary region, mapped by a fork child (POE is not
 *         inherited, and the child never enables it; a region made while
 *         POE was on would stay POE after a disable).
 * The sequence: reads of pages never written (must be zero), random
 * single-byte writes, random runs of bytes, random reads, madvise
 * (MADV_DONTNEED) of a sub-range and re-touch (read some, write others),
 * a fork whose child checks its copy byte for byte and then overwrites it
 * while the parent's copy stays intact, and writes after the fork (COW).
 * Every value read is hashed. The three regions must end byte for byte
 * equal, with equal read hashes.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_poe_contents"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"

#define NPAGES	    128UL
#define LEN	    (NPAGES * PAGE)
#define SEED	    0x5eed2024UL
#define DONTNEED_AT 40UL /* madvise(MADV_DONTNEED) pages 40..63 */
#define DONTNEED_N  24UL

static unsigned long rng;

/* rnd - the next value of the fixed-seed sequence (a 64-bit LCG). */
static unsigned long rnd(void)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return rng >> 33;
}

/* hash_byte, hash_region - FNV-1a over every value read. */
static unsigned long hash_byte(unsigned long h, unsigned char v)
{
	return (h ^ v) * 0x100000001b3UL; /* FNV-1a, 64 bit */
}

static unsigned long hash_region(const unsigned char *p, size_t len)
{
	unsigned long h = 0xcbf29ce484222325UL;

	for (size_t i = 0; i < len; i++)
		h = hash_byte(h, ((const volatile unsigned char *)p)[i]);
	return h;
}

/* Pages that are never written before the madvise (only read). */
static int read_only_page(unsigned long pg)
{
	return pg % 11 == 10;
}

/* The fork step's child: its copy must hash to want; then it overwrites
 * every page and checks its own writes. Exit codes say what failed. */
static unsigned char *fork_region;
static unsigned long fork_want;

static int fork_child(void *arg)
{
	unsigned char *p = fork_region;

	(void)arg;
	if (hash_region(p, LEN) != fork_want)
		return 20;
	for (unsigned long i = 0; i < NPAGES; i++)
		memset(p + i * PAGE, (int)(0xa5 ^ i), PAGE);
	for (unsigned long i = 0; i < NPAGES; i++)
		if (!all_bytes(p + i * PAGE, PAGE, (unsigned char)(0xa5 ^ i)))
			return 21;
	return 0;
}

/*
 * The sequence on p; returns the hash of every value read. *bad counts
 * what the sequence itself could tell was wrong (with a diag line).
 */
static unsigned long sequence(unsigned char *p, const char *name, int *bad)
{
	volatile unsigned char *v = p;
	unsigned long h = 0xcbf29ce484222325UL, i, pg, off, n;
	int status;

	rng = SEED;
	/* 1. Reads before any write: every third page, at random offsets. */
	for (pg = 0; pg < NPAGES; pg += 3) {
		unsigned char c = v[pg * PAGE + rnd() % PAGE];

		h = hash_byte(h, c);
		if (c) {
			diag("FAIL %s: page %lu read %u before any write", name,
			     pg, c);
			(*bad)++;
		}
	}
	/* 2. Single bytes of random values at random offsets. */
	for (i = 0; i < 2000; i++) {
		pg = rnd() % NPAGES;
		off = rnd() % PAGE;
		if (!read_only_page(pg))
			v[pg * PAGE + off] = (unsigned char)rnd();
	}
	/* 3. Runs of up to 300 bytes (some cross a page boundary). */
	for (i = 0; i < 64; i++) {
		pg = rnd() % (NPAGES - 1);
		off = rnd() % PAGE;
		n = 1 + rnd() % 300;
		if (!read_only_page(pg) && !read_only_page(pg + 1))
			memset(p + pg * PAGE + off, (int)(rnd() & 0xff), n);
	}
	/* 4. Random reads. */
	for (i = 0; i < 1000; i++)
		h = hash_byte(h, v[rnd() % LEN]);
	/* 5. Drop a sub-range; read half of it, write the other half. */
	if (madvise(p + DONTNEED_AT * PAGE, DONTNEED_N * PAGE, MADV_DONTNEED)) {
		diag("FAIL %s: madvise: %s", name, strerror(errno));
		(*bad)++;
	}
	for (pg = DONTNEED_AT; pg < DONTNEED_AT + DONTNEED_N; pg++) {
		off = rnd() % PAGE;
		if (pg % 2) {
			unsigned char c = v[pg * PAGE + off];

			h = hash_byte(h, c);
			if (c) {
				diag("FAIL %s: page %lu read %u after MADV_DONTNEED",
				     name, pg, c);
				(*bad)++;
			}
		} else {
			v[pg * PAGE + off] = (unsigned char)(rnd() | 1);
		}
	}
	/* 6. Fork: the child checks and overwrites its copy; ours stays. */
	fork_region = p;
	fork_want = hash_region(p, LEN);
	status = run_child(fork_child, NULL);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		diag("FAIL %s: the fork child's copy was wrong", name);
		describe_status("fork child", status);
		(*bad)++;
	}
	if (hash_region(p, LEN) != fork_want) {
		diag("FAIL %s: the child's writes changed the parent's copy",
		     name);
		(*bad)++;
	}
	/* 7. Writes after the fork (copy-on-write), and more reads. */
	for (i = 0; i < 500; i++) {
		pg = rnd() % NPAGES;
		v[pg * PAGE + rnd() % PAGE] = (unsigned char)rnd();
	}
	for (i = 0; i < 500; i++)
		h = hash_byte(h, v[rnd() % LEN]);
	return h;
}

static unsigned char *warm, *cold;
static unsigned long warm_hash;

/* Bytes where a and b differ; the first one in *first. */
static unsigned long count_diff(const unsigned char *a, const unsigned char *b,
				long *first)
{
	unsigned long n = 0;

	*first = -1;
	for (unsigned long i = 0; i < LEN; i++)
		if (a[i] != b[i]) {
			if (*first < 0)
				*first = (long)i;
			n++;
		}
	return n;
}

/* The plain run, in a child that never enables POE. Returns failures. */
static int plain_child(void *arg)
{
	struct poe_stats s0, s1;
	unsigned char *p;
	unsigned long h, nd;
	long first;
	int bad = 0;

	(void)arg;
	poe_stats_now(&s0);
	if (s0.proc_enabled) {
		diag("FAIL plain: the fork child has POE on");
		return 1;
	}
	p = map_anon(LEN, PROT_READ | PROT_WRITE);
	if (p == MAP_FAILED) {
		diag("FAIL plain: mmap: %s", strerror(errno));
		return 1;
	}
	h = sequence(p, "plain", &bad);
	poe_stats_now(&s1);
	diag("plain: read hash %016lx, %lu fast-path hits, %lu not-POEable "
	     "fall-backs",
	     h, s1.hits - s0.hits, s1.fb_not_poeable - s0.fb_not_poeable);
	if (s1.hits != s0.hits) {
		diag("FAIL plain: an ordinary region took %lu fast-path hits",
		     s1.hits - s0.hits);
		bad++;
	}
	if (h != warm_hash) {
		diag("FAIL plain: read hash %016lx, POE warm %016lx", h,
		     warm_hash);
		bad++;
	}
	nd = count_diff(p, warm, &first);
	diag("plain vs POE warm: %lu bytes differ (first at %ld)", nd, first);
	if (nd) {
		diag("FAIL plain vs POE warm: page %ld offset %ld: %u != %u",
		     first / (long)PAGE, first % (long)PAGE, p[first],
		     warm[first]);
		bad++;
	}
	nd = count_diff(p, cold, &first);
	diag("plain vs POE cold: %lu bytes differ (first at %ld)", nd, first);
	if (nd)
		bad++;
	return bad;
}

int main(void)
{
	struct poe_stats s0, s1, s2;
	unsigned long cold_hash, nonzero = 0;
	int bad = 0, status;

	poe_require();

	/* Warm: the pre-fault thread and the refill are done. */
	warm = map_anon(LEN, PROT_READ | PROT_WRITE);
	CHECK(warm != MAP_FAILED);
	if (warm == MAP_FAILED || poe_wait_idle())
		return utest_done();
	poe_stats_now(&s0);
	warm_hash = sequence(warm, "warm", &bad);
	poe_stats_now(&s1);
	diag("POE warm: read hash %016lx, %lu fast-path hits, %lu fall-backs "
	     "(not marked %lu, table empty %lu)",
	     warm_hash, s1.hits - s0.hits,
	     poe_fallbacks(&s1) - poe_fallbacks(&s0),
	     s1.fb_not_marked - s0.fb_not_marked,
	     s1.fb_table_empty - s0.fb_table_empty);
	CHECK(s1.hits > s0.hits);

	/* Cold: straight after mmap. */
	cold = map_anon(LEN, PROT_READ | PROT_WRITE);
	CHECK(cold != MAP_FAILED);
	if (cold == MAP_FAILED)
		return utest_done();
	cold_hash = sequence(cold, "cold", &bad);
	poe_stats_now(&s2);
	diag("POE cold: read hash %016lx, %lu fast-path hits, %lu fall-backs "
	     "(not marked %lu, table empty %lu)",
	     cold_hash, s2.hits - s1.hits,
	     poe_fallbacks(&s2) - poe_fallbacks(&s1),
	     s2.fb_not_marked - s1.fb_not_marked,
	     s2.fb_table_empty - s1.fb_table_empty);
	CHECK_EQ(bad, 0);
	CHECK(cold_hash == warm_hash);
	{
		long first;
		unsigned long nd = count_diff(cold, warm, &first);

		diag("POE cold vs POE warm: %lu bytes differ (first at %ld)",
		     nd, first);
		CHECK_EQ(nd, 0);
	}
	/* The sequence wrote something: the comparison is not zeros only. */
	for (unsigned long i = 0; i < LEN; i++)
		nonzero += warm[i] != 0;
	diag("%lu of %lu bytes non-zero", nonzero, LEN);
	CHECK(nonzero > 4000);

	/* Plain: in a child that never enables POE; it compares. */
	status = run_child(plain_child, NULL);
	CHECK(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (status != -1 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		describe_status("plain child", status);

	CHECK_EQ(munmap(warm, LEN), 0);
	CHECK_EQ(munmap(cold, LEN), 0);
	return utest_done();
}
