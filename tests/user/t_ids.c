/*
 * t_ids - getpid, gettid and getppid agree: the main thread's tid is the
 * pid; a child's getpid is what fork returned to the parent and its
 * getppid is the parent's pid; the values are stable across calls.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_ids"
#include "utest.h"

static pid_t parent;

static int child(void *arg)
{
	(void)arg;
	if (getppid() != parent)
		return 1;
	if (getpid() == parent)
		return 2;
	if (gettid() != getpid())
		return 3;
	return 100 + getpid() % 100; /* lets the parent compare */
}

int main(void)
{
	pid_t pid, w;
	int status;

	parent = getpid();
	CHECK(parent > 0);
	CHECK_EQ(gettid(), parent);
	CHECK_EQ(getpid(), parent);
	CHECK(getppid() > 0);
	CHECK(getppid() != parent);

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(child(NULL));
	CHECK(pid > 0);
	w = waitpid(pid, &status, 0);
	CHECK_EQ(w, pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 100 + pid % 100);
	diag("pid %d, ppid %d, child %d", (int)parent, (int)getppid(),
	     (int)pid);
	return utest_done();
}
