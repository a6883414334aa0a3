/*
 * t_mm_fork - private and shared anonymous memory across fork (man 2 fork,
 * MAP_SHARED in man 2 mmap): a child's write to a private page is invisible
 * to the parent and the parent's to the child (pages written, only read, or
 * never touched before the fork); a MAP_SHARED|MAP_ANONYMOUS mapping is
 * shared both ways, including its pages never touched before the fork.
 *
 * Parent and child take turns through flags in the shared mapping.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_fork"
#include "utest.h"
#include "mm_util.h"
#include <sched.h>
#include <time.h>

/* Private pages: 0 written before fork, 1 read before fork, 2 untouched. */
#define NPRIV	3
/* Shared: page 0 holds the flags, 1 written before fork, 2 untouched. */
#define NSHARED 3

enum {
	CHILD_WROTE = 0,
	PARENT_WROTE = 1,
	CHILD_DONE = 2
};

static volatile unsigned char *priv, *shared;

/* wait_flag - spin (pausing and yielding: utest.h's cpu_relax()) until
 * the other process sets shared[flag]; 1, or 0 after 20 s. */
static int wait_flag(int flag)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!shared[flag]) {
		cpu_relax();
		sched_yield();
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 20)
			return 0;
	}
	__sync_synchronize();
	return 1;
}

/* set_flag - publish this process's writes, then shared[flag] = 1. */
static void set_flag(int flag)
{
	__sync_synchronize();
	shared[flag] = 1;
}

/* Exit codes say which check failed. */
static int child(void)
{
	int i;

	for (i = 0; i < NPRIV; i++)
		if (priv[i * PAGE] != (i == 0 ? 0x10 : 0))
			return 10 + i; /* the fork copied it */
	if (shared[PAGE] != 0x20 || shared[2 * PAGE] != 0)
		return 20;
	for (i = 0; i < NPRIV; i++)
		priv[i * PAGE] = 0xc0 + i;
	shared[PAGE + 1] = 0xc1;
	shared[2 * PAGE + 1] = 0xc2;
	set_flag(CHILD_WROTE);
	if (!wait_flag(PARENT_WROTE))
		return 30;
	for (i = 0; i < NPRIV; i++)
		if (priv[i * PAGE] != 0xc0 + i || priv[i * PAGE + 1] != 0)
			return 40 + i; /* saw the parent's write */
	if (shared[PAGE + 2] != 0xa1 || shared[2 * PAGE + 2] != 0xa2)
		return 50; /* missed the parent's */
	return 0;
}

int main(void)
{
	const int rw = PROT_READ | PROT_WRITE;
	int i, status;
	pid_t pid;

	priv = map_anon(NPRIV * PAGE, rw);
	shared = mmap(NULL, NSHARED * PAGE, rw, MAP_SHARED | MAP_ANONYMOUS, -1,
		      0);
	CHECK(priv != MAP_FAILED && shared != MAP_FAILED);
	if (priv == MAP_FAILED || shared == MAP_FAILED)
		return utest_done();
	priv[0] = 0x10;
	CHECK_EQ(priv[PAGE], 0);
	shared[PAGE] = 0x20;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(child());
	CHECK(pid > 0);
	if (pid < 0)
		return utest_done();

	CHECK(wait_flag(CHILD_WROTE));
	for (i = 0; i < NPRIV; i++)
		CHECK_EQ(priv[i * PAGE],
			 i == 0 ? 0x10 : 0); /* not the child's */
	CHECK_EQ(shared[PAGE + 1], 0xc1);
	CHECK_EQ(shared[2 * PAGE + 1], 0xc2);
	CHECK_EQ(shared[PAGE], 0x20);
	for (i = 0; i < NPRIV; i++)
		priv[i * PAGE + 1] = 0xa0 + i;
	shared[PAGE + 2] = 0xa1;
	shared[2 * PAGE + 2] = 0xa2;
	set_flag(PARENT_WROTE);

	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		describe_status("child (exit code = the failed check)", status);
	for (i = 0; i < NPRIV; i++) {
		CHECK_EQ(priv[i * PAGE], i == 0 ? 0x10 : 0);
		CHECK_EQ(priv[i * PAGE + 1], 0xa0 + i);
	}

	/* After the child is gone the parent's private pages are its own
	 * again (no copy left behind that would still be read-only). */
	for (i = 0; i < NPRIV; i++)
		priv[i * PAGE + 2] = 0xb0 + i;
	for (i = 0; i < NPRIV; i++)
		CHECK_EQ(priv[i * PAGE + 2], 0xb0 + i);
	CHECK_EQ(shared[2 * PAGE + 1], 0xc2);

	/* Many children each write their own copy of the same page. */
	for (i = 0; i < 8; i++) {
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			priv[3] = (unsigned char)i;
			shared[2 * PAGE + 100 + i] = priv[3] + 1;
			_exit(priv[0] == 0x10 ? 0 : 1);
		}
		CHECK(pid > 0);
		if (pid > 0) {
			CHECK_EQ(waitpid(pid, &status, 0), pid);
			CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		}
	}
	CHECK_EQ(priv[3], 0);
	for (i = 0; i < 8; i++)
		CHECK_EQ(shared[2 * PAGE + 100 + i], i + 1);

	munmap((void *)priv, NPRIV * PAGE);
	munmap((void *)shared, NSHARED * PAGE);
	return utest_done();
}
