/*
 * t_uffd_fork - userfaultfd(2)'s UFFD_FEATURE_EVENT_FORK behaves as
 * Linux's (man 2 ioctl_userfaultfd, man 2 userfaultfd, Linux's
 * dup_userfaultfd() and resolve_userfault_fork(); docs/userfaultfd.md):
 *   - UFFDIO_API takes the feature and answers it;
 *   - a fork of a process with a range registered with such a fd queues
 *     a UFFD_EVENT_FORK message, and the fork does not return before the
 *     monitor has read it (meanwhile the fd's UFFDIO_COPY is EAGAIN);
 *     the message's arg.fork.ufd is a new fd in the reader's table, not
 *     in the child's, O_CLOEXEC and O_NONBLOCK as the original's flags;
 *     the child's copy of the range is registered with it: the child's
 *     fault is read from the new fd, not the old, and UFFDIO_COPY on the
 *     new fd resolves it, with the monitor's bytes; the parent's range
 *     is untouched (its missing page still missing, its pages its own);
 *   - without the feature the child's copy is not registered: its fault
 *     fills with zeros, and no message comes;
 *   - closing the parent's fd before the event is read lets the fork go
 *     on, the child's copy unregistered (a fault fills with zeros);
 *   - SIGKILL ends a fork waiting for its event;
 *   - on this kernel (its meminfo call; ENOSYS on Linux), after the last
 *     two, the free pages and the open files are back at their counts
 *     from before: the child's context, its mm and files all went.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_uffd_fork"
#include "utest.h"
#include "uffd_util.h"
#include <fcntl.h>
#include <poll.h>
#include <private.h> /* meminfo: this kernel's, ENOSYS on Linux */
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <thread.h>

#ifndef CLONE_FILES
#define CLONE_FILES 0x00000400 /* Linux's */
#endif

/* Is there no message to read (O_NONBLOCK fd)? */
static int no_message(int fd)
{
	struct uffd_msg msg;

	return read(fd, &msg, sizeof(msg)) == -1 && errno == EAGAIN;
}

/* 1 iff every byte of [p, p + len) is c. */
static int all_bytes(const volatile char *p, unsigned long len, unsigned char c)
{
	for (unsigned long i = 0; i < len; i++)
		if ((unsigned char)p[i] != c)
			return 0;
	return 1;
}

/* Reap pid: its wait status, after SIGKILL if it runs for more than
 * 10 s; -1 if waitpid fails. */
static int reap(pid_t pid)
{
	int status = -1;

	for (int i = 0; i < 1000; i++) {
		long r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0)
			return -1;
		sleep_ms(10);
	}
	kill(pid, SIGKILL);
	return waitpid(pid, &status, 0) == pid ? status : -1;
}

/* Did the child what exit with 0? */
static void expect_exit0(const char *what, int status)
{
	utest_checks++;
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		utest_failures++;
		diag("FAIL %s did not exit 0", what);
		if (status != -1)
			describe_status(what, status);
	}
}

/* ---- the counts that must come back ---- */

/* The kernel's count of open files (the first number of
 * /proc/sys/fs/file-nr), or -1. */
static long open_files(void)
{
	char buf[64];
	int fd = open("/proc/sys/fs/file-nr", O_RDONLY | O_CLOEXEC);
	long len;

	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	return strtol(buf, NULL, 10);
}

struct counts {
	int ours; /* 0 on Linux: nothing is compared */
	unsigned long free_pages;
	long files;
};

static void counts_take(struct counts *c)
{
	struct meminfo mi;

	c->ours = meminfo(&mi) == 0;
	c->free_pages = mi.free_pages;
	c->files = open_files();
}

/* On this kernel: are the free pages and open files back at *before?
 * An exit's last frees may come a little after the reap: poll for up
 * to 2 s. */
static void counts_back(const char *what, const struct counts *before)
{
	struct counts now;

	if (!before->ours)
		return;
	for (int i = 0; i < 200; i++) {
		counts_take(&now);
		if (now.free_pages == before->free_pages &&
		    now.files == before->files)
			break;
		sleep_ms(10);
	}
	utest_checks++;
	if (now.free_pages != before->free_pages ||
	    now.files != before->files) {
		utest_failures++;
		diag("FAIL %s: free pages %lu -> %lu, open files %ld -> %ld",
		     what, before->free_pages, now.free_pages, before->files,
		     now.files);
	}
}

/* ---- the child, and the thread that forks it ---- */

static char *area;		     /* the registered range: 3 pages */
static unsigned char want;	     /* what the child must read at page 1 */
static int ufd_pipe[2] = { -1, -1 }; /* the new fd's number, or -1 */

/*
 * The child: page 0 (present at the fork) holds 0xa0, page 1 (missing)
 * reads want; a write to page 0 is its own. If the parent sends the new
 * fd's number down ufd_pipe, that fd is not open here. Exit status 0, or
 * which check failed.
 */
static int child_main(void)
{
	if (ufd_pipe[0] >= 0) {
		int ufd = -1;

		if (read(ufd_pipe[0], &ufd, sizeof(ufd)) != sizeof(ufd))
			return 10;
		if (ufd >= 0 && (fcntl(ufd, F_GETFD) != -1 || errno != EBADF))
			return 11;
	}
	if (!all_bytes(area, PG, 0xa0))
		return 12;
	if (!all_bytes(area + PG, PG, want))
		return 13;
	area[0] = 1;
	return 0;
}

/*
 * A thread that forks (clone_flags | SIGCHLD, by the raw call: no libc
 * fork handlers in a thread of our own making), says so, and reaps the
 * child itself (this kernel's wait4() sees only the caller's own
 * children, not those of the other threads as Linux's does).
 */
struct forker {
	unsigned long clone_flags;
	long pid;
	int status; /* the child's wait status, or -1 */
	volatile int done;
};

static void *forker_main(void *arg)
{
	struct forker *f = arg;
	long pid =
		syscall(__NR_clone, f->clone_flags | SIGCHLD, 0L, 0L, 0L, 0L);

	if (pid == 0)
		syscall(__NR_exit_group, child_main());
	f->pid = pid;
	__atomic_store_n(&f->done, 1, __ATOMIC_SEQ_CST);
	f->status = pid > 0 ? reap((pid_t)pid) : -1;
	return NULL;
}

/* ---- the tests ---- */

static void test_api(void)
{
	struct uffdio_api api = { .api = UFFD_API,
				  .features = UFFD_FEATURE_EVENT_FORK };
	int fd = uffd_new(0);

	CHECK(fd >= 0);
	CHECK_EQ(uioctl(fd, UFFDIO_API, &api), 0);
	CHECK(api.features & UFFD_FEATURE_EVENT_FORK);
	close(fd);
}

/* A fork with EVENT_FORK: the event, the new fd, the child's fault
 * through it, the parent untouched. */
static void test_fork_event(void)
{
	static unsigned char src[PG];
	struct forker f = { 0 };
	struct uffd_msg msg;
	thread_t t;
	int ufd = -1;
	char *p = map_pages(3);
	int fd = uffd_ready_range(O_NONBLOCK | O_CLOEXEC,
				  UFFD_FEATURE_EVENT_FORK, p, 3 * PG);

	if (fd < 0)
		return;
	memset(src, 0xa0, sizeof(src));
	CHECK_EQ(uffd_copy(fd, p, src, PG, 0, NULL), 0);
	CHECK_EQ(pipe(ufd_pipe), 0);
	area = p;
	want = 0xb1;
	CHECK_EQ(thread_create(&t, forker_main, &f), 0);
	if (!wait_pollin(fd)) {
		/* The fork waits for the monitor, and the fd's fills fail
		 * meanwhile. */
		sleep_ms(30);
		CHECK_EQ(f.done, 0);
		CHECK_ERR(uffd_copy(fd, p + PG, src, PG, 0, NULL), EAGAIN);
		memset(&msg, 0xff, sizeof(msg));
		CHECK_EQ(read(fd, &msg, sizeof(msg)), (long)sizeof(msg));
		CHECK_EQ(msg.event, UFFD_EVENT_FORK);
		CHECK_EQ(msg.reserved1 | msg.reserved2 | msg.reserved3, 0);
		CHECK_EQ(msg.arg.reserved.reserved1 >> 32, 0);
		CHECK_EQ(msg.arg.reserved.reserved2 |
				 msg.arg.reserved.reserved3,
			 0);
		ufd = (int)msg.arg.fork.ufd;
		CHECK(ufd >= 0 && ufd != fd);
		CHECK(fcntl(ufd, F_GETFD) & FD_CLOEXEC);
		CHECK(fcntl(ufd, F_GETFL) & O_NONBLOCK);
	}
	/* The fork has returned. */
	for (int i = 0; i < 500 && !f.done; i++)
		sleep_ms(10);
	CHECK_EQ(f.done, 1);
	CHECK(f.pid > 0);
	CHECK_EQ(write(ufd_pipe[1], &ufd, sizeof(ufd)), (long)sizeof(ufd));
	/* The child's fault comes on the new fd; a copy there ends it. */
	if (ufd >= 0 && !wait_pollin(ufd)) {
		CHECK_EQ(read(ufd, &msg, sizeof(msg)), (long)sizeof(msg));
		CHECK_EQ(msg.event, UFFD_EVENT_PAGEFAULT);
		CHECK_EQ(msg.arg.pagefault.address, (uintptr_t)(p + PG));
		CHECK_EQ(msg.arg.pagefault.flags, 0); /* a read */
		memset(src, 0xb1, sizeof(src));
		CHECK_EQ(uffd_copy(ufd, p + PG, src, PG, 0, NULL), 0);
	}
	thread_join(t, NULL);
	expect_exit0("child of a fork with EVENT_FORK", f.status);
	/* Nothing of the child's came to the parent's fd, and the parent's
	 * range is its own: page 0 as it was, page 1 still missing. */
	CHECK(no_message(fd));
	CHECK(all_bytes(p, PG, 0xa0));
	CHECK_EQ(uffd_zeropage(fd, p + PG, PG, 0, NULL), 0);
	if (ufd >= 0)
		close(ufd);
	close(ufd_pipe[0]);
	close(ufd_pipe[1]);
	ufd_pipe[0] = ufd_pipe[1] = -1;
	close(fd);
	munmap(p, 3 * PG);
}

/* Without EVENT_FORK: no message, no wait; the child's fault is its own
 * (zeros), and the parent's page stays missing. */
static void test_fork_off(void)
{
	static unsigned char src[PG];
	char *p = map_pages(3);
	int fd = uffd_ready_range(O_NONBLOCK, UFFD_FEATURE_EVENT_UNMAP, p,
				  3 * PG);
	pid_t pid;

	if (fd < 0)
		return;
	memset(src, 0xa0, sizeof(src));
	CHECK_EQ(uffd_copy(fd, p, src, PG, 0, NULL), 0);
	area = p;
	want = 0;
	pid = fork();
	if (pid == 0)
		_exit(child_main());
	CHECK(pid > 0);
	expect_exit0("child of a fork without EVENT_FORK",
		     pid > 0 ? reap(pid) : -1);
	CHECK(no_message(fd));
	CHECK_EQ(uffd_zeropage(fd, p + PG, PG, 0, NULL), 0);
	close(fd);
	munmap(p, 3 * PG);
}

/*
 * The parent's fd closed with the event unread: the fork goes on, the
 * child's copy unregistered. The forker's child shares the fd table
 * (CLONE_FILES): with a copy of it, the child would hold the fd open
 * and the close would release nothing.
 */
static void fork_close_once(void)
{
	static unsigned char src[PG];
	struct forker f = { .clone_flags = CLONE_FILES };
	thread_t t;
	char *p = map_pages(3);
	int fd = uffd_ready_range(O_NONBLOCK, UFFD_FEATURE_EVENT_FORK, p,
				  3 * PG);

	if (fd < 0)
		return;
	memset(src, 0xa0, sizeof(src));
	CHECK_EQ(uffd_copy(fd, p, src, PG, 0, NULL), 0);
	area = p;
	want = 0;
	CHECK_EQ(thread_create(&t, forker_main, &f), 0);
	if (!wait_pollin(fd)) {
		sleep_ms(30);
		CHECK_EQ(f.done, 0);
	}
	close(fd);
	thread_join(t, NULL);
	CHECK_EQ(f.done, 1);
	expect_exit0("child of a fork whose event was lost", f.status);
	munmap(p, 3 * PG);
}

/* Twice: the counts after the second are those from before it (the
 * first one's page tables and stacks stay with this process). */
static void test_fork_close(void)
{
	struct counts before;

	fork_close_once();
	counts_take(&before);
	fork_close_once();
	counts_back("fd closed with a FORK event unread", &before);
}

/* A fork whose event nobody reads: waits for ever. */
static void fork_for_ever(void)
{
	char *p;

	uffd_child_setup(UFFD_FEATURE_EVENT_FORK, &p);
	if (syscall(__NR_clone, SIGCHLD, 0L, 0L, 0L, 0L) == 0)
		syscall(__NR_exit_group, 5); /* the child must not run */
}

/* So SIGKILL ends it, and the half-made child leaves nothing. */
static void test_fork_kill(void)
{
	struct counts before;

	/* Twice, as test_fork_close. */
	expect_kill_blocked("fork waiting for its event", fork_for_ever);
	counts_take(&before);
	expect_kill_blocked("fork waiting for its event", fork_for_ever);
	counts_back("fork killed waiting for its event", &before);
}

int main(void)
{
	test_api();
	test_fork_event();
	test_fork_off();
	test_fork_close();
	test_fork_kill();
	return utest_done();
}
