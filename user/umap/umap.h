/*
 * umap.h - a small user-level pager on userfaultfd, after LLNL's UMap
 * (github.com/LLNL/umap; docs/umap.md).
 *
 * umap() maps a region of a backing store (a file, or memory) into
 * anonymous memory registered with a userfaultfd. Its pages are not there
 * until touched: one fault-monitor thread reads the fault messages in
 * batches and queues them; UMAP_PAGE_FILLERS filler threads read each
 * page from the store and copy it in (UFFDIO_COPY). At most UMAP_BUFSIZE
 * umap pages are present: when a fill finds UMAP_EVICT_HIGH_WATER_THRESHOLD
 * percent of the buffer present, UMAP_PAGE_EVICTORS evictor threads drop
 * the oldest pages (FIFO) until UMAP_EVICT_LOW_WATER_THRESHOLD percent
 * remain, writing each dirty one back first; a filler that finds the
 * buffer full waits for them. A dropped page faults again on its next
 * touch.
 *
 * Dirty pages: where the kernel has write-protect faults (UFFDIO_API
 * answers UFFD_FEATURE_PAGEFAULT_FLAG_WP), a writable region is
 * registered MISSING|WP, a page read in is mapped write-protected
 * (UFFDIO_COPY_MODE_WP), and its first write is a WP fault that marks it
 * dirty and un-protects it (UFFDIO_WRITEPROTECT mode 0); only dirty pages
 * are written back. Elsewhere every page of a writable region counts as
 * dirty, and a fill waits for the eviction round under way, so that the
 * faulting thread cannot write to a page between its write-back and its
 * drop. umap_stats.wp says which.
 *
 * Used as one translation unit: a program includes umap.c (the build
 * makes one program of one .c file, here and in the ulinux step).
 */
#ifndef UMAP_H
#define UMAP_H

#include <stddef.h>
#include <sys/types.h>

/*
 * struct umap_store - where a region's bytes live (UMap's Store class).
 * Both callbacks move nbytes at byte offset offset of the store and
 * return the bytes moved (a short read past the end: the rest of the page
 * is zero) or -1. They run on the filler and evictor threads, several at
 * once for different pages, and from uunmap().
 */
struct umap_store {
	ssize_t (*read_from_store)(struct umap_store *s, void *buf,
				   size_t nbytes, off_t offset);
	ssize_t (*write_to_store)(struct umap_store *s, const void *buf,
				  size_t nbytes, off_t offset);
	int fd;	     /* the file store's file */
	char *base;  /* the memory store's bytes */
	size_t size; /* ... and their number */
};

/* umap_store_file - s reads and writes fd with pread/pwrite. */
void umap_store_file(struct umap_store *s, int fd);
/* umap_store_mem - s reads and writes the size bytes at base. */
void umap_store_mem(struct umap_store *s, void *base, size_t size);

/*
 * struct umap_config - UMap's environment variables, read by umap() when
 * no umap_cfg_set() came first. UMap's defaults (docs/umap.md), except
 * UMAP_BUFSIZE (UMap: 90% of free memory; here 16384 pages). The thread
 * counts default, as in UMap, to the CPUs this thread may run on.
 */
struct umap_config {
	size_t pagesize;     /* UMAP_PAGESIZE: bytes, a multiple of 4096 */
	size_t bufsize;	     /* UMAP_BUFSIZE: umap pages present at most */
	unsigned fillers;    /* UMAP_PAGE_FILLERS: filler threads, >= 1 */
	unsigned evictors;   /* UMAP_PAGE_EVICTORS: evictor threads, >= 1 */
	unsigned high_water; /* UMAP_EVICT_HIGH_WATER_THRESHOLD: % (90) */
	unsigned low_water;  /* UMAP_EVICT_LOW_WATER_THRESHOLD: % (70) */
	int no_wp; /* not from the environment (0): 1 treats every page of
		    * a writable region as dirty even where WP faults exist,
		    * so that tests run the fallback on Linux too */
};

/* umap_cfg_get - the configuration the next umap() uses. */
void umap_cfg_get(struct umap_config *c);
/*
 * umap_cfg_set - use c instead of the environment; -1 (EINVAL) if bad:
 * pagesize not a multiple of 4096, bufsize 0, no filler or evictor (at
 * most UMAP_MAX_THREADS each), high water 0 or over 100, low water not
 * below high water.
 */
int umap_cfg_set(const struct umap_config *c);
#define UMAP_MAX_THREADS 64

/*
 * The counters, since the program started (monotonic). A filler counts a
 * fill before its UFFDIO_COPY wakes the faulting thread, so a thread that
 * faulted sees its own fill counted; evictions finish in the background:
 * umap_wait_idle() first for exact eviction counts.
 */
struct umap_stats {
	unsigned long faults;	  /* fault messages read (MISSING and WP) */
	unsigned long fills;	  /* pages copied in (UFFDIO_COPY) */
	unsigned long evictions;  /* pages dropped */
	unsigned long writebacks; /* pages written to the store */
	unsigned long wp_faults;  /* write-protect faults: pages made dirty */
	unsigned long fill_us;	  /* time fillers spent: store read + copy */
	unsigned long evict_us; /* time evictors spent: protect, write, drop */
	int wp; /* the last umap(): 1 WP dirty tracking, 0 every page dirty */
};

/* umap_get_stats - a copy of the counters in *st. */
void umap_get_stats(struct umap_stats *st);

/*
 * umap - map len bytes of the file fd from byte offset offset (a multiple
 * of the umap page size) with prot (PROT_READ, PROT_WRITE); flags:
 * MAP_PRIVATE (the only mode; the pager writes back through the store,
 * not the kernel). addr: a hint, as mmap's. Returns the region, or
 * MAP_FAILED with errno (EINVAL, EBUSY: one region at a time here,
 * ENOMEM, EAGAIN: no thread, or the errors of userfaultfd(2)). UMap's
 * umap().
 */
void *umap(void *addr, size_t len, int prot, int flags, int fd, off_t offset);
/* umap_ex - the same over any store (UMap's umap_ex()). */
void *umap_ex(void *addr, size_t len, int prot, int flags,
	      struct umap_store *store, off_t offset);

/*
 * umap_wait_idle - wait until no fill or eviction of the region is in
 * flight (the evictors have reached the low water mark): its counters
 * are then final until the next fault. 0, or -1 (EINVAL) with no region.
 */
int umap_wait_idle(void);

/*
 * uunmap - wait for the pager to be idle, stop its threads, write every
 * dirty present page back, unmap. 0, or -1 with errno EINVAL (not the
 * region).
 */
int uunmap(void *addr, size_t len);

#endif
