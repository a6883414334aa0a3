/*
 * p_poll - poll(2) on a pipe between two forked children, as an event
 * loop waits for its input: the writer sends three messages, each once
 * the reader acknowledged the one before (on a second pipe), and exits;
 * the reader polls its stdin (the read end) with no timeout, reads each
 * message as POLLIN reports it, and sees POLLHUP
 * (without POLLIN) once the writer is gone, then end of file. Before
 * that the parent checks a timeout of 0 on the empty pipe and the write
 * end's POLLOUT, and after it the write end's POLLERR once no reader is
 * left. Linux: fs/select.c, pipe_poll().
 */
#include <poll.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "ptest.h"

static void nap_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

/* The reader: 0 when it saw the three messages, POLLHUP and EOF. After
 * each message it writes an acknowledgement to ack, so that the writer
 * never sends two messages one read could take together. */
static int reader(int ack)
{
	static const char *const want[] = { "one", "two", "three" };
	char buf[16];
	struct pollfd p = { 0, POLLIN, 0 };
	ssize_t n;

	for (int i = 0; i < 3; i++) {
		if (poll(&p, 1, -1) != 1 || p.revents != POLLIN)
			return 10 + i;
		n = read(0, buf, sizeof(buf));
		if (n != (ssize_t)strlen(want[i]) || memcmp(buf, want[i], n))
			return 20 + i;
		if (write(ack, "k", 1) != 1)
			return 40 + i;
	}
	if (poll(&p, 1, -1) != 1 || p.revents != POLLHUP)
		return 30;
	return read(0, buf, sizeof(buf)) == 0 ? 0 : 31;
}

/* The writer: a message, then wait for the reader's acknowledgement on
 * ack; the first one a little late, so that the reader's poll waits. */
static int writer(int ack)
{
	static const char *const msg[] = { "one", "two", "three" };
	char k;

	nap_ms(30);
	for (int i = 0; i < 3; i++) {
		if (write(1, msg[i], strlen(msg[i])) != (ssize_t)strlen(msg[i]))
			return 1;
		if (read(ack, &k, 1) != 1)
			return 2;
	}
	return 0;
}

int main(void)
{
	struct pollfd p[2];
	int fd[2], ack[2], st;

	if (!CHECK_EQ(pipe(fd), 0) || !CHECK_EQ(pipe(ack), 0))
		return pt_done("p_poll");
	p[0] = (struct pollfd){ fd[0], POLLIN, 0 };
	p[1] = (struct pollfd){ fd[1], POLLOUT, 0 };
	CHECK_EQ(poll(p, 2, 0), 1);
	CHECK_EQ(p[0].revents, 0);
	CHECK_EQ(p[1].revents, POLLOUT);

	pid_t w = fork();

	if (w == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		close(ack[1]);
		_exit(writer(ack[0]));
	}
	pid_t r = fork();

	if (r == 0) {
		dup2(fd[0], 0);
		close(fd[0]);
		close(fd[1]);
		close(ack[0]);
		_exit(reader(ack[1]));
	}
	/* Only the children hold the ends now: the reader's POLLHUP comes
	 * when the writer exits. */
	close(fd[0]);
	close(fd[1]);
	close(ack[0]);
	close(ack[1]);
	CHECK_EQ(waitpid(w, &st, 0), w);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);
	CHECK_EQ(waitpid(r, &st, 0), r);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);

	/* No reader left: the write end says POLLERR. */
	if (!CHECK_EQ(pipe(fd), 0))
		return pt_done("p_poll");
	close(fd[0]);
	p[1] = (struct pollfd){ fd[1], POLLOUT, 0 };
	CHECK_EQ(poll(&p[1], 1, 0), 1);
	CHECK_EQ(p[1].revents, POLLOUT | POLLERR);
	close(fd[1]);
	return pt_done("p_poll");
}
