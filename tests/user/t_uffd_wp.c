/*
 * t_uffd_wp - userfaultfd's write-protect mode behaves as Linux's (man 2
 * ioctl_userfaultfd, UFFDIO_REGISTER_MODE_WP and UFFDIO_WRITEPROTECT;
 * docs/userfaultfd.md), on anonymous private memory:
 *   - UFFDIO_API answers UFFD_FEATURE_PAGEFAULT_FLAG_WP; registering in
 *     WP mode (alone or with MISSING) answers UFFDIO_WRITEPROTECT among
 *     the range's ioctls, MISSING alone does not; MINOR (shmem and
 *     hugetlbfs only) is EINVAL on anonymous memory;
 *   - UFFDIO_WRITEPROTECT: EINVAL for an unknown mode bit, WP with
 *     DONTWAKE, a bad range; ENOENT outside a range registered in WP mode;
 *   - a write to a protected page sleeps until the monitor removes the
 *     protection; its message says PAGEFAULT, WRITE|WP, the page and the
 *     thread; the page keeps its old bytes meanwhile, reads do not fault;
 *     the write lands once released; DONTWAKE then UFFDIO_WAKE also works;
 *   - UFFDIO_COPY_MODE_WP maps the copy protected (EINVAL in a range
 *     without WP mode); a protected zero page faults the same way;
 *   - a kernel-mode write (read(2) into the page) reaches the monitor as
 *     a WP fault, or fails with EFAULT under UFFD_USER_MODE_ONLY;
 *   - mprotect keeps the protection across PROT_READ and back;
 *   - a fork child's copy is not protected without EVENT_FORK, and its
 *     writes do not reach the parent's page; with EVENT_FORK it stays
 *     protected, and its write is a WP fault on the child's new fd;
 *   - UFFDIO_UNREGISTER drops the protections; it wakes a faulter of a
 *     range with MISSING mode, not of one in WP mode alone (Linux's),
 *     which UFFDIO_WAKE then wakes; closing the fd wakes it; registering
 *     again replaces the mode.
 * Runs on this kernel and on Linux (the ulinux step, as root).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_uffd_wp"
#include "utest.h"
#include "uffd_util.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread.h>

#define RANGE_IOCTLS                                       \
	((1ULL << _UFFDIO_WAKE) | (1ULL << _UFFDIO_COPY) | \
	 (1ULL << _UFFDIO_ZEROPAGE))
#define WP_IOCTLS (RANGE_IOCTLS | (1ULL << _UFFDIO_WRITEPROTECT))

static long uffd_wp(int fd, void *p, unsigned long len, unsigned long long mode)
{
	struct uffdio_writeprotect w = { .range = { (uintptr_t)p, len },
					 .mode = mode };

	return uioctl(fd, UFFDIO_WRITEPROTECT, &w);
}

/* A thread that writes byte val at offset off of page p, once. */
struct writer {
	volatile char *p;
	unsigned long off;
	char val;
	int tid;
	volatile int done;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;

	w->tid = (int)syscall(__NR_gettid);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	w->p[w->off] = w->val;
	__atomic_store_n(&w->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* msg is a write-protect fault on page p by thread tid (0: any). */
static void check_wp_msg(const struct uffd_msg *msg, const void *p, int tid)
{
	CHECK_EQ(msg->event, UFFD_EVENT_PAGEFAULT);
	CHECK_EQ(msg->arg.pagefault.flags,
		 UFFD_PAGEFAULT_FLAG_WRITE | UFFD_PAGEFAULT_FLAG_WP);
	CHECK_EQ(msg->arg.pagefault.address, (uintptr_t)p);
	if (tid)
		CHECK_EQ((int)msg->arg.pagefault.feat.ptid, tid);
}

/* Start a writer of byte val at p + off, wait for its WP message (from
 * it, on p's page), and check it has not written. 0 if it came. */
static int start_blocked_writer(int fd, struct writer *w, thread_t *t, char *p,
				unsigned long off, char val)
{
	struct uffd_msg msg;

	*w = (struct writer){ .p = p, .off = off, .val = val };
	CHECK_EQ(thread_create(t, writer_main, w), 0);
	if (read_msg(fd, &msg))
		return -1;
	check_wp_msg(&msg, p, w->tid);
	CHECK_EQ(w->done, 0);
	return 0;
}

static void test_api_register(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	unsigned long long ioctls = 0;
	char *p = map_pages(2);
	int fd = uffd_new(0);

	CHECK(fd >= 0);
	CHECK_EQ(uioctl(fd, UFFDIO_API, &api), 0);
	CHECK(api.features & UFFD_FEATURE_PAGEFAULT_FLAG_WP);
	CHECK_EQ(uffd_register(fd, p, PG, UFFDIO_REGISTER_MODE_WP, &ioctls), 0);
	CHECK_EQ(ioctls & WP_IOCTLS, WP_IOCTLS);
	CHECK_EQ(uffd_register(fd, p + PG, PG,
			       UFFDIO_REGISTER_MODE_MISSING |
				       UFFDIO_REGISTER_MODE_WP,
			       &ioctls),
		 0);
	CHECK_EQ(ioctls & WP_IOCTLS, WP_IOCTLS);
	CHECK_EQ(uffd_unregister(fd, p, 2 * PG), 0);
	CHECK_EQ(uffd_register(fd, p, PG, UFFDIO_REGISTER_MODE_MISSING,
			       &ioctls),
		 0);
	CHECK_EQ(ioctls & (1ULL << _UFFDIO_WRITEPROTECT), 0);
	CHECK_EQ(uffd_unregister(fd, p, PG), 0);
	CHECK_ERR(uffd_register(fd, p, PG, UFFDIO_REGISTER_MODE_MINOR, NULL),
		  EINVAL);
	CHECK_ERR(uffd_register(fd, p, PG, 1ULL << 5, NULL), EINVAL);

	/* UFFDIO_WRITEPROTECT's own errors. */
	CHECK_EQ(uffd_register(fd, p, PG, UFFDIO_REGISTER_MODE_WP, NULL), 0);
	CHECK_ERR(uffd_wp(fd, p, PG, 1ULL << 2), EINVAL);
	CHECK_ERR(uffd_wp(fd, p, PG,
			  UFFDIO_WRITEPROTECT_MODE_WP |
				  UFFDIO_WRITEPROTECT_MODE_DONTWAKE),
		  EINVAL);
	CHECK_ERR(uffd_wp(fd, p + 1, PG, UFFDIO_WRITEPROTECT_MODE_WP), EINVAL);
	CHECK_ERR(uffd_wp(fd, p, 0, UFFDIO_WRITEPROTECT_MODE_WP), EINVAL);
	CHECK_ERR(uffd_wp(fd, p + PG, PG, UFFDIO_WRITEPROTECT_MODE_WP), ENOENT);
	CHECK_EQ(uffd_wp(fd, p, PG, UFFDIO_WRITEPROTECT_MODE_WP), 0);
	CHECK_EQ(uffd_wp(fd, p, PG, 0), 0);
	CHECK_EQ(uffd_register(fd, p + PG, PG, UFFDIO_REGISTER_MODE_MISSING,
			       NULL),
		 0);
	CHECK_ERR(uffd_wp(fd, p + PG, PG, UFFDIO_WRITEPROTECT_MODE_WP), ENOENT);
	close(fd);
	munmap(p, 2 * PG);
}

/* Protect a written page; a thread's write waits for the monitor, who
 * sees the old bytes, reads freely, and releases it. Then the same with
 * DONTWAKE and UFFDIO_WAKE. */
static void test_wp_fault(void)
{
	struct writer w;
	thread_t t;
	char *p = map_pages(2);
	int fd = uffd_ready(0, UFFD_FEATURE_THREAD_ID);

	if (fd < 0)
		return;
	/* WP mode alone: missing pages fill the ordinary way. */
	CHECK_EQ(uffd_register(fd, p, 2 * PG, UFFDIO_REGISTER_MODE_WP, NULL),
		 0);
	p[10] = 'a';
	p[PG + 10] = 'b';
	CHECK_EQ(uffd_wp(fd, p, 2 * PG, UFFDIO_WRITEPROTECT_MODE_WP), 0);
	CHECK_EQ(p[10], 'a'); /* reads do not fault */
	if (!start_blocked_writer(fd, &w, &t, p, 10, 'A')) {
		sleep_ms(20);
		CHECK_EQ(w.done, 0);
		CHECK_EQ(p[10], 'a');
		CHECK_EQ(uffd_wp(fd, p, PG, 0), 0);
	}
	thread_join(t, NULL);
	CHECK_EQ(w.done, 1);
	CHECK_EQ(p[10], 'A');
	p[20] = 'c'; /* released: no message, no wait */
	CHECK_EQ(p[20], 'c');

	/* The second page, still protected: DONTWAKE, then WAKE. */
	if (!start_blocked_writer(fd, &w, &t, p + PG, 10, 'B')) {
		CHECK_EQ(uffd_wp(fd, p + PG, PG,
				 UFFDIO_WRITEPROTECT_MODE_DONTWAKE),
			 0);
		sleep_ms(20);
		CHECK_EQ(w.done, 0);
		CHECK_EQ(uffd_wake(fd, p + PG, PG), 0);
	}
	thread_join(t, NULL);
	CHECK_EQ(p[PG + 10], 'B');
	close(fd);
	munmap(p, 2 * PG);
}

/* MISSING|WP: a read fault's message has no WP flag; UFFDIO_COPY with
 * MODE_WP maps the page protected, so the next write is a WP fault. A
 * protected zero page faults the same way. MODE_WP in a range without
 * WP mode is EINVAL. */
static void test_copy_wp(void)
{
	static char src[PG];
	volatile char sink;
	struct writer w;
	thread_t t;
	char *p = map_pages(2), *q = map_pages(1);
	int fd = uffd_ready(0, UFFD_FEATURE_THREAD_ID);

	if (fd < 0)
		return;
	CHECK_EQ(uffd_register(fd, p, 2 * PG,
			       UFFDIO_REGISTER_MODE_MISSING |
				       UFFDIO_REGISTER_MODE_WP,
			       NULL),
		 0);
	memset(src, 'x', PG);
	CHECK_EQ(uffd_copy(fd, p, src, PG, UFFDIO_COPY_MODE_WP, NULL), 0);
	CHECK_EQ(p[100], 'x');
	if (!start_blocked_writer(fd, &w, &t, p, 100, 'y')) {
		CHECK_EQ(p[100], 'x');
		CHECK_EQ(uffd_wp(fd, p, PG, 0), 0);
	}
	thread_join(t, NULL);
	CHECK_EQ(p[100], 'y');
	CHECK_EQ(p[101], 'x');

	/* The zero page, protected. */
	CHECK_EQ(uffd_zeropage(fd, p + PG, PG, 0, NULL), 0);
	sink = p[PG];
	(void)sink;
	CHECK_EQ(uffd_wp(fd, p + PG, PG, UFFDIO_WRITEPROTECT_MODE_WP), 0);
	if (!start_blocked_writer(fd, &w, &t, p + PG, 5, 'z')) {
		CHECK_EQ(p[PG + 5], 0);
		CHECK_EQ(uffd_wp(fd, p + PG, PG, 0), 0);
	}
	thread_join(t, NULL);
	CHECK_EQ(p[PG + 5], 'z');
	CHECK_EQ(p[PG + 6], 0);

	CHECK_EQ(uffd_register(fd, q, PG, UFFDIO_REGISTER_MODE_MISSING, NULL),
		 0);
	CHECK_ERR(uffd_copy(fd, q, src, PG, UFFDIO_COPY_MODE_WP, NULL), EINVAL);
	CHECK_ERR(uffd_zeropage(fd, q, PG, UFFDIO_COPY_MODE_WP, NULL), EINVAL);
	close(fd);
	munmap(p, 2 * PG);
	munmap(q, PG);
}

/* read(2) into a protected page: the kernel's copy is a WP fault for the
 * monitor; under UFFD_USER_MODE_ONLY it fails with EFAULT. */
static void test_kernel_write(void)
{
	struct reader r = { 0 };
	struct uffd_msg msg;
	thread_t t;
	int pfd[2];
	int fd = uffd_ready(0, UFFD_FEATURE_THREAD_ID);

	if (fd < 0)
		return;
	CHECK_EQ(pipe(pfd), 0);
	r.pipefd = pfd[0];
	r.dst = map_pages(1);
	r.dst[0] = 1;
	CHECK_EQ(uffd_register(fd, r.dst, PG, UFFDIO_REGISTER_MODE_WP, NULL),
		 0);
	CHECK_EQ(uffd_wp(fd, r.dst, PG, UFFDIO_WRITEPROTECT_MODE_WP), 0);
	CHECK_EQ(write(pfd[1], "hello", 5), 5);
	CHECK_EQ(thread_create(&t, reader_main, &r), 0);
	if (!read_msg(fd, &msg)) {
		check_wp_msg(&msg, r.dst, 0);
		CHECK_EQ(r.done, 0);
		CHECK_EQ(uffd_wp(fd, r.dst, PG, 0), 0);
	}
	thread_join(t, NULL);
	CHECK_EQ(r.ret, 5);
	CHECK(memcmp(r.dst + 100, "hello", 5) == 0);
	close(fd);

	fd = uffd_ready(UFFD_USER_MODE_ONLY, 0);
	if (fd >= 0) {
		CHECK_EQ(uffd_register(fd, r.dst, PG, UFFDIO_REGISTER_MODE_WP,
				       NULL),
			 0);
		CHECK_EQ(uffd_wp(fd, r.dst, PG, UFFDIO_WRITEPROTECT_MODE_WP),
			 0);
		CHECK_EQ(write(pfd[1], "world", 5), 5);
		reader_main(&r);
		CHECK_EQ(r.ret, -1);
		CHECK_EQ(r.err, EFAULT);
		CHECK(memcmp(r.dst + 100, "hello", 5) == 0);
		close(fd);
	}
	close(pfd[0]);
	close(pfd[1]);
	munmap(r.dst, PG);
}

/* mprotect to PROT_READ and back does not lift the protection. */
static void test_mprotect(void)
{
	struct writer w;
	thread_t t;
	char *p = map_pages(1);
	int fd = uffd_ready(0, UFFD_FEATURE_THREAD_ID);

	if (fd < 0)
		return;
	p[0] = 1;
	CHECK_EQ(uffd_register(fd, p, PG, UFFDIO_REGISTER_MODE_WP, NULL), 0);
	CHECK_EQ(uffd_wp(fd, p, PG, UFFDIO_WRITEPROTECT_MODE_WP), 0);
	CHECK_EQ(mprotect(p, PG, PROT_READ), 0);
	CHECK_EQ(mprotect(p, PG, PROT_READ | PROT_WRITE), 0);
	if (!start_blocked_writer(fd, &w, &t, p, 1, 2))
		CHECK_EQ(uffd_wp(fd, p, PG, 0), 0);
	thread_join(t, NULL);
	CHECK_EQ(p[1], 2);
	close(fd);
	munmap(p, PG);
}

/* Without EVENT_FORK the child's copy is unregistered: its write goes
 * through (a copy-on-write), the parent's page stays protected and
 * keeps its bytes. */
static void test_fork(void)
{
	struct writer w;
	thread_t t;
	char *p = map_pages(1);
	int fd = uffd_ready(0, UFFD_FEATURE_THREAD_ID), status = -1;
	pid_t pid;

	if (fd < 0)
		return;
	p[0] = 'p';
	CHECK_EQ(uffd_register(fd, p, PG, UFFDIO_REGISTER_MODE_WP, NULL), 0);
	CHECK_EQ(uffd_wp(fd, p, PG, UFFDIO_WRITEPROTECT_MODE_WP), 0);
	pid = fork();
	if (pid == 0) {
		p[0] = 'c';
		_exit(p[0] == 'c' ? 0 : 1);
	}
	CHECK(pid > 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(p[0], 'p');
	if (!start_blocked_writer(fd, &w, &t, p, 0, 'q'))
		CHECK_EQ(uffd_wp(fd, p, PG, 0), 0);
	thread_join(t, NULL);
	CHECK_EQ(p[0], 'q');
	close(fd);
	munmap(p, PG);
}

/* The monitor of test_fork_event: the fork's event, then the child's
 * WP fault on the new fd, which it releases there. */
struct fork_monitor {
	int fd;
	char *p;
	int ufd;
	unsigned event, fault_flags;
	unsigned long long fault_addr;
};

static void *fork_monitor_main(void *arg)
{
	struct fork_monitor *m = arg;
	struct uffd_msg msg;

	if (read(m->fd, &msg, sizeof(msg)) != (long)sizeof(msg))
		return NULL;
	m->event = msg.event;
	if (msg.event != UFFD_EVENT_FORK)
		return NULL;
	m->ufd = (int)msg.arg.fork.ufd;
	if (read(m->ufd, &msg, sizeof(msg)) != (long)sizeof(msg))
		return NULL;
	m->fault_flags = msg.arg.pagefault.flags;
	m->fault_addr = msg.arg.pagefault.address;
	uffd_wp(m->ufd, m->p, PG, 0);
	return NULL;
}

/* With EVENT_FORK the child's copy stays registered in WP mode with the
 * new fd, and stays protected: its write is a WP fault there. The
 * parent's page is still protected, its bytes its own. */
static void test_fork_event(void)
{
	struct fork_monitor m = { .ufd = -1 };
	struct writer w;
	thread_t t, tm;
	char *p = map_pages(1);
	int fd = uffd_ready(0,
			    UFFD_FEATURE_EVENT_FORK | UFFD_FEATURE_THREAD_ID),
	    status = -1;
	pid_t pid;

	if (fd < 0)
		return;
	p[0] = 'p';
	CHECK_EQ(uffd_register(fd, p, PG, UFFDIO_REGISTER_MODE_WP, NULL), 0);
	CHECK_EQ(uffd_wp(fd, p, PG, UFFDIO_WRITEPROTECT_MODE_WP), 0);
	m.fd = fd;
	m.p = p;
	CHECK_EQ(thread_create(&tm, fork_monitor_main, &m), 0);
	pid = fork();
	if (pid == 0) {
		p[0] = 'c';
		_exit(p[0] == 'c' ? 0 : 1);
	}
	CHECK(pid > 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	thread_join(tm, NULL);
	CHECK_EQ(m.event, UFFD_EVENT_FORK);
	CHECK(m.ufd >= 0);
	CHECK_EQ(m.fault_flags,
		 UFFD_PAGEFAULT_FLAG_WRITE | UFFD_PAGEFAULT_FLAG_WP);
	CHECK_EQ(m.fault_addr, (uintptr_t)p);
	if (m.ufd >= 0)
		close(m.ufd);
	CHECK_EQ(p[0], 'p');
	if (!start_blocked_writer(fd, &w, &t, p, 0, 'q'))
		CHECK_EQ(uffd_wp(fd, p, PG, 0), 0);
	thread_join(t, NULL);
	CHECK_EQ(p[0], 'q');
	close(fd);
	munmap(p, PG);
}

/* UFFDIO_UNREGISTER drops the protections; it wakes a blocked writer
 * only where the range has MISSING mode too (else UFFDIO_WAKE does);
 * closing the fd wakes it. Registering again replaces the mode: a range
 * moved from MISSING to WP fills its missing pages the ordinary way. */
static void test_unregister_close(void)
{
	struct writer w;
	thread_t t;
	char *p = map_pages(2);
	int fd = uffd_ready(0, UFFD_FEATURE_THREAD_ID);

	if (fd < 0)
		return;
	p[0] = 1;
	p[PG] = 1;
	CHECK_EQ(uffd_register(fd, p, 2 * PG, UFFDIO_REGISTER_MODE_WP, NULL),
		 0);
	CHECK_EQ(uffd_wp(fd, p, 2 * PG, UFFDIO_WRITEPROTECT_MODE_WP), 0);
	if (!start_blocked_writer(fd, &w, &t, p, 0, 7)) {
		/* WP mode alone: unregistering wakes nobody (Linux's
		 * userfaultfd_unregister() wakes MISSING mode's faulters);
		 * UFFDIO_WAKE still reaches the fd's sleepers. */
		CHECK_EQ(uffd_unregister(fd, p, PG), 0);
		sleep_ms(20);
		CHECK_EQ(w.done, 0);
		CHECK_EQ(uffd_wake(fd, p, PG), 0);
	}
	thread_join(t, NULL);
	CHECK_EQ(p[0], 7);
	p[1] = 8; /* no protection left */
	if (!start_blocked_writer(fd, &w, &t, p + PG, 0, 9))
		close(fd);
	thread_join(t, NULL);
	CHECK_EQ(p[PG], 9);
	p[PG + 1] = 10;
	munmap(p, 2 * PG);

	/* MISSING and WP: unregistering wakes a WP faulter too. */
	p = map_pages(2);
	fd = uffd_ready(0, UFFD_FEATURE_THREAD_ID);
	if (fd < 0)
		return;
	CHECK_EQ(uffd_register(fd, p, PG,
			       UFFDIO_REGISTER_MODE_MISSING |
				       UFFDIO_REGISTER_MODE_WP,
			       NULL),
		 0);
	CHECK_EQ(uffd_zeropage(fd, p, PG, 0, NULL), 0);
	CHECK_EQ(uffd_wp(fd, p, PG, UFFDIO_WRITEPROTECT_MODE_WP), 0);
	if (!start_blocked_writer(fd, &w, &t, p, 0, 5))
		CHECK_EQ(uffd_unregister(fd, p, PG), 0);
	thread_join(t, NULL);
	CHECK_EQ(p[0], 5);
	CHECK_EQ(uffd_register(fd, p, 2 * PG, UFFDIO_REGISTER_MODE_MISSING,
			       NULL),
		 0);
	CHECK_EQ(uffd_register(fd, p, 2 * PG, UFFDIO_REGISTER_MODE_WP, NULL),
		 0);
	p[0] = 3; /* missing, but no longer the monitor's */
	CHECK_EQ(p[0], 3);
	CHECK_EQ(uffd_wp(fd, p, PG, UFFDIO_WRITEPROTECT_MODE_WP), 0);
	if (!start_blocked_writer(fd, &w, &t, p, 0, 4))
		CHECK_EQ(uffd_wp(fd, p, PG, 0), 0);
	thread_join(t, NULL);
	CHECK_EQ(p[0], 4);
	close(fd);
	munmap(p, 2 * PG);
}

int main(void)
{
	test_api_register();
	test_wp_fault();
	test_copy_wp();
	test_kernel_write();
	test_mprotect();
	test_fork();
	test_fork_event();
	test_unregister_close();
	return utest_done();
}
