/*
 * poll.c - poll(2), ppoll(2), select(2), pselect6(2), ioctl(2) and the
 * terminal calls built on it (isatty, tcgetattr, tcsetattr), over
 * Linux's calls (the kernel's
 * side: fs/select.c, fs/ioctl.c, drivers/tty/console.c). Each returns -1
 * and sets errno on failure, as glibc's.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <termios.h>
#include <unistd.h>
#include "syscall_arch.h"

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	return (int)__syscall_ret(
		__syscall3(__NR_poll, (long)fds, (long)nfds, timeout));
}

int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo,
	  const sigset_t *sigmask)
{
	/* The kernel stores the time left into its timespec: a copy, so
	 * that the caller's const one stays as it was (glibc's does the
	 * same). */
	struct timespec ts;

	if (tmo)
		ts = *tmo;
	return (int)__syscall_ret(__syscall5(__NR_ppoll, (long)fds, (long)nfds,
					     tmo ? (long)&ts : 0, (long)sigmask,
					     sizeof(sigset_t)));
}

int select(int n, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
	   struct timeval *timeout)
{
	return (int)__syscall_ret(__syscall5(__NR_select, n, (long)readfds,
					     (long)writefds, (long)exceptfds,
					     (long)timeout));
}

int pselect(int n, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
	    const struct timespec *timeout, const sigset_t *sigmask)
{
	/* The sixth argument: the mask's address and size (Linux's
	 * sigset_argpack); the timespec copied, as in ppoll(). */
	struct {
		const sigset_t *p;
		unsigned long size;
	} sig = { sigmask, sizeof(sigset_t) };
	struct timespec ts;

	if (timeout)
		ts = *timeout;
	return (int)__syscall_ret(__syscall6(__NR_pselect6, n, (long)readfds,
					     (long)writefds, (long)exceptfds,
					     timeout ? (long)&ts : 0,
					     (long)&sig));
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	long arg;

	va_start(ap, request);
	arg = va_arg(ap, long);
	va_end(ap);
	return (int)__syscall_ret(
		__syscall3(__NR_ioctl, fd, (long)request, arg));
}

int tcgetattr(int fd, struct termios *t)
{
	return ioctl(fd, TCGETS, t);
}

int tcsetattr(int fd, int when, const struct termios *t)
{
	if (when < TCSANOW || when > TCSAFLUSH) {
		errno = EINVAL;
		return -1;
	}
	return ioctl(fd, TCSETS + (unsigned long)when, t);
}

int isatty(int fd)
{
	struct termios t;

	return tcgetattr(fd, &t) == 0;
}
