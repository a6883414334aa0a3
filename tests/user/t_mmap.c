/*
 * t_mmap - anonymous mmap/munmap/mprotect and brk/sbrk with Linux's
 * semantics: fresh memory reads as zero, writes stick, bad arguments are
 * EINVAL, an unmapped or read-only page kills a child that touches it
 * with SIGSEGV, and the break grows and shrinks.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mmap"
#include "utest.h"
#include <stdint.h>
#include <sys/mman.h>

#define LEN (16 * 4096)

static volatile unsigned char *area;

static int touch(void *arg)
{
	(void)arg;
	area[0] = 1;
	return 0;
}

static int read_it(void *arg)
{
	(void)arg;
	return area[0] + 1; /* nonzero: the parent sees it survived */
}

int main(void)
{
	unsigned char *p;
	char *b0, *b1;
	size_t i;
	int zero = 1, status;

	p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return utest_done();
	CHECK_EQ((uintptr_t)p % 4096, 0);
	for (i = 0; i < LEN; i++)
		if (p[i])
			zero = 0;
	CHECK(zero);
	for (i = 0; i < LEN; i += 4096)
		p[i] = (unsigned char)(i / 4096 + 1);
	for (i = 0; i < LEN; i += 4096)
		CHECK_EQ(p[i], i / 4096 + 1);

	/* A forked child gets a copy: its writes stay its own. */
	area = p;
	status = run_child(touch, NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(p[0], 1);

	/* Read-only, then unmapped: a child touching it dies. */
	CHECK_EQ(mprotect(p, 4096, PROT_READ), 0);
	status = run_child(read_it, NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2);
	expect_signal("write to a PROT_READ page", touch, NULL, SIGSEGV);
	CHECK_EQ(mprotect(p, 4096, PROT_READ | PROT_WRITE), 0);
	p[0] = 9;
	CHECK_EQ(p[0], 9);
	CHECK_EQ(munmap(p, LEN), 0);
	expect_signal("read after munmap", read_it, NULL, SIGSEGV);

	CHECK_ERR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		  EINVAL);
	CHECK_ERR(mmap(NULL, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERR(munmap((void *)((uintptr_t)p + 1), 4096), EINVAL);
	CHECK_EQ(munmap(p, LEN), 0); /* unmapping nothing is fine */

	b0 = sbrk(0);
	CHECK(b0 != (void *)-1);
	b1 = sbrk(3 * 4096);
	CHECK(b1 == b0);
	if (b1 != (void *)-1) {
		memset(b1, 0x5a, 3 * 4096);
		CHECK_EQ(b1[3 * 4096 - 1], 0x5a);
		CHECK(sbrk(0) == b0 + 3 * 4096);
		CHECK(sbrk(-3 * 4096) == b0 + 3 * 4096);
		CHECK(sbrk(0) == b0);
	}
	return utest_done();
}
