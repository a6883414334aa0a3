/*
 * t_uffd - userfaultfd(2) behaves as Linux's (man 2 userfaultfd, man 2
 * ioctl_userfaultfd; docs/userfaultfd.md), MISSING mode on anonymous
 * private memory:
 *   - the flags: O_CLOEXEC, O_NONBLOCK, UFFD_USER_MODE_ONLY; others EINVAL;
 *   - /dev/userfaultfd: USERFAULTFD_IOC_NEW makes the same kind of fd,
 *     with the same flags and errors; any other command is EINVAL;
 *   - UFFDIO_API: before it every other ioctl and read are EINVAL; a wrong
 *     api or an unknown feature is EINVAL (the answer zeroed); a second
 *     one is EINVAL; it answers the features and the fd's ioctls;
 *   - UFFDIO_REGISTER: mode 0 or an unknown bit, an unaligned or empty
 *     range EINVAL; a file mapping EINVAL; a range another uffd owns
 *     EBUSY; the answer names WAKE, COPY, ZEROPAGE; UNREGISTER frees it;
 *   - UFFDIO_COPY and UFFDIO_ZEROPAGE: the `copy`/`zeropage` answers,
 *     EEXIST on a present page, ENOENT outside a registered range, EAGAIN
 *     with a partial count, EFAULT for a bad source, EINVAL for a bad
 *     mode; UFFDIO_WAKE checks its range;
 *   - read(2): 32-byte messages, EINVAL below 32 bytes, EAGAIN under
 *     O_NONBLOCK, EINTR when a handler interrupts a blocking read;
 *   - poll(2): POLLERR before UFFDIO_API and on a blocking fd; on an
 *     O_NONBLOCK one, POLLIN while a fault's message is unread, and a
 *     poll waiting with a timeout wakes when a fault comes;
 *   - faults: a thread touching registered pages sleeps until the monitor
 *     copies them in; each message says PAGEFAULT, WRITE or not, the page
 *     (or exact with EXACT_ADDRESS) address and the thread id; the
 *     contents are the monitor's; DONTWAKE leaves the thread asleep until
 *     UFFDIO_WAKE;
 *   - a read(2) into a registered page (a kernel-mode fault) reaches the
 *     monitor, or fails with EFAULT under UFFD_USER_MODE_ONLY;
 *   - closing the uffd with a fault pending wakes it and the page fills
 *     with zeros; SIGKILL ends a thread asleep in a fault; a handled
 *     signal wakes it, and the access faults again (a second message); a
 *     fork child's copy of a registered range is not registered;
 *   - two threads faulting on the same pages at once, in opposite
 *     orders: every read sees the monitor's page (a copy that finds the
 *     page there is EEXIST and the monitor wakes instead).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_uffd"
#include "utest.h"
#include "uffd_util.h"
#include <poll.h>
#include <private.h> /* meminfo: this kernel's, ENOSYS on Linux */
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <thread.h>
#include <time.h>

static const char *self_path;

/* The byte at offset i of the monitor's page number pg. */
static unsigned char pattern(unsigned long pg, unsigned long i)
{
	return (unsigned char)(pg * 37 + i * 7 + 1);
}

static void fill_pattern(unsigned char *buf, unsigned long pg)
{
	for (unsigned long i = 0; i < PG; i++)
		buf[i] = pattern(pg, i);
}

/* Does page p hold pattern(pg) from byte from on? */
static int is_pattern(const unsigned char *p, unsigned long pg,
		      unsigned long from)
{
	for (unsigned long i = from; i < PG; i++)
		if (p[i] != pattern(pg, i))
			return 0;
	return 1;
}

static void test_flags(void)
{
	int fd;

	CHECK_ERR(uffd_new(0x10), EINVAL);
	CHECK_ERR(uffd_new(O_RDWR), EINVAL);
	CHECK_ERR(uffd_new(O_APPEND), EINVAL);
	fd = uffd_new(O_CLOEXEC | O_NONBLOCK);
	CHECK(fd >= 0);
	CHECK_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	CHECK_EQ(fcntl(fd, F_GETFL) & (O_NONBLOCK | O_ACCMODE),
		 O_NONBLOCK | O_RDONLY);
	close(fd);
	fd = uffd_new(UFFD_USER_MODE_ONLY);
	CHECK(fd >= 0);
	CHECK_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	CHECK_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	close(fd);
}

/* /dev/userfaultfd (Linux 6.1): the ioctl makes a userfaultfd that
 * works as one from the system call. */
static void test_dev(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffd_msg msg;
	long long done = 0;
	int dev, fd;
	char *p;

	dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
	if (dev < 0 && errno == ENOENT) {
		diag("# /dev/userfaultfd: no such node here; skipped");
		return;
	}
	CHECK(dev >= 0);
	if (dev < 0)
		return;
	CHECK_ERR(uioctl(dev, UFFDIO_API, &api), EINVAL); /* not a uffd */
	CHECK_ERR(uioctl(dev, USERFAULTFD_IOC_NEW + 1, NULL), EINVAL);
	CHECK_ERR(uioctl(dev, USERFAULTFD_IOC_NEW, (void *)0x10), EINVAL);
	fd = (int)uioctl(dev, USERFAULTFD_IOC_NEW,
			 (void *)(long)(O_CLOEXEC | O_NONBLOCK));
	CHECK(fd >= 0);
	close(dev); /* the new fd does not need the device */
	if (fd < 0)
		return;
	CHECK_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	CHECK_EQ(fcntl(fd, F_GETFL) & (O_NONBLOCK | O_ACCMODE),
		 O_NONBLOCK | O_RDONLY);
	CHECK_EQ(uioctl(fd, UFFDIO_API, &api), 0);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK_EQ(uffd_register(fd, p, PG, UFFDIO_REGISTER_MODE_MISSING, NULL),
		 0);
	CHECK_EQ(uffd_zeropage(fd, p, PG, 0, &done), 0);
	CHECK_EQ(done, (long long)PG);
	CHECK_EQ(p[PG - 1], 0);
	CHECK_ERR(read(fd, &msg, sizeof(msg)), EAGAIN); /* O_NONBLOCK */
	close(fd);
	munmap(p, PG);
}

static void test_api(void)
{
	struct uffdio_api api;
	unsigned long long want_ioctls = (1ULL << _UFFDIO_REGISTER) |
					 (1ULL << _UFFDIO_UNREGISTER) |
					 (1ULL << _UFFDIO_API);
	unsigned long long want_feat = UFFD_FEATURE_THREAD_ID |
				       UFFD_FEATURE_EXACT_ADDRESS;
	char *p = map_pages(1);
	struct uffd_msg msg;
	int fd = uffd_new(O_NONBLOCK);

	CHECK(fd >= 0);
	/* Nothing works before UFFDIO_API. */
	CHECK_ERR(uffd_register(fd, p, PG, UFFDIO_REGISTER_MODE_MISSING, NULL),
		  EINVAL);
	CHECK_ERR(read(fd, &msg, sizeof(msg)), EINVAL);
	/* A wrong API number: EINVAL, the answer zeroed. */
	api = (struct uffdio_api){ .api = 0xAB, .features = 0, .ioctls = 7 };
	CHECK_ERR(uioctl(fd, UFFDIO_API, &api), EINVAL);
	CHECK(api.api == 0 && api.features == 0 && api.ioctls == 0);
	/* A feature no kernel has. */
	api = (struct uffdio_api){ .api = UFFD_API, .features = 1ULL << 62 };
	CHECK_ERR(uioctl(fd, UFFDIO_API, &api), EINVAL);
	CHECK_ERR(uioctl(fd, UFFDIO_API, NULL), EFAULT);
	api = (struct uffdio_api){ .api = UFFD_API,
				   .features = UFFD_FEATURE_THREAD_ID };
	CHECK_EQ(uioctl(fd, UFFDIO_API, &api), 0);
	CHECK_EQ(api.api, UFFD_API);
	CHECK((api.features & want_feat) == want_feat);
	CHECK((api.ioctls & want_ioctls) == want_ioctls);
	/* Once only. */
	api = (struct uffdio_api){ .api = UFFD_API };
	CHECK_ERR(uioctl(fd, UFFDIO_API, &api), EINVAL);
	/* An unknown command of the uffd's type: EINVAL, as Linux. */
	CHECK_ERR(uioctl(fd, _IOWR(UFFDIO, 0x3E, struct uffdio_api), &api),
		  EINVAL);
	close(fd);
	munmap(p, PG);
}

/* On this kernel (which has the private meminfo call, ENOSYS on Linux):
 * the features and ioctls answered are exactly the ones implemented. */
static void test_api_exact(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	unsigned long long ioctls = 0;
	char *p;
	int fd;

	struct meminfo mi;

	if (meminfo(&mi))
		return; /* Linux */
	fd = uffd_new(0);
	CHECK_EQ(uioctl(fd, UFFDIO_API, &api), 0);
	CHECK_EQ(api.features,
		 UFFD_FEATURE_PAGEFAULT_FLAG_WP | UFFD_FEATURE_EVENT_FORK |
			 UFFD_FEATURE_EVENT_REMAP | UFFD_FEATURE_EVENT_REMOVE |
			 UFFD_FEATURE_EVENT_UNMAP | UFFD_FEATURE_SIGBUS |
			 UFFD_FEATURE_THREAD_ID | UFFD_FEATURE_EXACT_ADDRESS);
	CHECK_EQ(api.ioctls, (1ULL << _UFFDIO_REGISTER) |
				     (1ULL << _UFFDIO_UNREGISTER) |
				     (1ULL << _UFFDIO_API));
	close(fd);
	/* Features Linux has and we do not: refused. */
	fd = uffd_new(0);
	api = (struct uffdio_api){ .api = UFFD_API,
				   .features = UFFD_FEATURE_MINOR_SHMEM };
	CHECK_ERR(uioctl(fd, UFFDIO_API, &api), EINVAL);
	close(fd);
	/* MINOR mode and shared anonymous memory: not here (Linux has
	 * both; WP mode: t_uffd_wp). */
	fd = uffd_ready(0, 0);
	p = map_pages(1);
	CHECK_ERR(uffd_register(fd, p, PG, UFFDIO_REGISTER_MODE_MINOR, NULL),
		  EINVAL);
	CHECK_EQ(uffd_register(fd, p, PG, UFFDIO_REGISTER_MODE_MISSING,
			       &ioctls),
		 0);
	CHECK_EQ(ioctls, (1ULL << _UFFDIO_WAKE) | (1ULL << _UFFDIO_COPY) |
				 (1ULL << _UFFDIO_ZEROPAGE));
	munmap(p, PG);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		 -1, 0);
	CHECK_ERR(uffd_register(fd, p, PG, UFFDIO_REGISTER_MODE_MISSING, NULL),
		  EINVAL);
	munmap(p, PG);
	close(fd);
}

static void test_register(void)
{
	unsigned long long ioctls = 0;
	unsigned long long range_ioctls = (1ULL << _UFFDIO_WAKE) |
					  (1ULL << _UFFDIO_COPY) |
					  (1ULL << _UFFDIO_ZEROPAGE);
	char *p = map_pages(8);
	int fd = uffd_ready(0, 0), fd2 = uffd_ready(0, 0);
	int ffd;

	if (fd < 0 || fd2 < 0)
		return;
	CHECK_ERR(uffd_register(fd, p, PG, 0, NULL), EINVAL);
	CHECK_ERR(uffd_register(fd, p, PG,
				UFFDIO_REGISTER_MODE_MISSING | (1ULL << 20),
				NULL),
		  EINVAL);
	CHECK_ERR(uffd_register(fd, p + 1, PG, UFFDIO_REGISTER_MODE_MISSING,
				NULL),
		  EINVAL);
	CHECK_ERR(uffd_register(fd, p, PG + 1, UFFDIO_REGISTER_MODE_MISSING,
				NULL),
		  EINVAL);
	CHECK_ERR(uffd_register(fd, p, 0, UFFDIO_REGISTER_MODE_MISSING, NULL),
		  EINVAL);
	CHECK_ERR(uffd_register(fd, (void *)(1UL << 47), PG,
				UFFDIO_REGISTER_MODE_MISSING, NULL),
		  EINVAL);
	/* pages 2..5 of 8 */
	CHECK_EQ(uffd_register(fd, p + 2 * PG, 4 * PG,
			       UFFDIO_REGISTER_MODE_MISSING, &ioctls),
		 0);
	CHECK((ioctls & range_ioctls) == range_ioctls);
	CHECK(!(ioctls &
		((1ULL << _UFFDIO_WRITEPROTECT) | (1ULL << _UFFDIO_CONTINUE))));
	/* Again, by the same uffd: fine. */
	CHECK_EQ(uffd_register(fd, p + 2 * PG, 4 * PG,
			       UFFDIO_REGISTER_MODE_MISSING, NULL),
		 0);
	/* Another uffd over part of it: busy. */
	CHECK_ERR(uffd_register(fd2, p + 5 * PG, 2 * PG,
				UFFDIO_REGISTER_MODE_MISSING, NULL),
		  EBUSY);
	CHECK_EQ(uffd_register(fd2, p + 6 * PG, 2 * PG,
			       UFFDIO_REGISTER_MODE_MISSING, NULL),
		 0);
	/* Unregistered, the range is free for the other. */
	CHECK_EQ(uffd_unregister(fd, p, 6 * PG), 0);
	CHECK_EQ(uffd_register(fd2, p + 4 * PG, 2 * PG,
			       UFFDIO_REGISTER_MODE_MISSING, NULL),
		 0);
	CHECK_ERR(uffd_unregister(fd, p + 1, PG), EINVAL);
	/* Its pages fault as usual after an unregister. */
	CHECK_EQ(uffd_unregister(fd2, p, 8 * PG), 0);
	p[3 * PG] = 5;
	CHECK_EQ(p[3 * PG] + p[7 * PG], 5);
	/* A file mapping: not anonymous memory. */
	ffd = open(self_path, O_RDONLY);
	if (ffd >= 0) {
		char *f = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, ffd, 0);

		CHECK(f != MAP_FAILED);
		CHECK_ERR(uffd_register(fd, f, PG, UFFDIO_REGISTER_MODE_MISSING,
					NULL),
			  EINVAL);
		munmap(f, PG);
		close(ffd);
	} else {
		diag("open %s: %s (file mapping not checked)", self_path,
		     strerror(errno));
	}
	close(fd);
	close(fd2);
	munmap(p, 8 * PG);
}

static void test_copy(void)
{
	static unsigned char src[3 * PG];
	char *p = map_pages(8), *other = map_pages(1);
	long long n = 0;
	int fd = uffd_ready(0, 0);

	if (fd < 0)
		return;
	fill_pattern(src, 0);
	fill_pattern(src + PG, 1);
	fill_pattern(src + 2 * PG, 2);
	CHECK_EQ(uffd_register(fd, p, 6 * PG, UFFDIO_REGISTER_MODE_MISSING,
			       NULL),
		 0);
	/* Outside a registered range, or across its end: ENOENT. */
	CHECK_ERR(uffd_copy(fd, other, src, PG, 0, &n), ENOENT);
	CHECK_EQ(n, -ENOENT);
	CHECK_ERR(uffd_copy(fd, p + 5 * PG, src, 2 * PG, 0, &n), ENOENT);
	/* Bad arguments. */
	CHECK_ERR(uffd_copy(fd, p + 1, src, PG, 0, NULL), EINVAL);
	CHECK_ERR(uffd_copy(fd, p, src, PG - 1, 0, NULL), EINVAL);
	CHECK_ERR(uffd_copy(fd, p, src, 0, 0, NULL), EINVAL);
	CHECK_ERR(uffd_copy(fd, p, src, PG, 1ULL << 7, NULL), EINVAL);
	CHECK_ERR(uioctl(fd, UFFDIO_COPY, NULL), EFAULT);
	/* An unreadable source. */
	CHECK_ERR(uffd_copy(fd, p, (void *)PG, PG, 0, &n), EFAULT);
	CHECK_EQ(n, -EFAULT);
	/* One page. */
	CHECK_EQ(uffd_copy(fd, p, src, PG, 0, &n), 0);
	CHECK_EQ(n, PG);
	CHECK(is_pattern((unsigned char *)p, 0, 0));
	/* Present now: EEXIST. */
	CHECK_ERR(uffd_copy(fd, p, src, PG, 0, &n), EEXIST);
	CHECK_EQ(n, -EEXIST);
	/* Pages 2 and 3, with 3 present: the first is copied, EAGAIN. */
	CHECK_EQ(uffd_copy(fd, p + 3 * PG, src + 2 * PG, PG, 0, NULL), 0);
	CHECK_ERR(uffd_copy(fd, p + 2 * PG, src + PG, 2 * PG, 0, &n), EAGAIN);
	CHECK_EQ(n, PG);
	CHECK(is_pattern((unsigned char *)p + 2 * PG, 1, 0));
	CHECK(is_pattern((unsigned char *)p + 3 * PG, 2, 0));
	/* The copied pages are writable, and private. */
	p[2 * PG] = 'x';
	CHECK_EQ(p[2 * PG], 'x');
	/* The zero page: reads zero, a write copies it. */
	CHECK_ERR(uffd_zeropage(fd, p + 1, PG, 0, NULL), EINVAL);
	CHECK_ERR(uffd_zeropage(fd, p + 4 * PG, PG, 1ULL << 1, NULL), EINVAL);
	CHECK_ERR(uffd_zeropage(fd, other, PG, 0, &n), ENOENT);
	CHECK_EQ(n, -ENOENT);
	CHECK_EQ(uffd_zeropage(fd, p + 4 * PG, PG, 0, &n), 0);
	CHECK_EQ(n, PG);
	CHECK_EQ(p[4 * PG] + p[4 * PG + PG - 1], 0);
	p[4 * PG + 9] = 9;
	CHECK_EQ(p[4 * PG + 9], 9);
	CHECK_ERR(uffd_zeropage(fd, p + 4 * PG, PG, 0, &n), EEXIST);
	CHECK_EQ(n, -EEXIST);
	/* UFFDIO_WAKE: a range, nobody to wake. */
	CHECK_ERR(uffd_wake(fd, p + 1, PG), EINVAL);
	CHECK_ERR(uffd_wake(fd, p, 0), EINVAL);
	CHECK_EQ(uffd_wake(fd, p, PG), 0);
	/* Unregistered: ENOENT. */
	CHECK_EQ(uffd_unregister(fd, p, 8 * PG), 0);
	CHECK_ERR(uffd_copy(fd, p + 5 * PG, src, PG, 0, NULL), ENOENT);
	close(fd);
	munmap(p, 8 * PG);
	munmap(other, PG);
}

static void test_read_errors(void)
{
	struct uffd_msg msg[2];
	int fd = uffd_ready(O_NONBLOCK, 0);

	if (fd < 0)
		return;
	CHECK_EQ(sizeof(struct uffd_msg), 32);
	CHECK_ERR(read(fd, msg, 31), EINVAL);
	CHECK_ERR(read(fd, msg, sizeof(msg)), EAGAIN);
	CHECK_ERR(write(fd, msg, sizeof(msg[0])), EBADF);
	close(fd);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A blocking read with nothing to read ends with EINTR when a handler
 * (no SA_RESTART) runs. */
static void test_read_eintr(void)
{
	struct sigaction sa, old;
	struct uffd_msg msg;
	int fd = uffd_ready(0, 0);

	if (fd < 0)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, &old);
	alarm(1);
	CHECK_ERR(read(fd, &msg, sizeof(msg)), EINTR);
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	close(fd);
}

/* ---- faults, with a monitor (this thread) and a faulting thread ---- */

struct faulter {
	char *p;	      /* the region */
	unsigned long npages; /* pages to touch, page i at offset i */
	volatile int tid;     /* the faulting thread's id */
	volatile int done;    /* set when every access returned */
	volatile int bad;     /* pages whose contents were wrong */
};

/* Touch page i: a write of byte i+1 at offset 8*i for even i, a read for
 * odd i; then check every page: the monitor's pattern(i), but the byte
 * written. */
static void *faulter_main(void *arg)
{
	struct faulter *f = arg;
	volatile unsigned char sink = 0;

	f->tid = (int)syscall(__NR_gettid);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (unsigned long i = 0; i < f->npages; i++) {
		if (i % 2 == 0)
			f->p[i * PG + 8 * i] = (char)(i + 1);
		else
			sink = (unsigned char)f->p[i * PG + 8 * i];
	}
	(void)sink;
	for (unsigned long i = 0; i < f->npages; i++) {
		unsigned char *pg = (unsigned char *)f->p + i * PG;
		unsigned long at = 8 * i;
		int ok = (i % 2 == 0) ? pg[at] == (unsigned char)(i + 1) :
					pg[at] == pattern(i, at);

		for (unsigned long j = 0; ok && j < PG; j++)
			if (j != at && pg[j] != pattern(i, j))
				ok = 0;
		if (!ok)
			f->bad++;
	}
	__atomic_store_n(&f->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void test_fault_copy(int exact)
{
	enum {
		N = 6
	};
	static unsigned char src[PG];
	struct faulter f = { 0 };
	struct uffd_msg msg;
	thread_t t;
	int fd =
		uffd_ready(0, UFFD_FEATURE_THREAD_ID |
				      (exact ? UFFD_FEATURE_EXACT_ADDRESS : 0));

	if (fd < 0)
		return;
	f.p = map_pages(N);
	f.npages = N;
	CHECK_EQ(uffd_register(fd, f.p, N * PG, UFFDIO_REGISTER_MODE_MISSING,
			       NULL),
		 0);
	CHECK_EQ(thread_create(&t, faulter_main, &f), 0);
	for (unsigned long i = 0; i < N; i++) {
		unsigned long want =
			(uintptr_t)f.p + i * PG + (exact ? 8 * i : 0);

		if (read_msg(fd, &msg))
			break;
		CHECK_EQ(msg.event, UFFD_EVENT_PAGEFAULT);
		CHECK_EQ(msg.arg.pagefault.address, want);
		CHECK_EQ(msg.arg.pagefault.flags,
			 i % 2 == 0 ? UFFD_PAGEFAULT_FLAG_WRITE : 0);
		CHECK_EQ(msg.arg.pagefault.feat.ptid, f.tid);
		/* The thread waits until the page is there. */
		CHECK_EQ(f.done, 0);
		fill_pattern(src, i);
		CHECK_EQ(uffd_copy(fd, f.p + i * PG, src, PG, 0, NULL), 0);
	}
	thread_join(t, NULL);
	CHECK_EQ(f.done, 1);
	CHECK_EQ(f.bad, 0);
	close(fd);
	munmap(f.p, N * PG);
}

/* poll(2) on fd for POLLIN with timeout ms: the revents, or -1 when poll
 * returned nothing (timeout) or failed. */
static int poll_in(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, ms);

	return n == 1 ? p.revents : -1;
}

/* poll before UFFDIO_API and on a blocking fd: POLLERR (Linux's
 * userfaultfd_poll()); on an O_NONBLOCK fd, nothing until a thread
 * faults, then POLLIN, a poll that waits waking for it, and nothing
 * again once the message is read. */
static void test_poll(void)
{
	enum {
		N = 2
	};
	static unsigned char src[PG];
	struct faulter f = { 0 };
	struct uffd_msg msg;
	thread_t t;
	int fd = uffd_new(O_NONBLOCK);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_EQ(poll_in(fd, 0), POLLERR);
	close(fd);
	fd = uffd_ready(0, 0);
	if (fd < 0)
		return;
	CHECK_EQ(poll_in(fd, 0), POLLERR);
	close(fd);
	fd = uffd_ready(O_NONBLOCK, 0);
	if (fd < 0)
		return;
	f.p = map_pages(N);
	f.npages = N;
	CHECK_EQ(uffd_register(fd, f.p, N * PG, UFFDIO_REGISTER_MODE_MISSING,
			       NULL),
		 0);
	CHECK_EQ(poll_in(fd, 0), -1); /* nothing yet */
	CHECK_EQ(thread_create(&t, faulter_main, &f), 0);
	for (unsigned long i = 0; i < N; i++) {
		/* Waits (up to 10 s) for the thread's fault on page i. */
		CHECK_EQ(poll_in(fd, 10000), POLLIN);
		CHECK_EQ(read(fd, &msg, sizeof(msg)), (ssize_t)sizeof(msg));
		CHECK_EQ(msg.arg.pagefault.address, (uintptr_t)f.p + i * PG);
		/* Read, not yet resolved: no message waits. */
		CHECK_EQ(poll_in(fd, 0), -1);
		fill_pattern(src, i);
		CHECK_EQ(uffd_copy(fd, f.p + i * PG, src, PG, 0, NULL), 0);
	}
	thread_join(t, NULL);
	CHECK_EQ(f.done, 1);
	CHECK_EQ(f.bad, 0);
	close(fd);
	munmap(f.p, N * PG);
}

/* UFFDIO_COPY with DONTWAKE leaves the thread asleep; UFFDIO_WAKE wakes
 * it. ZEROPAGE resolves the next fault. */
static void test_dontwake(void)
{
	static unsigned char src[PG];
	struct faulter f = { 0 };
	struct uffd_msg msg;
	thread_t t;
	int fd = uffd_ready(0, 0);

	if (fd < 0)
		return;
	f.p = map_pages(1);
	f.npages = 1;
	CHECK_EQ(uffd_register(fd, f.p, PG, UFFDIO_REGISTER_MODE_MISSING, NULL),
		 0);
	CHECK_EQ(thread_create(&t, faulter_main, &f), 0);
	if (!read_msg(fd, &msg)) {
		CHECK_EQ(msg.arg.pagefault.feat.ptid, 0); /* no THREAD_ID */
		fill_pattern(src, 0);
		CHECK_EQ(uffd_copy(fd, f.p, src, PG, UFFDIO_COPY_MODE_DONTWAKE,
				   NULL),
			 0);
		sleep_ms(100);
		CHECK_EQ(f.done, 0);
		/* Outside its page: still asleep. */
		CHECK_EQ(uffd_wake(fd, f.p + PG, PG), 0);
		sleep_ms(50);
		CHECK_EQ(f.done, 0);
		CHECK_EQ(uffd_wake(fd, f.p, PG), 0);
	}
	thread_join(t, NULL);
	CHECK_EQ(f.done, 1);
	CHECK_EQ(f.bad, 0);
	close(fd);
	munmap(f.p, PG);
}

/* A read(2) into a registered page: the kernel's copy faults, and the
 * monitor sees a write fault on the page; under UFFD_USER_MODE_ONLY the
 * read fails with EFAULT. */
static void test_kernel_fault(void)
{
	static unsigned char src[PG];
	struct reader r = { 0 };
	struct uffd_msg msg;
	thread_t t;
	int pfd[2];
	int fd = uffd_ready(0, 0);

	if (fd < 0)
		return;
	CHECK_EQ(pipe(pfd), 0);
	r.pipefd = pfd[0];
	r.dst = map_pages(1);
	CHECK_EQ(uffd_register(fd, r.dst, PG, UFFDIO_REGISTER_MODE_MISSING,
			       NULL),
		 0);
	CHECK_EQ(write(pfd[1], "hello", 5), 5);
	CHECK_EQ(thread_create(&t, reader_main, &r), 0);
	if (!read_msg(fd, &msg)) {
		CHECK_EQ(msg.event, UFFD_EVENT_PAGEFAULT);
		CHECK_EQ(msg.arg.pagefault.address, (uintptr_t)r.dst);
		CHECK_EQ(msg.arg.pagefault.flags, UFFD_PAGEFAULT_FLAG_WRITE);
		CHECK_EQ(r.done, 0);
		fill_pattern(src, 3);
		CHECK_EQ(uffd_copy(fd, r.dst, src, PG, 0, NULL), 0);
	}
	thread_join(t, NULL);
	CHECK_EQ(r.ret, 5);
	CHECK(memcmp(r.dst + 100, "hello", 5) == 0);
	CHECK(r.dst[99] == (char)pattern(3, 99));
	CHECK(is_pattern((unsigned char *)r.dst, 3, 105));
	close(fd);
	munmap(r.dst, PG);

	/* UFFD_USER_MODE_ONLY: the kernel's copy is not handled. */
	fd = uffd_ready(UFFD_USER_MODE_ONLY, 0);
	if (fd < 0)
		return;
	r.dst = map_pages(1);
	r.done = 0;
	CHECK_EQ(uffd_register(fd, r.dst, PG, UFFDIO_REGISTER_MODE_MISSING,
			       NULL),
		 0);
	CHECK_EQ(write(pfd[1], "world", 5), 5);
	reader_main(&r);
	CHECK_EQ(r.ret, -1);
	CHECK_EQ(r.err, EFAULT);
	close(fd);
	close(pfd[0]);
	close(pfd[1]);
	munmap(r.dst, PG);
}

/* Closing the uffd with a fault pending: the thread wakes and the page
 * fills the ordinary way (zeros). */
static void test_close_pending(void)
{
	struct uffd_msg msg;
	volatile char *p;
	thread_t t;
	struct faulter f = { 0 };
	int fd = uffd_ready(0, 0);

	if (fd < 0)
		return;
	f.p = map_pages(2);
	f.npages = 1;
	p = f.p;
	CHECK_EQ(uffd_register(fd, f.p, 2 * PG, UFFDIO_REGISTER_MODE_MISSING,
			       NULL),
		 0);
	CHECK_EQ(thread_create(&t, faulter_main, &f), 0);
	if (!read_msg(fd, &msg))
		CHECK_EQ(msg.arg.pagefault.address, (uintptr_t)f.p);
	sleep_ms(20);
	CHECK_EQ(f.done, 0);
	close(fd);
	thread_join(t, NULL);
	CHECK_EQ(f.done, 1);
	/* Its own byte, zeros elsewhere: the monitor never copied. */
	CHECK_EQ(p[0], 1);
	CHECK_EQ(p[1] + p[PG - 1] + p[PG + 5], 0);
	munmap(f.p, 2 * PG);
}

/* A fault in the child's own registered range, with no monitor: sleeps
 * for ever. */
static void fault_for_ever(void)
{
	char *p;

	uffd_child_setup(0, &p);
	p[0] = 1;
}

/* So SIGKILL ends it. */
static void test_kill_blocked(void)
{
	expect_kill_blocked("blocked faulter", fault_for_ever);
}

/* A fork child's copy of a registered range faults as usual; the
 * parent's stays registered. */
static void test_fork(void)
{
	static unsigned char src[PG];
	char *p = map_pages(2);
	int status = 0;
	pid_t pid;
	int fd = uffd_ready(0, 0);

	if (fd < 0)
		return;
	CHECK_EQ(uffd_register(fd, p, 2 * PG, UFFDIO_REGISTER_MODE_MISSING,
			       NULL),
		 0);
	fill_pattern(src, 4);
	CHECK_EQ(uffd_copy(fd, p, src, PG, 0, NULL), 0);
	pid = fork();
	if (pid == 0) {
		p[PG] = 3; /* not registered here: a plain fault */
		_exit(p[PG] == 3 && p[PG + 1] == 0 &&
				      is_pattern((unsigned char *)p, 4, 0) ?
			      0 :
			      1);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(uffd_zeropage(fd, p + PG, PG, 0, NULL), 0);
	close(fd);
	munmap(p, 2 * PG);
}

/* ---- two threads fault on the same pages at once (SMP) ---- */

enum {
	RACE_PAGES = 64
};

struct racer {
	char *p;
	int down;	   /* touch the pages from the last one */
	volatile int done; /* every page read */
	volatile int bad;  /* pages that read wrong */
};

static void *racer_main(void *arg)
{
	struct racer *r = arg;

	for (unsigned long k = 0; k < RACE_PAGES; k++) {
		unsigned long i = r->down ? RACE_PAGES - 1 - k : k;
		unsigned char v = (unsigned char)r->p[i * PG + i];

		if (v != pattern(i, i))
			r->bad++;
	}
	__atomic_store_n(&r->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/*
 * Two threads read every page of a region, in opposite orders, while
 * the monitor reads messages (blocking) and copies each page a message
 * names, until every page is there. A page both threads wait for may be
 * named twice: the second copy is EEXIST, and the monitor wakes the page
 * instead (Linux's answer does not wake). Every read sees the monitor's
 * bytes, and no page is named more than twice.
 */
static void test_race(void)
{
	static unsigned char src[PG];
	struct racer a = { 0 }, b = { 0 };
	unsigned long msgs = 0, eexist = 0, copied = 0;
	thread_t ta, tb;
	char *p = map_pages(RACE_PAGES);
	int fd = uffd_ready(0, 0);
	int seen[RACE_PAGES] = { 0 };

	if (fd < 0)
		return;
	CHECK_EQ(uffd_register(fd, p, RACE_PAGES * PG,
			       UFFDIO_REGISTER_MODE_MISSING, NULL),
		 0);
	a.p = b.p = p;
	b.down = 1;
	CHECK_EQ(thread_create(&ta, racer_main, &a), 0);
	CHECK_EQ(thread_create(&tb, racer_main, &b), 0);
	while (copied < RACE_PAGES) {
		struct uffd_msg msg;
		unsigned long i;

		if (read_msg(fd, &msg))
			break;
		msgs++;
		i = (msg.arg.pagefault.address - (uintptr_t)p) / PG;
		if (i >= RACE_PAGES) {
			diag("FAIL a message for %#llx",
			     (unsigned long long)msg.arg.pagefault.address);
			utest_failures++;
			break;
		}
		seen[i]++;
		fill_pattern(src, i);
		if (uffd_copy(fd, p + i * PG, src, PG, 0, NULL) == 0) {
			copied++;
			continue;
		}
		CHECK_EQ(errno, EEXIST);
		eexist++;
		CHECK_EQ(uffd_wake(fd, p + i * PG, PG), 0);
	}
	thread_join(ta, NULL);
	thread_join(tb, NULL);
	CHECK_EQ(a.done + b.done, 2);
	CHECK_EQ(a.bad + b.bad, 0);
	for (unsigned long i = 0; i < RACE_PAGES; i++)
		CHECK(seen[i] >= 1 && seen[i] <= 2);
	diag("race: %lu messages for %d pages, %lu copies found the page "
	     "there",
	     msgs, RACE_PAGES, eexist);
	close(fd);
	munmap(p, RACE_PAGES * PG);
}

/* ---- a signal to a thread asleep in a fault ---- */

static volatile int usr1_count;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_count++;
}

/*
 * A handled signal ends the thread's sleep: the handler runs, and the
 * access faults again, which sends a second message for the same page.
 * The monitor's copy then lets the thread finish.
 */
static void test_signal_blocked(void)
{
	static unsigned char src[PG];
	struct sigaction sa, old;
	struct faulter f = { 0 };
	struct uffd_msg msg;
	thread_t t;
	int fd = uffd_ready(0, 0);

	if (fd < 0)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, &old);
	f.p = map_pages(1);
	f.npages = 1;
	CHECK_EQ(uffd_register(fd, f.p, PG, UFFDIO_REGISTER_MODE_MISSING, NULL),
		 0);
	CHECK_EQ(thread_create(&t, faulter_main, &f), 0);
	if (!read_msg(fd, &msg)) {
		CHECK_EQ(msg.arg.pagefault.address, (uintptr_t)f.p);
		CHECK_EQ(syscall(__NR_tgkill, getpid(), f.tid, SIGUSR1), 0);
		if (!read_msg(fd, &msg)) {
			CHECK_EQ(msg.arg.pagefault.address, (uintptr_t)f.p);
			CHECK_EQ(usr1_count, 1);
			CHECK_EQ(f.done, 0);
			fill_pattern(src, 0);
			CHECK_EQ(uffd_copy(fd, f.p, src, PG, 0, NULL), 0);
		}
	}
	thread_join(t, NULL);
	CHECK_EQ(f.done, 1);
	CHECK_EQ(f.bad, 0);
	sigaction(SIGUSR1, &old, NULL);
	close(fd);
	munmap(f.p, PG);
}

int main(int argc, char **argv)
{
	(void)argc;
	self_path = argv[0];
	test_flags();
	test_dev();
	test_api();
	test_api_exact();
	test_register();
	test_copy();
	test_read_errors();
	test_read_eintr();
	test_fault_copy(0);
	test_fault_copy(1);
	test_poll();
	test_dontwake();
	test_kernel_fault();
	test_close_pending();
	test_kill_blocked();
	test_fork();
	test_race();
	test_signal_blocked();
	return utest_done();
}
