/*
 * malloc.c - malloc/free/calloc/realloc on anonymous mmap.
 *
 * Small requests (up to 4080 bytes) come from eight size classes whose
 * blocks, header included, are powers of two from 32 to 4096 bytes; blocks
 * are cut from 64 KiB chunks mapped on demand and recycled through one
 * free list per class (chunks are kept until exit). Larger requests get a
 * mapping of their own that free() unmaps. Every block starts with a
 * 16-byte header (so payloads are 16-byte aligned) naming its class and
 * carrying a magic word that catches frees of foreign pointers and double
 * frees (both abort). One spinlock makes it safe to call from threads.
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HDR	   16
#define MIN_SHIFT  5 /* 32-byte blocks */
#define NCLASSES   8 /* ... 4096-byte blocks */
#define CHUNK	   (64 * 1024)
#define LARGE	   0xff
#define MAGIC_USED 0x6d616c6cU /* "mall" */
#define MAGIC_FREE 0x66726565U /* "free" */

struct hdr {
	uint32_t magic;
	uint32_t cls; /* size class, or LARGE */
	size_t size;  /* LARGE: the mapping's length */
};

struct free_block {
	struct hdr h;
	struct free_block *next;
};

static struct free_block *free_list[NCLASSES];
static char *chunk_cur, *chunk_end; /* the unused tail of the last chunk */
static volatile char lock;

static void lock_acquire(void)
{
	while (__atomic_test_and_set(&lock, __ATOMIC_ACQUIRE))
		sched_yield();
}

static void lock_release(void)
{
	__atomic_clear(&lock, __ATOMIC_RELEASE);
}

static size_t class_size(unsigned cls)
{
	return (size_t)1 << (cls + MIN_SHIFT);
}

static void corrupt(const char *what, void *p)
{
	fprintf(stderr, "malloc: %s %p\n", what, p);
	abort();
}

/* Called with the lock held. */
static struct hdr *small_alloc(unsigned cls)
{
	size_t bs = class_size(cls);
	struct free_block *b = free_list[cls];

	if (b) {
		free_list[cls] = b->next;
		return &b->h;
	}
	if ((size_t)(chunk_end - chunk_cur) < bs) {
		/* Hand what is left of the old chunk out as smaller blocks. */
		while (chunk_end - chunk_cur >= (1 << MIN_SHIFT)) {
			unsigned c = NCLASSES - 1;
			struct free_block *f = (struct free_block *)chunk_cur;

			while (class_size(c) > (size_t)(chunk_end - chunk_cur))
				c--;
			f->h.magic = MAGIC_FREE;
			f->h.cls = c;
			f->next = free_list[c];
			free_list[c] = f;
			chunk_cur += class_size(c);
		}
		chunk_cur = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (chunk_cur == MAP_FAILED) {
			chunk_cur = chunk_end = NULL;
			return NULL;
		}
		chunk_end = chunk_cur + CHUNK;
	}
	b = (struct free_block *)chunk_cur;
	chunk_cur += bs;
	return &b->h;
}

void *malloc(size_t size)
{
	struct hdr *h;
	unsigned cls = 0;

	if (size > class_size(NCLASSES - 1) - HDR) {
		size_t len;

		if (size > SIZE_MAX / 2) {
			errno = ENOMEM;
			return NULL;
		}
		len = (size + HDR + 4095) & ~(size_t)4095;
		h = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (h == MAP_FAILED)
			return NULL; /* errno from mmap */
		h->cls = LARGE;
		h->size = len;
	} else {
		while (class_size(cls) - HDR < size)
			cls++;
		lock_acquire();
		h = small_alloc(cls);
		lock_release();
		if (!h) {
			errno = ENOMEM;
			return NULL;
		}
		h->cls = cls;
		h->size = class_size(cls);
	}
	h->magic = MAGIC_USED;
	return (char *)h + HDR;
}

static struct hdr *header_of(void *p)
{
	struct hdr *h = (struct hdr *)((char *)p - HDR);

	if (((uintptr_t)p & (HDR - 1)) != 0)
		corrupt("free of a misaligned pointer", p);
	if (h->magic == MAGIC_FREE)
		corrupt("double free of", p);
	if (h->magic != MAGIC_USED || (h->cls >= NCLASSES && h->cls != LARGE))
		corrupt("free of a pointer malloc did not return (or a corrupted heap):",
			p);
	return h;
}

void free(void *p)
{
	struct hdr *h;
	struct free_block *b;

	if (!p)
		return;
	h = header_of(p);
	if (h->cls == LARGE) {
		h->magic = MAGIC_FREE;
		munmap(h, h->size);
		return;
	}
	b = (struct free_block *)h;
	h->magic = MAGIC_FREE;
	lock_acquire();
	b->next = free_list[h->cls];
	free_list[h->cls] = b;
	lock_release();
}

void *calloc(size_t nmemb, size_t size)
{
	void *p;

	if (size && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(nmemb * size);
	if (p)
		memset(p, 0, nmemb * size);
	return p;
}

void *realloc(void *p, size_t size)
{
	struct hdr *h;
	size_t have;
	void *n;

	if (!p)
		return malloc(size);
	if (size == 0) {
		free(p);
		return NULL;
	}
	h = header_of(p);
	have = h->size - HDR;
	if (size <= have && (h->cls == LARGE || h->cls == 0 ||
			     size > class_size(h->cls - 1) - HDR))
		return p; /* fits, and not worth shrinking */
	n = malloc(size);
	if (!n)
		return NULL;
	memcpy(n, p, size < have ? size : have);
	free(p);
	return n;
}
