/*
 * mm_util.h - helpers shared by the mm semantics tests (tests/user/t_mm_*.c:
 * mmap, munmap, mprotect, madvise and brk behave as their Linux man pages
 * say). Include after utest.h. Standard calls only: each test also builds
 * against glibc and passes on Linux.
 *
 *   PAGE                    4096 (bytes)
 *   map_anon(len, prot)     mmap(NULL, len, prot, MAP_PRIVATE|MAP_ANONYMOUS);
 *                           MAP_FAILED with errno on error
 *   free_hole(len)          an address where len bytes are not mapped now
 *                           (mapped and unmapped again), or NULL
 *   child_read(addr)        fns for run_child/expect_signal: read one byte
 *   child_write(addr)       at addr / write 0x77 there (child_read returns
 *                           (the byte + 1) & 0xff, child_write 0, as the
 *                           child's exit status if it survives)
 *   expect_read_ok(what, addr, val)   a child reads val at addr and lives
 *   expect_write_ok(what, addr)       a child writes at addr and lives
 *                           (each records a FAIL otherwise)
 *   all_bytes(p, len, c)    1 iff every byte of [p, p + len) is c
 *   settled_free_pages()    this kernel's free pages once three reads
 *                           10 ms apart agree (a reaped child's last
 *                           pages may come back a little later); -1 on
 *                           Linux, where meminfo() is ENOSYS
 */
#ifndef MM_UTIL_H
#define MM_UTIL_H

#include <private.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>

#define PAGE 4096UL

static inline void *map_anon(size_t len, int prot)
{
	return mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static inline void *free_hole(size_t len)
{
	void *p = map_anon(len, PROT_NONE);

	if (p == MAP_FAILED)
		return NULL;
	if (munmap(p, len) != 0)
		return NULL;
	return p;
}

static inline int child_read(void *addr)
{
	return (*(volatile unsigned char *)addr + 1) & 0xff;
}

static inline int child_write(void *addr)
{
	*(volatile unsigned char *)addr = 0x77;
	return 0;
}

static inline void expect_read_ok(const char *what, void *addr,
				  unsigned char val)
{
	int status = run_child(child_read, addr);

	utest_checks++;
	if (status == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != ((val + 1) & 0xff)) {
		utest_failures++;
		diag("FAIL %s: expected a child to read %u and exit %u", what,
		     val, (val + 1u) & 0xff);
		if (status != -1)
			describe_status(what, status);
	}
}

static inline void expect_write_ok(const char *what, void *addr)
{
	int status = run_child(child_write, addr);

	utest_checks++;
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		utest_failures++;
		diag("FAIL %s: expected a child to write and exit 0", what);
		if (status != -1)
			describe_status(what, status);
	}
}

/* 1 iff every byte of [p, p + len) is c. */
static inline int all_bytes(const void *p, size_t len, unsigned char c)
{
	const volatile unsigned char *q = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (q[i] != c)
			return 0;
	return 1;
}

static inline long settled_free_pages(void)
{
	struct timespec ts = { 0, 10 * 1000000L };
	struct meminfo mi, next;
	int same = 0;

	if (meminfo(&mi) != 0)
		return -1;
	for (int tries = 0; tries < 200 && same < 2; tries++) {
		nanosleep(&ts, NULL);
		if (meminfo(&next) != 0)
			return -1;
		same = next.free_pages == mi.free_pages ? same + 1 : 0;
		mi = next;
	}
	return (long)mi.free_pages;
}

#endif
