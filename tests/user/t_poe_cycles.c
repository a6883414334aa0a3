/*
 * t_poe_cycles - disable-then-enable cycles repeated 100 times leak
 * nothing (docs/poe.md, "Turning it on and off").
 *
 * The free-page count is measured with POE off and no tables (this
 * process is the only one with POE; when another keeps it on, e.g. under
 * poe.always=1, the tables stay and the count is taken with them full).
 * Then CYCLES times: poe_enable (the first enabler builds the tables and
 * starts their fill), mmap NPAGES pages (a pre-fault thread starts),
 * touch some of them, poe_disable (the last disabler stops the work and
 * frees the tables and their pages), munmap. The cycles vary:
 *   - when the pages are touched: straight after mmap (racing the
 *     pre-fault thread and the first fill), after poe_wait_idle, or after
 *     poe_wait_idle and again after the disable (the marks stay, the
 *     walker is off: the full handler maps them);
 *   - the order: disable then munmap, or munmap then disable;
 *   - how many pages, and reads or writes.
 * Touched pages must read back what was written, untouched ones zero.
 * At the end, once no pre-fault thread runs (prefault_active == 0), the
 * free-page count equals the starting value exactly, and POE is off
 * (stats.enabled == 0).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_poe_cycles"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"
#include <private.h>

#define CYCLES 100
#define NPAGES 64UL

static int solo; /* no other process keeps POE on */

/* no_prefault - cond for poe_wait: no pre-fault thread runs. */
static int no_prefault(const struct poe_stats *st)
{
	return st->prefault_active == 0;
}

/* The quiet state the counts are compared in; -1 (a FAIL) after 5 s. */
static int settle(void)
{
	if (solo)
		return poe_wait(no_prefault, "pre-fault threads to finish");
	return poe_wait_idle();
}

enum {
	WRITE,
	WRITTEN,
	ZERO
};

/*
 * Touch the pages (i * 7) % NPAGES for i in [from, to) (7 is prime to
 * NPAGES: distinct pages) at one offset each: WRITE writes a value and
 * reads it back, WRITTEN expects that value, ZERO expects 0. Returns how
 * many were wrong.
 */
static unsigned long touch(unsigned char *p, unsigned long from,
			   unsigned long to, int c, int how)
{
	volatile unsigned char *v = p;
	unsigned long bad = 0;

	for (unsigned long i = from; i < to; i++) {
		unsigned long at = ((i * 7) % NPAGES) * PAGE + (i * 13) % PAGE;
		unsigned char val = (unsigned char)(c + i) | 1;

		if (how == WRITE)
			v[at] = val;
		bad += v[at] != (how == ZERO ? 0 : val);
	}
	return bad;
}

struct totals {
	unsigned long cold_racing; /* touched while the pre-fault
					   thread was still running */
	unsigned long bad, hits, fb_disabled, fb_not_marked, fb_empty;
	unsigned long not_off; /* solo, yet enabled after disable */
};

/* One cycle; -1 when POE never settled (a FAIL: stop, each would wait 5 s). */
static int cycle(int c, struct totals *t)
{
	struct poe_stats s0, s1, st;
	int when = c % 3; /* 0 cold, 1 warm, 2 warm + after disable */
	int munmap_first = (c / 3) % 2;
	int write = c % 4 != 3;
	unsigned long n = 1 + (unsigned long)(c * 37) % NPAGES;
	unsigned char *p;

	poe_stats_now(&s0);
	if (poe_enable()) {
		diag("FAIL cycle %d: poe_enable: %s", c, strerror(errno));
		t->bad++;
		return 0;
	}
	p = map_anon(NPAGES * PAGE, PROT_READ | PROT_WRITE);
	if (p == MAP_FAILED) {
		diag("FAIL cycle %d: mmap: %s", c, strerror(errno));
		t->bad++;
		poe_disable();
		return 0;
	}
	if (when == 0) {
		poe_get_stats(&st);
		t->cold_racing += st.prefault_active > 0;
	} else if (poe_wait_idle()) {
		munmap(p, NPAGES * PAGE);
		poe_disable();
		return -1;
	}
	t->bad += touch(p, 0, n, c, write ? WRITE : ZERO);
	if (munmap_first)
		munmap(p, NPAGES * PAGE);
	poe_disable();
	if (solo) {
		poe_get_stats(&st);
		t->not_off += st.enabled != 0;
	}
	if (!munmap_first) {
		if (when == 2) {
			/* Old marks, walker off (when solo): the full handler
			 * maps the rest; the pages touched before keep their
			 * data. */
			t->bad += touch(p, 0, n, c, write ? WRITTEN : ZERO);
			t->bad += touch(p, n, NPAGES, c, write ? WRITE : ZERO);
		}
		munmap(p, NPAGES * PAGE);
	}
	poe_stats_now(&s1);
	t->hits += s1.hits - s0.hits;
	t->fb_disabled += s1.fb_disabled - s0.fb_disabled;
	t->fb_not_marked += s1.fb_not_marked - s0.fb_not_marked;
	t->fb_empty += s1.fb_table_empty - s0.fb_table_empty;
	return 0;
}

int main(void)
{
	struct totals t = { 0 };
	struct poe_stats st;
	struct meminfo m0, m1;
	int c, tries;

	poe_require();
	CHECK_EQ(poe_disable(), 0);
	poe_stats_now(&st);
	solo = st.enabled == 0;
	if (!solo)
		diag("another process keeps POE on (poe.always?): the tables stay; "
		     "counting with them full");
	/* One cycle first: kernel caches (kmalloc slabs, thread stacks)
	 * the first one fills are part of the baseline. */
	if (cycle(CYCLES, &t) || settle())
		return utest_done();
	poe_sleep_ms(20);
	meminfo(&m0);

	{
		unsigned long bad = t.bad; /* the first cycle's count too */

		memset(&t, 0, sizeof(t));
		t.bad = bad;
	}
	for (c = 0; c < CYCLES; c++)
		if (cycle(c, &t))
			return utest_done();

	if (settle())
		return utest_done();
	for (tries = 0; tries < 200; tries++) {
		meminfo(&m1);
		if (m1.free_pages == m0.free_pages)
			break;
		poe_sleep_ms(10);
	}
	poe_stats_now(&st);
	diag("%d cycles: %lu fast-path hits; fall-backs: disabled %lu, not marked "
	     "%lu, table empty %lu; %lu cycles touched while the pre-fault thread "
	     "ran",
	     CYCLES, t.hits, t.fb_disabled, t.fb_not_marked, t.fb_empty,
	     t.cold_racing);
	diag("free pages %lu -> %lu (%+ld); POE %s now; prefault_active %lu",
	     m0.free_pages, m1.free_pages,
	     (long)(m1.free_pages - m0.free_pages), st.enabled ? "on" : "off",
	     st.prefault_active);
	CHECK_EQ(t.bad, 0);
	CHECK_EQ(t.not_off, 0);
	CHECK(t.hits > 0);
	CHECK_EQ(m1.free_pages, m0.free_pages);
	CHECK_EQ(st.prefault_active, 0);
	CHECK_EQ(st.proc_enabled, 0);
	if (solo) {
		CHECK_EQ(st.enabled, 0);
		CHECK_EQ(st.table_valid, 0);
		CHECK(t.fb_disabled > 0); /* the when == 2 cycles */
	}
	return utest_done();
}
