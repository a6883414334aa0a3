/*
 * umap.c - the pager of umap.h (docs/umap.md): one region at a time, one
 * monitor thread that reads fault messages in batches, fills pages from
 * the store and evicts in FIFO order. LLNL's UMap splits that work over
 * pools of filler and evictor threads; here the monitor does both, so a
 * reader can follow one fault from start to end.
 */
#include "umap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <thread.h>
#include <unistd.h>
#if __has_include(<sys/ioctl.h>)
#include <sys/ioctl.h> /* glibc: _IOWR for Linux's header */
#endif

#define UMAP_SYS_PAGE  4096UL
#define UMAP_MSG_BATCH 16 /* messages per read(2) */

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

static int cfg_valid(const struct umap_config *c)
{
	return c->pagesize && c->pagesize % UMAP_SYS_PAGE == 0 && c->bufsize &&
	       c->high_water <= 100 && c->high_water &&
	       c->low_water < c->high_water;
}

void umap_cfg_get(struct umap_config *c)
{
	if (!cfg_set) {
		cfg.pagesize = env_ul("UMAP_PAGESIZE", UMAP_SYS_PAGE);
		cfg.bufsize = env_ul("UMAP_BUFSIZE", 16384);
		cfg.fillers = (unsigned)env_ul("UMAP_PAGE_FILLERS", 1);
		cfg.evictors = (unsigned)env_ul("UMAP_PAGE_EVICTORS", 1);
		cfg.high_water =
			(unsigned)env_ul("UMAP_EVICT_HIGH_WATER_THRESHOLD", 90);
		cfg.low_water =
			(unsigned)env_ul("UMAP_EVICT_LOW_WATER_THRESHOLD", 70);
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

/* --- the region --------------------------------------------------------- */

static struct umap_stats stats; /* written by the monitor only */

void umap_get_stats(struct umap_stats *st)
{
	st->faults = __atomic_load_n(&stats.faults, __ATOMIC_RELAXED);
	st->fills = __atomic_load_n(&stats.fills, __ATOMIC_RELAXED);
	st->evictions = __atomic_load_n(&stats.evictions, __ATOMIC_RELAXED);
	st->writebacks = __atomic_load_n(&stats.writebacks, __ATOMIC_RELAXED);
}

static void count(unsigned long *c)
{
	__atomic_store_n(c, *c + 1, __ATOMIC_RELAXED);
}

static struct {
	char *base;   /* the mapping, psize aligned */
	size_t len;   /* bytes, a multiple of psize */
	size_t psize; /* the umap page size */
	int writable; /* PROT_WRITE: write back on eviction */
	struct umap_store *store;
	off_t offset; /* of base in the store */
	int uffd;     /* O_NONBLOCK: the monitor polls */
	int stop[2];  /* a pipe: uunmap() wakes the monitor's poll */
	thread_t monitor;
	char *bounce; /* one umap page: store <-> UFFDIO_COPY */
	size_t *fifo; /* present page numbers, oldest first */
	size_t fifo_cap, fifo_head, fifo_len;
	size_t high, low; /* the water marks, in pages */
} r;

static struct umap_store file_store;

/* Write page pg back (writable mappings: no dirty bit without WP mode). */
static void write_back(size_t pg)
{
	if (!r.writable)
		return;
	r.store->write_to_store(r.store, r.base + pg * r.psize, r.psize,
				r.offset + (off_t)(pg * r.psize));
	count(&stats.writebacks);
}

/*
 * The evictor: the oldest present pages go, written back first, until
 * r.low remain. The application's faulting thread is asleep meanwhile;
 * another of its threads writing to a page between its write-back and
 * its MADV_DONTNEED would lose that write (UMap write-protects the page
 * first: the next step here, with UFFDIO_WRITEPROTECT).
 */
static void evict(void)
{
	while (r.fifo_len > r.low) {
		size_t pg = r.fifo[r.fifo_head];

		r.fifo_head = (r.fifo_head + 1) % r.fifo_cap;
		r.fifo_len--;
		write_back(pg);
		madvise(r.base + pg * r.psize, r.psize, MADV_DONTNEED);
		count(&stats.evictions);
	}
}

/* The filler: the umap page holding addr, from the store. */
static void fill(unsigned long addr)
{
	size_t pg = (addr - (unsigned long)r.base) / r.psize;
	struct uffdio_copy copy = {
		.dst = (unsigned long)r.base + pg * r.psize,
		.src = (unsigned long)r.bounce,
		.len = r.psize,
	};
	ssize_t n;

	if (r.fifo_len >= r.high)
		evict();
	n = r.store->read_from_store(r.store, r.bounce, r.psize,
				     r.offset + (off_t)(pg * r.psize));
	if (n < 0)
		n = 0;
	memset(r.bounce + n, 0, r.psize - (size_t)n); /* past the end */
	/*
	 * Counted before the copy: the copy wakes the faulting thread, which
	 * may read the counters before this thread runs again.
	 */
	r.fifo[(r.fifo_head + r.fifo_len) % r.fifo_cap] = pg;
	r.fifo_len++;
	count(&stats.fills);
	if (syscall(__NR_ioctl, r.uffd, UFFDIO_COPY, &copy) == 0)
		return;
	/*
	 * EEXIST: a second message for a page already filled (two threads,
	 * or a signal retried the access); wake whoever waits on it.
	 */
	struct uffdio_range range = { copy.dst, r.psize };

	r.fifo_len--;
	__atomic_store_n(&stats.fills, stats.fills - 1, __ATOMIC_RELAXED);
	syscall(__NR_ioctl, r.uffd, UFFDIO_WAKE, &range);
}

/* The fault monitor: poll, read a batch of messages, fill each. */
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

		for (ssize_t i = 0; i < n / (ssize_t)sizeof(msgs[0]); i++) {
			if (msgs[i].event != UFFD_EVENT_PAGEFAULT)
				continue;
			count(&stats.faults);
			fill((unsigned long)msgs[i].arg.pagefault.address);
		}
	}
}

static void *map_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void teardown(void)
{
	if (r.uffd >= 0)
		close(r.uffd);
	if (r.stop[0] >= 0) {
		close(r.stop[0]);
		close(r.stop[1]);
	}
	if (r.bounce)
		munmap(r.bounce, r.psize);
	if (r.fifo)
		munmap(r.fifo, r.fifo_cap * sizeof(size_t));
	if (r.base)
		munmap(r.base, r.len);
	memset(&r, 0, sizeof(r));
}

void *umap_ex(void *addr, size_t len, int prot, int flags,
	      struct umap_store *store, off_t offset)
{
	struct umap_config c;
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
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
	r.writable = !!(prot & PROT_WRITE);
	r.store = store;
	r.offset = offset;
	r.high = c.bufsize * c.high_water / 100;
	r.low = c.bufsize * c.low_water / 100;
	if (!r.high)
		r.high = 1;
	if (r.low >= r.high)
		r.low = r.high - 1;
	r.fifo_cap = r.high;
	/* Over-map by a umap page so that the region can be psize aligned. */
	void *m = mmap(addr, r.len + r.psize, prot, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (m == MAP_FAILED) {
		err = errno;
		goto fail;
	}
	r.base = (char *)(((uintptr_t)m + r.psize - 1) & ~(r.psize - 1));
	if ((char *)m != r.base)
		munmap(m, (size_t)(r.base - (char *)m));
	munmap(r.base + r.len, (size_t)((char *)m + r.psize - r.base));
	r.bounce = map_anon(r.psize);
	r.fifo = map_anon(r.fifo_cap * sizeof(size_t));
	if (!r.bounce || !r.fifo) {
		err = ENOMEM;
		goto fail;
	}
	r.uffd = (int)syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	reg.range.start = (unsigned long)r.base;
	reg.range.len = r.len;
	if (r.uffd < 0 || syscall(__NR_ioctl, r.uffd, UFFDIO_API, &api) ||
	    syscall(__NR_ioctl, r.uffd, UFFDIO_REGISTER, &reg) ||
	    syscall(__NR_pipe2, r.stop, O_CLOEXEC)) {
		err = errno;
		goto fail;
	}
	err = thread_create(&r.monitor, monitor, NULL);
	if (err)
		goto fail;
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
	char b = 0;

	if (!r.base || addr != r.base || len > r.len) {
		errno = EINVAL;
		return -1;
	}
	if (write(r.stop[1], &b, 1) == 1)
		thread_join(r.monitor, NULL);
	/* The monitor is gone: the present pages can be read freely. */
	for (; r.fifo_len; r.fifo_len--) {
		write_back(r.fifo[r.fifo_head]);
		r.fifo_head = (r.fifo_head + 1) % r.fifo_cap;
	}
	teardown();
	return 0;
}
