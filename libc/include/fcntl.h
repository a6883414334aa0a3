/*
 * fcntl.h - open(2), openat(2), creat(2) and fcntl(2), with Linux's flag
 * values (include/uapi/linux/fcntl.h: O_*, F_*, AT_*). Wrappers in
 * libc/fcntl.c; each returns -1 with errno set on failure, as glibc's.
 */
#ifndef _FCNTL_H
#define _FCNTL_H

#include <sys/types.h>
#include <linux/fcntl.h>

/* open - open path with flags (O_RDONLY, O_WRONLY or O_RDWR, and O_CREAT,
 * O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_CLOEXEC, O_NONBLOCK); with
 * O_CREAT the third argument is the new file's mode. Returns the fd. */
int open(const char *path, int flags, ...);
/* openat - open relative to directory fd dirfd (AT_FDCWD: the cwd). */
int openat(int dirfd, const char *path, int flags, ...);
/* creat - open(path, O_CREAT | O_WRONLY | O_TRUNC, mode). */
int creat(const char *path, mode_t mode);
/* fcntl - F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL
 * (one int or long argument). */
int fcntl(int fd, int cmd, ...);

#endif
