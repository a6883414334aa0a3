/*
 * p_pthread - POSIX threads of the C library beyond creation: joining a
 * thread that is still running (the joiner sleeps on the thread's tid
 * futex, woken by CLONE_CHILD_CLEARTID at its exit), a condition
 * variable handing values back and forth between two threads (futex
 * wait/wake; glibc's use FUTEX_WAIT_BITSET), and __thread variables,
 * one copy per thread (the TLS block set up by clone's CLONE_SETTLS).
 */
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "ptest.h"

static __thread int tls_counter = 7;
static __thread char tls_buf[64];

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int turn, rounds_done;
static volatile int stop_spin; /* spin() runs until it is set */

#define ROUNDS 200

static void *slow(void *arg)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	nanosleep(&ts, NULL); /* main is in pthread_join by now */
	tls_counter += (int)(intptr_t)arg;
	snprintf(tls_buf, sizeof(tls_buf), "thread %d", tls_counter);
	return (void *)(intptr_t)(tls_counter * 10 + (tls_buf[7] == '1'));
}

/* Ping-pong: this thread waits for turn == 1 and sets it to 0. */
static void *pong(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		while (turn != 1)
			pthread_cond_wait(&cond, &lock);
		turn = 0;
		rounds_done++;
		pthread_cond_broadcast(&cond);
		pthread_mutex_unlock(&lock);
	}
	return &tls_counter; /* its own copy: a different address */
}

static void *spin(void *arg)
{
	(void)arg;
	while (!stop_spin)
		;
	return NULL;
}

static void *stop_later(void *arg)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	(void)arg;
	nanosleep(&ts, NULL);
	stop_spin = 1;
	return NULL;
}

int main(void)
{
	pthread_t t;
	void *ret;

	snprintf(tls_buf, sizeof(tls_buf), "main");
	CHECK_EQ(pthread_create(&t, NULL, slow, (void *)(intptr_t)5), 0);
	CHECK_EQ(pthread_join(t, &ret), 0); /* while it sleeps */
	CHECK_EQ((intptr_t)ret, 121); /* its tls_counter 12, "thread 12" */
	CHECK_EQ(tls_counter, 7);     /* main's copy untouched */
	CHECK(strcmp(tls_buf, "main") == 0);

	CHECK_EQ(pthread_create(&t, NULL, pong, NULL), 0);
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		turn = 1;
		pthread_cond_broadcast(&cond);
		while (turn != 0)
			pthread_cond_wait(&cond, &lock);
		pthread_mutex_unlock(&lock);
	}
	CHECK_EQ(pthread_join(t, &ret), 0);
	CHECK_EQ(rounds_done, ROUNDS);
	CHECK(ret != NULL && ret != (void *)&tls_counter);

	/* A timed wait that times out: nobody signals. */
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 20 * 1000 * 1000;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&lock);
	CHECK_EQ(pthread_cond_timedwait(&cond, &lock, &until), ETIMEDOUT);
	pthread_mutex_unlock(&lock);

	/* Join a thread that is running (spinning, not blocked) when join
	 * starts; a third thread stops it later. */
	pthread_t stopper;

	CHECK_EQ(pthread_create(&t, NULL, spin, NULL), 0);
	CHECK_EQ(pthread_create(&stopper, NULL, stop_later, NULL), 0);
	CHECK_EQ(pthread_join(t, &ret), 0);
	CHECK(ret == NULL && stop_spin);
	CHECK_EQ(pthread_join(stopper, NULL), 0);
	return pt_done("p_pthread");
}
