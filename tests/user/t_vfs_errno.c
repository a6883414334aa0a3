/*
 * t_vfs_errno - the file calls fail as Linux's do, with Linux's errno and
 * in its order: every call given a bad fd (EBADF), a bad pointer
 * (EFAULT), a missing name (ENOENT), a path through a file (ENOTDIR), a
 * component or path too long (ENAMETOOLONG), a directory to write
 * (EISDIR), and each call's own cases (EEXIST, ENOTEMPTY, EINVAL,
 * EACCES, ERANGE, ESPIPE). One row per case, as t_errno.c; works in a
 * scratch directory under /tmp, removed at the end.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_vfs_errno"
#include "utest.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#define KPTR  ((void *)0xffffffff80000000UL) /* the kernel's text */
#define BADFD 999

static char scratch[64];

int main(void)
{
	static char buf[256], longname[300], longpath[4200];
	struct iovec iov[2] = { { buf, 1 }, { buf, 1 } };
	struct iovec bad_iov = { buf, (size_t)-1 };
	struct stat st;
	int fd, rfd, wfd, dfd;

	snprintf(scratch, sizeof(scratch), "/tmp/t_vfs_errno.%d",
		 (int)getpid());
	if (mkdir(scratch, 0755) || chdir(scratch)) {
		diag("FAIL cannot make and enter %s: %s", scratch,
		     strerror(errno));
		return 1;
	}
	umask(022);
	fd = open("file", O_CREAT | O_RDWR, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "data", 4), 4);
	rfd = open("file", O_RDONLY);
	wfd = open("file", O_WRONLY);
	CHECK(rfd >= 0 && wfd >= 0);
	CHECK_EQ(mkdir("dir", 0755), 0);
	CHECK_EQ(mkdir("full", 0755), 0);
	CHECK_EQ(close(open("full/x", O_CREAT | O_WRONLY, 0644)), 0);
	dfd = open("dir", O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0);
	memset(longname, 'n', sizeof(longname) - 1); /* 299 > NAME_MAX */
	memset(longpath, 'p', sizeof(longpath) - 1); /* > PATH_MAX */

	/* EBADF: a closed fd, a negative one, or the wrong access mode. */
	CHECK_ERR(read(BADFD, buf, 1), EBADF);
	CHECK_ERR(read(-1, buf, 1), EBADF);
	CHECK_ERR(write(BADFD, buf, 1), EBADF);
	CHECK_ERR(close(BADFD), EBADF);
	CHECK_ERR(close(-1), EBADF);
	CHECK_ERR(lseek(BADFD, 0, SEEK_SET), EBADF);
	CHECK_ERR(fstat(BADFD, &st), EBADF);
	CHECK_ERR(pread(BADFD, buf, 1, 0), EBADF);
	CHECK_ERR(pwrite(BADFD, buf, 1, 0), EBADF);
	CHECK_ERR(readv(BADFD, iov, 1), EBADF);
	CHECK_ERR(writev(BADFD, iov, 1), EBADF);
	CHECK_ERR(syscall(SYS_getdents64, BADFD, buf, sizeof(buf)), EBADF);
	CHECK_ERR(dup(BADFD), EBADF);
	CHECK_ERR(dup2(BADFD, 50), EBADF);
	CHECK_ERR(dup2(BADFD, BADFD), EBADF);
	CHECK_ERR(dup3(BADFD, 50, 0), EBADF);
	CHECK_ERR(fcntl(BADFD, F_GETFD), EBADF);
	CHECK_ERR(fchdir(BADFD), EBADF);
	CHECK_ERR(ftruncate(BADFD, 0), EBADF);
	CHECK_ERR(openat(BADFD, "file", O_RDONLY), EBADF);
	CHECK_ERR(fstatat(BADFD, "file", &st, 0), EBADF);
	CHECK_ERR(mkdirat(BADFD, "new", 0755), EBADF);
	CHECK_ERR(unlinkat(BADFD, "file", 0), EBADF);
	CHECK_ERR(read(wfd, buf, 1), EBADF);
	CHECK_ERR(write(rfd, buf, 1), EBADF);
	CHECK_ERR(readv(wfd, iov, 1), EBADF);
	CHECK_ERR(pwrite(rfd, buf, 1, 0), EBADF);
	CHECK_ERR(write(dfd, buf, 1), EBADF);
	/* EBADF comes before EFAULT. */
	CHECK_ERR(read(BADFD, KPTR, 1), EBADF);
	CHECK_ERR(fstat(BADFD, KPTR), EBADF);
	/* An absolute path ignores a bad dfd. */
	{
		char abs[128];

		snprintf(abs, sizeof(abs), "%s/file", scratch);
		CHECK_EQ(fstatat(BADFD, abs, &st, 0), 0);
	}

	/* EFAULT: a pointer outside user space, even for 0 bytes. */
	CHECK_ERR(open(KPTR, O_RDONLY), EFAULT);
	CHECK_ERR(stat(KPTR, &st), EFAULT);
	CHECK_ERR(stat("file", KPTR), EFAULT);
	CHECK_ERR(fstat(fd, KPTR), EFAULT);
	CHECK_ERR(read(rfd, KPTR, 1), EFAULT);
	CHECK_ERR(read(rfd, KPTR, 0), EFAULT);
	CHECK_ERR(write(wfd, KPTR, 1), EFAULT);
	CHECK_ERR(pread(rfd, KPTR, 1, 0), EFAULT);
	CHECK_ERR(readv(rfd, KPTR, 1), EFAULT);
	CHECK_ERR(writev(wfd, KPTR, 1), EFAULT);
	CHECK_ERR(syscall(SYS_getdents64, dfd, KPTR, sizeof(buf)), EFAULT);
	CHECK_ERR(syscall(SYS_getcwd, KPTR, sizeof(buf)), EFAULT);
	CHECK_ERR(mkdir(KPTR, 0755), EFAULT);
	CHECK_ERR(unlink(KPTR), EFAULT);
	CHECK_ERR(rmdir(KPTR), EFAULT);
	CHECK_ERR(rename(KPTR, "x"), EFAULT);
	CHECK_ERR(rename("file", KPTR), EFAULT);
	CHECK_ERR(chdir(KPTR), EFAULT);
	CHECK_ERR(access(KPTR, F_OK), EFAULT);
	CHECK_ERR(truncate(KPTR, 0), EFAULT);
	CHECK_ERR(readlink(KPTR, buf, sizeof(buf)), EFAULT);

	/* ENOENT: a missing name, a missing directory on the way, "". */
	CHECK_ERR(open("missing", O_RDONLY), ENOENT);
	CHECK_ERR(open("missing/x", O_CREAT | O_WRONLY, 0644), ENOENT);
	CHECK_ERR(open("", O_RDONLY), ENOENT);
	CHECK_ERR(stat("missing", &st), ENOENT);
	CHECK_ERR(stat("", &st), ENOENT);
	CHECK_ERR(unlink("missing"), ENOENT);
	CHECK_ERR(rmdir("missing"), ENOENT);
	CHECK_ERR(rename("missing", "x"), ENOENT);
	CHECK_ERR(rename("file", "missing/x"), ENOENT);
	CHECK_ERR(chdir("missing"), ENOENT);
	CHECK_ERR(access("missing", F_OK), ENOENT);
	CHECK_ERR(truncate("missing", 0), ENOENT);
	CHECK_ERR(mkdir("missing/x", 0755), ENOENT);
	CHECK_ERR(readlink("missing", buf, sizeof(buf)), ENOENT);
	CHECK_ERR(execve("missing", (char *[]){ "x", NULL }, NULL), ENOENT);

	/* ENOTDIR: through a file, or a file where a directory must be. */
	CHECK_ERR(open("file/x", O_RDONLY), ENOTDIR);
	CHECK_ERR(open("file/x", O_CREAT | O_WRONLY, 0644), ENOTDIR);
	CHECK_ERR(open("file/", O_RDONLY), ENOTDIR);
	CHECK_ERR(open("file", O_RDONLY | O_DIRECTORY), ENOTDIR);
	CHECK_ERR(stat("file/x", &st), ENOTDIR);
	CHECK_ERR(stat("file/", &st), ENOTDIR);
	CHECK_ERR(stat("file/.", &st), ENOTDIR);
	CHECK_ERR(mkdir("file/x", 0755), ENOTDIR);
	CHECK_ERR(unlink("file/x"), ENOTDIR);
	CHECK_ERR(unlink("file/"), ENOTDIR);
	CHECK_ERR(rmdir("file"), ENOTDIR);
	CHECK_ERR(chdir("file"), ENOTDIR);
	CHECK_ERR(fchdir(fd), ENOTDIR);
	CHECK_ERR(openat(fd, "x", O_RDONLY), ENOTDIR);
	CHECK_ERR(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOTDIR);
	CHECK_ERR(rename("dir", "file"), ENOTDIR);
	CHECK_ERR(rename("file/", "other"), ENOTDIR);
	CHECK_ERR(execve("file/x", (char *[]){ "x", NULL }, NULL), ENOTDIR);

	/* ENAMETOOLONG: a component over NAME_MAX, a path over PATH_MAX. */
	CHECK_ERR(open(longname, O_RDONLY), ENAMETOOLONG);
	CHECK_ERR(open(longname, O_CREAT | O_WRONLY, 0644), ENAMETOOLONG);
	CHECK_ERR(stat(longname, &st), ENAMETOOLONG);
	CHECK_ERR(mkdir(longname, 0755), ENAMETOOLONG);
	CHECK_ERR(unlink(longname), ENAMETOOLONG);
	CHECK_ERR(rename("file", longname), ENAMETOOLONG);
	CHECK_ERR(open(longpath, O_RDONLY), ENAMETOOLONG);
	CHECK_ERR(stat(longpath, &st), ENAMETOOLONG);
	CHECK_ERR(mkdir(longpath, 0755), ENAMETOOLONG);

	/* EISDIR: writing, truncating or creating a directory. */
	CHECK_ERR(open("dir", O_WRONLY), EISDIR);
	CHECK_ERR(open("dir", O_RDWR), EISDIR);
	CHECK_ERR(open("dir", O_RDONLY | O_TRUNC), EISDIR);
	CHECK_ERR(open("dir", O_CREAT | O_RDONLY, 0644), EISDIR);
	CHECK_ERR(open("new/", O_CREAT | O_WRONLY, 0644), EISDIR);
	CHECK_ERR(open(".", O_CREAT | O_RDONLY, 0644), EISDIR);
	CHECK_ERR(read(dfd, buf, 1), EISDIR);
	CHECK_ERR(pread(dfd, buf, 1, 0), EISDIR);
	CHECK_ERR(unlink("dir"), EISDIR);
	CHECK_ERR(unlink("dir/"), EISDIR);
	CHECK_ERR(unlink("."), EISDIR);
	CHECK_ERR(truncate("dir", 0), EISDIR);
	CHECK_ERR(rename("file", "dir"), EISDIR);

	/* EEXIST, ENOTEMPTY, EBUSY and the rename of a directory into
	 * itself (EINVAL). */
	CHECK_ERR(open("file", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
	CHECK_ERR(open("dir", O_CREAT | O_EXCL | O_RDONLY, 0644), EEXIST);
	CHECK_ERR(mkdir("file", 0755), EEXIST);
	CHECK_ERR(mkdir("dir", 0755), EEXIST);
	CHECK_ERR(mkdir("dir/", 0755), EEXIST);
	CHECK_ERR(mkdir(".", 0755), EEXIST);
	CHECK_ERR(mkdir("/", 0755), EEXIST);
	CHECK_ERR(rmdir("full"), ENOTEMPTY);
	CHECK_ERR(rmdir("."), EINVAL);
	CHECK_ERR(rmdir("dir/."), EINVAL);
	CHECK_ERR(rmdir(".."), ENOTEMPTY);
	CHECK_ERR(rename("dir", "dir/sub"), EINVAL);
	CHECK_ERR(rename("dir", "full"), ENOTEMPTY);
	CHECK_ERR(rename(".", "x"), EBUSY);
	CHECK_ERR(rename("file", "."), EBUSY);
	CHECK_ERR(execve("dir", (char *[]){ "x", NULL }, NULL), EACCES);
	CHECK_ERR(execve("file", (char *[]){ "x", NULL }, NULL), EACCES);

	/* EINVAL: flags, whence, a negative position or length, lengths. */
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL);
	CHECK_ERR(lseek(fd, -100, SEEK_END), EINVAL);
	CHECK_ERR(lseek(fd, 0, 99), EINVAL);
	CHECK_ERR(pread(rfd, buf, 1, -1), EINVAL);
	CHECK_ERR(pread(BADFD, buf, 1, -1), EINVAL); /* before the fd */
	CHECK_ERR(pwrite(wfd, buf, 1, -1), EINVAL);
	CHECK_ERR(ftruncate(fd, -1), EINVAL);
	CHECK_ERR(ftruncate(rfd, 0), EINVAL);
	CHECK_ERR(ftruncate(dfd, 0), EINVAL);
	CHECK_ERR(truncate("file", -1), EINVAL);
	/* Through syscall(): glibc's readv is declared to read count
	 * iovecs, and the compiler would warn. */
	CHECK_ERR(syscall(SYS_readv, rfd, iov, 1025), EINVAL);
	CHECK_ERR(syscall(SYS_readv, rfd, iov, -1), EINVAL);
	CHECK_ERR(syscall(SYS_readv, rfd, &bad_iov, 1), EINVAL);
	CHECK_ERR(syscall(SYS_getdents64, dfd, buf, 10), EINVAL);
	CHECK_ERR(dup3(fd, fd, 0), EINVAL);
	CHECK_ERR(dup3(fd, 50, 0x1), EINVAL);
	CHECK_EQ(dup2(fd, fd), fd);
	CHECK_ERR(fcntl(fd, 9999), EINVAL);
	CHECK_ERR(unlinkat(AT_FDCWD, "file", 0x1), EINVAL);
	CHECK_ERR(readlink("file", buf, sizeof(buf)), EINVAL);
	CHECK_ERR(readlink("dir", buf, sizeof(buf)), EINVAL);
	CHECK_ERR(syscall(SYS_readlinkat, AT_FDCWD, "file", buf, 0), EINVAL);
	CHECK_ERR(access("file", 8), EINVAL);
	CHECK_ERR(fstatat(AT_FDCWD, "file", &st, 0x1), EINVAL);
	CHECK_ERR(syscall(SYS_renameat2, AT_FDCWD, "file", AT_FDCWD, "y", 0x80),
		  EINVAL);

	/* Each call's own: EACCES, ERANGE, ESPIPE, EEXIST (NOREPLACE). */
	CHECK_ERR(access("file", X_OK), EACCES);
	CHECK_ERR(syscall(SYS_getcwd, buf, 1), ERANGE);
	errno = 0;
	CHECK(getcwd(buf, 2) == NULL && errno == ERANGE);
	CHECK_ERR(syscall(SYS_renameat2, AT_FDCWD, "file", AT_FDCWD, "dir",
			  1 /* RENAME_NOREPLACE */),
		  EEXIST);
	/* A stream (our console; a pipe or a terminal on Linux) cannot
	 * seek: where fd 1 cannot, pread and pwrite cannot either. */
	if (lseek(1, 0, SEEK_CUR) < 0 && errno == ESPIPE) {
		CHECK_ERR(pread(1, buf, 1, 0), ESPIPE);
		CHECK_ERR(pwrite(1, buf, 1, 0), ESPIPE);
	}

	/* Nothing above changed the tree. */
	CHECK_EQ(stat("file", &st), 0);
	CHECK_EQ(st.st_size, 4);
	CHECK_ERR(stat("x", &st), ENOENT);
	CHECK_ERR(stat("y", &st), ENOENT);
	CHECK_ERR(stat("other", &st), ENOENT);
	CHECK_ERR(stat("new", &st), ENOENT);

	close(fd);
	close(rfd);
	close(wfd);
	close(dfd);
	CHECK_EQ(unlink("file"), 0);
	CHECK_EQ(unlink("full/x"), 0);
	CHECK_EQ(rmdir("full"), 0);
	CHECK_EQ(rmdir("dir"), 0);
	CHECK_EQ(chdir("/"), 0);
	CHECK_EQ(rmdir(scratch), 0);
	return utest_done();
}
