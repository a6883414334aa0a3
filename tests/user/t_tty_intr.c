/*
 * t_tty_intr - a read of the console blocked for a line ends with EINTR
 * when a signal handler without SA_RESTART runs (Linux's n_tty_read()
 * returns -ERESTARTSYS on any pending signal, not only SIGKILL). Runs
 * only when fd 0 is /dev/console (5:1) with nothing typed: this
 * kernel's usertests; elsewhere (the ulinux step) it is skipped.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_tty_intr"
#include "utest.h"
#include <sys/stat.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

int main(void)
{
	struct sigaction sa;
	struct stat st;
	char c;

	if (fstat(0, &st) || !S_ISCHR(st.st_mode) || st.st_rdev != 0x501) {
		diag("fd 0 is not /dev/console: skipped");
		return UTEST_SKIP;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
	alarm(1);
	CHECK_ERR(read(0, &c, 1), EINTR);
	CHECK_EQ(alarms, 1);
	return utest_done();
}
