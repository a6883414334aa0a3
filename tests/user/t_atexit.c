/*
 * t_atexit - exit() runs atexit handlers last-registered first, and
 * flushes stdout; _exit() runs none. Checked through a child's exit code:
 * the first-registered handler runs last and _exits with the order seen.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_atexit"
#include "utest.h"

static int order;

static void h1(void)
{
	_exit(order == 32 ? 42 : 10 + order % 10);
}
static void h2(void)
{
	order = order * 10 + 2;
}
static void h3(void)
{
	order = order * 10 + 3;
}

static int child_exit(void *arg)
{
	(void)arg;
	atexit(h1);
	atexit(h2);
	atexit(h3);
	exit(0);
}

static int child__exit(void *arg)
{
	(void)arg;
	atexit(h1);
	_exit(9);
}

int main(void)
{
	int status;

	status = run_child(child_exit, NULL);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 42);
	status = run_child(child__exit, NULL);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 9);
	return utest_done();
}
