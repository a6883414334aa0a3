/*
 * t_vfs_files - files and directories behave as on Linux: create, write,
 * read back, lseek, pread/pwrite, readv/writev, O_APPEND, O_TRUNC,
 * ftruncate and truncate (growing reads zeros), stat and fstat, rename
 * (replacing, across directories), unlink of an open file, mkdir, rmdir,
 * getdents64 (".", "..", every name once, d_type), chdir, fchdir,
 * getcwd, umask, /dev/null and /dev/zero. Works in a scratch directory
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
	CHECK_EQ(unlink("f"), 0);
	CHECK_EQ(chdir("/"), 0);
	CHECK_EQ(rmdir(scratch), 0);
	CHECK_ERR(stat(scratch, &st), ENOENT);
	return utest_done();
}
