/*
 * t_mm_stack - the stack grows down on demand: recursing through 2 MiB of
 * stack (far past the 128 KiB mapped at exec here, well inside Linux's
 * default 8 MiB limit) works, and every frame keeps its own data. Run in a
 * child, so that a failure shows as a signal instead of ending the test.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_stack"
#include "utest.h"

#define FRAME 4096
#define DEPTH 512 /* 512 x 4 KiB = 2 MiB */

/* recurse - depth + 1 nested 4 KiB frames, each checked on the way back;
 * returns depth + 1, or a large negative number if a frame changed. */
static int recurse(int depth)
{
	volatile char frame[FRAME];
	int sum;

	frame[0] = (char)depth;
	frame[FRAME - 1] = (char)(depth * 3);
	sum = depth ? recurse(depth - 1) : 0;
	if (frame[0] != (char)depth || frame[FRAME - 1] != (char)(depth * 3))
		return -1000000; /* a frame was overwritten */
	return sum + 1;
}

/* deep - a child body: recurse DEPTH frames; 0 when all were intact. */
static int deep(void *arg)
{
	(void)arg;
	return recurse(DEPTH - 1) == DEPTH ? 0 : 1;
}

int main(void)
{
	int status = run_child(deep, NULL);

	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (WIFSIGNALED(status))
		diag("FAIL the child died with signal %d", WTERMSIG(status));
	return utest_done();
}
