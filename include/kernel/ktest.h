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
	const char *skip_reason; /* non-NULL: report # SKIP */
};

struct ktest_case {
	const char *suite;
	const char *name;
	void (*fn)(struct ktest *t);
};

/* Define and register a test: KTEST(kmalloc, sizes) { ... uses t ... } */
#define KTEST(suite_, name_)                                                    \
	static void ktest_fn_##suite_##_##name_(struct ktest *t);               \
	static const struct ktest_case ktest_case_##suite_##_##name_ __section( \
		".ktest_cases")                                                 \
		__used __aligned(8) = { #suite_, #name_,                        \
					ktest_fn_##suite_##_##name_ };          \
	static void ktest_fn_##suite_##_##name_(struct ktest *t)

/*
 * ktest_fail - mark t failed and print one KTAP diagnostic line,
 * "# suite.name: file:line: message". The test goes on (return to stop
 * it). What KUnit's KUNIT_FAIL() does.
 */
void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt,
		...) __printf(4, 5);

/* Record a failure but keep going (KUnit's EXPECT). */
#define KTEST_EXPECT(t, cond)                                            \
	do {                                                             \
		if (!(cond))                                             \
			ktest_fail(t, __FILE__, __LINE__, "expected %s", \
				   #cond);                               \
	} while (0)

#define KTEST_EXPECT_EQ(t, a, b)                                              \
	do {                                                                  \
		long long _a = (long long)(a), _b = (long long)(b);           \
		if (_a != _b)                                                 \
			ktest_fail(t, __FILE__, __LINE__,                     \
				   "expected %s == %s, got %lld != %lld", #a, \
				   #b, _a, _b);                               \
	} while (0)

/* Record a failure and leave the test function (KUnit's ASSERT). */
#define KTEST_ASSERT(t, cond)                                             \
	do {                                                              \
		if (!(cond)) {                                            \
			ktest_fail(t, __FILE__, __LINE__, "assertion %s", \
				   #cond);                                \
			return;                                           \
		}                                                         \
	} while (0)

#define KTEST_SKIP(t, reason)                \
	do {                                 \
		(t)->skip_reason = (reason); \
		return;                      \
	} while (0)

/*
 * ktest_run - run the tests that `filter` selects ("all", a suite, or
 * suite.name) and print KTAP. Each test starts from a fixed ktest_srand()
 * seed, and fails if it leaves fewer free pages than it found. Returns
 * the number of failed tests, or -1 when the filter matches no test
 * (printed as an empty plan `1..0`). KUnit's kunit_run_tests(), flat.
 */
int ktest_run(const char *filter);

/*
 * ktest_rand - the next number of a pseudo-random sequence (xorshift64*,
 * kernel/ktest_rand.c): test data, never security. ktest_run() reseeds
 * before each test, so a failure repeats with the same numbers; the host
 * unit tests link the same generator.
 */
u64 ktest_rand(void);

/* ktest_srand - restart the sequence from seed (0 picks the default seed). */
void ktest_srand(u64 seed);

/*
 * ktest_shuffle - put the nmemb elements of size bytes at base in a
 * random order drawn from ktest_rand() (Fisher-Yates). Our own helper.
 */
void ktest_shuffle(void *base, size_t nmemb, size_t size);

/*
 * ktest_pf_oops - test=oops_pf (tests/kernel/test_oops.c): read an
 * unmapped kernel address through ktest_pf_oops_trigger(), so that the
 * #PF handler prints its report and panics. Returns only when the read
 * did not fault, which kmain reports as a failed test.
 */
void ktest_pf_oops(void);

#endif
