/*
 * bits/fs_unistd.h - the file calls glibc declares in <unistd.h>,
 * included from there (kept apart so that they read as one group).
 * Wrappers in libc/fileio.c and libc/dir.c; each returns -1 with errno
 * set on failure.
 */
#ifndef _BITS_FS_UNISTD_H
#define _BITS_FS_UNISTD_H

#include <sys/types.h>

/* access(2) modes and lseek(2) origins (Linux's). */
#define F_OK	  0
#define X_OK	  1
#define W_OK	  2
#define R_OK	  4
#define SEEK_SET  0
#define SEEK_CUR  1
#define SEEK_END  2
#define SEEK_DATA 3
#define SEEK_HOLE 4

off_t lseek(int fd, off_t offset, int whence);
ssize_t pread(int fd, void *buf, size_t count, off_t offset);
ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset);
int ftruncate(int fd, off_t length);
int truncate(const char *path, off_t length);
int dup(int fd);
int dup2(int oldfd, int newfd);
int dup3(int oldfd, int newfd, int flags);
int unlink(const char *path);
int unlinkat(int dirfd, const char *path, int flags);
int rmdir(const char *path);
int chdir(const char *path);
int fchdir(int fd);
/* getcwd - the working directory into buf (size bytes); buf NULL: a
 * malloc'ed copy (of size bytes, or as long as needed when size is 0),
 * as glibc's. */
char *getcwd(char *buf, size_t size);
int access(const char *path, int mode);
int faccessat(int dirfd, const char *path, int mode, int flags);
ssize_t readlink(const char *path, char *buf, size_t bufsiz);
ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t bufsiz);
int chown(const char *path, uid_t owner, gid_t group);
int fchown(int fd, uid_t owner, gid_t group);
int lchown(const char *path, uid_t owner, gid_t group);
int fchownat(int dirfd, const char *path, uid_t owner, gid_t group, int flags);
int link(const char *oldpath, const char *newpath);
int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
	   int flags);
int symlink(const char *target, const char *linkpath);
int symlinkat(const char *target, int newdirfd, const char *linkpath);

#endif
