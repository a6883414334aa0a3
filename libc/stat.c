/*
 * stat.c - stat(2), fstat(2), lstat(2), fstatat(2), mkdir(2),
 * mkdirat(2), umask(2), chmod(2), fchmod(2), fchmodat(2), utimensat(2),
 * futimens(3). The kernel's struct stat and ours
 * (libc/include/sys/stat.h) are the same 144 bytes, so the calls fill it
 * directly, as glibc's do on x86-64.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "syscall_arch.h"

#define RET(x) return (int)__syscall_ret(x)

_Static_assert(sizeof(struct stat) == 144, "Linux's x86-64 struct stat");

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	RET(__syscall4(__NR_newfstatat, dirfd, (long)path, (long)st, flags));
}

int stat(const char *path, struct stat *st)
{
	return fstatat(AT_FDCWD, path, st, 0);
}

int lstat(const char *path, struct stat *st)
{
	return fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

int fstat(int fd, struct stat *st)
{
	RET(__syscall2(__NR_fstat, fd, (long)st));
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	RET(__syscall3(__NR_mkdirat, dirfd, (long)path, mode));
}

int mkdir(const char *path, mode_t mode)
{
	return mkdirat(AT_FDCWD, path, mode);
}

mode_t umask(mode_t mask)
{
	return (mode_t)__syscall1(__NR_umask, mask);
}

int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	/* The system call has no flags; glibc's AT_SYMLINK_NOFOLLOW
	 * emulation is not here: ENOTSUP as glibc gives for a link. */
	if (flags) {
		errno = flags == AT_SYMLINK_NOFOLLOW ? ENOTSUP : EINVAL;
		return -1;
	}
	RET(__syscall3(__NR_fchmodat, dirfd, (long)path, mode));
}

int chmod(const char *path, mode_t mode)
{
	RET(__syscall2(__NR_chmod, (long)path, mode));
}

int fchmod(int fd, mode_t mode)
{
	RET(__syscall2(__NR_fchmod, fd, mode));
}

int utimensat(int dirfd, const char *path, const struct timespec times[2],
	      int flags)
{
	RET(__syscall4(__NR_utimensat, dirfd, (long)path, (long)times, flags));
}

int futimens(int fd, const struct timespec times[2])
{
	/* glibc's: a NULL path is the kernel's "the fd itself". */
	return utimensat(fd, 0, times, 0);
}
