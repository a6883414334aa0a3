/*
 * test_profile.c - in-kernel tests of the tick profiler (kernel/profile.c):
 * ticks that interrupt a function are counted in that function's buckets,
 * a function that never runs gets none, and stopping frees the buckets.
 */
#include <kernel/errno.h>
#include <kernel/ksyms.h>
#include <kernel/ktest.h>
#include <kernel/profile.h>
#include <kernel/time.h>
#include <mm/page_alloc.h>
#include <asm/irqflags.h>

#define BUSY_SAMPLES 20
#define BUSY_MAX_NS  (5000ULL * 1000 * 1000) /* TCG on a busy host */

/* Samples in the span of the function at addr, from the symbol table. */
static unsigned long hits_in(void (*fn)(void))
{
	unsigned long addr = (unsigned long)fn, off, size;

	if (!ksym_lookup(addr, &off, &size) || off != 0)
		return ~0UL;
	return profile_hits(addr, addr + size);
}

/* Spin with interrupts on until BUSY_SAMPLES ticks landed here, or for
 * BUSY_MAX_NS: the ticks that arrive meanwhile interrupt this function. */
static __attribute__((noinline)) void profile_busy(void)
{
	u64 end = ktime_get_ns() + BUSY_MAX_NS;

	while (hits_in(profile_busy) < BUSY_SAMPLES && ktime_get_ns() < end)
		__asm__ __volatile__("" ::: "memory");
}

/* Never called: its buckets must stay empty. */
static __attribute__((noinline)) void profile_never(void)
{
	__asm__ __volatile__("" ::: "memory");
}

KTEST(profile, counts_where_ticks_land)
{
	unsigned long before = nr_free_pages(), busy, never;
	bool was_on = profile_setup(4) == -EBUSY; /* profile= at boot */

	profile_reset();
	local_irq_enable();
	profile_busy();
	busy = hits_in(profile_busy);
	never = hits_in(profile_never);
	KTEST_EXPECT(t, busy != ~0UL && never != ~0UL); /* symbols found */
	/* The spin stops early only when its ticks were counted here. */
	KTEST_EXPECT(t, busy >= BUSY_SAMPLES && busy != ~0UL);
	KTEST_EXPECT_EQ(t, never, 0);
	if (!was_on) {
		profile_stop();
		KTEST_EXPECT_EQ(t, profile_hits(0, ~0UL), 0); /* off */
		KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	}
}

KTEST(profile, rejects_a_bad_shift)
{
	KTEST_EXPECT_EQ(t, profile_setup(13), -EINVAL);
}
