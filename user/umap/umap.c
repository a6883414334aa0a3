/*
 * umap.c - the pager of umap.h (docs/umap.md), one region at a time, as
 * LLNL's UMap splits the work: one fault-monitor thread reads the fault
 * messages in batches and queues them; filler threads fill pages from the
 * store (or handle write-protect faults); evictor threads drop the oldest
 * pages (FIFO) between the water marks. One lock guards the pager's state
 * (each page's state, the FIFO, the counts); store I/O and the
 * userfaultfd ioctls run outside it.
 */
#include "umap.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <thread.h>
#include <unistd.h>
#if __has_include(<sys/ioctl.h>)
#include <sys/ioctl.h> /* glibc: _IOWR for Linux's header */
#endif

#define UMAP_SYS_PAGE  4096UL
#define UMAP_MSG_BATCH 16  /* messages per read(2) */
#define UMAP_JOBS      256 /* queued fault messages at most */

static ssize_t file_read(struct umap_store *s, void *buf, size_t n, off_t off)
{
	return syscall(__NR_pread64, s->fd, buf, n, off);
}

static ssize_t file_write(struct umap_store *s, const void *buf, size_t n,
			  off_t off)
{
	return syscall(__NR_pwrite64, s->fd, buf, n, off);
}

void umap_store_file(struct umap_store *s, int fd)
{
	memset(s, 0, sizeof(*s));
	s->read_from_store = file_read;
	s->write_to_store = file_write;
	s->fd = fd;
}

static ssize_t mem_read(struct umap_store *s, void *buf, size_t n, off_t off)
{
	if ((size_t)off >= s->size)
		return 0;
	if (n > s->size - (size_t)off)
		n = s->size - (size_t)off;
	memcpy(buf, s->base + off, n);
	return (ssize_t)n;
}

static ssize_t mem_write(struct umap_store *s, const void *buf, size_t n,
			 off_t off)
{
	if ((size_t)off >= s->size)
		return 0;
	if (n > s->size - (size_t)off)
		n = s->size - (size_t)off;
	memcpy(s->base + off, buf, n);
	return (ssize_t)n;
}

void umap_store_mem(struct umap_store *s, void *base, size_t size)
{
	memset(s, 0, sizeof(*s));
	s->read_from_store = mem_read;
	s->write_to_store = mem_write;
	s->fd = -1;
	s->base = base;
	s->size = size;
}

/* --- configuration ------------------------------------------------------ */

static struct umap_config cfg;
static int cfg_set; /* umap_cfg_set() came: ignore the environment */

static unsigned long env_ul(const char *name, unsigned long dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : dflt;
}

/*
 * The CPUs this thread may run on (sched_getaffinity(2)), at most
 * UMAP_MAX_THREADS; 1 if unknown. UMap's thread default is
 * std::thread::hardware_concurrency().
 */
static unsigned ncpus(void)
{
	uint64_t mask[16];
	unsigned n = 0;
	long got;

	memset(mask, 0, sizeof(mask));
	got = syscall(__NR_sched_getaffinity, 0, sizeof(mask), mask);
	for (long i = 0; i < got / (long)sizeof(mask[0]); i++)
		for (uint64_t m = mask[i]; m; m &= m - 1) /* no libgcc here */
			n++;
	if (n > UMAP_MAX_THREADS)
		n = UMAP_MAX_THREADS;
	return n ? n : 1;
}

static int cfg_valid(const struct umap_config *c)
{
	return c->pagesize && c->pagesize % UMAP_SYS_PAGE == 0 && c->bufsize &&
	       c->high_water <= 100 && c->high_water &&
	       c->low_water < c->high_water && c->fillers &&
	       c->fillers <= UMAP_MAX_THREADS && c->evictors &&
	       c->evictors <= UMAP_MAX_THREADS;
}

void umap_cfg_get(struct umap_config *c)
{
	if (!cfg_set) {
		unsigned cpus = ncpus();

		cfg.pagesize = env_ul("UMAP_PAGESIZE", UMAP_SYS_PAGE);
		cfg.bufsize = env_ul("UMAP_BUFSIZE", 16384);
		cfg.fillers = (unsigned)env_ul("UMAP_PAGE_FILLERS", cpus);
		cfg.evictors = (unsigned)env_ul("UMAP_PAGE_EVICTORS", cpus);
		cfg.high_water =
			(unsigned)env_ul("UMAP_EVICT_HIGH_WATER_THRESHOLD", 90);
		cfg.low_water =
			(unsigned)env_ul("UMAP_EVICT_LOW_WATER_THRESHOLD", 70);
		cfg.no_wp = 0;
	}
	*c = cfg;
}

int umap_cfg_set(const struct umap_config *c)
{
	if (!cfg_valid(c)) {
		errno = EINVAL;
		return -1;
	}
	cfg = *c;
	cfg_set = 1;
	return 0;
}

/* --- a lock and a condition on futex(2) --------------------------------- */

#ifndef FUTEX_WAIT
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#endif

/*
 * A condition: waiters sleep on seq, which cond_broadcast() bumps; both
 * run with the pager's lock held, so a waiter that read seq before it let
 * the lock go cannot miss a broadcast (FUTEX_WAIT returns at once when
 * seq has moved).
 */
struct ucond {
	int seq;
	int waiters; /* under the lock: no FUTEX_WAKE when 0 */
};

static void futex_op(int *w, int op, int val)
{
	syscall(__NR_futex, w, op, val, (void *)0, (void *)0, 0);
}

/*
 * The lock: 0 free, 1 held, 2 held and maybe waited for (Drepper,
 * "Futexes Are Tricky", mutex 3). Threads of <thread.h> have no pthread
 * mutex, and the same code must build against glibc.
 */
static void lock(int *l)
{
	int c = 0;

	if (__atomic_compare_exchange_n(l, &c, 1, 0, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED))
		return;
	if (c != 2)
		c = __atomic_exchange_n(l, 2, __ATOMIC_ACQUIRE);
	while (c) {
		futex_op(l, FUTEX_WAIT, 2);
		c = __atomic_exchange_n(l, 2, __ATOMIC_ACQUIRE);
	}
}

static void unlock(int *l)
{
	if (__atomic_exchange_n(l, 0, __ATOMIC_RELEASE) == 2)
		futex_op(l, FUTEX_WAKE, 1);
}

/* --- the region --------------------------------------------------------- */

static struct umap_stats stats; /* atomic adds: several threads count */

void umap_get_stats(struct umap_stats *st)
{
	st->faults = __atomic_load_n(&stats.faults, __ATOMIC_RELAXED);
	st->fills = __atomic_load_n(&stats.fills, __ATOMIC_RELAXED);
	st->evictions = __atomic_load_n(&stats.evictions, __ATOMIC_RELAXED);
	st->writebacks = __atomic_load_n(&stats.writebacks, __ATOMIC_RELAXED);
	st->wp_faults = __atomic_load_n(&stats.wp_faults, __ATOMIC_RELAXED);
	st->fill_us = __atomic_load_n(&stats.fill_us, __ATOMIC_RELAXED);
	st->evict_us = __atomic_load_n(&stats.evict_us, __ATOMIC_RELAXED);
	st->wp = __atomic_load_n(&stats.wp, __ATOMIC_RELAXED);
}

static void add(unsigned long *c, unsigned long v)
{
	__atomic_fetch_add(c, v, __ATOMIC_RELAXED);
}

/* Microseconds of CLOCK_MONOTONIC. */
static unsigned long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * 1000000 +
	       (unsigned long)ts.tv_nsec / 1000;
}

/* A umap page's state; only PRESENT pages are in the FIFO. */
enum {
	PG_ABSENT,
	PG_FILLING,
	PG_PRESENT,
	PG_EVICTING
};

struct job { /* one fault message, for a filler */
	unsigned long addr;
	unsigned long flags; /* UFFD_PAGEFAULT_FLAG_* */
};

static struct {
	char *base;    /* the mapping, psize aligned */
	size_t len;    /* bytes, a multiple of psize */
	size_t psize;  /* the umap page size */
	size_t npages; /* len / psize */
	int writable;  /* PROT_WRITE: dirty pages are written back */
	int wp;	       /* registered MISSING|WP: dirty bits are real */
	struct umap_store *store;
	off_t offset; /* of base in the store */
	int uffd;     /* O_NONBLOCK: the monitor polls */
	int stop[2];  /* a pipe: uunmap() wakes the monitor's poll */
	thread_t monitor, fillers[UMAP_MAX_THREADS], evictors[UMAP_MAX_THREADS];
	int have_monitor;
	unsigned nfillers, nevictors; /* threads running */
	char *bounce; /* a umap page per filler: store -> UFFDIO_COPY */
	unsigned char *state, *dirty; /* per umap page */
	size_t *fifo;		      /* PRESENT page numbers, oldest first */
	size_t fifo_cap, fifo_head, fifo_len;
	struct job *jobs; /* a ring of UMAP_JOBS */
	size_t job_head, job_len;
	size_t bufsize, high, low; /* umap pages */
	size_t resident;  /* FILLING + PRESENT + EVICTING: hold memory */
	size_t to_evict;  /* pages this eviction round has still to pick */
	size_t nevicting; /* EVICTING pages */
	size_t busy;	  /* fillers handling a message */
	int stopping;
	int lock; /* guards everything above that changes after umap() */
	struct ucond fill_cv;  /* a job queued; stopping */
	struct ucond evict_cv; /* an eviction round started; stopping */
	struct ucond done_cv;  /* a job, fill or eviction done */
} r;

static struct umap_store file_store;

static void cond_wait(struct ucond *cv)
{
	int seq = __atomic_load_n(&cv->seq, __ATOMIC_RELAXED);

	cv->waiters++;
	unlock(&r.lock);
	futex_op(&cv->seq, FUTEX_WAIT, seq);
	lock(&r.lock);
	cv->waiters--;
}

static void cond_broadcast(struct ucond *cv)
{
	if (!cv->waiters)
		return;
	__atomic_fetch_add(&cv->seq, 1, __ATOMIC_RELEASE);
	futex_op(&cv->seq, FUTEX_WAKE, INT_MAX);
}

static char *page_addr(size_t pg)
{
	return r.base + pg * r.psize;
}

static long uffd_ioctl(unsigned long cmd, void *arg)
{
	return syscall(__NR_ioctl, r.uffd, cmd, arg);
}

/* UFFDIO_WAKE the threads waiting on page pg. */
static void wake(size_t pg)
{
	struct uffdio_range range = { (unsigned long)page_addr(pg), r.psize };

	uffd_ioctl(UFFDIO_WAKE, &range);
}

/*
 * UFFDIO_WRITEPROTECT page pg: mode UFFDIO_WRITEPROTECT_MODE_WP protects
 * it (a write faults from now on); mode 0 un-protects it and wakes the
 * writers (man 2 ioctl_userfaultfd).
 */
static void write_protect(size_t pg, unsigned long long mode)
{
	struct uffdio_writeprotect w = {
		.range = { (unsigned long)page_addr(pg), r.psize },
		.mode = mode,
	};

	uffd_ioctl(UFFDIO_WRITEPROTECT, &w);
}

static void write_back(size_t pg)
{
	r.store->write_to_store(r.store, page_addr(pg), r.psize,
				r.offset + (off_t)(pg * r.psize));
	add(&stats.writebacks, 1);
}

/*
 * Called before each fill (lock held): when the present pages have
 * reached the high water mark and no round is under way, start one: the
 * evictors take the present - low oldest. A fixed round, counted when it
 * starts, so that eviction counts follow from the faults alone (the FIFO
 * model of docs/umap.md), however the threads interleave.
 */
static void maybe_evict(void)
{
	if (r.to_evict || r.fifo_len < r.high)
		return;
	r.to_evict = r.fifo_len - r.low;
	cond_broadcast(&r.evict_cv);
}

/*
 * An evictor: pick the oldest present page, write-protect it if it is
 * dirty (so that a write during its write-back waits, and refaults once
 * the page is gone), write it back, MADV_DONTNEED it. A clean page is
 * write-protected already (filled so, and un-protected only when marked
 * dirty under the lock). Without WP mode, a write by another application
 * thread between the write-back and MADV_DONTNEED is lost (docs/umap.md).
 */
static void *evictor(void *arg)
{
	(void)arg;
	lock(&r.lock);
	for (;;) {
		while (!r.stopping && !r.to_evict)
			cond_wait(&r.evict_cv);
		if (r.stopping)
			break;
		size_t pg = r.fifo[r.fifo_head];
		int dirty = r.dirty[pg];

		r.fifo_head = (r.fifo_head + 1) % r.fifo_cap;
		r.fifo_len--;
		r.to_evict--;
		r.state[pg] = PG_EVICTING;
		r.nevicting++;
		unlock(&r.lock);
		unsigned long t0 = now_us();

		if (dirty && r.wp)
			write_protect(pg, UFFDIO_WRITEPROTECT_MODE_WP);
		if (dirty)
			write_back(pg);
		madvise(page_addr(pg), r.psize, MADV_DONTNEED);
		add(&stats.evictions, 1);
		add(&stats.evict_us, now_us() - t0);
		lock(&r.lock);
		r.state[pg] = PG_ABSENT;
		r.dirty[pg] = 0;
		r.nevicting--;
		r.resident--;
		cond_broadcast(&r.done_cv);
	}
	unlock(&r.lock);
	return NULL;
}

/*
 * Fill absent page pg (lock held in and out) from the store through
 * bounce. A read fault in WP mode maps the page write-protected
 * (UFFDIO_COPY_MODE_WP): clean until its first write faults. A write
 * fault maps it writable and dirty at once: no second fault for it.
 */
static void fill(size_t pg, unsigned long flags, char *bounce)
{
	int protect = r.wp && !(flags & UFFD_PAGEFAULT_FLAG_WRITE);
	struct uffdio_copy copy = {
		.dst = (unsigned long)page_addr(pg),
		.src = (unsigned long)bounce,
		.len = r.psize,
		.mode = protect ? UFFDIO_COPY_MODE_WP : 0,
	};
	ssize_t n;

	r.state[pg] = PG_FILLING;
	r.dirty[pg] = (unsigned char)(r.writable && !protect);
	r.resident++;
	unlock(&r.lock);
	unsigned long t0 = now_us();

	n = r.store->read_from_store(r.store, bounce, r.psize,
				     r.offset + (off_t)(pg * r.psize));
	if (n < 0)
		n = 0;
	memset(bounce + n, 0, r.psize - (size_t)n); /* past the end */
	/*
	 * Counted before the copy: the copy wakes the faulting thread, which
	 * may read the counters before this thread runs again.
	 */
	add(&stats.fills, 1);
	uffd_ioctl(UFFDIO_COPY, &copy);
	add(&stats.fill_us, now_us() - t0);
	lock(&r.lock);
	/*
	 * copy.copy, not errno: the threads of <thread.h> share errno. EEXIST
	 * cannot come while this pager alone maps the region's pages; any
	 * other failure leaves the page absent, and its thread refaults.
	 */
	if (copy.copy < 0 && copy.copy != -EEXIST) {
		r.state[pg] = PG_ABSENT;
		r.dirty[pg] = 0;
		r.resident--;
		add(&stats.fills, (unsigned long)-1);
		unlock(&r.lock);
		wake(pg);
		lock(&r.lock);
		return;
	}
	r.state[pg] = PG_PRESENT;
	r.fifo[(r.fifo_head + r.fifo_len) % r.fifo_cap] = pg;
	r.fifo_len++;
}

/*
 * A filler's work on one message (lock held in and out). A page being
 * filled or evicted is waited for, then looked at again. A WP fault on a
 * present page marks it dirty and un-protects it under the lock, so that
 * no evictor can write-protect it in between; on an absent page (evicted
 * since) it only wakes the writer, whose write then faults as MISSING. A
 * MISSING message for a present page is a second one for the same fill:
 * a wake.
 *
 * Without WP mode, a writable region's fill also waits for the eviction
 * round under way: nothing could stop the woken thread from writing to a
 * page between its write-back and its MADV_DONTNEED, and that write would
 * be lost. The faulting thread sleeps through the round instead, so a
 * single-threaded program loses nothing (other threads still could:
 * docs/umap.md). With WP mode the evictor write-protects the page first.
 */
static void handle(const struct job *j, char *bounce)
{
	size_t pg = (j->addr - (unsigned long)r.base) / r.psize;
	int wpf = !!(j->flags & UFFD_PAGEFAULT_FLAG_WP);

	for (;;) {
		switch (r.state[pg]) {
		case PG_FILLING:
		case PG_EVICTING:
			cond_wait(&r.done_cv);
			continue;
		case PG_PRESENT:
			if (!wpf) {
				unlock(&r.lock);
				wake(pg);
				lock(&r.lock);
				return;
			}
			if (!r.dirty[pg])
				add(&stats.wp_faults, 1);
			r.dirty[pg] = 1;
			write_protect(pg, 0);
			return;
		default: /* PG_ABSENT */
			if (wpf) {
				unlock(&r.lock);
				wake(pg);
				lock(&r.lock);
				return;
			}
			maybe_evict();
			if (r.resident >= r.bufsize || /* full: wait */
			    (r.writable && !r.wp &&
			     (r.to_evict || r.nevicting))) {
				cond_wait(&r.done_cv);
				continue;
			}
			fill(pg, (unsigned long)j->flags, bounce);
			return;
		}
	}
}

/* A filler: take queued messages one at a time. arg: its bounce page. */
static void *filler(void *arg)
{
	char *bounce = arg;

	lock(&r.lock);
	for (;;) {
		while (!r.stopping && !r.job_len)
			cond_wait(&r.fill_cv);
		if (r.stopping)
			break;
		struct job j = r.jobs[r.job_head];

		r.job_head = (r.job_head + 1) % UMAP_JOBS;
		r.job_len--;
		r.busy++;
		handle(&j, bounce);
		r.busy--;
		cond_broadcast(&r.done_cv);
	}
	unlock(&r.lock);
	return NULL;
}

/* The fault monitor: poll, read a batch of messages, queue each. */
static void *monitor(void *arg)
{
	struct uffd_msg msgs[UMAP_MSG_BATCH];

	(void)arg;
	for (;;) {
		struct pollfd pfd[2] = { { r.uffd, POLLIN, 0 },
					 { r.stop[0], POLLIN, 0 } };

		if (poll(pfd, 2, -1) < 0)
			continue; /* EINTR */
		if (pfd[1].revents)
			return NULL;
		ssize_t n = read(r.uffd, msgs, sizeof(msgs));

		if (n <= 0)
			continue; /* EAGAIN: another reader, or none */
		lock(&r.lock);
		for (ssize_t i = 0; i < n / (ssize_t)sizeof(msgs[0]); i++) {
			unsigned long a =
				(unsigned long)msgs[i].arg.pagefault.address;

			if (msgs[i].event != UFFD_EVENT_PAGEFAULT ||
			    a < (unsigned long)r.base ||
			    a - (unsigned long)r.base >= r.len)
				continue;
			add(&stats.faults, 1);
			while (r.job_len == UMAP_JOBS)
				cond_wait(&r.done_cv);
			r.jobs[(r.job_head + r.job_len) % UMAP_JOBS] =
				(struct job){ a, (unsigned long)msgs[i]
							 .arg.pagefault.flags };
			r.job_len++;
		}
		cond_broadcast(&r.fill_cv);
		unlock(&r.lock);
	}
}

static int idle(void)
{
	return !r.job_len && !r.busy && !r.to_evict && !r.nevicting;
}

int umap_wait_idle(void)
{
	if (!r.base) {
		errno = EINVAL;
		return -1;
	}
	lock(&r.lock);
	while (!idle())
		cond_wait(&r.done_cv);
	unlock(&r.lock);
	return 0;
}

static void *map_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Stop and join every thread that runs (the monitor first). */
static void stop_threads(void)
{
	char b = 0;

	if (r.have_monitor && write(r.stop[1], &b, 1) == 1)
		thread_join(r.monitor, NULL);
	r.have_monitor = 0;
	lock(&r.lock);
	r.stopping = 1;
	cond_broadcast(&r.fill_cv);
	cond_broadcast(&r.evict_cv);
	unlock(&r.lock);
	for (; r.nfillers; r.nfillers--)
		thread_join(r.fillers[r.nfillers - 1], NULL);
	for (; r.nevictors; r.nevictors--)
		thread_join(r.evictors[r.nevictors - 1], NULL);
}

static void unmap_side(void *p, size_t len)
{
	if (p)
		munmap(p, len);
}

static void teardown(void)
{
	stop_threads();
	if (r.uffd >= 0)
		close(r.uffd);
	if (r.stop[0] >= 0) {
		close(r.stop[0]);
		close(r.stop[1]);
	}
	unmap_side(r.bounce, (size_t)UMAP_MAX_THREADS * r.psize);
	unmap_side(r.state, 2 * r.npages);
	unmap_side(r.fifo, r.fifo_cap * sizeof(size_t));
	unmap_side(r.jobs, UMAP_JOBS * sizeof(struct job));
	if (r.base)
		munmap(r.base, r.len);
	memset(&r, 0, sizeof(r));
}

/* UFFDIO_API, then UFFDIO_REGISTER: MISSING|WP when it can, else MISSING. */
static int uffd_setup(int no_wp)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {
		.range = { (unsigned long)r.base, r.len },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};

	r.uffd = (int)syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (r.uffd < 0 || uffd_ioctl(UFFDIO_API, &api))
		return -1;
	r.wp = r.writable && !no_wp &&
	       (api.features & UFFD_FEATURE_PAGEFAULT_FLAG_WP) != 0;
	if (r.wp) {
		reg.mode |= UFFDIO_REGISTER_MODE_WP;
		if (uffd_ioctl(UFFDIO_REGISTER, &reg) == 0)
			return 0;
		r.wp = 0; /* the feature, but not on this memory */
		reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	}
	return (int)uffd_ioctl(UFFDIO_REGISTER, &reg);
}

void *umap_ex(void *addr, size_t len, int prot, int flags,
	      struct umap_store *store, off_t offset)
{
	struct umap_config c;
	int err = EINVAL;

	if (r.base) {
		errno = EBUSY;
		return MAP_FAILED;
	}
	umap_cfg_get(&c);
	if (!cfg_valid(&c) || !len || !(flags & MAP_PRIVATE) ||
	    offset % (off_t)c.pagesize) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	memset(&r, 0, sizeof(r));
	r.uffd = r.stop[0] = -1;
	r.psize = c.pagesize;
	r.len = (len + r.psize - 1) / r.psize * r.psize;
	r.npages = r.len / r.psize;
	r.writable = !!(prot & PROT_WRITE);
	r.store = store;
	r.offset = offset;
	r.bufsize = c.bufsize;
	r.high = c.bufsize * c.high_water / 100;
	r.low = c.bufsize * c.low_water / 100;
	if (!r.high)
		r.high = 1;
	if (r.low >= r.high)
		r.low = r.high - 1;
	r.fifo_cap = c.bufsize;
	/* Over-map by a umap page so that the region can be psize aligned. */
	void *m = mmap(addr, r.len + r.psize, prot, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (m == MAP_FAILED) {
		err = errno;
		r.psize = 0;
		goto fail;
	}
	r.base = (char *)(((uintptr_t)m + r.psize - 1) & ~(r.psize - 1));
	if ((char *)m != r.base)
		munmap(m, (size_t)(r.base - (char *)m));
	munmap(r.base + r.len, (size_t)((char *)m + r.psize - r.base));
	r.bounce = map_anon((size_t)UMAP_MAX_THREADS * r.psize);
	r.state = map_anon(2 * r.npages);
	r.fifo = map_anon(r.fifo_cap * sizeof(size_t));
	r.jobs = map_anon(UMAP_JOBS * sizeof(struct job));
	if (!r.bounce || !r.state || !r.fifo || !r.jobs) {
		err = ENOMEM;
		goto fail;
	}
	r.dirty = r.state + r.npages;
	if (uffd_setup(c.no_wp) || syscall(__NR_pipe2, r.stop, O_CLOEXEC)) {
		err = errno;
		goto fail;
	}
	__atomic_store_n(&stats.wp, r.wp, __ATOMIC_RELAXED);
	err = thread_create(&r.monitor, monitor, NULL);
	if (err)
		goto fail;
	r.have_monitor = 1;
	for (unsigned i = 0; i < c.fillers; i++, r.nfillers++) {
		err = thread_create(&r.fillers[i], filler,
				    r.bounce + (size_t)i * r.psize);
		if (err)
			goto fail;
	}
	for (unsigned i = 0; i < c.evictors; i++, r.nevictors++) {
		err = thread_create(&r.evictors[i], evictor, NULL);
		if (err)
			goto fail;
	}
	return r.base;
fail:
	teardown();
	errno = err;
	return MAP_FAILED;
}

void *umap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
	umap_store_file(&file_store, fd);
	return umap_ex(addr, len, prot, flags, &file_store, offset);
}

int uunmap(void *addr, size_t len)
{
	if (!r.base || addr != r.base || len > r.len) {
		errno = EINVAL;
		return -1;
	}
	umap_wait_idle();
	stop_threads();
	/* The threads are gone: the present pages can be read freely. */
	for (; r.fifo_len; r.fifo_len--) {
		size_t pg = r.fifo[r.fifo_head];

		if (r.dirty[pg])
			write_back(pg);
		r.fifo_head = (r.fifo_head + 1) % r.fifo_cap;
	}
	teardown();
	return 0;
}
