/*
 * umap.h - a small user-level pager on userfaultfd, after LLNL's UMap
 * (github.com/LLNL/umap; docs/umap.md).
 *
 * umap() maps a region of a backing store (a file, or memory) into
 * anonymous memory registered with a userfaultfd (MISSING mode). Its
 * pages are not there until touched: each first touch is a fault that a
 * monitor thread reads, fills from the store with UFFDIO_COPY, and
 * counts. At most UMAP_BUFSIZE umap pages are present: when the present
 * pages reach UMAP_EVICT_HIGH_WATER_THRESHOLD percent of the buffer, the
 * oldest (FIFO) are written back and dropped (MADV_DONTNEED) until
 * UMAP_EVICT_LOW_WATER_THRESHOLD percent remain; a dropped page faults
 * again on its next touch.
 *
 * Without write-protect faults (not in this kernel yet) the pager cannot
 * tell a dirty page from a clean one: every evicted page of a writable
 * mapping is written back.
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
 * is zero) or -1. They run on the monitor thread, and from uunmap().
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
 * no umap_cfg_set() came first. UMap's defaults, except UMAP_BUFSIZE
 * (UMap: 90% of free memory; here 16384 pages) and the thread counts
 * (UMap: the hardware threads; read and reported, but this pager runs one
 * monitor thread that fills and evicts itself).
 */
struct umap_config {
	size_t pagesize;     /* UMAP_PAGESIZE: bytes, a multiple of 4096 */
	size_t bufsize;	     /* UMAP_BUFSIZE: umap pages present at most */
	unsigned fillers;    /* UMAP_PAGE_FILLERS (1 used) */
	unsigned evictors;   /* UMAP_PAGE_EVICTORS (1 used) */
	unsigned high_water; /* UMAP_EVICT_HIGH_WATER_THRESHOLD: % (90) */
	unsigned low_water;  /* UMAP_EVICT_LOW_WATER_THRESHOLD: % (70) */
};

/* umap_cfg_get - the configuration the next umap() uses. */
void umap_cfg_get(struct umap_config *c);
/* umap_cfg_set - use c instead of the environment; -1 (EINVAL) if bad. */
int umap_cfg_set(const struct umap_config *c);

/* The counters, since the program started (monotonic). */
struct umap_stats {
	unsigned long faults;	  /* fault messages read */
	unsigned long fills;	  /* pages copied in (UFFDIO_COPY) */
	unsigned long evictions;  /* pages dropped */
	unsigned long writebacks; /* pages written to the store */
};

void umap_get_stats(struct umap_stats *st);

/*
 * umap - map len bytes of the file fd from byte offset offset (a multiple
 * of the umap page size) with prot (PROT_READ, PROT_WRITE); flags:
 * MAP_PRIVATE (the only mode; the pager writes back through the store,
 * not the kernel). addr: a hint, as mmap's. Returns the region, or
 * MAP_FAILED with errno (EINVAL, EBUSY: one region at a time here,
 * ENOMEM, or the errors of userfaultfd(2)). UMap's umap().
 */
void *umap(void *addr, size_t len, int prot, int flags, int fd, off_t offset);
/* umap_ex - the same over any store (UMap's umap_ex()). */
void *umap_ex(void *addr, size_t len, int prot, int flags,
	      struct umap_store *store, off_t offset);

/*
 * uunmap - stop the monitor, write every present page back (writable
 * mappings), unmap. 0, or -1 with errno EINVAL (not the region).
 */
int uunmap(void *addr, size_t len);

#endif
