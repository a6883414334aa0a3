/*
 * t_poe_huge - POE for 2 MiB pages (docs/poe.md, "Huge pages"): the
 * pre-fault work marks the pmd of each whole 2 MiB of a POE region that
 * may take a huge page (here: MADV_HUGEPAGE), and the walker maps a
 * zeroed 2 MiB page from its CPU's huge table there.
 *
 *  1. a hit: once the huge tables are full, the first write to a marked
 *     2 MiB piece is one walker hit (huge_hits), one minor fault
 *     (getrusage), and the whole 2 MiB reads zero, then what was
 *     written; /proc/self/smaps shows AnonHugePages for it;
 *  2. the fall-back: writing to more pieces than the tables hold, each
 *     piece is either a huge hit or a fall-back (fb_huge_table_empty and
 *     huge_fallbacks, one each), at least one falls back, and it still
 *     gets a huge page (the full handler's huge fault) unless no 2 MiB
 *     block was free (thp_fault_fallback: 4 KiB pages), every page of it
 *     zero but the byte written; AnonHugePages counts every piece
 *     written but those;
 *  2b. a read of a marked piece is the full handler's too
 *     (fb_huge_read): the huge zero page, AnonHugePages 0 there, zeros;
 *  3. munmap of one 4 KiB page of a marked piece nobody touched: that
 *     page is SIGSEGV for a child, its neighbours read zero;
 *  4. mprotect(PROT_READ) of one 4 KiB page of a hit piece: a write there
 *     is SIGSEGV for a child, the piece's other pages stay writable and
 *     every byte is kept;
 *  5. fork: the child reads the parent's data in a hit piece, its write
 *     stays its own;
 *  6. munmap of everything; the harness checks that the free-page count
 *     is back at its baseline.
 * Skips on Linux (no POE) and with poe.huge_entries=0.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_poe_huge"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"
#include "smaps_util.h"
#include <sys/resource.h>

#define HUGE	(2UL << 20)
#define NPIECES 16UL

static long minflt(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_minflt : -1;
}

static int huge_full(const struct poe_stats *st)
{
	return poe_settled(st);
}

/* A write to piece i; returns 1 if it was a huge hit, 0 a fall-back. */
static int touch_piece(unsigned char *p, unsigned long i, unsigned long *fb)
{
	struct poe_stats a, b;

	poe_stats_now(&a);
	p[i * HUGE] = (unsigned char)(i + 1);
	poe_stats_now(&b);
	*fb += b.fb_huge_table_empty - a.fb_huge_table_empty;
	return (int)(b.huge_hits - a.huge_hits);
}

int main(void)
{
	struct poe_stats s0, s1;
	unsigned long i, hits = 0, fb = 0, bad = 0, fell = NPIECES;
	unsigned char *res, *p;
	long f0, f1, nohuge;

	poe_require();
	poe_stats_now(&s0);
	if (s0.huge_nr_entries == 0) {
		diag("SKIP poe.huge_entries=0: no huge table");
		return utest_done();
	}
	/* A 2 MiB-aligned region of NPIECES pieces: reserve one piece
	 * more, trim. Both mmaps make POE regions. */
	res = map_anon((NPIECES + 1) * HUGE, PROT_NONE);
	CHECK(res != MAP_FAILED);
	if (res == MAP_FAILED)
		return utest_done();
	p = (unsigned char *)(((unsigned long)res + HUGE - 1) & ~(HUGE - 1));
	CHECK_EQ(munmap(res, (NPIECES + 1) * HUGE), 0);
	CHECK(mmap(p, NPIECES * HUGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p);
	CHECK_EQ(madvise(p, NPIECES * HUGE, MADV_HUGEPAGE), 0);
	if (poe_wait(huge_full, "full 4 KiB and huge tables"))
		return utest_done();
	poe_stats_now(&s1);
	diag("huge tables: %lu entries x %lu CPUs, %lu valid; pmds marked %lu",
	     s1.huge_nr_entries, s1.nr_cpus, s1.huge_table_valid,
	     s1.huge_marks - s0.huge_marks);
	CHECK(s1.huge_marks - s0.huge_marks >= NPIECES);

	/* 1. One hit. */
	f0 = minflt();
	CHECK_EQ(touch_piece(p, 0, &fb), 1);
	f1 = minflt();
	CHECK_EQ(f1 - f0, 1);
	CHECK(all_bytes(p + 1, HUGE - 1, 0));
	CHECK_EQ(p[0], 1);
	memset(p, 0x5a, HUGE);
	CHECK(all_bytes(p, HUGE, 0x5a));
	CHECK_EQ(anon_huge_kb(p, HUGE), 2048);

	/* 2. More pieces than the tables hold (but piece 1, for 3, and
	 * the last, for 2b). */
	nohuge = vmstat_value("thp_fault_fallback");
	hits = 1;
	for (i = 2; i < NPIECES - 1; i++) {
		int h = touch_piece(p, i, &fb);

		hits += (unsigned long)h;
		if (!h && fell == NPIECES)
			fell = i;
	}
	poe_stats_now(&s1);
	nohuge = vmstat_value("thp_fault_fallback") - nohuge;
	diag("%lu pieces written: %lu huge hits, %lu fall-backs (huge table "
	     "empty %lu), first fall-back piece %lu; %ld with no 2 MiB block "
	     "free (4 KiB pages)",
	     NPIECES - 2, hits, s1.huge_fallbacks - s0.huge_fallbacks, fb, fell,
	     nohuge);
	CHECK(nohuge >= 0 && (unsigned long)nohuge <= fb);
	CHECK_EQ(hits + fb, NPIECES - 2);
	CHECK(fb >= 1);
	CHECK_EQ(s1.huge_fallbacks - s0.huge_fallbacks, fb);
	if (fell < NPIECES) {
		unsigned char *q = p + fell * HUGE;

		for (i = 1; i < HUGE / PAGE; i++) {
			if (q[i * PAGE] != 0)
				bad++;
			q[i * PAGE] = 0x33;
		}
		CHECK_EQ(bad, 0);
		CHECK_EQ(q[0], (unsigned char)(fell + 1));
		CHECK_EQ(q[PAGE], 0x33);
	}
	CHECK_EQ(anon_huge_kb(p, NPIECES * HUGE),
		 2048L * ((long)NPIECES - 2 - nohuge));

	/* 2b. A read. */
	{
		unsigned char *q = p + (NPIECES - 1) * HUGE;
		unsigned char v;

		poe_stats_now(&s0);
		v = *(volatile unsigned char *)(q + 12345);
		poe_stats_now(&s1);
		CHECK_EQ(v, 0);
		CHECK_EQ(s1.fb_huge_read - s0.fb_huge_read, 1);
		CHECK_EQ(s1.huge_hits - s0.huge_hits, 0);
		CHECK(all_bytes(q, HUGE, 0));
		/* smaps sums the whole VMA: no more than the writes. */
		CHECK_EQ(anon_huge_kb(p, NPIECES * HUGE),
			 2048L * ((long)NPIECES - 2 - nohuge));
	}

	/* 3. A hole in a marked piece nobody touched. */
	{
		unsigned char *q = p + 1 * HUGE;

		CHECK_EQ(munmap(q + 5 * PAGE, PAGE), 0);
		{
			int st = run_child(child_read, q + 5 * PAGE);

			CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
		}
		expect_read_ok("read below the hole", q + 4 * PAGE, 0);
		expect_read_ok("read above the hole", q + 6 * PAGE, 0);
		CHECK_EQ(q[0], 0);
		q[0] = 7;
		CHECK_EQ(q[0], 7);
	}

	/* 4. mprotect of 4 KiB inside the hit piece. */
	CHECK_EQ(mprotect(p + 3 * PAGE, PAGE, PROT_READ), 0);
	{
		int st = run_child(child_write, p + 3 * PAGE);

		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	}
	expect_write_ok("write beside the read-only page", p + 4 * PAGE);
	p[2 * PAGE] = 0x11;
	CHECK_EQ(p[2 * PAGE], 0x11);
	p[2 * PAGE] = 0x5a;
	CHECK(all_bytes(p, HUGE, 0x5a));
	CHECK_EQ(mprotect(p + 3 * PAGE, PAGE, PROT_READ | PROT_WRITE), 0);

	/* 5. fork: the child sees the data, its write is its own. */
	expect_read_ok("child reads the parent's huge page", p + HUGE - 1,
		       0x5a);
	expect_write_ok("child writes its copy", p + 100);
	CHECK_EQ(p[100], 0x5a);

	CHECK_EQ(munmap(p, NPIECES * HUGE), 0);
	return utest_done();
}
