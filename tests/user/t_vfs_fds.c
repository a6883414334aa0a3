/*
 * t_vfs_fds - file descriptors behave as on Linux: dup, dup2, dup3 and
 * fcntl's F_DUPFD share one open file (its position and flags); the
 * lowest free fd comes first; F_GETFD/F_SETFD and O_CLOEXEC set
 * close-on-exec, which execve honours (the test runs itself again to
 * look); fork copies the table (the files, and so the positions, are
 * shared; closing in the child leaves the parent's open); clone with
 * CLONE_FILES shares the table itself, and so do threads: an fd one
 * opens is the other's, and two reading one fd at once never get the
 * same bytes (the file position is updated under a lock); 1024 fds at
 * most (EMFILE), where the limit is Linux's default.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_vfs_fds"
#include "utest.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <thread.h>

#define CLONE_FILES_ 0x00000400

static char scratch[64];

/* Run as "t_vfs_fds exec-check KEEP GONE": KEEP must be open, GONE
 * (close-on-exec) closed. Exit 0 when so. */
static int exec_check(const char *keep, const char *gone)
{
	int k = atoi(keep), g = atoi(gone), bad = 0;
	char c;

	if (fcntl(k, F_GETFD) != 0)
		bad |= 1; /* open, and its FD_CLOEXEC clear */
	if (pread(k, &c, 1, 0) != 1 || c != 'q')
		bad |= 2;
	if (fcntl(g, F_GETFD) != -1 || errno != EBADF)
		bad |= 4;
	return bad;
}

static void test_dup(void)
{
	char buf[8];
	int fd, d1, d2, d3, d4, flags;

	fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "0123456789", 10), 10);
	d1 = dup(fd);
	CHECK(d1 > fd);
	/* One open file: one position. */
	CHECK_EQ(lseek(fd, 2, SEEK_SET), 2);
	CHECK_EQ(lseek(d1, 0, SEEK_CUR), 2);
	CHECK_EQ(read(d1, buf, 3), 3);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5);
	/* dup2 onto a free fd, onto itself, onto an open one. */
	CHECK_EQ(dup2(fd, 100), 100);
	CHECK_EQ(lseek(100, 0, SEEK_CUR), 5);
	CHECK_EQ(dup2(100, 100), 100);
	d2 = open("/dev/null", O_RDONLY);
	CHECK(d2 >= 0);
	CHECK_EQ(dup2(fd, d2), d2); /* closes /dev/null's */
	CHECK_EQ(read(d2, buf, 1), 1);
	CHECK_EQ(buf[0], '5');
	/* dup3 with O_CLOEXEC; F_DUPFD finds the lowest free fd >= arg. */
	CHECK_EQ(dup3(fd, 101, O_CLOEXEC), 101);
	CHECK_EQ(fcntl(101, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(100, F_GETFD), 0);
	d3 = fcntl(fd, F_DUPFD, 100);
	CHECK_EQ(d3, 102);
	d4 = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	CHECK(d4 >= 0 && d4 < 100);
	CHECK_EQ(fcntl(d4, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(d4, F_SETFD, 0), 0);
	CHECK_EQ(fcntl(d4, F_GETFD), 0);
	/* The lowest free fd: close one, the next open takes it. */
	CHECK_EQ(close(d1), 0);
	CHECK_EQ(dup(fd), d1);
	/* F_GETFL / F_SETFL: the access mode, and O_APPEND settable. */
	flags = fcntl(fd, F_GETFL);
	CHECK_EQ(flags & O_ACCMODE, O_RDWR);
	CHECK_EQ(flags & O_APPEND, 0);
	CHECK_EQ(fcntl(fd, F_SETFL, flags | O_APPEND | O_NONBLOCK), 0);
	CHECK(fcntl(d1, F_GETFL) & O_APPEND); /* the same open file */
	CHECK(fcntl(d1, F_GETFL) & O_NONBLOCK);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(write(fd, "X", 1), 1);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 11);	   /* appended */
	CHECK_EQ(fcntl(fd, F_SETFL, O_RDONLY), 0); /* access mode stays */
	CHECK_EQ(fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND), O_RDWR);
	for (int i = 100; i <= 102; i++)
		CHECK_EQ(close(i), 0);
	CHECK_EQ(close(d1), 0);
	CHECK_EQ(close(d2), 0);
	CHECK_EQ(close(d4), 0);
	CHECK_EQ(close(fd), 0);
}

static int make_q_file(void)
{
	int fd = open("q", O_CREAT | O_WRONLY | O_TRUNC, 0644);

	if (fd < 0 || write(fd, "q", 1) != 1)
		return -1;
	return close(fd);
}

static void test_cloexec(const char *self)
{
	char keep[16], gone[16];
	int k, g, status;
	pid_t pid;

	CHECK_EQ(make_q_file(), 0);
	k = open("q", O_RDONLY);
	g = open("q", O_RDONLY | O_CLOEXEC);
	CHECK(k >= 0 && g >= 0);
	CHECK_EQ(fcntl(g, F_GETFD), FD_CLOEXEC);
	snprintf(keep, sizeof(keep), "%d", k);
	snprintf(gone, sizeof(gone), "%d", g);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)self, "exec-check", keep, gone, NULL };

		execv(self, argv);
		_exit(100);
	}
	CHECK(pid > 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
	/* F_SETFD clears it again: now both survive. */
	CHECK_EQ(fcntl(g, F_SETFD, 0), 0);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)self, "exec-check", keep, gone, NULL };

		execv(self, argv);
		_exit(100);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 4); /* GONE was still open */
	CHECK_EQ(close(k), 0);
	CHECK_EQ(close(g), 0);
}

static int child_reads_one(void *arg)
{
	int fd = *(int *)arg;
	char c;

	if (read(fd, &c, 1) != 1 || c != 'a')
		return 1;
	return close(fd) == 0 ? 0 : 2; /* the parent's stays open */
}

static void test_fork(void)
{
	int fd = open("g", O_CREAT | O_RDWR | O_TRUNC, 0644), status, nfd;
	char c;
	long r;

	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "abc", 3), 3);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	status = run_child(child_reads_one, &fd);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The child's read moved the shared position. */
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 1);
	CHECK_EQ(read(fd, &c, 1), 1);
	CHECK_EQ(c, 'b');

	/* CLONE_FILES: one table. The child opens an fd and closes ours;
	 * both show in the parent. */
	fflush(stdout);
	r = syscall(SYS_clone, CLONE_FILES_ | SIGCHLD, 0, 0, 0, 0);
	if (r == 0) {
		int n = open("g", O_RDONLY);

		close(fd);
		syscall(SYS_exit_group, n >= 0 ? n : 200);
	}
	CHECK(r > 0);
	CHECK_EQ(waitpid((pid_t)r, &status, 0), r);
	CHECK(WIFEXITED(status));
	nfd = WEXITSTATUS(status);
	CHECK(nfd < 200);
	CHECK_EQ(fcntl(nfd, F_GETFD), 0); /* open in our table */
	CHECK_EQ(read(nfd, &c, 1), 1);
	CHECK_EQ(c, 'a');
	CHECK_ERR(fcntl(fd, F_GETFD), EBADF); /* closed by the child */
	CHECK_EQ(close(nfd), 0);
}

#define NREC 16384 /* 4-byte records of the shared file: 64 KiB */

struct shared_read {
	int fd;
	int started; /* readers at the start line */
	unsigned char seen[NREC];
	int opened; /* an fd the thread opened */
};

/* Read records one at a time from the shared fd until the end. */
static void *reader(void *arg)
{
	struct shared_read *sr = arg;
	unsigned int rec;

	/* Both start together, so that they overlap on two CPUs. */
	__atomic_fetch_add(&sr->started, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&sr->started, __ATOMIC_SEQ_CST) < 2)
		cpu_relax();
	while (read(sr->fd, &rec, sizeof(rec)) == (long)sizeof(rec))
		if (rec < NREC)
			__atomic_fetch_add(&sr->seen[rec], 1, __ATOMIC_RELAXED);
	return NULL;
}

static void *opener(void *arg)
{
	struct shared_read *sr = arg;

	sr->opened = open("q", O_RDONLY);
	return NULL;
}

static void test_threads(void)
{
	static struct shared_read sr;
	thread_t a, b;
	int fd = open("r", O_CREAT | O_RDWR | O_TRUNC, 0644), once = 1;
	char c;

	static unsigned int recs[NREC];

	CHECK(fd >= 0);
	for (unsigned int i = 0; i < NREC; i++)
		recs[i] = i;
	CHECK_EQ(write(fd, recs, sizeof(recs)), (long)sizeof(recs));
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	memset(&sr, 0, sizeof(sr));
	sr.fd = fd;
	CHECK_EQ(thread_create(&a, reader, &sr), 0);
	CHECK_EQ(thread_create(&b, reader, &sr), 0);
	CHECK_EQ(thread_join(a, NULL), 0);
	CHECK_EQ(thread_join(b, NULL), 0);
	for (int i = 0; i < NREC; i++)
		once &= sr.seen[i] == 1;
	CHECK(once); /* every record read, none twice */
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), NREC * 4);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(unlink("r"), 0);

	/* An fd a thread opens is in the process's one table. */
	CHECK_EQ(thread_create(&a, opener, &sr), 0);
	CHECK_EQ(thread_join(a, NULL), 0);
	CHECK(sr.opened >= 0);
	CHECK_EQ(read(sr.opened, &c, 1), 1);
	CHECK_EQ(c, 'q');
	CHECK_EQ(close(sr.opened), 0);
}

static void test_emfile(void)
{
	int fd = open("/dev/null", O_RDONLY), n, last = -1;

	CHECK(fd >= 0);
	errno = 0;
	n = dup2(fd, 1024);
	if (n == 1024) {
		close(1024);
		diag("RLIMIT_NOFILE is above 1024 here: EMFILE not checked");
		close(fd);
		return;
	}
	CHECK(n == -1 && errno == EBADF);
	CHECK_ERR(fcntl(fd, F_DUPFD, 1024), EINVAL);
	CHECK_EQ(dup2(fd, 1023), 1023);
	CHECK_ERR(fcntl(fd, F_DUPFD, 1023), EMFILE);
	CHECK_EQ(close(1023), 0);
	while ((n = dup(fd)) >= 0)
		last = n;
	CHECK_EQ(errno, EMFILE);
	CHECK_EQ(last, 1023);
	CHECK_ERR(open("/dev/null", O_RDONLY), EMFILE);
	CHECK_ERR(fcntl(fd, F_DUPFD, 0), EMFILE);
	for (n = fd + 1; n <= 1023; n++)
		if (n > 2)
			close(n);
	CHECK_EQ(close(fd), 0);
	fd = open("/dev/null", O_RDONLY); /* the lowest again */
	CHECK(fd >= 0 && fd < 100);
	close(fd);
}

int main(int argc, char **argv)
{
	struct stat st;
	char self[512];

	if (argc == 4 && strcmp(argv[1], "exec-check") == 0)
		return exec_check(argv[2], argv[3]);
	/* Our own path for the exec test: absolute, before the chdir. */
	if (argv[0][0] == '/')
		snprintf(self, sizeof(self), "%s", argv[0]);
	else if (getcwd(self, sizeof(self) - 64))
		snprintf(self + strlen(self), 64, "/%s", argv[0]);
	snprintf(scratch, sizeof(scratch), "/tmp/t_vfs_fds.%d", (int)getpid());
	if (mkdir(scratch, 0755) || chdir(scratch)) {
		diag("FAIL cannot make and enter %s: %s", scratch,
		     strerror(errno));
		return 1;
	}
	test_dup();
	test_cloexec(self);
	test_fork();
	test_threads();
	test_emfile();
	CHECK_EQ(unlink("f"), 0);
	CHECK_EQ(unlink("g"), 0);
	CHECK_EQ(unlink("q"), 0);
	CHECK_EQ(chdir("/"), 0);
	CHECK_EQ(rmdir(scratch), 0);
	CHECK_ERR(stat(scratch, &st), ENOENT);
	return utest_done();
}
