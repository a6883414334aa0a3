/*
 * poll.h - poll(2) and ppoll(2) (libc/poll.c), as glibc's <poll.h>:
 * struct pollfd and the POLL* bits come from the kernel's
 * <asm/poll.h>. Each returns -1 with errno set on failure.
 */
#ifndef _POLL_H
#define _POLL_H

#include <signal.h>
#include <time.h>
#include <asm/poll.h>

typedef unsigned long nfds_t;

/* poll - wait up to timeout ms (negative: no limit) until one of the
 * nfds files is ready; the number of fds with revents, 0 on time-out. */
int poll(struct pollfd *fds, nfds_t nfds, int timeout);
/* ppoll - the same with a timespec (NULL: no limit) and, when sigmask
 * is not NULL, that signal mask while it waits. */
int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo,
	  const sigset_t *sigmask);

#endif
