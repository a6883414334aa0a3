/*
 * t_uffd_events - userfaultfd(2)'s features beyond the page-fault message
 * behave as Linux's (man 2 ioctl_userfaultfd, man 2 userfaultfd, Linux's
 * fs/userfaultfd.c; docs/userfaultfd.md):
 *   - UFFDIO_API takes them and answers them (on this kernel: exactly
 *     the features implemented; the others EINVAL);
 *   - UFFD_FEATURE_SIGBUS: a user access to a missing registered page
 *     gets SIGBUS (BUS_ADRERR, si_addr the address) and no message is
 *     queued; a handler that fills the page lets the access go on; a
 *     system call writing there (the kernel's user copy) fails with
 *     EFAULT, and so does MADV_POPULATE_WRITE; a present page is not
 *     affected.
 *   - UFFD_FEATURE_EVENT_REMOVE: MADV_DONTNEED over a registered range
 *     queues a UFFD_EVENT_REMOVE message (arg.remove.start, .end) and
 *     returns only once the monitor read it; meanwhile UFFDIO_COPY and
 *     UFFDIO_ZEROPAGE fail with EAGAIN; after, the pages are gone.
 *     Without the feature, no message and no wait; MADV_REMOVE on private
 *     memory is EINVAL and sends nothing; closing the fd releases the
 *     waiting thread.
 *   - UFFD_FEATURE_EVENT_UNMAP: munmap, an mremap that shrinks, and a
 *     MAP_FIXED mmap over a registered range queue a UFFD_EVENT_UNMAP
 *     message with the call's whole range, once per call, and return
 *     once the monitor read it, the range already unmapped. Without the
 *     feature, no message.
 *   - UFFD_FEATURE_EVENT_REMAP: an mremap that moves a registered range
 *     queues a UFFD_EVENT_REMAP message (arg.remap.from, .to, .len) and
 *     returns once it was read; the range stays registered where it
 *     went. Without the feature, no message, and the moved range is
 *     plain memory.
 *   - the sender's wait is killable only: a handled signal neither ends
 *     it nor runs before the call returns; SIGKILL ends it.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_uffd_events"
#include "utest.h"
#include <fcntl.h>
#if __has_include(<sys/ioctl.h>)
#include <sys/ioctl.h> /* glibc: _IOWR for Linux's header */
#endif
#include <linux/userfaultfd.h>
#include <poll.h>
#include <private.h> /* meminfo: this kernel's, ENOSYS on Linux */
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <thread.h>
#include <time.h>

#include "uffd_util.h"

/* Is there no message to read (O_NONBLOCK fd)? */
static int no_message(int fd)
{
	struct uffd_msg msg;

	return read(fd, &msg, sizeof(msg)) == -1 && errno == EAGAIN;
}

/* Are we on this kernel (its private meminfo call; ENOSYS on Linux)? */
static int on_our_kernel(void)
{
	struct meminfo mi;

	return meminfo(&mi) == 0;
}

/* The features each test asks for are answered; on this kernel the
 * answer is exactly what is implemented, and the rest is refused. */
static void test_api(void)
{
	unsigned long long ours =
		UFFD_FEATURE_PAGEFAULT_FLAG_WP | UFFD_FEATURE_EVENT_FORK |
		UFFD_FEATURE_EVENT_REMAP | UFFD_FEATURE_EVENT_REMOVE |
		UFFD_FEATURE_EVENT_UNMAP | UFFD_FEATURE_SIGBUS |
		UFFD_FEATURE_THREAD_ID | UFFD_FEATURE_EXACT_ADDRESS;
	unsigned long long linux_only[] = {
		UFFD_FEATURE_MISSING_SHMEM,
		UFFD_FEATURE_MINOR_SHMEM,
	};
	struct uffdio_api api = { .api = UFFD_API, .features = ours };
	int fd = uffd_new(0);

	CHECK(fd >= 0);
	CHECK_EQ(uioctl(fd, UFFDIO_API, &api), 0);
	CHECK((api.features & ours) == ours);
	close(fd);
	if (!on_our_kernel())
		return;
	CHECK_EQ(api.features, ours);
	for (unsigned i = 0; i < sizeof(linux_only) / sizeof(linux_only[0]);
	     i++) {
		fd = uffd_new(0);
		api = (struct uffdio_api){ .api = UFFD_API,
					   .features = linux_only[i] |
						       UFFD_FEATURE_SIGBUS };
		CHECK_ERR(uioctl(fd, UFFDIO_API, &api), EINVAL);
		CHECK_EQ(api.features, 0);
		close(fd);
	}
}

/* ---- UFFD_FEATURE_SIGBUS ---- */

static int bus_uffd = -1;
static unsigned char bus_src[PG];
static volatile unsigned long bus_addr;
static volatile int bus_code, bus_count, bus_fill_ret;

/* SIGBUS: record it, then fill the page with bus_src (as a SIGBUS-mode
 * monitor does), so that the access goes on. */
static void on_bus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	bus_count++;
	bus_code = si->si_code;
	bus_addr = (unsigned long)si->si_addr;
	bus_fill_ret = (int)uffd_copy(bus_uffd, (void *)(bus_addr & ~(PG - 1)),
				      bus_src, PG, 0, NULL);
}

/* A user access: SIGBUS at the exact address, no message; the handler's
 * fill lets it finish; a present page faults no more. */
static void test_sigbus_user(void)
{
	struct sigaction sa, old;
	volatile char *p = (volatile char *)map_pages(3);
	int fd = uffd_ready_range(O_NONBLOCK, UFFD_FEATURE_SIGBUS, (void *)p,
				  2 * PG);

	if (fd < 0)
		return;
	memset(bus_src, 0x5a, sizeof(bus_src));
	bus_uffd = fd;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_bus;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, &old);

	CHECK_EQ(p[123], 0x5a); /* a read */
	CHECK_EQ(bus_count, 1);
	CHECK_EQ(bus_code, BUS_ADRERR);
	CHECK_EQ(bus_addr, (unsigned long)(p + 123));
	CHECK_EQ(bus_fill_ret, 0);
	p[PG + 7] = 9; /* a write */
	CHECK_EQ(bus_count, 2);
	CHECK_EQ(bus_addr, (unsigned long)(p + PG + 7));
	CHECK_EQ(p[PG + 7], 9);
	CHECK_EQ(p[PG + 8], 0x5a);
	/* Present now, and the third page is not registered. */
	p[5] = 1;
	p[2 * PG] = 2;
	CHECK_EQ(bus_count, 2);
	/* SIGBUS mode queues no message. */
	CHECK(no_message(fd));

	sigaction(SIGBUS, &old, NULL);
	bus_uffd = -1;
	close(fd);
	munmap((void *)p, 3 * PG);
}

/* With no handler, the access kills with SIGBUS. */
static void test_sigbus_kill(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		char *p;

		uffd_child_setup(UFFD_FEATURE_SIGBUS, &p);
		*(volatile char *)p = 1;
		_exit(3);
	}
	CHECK(pid > 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);
	describe_status("SIGBUS-mode toucher", status);
}

/* A system call writing into a missing registered page: EFAULT, no
 * message, the page still missing; so is MADV_POPULATE_WRITE's fault. */
static void test_sigbus_kernel(void)
{
	char *p = map_pages(2);
	int pfd[2];
	int fd = uffd_ready_range(O_NONBLOCK, UFFD_FEATURE_SIGBUS, p, 2 * PG);

	if (fd < 0)
		return;
	CHECK_EQ(pipe(pfd), 0);
	CHECK_EQ(write(pfd[1], "hello", 5), 5);
	CHECK_ERR(read(pfd[0], p + 100, 5), EFAULT);
	CHECK_ERR(madvise(p + PG, PG, MADV_POPULATE_WRITE), EFAULT);
	CHECK(no_message(fd));
	/* Both pages still missing: the fills succeed. */
	CHECK_EQ(uffd_zeropage(fd, p, PG, 0, NULL), 0);
	CHECK_EQ(uffd_zeropage(fd, p + PG, PG, 0, NULL), 0);
	close(pfd[0]);
	close(pfd[1]);
	/* And now a read goes in (a new pipe: whether a failed read
	 * consumed its bytes is the pipe's business). */
	CHECK_EQ(pipe(pfd), 0);
	CHECK_EQ(write(pfd[1], "world", 5), 5);
	CHECK_EQ(read(pfd[0], p + 100, 5), 5);
	CHECK(memcmp(p + 100, "world", 5) == 0);
	close(pfd[0]);
	close(pfd[1]);
	close(fd);
	munmap(p, 2 * PG);
}

/* ---- UFFD_FEATURE_EVENT_REMOVE and UFFD_FEATURE_EVENT_UNMAP ---- */

#ifndef MADV_REMOVE
#define MADV_REMOVE 9 /* Linux's; shared file memory only */
#endif

enum op {
	OP_DONTNEED, /* madvise(p, len, MADV_DONTNEED) */
	OP_MUNMAP,   /* munmap(p, len) */
	OP_SHRINK,   /* mremap(p, len, arg, 0) */
	OP_FIXED,    /* mmap(p, len, MAP_FIXED) */
	OP_MOVE,     /* mremap(p, len, len, MAYMOVE | FIXED, arg) */
};

/* A thread making one call that sends an event, and waits for it to be
 * read. */
struct actor {
	enum op op;
	char *p;
	unsigned long len, arg;
	long ret;
	int err;
	volatile int done;
};

static void *actor_main(void *arg)
{
	struct actor *a = arg;

	switch (a->op) {
	case OP_DONTNEED:
		a->ret = madvise(a->p, a->len, MADV_DONTNEED);
		break;
	case OP_MUNMAP:
		a->ret = munmap(a->p, a->len);
		break;
	case OP_SHRINK:
		a->ret = (long)(uintptr_t)mremap(a->p, a->len, a->arg, 0);
		break;
	case OP_MOVE:
		a->ret = (long)(uintptr_t)mremap(a->p, a->len, a->len,
						 MREMAP_MAYMOVE | MREMAP_FIXED,
						 (void *)a->arg);
		break;
	case OP_FIXED:
		a->ret = (long)(uintptr_t)
			mmap(a->p, a->len, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		break;
	}
	a->err = errno;
	__atomic_store_n(&a->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void fill_pages(int fd, char *p, unsigned long n)
{
	static unsigned char src[PG];

	for (unsigned long i = 0; i < n; i++) {
		memset(src, (int)(0x40 + i), sizeof(src));
		CHECK_EQ(uffd_copy(fd, p + i * PG, src, PG, 0, NULL), 0);
	}
}

/*
 * Run actor a in a thread; its call must queue exactly one message
 * (event, [start, end)) and not return before the monitor reads it;
 * meanwhile the fills of fd answer EAGAIN (at probe, a registered
 * missing page or NULL). The thread is joined.
 */
static void expect_event(int fd, struct actor *a, unsigned char event,
			 char *start, char *end, char *probe)
{
	static unsigned char src[PG];
	struct uffd_msg msg;
	thread_t t;

	CHECK_EQ(thread_create(&t, actor_main, a), 0);
	if (!wait_pollin(fd)) {
		/* The caller waits for the monitor. */
		sleep_ms(30);
		CHECK_EQ(a->done, 0);
		if (probe) {
			CHECK_ERR(uffd_copy(fd, probe, src, PG, 0, NULL),
				  EAGAIN);
			CHECK_ERR(uffd_zeropage(fd, probe, PG, 0, NULL),
				  EAGAIN);
		}
		memset(&msg, 0xff, sizeof(msg));
		CHECK_EQ(read(fd, &msg, sizeof(msg)), (long)sizeof(msg));
		CHECK_EQ(msg.event, event);
		CHECK_EQ(msg.reserved1 | msg.reserved2 | msg.reserved3, 0);
		CHECK_EQ(msg.arg.remove.start, (uintptr_t)start);
		CHECK_EQ(msg.arg.remove.end, (uintptr_t)end);
		CHECK_EQ(msg.arg.reserved.reserved3, 0);
	}
	thread_join(t, NULL);
	CHECK_EQ(a->done, 1);
	/* One message per call. */
	CHECK(no_message(fd));
}

/* MADV_DONTNEED: a REMOVE message for its range; then the pages are
 * missing again, and the ones around it are not. */
static void test_remove(void)
{
	struct actor a = { .op = OP_DONTNEED };
	char *p = map_pages(5);
	int fd = uffd_ready_range(O_NONBLOCK, UFFD_FEATURE_EVENT_REMOVE, p,
				  4 * PG);

	if (fd < 0)
		return;
	fill_pages(fd, p, 3); /* the fourth page stays missing */
	a.p = p + PG;
	a.len = 4 * PG; /* beyond the range's end: that part is plain */
	p[4 * PG] = 7;
	expect_event(fd, &a, UFFD_EVENT_REMOVE, p + PG, p + 4 * PG, p + 3 * PG);
	CHECK_EQ(a.ret, 0);
	/* Pages 1 and 2 went; 0 stayed; the plain page reads zero now. */
	CHECK_ERR(uffd_zeropage(fd, p, PG, 0, NULL), EEXIST);
	CHECK_EQ(uffd_zeropage(fd, p + PG, 3 * PG, 0, NULL), 0);
	CHECK_EQ(p[4 * PG], 0);
	CHECK_EQ(p[0], 0x40);
	/* MADV_REMOVE wants shared file memory: EINVAL, no message. */
	CHECK_ERR(madvise(p, PG, MADV_REMOVE), EINVAL);
	CHECK(no_message(fd));
	close(fd);
	munmap(p, 5 * PG);
}

/* Without EVENT_REMOVE (SIGBUS asked instead): no message, no wait. */
static void test_remove_off(void)
{
	char *p = map_pages(2);
	int fd = uffd_ready_range(O_NONBLOCK, UFFD_FEATURE_SIGBUS, p, 2 * PG);

	if (fd < 0)
		return;
	fill_pages(fd, p, 2);
	CHECK_EQ(madvise(p, 2 * PG, MADV_DONTNEED), 0);
	CHECK(no_message(fd));
	CHECK_EQ(uffd_zeropage(fd, p, 2 * PG, 0, NULL), 0);
	close(fd);
	munmap(p, 2 * PG);
}

/* Closing the fd while a REMOVE is unread lets the caller go on. */
static void test_remove_close(void)
{
	struct actor a = { .op = OP_DONTNEED };
	thread_t t;
	char *p = map_pages(2);
	int fd = uffd_ready_range(O_NONBLOCK, UFFD_FEATURE_EVENT_REMOVE, p,
				  2 * PG);

	if (fd < 0)
		return;
	fill_pages(fd, p, 2);
	a.p = p;
	a.len = 2 * PG;
	CHECK_EQ(thread_create(&t, actor_main, &a), 0);
	if (!wait_pollin(fd)) {
		sleep_ms(30);
		CHECK_EQ(a.done, 0);
	}
	close(fd);
	thread_join(t, NULL);
	CHECK_EQ(a.ret, 0);
	/* Done: the pages went (zeros now, the range plain memory). */
	CHECK_EQ(p[0] + p[PG + 9], 0);
	munmap(p, 2 * PG);
}

/* munmap of part of a registered range: an UNMAP message for the call's
 * range; the range is gone when it is read. */
static void test_unmap(void)
{
	struct actor a = { .op = OP_MUNMAP };
	char *p = map_pages(4);
	int fd = uffd_ready_range(O_NONBLOCK, UFFD_FEATURE_EVENT_UNMAP, p,
				  4 * PG);

	if (fd < 0)
		return;
	fill_pages(fd, p, 1);
	a.p = p + PG;
	a.len = 2 * PG;
	expect_event(fd, &a, UFFD_EVENT_UNMAP, p + PG, p + 3 * PG, p + 3 * PG);
	CHECK_EQ(a.ret, 0);
	CHECK_ERR(uffd_zeropage(fd, p + PG, PG, 0, NULL), ENOENT);
	CHECK_EQ(uffd_zeropage(fd, p + 3 * PG, PG, 0, NULL), 0);
	CHECK_EQ(p[0], 0x40);
	/* Closed first: the munmaps below send nothing, wait for nobody. */
	close(fd);
	munmap(p, PG);
	munmap(p + 3 * PG, PG);
}

/* Two registered VMAs and a plain one in one munmap: one message, with
 * the whole range of the call. */
static void test_unmap_once(void)
{
	struct actor a = { .op = OP_MUNMAP };
	char *p = map_pages(5);
	int fd = uffd_ready(O_NONBLOCK, UFFD_FEATURE_EVENT_UNMAP);

	if (fd < 0)
		return;
	CHECK_EQ(uffd_register(fd, p + PG, PG, UFFDIO_REGISTER_MODE_MISSING,
			       NULL),
		 0);
	CHECK_EQ(uffd_register(fd, p + 3 * PG, PG, UFFDIO_REGISTER_MODE_MISSING,
			       NULL),
		 0);
	a.p = p;
	a.len = 5 * PG;
	expect_event(fd, &a, UFFD_EVENT_UNMAP, p, p + 5 * PG, NULL);
	CHECK_EQ(a.ret, 0);
	close(fd);
}

/* mremap shrinking a registered mapping: UNMAP for the cut tail. */
static void test_unmap_mremap(void)
{
	struct actor a = { .op = OP_SHRINK };
	char *p = map_pages(4);
	int fd = uffd_ready_range(O_NONBLOCK, UFFD_FEATURE_EVENT_UNMAP, p,
				  4 * PG);

	if (fd < 0)
		return;
	a.p = p;
	a.len = 4 * PG;
	a.arg = PG;
	expect_event(fd, &a, UFFD_EVENT_UNMAP, p + PG, p + 4 * PG, p);
	CHECK_EQ(a.ret, (long)(uintptr_t)p);
	CHECK_ERR(uffd_zeropage(fd, p + PG, PG, 0, NULL), ENOENT);
	CHECK_EQ(uffd_zeropage(fd, p, PG, 0, NULL), 0);
	close(fd);
	munmap(p, PG);
}

/* A MAP_FIXED mapping over a registered page: UNMAP for it, and the new
 * mapping is not registered. */
static void test_unmap_fixed(void)
{
	struct actor a = { .op = OP_FIXED };
	char *p = map_pages(3);
	int fd = uffd_ready_range(O_NONBLOCK, UFFD_FEATURE_EVENT_UNMAP, p,
				  3 * PG);

	if (fd < 0)
		return;
	a.p = p + PG;
	a.len = PG;
	expect_event(fd, &a, UFFD_EVENT_UNMAP, p + PG, p + 2 * PG, p);
	CHECK_EQ(a.ret, (long)(uintptr_t)(p + PG));
	CHECK_ERR(uffd_zeropage(fd, p + PG, PG, 0, NULL), ENOENT);
	CHECK_EQ(uffd_zeropage(fd, p + 2 * PG, PG, 0, NULL), 0);
	p[PG + 1] = 5; /* plain memory */
	CHECK_EQ(p[PG + 1], 5);
	close(fd);
	munmap(p, 3 * PG);
}

static volatile int usr1_count;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_count++;
}

/* The sender's wait is killable only (Linux's TASK_KILLABLE): a handled
 * signal does not end it, and its handler runs once the call returns. */
static void test_unmap_signal(void)
{
	struct actor a = { .op = OP_MUNMAP };
	struct sigaction sa, old;
	struct uffd_msg msg;
	thread_t t;
	int tid;
	char *p = map_pages(1);
	int fd = uffd_ready(O_NONBLOCK, UFFD_FEATURE_EVENT_UNMAP);

	if (fd < 0)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, &old);
	usr1_count = 0;
	CHECK_EQ(uffd_register(fd, p, PG, UFFDIO_REGISTER_MODE_MISSING, NULL),
		 0);
	a.p = p;
	a.len = PG;
	CHECK_EQ(thread_create(&t, actor_main, &a), 0);
	if (!wait_pollin(fd)) {
		tid = thread_tid(t);
		CHECK_EQ(syscall(__NR_tgkill, getpid(), tid, SIGUSR1), 0);
		sleep_ms(30);
		CHECK_EQ(a.done, 0);
		CHECK_EQ(usr1_count, 0);
		CHECK_EQ(read(fd, &msg, sizeof(msg)), (long)sizeof(msg));
		CHECK_EQ(msg.event, UFFD_EVENT_UNMAP);
	}
	thread_join(t, NULL);
	CHECK_EQ(a.ret, 0);
	CHECK_EQ(usr1_count, 1);
	sigaction(SIGUSR1, &old, NULL);
	close(fd);
}

/* An munmap whose UNMAP event nobody reads: waits for ever. */
static void munmap_for_ever(void)
{
	char *p;

	uffd_child_setup(UFFD_FEATURE_EVENT_UNMAP, &p);
	munmap(p, PG);
}

/* With nobody to read, SIGKILL ends the wait (and the process). */
static void test_unmap_kill(void)
{
	expect_kill_blocked("munmap waiting for its event", munmap_for_ever);
}

/* ---- UFFD_FEATURE_EVENT_REMAP ---- */

/* A target for MREMAP_FIXED: n pages mapped PROT_NONE, which the move
 * replaces (unmapped, a thread's stack could land there meanwhile). */
static char *target_range(unsigned long n)
{
	char *q = map_pages(n);

	return mprotect(q, n * PG, PROT_NONE) ? NULL : q;
}

/*
 * mremap moving a registered range: a REMAP message (from, to, the
 * length), and the call returns once the monitor read it (fills EAGAIN
 * meanwhile); the registration moved along: the new range's present
 * page is there, its missing one the monitor's to fill, and the old
 * range is gone.
 */
static void test_remap(void)
{
	static unsigned char src[PG];
	struct actor a = { .op = OP_MOVE };
	struct uffd_msg msg;
	thread_t t;
	char *p = map_pages(2);
	char *q = target_range(2);
	int fd = uffd_ready_range(O_NONBLOCK, UFFD_FEATURE_EVENT_REMAP, p,
				  2 * PG);

	if (fd < 0 || !q)
		return;
	fill_pages(fd, p, 1);
	a.p = p;
	a.len = 2 * PG;
	a.arg = (unsigned long)(uintptr_t)q;
	CHECK_EQ(thread_create(&t, actor_main, &a), 0);
	if (!wait_pollin(fd)) {
		sleep_ms(30);
		CHECK_EQ(a.done, 0);
		CHECK_ERR(uffd_copy(fd, q + PG, src, PG, 0, NULL), EAGAIN);
		memset(&msg, 0xff, sizeof(msg));
		CHECK_EQ(read(fd, &msg, sizeof(msg)), (long)sizeof(msg));
		CHECK_EQ(msg.event, UFFD_EVENT_REMAP);
		CHECK_EQ(msg.reserved1 | msg.reserved2 | msg.reserved3, 0);
		CHECK_EQ(msg.arg.remap.from, (uintptr_t)p);
		CHECK_EQ(msg.arg.remap.to, (uintptr_t)q);
		CHECK_EQ(msg.arg.remap.len, 2 * PG);
	}
	thread_join(t, NULL);
	CHECK_EQ(a.ret, (long)(uintptr_t)q);
	CHECK(no_message(fd));
	CHECK_EQ(q[5], 0x40);
	CHECK_ERR(uffd_zeropage(fd, q, PG, 0, NULL), EEXIST);
	CHECK_EQ(uffd_zeropage(fd, q + PG, PG, 0, NULL), 0);
	CHECK_ERR(uffd_zeropage(fd, p, PG, 0, NULL), ENOENT);
	close(fd);
	munmap(q, 2 * PG);
}

/* Without EVENT_REMAP: no message, and the moved range is plain. */
static void test_remap_off(void)
{
	char *p = map_pages(2);
	char *q = target_range(2);
	int fd = uffd_ready_range(O_NONBLOCK, UFFD_FEATURE_EVENT_REMOVE, p,
				  2 * PG);

	if (fd < 0 || !q)
		return;
	fill_pages(fd, p, 1);
	CHECK_EQ(mremap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, q),
		 q);
	CHECK(no_message(fd));
	CHECK_ERR(uffd_zeropage(fd, q + PG, PG, 0, NULL), ENOENT);
	CHECK_EQ(q[0] + q[PG], 0x40); /* the page moved; a plain zero fill */
	close(fd);
	munmap(q, 2 * PG);
}

/* Without EVENT_UNMAP (REMOVE asked instead): munmap sends nothing. */
static void test_unmap_off(void)
{
	char *p = map_pages(2);
	int fd = uffd_ready_range(O_NONBLOCK, UFFD_FEATURE_EVENT_REMOVE, p,
				  2 * PG);

	if (fd < 0)
		return;
	CHECK_EQ(munmap(p, PG), 0);
	CHECK_EQ(mmap(p + PG, PG, PROT_READ,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		 p + PG);
	CHECK(no_message(fd));
	close(fd);
	munmap(p + PG, PG);
}

int main(void)
{
	test_api();
	test_sigbus_user();
	test_sigbus_kill();
	test_sigbus_kernel();
	test_remove();
	test_remove_off();
	test_remove_close();
	test_unmap();
	test_unmap_once();
	test_unmap_mremap();
	test_unmap_fixed();
	test_unmap_signal();
	test_unmap_kill();
	test_unmap_off();
	test_remap();
	test_remap_off();
	return utest_done();
}
