/*
 * sys/select.h - select(2) and pselect6(2) (libc/poll.c), as glibc's
 * <sys/select.h>: fd_set is 1024 bits (FD_SETSIZE), one per fd.
 */
#ifndef _SYS_SELECT_H
#define _SYS_SELECT_H

#include <signal.h>
#include <sys/time.h>
#include <time.h>

#define FD_SETSIZE 1024

typedef struct {
	unsigned long fds_bits[FD_SETSIZE / (8 * sizeof(unsigned long))];
} fd_set;

#define __FD_WORD(fd) ((fd) / (8 * (int)sizeof(unsigned long)))
#define __FD_MASK(fd) (1UL << ((fd) % (8 * (int)sizeof(unsigned long))))
#define FD_ZERO(s)                                                           \
	do {                                                                 \
		for (unsigned __i = 0;                                       \
		     __i < sizeof((s)->fds_bits) / sizeof((s)->fds_bits[0]); \
		     __i++)                                                  \
			(s)->fds_bits[__i] = 0;                              \
	} while (0)
#define FD_SET(fd, s)	((s)->fds_bits[__FD_WORD(fd)] |= __FD_MASK(fd))
#define FD_CLR(fd, s)	((s)->fds_bits[__FD_WORD(fd)] &= ~__FD_MASK(fd))
#define FD_ISSET(fd, s) (((s)->fds_bits[__FD_WORD(fd)] & __FD_MASK(fd)) != 0)

/* select - wait up to *timeout (NULL: no limit; updated to the time
 * left) until an fd below n in readfds is readable, in writefds
 * writable, or in exceptfds has an exception; the sets are rewritten to
 * the ready fds. Returns their count, 0 on time-out. pselect - the same
 * with a timespec (not updated) and a signal mask for the wait. */
int select(int n, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
	   struct timeval *timeout);
int pselect(int n, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
	    const struct timespec *timeout, const sigset_t *sigmask);

#endif
