/*
 * p_signal - signals through the C library: sigaction(2) with SA_SIGINFO
 * (si_signo, si_code SI_TKILL from raise(3)), sigprocmask(2) holding a
 * signal pending until unblocked, SIGCHLD from an exiting child with
 * CLD_EXITED/si_pid/si_status, alarm(2) interrupting pause(2) with
 * EINTR, sigsuspend(2) and the mask restored after a handler.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "ptest.h"

static volatile sig_atomic_t got_usr1, usr1_code, usr1_signo, got_alrm;
static volatile sig_atomic_t got_chld, chld_code, chld_pid, chld_status;
static volatile sig_atomic_t usr2_blocked_inside;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	sigset_t cur;

	(void)uc;
	got_usr1++;
	usr1_signo = si->si_signo;
	usr1_code = si->si_code;
	/* sa_mask and the signal itself are blocked while it runs */
	sigprocmask(SIG_BLOCK, NULL, &cur);
	usr2_blocked_inside = sigismember(&cur, SIGUSR2) &&
			      sigismember(&cur, sig);
}

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got_chld++;
	chld_code = si->si_code;
	chld_pid = si->si_pid;
	chld_status = si->si_status;
}

static void on_alrm(int sig)
{
	(void)sig;
	got_alrm++;
}

int main(void)
{
	struct sigaction sa;
	sigset_t set, old, cur;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);

	CHECK_EQ(raise(SIGUSR1), 0); /* delivered before raise returns */
	CHECK_EQ(got_usr1, 1);
	CHECK_EQ(usr1_signo, SIGUSR1);
	CHECK_EQ(usr1_code, SI_TKILL);
	CHECK(usr2_blocked_inside);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(!sigismember(&cur, SIGUSR2)); /* the mask is back */

	/* Blocked: pending, not delivered, until unblocked. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_EQ(sigprocmask(SIG_BLOCK, &set, &old), 0);
	CHECK_EQ(raise(SIGUSR1), 0);
	CHECK_EQ(got_usr1, 1);
	sigpending(&cur);
	CHECK(sigismember(&cur, SIGUSR1));
	CHECK_EQ(sigprocmask(SIG_SETMASK, &old, NULL), 0);
	CHECK_EQ(got_usr1, 2);
	sigpending(&cur);
	CHECK(!sigismember(&cur, SIGUSR1));

	/* SIGCHLD from a child's exit, waited for with sigsuspend. */
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(sigaction(SIGCHLD, &sa, NULL), 0);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	pid_t pid = fork();

	if (pid == 0)
		_exit(42);
	CHECK(pid > 0);
	while (!got_chld)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK_EQ(got_chld, 1);
	CHECK_EQ(chld_code, CLD_EXITED);
	CHECK_EQ(chld_pid, pid);
	CHECK_EQ(chld_status, 42);
	int st = 0;

	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42);

	/* alarm + pause: pause returns -1 EINTR after the handler. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alrm;
	CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
	CHECK_EQ(alarm(1), 0);
	CHECK_ERR(pause(), EINTR);
	CHECK_EQ(got_alrm, 1);
	CHECK_EQ(alarm(0), 0);

	/* SIG_IGN: raise does nothing; SIG_DFL of SIGUSR1 kills a child. */
	signal(SIGUSR2, SIG_IGN);
	CHECK_EQ(raise(SIGUSR2), 0);
	pid = fork();
	if (pid == 0) {
		signal(SIGUSR1, SIG_DFL);
		raise(SIGUSR1);
		_exit(0);
	}
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1);
	return pt_done("p_signal");
}
