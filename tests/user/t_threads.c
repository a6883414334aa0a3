/*
 * t_threads - four threads (<thread.h>: clone with CLONE_VM|CLONE_THREAD..)
 * share memory: each adds 1 to a shared atomic counter 10000 times and
 * writes its tid to its own slot; thread_join returns each result. The
 * threads share the pid, have their own tids, and see the main thread's
 * stack and globals.
 * Under glibc the threads must not call glibc functions that use TLS
 * (stdio, malloc): they have none of their own. They only do atomics and
 * raw syscalls here.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_threads"
#include "utest.h"
#include <sched.h>
#include <sys/syscall.h>
#include <thread.h>

#define NTHREADS 4
#define ITERS	 10000

static int counter;
static long tids[NTHREADS];
static long pids[NTHREADS];

struct arg {
	int index;
	int *on_main_stack;
};

/* worker - note its pid and tid, then add to counter ITERS times. */
static void *worker(void *p)
{
	struct arg *a = p;
	int i;

	pids[a->index] = syscall(SYS_getpid);
	tids[a->index] = syscall(SYS_gettid);
	for (i = 0; i < ITERS; i++) {
		__atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
		if (i % 1000 == 0)
			syscall(SYS_sched_yield);
	}
	__atomic_fetch_add(a->on_main_stack, 1, __ATOMIC_SEQ_CST);
	return (void *)(long)(1000 + a->index);
}

int main(void)
{
	thread_t t[NTHREADS];
	struct arg args[NTHREADS];
	int on_stack = 0, i, j, created = 0;

	for (i = 0; i < NTHREADS; i++) {
		int e;

		args[i].index = i;
		args[i].on_main_stack = &on_stack;
		e = thread_create(&t[i], worker, &args[i]);
		if (e) {
			diag("FAIL thread_create %d: %s", i, strerror(e));
			utest_failures++;
			break;
		}
		created++;
	}
	for (i = 0; i < created; i++) {
		void *ret = NULL;

		CHECK_EQ(thread_join(t[i], &ret), 0);
		CHECK_EQ((long)ret, 1000 + i);
	}
	CHECK_EQ(counter, created * ITERS);
	CHECK_EQ(on_stack, created);
	for (i = 0; i < created; i++) {
		CHECK_EQ(pids[i], getpid());
		CHECK(tids[i] != getpid());
		CHECK(tids[i] > 0);
		for (j = 0; j < i; j++)
			CHECK(tids[i] != tids[j]);
	}
	diag("%d threads, counter %d", created, counter);
	return utest_done();
}
