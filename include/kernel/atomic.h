/*
 * atomic.h - atomic integers, as Linux's <linux/atomic.h>: atomic_t and
 * atomic_long_t wrap a plain integer so that it is only ever touched
 * through these calls, each one a single locked instruction (or a
 * cmpxchg loop) that is atomic against every CPU, not only against
 * interrupts. The ordering of each call is Linux's: the plain calls are
 * relaxed, those ending _acquire/_release order like a lock's take and
 * release, and the ones that return a value are fully ordered.
 *
 * Also stat_add() for statistics counters that are plain unsigned longs
 * because user space and tests read them as such (mm->faults,
 * poe_counters): ours; Linux keeps such event counts per CPU
 * (count_vm_event()) and sums them when read.
 */
#ifndef KERNEL_ATOMIC_H
#define KERNEL_ATOMIC_H

#include <kernel/compiler.h>
#include <kernel/types.h>

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic_long_t;

#define ATOMIC_INIT(i) \
	{              \
		(i)    \
	}
#define ATOMIC_LONG_INIT(i) ATOMIC_INIT(i)

/* atomic_read / atomic_set - one plain load or store (Linux's). */
static inline int atomic_read(const atomic_t *v)
{
	return READ_ONCE(v->counter);
}

static inline void atomic_set(atomic_t *v, int i)
{
	WRITE_ONCE(v->counter, i);
}

/* atomic_inc / atomic_dec - add or subtract 1, relaxed (Linux's). */
static inline void atomic_inc(atomic_t *v)
{
	__atomic_fetch_add(&v->counter, 1, __ATOMIC_RELAXED);
}

static inline void atomic_dec(atomic_t *v)
{
	__atomic_fetch_sub(&v->counter, 1, __ATOMIC_RELAXED);
}

/* atomic_add_return - add i, return the new value; fully ordered. */
static inline int atomic_add_return(int i, atomic_t *v)
{
	return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);
}

/* atomic_dec_and_test - subtract 1; true when the result is 0. Fully
 * ordered, so the last user sees every earlier user's writes (Linux's). */
static inline bool atomic_dec_and_test(atomic_t *v)
{
	return __atomic_sub_fetch(&v->counter, 1, __ATOMIC_SEQ_CST) == 0;
}

static inline long atomic_long_read(const atomic_long_t *v)
{
	return READ_ONCE(v->counter);
}

static inline void atomic_long_set(atomic_long_t *v, long i)
{
	WRITE_ONCE(v->counter, i);
}

/* atomic_long_add_return_acquire - add i, return the new value; later
 * loads and stores stay after it (a lock taken). */
static inline long atomic_long_add_return_acquire(long i, atomic_long_t *v)
{
	return __atomic_add_fetch(&v->counter, i, __ATOMIC_ACQUIRE);
}

/* atomic_long_sub_return_release - subtract i, return the new value;
 * earlier loads and stores stay before it (a lock released). */
static inline long atomic_long_sub_return_release(long i, atomic_long_t *v)
{
	return __atomic_sub_fetch(&v->counter, i, __ATOMIC_RELEASE);
}

/* atomic_long_add - add i, relaxed. */
static inline void atomic_long_add(long i, atomic_long_t *v)
{
	__atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED);
}

/* atomic_long_fetch_or / atomic_long_fetch_andnot - set or clear the
 * bits of i, return the old value; fully ordered. */
static inline long atomic_long_fetch_or(long i, atomic_long_t *v)
{
	return __atomic_fetch_or(&v->counter, i, __ATOMIC_SEQ_CST);
}

static inline long atomic_long_fetch_andnot(long i, atomic_long_t *v)
{
	return __atomic_fetch_and(&v->counter, ~i, __ATOMIC_SEQ_CST);
}

/*
 * atomic_long_try_cmpxchg_acquire - if *v is *old, store new and return
 * true (acquire order); else load *v into *old and return false. Linux's.
 */
static inline bool atomic_long_try_cmpxchg_acquire(atomic_long_t *v, long *old,
						   long new)
{
	return __atomic_compare_exchange_n(&v->counter, old, new, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/*
 * stat_add - add n to the statistics counter *p atomically (one locked
 * add, relaxed: nothing is ordered by a statistic). Ours; see the top.
 */
static inline void stat_add(unsigned long *p, unsigned long n)
{
	__atomic_fetch_add(p, n, __ATOMIC_RELAXED);
}

#endif
