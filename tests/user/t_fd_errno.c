/*
 * t_fd_errno - one errno table of the calls that take a file descriptor
 * (or a directory fd), each made through raw syscall(2) so that no libc
 * checks an argument first: every such call the kernel implements given
 * a bad fd (-1, a closed fd, and two beyond any fd table: 1 << 20 and
 * INT_MAX) fails with EBADF; a bad pointer (NULL, a kernel address) with
 * EFAULT; a missing name with ENOENT; a path through a file, or a file
 * as the directory fd, with ENOTDIR; a component over NAME_MAX and a
 * path of PATH_MAX bytes with ENAMETOOLONG (one byte less is only
 * ENOENT); a directory opened for writing, or read, with EISDIR; a
 * write to a pipe without a reader with EPIPE and SIGPIPE. Each row is
 * one check whose failure line names the call and the case. The table
 * is Linux's (man 2 of each call, and what Linux 6.x returns: the
 * `ulinux` step runs this test natively). Works in a scratch directory
 * under /tmp, removed at the end.
 *
 * fsync, fdatasync, ioctl and poll are not here: the kernel has none of
 * them yet (docs/syscalls.md); each belongs in the table once it exists.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_fd_errno"
#include "utest.h"
#include <fcntl.h>
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#define KPTR ((long)0xffffffff80000000UL) /* the kernel's text */

/* unlinkat(2)'s flag; NAME_MAX as Linux's <linux/limits.h> (our libc's
 * <limits.h> has no NAME_MAX). */
#ifndef AT_REMOVEDIR
#define AT_REMOVEDIR 0x200
#endif
#ifndef NAME_MAX
#define NAME_MAX 255
#endif

static char scratch[64];
static char buf[256];
static struct stat st;
static int nread; /* FIONREAD's answer */
static struct iovec iov[1] = { { buf, 1 } };
static volatile sig_atomic_t sigpipes;

/*
 * row - one row of the table: the call named call, made for case what,
 * returned r with errno as it was right after the call; it must have
 * failed with errno want. Prints a FAIL line naming both and the
 * outcome otherwise.
 */
static void row(const char *call, const char *what, long r, int err, int want)
{
	utest_checks++;
	if (r == -1 && err == want)
		return;
	utest_failures++;
	diag("FAIL %s (%s): returned %ld, errno %d (%s); expected -1, errno %d (%s)",
	     call, what, r, r == -1 ? err : 0, r == -1 ? strerror(err) : "-",
	     want, strerror(want));
}

/* ROW(call, what, want, nr, args...) - syscall(nr, args...) as row
 * `call` of case `what`; errno is read before anything else runs. */
#define ROW(call, what, want, ...)                \
	do {                                      \
		long _r;                          \
		errno = 0;                        \
		_r = syscall(__VA_ARGS__);        \
		row(call, what, _r, errno, want); \
	} while (0)

/*
 * bad_fd_rows - every fd-taking call with bad as its fd (what names the
 * case), each otherwise well-formed: EBADF. newfd: bad is also no valid
 * target of dup2/dup3 (true of -1 and of an fd beyond the table, not of
 * a closed fd, which dup2 may take).
 */
static void bad_fd_rows(long bad, const char *what, int newfd)
{
	ROW("read", what, EBADF, SYS_read, bad, buf, 1);
	ROW("write", what, EBADF, SYS_write, bad, buf, 1);
	ROW("readv", what, EBADF, SYS_readv, bad, iov, 1);
	ROW("writev", what, EBADF, SYS_writev, bad, iov, 1);
	ROW("pread64", what, EBADF, SYS_pread64, bad, buf, 1, 0);
	ROW("pwrite64", what, EBADF, SYS_pwrite64, bad, buf, 1, 0);
	ROW("lseek", what, EBADF, SYS_lseek, bad, 0, SEEK_SET);
	ROW("close", what, EBADF, SYS_close, bad);
	ROW("fstat", what, EBADF, SYS_fstat, bad, &st);
	ROW("newfstatat", what, EBADF, SYS_newfstatat, bad, "file", &st, 0);
	ROW("newfstatat AT_EMPTY_PATH", what, EBADF, SYS_newfstatat, bad, "",
	    &st, AT_EMPTY_PATH);
	ROW("getdents64", what, EBADF, SYS_getdents64, bad, buf, sizeof(buf));
	ROW("dup", what, EBADF, __NR_dup, bad);
	ROW("dup2", what, EBADF, __NR_dup2, bad, 50);
	ROW("dup3", what, EBADF, SYS_dup3, bad, 50, 0);
	ROW("fcntl F_GETFD", what, EBADF, SYS_fcntl, bad, F_GETFD);
	ROW("fcntl F_SETFD", what, EBADF, SYS_fcntl, bad, F_SETFD, FD_CLOEXEC);
	ROW("fcntl F_GETFL", what, EBADF, SYS_fcntl, bad, F_GETFL);
	ROW("fcntl F_DUPFD", what, EBADF, SYS_fcntl, bad, F_DUPFD, 0);
	ROW("ftruncate", what, EBADF, __NR_ftruncate, bad, 0);
	ROW("fchdir", what, EBADF, __NR_fchdir, bad);
	ROW("ioctl FIONREAD", what, EBADF, SYS_ioctl, bad, FIONREAD, &nread);
	ROW("ioctl TCGETS", what, EBADF, SYS_ioctl, bad, TCGETS, buf);
	ROW("mmap MAP_PRIVATE", what, EBADF, SYS_mmap, 0, 4096, PROT_READ,
	    MAP_PRIVATE, bad, 0);
	ROW("mmap MAP_SHARED", what, EBADF, SYS_mmap, 0, 4096, PROT_READ,
	    MAP_SHARED, bad, 0);
	/* A bad dirfd with a relative path. */
	ROW("openat", what, EBADF, SYS_openat, bad, "file", O_RDONLY);
	ROW("openat O_CREAT", what, EBADF, SYS_openat, bad, "new",
	    O_CREAT | O_WRONLY, 0644);
	ROW("mkdirat", what, EBADF, __NR_mkdirat, bad, "new", 0755);
	ROW("unlinkat", what, EBADF, __NR_unlinkat, bad, "file", 0);
	ROW("unlinkat AT_REMOVEDIR", what, EBADF, __NR_unlinkat, bad, "dir",
	    AT_REMOVEDIR);
	ROW("renameat olddirfd", what, EBADF, __NR_renameat, bad, "file",
	    AT_FDCWD, "x");
	ROW("renameat newdirfd", what, EBADF, __NR_renameat, AT_FDCWD, "file",
	    bad, "x");
	ROW("renameat2 olddirfd", what, EBADF, SYS_renameat2, bad, "file",
	    AT_FDCWD, "x", 0);
	ROW("renameat2 newdirfd", what, EBADF, SYS_renameat2, AT_FDCWD, "file",
	    bad, "x", 0);
	ROW("readlinkat", what, EBADF, SYS_readlinkat, bad, "file", buf,
	    sizeof(buf));
	ROW("faccessat", what, EBADF, SYS_faccessat, bad, "file", F_OK);
	if (newfd) {
		ROW("dup2 newfd", what, EBADF, __NR_dup2, 1, bad);
		ROW("dup3 newfd", what, EBADF, SYS_dup3, 1, bad, 0);
	}
}

/*
 * bad_pointer_rows - every call that takes a pointer, given p (what
 * names it) and otherwise good fds: EFAULT. rfd, wfd: the file open for
 * reading, for writing; dfd: a directory.
 */
static void bad_pointer_rows(long p, const char *what, int rfd, int wfd,
			     int dfd)
{
	struct iovec bad_base[1] = { { (void *)p, 1 } };

	ROW("read", what, EFAULT, SYS_read, rfd, p, 1);
	ROW("write", what, EFAULT, SYS_write, wfd, p, 1);
	ROW("readv iov", what, EFAULT, SYS_readv, rfd, p, 1);
	ROW("writev iov", what, EFAULT, SYS_writev, wfd, p, 1);
	ROW("readv iov_base", what, EFAULT, SYS_readv, rfd, bad_base, 1);
	ROW("writev iov_base", what, EFAULT, SYS_writev, wfd, bad_base, 1);
	ROW("pread64", what, EFAULT, SYS_pread64, rfd, p, 1, 0);
	ROW("pwrite64", what, EFAULT, SYS_pwrite64, wfd, p, 1, 0);
	ROW("fstat", what, EFAULT, SYS_fstat, rfd, p);
	ROW("newfstatat statbuf", what, EFAULT, SYS_newfstatat, AT_FDCWD,
	    "file", p, 0);
	ROW("newfstatat path", what, EFAULT, SYS_newfstatat, AT_FDCWD, p, &st,
	    0);
	ROW("getdents64", what, EFAULT, SYS_getdents64, dfd, p, sizeof(buf));
	ROW("openat", what, EFAULT, SYS_openat, AT_FDCWD, p, O_RDONLY);
	ROW("mkdirat", what, EFAULT, __NR_mkdirat, AT_FDCWD, p, 0755);
	ROW("unlinkat", what, EFAULT, __NR_unlinkat, AT_FDCWD, p, 0);
	ROW("renameat oldpath", what, EFAULT, __NR_renameat, AT_FDCWD, p,
	    AT_FDCWD, "x");
	ROW("renameat newpath", what, EFAULT, __NR_renameat, AT_FDCWD, "file",
	    AT_FDCWD, p);
	ROW("readlinkat path", what, EFAULT, SYS_readlinkat, AT_FDCWD, p, buf,
	    sizeof(buf));
	ROW("faccessat", what, EFAULT, SYS_faccessat, AT_FDCWD, p, F_OK);
	ROW("ioctl FIONREAD", what, EFAULT, SYS_ioctl, rfd, FIONREAD, p);
	ROW("poll", what, EFAULT, __NR_poll, p, 1, 0);
	ROW("ppoll", what, EFAULT, SYS_ppoll, p, 1, 0L, 0L, 0);
	ROW("pipe", what, EFAULT, __NR_pipe, p);
	ROW("pipe2", what, EFAULT, __NR_pipe2, p, 0);
}

/*
 * path_rows - every call that takes a path relative to a dirfd, given
 * path (what names the case): errno want. The names are new or missing,
 * so that the only error is the path's.
 */
static void path_rows(const char *path, const char *what, int want)
{
	ROW("openat", what, want, SYS_openat, AT_FDCWD, path, O_RDONLY);
	ROW("openat O_CREAT", what, want, SYS_openat, AT_FDCWD, path,
	    O_CREAT | O_WRONLY, 0644);
	ROW("newfstatat", what, want, SYS_newfstatat, AT_FDCWD, path, &st, 0);
	ROW("mkdirat", what, want, __NR_mkdirat, AT_FDCWD, path, 0755);
	ROW("unlinkat", what, want, __NR_unlinkat, AT_FDCWD, path, 0);
	ROW("unlinkat AT_REMOVEDIR", what, want, __NR_unlinkat, AT_FDCWD, path,
	    AT_REMOVEDIR);
	ROW("renameat oldpath", what, want, __NR_renameat, AT_FDCWD, path,
	    AT_FDCWD, "x");
	ROW("readlinkat", what, want, SYS_readlinkat, AT_FDCWD, path, buf,
	    sizeof(buf));
	ROW("faccessat", what, want, SYS_faccessat, AT_FDCWD, path, F_OK);
}

/* on_sigpipe - count SIGPIPEs (the EPIPE rows). */
static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

/* write_broken_pipe - a child body: write to a pipe without a reader,
 * SIGPIPE at its default action (death). Returns 0 if it survived. */
static int write_broken_pipe(void *arg)
{
	int *p = arg;

	signal(SIGPIPE, SIG_DFL);
	syscall(SYS_write, p[1], "x", 1);
	return 0;
}

/* pipe_rows - EPIPE with SIGPIPE, and ESPIPE on a pipe. */
static void pipe_rows(void)
{
	int p[2];

	CHECK_EQ(syscall(__NR_pipe2, p, O_CLOEXEC), 0);
	CHECK_EQ(close(p[0]), 0);
	signal(SIGPIPE, on_sigpipe);
	ROW("write", "pipe without a reader", EPIPE, SYS_write, p[1], "x", 1);
	CHECK_EQ(sigpipes, 1);
	ROW("writev", "pipe without a reader", EPIPE, SYS_writev, p[1], iov, 1);
	CHECK_EQ(sigpipes, 2);
	signal(SIGPIPE, SIG_IGN);
	ROW("write", "pipe without a reader, SIGPIPE ignored", EPIPE, SYS_write,
	    p[1], "x", 1);
	CHECK_EQ(sigpipes, 2);
	expect_signal("write to a pipe without a reader", write_broken_pipe, p,
		      SIGPIPE);
	signal(SIGPIPE, SIG_DFL);
	ROW("lseek", "a pipe", ESPIPE, SYS_lseek, p[1], 0, SEEK_SET);
	ROW("pwrite64", "a pipe", ESPIPE, SYS_pwrite64, p[1], "x", 1, 0);
	CHECK_EQ(close(p[1]), 0);
}

int main(void)
{
	static char name255[NAME_MAX + 1], name256[NAME_MAX + 2];
	static char path4095[PATH_MAX], path4096[PATH_MAX + 1];
	int fd, rfd, wfd, dfd, closed, k;

	snprintf(scratch, sizeof(scratch), "/tmp/t_fd_errno.%d", (int)getpid());
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
	CHECK_EQ(mkdir("dir", 0755), 0);
	dfd = open("dir", O_RDONLY | O_DIRECTORY);
	CHECK(rfd >= 0 && wfd >= 0 && dfd >= 0);
	closed = dup(fd);
	CHECK(closed >= 0);
	CHECK_EQ(close(closed), 0);

	/* EBADF. */
	bad_fd_rows(-1, "fd -1", 1);
	bad_fd_rows(closed, "a closed fd", 0);
	bad_fd_rows(1L << 20, "fd 1<<20", 1);
	bad_fd_rows(INT_MAX, "fd INT_MAX", 1);
	/* A directory cannot be opened for writing (EISDIR below), so a
	 * write to one is a write to an fd not open for writing. */
	ROW("write", "a directory fd", EBADF, SYS_write, dfd, buf, 1);
	ROW("pwrite64", "a directory fd", EBADF, SYS_pwrite64, dfd, buf, 1, 0);
	ROW("read", "an fd open O_WRONLY", EBADF, SYS_read, wfd, buf, 1);
	ROW("write", "an fd open O_RDONLY", EBADF, SYS_write, rfd, buf, 1);

	/* EFAULT, after the fd checks: an address no user page maps, and
	 * one outside user space. */
	bad_pointer_rows(0, "NULL", rfd, wfd, dfd);
	bad_pointer_rows(KPTR, "a kernel address", rfd, wfd, dfd);
	ROW("read", "fd -1 and a kernel address: EBADF first", EBADF, SYS_read,
	    -1, KPTR, 1);

	/* ENOENT: a missing name, a missing directory on the way, "". */
	path_rows("missing/x", "missing/x", ENOENT);
	ROW("openat", "missing", ENOENT, SYS_openat, AT_FDCWD, "missing",
	    O_RDONLY);
	ROW("openat", "missing, from a directory fd", ENOENT, SYS_openat, dfd,
	    "missing", O_RDONLY);
	ROW("newfstatat", "missing", ENOENT, SYS_newfstatat, AT_FDCWD,
	    "missing", &st, 0);
	ROW("unlinkat", "missing", ENOENT, __NR_unlinkat, AT_FDCWD, "missing",
	    0);
	ROW("renameat", "missing", ENOENT, __NR_renameat, AT_FDCWD, "missing",
	    AT_FDCWD, "x");
	ROW("readlinkat", "missing", ENOENT, SYS_readlinkat, AT_FDCWD,
	    "missing", buf, sizeof(buf));
	ROW("faccessat", "missing", ENOENT, SYS_faccessat, AT_FDCWD, "missing",
	    F_OK);
	ROW("openat", "\"\"", ENOENT, SYS_openat, AT_FDCWD, "", O_RDONLY);
	ROW("newfstatat", "\"\" without AT_EMPTY_PATH", ENOENT, SYS_newfstatat,
	    AT_FDCWD, "", &st, 0);

	/* ENOTDIR: a path through a file; a file as the directory fd. */
	path_rows("file/x", "file/x", ENOTDIR);
	ROW("unlinkat AT_REMOVEDIR", "a file", ENOTDIR, __NR_unlinkat, AT_FDCWD,
	    "file", AT_REMOVEDIR);
	ROW("openat O_DIRECTORY", "a file", ENOTDIR, SYS_openat, AT_FDCWD,
	    "file", O_RDONLY | O_DIRECTORY);
	ROW("openat", "a file's fd as dirfd", ENOTDIR, SYS_openat, fd, "x",
	    O_RDONLY);
	ROW("newfstatat", "a file's fd as dirfd", ENOTDIR, SYS_newfstatat, fd,
	    "x", &st, 0);
	ROW("mkdirat", "a file's fd as dirfd", ENOTDIR, __NR_mkdirat, fd, "x",
	    0755);
	ROW("unlinkat", "a file's fd as dirfd", ENOTDIR, __NR_unlinkat, fd, "x",
	    0);
	ROW("renameat", "a file's fd as olddirfd", ENOTDIR, __NR_renameat, fd,
	    "x", AT_FDCWD, "y");
	ROW("renameat", "a file's fd as newdirfd", ENOTDIR, __NR_renameat,
	    AT_FDCWD, "file", fd, "y");
	ROW("readlinkat", "a file's fd as dirfd", ENOTDIR, SYS_readlinkat, fd,
	    "x", buf, sizeof(buf));
	ROW("faccessat", "a file's fd as dirfd", ENOTDIR, SYS_faccessat, fd,
	    "x", F_OK);
	ROW("getdents64", "a file's fd", ENOTDIR, SYS_getdents64, fd, buf,
	    sizeof(buf));
	ROW("fchdir", "a file's fd", ENOTDIR, __NR_fchdir, fd);

	/* ENAMETOOLONG: a component of NAME_MAX + 1 bytes (NAME_MAX is
	 * only missing); a path of PATH_MAX bytes with its NUL past the
	 * limit (PATH_MAX - 1 is only missing), made of "./" so that no
	 * component is long and only the length can be the error. */
	memset(name255, 'n', NAME_MAX);
	memset(name256, 'n', NAME_MAX + 1);
	for (k = 0; k < 2044; k++)
		memcpy(path4095 + 2 * k, "./", 2);
	memcpy(path4095 + 4088, "missing", 7);
	CHECK_EQ(strlen(path4095), PATH_MAX - 1);
	memcpy(path4096, path4095, 4088);
	memcpy(path4096 + 4088, "/missing", 8);
	CHECK_EQ(strlen(path4096), PATH_MAX);
	path_rows(name256, "a name of NAME_MAX+1 bytes", ENAMETOOLONG);
	path_rows(path4096, "a path of PATH_MAX bytes", ENAMETOOLONG);
	ROW("renameat newpath", "a name of NAME_MAX+1 bytes", ENAMETOOLONG,
	    __NR_renameat, AT_FDCWD, "file", AT_FDCWD, name256);
	ROW("renameat newpath", "a path of PATH_MAX bytes", ENAMETOOLONG,
	    __NR_renameat, AT_FDCWD, "file", AT_FDCWD, path4096);
	ROW("openat", "a name of NAME_MAX bytes", ENOENT, SYS_openat, AT_FDCWD,
	    name255, O_RDONLY);
	ROW("openat", "a path of PATH_MAX-1 bytes", ENOENT, SYS_openat,
	    AT_FDCWD, path4095, O_RDONLY);

	/* EISDIR: a directory opened for writing, read, or unlinked. */
	ROW("openat O_WRONLY", "a directory", EISDIR, SYS_openat, AT_FDCWD,
	    "dir", O_WRONLY);
	ROW("openat O_RDWR", "a directory", EISDIR, SYS_openat, AT_FDCWD, "dir",
	    O_RDWR);
	ROW("openat O_CREAT|O_WRONLY", "a directory", EISDIR, SYS_openat,
	    AT_FDCWD, "dir", O_CREAT | O_WRONLY, 0644);
	ROW("openat O_WRONLY", "a directory fd and \".\"", EISDIR, SYS_openat,
	    dfd, ".", O_WRONLY);
	ROW("read", "a directory fd", EISDIR, SYS_read, dfd, buf, 1);
	ROW("readv", "a directory fd", EISDIR, SYS_readv, dfd, iov, 1);
	ROW("pread64", "a directory fd", EISDIR, SYS_pread64, dfd, buf, 1, 0);
	ROW("unlinkat", "a directory", EISDIR, __NR_unlinkat, AT_FDCWD, "dir",
	    0);

	/* EPIPE and SIGPIPE; ESPIPE. */
	pipe_rows();

	/* Nothing above changed the tree. */
	CHECK_EQ(stat("file", &st), 0);
	CHECK_EQ(st.st_size, 4);
	CHECK_EQ(stat("dir", &st), 0);
	CHECK_ERR(stat("x", &st), ENOENT);
	CHECK_ERR(stat("new", &st), ENOENT);

	close(fd);
	close(rfd);
	close(wfd);
	close(dfd);
	CHECK_EQ(unlink("file"), 0);
	CHECK_EQ(rmdir("dir"), 0);
	CHECK_EQ(chdir("/"), 0);
	CHECK_EQ(rmdir(scratch), 0);
	return utest_done();
}
