/*
 * uffd_util.h - userfaultfd(2) wrappers shared by the userfaultfd tests
 * (tests/user/t_uffd*.c; docs/userfaultfd.md). Include after utest.h.
 * Linux's ABI (include/uapi/linux/userfaultfd.h) through syscall(), so
 * the same calls run on this kernel and on Linux.
 *
 *   uffd_new(flags)          userfaultfd(flags): the fd, or -1 with errno
 *   uioctl(fd, cmd, arg)     ioctl(2) (our libc has no ioctl())
 *   uffd_ready(flags, feat)  a new fd with UFFDIO_API done asking for the
 *                            features feat; -1 after recording a FAIL
 *   uffd_register(fd, p, len, mode, ioctls)   UFFDIO_REGISTER of
 *                            [p, p + len); the answered ioctls in *ioctls
 *   uffd_ready_range(flags, feat, p, len)   uffd_ready(), then [p, p +
 *                            len) registered MISSING; -1 after a FAIL
 *   uffd_unregister(fd, p, len)               UFFDIO_UNREGISTER
 *   uffd_copy(fd, dst, src, len, mode, copied)    UFFDIO_COPY; the
 *                            kernel's `copy` answer in *copied
 *   uffd_zeropage(fd, dst, len, mode, done)   UFFDIO_ZEROPAGE; its
 *                            `zeropage` answer in *done
 *   uffd_wake(fd, p, len)    UFFDIO_WAKE
 *   map_pages(n)             n fresh private anonymous pages, RW; the
 *                            test ends (exit 1, a FAIL) if mmap fails
 *   sleep_ms(ms)             nanosleep for ms milliseconds
 *   wait_pollin(fd)          poll(2) up to 5 s for a message on an
 *                            O_NONBLOCK fd, not reading it; -1 after
 *                            recording a FAIL
 *   read_msg(fd, msg)        read(2) one struct uffd_msg; -1 after
 *                            recording a FAIL
 *   struct reader, reader_main   a thread's read(2) from a pipe into a
 *                            page: a kernel-mode fault there
 *   uffd_child_setup(feat, p)   in a child: a new uffd asking for feat
 *                            (or _exit(2)), one fresh page registered
 *                            MISSING (in *p); returns the fd
 *   expect_kill_blocked(what, block)   a child runs block(), which must
 *                            sleep in the kernel for good; it is still
 *                            there 100 ms later, and SIGKILL ends it
 * The ioctls return 0, or -1 with errno (man 2 ioctl_userfaultfd). The
 * `copy` and `zeropage` answers say the same without errno (the bytes
 * done, or -errno when none was): threads made with <thread.h> share
 * one errno, so a thread that may race another reads those instead.
 */
#ifndef UFFD_UTIL_H
#define UFFD_UTIL_H

#include <fcntl.h>
#include <poll.h>
#if __has_include(<sys/ioctl.h>)
#include <sys/ioctl.h> /* glibc: _IOWR for Linux's header */
#endif
#include <linux/userfaultfd.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#define PG 4096UL /* bytes in a page */

static inline int uffd_new(int flags)
{
	return (int)syscall(__NR_userfaultfd, flags);
}

/* ioctl(2) through syscall(): our libc has no ioctl() wrapper. */
static inline long uioctl(int fd, unsigned long cmd, void *arg)
{
	return syscall(__NR_ioctl, fd, cmd, arg);
}

/* A new uffd with UFFDIO_API done (features asked: feat), or -1. */
static inline int uffd_ready(int flags, unsigned long long feat)
{
	struct uffdio_api api = { .api = UFFD_API, .features = feat };
	int fd = uffd_new(flags);

	if (fd < 0) {
		diag("FAIL userfaultfd: %s", strerror(errno));
		utest_failures++;
		return -1;
	}
	if (uioctl(fd, UFFDIO_API, &api)) {
		diag("FAIL UFFDIO_API: %s", strerror(errno));
		utest_failures++;
		close(fd);
		return -1;
	}
	return fd;
}

static inline long uffd_register(int fd, void *p, unsigned long len,
				 unsigned long long mode,
				 unsigned long long *ioctls)
{
	struct uffdio_register r = { .range = { (uintptr_t)p, len },
				     .mode = mode };
	long ret = uioctl(fd, UFFDIO_REGISTER, &r);

	if (ioctls)
		*ioctls = r.ioctls;
	return ret;
}

static inline int uffd_ready_range(int flags, unsigned long long feat, void *p,
				   unsigned long len)
{
	int fd = uffd_ready(flags, feat);

	if (fd >= 0 &&
	    uffd_register(fd, p, len, UFFDIO_REGISTER_MODE_MISSING, NULL)) {
		diag("FAIL UFFDIO_REGISTER: %s", strerror(errno));
		utest_failures++;
		close(fd);
		return -1;
	}
	return fd;
}

static inline long uffd_unregister(int fd, void *p, unsigned long len)
{
	struct uffdio_range r = { (uintptr_t)p, len };

	return uioctl(fd, UFFDIO_UNREGISTER, &r);
}

static inline long uffd_copy(int fd, void *dst, const void *src,
			     unsigned long len, unsigned long long mode,
			     long long *copied)
{
	struct uffdio_copy c = { .dst = (uintptr_t)dst,
				 .src = (uintptr_t)src,
				 .len = len,
				 .mode = mode,
				 .copy = 12345 };
	long ret = uioctl(fd, UFFDIO_COPY, &c);

	if (copied)
		*copied = c.copy;
	return ret;
}

static inline long uffd_zeropage(int fd, void *dst, unsigned long len,
				 unsigned long long mode, long long *done)
{
	struct uffdio_zeropage z = { .range = { (uintptr_t)dst, len },
				     .mode = mode,
				     .zeropage = 12345 };
	long ret = uioctl(fd, UFFDIO_ZEROPAGE, &z);

	if (done)
		*done = z.zeropage;
	return ret;
}

static inline long uffd_wake(int fd, void *p, unsigned long len)
{
	struct uffdio_range r = { (uintptr_t)p, len };

	return uioctl(fd, UFFDIO_WAKE, &r);
}

static inline void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Wait (up to 5 s, sleeping in poll) for a message on the O_NONBLOCK fd,
 * without reading it: 0, or -1 and a failure. */
static inline int wait_pollin(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (poll(&pfd, 1, 5000) == 1 && (pfd.revents & POLLIN))
		return 0;
	diag("FAIL no message came within 5 s");
	utest_failures++;
	return -1;
}

/* Read one message (blocking fd), or record a FAIL and return -1. */
static inline int read_msg(int fd, struct uffd_msg *msg)
{
	ssize_t r = read(fd, msg, sizeof(*msg));

	if (r != (ssize_t)sizeof(*msg)) {
		diag("FAIL read: %ld (%s)", (long)r, strerror(errno));
		utest_failures++;
		return -1;
	}
	return 0;
}

/* A read(2) of 5 bytes from pipefd into dst + 100: run as a thread
 * (reader_main), it makes a kernel-mode write fault on dst's page. */
struct reader {
	int pipefd;
	char *dst;
	volatile long ret;
	volatile int err;
	volatile int done;
};

static inline void *reader_main(void *arg)
{
	struct reader *r = arg;

	r->ret = read(r->pipefd, r->dst + 100, 5);
	r->err = errno;
	__atomic_store_n(&r->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static inline char *map_pages(unsigned long n)
{
	char *p = mmap(NULL, n * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		diag("FAIL mmap: %s", strerror(errno));
		utest_failures++;
		exit(1);
	}
	return p;
}

static inline int uffd_child_setup(unsigned long long feat, char **p)
{
	struct uffdio_api api = { .api = UFFD_API, .features = feat };
	int fd = uffd_new(0);

	*p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		  -1, 0);
	if (fd < 0 || *p == MAP_FAILED || uioctl(fd, UFFDIO_API, &api) ||
	    uffd_register(fd, *p, PG, UFFDIO_REGISTER_MODE_MISSING, NULL))
		_exit(2);
	return fd;
}

/*
 * Fork a child that runs block(), which must never return (a fault or
 * an event nobody answers: it is the child's own uffd, and the child
 * reads nothing); after the child says it is about to call it, check
 * that it is still there 100 ms later, SIGKILL it and expect it to die
 * of that (the sleep is killable), naming it what in the diagnostics.
 */
static inline void expect_kill_blocked(const char *what, void (*block)(void))
{
	int pfd[2], status = 0;
	char c = 0;
	pid_t pid;

	CHECK_EQ(pipe(pfd), 0);
	pid = fork();
	if (pid == 0) {
		if (write(pfd[1], "r", 1) != 1)
			_exit(3);
		block();
		_exit(4);
	}
	CHECK(pid > 0);
	CHECK_EQ(read(pfd[0], &c, 1), 1);
	sleep_ms(100);
	CHECK_EQ(waitpid(pid, &status, WNOHANG), 0);
	CHECK_EQ(kill(pid, SIGKILL), 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	describe_status(what, status);
	close(pfd[0]);
	close(pfd[1]);
}

#endif
