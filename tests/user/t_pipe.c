/*
 * t_pipe - pipes behave as on Linux (man 7 pipe): bytes come out in the
 * order they went in; read returns 0 once no writer is left; a write
 * with no reader raises SIGPIPE (its default action kills the writer)
 * or, with SIGPIPE ignored, fails with EPIPE; O_NONBLOCK gives EAGAIN
 * on an empty or full pipe, and a full pipe holds 64 KiB (Linux's
 * default); writes of PIPE_BUF bytes from two writers never interleave;
 * 1 MiB crosses from a child intact (checksummed); a read blocked on an
 * empty pipe ends with EINTR when a handler without SA_RESTART runs;
 * pipe2 checks its flags (EINVAL) and its array (EFAULT, no fd left
 * open); O_CLOEXEC sets close-on-exec; lseek is ESPIPE; fstat says FIFO.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_pipe"
#include "utest.h"
#include <fcntl.h>
#include <sys/stat.h>

#define PIPE_CAPACITY 65536 /* Linux's default: 16 pages */
#define ATOMIC_BYTES  4096  /* PIPE_BUF */
#define BIG_BYTES     (1 << 20)

/* The byte at position i of the 1 MiB stream. */
static unsigned char pattern(unsigned long i)
{
	return (unsigned char)(i * 131 + (i >> 12));
}

/* read exactly n bytes unless end of file or an error comes first. */
static long read_full(int fd, void *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = read(fd, (char *)buf + done, n - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return done ? (long)done : (long)r;
		done += (size_t)r;
	}
	return (long)done;
}

static void test_basic(void)
{
	int fd[2];
	char buf[16];
	struct stat st;

	CHECK_EQ(pipe(fd), 0);
	CHECK_EQ(write(fd[1], "hello", 5), 5);
	CHECK_EQ(write(fd[1], "world", 5), 5);
	CHECK_EQ(read(fd[0], buf, 3), 3);
	CHECK(memcmp(buf, "hel", 3) == 0);
	CHECK_EQ(read(fd[0], buf, sizeof(buf)), 7);
	CHECK(memcmp(buf, "loworld", 7) == 0);
	CHECK_EQ(fstat(fd[0], &st), 0);
	CHECK(S_ISFIFO(st.st_mode));
	CHECK_ERR(lseek(fd[0], 0, SEEK_SET), ESPIPE);
	CHECK_ERR(write(fd[0], "x", 1), EBADF); /* the read end */
	CHECK_ERR(read(fd[1], buf, 1), EBADF);
	CHECK_EQ(write(fd[1], buf, 0), 0);
	CHECK_EQ(close(fd[1]), 0);
	CHECK_EQ(read(fd[0], buf, sizeof(buf)), 0); /* no writer: EOF */
	CHECK_EQ(close(fd[0]), 0);
}

/* A child writes "data" then exits; the parent reads it, then EOF. */
static void test_fork_eof(void)
{
	int fd[2], status;
	char buf[16];
	pid_t pid;

	CHECK_EQ(pipe(fd), 0);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(fd[0]);
		usleep(20000); /* the parent blocks in read first */
		_exit(write(fd[1], "data", 4) == 4 ? 0 : 1);
	}
	close(fd[1]);
	CHECK_EQ(read_full(fd[0], buf, 4), 4);
	CHECK(memcmp(buf, "data", 4) == 0);
	CHECK_EQ(read(fd[0], buf, sizeof(buf)), 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fd[0]);
}

/* A write with no reader: SIGPIPE's default action kills the writer. */
static int write_no_reader(void *arg)
{
	int fd[2];

	(void)arg;
	if (pipe(fd))
		return 2;
	close(fd[0]);
	write(fd[1], "x", 1);
	return 3; /* not reached when SIGPIPE killed us */
}

/* With SIGPIPE ignored the write fails with EPIPE; with a handler, the
 * handler runs once and the write fails with EPIPE. */
static volatile sig_atomic_t sigpipes;
static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static int write_no_reader_ignored(void *arg)
{
	int fd[2];
	ssize_t r;

	(void)arg;
	if (pipe(fd))
		return 2;
	close(fd[0]);
	signal(SIGPIPE, SIG_IGN);
	r = write(fd[1], "x", 1);
	if (r != -1 || errno != EPIPE)
		return 4;
	signal(SIGPIPE, on_sigpipe);
	r = write(fd[1], "x", 1);
	if (r != -1 || errno != EPIPE)
		return 5;
	return sigpipes == 1 ? 0 : 6;
}

static void test_epipe(void)
{
	int status;

	expect_signal("write without reader", write_no_reader, NULL, SIGPIPE);
	status = run_child(write_no_reader_ignored, NULL);
	describe_status("write without reader, SIGPIPE ignored", status);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_nonblock(void)
{
	static char buf[ATOMIC_BYTES];
	long total = 0;
	ssize_t r;
	int fd[2];

	CHECK_EQ(pipe2(fd, O_NONBLOCK | O_CLOEXEC), 0);
	CHECK(fcntl(fd[0], F_GETFL) & O_NONBLOCK);
	CHECK(fcntl(fd[1], F_GETFL) & O_NONBLOCK);
	CHECK_EQ(fcntl(fd[0], F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(fd[1], F_GETFD), FD_CLOEXEC);
	CHECK_ERR(read(fd[0], buf, 1), EAGAIN);
	memset(buf, 'n', sizeof(buf));
	while ((r = write(fd[1], buf, sizeof(buf))) > 0 && total < 1 << 24)
		total += r;
	CHECK_EQ(r, -1);
	CHECK_EQ(errno, EAGAIN);
	CHECK_EQ(total, PIPE_CAPACITY);
	CHECK_ERR(write(fd[1], buf, 1), EAGAIN);
	/* One byte out: an atomic write of PIPE_BUF still does not fit. */
	CHECK_EQ(read(fd[0], buf, 1), 1);
	CHECK_ERR(write(fd[1], buf, sizeof(buf)), EAGAIN);
	/* A whole page out: now it does. */
	CHECK_EQ(read(fd[0], buf, sizeof(buf) - 1), (long)sizeof(buf) - 1);
	CHECK_EQ(write(fd[1], buf, sizeof(buf)), (long)sizeof(buf));
	close(fd[0]);
	close(fd[1]);
}

/* A child writes 1 MiB in uneven pieces; the parent reads it in other
 * uneven pieces and compares every byte. */
static void test_big(void)
{
	static unsigned char buf[7919];
	unsigned long got = 0, bad = 0;
	int fd[2], status;
	pid_t pid;

	CHECK_EQ(pipe(fd), 0);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		static unsigned char out[10007];
		unsigned long sent = 0;

		close(fd[0]);
		while (sent < BIG_BYTES) {
			size_t n = sizeof(out);
			ssize_t w;

			if (n > BIG_BYTES - sent)
				n = BIG_BYTES - sent;
			for (size_t i = 0; i < n; i++)
				out[i] = pattern(sent + i);
			w = write(fd[1], out, n);
			if (w != (ssize_t)n)
				_exit(1);
			sent += n;
		}
		_exit(0);
	}
	close(fd[1]);
	for (;;) {
		ssize_t r = read(fd[0], buf, sizeof(buf));

		if (r <= 0) {
			CHECK_EQ(r, 0);
			break;
		}
		for (ssize_t i = 0; i < r; i++)
			bad += buf[i] != pattern(got + (unsigned long)i);
		got += (unsigned long)r;
	}
	CHECK_EQ(got, BIG_BYTES);
	CHECK_EQ(bad, 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fd[0]);
}

/* Two writers, 64 writes of PIPE_BUF bytes each ('a' and 'b'): every
 * PIPE_BUF block the reader sees is all one letter. */
static void test_atomic(void)
{
	static char buf[ATOMIC_BYTES];
	int fd[2], status, blocks = 0, mixed = 0;
	pid_t pid[2];

	CHECK_EQ(pipe(fd), 0);
	fflush(stdout);
	for (int k = 0; k < 2; k++) {
		pid[k] = fork();
		if (pid[k] == 0) {
			close(fd[0]);
			memset(buf, 'a' + k, sizeof(buf));
			for (int i = 0; i < 64; i++)
				if (write(fd[1], buf, sizeof(buf)) !=
				    (ssize_t)sizeof(buf))
					_exit(1);
			_exit(0);
		}
	}
	close(fd[1]);
	while (read_full(fd[0], buf, sizeof(buf)) == (long)sizeof(buf)) {
		blocks++;
		for (size_t i = 1; i < sizeof(buf); i++)
			if (buf[i] != buf[0]) {
				mixed++;
				break;
			}
	}
	CHECK_EQ(blocks, 128);
	CHECK_EQ(mixed, 0);
	for (int k = 0; k < 2; k++) {
		CHECK_EQ(waitpid(pid[k], &status, 0), pid[k]);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	close(fd[0]);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A read blocked on an empty pipe: a handler without SA_RESTART makes
 * it fail with EINTR. */
static void test_eintr(void)
{
	struct sigaction sa, old;
	int fd[2];
	char c;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	CHECK_EQ(sigaction(SIGALRM, &sa, &old), 0);
	CHECK_EQ(pipe(fd), 0);
	alarm(1);
	CHECK_ERR(read(fd[0], &c, 1), EINTR);
	close(fd[0]);
	close(fd[1]);
	sigaction(SIGALRM, &old, NULL);
}

static void test_errors(void)
{
	int fd[2], before, after;
	int *volatile bad = (int *)8; /* unmapped; volatile: no warning */

	CHECK_ERR(pipe2(fd, O_APPEND), EINVAL);
	CHECK_ERR(pipe2(fd, -1), EINVAL);
	before = dup(0);
	close(before);
	CHECK_ERR(pipe(bad), EFAULT);
	CHECK_ERR(pipe2(bad, O_CLOEXEC), EFAULT);
	after = dup(0);
	close(after);
	CHECK_EQ(after, before); /* the failed calls left no fd open */
}

int main(void)
{
	test_basic();
	test_fork_eof();
	test_epipe();
	test_nonblock();
	test_big();
	test_atomic();
	test_eintr();
	test_errors();
	return utest_done();
}
