/*
 * ktest.c - running in-kernel tests and printing KTAP (include/kernel/
 * ktest.h). Tests are registered by KTEST() into .ktest_cases; kmain calls
 * ktest_run() when the command line has test=FILTER.
 */
#include <kernel/ktest.h>
#include <kernel/sections.h>
#include <kernel/string.h>
#include <mm/page_alloc.h>

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt,
		...)
{
	va_list ap;

	t->failed = true;
	printk("# %s.%s: %s:%d: ", t->suite, t->name, file, line);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
}

static bool selected(const struct ktest_case *c, const char *filter)
{
	size_t n = strlen(c->suite);

	if (strcmp(filter, "all") == 0 || strcmp(filter, c->suite) == 0)
		return true;
	return strncmp(filter, c->suite, n) == 0 && filter[n] == '.' &&
	       strcmp(filter + n + 1, c->name) == 0;
}

int ktest_run(const char *filter)
{
	const struct ktest_case *c;
	int total = 0, num = 0, failed = 0;

	for (c = __start_ktest_cases; c < __stop_ktest_cases; c++)
		total += selected(c, filter);
	printk("KTAP version 1\n");
	printk("1..%d\n", total);
	if (!total) {
		printk("# no test matches test=%s\n", filter);
		return -1;
	}
	for (c = __start_ktest_cases; c < __stop_ktest_cases; c++) {
		struct ktest t = { c->suite, c->name, false, NULL };
		unsigned long free_before = nr_free_pages();

		if (!selected(c, filter))
			continue;
		num++;
		ktest_srand(0x5eed0000ULL + num); /* repeatable per test */
		c->fn(&t);
		/* A test must give back every page it took: leaks fail it. */
		if (!t.failed && !t.skip_reason &&
		    nr_free_pages() != free_before)
			ktest_fail(&t, __FILE__, __LINE__,
				   "leaked %ld pages (free before %lu, after %lu)",
				   (long)(free_before - nr_free_pages()),
				   free_before, nr_free_pages());
		if (t.skip_reason)
			printk("ok %d %s.%s # SKIP %s\n", num, c->suite,
			       c->name, t.skip_reason);
		else
			printk("%sok %d %s.%s\n", t.failed ? "not " : "", num,
			       c->suite, c->name);
		failed += t.failed;
	}
	printk("# %d tests, %d failed\n", total, failed);
	return failed;
}
