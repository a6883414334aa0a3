/*
 * p_threads - threads as a C library makes them: pthread_create(3) (clone
 * with CLONE_DETACHED under musl, clone3 then clone under glibc),
 * pthread_join(3) (CLONE_CHILD_CLEARTID and FUTEX_WAIT), a mutex and a
 * condition variable (musl's broadcast requeues), thread-local storage;
 * then the futex operations themselves through syscall(): WAIT_BITSET
 * and WAKE_BITSET, absolute timeouts on both clocks, REQUEUE and
 * CMP_REQUEUE, and set_robust_list(2)/get_robust_list(2).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include "ptest.h"

/* Linux's <linux/futex.h>, which musl's headers do not have. */
#define FUTEX_WAIT	     0
#define FUTEX_WAKE	     1
#define FUTEX_REQUEUE	     3
#define FUTEX_CMP_REQUEUE    4
#define FUTEX_WAIT_BITSET    9
#define FUTEX_WAKE_BITSET    10
#define FUTEX_PRIVATE_FLAG   128
#define FUTEX_CLOCK_REALTIME 256

struct robust_list {
	struct robust_list *next;
};

struct robust_list_head {
	struct robust_list list;
	long futex_offset;
	struct robust_list *list_op_pending;
};

#define NTHREADS 4
#define ROUNDS	 1000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int go, ready;
static __thread int tls_value = 7;

static void *worker(void *arg)
{
	long id = (long)arg;

	tls_value = (int)id; /* each thread its own copy */
	pthread_mutex_lock(&lock);
	ready++;
	pthread_cond_broadcast(&cond);
	while (!go)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return (void *)(long)(tls_value * 10);
}

static long futex(uint32_t *uaddr, int op, uint32_t val, const void *timeout,
		  uint32_t *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3);
}

static uint32_t f1, f2;
static long waiter_ret = 99;

/* Wait on f1 (value 0) with bitset 1 until woken, wherever it was moved. */
static void *bitset_waiter(void *arg)
{
	(void)arg;
	waiter_ret = futex(&f1, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, NULL,
			   NULL, 1);
	return NULL;
}

/* Call op until it reports one waiter (the thread may not wait yet). */
static long until_one(uint32_t *uaddr, int op, uint32_t val, long val2,
		      uint32_t *uaddr2, uint32_t val3)
{
	struct timespec ms = { 0, 1000 * 1000 };
	long r = 0;

	for (int i = 0; i < 5000 && r == 0; i++) {
		r = futex(uaddr, op, val, (void *)val2, uaddr2, val3);
		if (r == 0)
			nanosleep(&ms, NULL);
	}
	return r;
}

static void abs_in(clockid_t c, struct timespec *t, long ns)
{
	clock_gettime(c, t);
	t->tv_nsec += ns;
	while (t->tv_nsec >= 1000000000) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000;
	}
}

int main(void)
{
	pthread_t th[NTHREADS], w;
	struct timespec past = { 0, 1 }, t, now;
	void *ret;
	uint32_t word = 0;
	int made = 0;

	/* pthreads */
	for (long i = 0; i < NTHREADS; i++)
		made += pthread_create(&th[i], NULL, worker, (void *)(i + 1)) ==
			0;
	CHECK_EQ(made, NTHREADS);
	pthread_mutex_lock(&lock);
	while (ready < made)
		pthread_cond_wait(&cond, &lock);
	go = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	for (long i = 0; i < made; i++) {
		CHECK_EQ(pthread_join(th[i], &ret), 0);
		CHECK_EQ((long)ret, (i + 1) * 10);
	}
	CHECK_EQ(counter, (long)made * ROUNDS);
	CHECK_EQ(tls_value, 7);

	/* futex: bitsets, absolute timeouts */
	CHECK_ERR(futex(&word, FUTEX_WAIT_BITSET, 0, NULL, NULL, 0), EINVAL);
	CHECK_ERR(futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0), EINVAL);
	CHECK_EQ(futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 1), 0);
	CHECK_ERR(futex(&word, FUTEX_WAIT_BITSET, 1, NULL, NULL, ~0U), EAGAIN);
	CHECK_ERR(futex(&word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, &past,
			NULL, ~0U),
		  ETIMEDOUT);
	CHECK_ERR(futex(&word, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 0, &past,
			NULL, 0),
		  ENOSYS);
	abs_in(CLOCK_MONOTONIC, &t, 20 * 1000 * 1000);
	CHECK_ERR(futex(&word, FUTEX_WAIT_BITSET, 0, &t, NULL, ~0U), ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &now);
	CHECK(now.tv_sec > t.tv_sec ||
	      (now.tv_sec == t.tv_sec && now.tv_nsec >= t.tv_nsec));
	abs_in(CLOCK_REALTIME, &t, 20 * 1000 * 1000);
	CHECK_ERR(futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &t,
			NULL, ~0U),
		  ETIMEDOUT);
	clock_gettime(CLOCK_REALTIME, &now);
	CHECK(now.tv_sec > t.tv_sec ||
	      (now.tv_sec == t.tv_sec && now.tv_nsec >= t.tv_nsec));

	/* a waiter with bitset 1: a wake of bitset 2 misses it; requeued
	 * from f1 to f2, a wake on f1 misses it, one on f2 finds it */
	CHECK_EQ(futex(&f1, FUTEX_REQUEUE, 1, (void *)1, &f2, 0), 0);
	CHECK_ERR(futex(&f1, FUTEX_CMP_REQUEUE, 1, (void *)1, &f2, 5), EAGAIN);
	CHECK_ERR(futex(&f1, FUTEX_CMP_REQUEUE, -1, (void *)1, &f2, 0), EINVAL);
	CHECK_EQ(pthread_create(&w, NULL, bitset_waiter, NULL), 0);
	CHECK_EQ(until_one(&f1, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 0, 1,
			   &f2, 0),
		 1);
	CHECK_EQ(futex(&f1, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0),
		 0);
	CHECK_EQ(futex(&f2, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 1, NULL,
		       NULL, 2),
		 0);
	CHECK_EQ(futex(&f2, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 1, NULL,
		       NULL, 3),
		 1);
	CHECK_EQ(pthread_join(w, NULL), 0);
	CHECK_EQ(waiter_ret, 0);

	/* FUTEX_REQUEUE of a waiter, then woken where it went */
	waiter_ret = 99;
	CHECK_EQ(pthread_create(&w, NULL, bitset_waiter, NULL), 0);
	CHECK_EQ(until_one(&f1, FUTEX_REQUEUE | FUTEX_PRIVATE_FLAG, 0, 1, &f2,
			   0),
		 1);
	CHECK_EQ(futex(&f2, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0),
		 1);
	CHECK_EQ(pthread_join(w, NULL), 0);
	CHECK_EQ(waiter_ret, 0);

	/* robust lists */
	{
		struct robust_list_head head = { { &head.list }, 0, NULL },
					*got = NULL;
		size_t len = 0;

		CHECK_ERR(syscall(SYS_set_robust_list, &head, sizeof(head) - 1),
			  EINVAL);
		CHECK_EQ(syscall(SYS_set_robust_list, &head, sizeof(head)), 0);
		CHECK_EQ(syscall(SYS_get_robust_list, 0, &got, &len), 0);
		CHECK(got == &head);
		CHECK_EQ(len, sizeof(head));
		CHECK_ERR(syscall(SYS_get_robust_list, 0, (void *)16, &len),
			  EFAULT);
		CHECK_ERR(syscall(SYS_get_robust_list, 0x3ffffff0, &got, &len),
			  ESRCH);
	}
	return pt_done("p_threads");
}
