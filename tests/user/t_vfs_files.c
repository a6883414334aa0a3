/*
 * t_vfs_files - files and directories behave as on Linux: create, write,
 * read back, lseek, pread/pwrite, readv/writev, O_APPEND, O_TRUNC,
 * ftruncate and truncate (growing reads zeros), stat and fstat, rename
 * (replacing, across directories), unlink of an open file, mkdir, rmdir,
 * getdents64 (".", "..", every name once, d_type), chdir, fchdir,
 * getcwd, umask, /dev/null and /dev/zero; a file's attributes (utimensat
 * and futimens with UTIME_NOW and UTIME_OMIT, chmod, chown and the
 * set-id bits chown clears, the ctime each change sets), symbolic links
 * (readlink, lstat, O_NOFOLLOW, ELOOP after 40, relative and dangling
 * targets) and hard links (st_nlink, EEXIST, EPERM, EXDEV into /proc,
 * AT_EMPTY_PATH of an unlinked file), statx against stat, sendfile
 * to a file and a pipe. Works in a scratch directory
 * under /tmp that it removes again, so the free-page count is back where
 * it was (usertests checks it on this kernel).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_vfs_files"
#include "utest.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

struct dirent64_rec {
	unsigned long d_ino;
	long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

#define DT_DIR_ 4
#define DT_REG_ 8

static char scratch[64];

/* Read all of path into buf (at most size - 1 bytes, NUL-terminated). */
static long slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

static int make_file(const char *path, const char *text)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	long n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (long)strlen(text) ? 0 : -1;
}

static void test_read_write(void)
{
	char buf[64];
	struct stat st;
	int fd;

	fd = open("f", O_CREAT | O_EXCL | O_RDWR, 0600);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "hello, ", 7), 7);
	CHECK_EQ(write(fd, "world", 5), 5);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 12);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(read(fd, buf, sizeof(buf)), 12);
	CHECK(strcmp(buf, "hello, world") == 0);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 0); /* end of file */
	CHECK_EQ(lseek(fd, -5, SEEK_END), 7);
	CHECK_EQ(read(fd, buf, 5), 5);
	CHECK(memcmp(buf, "world", 5) == 0);
	/* pread/pwrite leave the position alone. */
	CHECK_EQ(pwrite(fd, "W", 1, 7), 1);
	CHECK_EQ(pread(fd, buf, 5, 7), 5);
	CHECK(memcmp(buf, "World", 5) == 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 12);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_mode & 07777, 0600 & ~022);
	CHECK_EQ(st.st_size, 12);
	CHECK_EQ(st.st_nlink, 1);
	/* A write far past the end: the hole reads as zeros. */
	CHECK_EQ(pwrite(fd, "end", 3, 3 * 4096 + 10), 3);
	CHECK_EQ(pread(fd, buf, 8, 4096), 8);
	CHECK(memcmp(buf, "\0\0\0\0\0\0\0\0", 8) == 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 3 * 4096 + 13);
	CHECK_EQ(lseek(fd, 0, SEEK_END), 3 * 4096 + 13);
	CHECK_EQ(close(fd), 0);

	/* O_TRUNC empties, O_APPEND appends whatever the position. */
	fd = open("f", O_WRONLY | O_TRUNC | O_APPEND);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "ab", 2), 2);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(write(fd, "cd", 2), 2);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(slurp("f", buf, sizeof(buf)), 4);
	CHECK(strcmp(buf, "abcd") == 0);
	CHECK_EQ(stat("f", &st), 0);
	CHECK_EQ(st.st_size, 4);

	/* readv and writev: one call over several buffers. */
	{
		char a[3], b[4];
		struct iovec w[2] = { { "xyz", 3 }, { "1234", 4 } };
		struct iovec r[2] = { { a, sizeof(a) }, { b, sizeof(b) } };

		fd = open("f", O_RDWR | O_TRUNC);
		CHECK(fd >= 0);
		CHECK_EQ(writev(fd, w, 2), 7);
		CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
		CHECK_EQ(readv(fd, r, 2), 7);
		CHECK(memcmp(a, "xyz", 3) == 0 && memcmp(b, "1234", 4) == 0);
		CHECK_EQ(readv(fd, r, 0), 0);
		CHECK_EQ(close(fd), 0);
	}
}

static void test_truncate(void)
{
	char buf[8192];
	struct stat st;
	int fd = open("t", O_CREAT | O_RDWR, 0644), zeros = 1;

	CHECK(fd >= 0);
	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(write(fd, buf, sizeof(buf)), (long)sizeof(buf));
	/* Shrink into the middle of a page, then grow: zeros after. */
	CHECK_EQ(ftruncate(fd, 100), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 100);
	CHECK_EQ(ftruncate(fd, 6000), 0);
	CHECK_EQ(pread(fd, buf, sizeof(buf), 0), 6000);
	for (int i = 0; i < 100; i++)
		zeros &= buf[i] == 'x';
	CHECK(zeros);
	zeros = 1;
	for (int i = 100; i < 6000; i++)
		zeros &= buf[i] == 0;
	CHECK(zeros);
	CHECK_EQ(truncate("t", 1), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 1);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(unlink("t"), 0);
}

/* The names of directory path (not "." and ".."), joined by spaces in
 * the order given; their count, or -1. Checks "." and ".." are there. */
static int list_dir(const char *path, char *out, size_t size)
{
	char buf[512];
	int fd = open(path, O_RDONLY | O_DIRECTORY), n = 0, dots = 0;
	long got;

	out[0] = '\0';
	if (fd < 0)
		return -1;
	/* A small buffer: several calls, each continuing from the last. */
	while ((got = syscall(SYS_getdents64, fd, buf, 64)) > 0) {
		for (long off = 0; off < got;) {
			struct dirent64_rec *d = (void *)(buf + off);

			if (!strcmp(d->d_name, ".") ||
			    !strcmp(d->d_name, "..")) {
				dots++;
				CHECK_EQ(d->d_type, DT_DIR_);
			} else {
				if (strlen(out) + strlen(d->d_name) + 2 <
				    size) {
					strcat(out, d->d_name);
					strcat(out, " ");
				}
				n++;
			}
			off += d->d_reclen;
		}
	}
	CHECK_EQ(got, 0);
	CHECK_EQ(dots, 2);
	close(fd);
	return n;
}

static void test_dirs(void)
{
	char names[256], buf[256];
	struct stat st, st2;
	int fd, n;

	CHECK_EQ(mkdir("d", 0755), 0);
	CHECK_EQ(stat("d", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(st.st_nlink, 2);
	CHECK_EQ(stat(".", &st2), 0);
	CHECK_EQ(make_file("d/a", "A"), 0);
	CHECK_EQ(make_file("d/b", "B"), 0);
	CHECK_EQ(mkdir("d/sub", 0700), 0);
	CHECK_EQ(stat("d", &st), 0);
	CHECK_EQ(st.st_nlink, 3); /* ".", its name, sub's ".." */
	n = list_dir("d", names, sizeof(names));
	CHECK_EQ(n, 3);
	CHECK(strstr(names, "a ") && strstr(names, "b ") &&
	      strstr(names, "sub "));
	/* d_type of a file. */
	{
		char dbuf[256];
		long got;

		fd = open("d", O_RDONLY | O_DIRECTORY);
		CHECK(fd >= 0);
		got = syscall(SYS_getdents64, fd, dbuf, sizeof(dbuf));
		CHECK(got > 0);
		for (long off = 0; off < got;) {
			struct dirent64_rec *d = (void *)(dbuf + off);

			if (!strcmp(d->d_name, "a"))
				CHECK_EQ(d->d_type, DT_REG_);
			if (!strcmp(d->d_name, "sub"))
				CHECK_EQ(d->d_type, DT_DIR_);
			off += d->d_reclen;
		}
		/* Rewind: everything again. */
		CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
		CHECK_EQ(syscall(SYS_getdents64, fd, dbuf, sizeof(dbuf)), got);
		close(fd);
	}

	/* rename: within a directory, replacing a file, across directories. */
	CHECK_EQ(rename("d/a", "d/c"), 0);
	CHECK_ERR(stat("d/a", &st), ENOENT);
	CHECK_EQ(slurp("d/c", buf, sizeof(buf)), 1);
	CHECK(strcmp(buf, "A") == 0);
	CHECK_EQ(rename("d/b", "d/c"), 0); /* replaces c */
	CHECK_EQ(slurp("d/c", buf, sizeof(buf)), 1);
	CHECK(strcmp(buf, "B") == 0);
	CHECK_EQ(rename("d/c", "d/sub/c"), 0);
	CHECK_EQ(slurp("d/sub/c", buf, sizeof(buf)), 1);
	CHECK_EQ(rename("d/sub/c", "d/sub/c"), 0); /* onto itself: nothing */
	CHECK_EQ(list_dir("d", names, sizeof(names)), 1);
	/* A directory moves with its contents; ".." follows it. */
	CHECK_EQ(mkdir("e", 0755), 0);
	CHECK_EQ(rename("d/sub", "e/moved"), 0);
	CHECK_EQ(slurp("e/moved/c", buf, sizeof(buf)), 1);
	CHECK_EQ(stat("e/moved/..", &st), 0);
	CHECK_EQ(stat("e", &st2), 0);
	CHECK_EQ(st.st_ino, st2.st_ino);
	CHECK_EQ(st2.st_nlink, 3);
	CHECK_EQ(stat("d", &st), 0);
	CHECK_EQ(st.st_nlink, 2);
	/* An empty directory replaces an empty directory. */
	CHECK_EQ(mkdir("d/empty", 0755), 0);
	CHECK_EQ(rename("d/empty", "e/moved2"), 0);
	CHECK_EQ(mkdir("d/empty2", 0755), 0);
	CHECK_EQ(rename("d/empty2", "e/moved2"), 0);
	CHECK_EQ(rmdir("e/moved2"), 0);

	/* Unlink an open file: it stays readable until closed. */
	fd = open("e/moved/c", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(unlink("e/moved/c"), 0);
	CHECK_ERR(stat("e/moved/c", &st), ENOENT);
	CHECK_EQ(read(fd, buf, 1), 1);
	CHECK_EQ(buf[0], 'B');
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_nlink, 0);
	CHECK_EQ(close(fd), 0);

	CHECK_EQ(rmdir("e/moved"), 0);
	CHECK_EQ(rmdir("e"), 0);
	CHECK_EQ(rmdir("d/"), 0); /* a trailing slash is fine for rmdir */
	CHECK_ERR(stat("d", &st), ENOENT);
}

static void test_cwd(void)
{
	char cwd[256], here[256];
	struct stat st, st2;
	int dfd;

	CHECK(getcwd(here, sizeof(here)) != NULL);
	CHECK(strcmp(here, scratch) == 0);
	CHECK_EQ(mkdir("c", 0755), 0);
	CHECK_EQ(mkdir("c/d", 0755), 0);
	CHECK_EQ(chdir("c//d/"), 0);
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(strlen(cwd) == strlen(here) + 4 &&
	      strcmp(cwd + strlen(here), "/c/d") == 0);
	CHECK_EQ(make_file("rel", "r"), 0);
	CHECK_EQ(chdir("../.."), 0);
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(strcmp(cwd, here) == 0);
	CHECK_EQ(stat("c/./d/../d/rel", &st), 0);
	CHECK_EQ(st.st_size, 1);
	/* openat/fstatat/mkdirat/unlinkat/renameat relative to a dir fd. */
	dfd = open("c", O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0);
	CHECK_EQ(fstatat(dfd, "d/rel", &st, 0), 0);
	CHECK_EQ(mkdirat(dfd, "x", 0755), 0);
	CHECK_EQ(renameat(dfd, "d/rel", dfd, "x/rel"), 0);
	CHECK_EQ(unlinkat(dfd, "x/rel", 0), 0);
	CHECK_EQ(unlinkat(dfd, "x", AT_REMOVEDIR), 0);
	CHECK_EQ(fstatat(dfd, "", &st, AT_EMPTY_PATH), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(fchdir(dfd), 0);
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(strcmp(cwd + strlen(here), "/c") == 0);
	CHECK_EQ(close(dfd), 0);
	CHECK_EQ(chdir(".."), 0);
	/* ".." at the root stays at the root. */
	CHECK_EQ(stat("/..", &st), 0);
	CHECK_EQ(stat("/", &st2), 0);
	CHECK_EQ(st.st_ino, st2.st_ino);
	CHECK_EQ(rmdir("c/d"), 0);
	CHECK_EQ(rmdir("c"), 0);

	/* umask: applied to new files and directories, returns the old. */
	CHECK_EQ(umask(077), 022);
	CHECK_EQ(make_file("m", "m"), 0);
	CHECK_EQ(stat("m", &st), 0);
	CHECK_EQ(st.st_mode & 0777, 0600);
	CHECK_EQ(umask(022), 077);
	CHECK_EQ(unlink("m"), 0);

	/* access: F_OK, and X_OK wants an x bit (root too). */
	CHECK_EQ(make_file("x", "x"), 0);
	CHECK_EQ(access("x", F_OK), 0);
	CHECK_EQ(access("x", R_OK | W_OK), 0);
	CHECK_ERR(access("x", X_OK), EACCES);
	CHECK_EQ(access(".", X_OK), 0);
	CHECK_EQ(unlink("x"), 0);
}

static void test_devices(void)
{
	char buf[16];
	int fd = open("/dev/null", O_RDWR);

	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "gone", 4), 4);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 0);
	CHECK_EQ(lseek(fd, 100, SEEK_SET), 0);
	CHECK_EQ(close(fd), 0);
	fd = open("/dev/zero", O_RDONLY);
	CHECK(fd >= 0);
	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(read(fd, buf, sizeof(buf)), (long)sizeof(buf));
	CHECK(buf[0] == 0 && buf[15] == 0);
	CHECK_EQ(close(fd), 0);
}

#define KPTR ((void *)0xffffffff80000000UL) /* the kernel's text */

/* a - b in nanoseconds */
static long long ts_diff(struct timespec a, struct timespec b)
{
	return (a.tv_sec - b.tv_sec) * 1000000000LL + (a.tv_nsec - b.tv_nsec);
}

/* Is t within [lo - 1 s, hi]? Linux stamps files from a clock that
 * may lag clock_gettime() by a tick, never lead it. */
static int ts_now(struct timespec t, struct timespec lo, struct timespec hi)
{
	return ts_diff(t, lo) >= -1000000000LL && ts_diff(hi, t) >= 0;
}

static void nap(void)
{
	struct timespec d = { 0, 30 * 1000 * 1000 };

	nanosleep(&d, NULL);
}

static void test_times(void)
{
	struct timespec t[2], lo, hi, bad[2];
	struct stat st, st2;
	int fd;

	clock_gettime(CLOCK_REALTIME, &lo);
	CHECK_EQ(make_file("tm", "x"), 0);
	clock_gettime(CLOCK_REALTIME, &hi);
	CHECK_EQ(stat("tm", &st), 0);
	CHECK(ts_now(st.st_mtim, lo, hi));
	CHECK(ts_now(st.st_ctim, lo, hi));
	/* Set both, to the nanosecond; ctime is now. */
	t[0].tv_sec = 1000;
	t[0].tv_nsec = 5;
	t[1].tv_sec = 2000;
	t[1].tv_nsec = 6;
	clock_gettime(CLOCK_REALTIME, &lo);
	CHECK_EQ(utimensat(AT_FDCWD, "tm", t, 0), 0);
	clock_gettime(CLOCK_REALTIME, &hi);
	CHECK_EQ(stat("tm", &st), 0);
	CHECK_EQ(st.st_atim.tv_sec, 1000);
	CHECK_EQ(st.st_atim.tv_nsec, 5);
	CHECK_EQ(st.st_mtim.tv_sec, 2000);
	CHECK_EQ(st.st_mtim.tv_nsec, 6);
	CHECK(ts_now(st.st_ctim, lo, hi));
	/* UTIME_OMIT keeps atime; UTIME_NOW is now. */
	t[0].tv_nsec = UTIME_OMIT;
	t[1].tv_sec = 3000;
	t[1].tv_nsec = 0;
	CHECK_EQ(utimensat(AT_FDCWD, "tm", t, 0), 0);
	CHECK_EQ(stat("tm", &st), 0);
	CHECK_EQ(st.st_atim.tv_sec, 1000);
	CHECK_EQ(st.st_atim.tv_nsec, 5);
	CHECK_EQ(st.st_mtim.tv_sec, 3000);
	t[0].tv_nsec = 7;
	t[1].tv_nsec = UTIME_NOW;
	clock_gettime(CLOCK_REALTIME, &lo);
	CHECK_EQ(utimensat(AT_FDCWD, "tm", t, 0), 0);
	clock_gettime(CLOCK_REALTIME, &hi);
	CHECK_EQ(stat("tm", &st), 0);
	CHECK_EQ(st.st_atim.tv_sec, 1000);
	CHECK_EQ(st.st_atim.tv_nsec, 7);
	CHECK(ts_now(st.st_mtim, lo, hi));
	/* NULL: both now (touch). */
	clock_gettime(CLOCK_REALTIME, &lo);
	CHECK_EQ(utimensat(AT_FDCWD, "tm", NULL, 0), 0);
	clock_gettime(CLOCK_REALTIME, &hi);
	CHECK_EQ(stat("tm", &st), 0);
	CHECK(ts_now(st.st_atim, lo, hi));
	CHECK(ts_now(st.st_mtim, lo, hi));
	/* Both UTIME_OMIT: 0 before the path is even looked at. */
	t[0].tv_nsec = t[1].tv_nsec = UTIME_OMIT;
	CHECK_EQ(utimensat(AT_FDCWD, "missing", t, 0), 0);
	/* futimens: the fd's file; a NULL path with flags is EINVAL. */
	fd = open("tm", O_RDONLY);
	CHECK(fd >= 0);
	t[0].tv_sec = 11;
	t[0].tv_nsec = 0;
	t[1].tv_sec = 12;
	t[1].tv_nsec = 999999999;
	CHECK_EQ(futimens(fd, t), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_atim.tv_sec, 11);
	CHECK_EQ(st.st_mtim.tv_sec, 12);
	CHECK_EQ(st.st_mtim.tv_nsec, 999999999);
	CHECK_ERR(syscall(SYS_utimensat, fd, (void *)0, t, AT_SYMLINK_NOFOLLOW),
		  EINVAL);
	CHECK_ERR(syscall(SYS_utimensat, 999, (void *)0, t, 0), EBADF);
	/* AT_EMPTY_PATH names the fd too. */
	t[1].tv_sec = 13;
	CHECK_EQ(syscall(SYS_utimensat, fd, "", t, AT_EMPTY_PATH), 0);
	CHECK_EQ(stat("tm", &st), 0);
	CHECK_EQ(st.st_mtim.tv_sec, 13);
	CHECK_EQ(close(fd), 0);
	/* Errors: bad nsec and flags EINVAL, but the lookup comes first. */
	bad[0].tv_sec = bad[1].tv_sec = 0;
	bad[0].tv_nsec = 1000000000;
	bad[1].tv_nsec = 0;
	CHECK_ERR(utimensat(AT_FDCWD, "tm", bad, 0), EINVAL);
	bad[0].tv_nsec = -1;
	CHECK_ERR(utimensat(AT_FDCWD, "tm", bad, 0), EINVAL);
	CHECK_ERR(utimensat(AT_FDCWD, "missing", bad, 0), ENOENT);
	CHECK_ERR(utimensat(AT_FDCWD, "tm", NULL, 0x8000), EINVAL);
	CHECK_ERR(utimensat(AT_FDCWD, "missing", NULL, 0), ENOENT);
	CHECK_ERR(utimensat(AT_FDCWD, "tm/x", NULL, 0), ENOTDIR);
	CHECK_ERR(syscall(SYS_utimensat, AT_FDCWD, "tm", KPTR, 0), EFAULT);
	CHECK_ERR(syscall(SYS_utimensat, AT_FDCWD, KPTR, (void *)0, 0), EFAULT);
	CHECK_ERR(syscall(SYS_utimensat, AT_FDCWD, (void *)0, (void *)0, 0),
		  EFAULT);
	CHECK_ERR(syscall(SYS_utimensat, 999, "tm", (void *)0, 0), EBADF);
	/* A write sets mtime; the one before (now, not 13 s: this
	 * kernel's real-time clock starts at boot) is older. */
	CHECK_EQ(utimensat(AT_FDCWD, "tm", NULL, 0), 0);
	CHECK_EQ(stat("tm", &st2), 0);
	nap();
	CHECK_EQ(make_file("tm", "y"), 0);
	CHECK_EQ(stat("tm", &st), 0);
	CHECK(ts_diff(st.st_mtim, st2.st_mtim) > 0);
	CHECK_EQ(unlink("tm"), 0);
}

static void test_modes(void)
{
	struct stat st, st0;
	int fd;

	CHECK_EQ(make_file("md", "x"), 0);
	CHECK_EQ(stat("md", &st0), 0);
	CHECK_EQ(st0.st_uid, 0); /* root: made by uid 0 */
	CHECK_EQ(st0.st_gid, 0);
	nap();
	CHECK_EQ(chmod("md", 04751), 0);
	CHECK_EQ(stat("md", &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 04751);
	CHECK(ts_diff(st.st_ctim, st0.st_ctim) > 0);	 /* ctime moved */
	CHECK_EQ(st.st_mtim.tv_sec, st0.st_mtim.tv_sec); /* mtime did not */
	CHECK_EQ(st.st_mtim.tv_nsec, st0.st_mtim.tv_nsec);
	/* Only the permission bits: the type stays a regular file. */
	CHECK_EQ(chmod("md", 0170777), 0);
	CHECK_EQ(stat("md", &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0777);
	fd = open("md", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(fchmod(fd, 0600), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0600);
	CHECK_EQ(fchmodat(AT_FDCWD, "md", 0640, 0), 0);
	CHECK_EQ(stat("md", &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0640);
	/* chown: stored and shown; -1 keeps. */
	CHECK_EQ(chown("md", 1234, 5678), 0);
	CHECK_EQ(stat("md", &st), 0);
	CHECK_EQ(st.st_uid, 1234);
	CHECK_EQ(st.st_gid, 5678);
	CHECK_EQ(chown("md", (uid_t)-1, 42), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_uid, 1234);
	CHECK_EQ(st.st_gid, 42);
	CHECK_EQ(fchown(fd, 7, (gid_t)-1), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_uid, 7);
	CHECK_EQ(st.st_gid, 42);
	CHECK_EQ(fchownat(AT_FDCWD, "md", 0, 0, 0), 0);
	CHECK_EQ(stat("md", &st), 0);
	CHECK_EQ(st.st_uid, 0);
	CHECK_EQ(st.st_gid, 0);
	/* chown of a file clears S_ISUID, and S_ISGID with group x. */
	CHECK_EQ(chmod("md", 06755), 0);
	CHECK_EQ(chown("md", (uid_t)-1, (gid_t)-1), 0);
	CHECK_EQ(stat("md", &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 0755);
	CHECK_EQ(chmod("md", 02745), 0);
	CHECK_EQ(fchown(fd, 0, 0), 0);
	CHECK_EQ(stat("md", &st), 0);
	CHECK_EQ(st.st_mode, S_IFREG | 02745);
	/* ... but not of a directory. */
	CHECK_EQ(mkdir("mdir", 0755), 0);
	CHECK_EQ(chmod("mdir", 07755), 0);
	CHECK_EQ(chown("mdir", 0, 0), 0);
	CHECK_EQ(stat("mdir", &st), 0);
	CHECK_EQ(st.st_mode, S_IFDIR | 07755);
	CHECK_EQ(rmdir("mdir"), 0);
	/* Errors. */
	CHECK_ERR(chmod("missing", 0644), ENOENT);
	CHECK_ERR(chmod("md/x", 0644), ENOTDIR);
	CHECK_ERR(chmod(KPTR, 0644), EFAULT);
	CHECK_ERR(chmod("", 0644), ENOENT);
	CHECK_ERR(fchmod(999, 0644), EBADF);
	CHECK_ERR(syscall(SYS_fchmodat, 999, "md", 0644), EBADF);
	CHECK_ERR(chown("missing", 0, 0), ENOENT);
	CHECK_ERR(chown(KPTR, 0, 0), EFAULT);
	CHECK_ERR(fchown(999, 0, 0), EBADF);
	CHECK_ERR(fchownat(AT_FDCWD, "md", 0, 0, 0x8000), EINVAL);
	CHECK_ERR(fchownat(999, "md", 0, 0, 0), EBADF);
	CHECK_EQ(fchownat(fd, "", 3, 4, AT_EMPTY_PATH), 0);
	CHECK_EQ(stat("md", &st), 0);
	CHECK_EQ(st.st_uid, 3);
	CHECK_EQ(st.st_gid, 4);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(unlink("md"), 0);
}

static void test_symlinks(void)
{
	char buf[64], path[128];
	struct timespec t[2];
	struct stat st, lst;
	int fd, i;

	CHECK_EQ(make_file("tgt", "data"), 0);
	CHECK_EQ(symlink("tgt", "sl"), 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(readlink("sl", buf, sizeof(buf)), 3);
	CHECK(strcmp(buf, "tgt") == 0);
	CHECK_EQ(readlink("sl", buf, 2), 2); /* cut, no NUL */
	CHECK_EQ(lstat("sl", &lst), 0);
	CHECK(S_ISLNK(lst.st_mode));
	CHECK_EQ(lst.st_mode & 07777, 0777);
	CHECK_EQ(lst.st_size, 3);
	CHECK_EQ(lst.st_nlink, 1);
	CHECK_EQ(stat("sl", &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, 4);
	CHECK(st.st_ino != lst.st_ino);
	CHECK_EQ(slurp("sl", buf, sizeof(buf)), 4);
	CHECK(strcmp(buf, "data") == 0);
	CHECK_ERR(open("sl", O_RDONLY | O_NOFOLLOW), ELOOP);
	CHECK_ERR(open("sl", O_RDONLY | O_NOFOLLOW | O_CREAT, 0644), ELOOP);
	CHECK_ERR(open("sl", O_RDONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	/* O_CREAT on an existing link opens its target. */
	fd = open("sl", O_WRONLY | O_CREAT | O_APPEND, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "!", 1), 1);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(slurp("tgt", buf, sizeof(buf)), 5);
	CHECK_ERR(symlink("x", "sl"), EEXIST);
	CHECK_ERR(symlink("x", "tgt"), EEXIST);
	CHECK_ERR(symlink("", "s2"), ENOENT);
	CHECK_ERR(symlink("x", "news/"), ENOENT);
	CHECK_ERR(symlink("x", "nodir/s"), ENOENT);
	CHECK_ERR(symlink(KPTR, "s2"), EFAULT);
	CHECK_ERR(symlink("x", KPTR), EFAULT);
	CHECK_ERR(readlink("tgt", buf, sizeof(buf)), EINVAL);
	/* Relative targets are walked from the link's directory; an
	 * absolute one from the root. */
	CHECK_EQ(mkdir("sd", 0755), 0);
	CHECK_EQ(symlink("../tgt", "sd/up"), 0);
	CHECK_EQ(slurp("sd/up", buf, sizeof(buf)), 5);
	snprintf(path, sizeof(path), "%s/tgt", scratch);
	CHECK_EQ(symlink(path, "abs"), 0);
	CHECK_EQ(slurp("abs", buf, sizeof(buf)), 5);
	/* A link to a directory: followed in the middle of a path and
	 * before a trailing slash. */
	CHECK_EQ(symlink("sd", "sdl"), 0);
	CHECK_EQ(slurp("sdl/up", buf, sizeof(buf)), 5);
	CHECK_EQ(lstat("sdl/", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(lstat("sdl", &st), 0);
	CHECK(S_ISLNK(st.st_mode));
	CHECK_ERR(rmdir("sdl"), ENOTDIR);
	CHECK_ERR(mkdir("sdl", 0755), EEXIST);
	/* Dangling. */
	CHECK_EQ(symlink("nowhere", "dang"), 0);
	CHECK_ERR(stat("dang", &st), ENOENT);
	CHECK_EQ(lstat("dang", &st), 0);
	CHECK_ERR(open("dang", O_RDONLY), ENOENT);
	CHECK_ERR(symlink("x", "dang"), EEXIST);
	/* Loops, and Linux's limit: 40 links in one lookup. */
	CHECK_EQ(symlink("loop2", "loop1"), 0);
	CHECK_EQ(symlink("loop1", "loop2"), 0);
	CHECK_ERR(open("loop1", O_RDONLY), ELOOP);
	CHECK_ERR(stat("loop1/x", &st), ELOOP);
	for (i = 0; i <= 40; i++) {
		char name[16], to[16];

		snprintf(name, sizeof(name), "c%d", i);
		if (i == 40)
			snprintf(to, sizeof(to), "tgt");
		else
			snprintf(to, sizeof(to), "c%d", i + 1);
		CHECK_EQ(symlink(to, name), 0);
	}
	CHECK_EQ(stat("c1", &st), 0);	   /* 40 links */
	CHECK_ERR(stat("c0", &st), ELOOP); /* 41 */
	CHECK_EQ(lstat("c0", &st), 0);
	/* The link's own times and owner, not the target's. */
	CHECK_EQ(stat("tgt", &st), 0);
	t[0].tv_sec = t[1].tv_sec = 77;
	t[0].tv_nsec = t[1].tv_nsec = 0;
	CHECK_EQ(utimensat(AT_FDCWD, "sl", t, AT_SYMLINK_NOFOLLOW), 0);
	CHECK_EQ(lstat("sl", &lst), 0);
	CHECK_EQ(lst.st_mtim.tv_sec, 77);
	CHECK_EQ(stat("sl", &lst), 0);
	CHECK_EQ(lst.st_mtim.tv_sec, st.st_mtim.tv_sec);
	CHECK_EQ(lchown("sl", 5, 6), 0);
	CHECK_EQ(lstat("sl", &lst), 0);
	CHECK_EQ(lst.st_uid, 5);
	CHECK_EQ(stat("sl", &lst), 0);
	CHECK_EQ(lst.st_uid, st.st_uid);
	CHECK_EQ(chown("sl", 8, 9), 0); /* follows */
	CHECK_EQ(stat("tgt", &st), 0);
	CHECK_EQ(st.st_uid, 8);
	/* rename moves the link; unlink removes it, not the target. */
	CHECK_EQ(rename("sl", "sl2"), 0);
	CHECK_EQ(readlink("sl2", buf, sizeof(buf)), 3);
	CHECK_EQ(unlink("sl2"), 0);
	CHECK_ERR(lstat("sl2", &st), ENOENT);
	CHECK_EQ(stat("tgt", &st), 0);
	for (i = 0; i <= 40; i++) {
		snprintf(path, sizeof(path), "c%d", i);
		CHECK_EQ(unlink(path), 0);
	}
	CHECK_EQ(unlink("loop1"), 0);
	CHECK_EQ(unlink("loop2"), 0);
	CHECK_EQ(unlink("dang"), 0);
	CHECK_EQ(unlink("sdl"), 0);
	CHECK_EQ(unlink("abs"), 0);
	CHECK_EQ(unlink("sd/up"), 0);
	CHECK_EQ(rmdir("sd"), 0);
	CHECK_EQ(unlink("tgt"), 0);
}

static void test_hardlinks(void)
{
	char buf[64];
	struct stat a, b;
	int fd;

	CHECK_EQ(make_file("h1", "abc"), 0);
	CHECK_EQ(link("h1", "h2"), 0);
	CHECK_EQ(stat("h1", &a), 0);
	CHECK_EQ(stat("h2", &b), 0);
	CHECK_EQ(a.st_ino, b.st_ino);
	CHECK_EQ(a.st_nlink, 2);
	CHECK_EQ(b.st_nlink, 2);
	fd = open("h2", O_WRONLY | O_APPEND);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "def", 3), 3);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(slurp("h1", buf, sizeof(buf)), 6);
	CHECK(strcmp(buf, "abcdef") == 0);
	/* Unlinking one name keeps the data under the other. */
	CHECK_EQ(unlink("h1"), 0);
	CHECK_EQ(stat("h2", &b), 0);
	CHECK_EQ(b.st_nlink, 1);
	CHECK_EQ(slurp("h2", buf, sizeof(buf)), 6);
	/* rename between two names of one file does nothing. */
	CHECK_EQ(link("h2", "h3"), 0);
	CHECK_EQ(rename("h2", "h3"), 0);
	CHECK_EQ(stat("h2", &a), 0);
	CHECK_EQ(stat("h3", &b), 0);
	CHECK_EQ(a.st_nlink, 2);
	CHECK_EQ(unlink("h3"), 0);
	/* Errors, in Linux's order. */
	CHECK_ERR(link("h2", "h2"), EEXIST);
	CHECK_ERR(link("missing", "h4"), ENOENT);
	CHECK_ERR(link("h2", "nodir/h4"), ENOENT);
	CHECK_ERR(link("h2", "h4/"), ENOENT);
	CHECK_ERR(link("h2/", "h4"), ENOTDIR);
	CHECK_EQ(mkdir("hd", 0755), 0);
	CHECK_ERR(link("hd", "h4"), EPERM);
	CHECK_ERR(link("hd", "h2"), EEXIST);
	CHECK_EQ(rmdir("hd"), 0);
	CHECK_ERR(link("/proc/self/status", "h4"), EXDEV);
	CHECK_ERR(link("h2", "/proc/h4"), ENOENT); /* procfs makes no name */
	CHECK_ERR(symlink("h2", "/proc/h4"), ENOENT);
	CHECK_ERR(link(KPTR, "h4"), EFAULT);
	CHECK_ERR(linkat(AT_FDCWD, "h2", AT_FDCWD, "h4", 0x8000), EINVAL);
	/* link does not follow a symbolic link; AT_SYMLINK_FOLLOW does. */
	CHECK_EQ(symlink("h2", "hs"), 0);
	CHECK_EQ(link("hs", "hs2"), 0);
	CHECK_EQ(lstat("hs2", &a), 0);
	CHECK(S_ISLNK(a.st_mode));
	CHECK_EQ(a.st_nlink, 2);
	CHECK_EQ(linkat(AT_FDCWD, "hs", AT_FDCWD, "h5", AT_SYMLINK_FOLLOW), 0);
	CHECK_EQ(lstat("h5", &a), 0);
	CHECK(S_ISREG(a.st_mode));
	CHECK_EQ(a.st_nlink, 2);
	/* AT_EMPTY_PATH: the file open at the fd; not once unlinked. */
	fd = open("h5", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(linkat(fd, "", AT_FDCWD, "h6", AT_EMPTY_PATH), 0);
	CHECK_EQ(fstat(fd, &a), 0);
	CHECK_EQ(a.st_nlink, 3);
	CHECK_EQ(unlink("h2"), 0);
	CHECK_EQ(unlink("h5"), 0);
	CHECK_EQ(unlink("h6"), 0);
	CHECK_EQ(fstat(fd, &a), 0);
	CHECK_EQ(a.st_nlink, 0);
	CHECK_ERR(linkat(fd, "", AT_FDCWD, "h7", AT_EMPTY_PATH), ENOENT);
	CHECK_ERR(stat("h7", &a), ENOENT);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(unlink("hs"), 0);
	CHECK_EQ(unlink("hs2"), 0);
}

/* Linux's struct statx (glibc declares one as struct statx; ours has
 * none), through syscall(). */
struct statx_ts {
	long long tv_sec;
	unsigned int tv_nsec;
	int reserved;
};
struct statx_k {
	unsigned int mask, blksize;
	unsigned long long attributes;
	unsigned int nlink, uid, gid;
	unsigned short mode, spare0;
	unsigned long long ino, size, blocks, attributes_mask;
	struct statx_ts atime, btime, ctime, mtime;
	unsigned int rdev_major, rdev_minor, dev_major, dev_minor;
	unsigned long long spare[14];
};
#define STATX_BASIC_STATS_ 0x7ffU
#define STATX_RESERVED_	   0x80000000U
#define AT_STATX_SYNC_	   0x6000

/* Linux's new_decode_dev() halves of a dev_t (glibc's major/minor). */
static unsigned int dev_major(unsigned long d)
{
	return (unsigned int)((d >> 8) & 0xfff);
}

static unsigned int dev_minor(unsigned long d)
{
	return (unsigned int)((d & 0xff) | ((d >> 12) & 0xfff00));
}

/* statx says what stat says. */
static void check_statx(const struct statx_k *x, const struct stat *st)
{
	CHECK_EQ(x->mask & STATX_BASIC_STATS_, STATX_BASIC_STATS_);
	CHECK_EQ(x->ino, st->st_ino);
	CHECK_EQ(x->mode, st->st_mode);
	CHECK_EQ(x->nlink, st->st_nlink);
	CHECK_EQ(x->uid, st->st_uid);
	CHECK_EQ(x->gid, st->st_gid);
	CHECK_EQ(x->size, st->st_size);
	CHECK_EQ(x->blocks, st->st_blocks);
	CHECK_EQ(x->mtime.tv_sec, st->st_mtim.tv_sec);
	CHECK_EQ(x->mtime.tv_nsec, st->st_mtim.tv_nsec);
	CHECK_EQ(x->atime.tv_sec, st->st_atim.tv_sec);
	CHECK_EQ(x->ctime.tv_nsec, st->st_ctim.tv_nsec);
	CHECK_EQ(x->dev_major, dev_major(st->st_dev));
	CHECK_EQ(x->dev_minor, dev_minor(st->st_dev));
	CHECK_EQ(x->rdev_major, dev_major(st->st_rdev));
	CHECK_EQ(x->rdev_minor, dev_minor(st->st_rdev));
}

static void test_statx(void)
{
	struct statx_k x;
	struct stat st;
	int fd;

	_Static_assert(sizeof(struct statx_k) == 256, "Linux's statx");
	CHECK_EQ(make_file("sx", "hello"), 0);
	CHECK_EQ(symlink("sx", "sxl"), 0);
	memset(&x, 0xff, sizeof(x));
	CHECK_EQ(syscall(SYS_statx, AT_FDCWD, "sx", 0, STATX_BASIC_STATS_, &x),
		 0);
	CHECK_EQ(stat("sx", &st), 0);
	check_statx(&x, &st);
	CHECK_EQ(x.size, 5);
	/* A link: followed, or itself with AT_SYMLINK_NOFOLLOW. */
	CHECK_EQ(syscall(SYS_statx, AT_FDCWD, "sxl", 0, STATX_BASIC_STATS_, &x),
		 0);
	check_statx(&x, &st);
	CHECK_EQ(syscall(SYS_statx, AT_FDCWD, "sxl", AT_SYMLINK_NOFOLLOW,
			 STATX_BASIC_STATS_, &x),
		 0);
	CHECK_EQ(lstat("sxl", &st), 0);
	check_statx(&x, &st);
	CHECK(S_ISLNK(x.mode));
	/* AT_EMPTY_PATH: the fd's file; a device's numbers. */
	fd = open("/dev/null", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(syscall(SYS_statx, fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS_,
			 &x),
		 0);
	CHECK_EQ(fstat(fd, &st), 0);
	check_statx(&x, &st);
	CHECK_EQ(x.rdev_major, 1);
	CHECK_EQ(x.rdev_minor, 3);
	CHECK_EQ(close(fd), 0);
	/* Errors. */
	CHECK_ERR(syscall(SYS_statx, AT_FDCWD, "sx", 0, STATX_RESERVED_, &x),
		  EINVAL);
	CHECK_ERR(syscall(SYS_statx, AT_FDCWD, "sx", 0x8000, 0, &x), EINVAL);
	CHECK_ERR(syscall(SYS_statx, AT_FDCWD, "sx", AT_STATX_SYNC_, 0, &x),
		  EINVAL);
	CHECK_ERR(syscall(SYS_statx, AT_FDCWD, "missing", 0, 0, &x), ENOENT);
	CHECK_ERR(syscall(SYS_statx, AT_FDCWD, "", 0, 0, &x), ENOENT);
	CHECK_ERR(syscall(SYS_statx, AT_FDCWD, "sx", 0, 0, KPTR), EFAULT);
	CHECK_ERR(syscall(SYS_statx, 999, "sx", 0, 0, &x), EBADF);
	CHECK_EQ(unlink("sxl"), 0);
	CHECK_EQ(unlink("sx"), 0);
}

static void test_sendfile(void)
{
	char buf[64];
	long long off;
	int in, out, p[2], dir, wo, app;

	CHECK_EQ(make_file("sf_in", "0123456789"), 0);
	in = open("sf_in", O_RDONLY);
	out = open("sf_out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(in >= 0 && out >= 0 && pipe(p) == 0);
	/* From the position, which advances; the output's too. */
	CHECK_EQ(syscall(SYS_sendfile, out, in, (void *)0, 4), 4);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 4);
	CHECK_EQ(lseek(out, 0, SEEK_CUR), 4);
	/* From *offset, which advances; the position stays. */
	off = 6;
	CHECK_EQ(syscall(SYS_sendfile, out, in, &off, 100), 4);
	CHECK_EQ(off, 10);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 4);
	CHECK_EQ(slurp("sf_out", buf, sizeof(buf)), 8);
	CHECK(strcmp(buf, "01236789") == 0);
	/* Into a pipe. */
	CHECK_EQ(syscall(SYS_sendfile, p[1], in, (void *)0, 3), 3);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 3);
	CHECK(memcmp(buf, "456", 3) == 0);
	/* The end of the input, and nothing asked. */
	off = 10;
	CHECK_EQ(syscall(SYS_sendfile, out, in, &off, 5), 0);
	CHECK_EQ(off, 10);
	CHECK_EQ(syscall(SYS_sendfile, out, in, (void *)0, 0), 0);
	/* Errors, in Linux's order. */
	dir = open(".", O_RDONLY | O_DIRECTORY);
	wo = open("sf_in", O_WRONLY);
	app = open("sf_out", O_WRONLY | O_APPEND);
	CHECK(dir >= 0 && wo >= 0 && app >= 0);
	CHECK_ERR(syscall(SYS_sendfile, out, 999, (void *)0, 1), EBADF);
	CHECK_ERR(syscall(SYS_sendfile, out, wo, (void *)0, 1), EBADF);
	CHECK_ERR(syscall(SYS_sendfile, 999, in, (void *)0, 1), EBADF);
	CHECK_ERR(syscall(SYS_sendfile, in, in, (void *)0, 1), EBADF);
	CHECK_ERR(syscall(SYS_sendfile, out, in, KPTR, 1), EFAULT);
	off = -1;
	CHECK_ERR(syscall(SYS_sendfile, out, in, &off, 1), EINVAL);
	off = 0;
	CHECK_ERR(syscall(SYS_sendfile, out, p[0], &off, 1), ESPIPE);
	CHECK_ERR(syscall(SYS_sendfile, out, dir, (void *)0, 1), EINVAL);
	CHECK_ERR(syscall(SYS_sendfile, app, in, (void *)0, 1), EINVAL);
	close(dir);
	close(wo);
	close(app);
	close(p[0]);
	close(p[1]);
	close(in);
	close(out);
	CHECK_EQ(unlink("sf_in"), 0);
	CHECK_EQ(unlink("sf_out"), 0);
}

int main(void)
{
	struct stat st;

	snprintf(scratch, sizeof(scratch), "/tmp/t_vfs_files.%d",
		 (int)getpid());
	if (mkdir(scratch, 0755) || chdir(scratch)) {
		diag("FAIL cannot make and enter %s: %s", scratch,
		     strerror(errno));
		return 1;
	}
	umask(022);
	test_read_write();
	test_truncate();
	test_dirs();
	test_cwd();
	test_devices();
	test_times();
	test_modes();
	test_symlinks();
	test_hardlinks();
	test_statx();
	test_sendfile();
	CHECK_EQ(unlink("f"), 0);
	CHECK_EQ(chdir("/"), 0);
	CHECK_EQ(rmdir(scratch), 0);
	CHECK_ERR(stat(scratch, &st), ENOENT);
	return utest_done();
}
