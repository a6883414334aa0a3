/*
 * t_poll - poll(2) and ppoll(2) as on Linux (fs/select.c, pipe_poll()):
 * a pipe's read end is POLLIN | POLLRDNORM with bytes in it and POLLHUP
 * once no writer is left (without POLLIN when empty); its write end is
 * POLLOUT | POLLWRNORM while a page is free and POLLERR once no reader
 * is left; POLLHUP and POLLERR come even unasked; a timeout of 0 only
 * looks, a short one waits at least that long; an fd not open is
 * POLLNVAL (counted, not an error), a negative one is skipped (revents
 * 0); nfds above RLIMIT_NOFILE is EINVAL, a bad array EFAULT; a child
 * writing, or closing its end, after a delay wakes a poller; a signal
 * handler ends a wait with EINTR, even under SA_RESTART (poll is never
 * restarted after a handler); ppoll checks its timespec (EINVAL) and
 * sigsetsize, and its mask is in force while it waits: a signal it
 * unblocks ends the call with EINTR, its handler runs with ppoll's mask,
 * and the old mask is back afterwards. A regular file, /dev/null and
 * /dev/zero are always readable and writable. select(2) and pselect6(2) see the same: a
 * read end is in the read set with bytes or no writer, a write end in
 * the write set with room or no reader; the sets are rewritten to the
 * ready fds; a set fd that is not open is EBADF, a negative n or
 * timeval EINVAL, a bad set EFAULT; the timeval is rewritten to the time
 * left; a handler ends the wait with EINTR; pselect's mask is in force
 * while it waits, as ppoll's.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_poll"
#include "utest.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#define PIPE_CAPACITY 65536 /* Linux's default: 16 pages */

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* poll one fd for events with timeout ms; its revents in *revents. */
static int poll1(int fd, short events, int timeout, short *revents)
{
	struct pollfd p = { .fd = fd, .events = events, .revents = 0x7777 };
	int r = poll(&p, 1, timeout);

	*revents = p.revents;
	return r;
}

static void test_pipe_states(void)
{
	int fd[2];
	short rev;
	char buf[8];

	CHECK_EQ(pipe(fd), 0);
	/* Empty, both ends open. */
	CHECK_EQ(poll1(fd[0], POLLIN, 0, &rev), 0);
	CHECK_EQ(rev, 0);
	CHECK_EQ(poll1(fd[1], POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM, 0,
		       &rev),
		 1);
	CHECK_EQ(rev, POLLOUT | POLLWRNORM);
	CHECK_EQ(poll1(fd[1], POLLOUT, 0, &rev), 1);
	CHECK_EQ(rev, POLLOUT);
	/* Bytes in it. */
	CHECK_EQ(write(fd[1], "abc", 3), 3);
	CHECK_EQ(poll1(fd[0], POLLIN | POLLRDNORM | POLLOUT, 0, &rev), 1);
	CHECK_EQ(rev, POLLIN | POLLRDNORM);
	{
		struct pollfd p[2] = { { fd[0], POLLIN, 0 },
				       { fd[1], POLLOUT, 0 } };

		CHECK_EQ(poll(p, 2, 0), 2);
		CHECK_EQ(p[0].revents, POLLIN);
		CHECK_EQ(p[1].revents, POLLOUT);
	}
	/* No writer: POLLHUP even unasked, with POLLIN while bytes are
	 * left, alone once they are read. */
	CHECK_EQ(close(fd[1]), 0);
	CHECK_EQ(poll1(fd[0], POLLIN, 0, &rev), 1);
	CHECK_EQ(rev, POLLIN | POLLHUP);
	CHECK_EQ(read(fd[0], buf, sizeof(buf)), 3);
	CHECK_EQ(poll1(fd[0], POLLIN, 0, &rev), 1);
	CHECK_EQ(rev, POLLHUP);
	CHECK_EQ(poll1(fd[0], 0, 0, &rev), 1);
	CHECK_EQ(rev, POLLHUP);
	CHECK_EQ(close(fd[0]), 0);

	/* No reader: the write end is POLLERR, even unasked. */
	CHECK_EQ(pipe(fd), 0);
	CHECK_EQ(close(fd[0]), 0);
	CHECK_EQ(poll1(fd[1], POLLOUT, 0, &rev), 1);
	CHECK_EQ(rev, POLLOUT | POLLERR);
	CHECK_EQ(poll1(fd[1], 0, 0, &rev), 1);
	CHECK_EQ(rev, POLLERR);
	CHECK_EQ(close(fd[1]), 0);
}

static void test_full_pipe(void)
{
	static char page[4096];
	int fd[2];
	short rev;
	long total = 0;
	ssize_t n;

	CHECK_EQ(pipe2(fd, O_NONBLOCK), 0);
	while ((n = write(fd[1], page, sizeof(page))) > 0)
		total += n;
	CHECK_EQ(total, PIPE_CAPACITY);
	CHECK_EQ(poll1(fd[1], POLLOUT, 0, &rev), 0);
	CHECK_EQ(rev, 0);
	/* One byte out frees no page: still not writable. */
	CHECK_EQ(read(fd[0], page, 1), 1);
	CHECK_EQ(poll1(fd[1], POLLOUT, 0, &rev), 0);
	/* The rest of the first page: writable again. */
	CHECK_EQ(read(fd[0], page, sizeof(page) - 1), (long)sizeof(page) - 1);
	CHECK_EQ(poll1(fd[1], POLLOUT, 0, &rev), 1);
	CHECK_EQ(rev, POLLOUT);
	close(fd[0]);
	close(fd[1]);
}

static void test_fds_and_errors(void)
{
	struct pollfd p[3];
	unsigned long rl[2]; /* prlimit64's struct rlimit64: cur, max */
	int fd[2];
	short rev;

	CHECK_EQ(pipe(fd), 0);
	/* Not open: POLLNVAL, counted; negative: skipped, revents 0. */
	CHECK_EQ(poll1(900, POLLIN, 0, &rev), 1);
	CHECK_EQ(rev, POLLNVAL);
	CHECK_EQ(poll1(-1, POLLIN, 0, &rev), 0);
	CHECK_EQ(rev, 0);
	p[0] = (struct pollfd){ fd[1], POLLOUT, 0x55 };
	p[1] = (struct pollfd){ -5, POLLIN, 0x55 };
	p[2] = (struct pollfd){ 901, 0, 0x55 };
	CHECK_EQ(poll(p, 3, 0), 2);
	CHECK_EQ(p[0].revents, POLLOUT);
	CHECK_EQ(p[1].revents, 0);
	CHECK_EQ(p[2].revents, POLLNVAL);
	/* No fds: a plain sleep. */
	CHECK_EQ(poll(NULL, 0, 0), 0);
	/* nfds above RLIMIT_NOFILE: EINVAL; a bad array: EFAULT. */
	CHECK_EQ(syscall(__NR_prlimit64, 0, RLIMIT_NOFILE, (void *)NULL, rl),
		 0);
	CHECK_ERR(poll(p, (nfds_t)rl[0] + 1, 0), EINVAL);
	CHECK_ERR(syscall(SYS_poll, (struct pollfd *)8, 1, 0), EFAULT);
	/* A regular file: always readable and writable. */
	{
		int f = open("/tmp/t_poll.file", O_RDWR | O_CREAT | O_TRUNC,
			     0600);

		CHECK(f >= 0);
		CHECK_EQ(poll1(f, POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM, 0,
			       &rev),
			 1);
		CHECK_EQ(rev, POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
		close(f);
		unlink("/tmp/t_poll.file");
	}
	/* /dev/null and /dev/zero have no ->poll: always ready too. */
	{
		const char *const devs[2] = { "/dev/null", "/dev/zero" };

		for (int i = 0; i < 2; i++) {
			int f = open(devs[i], O_RDWR);

			CHECK(f >= 0);
			CHECK_EQ(poll1(f, POLLIN | POLLOUT, 0, &rev), 1);
			CHECK_EQ(rev, POLLIN | POLLOUT);
			close(f);
		}
	}
	close(fd[0]);
	close(fd[1]);
}

static void test_timeouts(void)
{
	int fd[2];
	short rev;
	long t0, dt;
	struct timespec ts = { 0, 60 * 1000000 };

	CHECK_EQ(pipe(fd), 0);
	t0 = now_ms();
	CHECK_EQ(poll1(fd[0], POLLIN, 0, &rev), 0);
	dt = now_ms() - t0;
	CHECK(dt < 1000);
	t0 = now_ms();
	CHECK_EQ(poll1(fd[0], POLLIN, 60, &rev), 0);
	dt = now_ms() - t0;
	CHECK_EQ(rev, 0);
	if (dt < 60 || dt > 5000)
		diag("poll(60 ms) took %ld ms", dt);
	CHECK(dt >= 60 && dt < 5000);
	/* ppoll: the same with a timespec. */
	{
		struct pollfd p = { fd[0], POLLIN, 0 };

		t0 = now_ms();
		CHECK_EQ(ppoll(&p, 1, &ts, NULL), 0);
		dt = now_ms() - t0;
		CHECK(dt >= 60 && dt < 5000);
		ts.tv_sec = 0;
		ts.tv_nsec = 0;
		CHECK_EQ(ppoll(&p, 1, &ts, NULL), 0);
		ts.tv_nsec = 1000000000;
		CHECK_ERR(ppoll(&p, 1, &ts, NULL), EINVAL);
		ts.tv_nsec = -1;
		CHECK_ERR(ppoll(&p, 1, &ts, NULL), EINVAL);
		ts.tv_sec = -1;
		ts.tv_nsec = 0;
		CHECK_ERR(ppoll(&p, 1, &ts, NULL), EINVAL);
		ts.tv_sec = 0;
		CHECK_ERR(syscall(SYS_ppoll, &p, 1, (struct timespec *)8,
				  (sigset_t *)NULL, 8),
			  EFAULT);
		{
			sigset_t m;

			sigemptyset(&m);
			CHECK_ERR(syscall(SYS_ppoll, &p, 1, &ts, &m, 4),
				  EINVAL);
			CHECK_ERR(syscall(SYS_ppoll, &p, 1, &ts, (sigset_t *)8,
					  8),
				  EFAULT);
		}
	}
	close(fd[0]);
	close(fd[1]);
}

/* The child: wait ms, then write a byte (what 'w') or close (what
 * 'c') its write end. */
struct later {
	int fd;
	int ms;
	char what;
};

static int do_later(void *arg)
{
	struct later *l = arg;

	usleep((useconds_t)l->ms * 1000);
	if (l->what == 'w') {
		int ok = write(l->fd, "x", 1) == 1;

		/* The writer stays open while the parent looks: POLLIN
		 * without POLLHUP. */
		usleep(300 * 1000);
		return ok ? 0 : 1;
	}
	return close(l->fd) == 0 ? 0 : 1;
}

static void test_wakeups(void)
{
	const char whats[2] = { 'w', 'c' };

	for (int i = 0; i < 2; i++) {
		int fd[2];
		struct pollfd p;
		struct later l;
		pid_t pid;
		long t0, dt;
		int status;

		CHECK_EQ(pipe(fd), 0);
		l = (struct later){ fd[1], 100, whats[i] };
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			close(fd[0]);
			_exit(do_later(&l));
		}
		close(fd[1]); /* the child holds the only writer */
		p = (struct pollfd){ fd[0], POLLIN, 0 };
		t0 = now_ms();
		CHECK_EQ(poll(&p, 1, -1), 1);
		dt = now_ms() - t0;
		CHECK_EQ(p.revents, whats[i] == 'w' ? POLLIN : POLLHUP);
		CHECK(dt >= 50); /* it waited for the child */
		CHECK_EQ(waitpid(pid, &status, 0), pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		close(fd[0]);
	}
}

static volatile sig_atomic_t handled;
static volatile sig_atomic_t usr2_blocked_in_handler = -1;

static void on_signal(int sig)
{
	sigset_t now;

	(void)sig;
	handled++;
	sigprocmask(SIG_BLOCK, NULL, &now);
	usr2_blocked_in_handler = sigismember(&now, SIGUSR2);
}

static void test_eintr(void)
{
	int flags[2] = { 0, SA_RESTART };

	for (int i = 0; i < 2; i++) {
		struct sigaction sa;
		struct itimerval it = { { 0, 0 }, { 0, 50000 } };
		int fd[2];
		struct pollfd p;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sa.sa_flags = flags[i];
		CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
		CHECK_EQ(pipe(fd), 0);
		p = (struct pollfd){ fd[0], POLLIN, 0 };
		handled = 0;
		CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
		/* poll is never restarted after a handler, SA_RESTART or not
		 * (man 7 signal). */
		CHECK_ERR(poll(&p, 1, -1), EINTR);
		CHECK_EQ(handled, 1);
		close(fd[0]);
		close(fd[1]);
	}
	signal(SIGALRM, SIG_DFL);
}

static void test_ppoll_sigmask(void)
{
	struct sigaction sa;
	sigset_t block, old, now, during;
	struct timespec ts = { 5, 0 };
	struct pollfd p;
	int fd[2];
	long t0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	CHECK_EQ(sigprocmask(SIG_BLOCK, &block, &old), 0);
	CHECK_EQ(pipe(fd), 0);
	p = (struct pollfd){ fd[0], POLLIN, 0 };

	/* SIGUSR1 pending but blocked: ppoll with a mask that still blocks
	 * it times out, the handler does not run. */
	CHECK_EQ(kill(getpid(), SIGUSR1), 0);
	handled = 0;
	ts = (struct timespec){ 0, 20 * 1000000 };
	CHECK_EQ(ppoll(&p, 1, &ts, &block), 0);
	CHECK_EQ(handled, 0);

	/* ppoll's mask lets it in: EINTR at once, the handler ran with
	 * ppoll's mask (SIGUSR2 not blocked), and the old mask is back. */
	sigemptyset(&during);
	ts = (struct timespec){ 5, 0 };
	t0 = now_ms();
	CHECK_ERR(ppoll(&p, 1, &ts, &during), EINTR);
	CHECK(now_ms() - t0 < 2500);
	CHECK_EQ(handled, 1);
	CHECK_EQ(usr2_blocked_in_handler, 0);
	CHECK_EQ(sigprocmask(SIG_BLOCK, NULL, &now), 0);
	CHECK(sigismember(&now, SIGUSR1));
	CHECK(sigismember(&now, SIGUSR2));

	/* Ready at once: the mask is restored too. */
	CHECK_EQ(write(fd[1], "x", 1), 1);
	ts = (struct timespec){ 1, 0 };
	CHECK_EQ(ppoll(&p, 1, &ts, &during), 1);
	CHECK_EQ(sigprocmask(SIG_BLOCK, NULL, &now), 0);
	CHECK(sigismember(&now, SIGUSR1));
	CHECK(sigismember(&now, SIGUSR2));

	CHECK_EQ(sigprocmask(SIG_SETMASK, &old, NULL), 0);
	signal(SIGUSR1, SIG_DFL);
	close(fd[0]);
	close(fd[1]);
}

static void test_select(void)
{
	fd_set r, w;
	struct timeval tv;
	int fd[2], bad, nfds;
	long t0;

	CHECK_EQ(pipe(fd), 0);
	nfds = (fd[0] > fd[1] ? fd[0] : fd[1]) + 1;
	/* Empty: only the write end is ready. */
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(fd[0], &r);
	FD_SET(fd[0], &w);
	FD_SET(fd[1], &r);
	FD_SET(fd[1], &w);
	tv = (struct timeval){ 0, 0 };
	CHECK_EQ(select(nfds, &r, &w, NULL, &tv), 1);
	CHECK(!FD_ISSET(fd[0], &r) && !FD_ISSET(fd[1], &r));
	CHECK(!FD_ISSET(fd[0], &w) && FD_ISSET(fd[1], &w));
	/* Bytes in it: both, counted once per set. */
	CHECK_EQ(write(fd[1], "x", 1), 1);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(fd[0], &r);
	FD_SET(fd[1], &w);
	CHECK_EQ(select(nfds, &r, &w, NULL, NULL), 2);
	CHECK(FD_ISSET(fd[0], &r) && FD_ISSET(fd[1], &w));
	/* A timeout: 0 ready, the timeval rewritten to the time left. */
	{
		char c;

		CHECK_EQ(read(fd[0], &c, 1), 1);
	}
	FD_ZERO(&r);
	FD_SET(fd[0], &r);
	tv = (struct timeval){ 0, 60000 };
	t0 = now_ms();
	CHECK_EQ(select(nfds, &r, NULL, NULL, &tv), 0);
	CHECK(now_ms() - t0 >= 60);
	CHECK(!FD_ISSET(fd[0], &r));
	CHECK_EQ(tv.tv_sec, 0);
	CHECK_EQ(tv.tv_usec, 0);
	/* Errors. */
	bad = dup(fd[0]);
	CHECK(bad >= 0);
	close(bad);
	FD_ZERO(&r);
	FD_SET(bad, &r);
	tv = (struct timeval){ 0, 0 };
	CHECK_ERR(select(bad + 1, &r, NULL, NULL, &tv), EBADF);
	CHECK_ERR(select(-1, NULL, NULL, NULL, &tv), EINVAL);
	tv = (struct timeval){ 0, -1 };
	CHECK_ERR(select(1, NULL, NULL, NULL, &tv), EINVAL);
	tv = (struct timeval){ -1, 0 };
	CHECK_ERR(select(1, NULL, NULL, NULL, &tv), EINVAL);
	tv = (struct timeval){ 0, 0 };
	CHECK_ERR(syscall(SYS_select, nfds, (fd_set *)8, (fd_set *)NULL,
			  (fd_set *)NULL, &tv),
		  EFAULT);
	/* No writer: the read end is readable (end of file); no reader:
	 * the write end writable (EPIPE). */
	close(fd[1]);
	FD_ZERO(&r);
	FD_SET(fd[0], &r);
	tv = (struct timeval){ 5, 0 }; /* a failure fails, not hangs */
	CHECK_EQ(select(fd[0] + 1, &r, NULL, NULL, &tv), 1);
	CHECK(FD_ISSET(fd[0], &r));
	close(fd[0]);
	CHECK_EQ(pipe(fd), 0);
	close(fd[0]);
	FD_ZERO(&w);
	FD_SET(fd[1], &w);
	tv = (struct timeval){ 5, 0 };
	CHECK_EQ(select(fd[1] + 1, NULL, &w, NULL, &tv), 1);
	CHECK(FD_ISSET(fd[1], &w));
	close(fd[1]);
}

static void test_select_signals(void)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	struct timespec ts = { 5, 0 };
	sigset_t block, old, now, during;
	fd_set r;
	int fd[2];

	CHECK_EQ(pipe(fd), 0);
	/* A handler ends the wait: EINTR, SA_RESTART or not. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
	handled = 0;
	CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
	FD_ZERO(&r);
	FD_SET(fd[0], &r);
	CHECK_ERR(select(fd[0] + 1, &r, NULL, NULL, NULL), EINTR);
	CHECK_EQ(handled, 1);
	signal(SIGALRM, SIG_DFL);

	/* pselect's mask lets a pending SIGUSR1 in: EINTR at once, the
	 * handler runs with pselect's mask, the old one is back after. */
	CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	CHECK_EQ(sigprocmask(SIG_BLOCK, &block, &old), 0);
	CHECK_EQ(kill(getpid(), SIGUSR1), 0);
	handled = 0;
	usr2_blocked_in_handler = -1;
	sigemptyset(&during);
	FD_ZERO(&r);
	FD_SET(fd[0], &r);
	CHECK_ERR(pselect(fd[0] + 1, &r, NULL, NULL, &ts, &during), EINTR);
	CHECK_EQ(handled, 1);
	CHECK_EQ(usr2_blocked_in_handler, 0);
	CHECK_EQ(sigprocmask(SIG_BLOCK, NULL, &now), 0);
	CHECK(sigismember(&now, SIGUSR1) && sigismember(&now, SIGUSR2));
	CHECK_EQ(sigprocmask(SIG_SETMASK, &old, NULL), 0);
	signal(SIGUSR1, SIG_DFL);
	close(fd[0]);
	close(fd[1]);
}

int main(void)
{
	test_pipe_states();
	test_full_pipe();
	test_fds_and_errors();
	test_timeouts();
	test_wakeups();
	test_eintr();
	test_ppoll_sigmask();
	test_select();
	test_select_signals();
	return utest_done();
}
