/*
 * bits/pipe_unistd.h - pipe(2) and pipe2(2), which glibc declares in
 * <unistd.h>, included from there. Wrappers in libc/pipe.c; each returns
 * -1 with errno set on failure.
 */
#ifndef _BITS_PIPE_UNISTD_H
#define _BITS_PIPE_UNISTD_H

/* PIPE_BUF (<limits.h> in glibc): writes of up to this many bytes to a
 * pipe are atomic. */
#ifndef PIPE_BUF
#define PIPE_BUF 4096
#endif

/* pipe - a new pipe: fds[0] its read end, fds[1] its write end. pipe2 -
 * the same with flags O_CLOEXEC and O_NONBLOCK. */
int pipe(int fds[2]);
int pipe2(int fds[2], int flags);

#endif
