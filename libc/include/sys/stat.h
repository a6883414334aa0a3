/*
 * sys/stat.h - file attributes: struct stat in glibc's x86-64 layout
 * (Linux's struct stat, include/uapi/asm/stat.h, with the times as
 * struct timespec), the mode bits, and stat(2), fstat(2), lstat(2),
 * fstatat(2), mkdir(2), mkdirat(2), umask(2), chmod(2), fchmod(2),
 * fchmodat(2), utimensat(2), futimens(3). Wrappers in libc/stat.c.
 */
#ifndef _SYS_STAT_H
#define _SYS_STAT_H

#include <sys/types.h>
#include <time.h>

typedef unsigned long dev_t;
typedef unsigned long ino_t;
typedef unsigned long nlink_t;
typedef long blksize_t;
typedef long blkcnt_t;

struct stat {
	dev_t st_dev;
	ino_t st_ino;
	nlink_t st_nlink;
	mode_t st_mode;
	uid_t st_uid;
	gid_t st_gid;
	int __pad0;
	dev_t st_rdev;
	off_t st_size;
	blksize_t st_blksize;
	blkcnt_t st_blocks; /* 512-byte blocks */
	struct timespec st_atim;
	struct timespec st_mtim;
	struct timespec st_ctim;
	long __glibc_reserved[3];
};
#define st_atime st_atim.tv_sec
#define st_mtime st_mtim.tv_sec
#define st_ctime st_ctim.tv_sec

/* clang-format off */
#define S_IFMT   0170000
#define S_IFSOCK 0140000
#define S_IFLNK  0120000
#define S_IFREG  0100000
#define S_IFBLK  0060000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFIFO  0010000
#define S_ISUID  0004000
#define S_ISGID  0002000
#define S_ISVTX  0001000
#define S_ISLNK(m)  (((m) & S_IFMT) == S_IFLNK)
#define S_ISREG(m)  (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)  (((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m)  (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)  (((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)
#define S_IRWXU 0700
#define S_IRUSR 0400
#define S_IWUSR 0200
#define S_IXUSR 0100
#define S_IRWXG 0070
#define S_IRGRP 0040
#define S_IWGRP 0020
#define S_IXGRP 0010
#define S_IRWXO 0007
#define S_IROTH 0004
#define S_IWOTH 0002
#define S_IXOTH 0001
/* clang-format on */

int stat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);
int lstat(const char *path, struct stat *st);
/* fstatat - stat relative to dirfd; flags AT_SYMLINK_NOFOLLOW,
 * AT_EMPTY_PATH. */
int fstatat(int dirfd, const char *path, struct stat *st, int flags);
int mkdir(const char *path, mode_t mode);
int mkdirat(int dirfd, const char *path, mode_t mode);
/* umask - set the creation mask, return the old one (never fails). */
mode_t umask(mode_t mask);
int chmod(const char *path, mode_t mode);
int fchmod(int fd, mode_t mode);
/* fchmodat - flags 0 only: the system call has none (AT_SYMLINK_NOFOLLOW
 * is ENOTSUP, as glibc's for a link; other flags EINVAL). */
int fchmodat(int dirfd, const char *path, mode_t mode, int flags);

/* utimensat(2) tv_nsec values: set to now, leave as it is (Linux's). */
#define UTIME_NOW  ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)
/* utimensat - set path's atime and mtime (times[0], times[1]; NULL:
 * both now); flags AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH. */
int utimensat(int dirfd, const char *path, const struct timespec times[2],
	      int flags);
/* futimens - utimensat of the file open at fd. */
int futimens(int fd, const struct timespec times[2]);

#endif
