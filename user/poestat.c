/*
 * poestat - print the POE pipeline's counters (struct poe_stats from the
 * private call poe_stats, 1002; include/uapi/poe.h, docs/poe.md) as a
 * table: configuration, the fast path's hits and fall-backs with the hit
 * rate, the background work with the ticks it spent (and the pre-fault
 * marking throughput in pages per ms when the TSC rate is known), the
 * tables now, and the calling process.
 *
 *   poestat
 *
 * On Linux, or on a kernel without POE, the call is missing: poestat says
 * so and exits 1.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <poe.h>

static void field(const char *name, unsigned long v, const char *what)
{
	printf("  %-18s %12lu  %s\n", name, v, what);
}

/* a / b as a decimal with two places, or "-" when b is 0. */
static const char *ratio(char *buf, size_t size, unsigned long a,
			 unsigned long b, unsigned long scale)
{
	unsigned long long x;

	if (!b) {
		snprintf(buf, size, "-");
		return buf;
	}
	x = (unsigned long long)a * scale * 100 / b;
	snprintf(buf, size, "%llu.%02llu", x / 100, x % 100);
	return buf;
}

int main(void)
{
	struct poe_stats st;
	unsigned long fallbacks, faults;
	char b1[32];
	long n;

	memset(&st, 0, sizeof(st));
	n = poe_get_stats(&st);
	if (n < 0) {
		printf("poestat: poe_stats (%d) is missing here: %s (%s)\n",
		       __NR_poe_stats, strerror(errno),
		       errno == ENOSYS ? "Linux, or a kernel without POE" : "error");
		return 1;
	}
	if ((size_t)n < sizeof(st))
		printf("poestat: the kernel filled %ld of %zu bytes; the rest "
		       "reads 0\n", n, sizeof(st));

	fallbacks = poe_fallbacks(&st);
	faults = st.hits + fallbacks;

	printf("configuration\n");
	field("enabled", st.enabled, "tables exist (some mm has POE on)");
	field("nr_entries", st.nr_entries, "table entries per CPU (poe.entries=)");
	field("period_ms", st.period_ms, "post-fault work period (poe.period_ms=)");
	field("low_watermark", st.low_watermark, "refill kick below this (poe.low=)");
	field("nr_cpus", st.nr_cpus, "");
	field("tsc_khz", st.tsc_khz, "ticks per ms");

	printf("fast path (emulated walker in the #PF stub)\n");
	field("hits", st.hits, "faults it resolved");
	field("fb_not_poeable", st.fb_not_poeable, "fall-back: outside any VM_POE region");
	field("fb_not_marked", st.fb_not_marked, "fall-back: PTE not yet marked");
	field("fb_table_empty", st.fb_table_empty, "fall-back: tail entry not valid");
	field("fb_pte_locked", st.fb_pte_locked, "fall-back: PTE lock held");
	field("fb_table_locked", st.fb_table_locked, "fall-back: table lock held");
	field("fb_disabled", st.fb_disabled, "fall-back: this CPU's POE register off");
	printf("  %-18s %12s  %% of the faults in VM_POE regions (hits + "
	       "fall-backs except fb_not_poeable)\n", "hit rate",
	       ratio(b1, sizeof(b1), st.hits, faults - st.fb_not_poeable, 100));
	printf("  %-18s %12s  %% of all user not-present faults it saw\n",
	       "hit rate, all", ratio(b1, sizeof(b1), st.hits, faults, 100));

	printf("background work\n");
	field("prealloc_pages", st.prealloc_pages, "zeroed pages put into tables");
	field("postfault_entries", st.postfault_entries, "used entries post-processed");
	field("postfault_runs", st.postfault_runs, "runs of the delayed work");
	field("error_recoveries", st.error_recoveries, "used entries taken by error handling");
	field("prefault_threads", st.prefault_threads, "pre-fault threads started");
	field("prefault_pages", st.prefault_pages, "PTEs marked POEable");
	field("prefault_ticks", st.prefault_ticks, "ticks marking");
	field("postfault_ticks", st.postfault_ticks, "ticks post-processing");
	field("refill_ticks", st.refill_ticks, "ticks refilling (zeroing included)");
	field("background ticks", st.prefault_ticks + st.postfault_ticks +
	      st.refill_ticks, "all three: the work moved off the fault path");
	if (st.tsc_khz)
		printf("  %-18s %12s  pages per ms of marking\n", "marking rate",
		       ratio(b1, sizeof(b1), st.prefault_pages,
			     st.prefault_ticks, st.tsc_khz));
	printf("  %-18s %12s  ticks per pre-allocated page\n", "refill cost",
	       ratio(b1, sizeof(b1), st.refill_ticks, st.prealloc_pages, 1));

	printf("tables now\n");
	field("table_valid", st.table_valid, "valid entries, all CPUs");
	field("table_used", st.table_used, "used entries awaiting post-fault");
	field("prefault_active", st.prefault_active, "pre-fault threads not done");
	field("lru_active", st.lru_active, "pages on the active LRU list");

	printf("this process\n");
	field("proc_enabled", st.proc_enabled, "POE on for this mm");
	field("proc_rss", st.proc_rss, "mapped user pages");
	field("proc_nr_ptes", st.proc_nr_ptes, "page-table pages");
	field("proc_pending", st.proc_pending, "used entries not yet post-processed");
	return 0;
}
