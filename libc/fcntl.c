/*
 * fcntl.c - open(2), openat(2), creat(2), fcntl(2), dup(2), dup2(2) and
 * dup3(2) over Linux's calls (include/uapi/asm/unistd.h). Each returns
 * -1 and sets errno on failure, as glibc's.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>
#include "syscall_arch.h"

#define RET(x) return (int)__syscall_ret(x)

/* The mode argument, present only when the flags create a file. */
#define OPEN_MODE(flags, ap, mode)                   \
	do {                                         \
		if ((flags)&O_CREAT) {               \
			va_start(ap, flags);         \
			mode = va_arg(ap, unsigned); \
			va_end(ap);                  \
		}                                    \
	} while (0)

int open(const char *path, int flags, ...)
{
	unsigned mode = 0;
	va_list ap;

	OPEN_MODE(flags, ap, mode);
	RET(__syscall4(__NR_openat, AT_FDCWD, (long)path, flags, mode));
}

int openat(int dirfd, const char *path, int flags, ...)
{
	unsigned mode = 0;
	va_list ap;

	OPEN_MODE(flags, ap, mode);
	RET(__syscall4(__NR_openat, dirfd, (long)path, flags, mode));
}

int creat(const char *path, mode_t mode)
{
	return open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

int fcntl(int fd, int cmd, ...)
{
	unsigned long arg;
	va_list ap;

	va_start(ap, cmd);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	RET(__syscall3(__NR_fcntl, fd, cmd, (long)arg));
}

int dup(int fd)
{
	RET(__syscall1(__NR_dup, fd));
}

int dup2(int oldfd, int newfd)
{
	RET(__syscall2(__NR_dup2, oldfd, newfd));
}

int dup3(int oldfd, int newfd, int flags)
{
	RET(__syscall3(__NR_dup3, oldfd, newfd, flags));
}
