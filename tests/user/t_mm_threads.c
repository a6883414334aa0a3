/*
 * t_mm_threads - threads fault on one address space while another
 * thread of it maps, unmaps, re-protects and drops pages (mmap(2),
 * munmap(2), mprotect(2), madvise(2) with MADV_DONTNEED), as Linux allows
 * at any moment. What must hold (Linux's semantics, and the kernel's
 * locking: faults take mmap_lock for reading, the mmap family for
 * writing, page tables change under their split page-table locks,
 * docs/concurrency.md):
 *
 *   - a fresh anonymous mapping reads as zeros, and a byte written to it
 *     reads back, page by page, although page tables under and around
 *     it are built and freed by the other threads meanwhile;
 *   - a page of the shared region keeps every thread's bytes while its
 *     VMA is split and merged again by mprotect (PROT_EXEC on and off);
 *   - after MADV_DONTNEED a private page reads as zeros.
 *
 * Everything happens inside one reserved window of 4 MiB (two page
 * tables' worth), so MAP_FIXED never lands on anything else of the
 * process, and unmapping puts PROT_NONE back instead of leaving a hole.
 * With one CPU the threads interleave where the timer preempts them,
 * which since faults run with interrupts on can be in the middle of a
 * fault, holding mmap_lock, while the mutator waits for it.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_threads"
#include "utest.h"
#include "mm_util.h"
#include <sched.h>
#include <sys/syscall.h>
#include <thread.h>

#define WINDOW	     (4UL << 20) /* bytes, 2 MiB aligned */
#define NFAULTERS    3
#define SLOT_PAGES   24
#define SHARED_PAGES 16
#define CHURN_PAGES  40
#define ITERS	     150

static unsigned char *win;	  /* the window */
static int faulters_done;	  /* atomic */
static int errors[NFAULTERS + 1]; /* per thread; [NFAULTERS]: mutator */
static long mutator_rounds;

/* The shared region: first pages of the window (its own page table). */
static unsigned char *shared(void)
{
	return win;
}

/* Faulter i's slot, and the mutator's churn region: in the second page
 * table, next to each other, so that their tables are shared and freed. */
static unsigned char *slot(int i)
{
	return win + (2UL << 20) + (unsigned long)i * SLOT_PAGES * PAGE;
}

static unsigned char *churn(void)
{
	return slot(NFAULTERS);
}

static unsigned char *dontneed(void)
{
	return win + (1UL << 20);
}

static int map_fixed(void *p, size_t len, int prot)
{
	void *q = mmap(p, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		       -1, 0);

	return q == p ? 0 : -1;
}

static void *faulter(void *arg)
{
	int i = (int)(long)arg;
	unsigned char last[SHARED_PAGES] = { 0 };
	unsigned char *s = slot(i), *sh = shared();

	/* Start only once the mutator runs, so that the two overlap however
	 * the threads are placed on the CPUs (about 5 s at most). */
	for (long w = 0; !__atomic_load_n(&mutator_rounds, __ATOMIC_SEQ_CST);
	     w++) {
		if (w == 5000000L) {
			errors[i]++;
			break;
		}
		cpu_relax();
		syscall(SYS_sched_yield);
	}
	for (int it = 0; it < ITERS; it++) {
		unsigned char v = (unsigned char)(it * 7 + i + 1) | 1;

		if (map_fixed(s, SLOT_PAGES * PAGE, PROT_READ | PROT_WRITE)) {
			errors[i]++;
			break;
		}
		for (unsigned long pg = 0; pg < SLOT_PAGES; pg++) {
			volatile unsigned char *b = s + pg * PAGE + pg;

			if (*b != 0)
				errors[i]++; /* fresh memory is zeros */
			*b = v;
		}
		for (unsigned long pg = 0; pg < SLOT_PAGES; pg++)
			if (((volatile unsigned char *)s)[pg * PAGE + pg] != v)
				errors[i]++;
		/* Our byte of each shared page is still what we wrote. */
		for (unsigned long pg = 0; pg < SHARED_PAGES; pg++) {
			volatile unsigned char *b = sh + pg * PAGE + 64 * i;

			if (*b != last[pg])
				errors[i]++;
			last[pg] = (unsigned char)(last[pg] + 1);
			*b = last[pg];
		}
		if (map_fixed(s, SLOT_PAGES * PAGE, PROT_NONE)) {
			errors[i]++;
			break;
		}
		if (it % 4 == i % 4)
			syscall(SYS_sched_yield);
	}
	__atomic_add_fetch(&faulters_done, 1, __ATOMIC_SEQ_CST);
	return (void *)(long)(200 + i);
}

static void *mutator(void *arg)
{
	int *err = &errors[NFAULTERS];
	unsigned char *sh = shared(), *c = churn(), *z = dontneed();

	(void)arg;
	while (__atomic_load_n(&faulters_done, __ATOMIC_SEQ_CST) < NFAULTERS) {
		unsigned long k = (unsigned long)mutator_rounds % SHARED_PAGES;

		/* Split the shared VMA around page k, then merge it back. */
		if (mprotect(sh + k * PAGE, PAGE,
			     PROT_READ | PROT_WRITE | PROT_EXEC) ||
		    mprotect(sh + k * PAGE, PAGE, PROT_READ | PROT_WRITE))
			(*err)++;
		/* Map, fill, unmap; then give the range back to PROT_NONE. */
		if (map_fixed(c, CHURN_PAGES * PAGE, PROT_READ | PROT_WRITE)) {
			(*err)++;
			break;
		}
		for (unsigned long pg = 0; pg < CHURN_PAGES; pg++)
			c[pg * PAGE] = 0x5a;
		if (munmap(c, CHURN_PAGES * PAGE) ||
		    map_fixed(c, CHURN_PAGES * PAGE, PROT_NONE))
			(*err)++;
		/* Fill, drop, read zeros. */
		for (unsigned long pg = 0; pg < 8; pg++)
			z[pg * PAGE + 5] = 0xa5;
		if (madvise(z, 8 * PAGE, MADV_DONTNEED))
			(*err)++;
		for (unsigned long pg = 0; pg < 8; pg++)
			if (((volatile unsigned char *)z)[pg * PAGE + 5] != 0)
				(*err)++;
		__atomic_add_fetch(&mutator_rounds, 1, __ATOMIC_SEQ_CST);
	}
	return (void *)300L;
}

int main(void)
{
	unsigned char *raw;
	thread_t t[NFAULTERS + 1];
	int created = 0;

	/* A 2 MiB aligned window inside a bigger PROT_NONE reservation. */
	raw = map_anon(WINDOW + (2UL << 20), PROT_NONE);
	CHECK(raw != MAP_FAILED);
	if (raw == MAP_FAILED)
		return utest_done();
	win = (unsigned char *)(((unsigned long)raw + (2UL << 20) - 1) &
				~((2UL << 20) - 1));
	CHECK_EQ(map_fixed(shared(), SHARED_PAGES * PAGE,
			   PROT_READ | PROT_WRITE),
		 0);
	CHECK_EQ(map_fixed(dontneed(), 8 * PAGE, PROT_READ | PROT_WRITE), 0);

	for (int i = 0; i <= NFAULTERS; i++) {
		int e = thread_create(&t[i], i < NFAULTERS ? faulter : mutator,
				      (void *)(long)i);

		if (e) {
			diag("FAIL thread_create %d: %s", i, strerror(e));
			utest_failures++;
			break;
		}
		created++;
	}
	for (int i = 0; i < created; i++) {
		void *ret = NULL;

		CHECK_EQ(thread_join(t[i], &ret), 0);
		CHECK_EQ((long)ret, i < NFAULTERS ? 200 + i : 300);
	}
	diag("%d faulters x %d rounds of %d pages; mutator %ld rounds",
	     NFAULTERS, ITERS, SLOT_PAGES, mutator_rounds);
	for (int i = 0; i <= NFAULTERS; i++) {
		if (errors[i])
			diag("FAIL thread %d saw %d errors", i, errors[i]);
		CHECK_EQ(errors[i], 0);
	}
	CHECK(mutator_rounds > 0);
	/* Every shared page holds each faulter's last byte. */
	for (unsigned long pg = 0; pg < SHARED_PAGES; pg++)
		for (int i = 0; i < NFAULTERS; i++)
			CHECK_EQ(shared()[pg * PAGE + 64 * i],
				 (unsigned char)ITERS);
	munmap(raw, WINDOW + (2UL << 20));
	return utest_done();
}
