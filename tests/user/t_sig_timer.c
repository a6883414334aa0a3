/*
 * t_sig_timer - alarm(2), setitimer(2)/getitimer(2) ITIMER_REAL and the
 * calls a signal interrupts, as on Linux: SIGALRM wakes pause() (EINTR);
 * an interval timer fires again and again; getitimer() says what is left;
 * nanosleep() interrupted by a handler fails with EINTR and the time left
 * in *rem, with SA_RESTART too (Linux never restarts it after a
 * handler); wait4() interrupted fails with EINTR, but with SA_RESTART
 * is restarted and returns the child.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_sig_timer"
#include "utest.h"
#include <sys/time.h>
#include <time.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void install(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
}

/* A one-shot ITIMER_REAL in ms. */
static int arm_ms(long ms, long interval_ms)
{
	struct itimerval it;

	it.it_value.tv_sec = ms / 1000;
	it.it_value.tv_usec = (ms % 1000) * 1000;
	it.it_interval.tv_sec = interval_ms / 1000;
	it.it_interval.tv_usec = (interval_ms % 1000) * 1000;
	return setitimer(ITIMER_REAL, &it, NULL);
}

static int sleepy_child(void *arg)
{
	(void)arg;
	/* Long beside the parent's 50 ms alarm: at SMP=4 on a loaded
	 * 2-core host a vCPU can stall for a few hundred ms between the
	 * fork and the alarm, and the child must still be asleep then. */
	usleep(2000000);
	return 9;
}

int main(void)
{
	struct itimerval it, old;
	struct timespec req, rem;
	unsigned int left;
	int status;
	pid_t pid, w;

	install(0);

	/* alarm: what was left of the last one. */
	CHECK_EQ(alarm(0), 0);
	CHECK_EQ(alarm(10), 0);
	left = alarm(0);
	CHECK(left >= 9 && left <= 10);

	/* SIGALRM wakes pause(). */
	CHECK_EQ(arm_ms(30, 0), 0);
	CHECK_ERR(pause(), EINTR);
	CHECK_EQ(alarms, 1);

	/* getitimer, and setitimer's old value. */
	CHECK_EQ(arm_ms(10000, 0), 0);
	CHECK_EQ(getitimer(ITIMER_REAL, &it), 0);
	CHECK(it.it_value.tv_sec >= 9 && it.it_value.tv_sec <= 10);
	CHECK_EQ(it.it_interval.tv_sec, 0);
	memset(&it, 0, sizeof(it));
	CHECK_EQ(setitimer(ITIMER_REAL, &it, &old), 0); /* disarm */
	CHECK(old.it_value.tv_sec >= 9 && old.it_value.tv_sec <= 10);
	CHECK_EQ(getitimer(ITIMER_REAL, &it), 0);
	CHECK(it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0);

	/* An interval timer fires again and again. */
	alarms = 0;
	CHECK_EQ(arm_ms(20, 20), 0);
	while (alarms < 3)
		pause();
	CHECK_EQ(getitimer(ITIMER_REAL, &it), 0);
	CHECK_EQ(it.it_interval.tv_usec, 20000);
	CHECK_EQ(arm_ms(0, 0), 0);
	alarms = 0;

	/* Refused. */
	it.it_value.tv_sec = 0;
	it.it_value.tv_usec = 1000000;
	it.it_interval.tv_sec = it.it_interval.tv_usec = 0;
	CHECK_ERR(setitimer(ITIMER_REAL, &it, NULL), EINVAL);
	CHECK_ERR(getitimer(99, &it), EINVAL);

	/* nanosleep: EINTR with the time left, with or without
	 * SA_RESTART. */
	for (int restart = 0; restart <= 1; restart++) {
		install(restart ? SA_RESTART : 0);
		alarms = 0;
		req.tv_sec = 2;
		req.tv_nsec = 0;
		CHECK_EQ(arm_ms(50, 0), 0);
		CHECK_ERR(nanosleep(&req, &rem), EINTR);
		CHECK_EQ(alarms, 1);
		CHECK(rem.tv_sec >= 1 && rem.tv_sec < 2);
	}

	/* wait4: EINTR without SA_RESTART... */
	install(0);
	alarms = 0;
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(sleepy_child(NULL));
	CHECK_EQ(arm_ms(50, 0), 0);
	CHECK_ERR(waitpid(pid, &status, 0), EINTR);
	CHECK_EQ(alarms, 1);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 9);

	/* ...restarted with it: the handler ran, and the call returned
	 * the child. */
	install(SA_RESTART);
	alarms = 0;
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(sleepy_child(NULL));
	CHECK_EQ(arm_ms(50, 0), 0);
	w = waitpid(pid, &status, 0);
	CHECK_EQ(w, pid);
	CHECK_EQ(alarms, 1);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 9);
	return utest_done();
}
