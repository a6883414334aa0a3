/*
 * t_sig_queue - real-time signals queue, standard ones do not, as on
 * Linux: while SIGRTMIN is blocked every sigqueue() of it is kept, with
 * its value, until the queue limit says EAGAIN (ours: 256 per process;
 * Linux's RLIMIT_SIGPENDING per user); unblocked, each is delivered once,
 * in the order sent, with si_code SI_QUEUE and its si_value. A standard
 * signal sent meanwhile still gets through (past the limit it is kept
 * without its siginfo).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_sig_queue"
#include "utest.h"

#define MAX_TRIES (1 << 20)

static volatile int delivered, in_order = 1, codes_ok = 1, usr1;

static void on_rt(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (si->si_value.sival_int != delivered)
		in_order = 0;
	if (si->si_code != SI_QUEUE || si->si_pid != getpid())
		codes_ok = 0;
	delivered++;
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

int main(void)
{
	struct sigaction sa;
	sigset_t set, old;
	union sigval v;
	int sent = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_rt;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(sigaction(SIGRTMIN, &sa, NULL), 0);
	signal(SIGUSR1, on_usr1);
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);

	errno = 0;
	while (sent < MAX_TRIES) {
		v.sival_int = sent;
		if (sigqueue(getpid(), SIGRTMIN, v))
			break;
		sent++;
	}
	CHECK_EQ(errno, EAGAIN);
	CHECK(sent >= 32);
	diag("%d signals queued before EAGAIN", sent);
	CHECK_EQ(kill(getpid(), SIGUSR1), 0); /* still accepted */
	CHECK_EQ(kill(getpid(), SIGUSR1), 0); /* and merged */
	CHECK_EQ(delivered, 0);

	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK_EQ(delivered, sent);
	CHECK(in_order);
	CHECK(codes_ok);
	CHECK_EQ(usr1, 1);
	/* The queue is empty again. */
	v.sival_int = 0;
	delivered = 0;
	CHECK_EQ(sigqueue(getpid(), SIGRTMIN, v), 0);
	CHECK_EQ(delivered, 1);
	return utest_done();
}
