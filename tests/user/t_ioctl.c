/*
 * t_ioctl - ioctl(2) as on Linux: a pipe, a regular file and /dev/null
 * are no terminals (TCGETS, TIOCGWINSZ and an unknown request are
 * ENOTTY); FIONREAD says the bytes a pipe holds (either end) and a
 * regular file's bytes past the position; FIOCLEX / FIONCLEX set
 * close-on-exec, FIONBIO O_NONBLOCK; an fd not open is EBADF, a bad
 * pointer EFAULT. On a terminal (fd 0 if it is one, else /dev/tty if it
 * opens; where there is none, fd 0 must say ENOTTY): TCGETS and TCSETS
 * round-trip, TIOCGWINSZ and FIONREAD work, and where it is the
 * controlling terminal TIOCGPGRP / TIOCSPGRP check their group (EINVAL,
 * ESRCH). On this kernel's console (fd 0 is 5:1, with nothing typed) it
 * starts canonical with echo at 80x24, poll says POLLOUT but not POLLIN
 * (a short wait times out), and with ICANON off and VMIN 0 a read
 * returns 0 at once instead of waiting for a line.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_ioctl"
#include "utest.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_not_a_tty(const char *what, int fd)
{
	struct termios t;
	struct winsize ws;

	diag("%s", what);
	CHECK_ERR(ioctl(fd, TCGETS, &t), ENOTTY);
	CHECK_ERR(ioctl(fd, TCSETS, &t), ENOTTY);
	CHECK_ERR(ioctl(fd, TIOCGWINSZ, &ws), ENOTTY);
	CHECK_ERR(ioctl(fd, 0x54ff, 0), ENOTTY);
	CHECK_EQ(isatty(fd), 0);
}

static void test_pipe(void)
{
	int fd[2], n = -1;

	CHECK_EQ(pipe(fd), 0);
	test_not_a_tty("pipe read end", fd[0]);
	test_not_a_tty("pipe write end", fd[1]);
	CHECK_EQ(ioctl(fd[0], FIONREAD, &n), 0);
	CHECK_EQ(n, 0);
	CHECK_EQ(write(fd[1], "hello", 5), 5);
	CHECK_EQ(ioctl(fd[0], FIONREAD, &n), 0);
	CHECK_EQ(n, 5);
	n = -1;
	CHECK_EQ(ioctl(fd[1], FIONREAD, &n), 0);
	CHECK_EQ(n, 5);
	CHECK_ERR(ioctl(fd[0], FIONREAD, (int *)8), EFAULT);
	/* The calls every file takes. */
	CHECK_EQ(ioctl(fd[0], FIOCLEX), 0);
	CHECK_EQ(fcntl(fd[0], F_GETFD), FD_CLOEXEC);
	CHECK_EQ(ioctl(fd[0], FIONCLEX), 0);
	CHECK_EQ(fcntl(fd[0], F_GETFD), 0);
	n = 1;
	CHECK_EQ(ioctl(fd[0], FIONBIO, &n), 0);
	CHECK(fcntl(fd[0], F_GETFL) & O_NONBLOCK);
	{
		char buf[8];

		CHECK_EQ(read(fd[0], buf, sizeof(buf)), 5);
		CHECK_ERR(read(fd[0], buf, sizeof(buf)), EAGAIN);
	}
	n = 0;
	CHECK_EQ(ioctl(fd[0], FIONBIO, &n), 0);
	CHECK(!(fcntl(fd[0], F_GETFL) & O_NONBLOCK));
	CHECK_ERR(ioctl(fd[0], FIONBIO, (int *)8), EFAULT);
	close(fd[0]);
	close(fd[1]);
}

static void test_files(void)
{
	int f = open("/tmp/t_ioctl.file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	int n = -1;

	CHECK(f >= 0);
	test_not_a_tty("regular file", f);
	CHECK_EQ(write(f, "0123456789", 10), 10);
	CHECK_EQ(lseek(f, 3, SEEK_SET), 3);
	CHECK_EQ(ioctl(f, FIONREAD, &n), 0);
	CHECK_EQ(n, 7);
	CHECK_ERR(ioctl(f, FIONREAD, (int *)8), EFAULT);
	close(f);
	unlink("/tmp/t_ioctl.file");

	f = open("/dev/null", O_RDWR);
	CHECK(f >= 0);
	test_not_a_tty("/dev/null", f);
	close(f);

	/* Not open. */
	CHECK_ERR(ioctl(900, FIONREAD, &n), EBADF);
	CHECK_ERR(ioctl(-1, TCGETS, &n), EBADF);
}

/* The controlling terminal's foreground group: only where TIOCGPGRP
 * works on fd (Linux says ENOTTY for a terminal that is not ours). */
static void test_pgrp(int fd)
{
	int pg = -1, bad;

	if (ioctl(fd, TIOCGPGRP, &pg) != 0) {
		diag("TIOCGPGRP: %s: not the controlling terminal",
		     strerror(errno));
		CHECK_EQ(errno, ENOTTY);
		return;
	}
	CHECK(pg > 0);
	bad = -1;
	CHECK_ERR(ioctl(fd, TIOCSPGRP, &bad), EINVAL);
	bad = 0x3ffffff0; /* above any pid */
	CHECK_ERR(ioctl(fd, TIOCSPGRP, &bad), ESRCH);
	CHECK_ERR(ioctl(fd, TIOCGPGRP, (int *)8), EFAULT);
	if (pg == getpgrp()) { /* we are in the foreground: set it again */
		CHECK_EQ(ioctl(fd, TIOCSPGRP, &pg), 0);
		pg = -1;
		CHECK_EQ(ioctl(fd, TIOCGPGRP, &pg), 0);
		CHECK_EQ(pg, getpgrp());
	}
}

/* This kernel's console, with nothing typed. */
static void test_console(int fd)
{
	struct termios t, raw;
	struct winsize ws;
	char c;
	int n = -1;

	CHECK_EQ(tcgetattr(fd, &t), 0);
	CHECK(t.c_lflag & ICANON);
	CHECK(t.c_lflag & ECHO);
	CHECK_EQ(ioctl(fd, TIOCGWINSZ, &ws), 0);
	CHECK_EQ(ws.ws_row, 24);
	CHECK_EQ(ws.ws_col, 80);
	CHECK_EQ(ioctl(fd, FIONREAD, &n), 0);
	CHECK_EQ(n, 0);
	/* poll: always writable; with nothing typed never readable, and a
	 * short wait (the console's tick timer looking again) times out. */
	{
		struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
		long t0;

		CHECK_EQ(poll(&p, 1, 0), 1);
		CHECK_EQ(p.revents, POLLOUT);
		p.events = POLLIN;
		t0 = now_ms();
		CHECK_EQ(poll(&p, 1, 30), 0);
		CHECK(now_ms() - t0 >= 30);
		CHECK_EQ(p.revents, 0);
	}
	/* Non-canonical, VMIN 0 and VTIME 0: a read with nothing typed
	 * returns 0 at once. */
	raw = t;
	raw.c_lflag &= ~(unsigned)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	CHECK_EQ(tcsetattr(fd, TCSANOW, &raw), 0);
	CHECK_EQ(read(fd, &c, 1), 0);
	CHECK_EQ(tcsetattr(fd, TCSAFLUSH, &t), 0);
	CHECK_EQ(tcgetattr(fd, &raw), 0);
	CHECK(raw.c_lflag & ICANON);
	/* The window size is what was set. */
	{
		struct winsize big = { 50, 132, 0, 0 };

		CHECK_EQ(ioctl(fd, TIOCSWINSZ, &big), 0);
		CHECK_EQ(ioctl(fd, TIOCGWINSZ, &ws), 0);
		CHECK_EQ(ws.ws_row, 50);
		CHECK_EQ(ws.ws_col, 132);
		big = (struct winsize){ 24, 80, 0, 0 };
		CHECK_EQ(ioctl(fd, TIOCSWINSZ, &big), 0);
	}
}

static void test_tty(void)
{
	struct termios t, t2;
	struct winsize ws;
	struct stat st;
	int fd = -1, opened = -1, n = -1;

	if (isatty(0)) {
		fd = 0;
	} else {
		CHECK_ERR(ioctl(0, TCGETS, &t), ENOTTY);
		opened = open("/dev/tty", O_RDWR | O_NOCTTY);
		fd = opened;
	}
	if (fd < 0) {
		diag("no terminal: only ENOTTY checked");
		return;
	}
	CHECK_EQ(isatty(fd), 1);
	CHECK_EQ(ioctl(fd, TCGETS, &t), 0);
	CHECK_EQ(ioctl(fd, TCSETS, &t), 0);
	CHECK_EQ(ioctl(fd, TCGETS, &t2), 0);
	CHECK_EQ(t2.c_iflag, t.c_iflag);
	CHECK_EQ(t2.c_oflag, t.c_oflag);
	CHECK_EQ(t2.c_lflag, t.c_lflag);
	CHECK(memcmp(t2.c_cc, t.c_cc, 17) == 0);
	CHECK_ERR(ioctl(fd, TCGETS, (struct termios *)8), EFAULT);
	CHECK_ERR(ioctl(fd, TCSETS, (struct termios *)8), EFAULT);
	CHECK_EQ(ioctl(fd, TIOCGWINSZ, &ws), 0);
	CHECK_ERR(ioctl(fd, TIOCGWINSZ, (struct winsize *)8), EFAULT);
	CHECK_EQ(ioctl(fd, FIONREAD, &n), 0);
	CHECK(n >= 0);
	CHECK_ERR(ioctl(fd, 0x54ff, 0), ENOTTY);
	test_pgrp(fd);
	if (fd == 0 && fstat(0, &st) == 0 && S_ISCHR(st.st_mode) &&
	    st.st_rdev == 0x501)
		test_console(0);
	if (opened >= 0)
		close(opened);
}

int main(void)
{
	test_pipe();
	test_files();
	test_tty();
	return utest_done();
}
