/*
 * t_fork_wait - fork and wait with exit codes 0, 1, 42, 255 (and 256,
 * which wait sees as 0); exit() vs _exit(); the child's pid and parent;
 * waiting for a non-child or with no children left is ECHILD.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_fork_wait"
#include "utest.h"

static pid_t parent;

static int exit_with(void *arg)
{
	if (getppid() != parent)
		return 99;
	exit((int)(long)arg); /* through exit(): atexit, stdio flush */
}

static int _exit_with(void *arg)
{
	_exit((int)(long)arg);
}

int main(void)
{
	static const int codes[] = { 0, 1, 42, 255, 256, 7 };
	int status;
	unsigned i;
	pid_t pid;

	parent = getpid();
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		status = run_child(i % 2 ? _exit_with : exit_with,
				   (void *)(long)codes[i]);
		CHECK(WIFEXITED(status));
		CHECK(!WIFSIGNALED(status));
		CHECK_EQ(WEXITSTATUS(status), codes[i] & 0xff);
	}

	/* fork's return values, and wait(NULL) */
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(getppid() == parent ? 3 : 4);
	CHECK(pid > 0);
	CHECK(pid != parent);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);

	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK_EQ(wait(NULL), pid);

	CHECK_ERR(waitpid(-1, &status, 0), ECHILD);
	CHECK_ERR(waitpid(1, &status, 0), ECHILD);	/* not our child */
	CHECK_ERR(waitpid(parent, &status, 0), ECHILD); /* ourselves */
	return utest_done();
}
