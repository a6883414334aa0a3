/*
 * kmalloc.h - the kernel heap (mm/kmalloc.c): power-of-two size classes
 * from 16 bytes to 2 KiB carved from single pages, and whole buddy blocks
 * for anything larger, as Linux's kmalloc() over SLAB/SLUB.
 */
#ifndef MM_KMALLOC_H
#define MM_KMALLOC_H

#include <kernel/types.h>

#define KMALLOC_MIN_SIZE       16   /* bytes; also the minimum alignment */
#define KMALLOC_MAX_CACHE_SIZE 2048 /* bytes; larger sizes use pages */

/*
 * kmalloc - allocate size bytes, aligned to at least 16 bytes (to the
 * size's power of two up to a page for size classes, a page for larger).
 * Returns NULL for size 0, for sizes above 2^MAX_PAGE_ORDER pages, or when
 * memory is exhausted. The memory is not zeroed.
 */
void *kmalloc(size_t size);

/* kzalloc - kmalloc() and zero the memory. Same errors. */
void *kzalloc(size_t size);

/*
 * kfree - free memory from kmalloc(). NULL is ignored. A pointer that is
 * already free, or that kmalloc never returned, is reported as a double or
 * invalid free naming the caller (%pS) and otherwise ignored.
 */
void kfree(const void *ptr);

/* ksize - usable bytes of an allocation (its size class), 0 for NULL. */
size_t ksize(const void *ptr);

/* kmalloc_bad_frees - double or invalid kfree()s detected since boot. */
unsigned long kmalloc_bad_frees(void);

#endif
