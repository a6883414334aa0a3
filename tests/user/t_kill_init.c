/*
 * t_kill_init - no program can kill init: kill(1, sig) succeeds and init
 * lives on, as on Linux, which ignores every signal the global init has
 * no handler for (SIGNAL_UNKILLABLE). Init has no handlers here, so every
 * signal to it is ignored (sys_kill() in kernel/exit.c). When it was not,
 * the system-call fuzzer (user/fuzz.c) powered the machine off from a
 * worker with kill(1, SIGSEGV). Under usertests, init is the harness
 * itself: were a signal delivered, the run would stop here.
 *
 * On Linux the test skips: it runs as an ordinary process there, and must
 * never signal the host's init.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_kill_init"
#include "utest.h"
#include <private.h>

/* A child process sends the signals, as the fuzzer's worker did. */
static int child(void *arg)
{
	static const int sigs[] = { SIGTERM, SIGSEGV, SIGKILL, 64 };

	(void)arg;
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (kill(1, sigs[i]) != 0)
			return 10 + (int)i;
	return 0;
}

int main(void)
{
	struct meminfo mi;
	int status;

	if (meminfo(&mi) != 0) {
		diag("SKIP meminfo: %s (not our kernel: init is the host's)",
		     strerror(errno));
		return UTEST_SKIP;
	}
	CHECK_EQ(kill(1, 0), 0); /* init exists */
	status = run_child(child, NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		describe_status("child that signalled init", status);
	CHECK_EQ(kill(1, SIGKILL), 0); /* from this process too */
	/* Any fatal signal to init would have ended it at its next return
	 * to user mode: the harness is still there. */
	CHECK_EQ(kill(1, 0), 0);
	CHECK_ERR(kill(0x7fffffff, 0), ESRCH);
	return utest_done();
}
