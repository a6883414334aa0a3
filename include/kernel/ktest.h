/*
 * ktest.h - the in-kernel test framework (kernel/ktest.c), a small cousin
 * of Linux's KUnit. A test is a function registered with KTEST(suite,
 * name); the kernel runs the tests the `test=` command-line word selects
 * and prints KTAP version 1 (flat: one plan, one result line per test):
 *
 *   KTAP version 1
 *   1..N
 *   # page_alloc.alloc_all_free_all: <diagnostic lines, when it fails>
 *   ok 1 page_alloc.alloc_all_free_all
 *   not ok 2 kmalloc.sizes
 *   ok 3 timer.ticks # SKIP no LAPIC
 *
 * test=all runs every test; test=SUITE runs one suite; test=SUITE.NAME one
 * test. tools/run_tests.py turns the output into `N passed, N failed`.
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <kernel/compiler.h>
#include <kernel/types.h>
#include <kernel/printk.h>

struct ktest {
	const char *suite;
	const char *name;
	bool failed;
	const char *skip_reason;	/* non-NULL: report # SKIP */
};

struct ktest_case {
	const char *suite;
	const char *name;
	void (*fn)(struct ktest *t);
};

/* Define and register a test: KTEST(kmalloc, sizes) { ... uses t ... } */
#define KTEST(suite_, name_)						\
	static void ktest_fn_##suite_##_##name_(struct ktest *t);	\
	static const struct ktest_case ktest_case_##suite_##_##name_	\
		__section(".ktest_cases") __used __aligned(8) = {	\
		#suite_, #name_, ktest_fn_##suite_##_##name_ };		\
	static void ktest_fn_##suite_##_##name_(struct ktest *t)

/* ktest_fail - mark the test failed and print a KTAP diagnostic line. */
void ktest_fail(struct ktest *t, const char *file, int line,
		const char *fmt, ...) __printf(4, 5);

/* Record a failure but keep going (KUnit's EXPECT). */
#define KTEST_EXPECT(t, cond)						\
	do { if (!(cond))						\
		ktest_fail(t, __FILE__, __LINE__, "expected %s", #cond); \
	} while (0)

#define KTEST_EXPECT_EQ(t, a, b)					\
	do { long long _a = (long long)(a), _b = (long long)(b);	\
		if (_a != _b)						\
			ktest_fail(t, __FILE__, __LINE__,		\
				   "expected %s == %s, got %lld != %lld", \
				   #a, #b, _a, _b);			\
	} while (0)

/* Record a failure and leave the test function (KUnit's ASSERT). */
#define KTEST_ASSERT(t, cond)						\
	do { if (!(cond)) {						\
		ktest_fail(t, __FILE__, __LINE__, "assertion %s", #cond); \
		return;							\
	} } while (0)

#define KTEST_SKIP(t, reason)	do { (t)->skip_reason = (reason); return; } while (0)

/*
 * ktest_run - run the tests that `filter` selects ("all", a suite, or
 * suite.name) and print KTAP. Returns the number of failed tests, or -1
 * when the filter matches no test (printed as a failed plan `1..0`).
 */
int ktest_run(const char *filter);

/* A pseudo-random generator for tests (xorshift64*), seedable for repeats. */
u64 ktest_rand(void);
void ktest_srand(u64 seed);

/* test=oops_pf (tests/kernel/test_oops.c): a kernel #PF on purpose. */
void ktest_pf_oops(void);

#endif
