/*
 * dir.c - the calls on names and directories: chdir(2), fchdir(2),
 * getcwd(3), unlink(2), unlinkat(2), rmdir(2), rename(2), renameat(2),
 * access(2), faccessat(2), readlink(2), readlinkat(2), chown(2),
 * fchown(2), lchown(2), fchownat(2), link(2), linkat(2), symlink(2),
 * symlinkat(2). -1 (NULL for
 * getcwd) with errno set on failure, as glibc's.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "syscall_arch.h"

#define RET(x) return (int)__syscall_ret(x)

int chdir(const char *path)
{
	RET(__syscall1(__NR_chdir, (long)path));
}

int fchdir(int fd)
{
	RET(__syscall1(__NR_fchdir, fd));
}

char *getcwd(char *buf, size_t size)
{
	char *mine = NULL;
	long r;

	if (!buf) {
		if (size == 0)
			size = 4096; /* PATH_MAX: the longest there is */
		buf = mine = malloc(size);
		if (!buf)
			return NULL;
	}
	r = __syscall_ret(__syscall2(__NR_getcwd, (long)buf, (long)size));
	if (r < 0) {
		free(mine);
		return NULL;
	}
	return buf;
}

int unlinkat(int dirfd, const char *path, int flags)
{
	RET(__syscall3(__NR_unlinkat, dirfd, (long)path, flags));
}

int unlink(const char *path)
{
	return unlinkat(AT_FDCWD, path, 0);
}

int rmdir(const char *path)
{
	return unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

int renameat(int olddirfd, const char *oldpath, int newdirfd,
	     const char *newpath)
{
	RET(__syscall4(__NR_renameat, olddirfd, (long)oldpath, newdirfd,
		       (long)newpath));
}

int rename(const char *oldpath, const char *newpath)
{
	return renameat(AT_FDCWD, oldpath, AT_FDCWD, newpath);
}

int faccessat(int dirfd, const char *path, int mode, int flags)
{
	if (flags) { /* faccessat2(2) is not there: only flags 0 */
		errno = EINVAL;
		return -1;
	}
	RET(__syscall3(__NR_faccessat, dirfd, (long)path, mode));
}

int access(const char *path, int mode)
{
	return faccessat(AT_FDCWD, path, mode, 0);
}

ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t bufsiz)
{
	return __syscall_ret(__syscall4(__NR_readlinkat, dirfd, (long)path,
					(long)buf, (long)bufsiz));
}

ssize_t readlink(const char *path, char *buf, size_t bufsiz)
{
	return readlinkat(AT_FDCWD, path, buf, bufsiz);
}

int fchownat(int dirfd, const char *path, uid_t owner, gid_t group, int flags)
{
	RET(__syscall5(__NR_fchownat, dirfd, (long)path, owner, group, flags));
}

int chown(const char *path, uid_t owner, gid_t group)
{
	RET(__syscall3(__NR_chown, (long)path, owner, group));
}

int lchown(const char *path, uid_t owner, gid_t group)
{
	RET(__syscall3(__NR_lchown, (long)path, owner, group));
}

int fchown(int fd, uid_t owner, gid_t group)
{
	RET(__syscall3(__NR_fchown, fd, owner, group));
}

int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
	   int flags)
{
	RET(__syscall5(__NR_linkat, olddirfd, (long)oldpath, newdirfd,
		       (long)newpath, flags));
}

int link(const char *oldpath, const char *newpath)
{
	RET(__syscall2(__NR_link, (long)oldpath, (long)newpath));
}

int symlinkat(const char *target, int newdirfd, const char *linkpath)
{
	RET(__syscall3(__NR_symlinkat, (long)target, newdirfd, (long)linkpath));
}

int symlink(const char *target, const char *linkpath)
{
	RET(__syscall2(__NR_symlink, (long)target, (long)linkpath));
}
