/*
 * t_sig_exec - execve() and signals, as on Linux: a handled signal goes
 * back to SIG_DFL in the new program, an ignored one stays ignored, and
 * the blocked mask and a pending blocked signal carry over. Run as
 * "t_sig_exec child" it checks that from the inside and exits 0, or with
 * a bit set for each thing that is wrong.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_sig_exec"
#include "utest.h"

static void on_usr1(int sig)
{
	(void)sig;
}

static int child_checks(void)
{
	struct sigaction sa;
	sigset_t set;
	int bad = 0;

	sigaction(SIGUSR1, NULL, &sa);
	if (sa.sa_handler != SIG_DFL)
		bad |= 1;
	sigaction(SIGUSR2, NULL, &sa);
	if (sa.sa_handler != SIG_IGN)
		bad |= 2;
	sigprocmask(SIG_BLOCK, NULL, &set);
	if (!sigismember(&set, SIGTERM))
		bad |= 4;
	sigpending(&set);
	if (!sigismember(&set, SIGTERM))
		bad |= 8;
	return bad;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t term;
	int status;
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child_checks();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGUSR2, SIG_IGN);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *args[] = { argv[0], "child", NULL };

		sigemptyset(&term);
		sigaddset(&term, SIGTERM);
		sigprocmask(SIG_BLOCK, &term, NULL);
		raise(SIGTERM); /* pending across the exec */
		execv(argv[0], args);
		_exit(127);
	}
	CHECK(pid > 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status))
		describe_status("exec'd child", status);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
	return utest_done();
}
