/*
 * p_pipe - pipe(2) between two forked children, as a shell runs
 * `producer | consumer`: the writer dup2()s the write end onto stdout
 * and writes 256 KiB (more than a pipe holds, so it blocks), the reader
 * dup2()s the read end onto stdin, counts bytes and checks them, and
 * sees end of file once every write end is closed; a write with no
 * reader left is EPIPE (SIGPIPE ignored). Linux: fs/pipe.c.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "ptest.h"

#define TOTAL (256 * 1024)

int main(void)
{
	int fd[2], st;

	/* Without a pipe the children would write to the console. */
	if (!CHECK_EQ(pipe(fd), 0))
		return pt_done("p_pipe");
	pid_t w = fork();

	if (w == 0) {
		char buf[4096];

		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		for (long off = 0; off < TOTAL; off += sizeof(buf)) {
			for (size_t i = 0; i < sizeof(buf); i++)
				buf[i] = (char)((off + i) % 251);
			if (write(1, buf, sizeof(buf)) != sizeof(buf))
				_exit(2);
		}
		_exit(0);
	}
	pid_t r = fork();

	if (r == 0) {
		char buf[1000];
		long got = 0;
		ssize_t n;

		dup2(fd[0], 0);
		close(fd[0]);
		close(fd[1]);
		while ((n = read(0, buf, sizeof(buf))) > 0) {
			for (ssize_t i = 0; i < n; i++)
				if (buf[i] != (char)((got + i) % 251))
					_exit(3);
			got += n;
		}
		_exit(n == 0 && got == TOTAL ? 0 : 4);
	}
	close(fd[0]);
	close(fd[1]);
	CHECK_EQ(waitpid(w, &st, 0), w);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_EQ(waitpid(r, &st, 0), r);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	signal(SIGPIPE, SIG_IGN);
	if (!CHECK_EQ(pipe(fd), 0))
		return pt_done("p_pipe");
	close(fd[0]);
	CHECK_ERR(write(fd[1], "x", 1), EPIPE);
	close(fd[1]);
	return pt_done("p_pipe");
}
