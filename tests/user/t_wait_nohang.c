/*
 * t_wait_nohang - waitpid(WNOHANG) returns 0 while the child runs, then the
 * child's pid once it has exited (polled, with sched_yield and nanosleep).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_wait_nohang"
#include "utest.h"
#include <sched.h>
#include <time.h>

int main(void)
{
	struct timespec ts = { 0, 100 * 1000000L };
	int status = 0, polls = 0;
	pid_t pid, w;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		nanosleep(&ts, NULL);
		_exit(5);
	}
	CHECK(pid > 0);
	CHECK_EQ(waitpid(pid, &status, WNOHANG), 0);
	ts.tv_nsec = 1000000L;
	while ((w = waitpid(pid, &status, WNOHANG)) == 0 && polls < 5000) {
		polls++;
		nanosleep(&ts, NULL);
	}
	CHECK_EQ(w, pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 5);
	diag("child reaped after %d polls", polls);
	return utest_done();
}
