/*
 * t_fork_many - 20 children alive at the same time, each exiting with its
 * own code after a short, different delay; all are reaped with
 * waitpid(-1) with the right code, then ECHILD.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_fork_many"
#include "utest.h"
#include <time.h>

#define N 20

int main(void)
{
	pid_t pids[N];
	int seen[N] = { 0 };
	int i, status;

	fflush(stdout);
	for (i = 0; i < N; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			diag("FAIL fork %d: %s", i, strerror(errno));
			utest_failures++;
			break;
		}
		if (pids[i] == 0) {
			/* Later children finish first: reaping is out of order. */
			struct timespec ts = { 0, (long)(N - i) * 2000000L };
			nanosleep(&ts, NULL);
			_exit(100 + i);
		}
	}
	for (int reaped = 0; reaped < i; reaped++) {
		pid_t w = waitpid(-1, &status, 0);
		int k;

		if (w < 0) {
			diag("FAIL waitpid after %d of %d: %s", reaped, i,
			     strerror(errno));
			utest_failures++;
			break;
		}
		for (k = 0; k < i && pids[k] != w; k++)
			;
		if (k == i) {
			diag("FAIL waitpid returned unknown pid %d", (int)w);
			utest_failures++;
			continue;
		}
		CHECK(!seen[k]);
		seen[k] = 1;
		CHECK(WIFEXITED(status));
		CHECK_EQ(WEXITSTATUS(status), 100 + k);
	}
	for (int k = 0; k < i; k++)
		CHECK(seen[k]);
	CHECK_ERR(waitpid(-1, &status, 0), ECHILD);
	diag("%d children reaped", i);
	return utest_done();
}
