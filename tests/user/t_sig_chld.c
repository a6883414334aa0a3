/*
 * t_sig_chld - what a parent learns when a child ends, as on Linux:
 * SIGCHLD with si_pid, si_code CLD_EXITED or CLD_KILLED and si_status;
 * the wait status of a child killed by a signal (WIFSIGNALED, WTERMSIG,
 * no WCOREDUMP); and with SIGCHLD ignored (SIG_IGN) or SA_NOCLDWAIT,
 * children reap themselves, so wait4() ends in ECHILD.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_sig_chld"
#include "utest.h"

static volatile sig_atomic_t chld_hits, chld_pid, chld_code, chld_status;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	chld_hits++;
	chld_pid = si->si_pid;
	chld_code = si->si_code;
	chld_status = si->si_status;
}

static void install(void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
}

static pid_t spawn(int code, int do_pause)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (do_pause)
			for (;;)
				pause();
		_exit(code);
	}
	return pid;
}

int main(void)
{
	sigset_t chld, old;
	int status;
	pid_t pid;

	/* SIGCHLD, blocked until sigsuspend waits for it. */
	install(on_chld, 0);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	pid = spawn(5, 0);
	CHECK(pid > 0);
	while (!chld_hits)
		sigsuspend(&old);
	CHECK_EQ(chld_pid, pid);
	CHECK_EQ(chld_code, CLD_EXITED);
	CHECK_EQ(chld_status, 5);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 5);

	/* A death by signal: CLD_KILLED, and the wait status says so. */
	chld_hits = 0;
	pid = spawn(0, 1);
	CHECK_EQ(kill(pid, SIGTERM), 0);
	while (!chld_hits)
		sigsuspend(&old);
	CHECK_EQ(chld_pid, pid);
	CHECK_EQ(chld_code, CLD_KILLED);
	CHECK_EQ(chld_status, SIGTERM);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(WTERMSIG(status), SIGTERM);
	CHECK(!WCOREDUMP(status));
	CHECK_EQ(status, SIGTERM); /* W_EXITCODE(0, SIGTERM) exactly */
	sigprocmask(SIG_SETMASK, &old, NULL);

	/* SA_NOCLDWAIT: the handler still runs, but there is no zombie. */
	chld_hits = 0;
	install(on_chld, SA_NOCLDWAIT);
	pid = spawn(3, 0);
	CHECK(pid > 0);
	CHECK_ERR(waitpid(pid, &status, 0), ECHILD);

	/* SIGCHLD ignored: no zombie, no signal; wait4 says ECHILD once the
	 * child is gone. */
	signal(SIGCHLD, SIG_IGN);
	pid = spawn(4, 0);
	CHECK(pid > 0);
	CHECK_ERR(waitpid(-1, &status, 0), ECHILD);
	signal(SIGCHLD, SIG_DFL);

	/* SIG_DFL (ignored by default) still leaves a zombie. */
	pid = spawn(6, 0);
	usleep(20000);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 6);
	return utest_done();
}
