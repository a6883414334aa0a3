/*
 * fileio.c - the calls on an open file's bytes and size beside read and
 * write (libc/unistd.c): lseek(2), pread(2), pwrite(2), readv(2),
 * writev(2), ftruncate(2), truncate(2). -1 with errno set on failure.
 */
#include <sys/uio.h>
#include <unistd.h>
#include "syscall_arch.h"

#define RET(x) return __syscall_ret(x)

off_t lseek(int fd, off_t offset, int whence)
{
	RET(__syscall3(__NR_lseek, fd, offset, whence));
}

ssize_t pread(int fd, void *buf, size_t count, off_t offset)
{
	RET(__syscall4(__NR_pread64, fd, (long)buf, (long)count, offset));
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
	RET(__syscall4(__NR_pwrite64, fd, (long)buf, (long)count, offset));
}

ssize_t readv(int fd, const struct iovec *iov, int iovcnt)
{
	RET(__syscall3(__NR_readv, fd, (long)iov, iovcnt));
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	RET(__syscall3(__NR_writev, fd, (long)iov, iovcnt));
}

int ftruncate(int fd, off_t length)
{
	return (int)__syscall_ret(__syscall2(__NR_ftruncate, fd, length));
}

int truncate(const char *path, off_t length)
{
	return (int)__syscall_ret(
		__syscall2(__NR_truncate, (long)path, length));
}
