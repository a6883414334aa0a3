/*
 * t_sig_kill - who kill(2) and tgkill(2) reach, as on Linux: a process
 * group (kill(-pgid)), the caller's own group (kill(0)), one thread of
 * a process (tgkill), and for a signal to the whole process a thread
 * that does not block it. setpgid/getpgid/setsid/getsid follow Linux's
 * rules and errno values (EACCES after the child's exec included), and
 * kill, tgkill refuse what Linux refuses. Run as "t_sig_kill pause" it
 * only waits to be killed (the exec'd child).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_sig_kill"
#include "utest.h"
#include <thread.h>

static volatile sig_atomic_t hits, hit_tid, stop;

static void on_usr(int sig)
{
	(void)sig;
	hit_tid = gettid(); /* first: the waiter reads it once hits moves */
	hits++;
}

static void install(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static pid_t spawn_pauser(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		for (;;)
			pause();
	return pid;
}

static void *spinner(void *arg)
{
	(void)arg;
	while (!stop)
		cpu_relax();
	return NULL;
}

/* A process of two threads whose main thread blocks SIGTERM: the other
 * takes it, and its default action ends both. */
static int two_threads_child(void *arg)
{
	sigset_t term;
	thread_t t;

	(void)arg;
	/* The thread first: it would inherit the mask. */
	if (thread_create(&t, spinner, NULL))
		return 2;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	for (;;)
		pause();
	return 0;
}

/* A child that makes a session: all must hold, else a failing bit. */
static int session_child(void *arg)
{
	pid_t me = getpid();
	int bad = 0;

	(void)arg;
	if (getpgrp() == me)
		bad |= 1; /* not a group leader yet */
	if (setsid() != me)
		bad |= 2;
	if (getsid(0) != me || getpgrp() != me || getpgid(0) != me)
		bad |= 4;
	errno = 0;
	if (setsid() != -1 || errno != EPERM)
		bad |= 8; /* it leads a group now */
	errno = 0;
	if (setpgid(0, 0) != -1 || errno != EPERM)
		bad |= 16; /* a session leader cannot move */
	return bad;
}

/* kill(0): the caller's own group, itself included. */
static int own_group_child(void *arg)
{
	(void)arg;
	if (setpgid(0, 0))
		return 1;
	hits = 0;
	install(SIGUSR2, on_usr);
	if (kill(0, SIGUSR2))
		return 2;
	return hits == 1 ? 0 : 3;
}

int main(int argc, char **argv)
{
	pid_t a, b, c, me = getpid();
	int status;
	thread_t th;
	sigset_t usr1, old;

	if (argc > 1 && strcmp(argv[1], "pause") == 0) {
		for (;;)
			pause();
	}

	/* Refusals. */
	CHECK_ERR(kill(me, 65), EINVAL);
	CHECK_ERR(kill(me, -1), EINVAL);
	CHECK_EQ(kill(me, 0), 0);
	CHECK_ERR(kill(4000000, 0), ESRCH);
	CHECK_ERR(kill(4000000, 65), ESRCH); /* Linux looks the pid up first */
	CHECK_ERR(kill(-4000000, SIGUSR1), ESRCH);
	CHECK_ERR(tgkill(me, me, 65), EINVAL);
	CHECK_ERR(tgkill(0, me, 0), EINVAL);
	CHECK_ERR(tgkill(me, 4000000, 0), ESRCH);
	CHECK_ERR(tgkill(me, 4000000, 65), ESRCH); /* the thread first */
	CHECK_EQ(tgkill(me, me, 0), 0);

	/* Ids. */
	CHECK_EQ(getpgrp(), getpgid(0));
	CHECK_EQ(getpgid(me), getpgid(0));
	CHECK(getsid(0) > 0);
	CHECK_ERR(getpgid(4000000), ESRCH);
	CHECK_ERR(getsid(4000000), ESRCH);
	CHECK_ERR(setpgid(0, -1), EINVAL);
	CHECK_ERR(setpgid(4000000, 0), ESRCH);
	CHECK_ERR(setpgid(getppid(), 0), ESRCH); /* not our child */

	/* A group of two children, killed together. */
	a = spawn_pauser();
	b = spawn_pauser();
	CHECK(a > 0 && b > 0);
	CHECK_EQ(kill(-1, 0), 0); /* a process besides init and us */
	CHECK_EQ(setpgid(a, a), 0);
	CHECK_EQ(setpgid(b, a), 0);
	CHECK_EQ(getpgid(a), a);
	CHECK_EQ(getpgid(b), a);
	CHECK_ERR(setpgid(b, 4000000), EPERM); /* no such group */
	CHECK_EQ(kill(-a, SIGUSR1), 0);
	CHECK_EQ(waitpid(a, &status, 0), a);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1);
	CHECK_EQ(waitpid(b, &status, 0), b);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1);
	CHECK_ERR(kill(-a, SIGUSR1), ESRCH); /* the group is gone */

	/* A fatal signal taken by one thread ends the whole process, with
	 * that signal as its status. */
	fflush(stdout);
	c = fork();
	if (c == 0)
		_exit(two_threads_child(NULL));
	usleep(50000);
	CHECK_EQ(kill(c, SIGTERM), 0);
	CHECK_EQ(waitpid(c, &status, 0), c);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);

	/* setsid, and kill(0). */
	CHECK_EQ(run_child(session_child, NULL), 0);
	CHECK_EQ(run_child(own_group_child, NULL), 0);

	/* A child that ran execve() cannot be moved: EACCES. */
	fflush(stdout);
	c = fork();
	if (c == 0) {
		char *args[] = { argv[0], "pause", NULL };

		execv(argv[0], args);
		_exit(127);
	}
	usleep(100000);
	CHECK_ERR(setpgid(c, c), EACCES);
	CHECK_EQ(kill(c, SIGKILL), 0);
	CHECK_EQ(waitpid(c, &status, 0), c);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	/* tgkill: the handler runs in the thread named. */
	install(SIGUSR1, on_usr);
	CHECK_EQ(thread_create(&th, spinner, NULL), 0);
	while (!thread_tid(th))
		cpu_relax();
	hits = 0;
	CHECK_EQ(tgkill(me, thread_tid(th), SIGUSR1), 0);
	while (!hits)
		cpu_relax();
	CHECK_EQ(hit_tid, thread_tid(th));

	/* kill() to the process while this thread blocks it: the other
	 * thread takes it (Linux's complete_signal()). */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	hits = 0;
	CHECK_EQ(kill(me, SIGUSR1), 0);
	while (!hits)
		cpu_relax();
	CHECK_EQ(hit_tid, thread_tid(th));
	sigprocmask(SIG_SETMASK, &old, NULL);
	stop = 1;
	thread_join(th, NULL);
	return utest_done();
}
