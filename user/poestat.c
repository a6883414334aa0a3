/*
 * poestat - print the POE pipeline's counters (struct poe_stats from the
 * private call poe_stats, 1002; include/uapi/poe.h, docs/poe.md) as a
 * table: configuration, the fast path's hits and fall-backs with the hit
 * rate, the background work with the ticks it spent (and the pre-fault
 * marking throughput in pages per ms when the TSC rate is known), the
 * tables now, and the calling process. Each counter's row, its name and
 * its meaning come from the list that defines struct poe_stats
 * (POE_STATS_FIELDS), so a new counter shows up here by itself.
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

struct row {
	const char *name;
	size_t offset; /* in struct poe_stats */
	const char *what;
};

#define ROW(name, what) { #name, offsetof(struct poe_stats, name), what },
static const struct row rows[] = { POE_STATS_FIELDS(ROW, ROW, ROW, ROW, ROW) };
#undef ROW

#define AT(field) offsetof(struct poe_stats, field)

/* Print the fields of *st from offset first up to (not including) end. */
static void rows_between(const struct poe_stats *st, size_t first, size_t end)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];

		if (r->offset >= first && r->offset < end)
			printf("  %-18s %12lu  %s\n", r->name,
			       *(const unsigned long *)((const char *)st +
							r->offset),
			       r->what);
	}
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
		       errno == ENOSYS ? "Linux, or a kernel without POE" :
					 "error");
		return 1;
	}
	if ((size_t)n < sizeof(st))
		printf("poestat: the kernel filled %ld of %zu bytes; the rest "
		       "reads 0\n",
		       n, sizeof(st));

	fallbacks = poe_fallbacks(&st);
	faults = st.hits + fallbacks;

	printf("configuration\n");
	rows_between(&st, AT(enabled), AT(hits));

	printf("fast path (emulated walker in the #PF stub)\n");
	rows_between(&st, AT(hits), AT(prealloc_pages));
	printf("  %-18s %12s  %% of the faults in VM_POE regions (hits + "
	       "fall-backs except fb_not_poeable)\n",
	       "hit rate",
	       ratio(b1, sizeof(b1), st.hits, faults - st.fb_not_poeable, 100));
	printf("  %-18s %12s  %% of all user not-present faults it saw\n",
	       "hit rate, all", ratio(b1, sizeof(b1), st.hits, faults, 100));

	printf("background work\n");
	rows_between(&st, AT(prealloc_pages), AT(table_valid));
	printf("  %-18s %12lu  %s\n", "background ticks",
	       st.prefault_ticks + st.postfault_ticks + st.refill_ticks,
	       "all three: the work moved off the fault path");
	if (st.tsc_khz)
		printf("  %-18s %12s  pages per ms of marking\n",
		       "marking rate",
		       ratio(b1, sizeof(b1), st.prefault_pages,
			     st.prefault_ticks, st.tsc_khz));
	printf("  %-18s %12s  ticks per pre-allocated page\n", "refill cost",
	       ratio(b1, sizeof(b1), st.refill_ticks, st.prealloc_pages, 1));

	printf("tables now\n");
	rows_between(&st, AT(table_valid), AT(proc_enabled));

	printf("this process\n");
	rows_between(&st, AT(proc_enabled), AT(refill_policy));

	printf("refills: who zeroes, and how long tasks waited\n");
	rows_between(&st, AT(refill_policy), sizeof(st));
	return 0;
}
