/*
 * t_uffd_poe - a range registered with a userfaultfd never takes the POE
 * fast path (docs/userfaultfd.md, docs/poe.md): registering a warm POE
 * region (every PTE marked POEable) clears its marks, and nothing marks
 * it again, so every first touch of its pages reaches the monitor, in
 * order, and the walker's hit count does not move; a POE region beside
 * it, not registered, still takes the fast path (the check can fail).
 * This kernel only (POE): skipped on Linux.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_uffd_poe"
#include "utest.h"
#include "mm_util.h"
#include "poe_util.h"
#include <fcntl.h>
#if __has_include(<sys/ioctl.h>)
#include <sys/ioctl.h> /* glibc: _IOWR for Linux's header */
#endif
#include <linux/userfaultfd.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <thread.h>

#define PG     4096UL
#define NPAGES 64UL

static volatile int go, done;
static unsigned char *region;

/* Made before POE is on, so its stack is no POE region: waits for go,
 * then writes byte 1 of every page of the region, in order. */
static void *toucher(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&go, __ATOMIC_SEQ_CST))
		cpu_relax();
	for (unsigned long i = 0; i < NPAGES; i++)
		region[i * PG + 1] = (unsigned char)(i + 1);
	__atomic_store_n(&done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

int main(void)
{
	static unsigned char src[PG]; /* bss: mapped before POE is on */
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct poe_stats s0, s1, s2;
	unsigned long next = 0, bad = 0;
	unsigned char *control;
	thread_t t;
	int fd;

	if (thread_create(&t, toucher, NULL)) {
		diag("FAIL thread_create");
		return 1;
	}
	poe_require();
	region = map_anon(NPAGES * PG, PROT_READ | PROT_WRITE);
	control = map_anon(NPAGES * PG, PROT_READ | PROT_WRITE);
	CHECK(region != MAP_FAILED && control != MAP_FAILED);
	if (region == MAP_FAILED || control == MAP_FAILED)
		return utest_done();
	poe_wait_idle(); /* both regions marked */

	fd = (int)syscall(__NR_userfaultfd, O_NONBLOCK);
	CHECK(fd >= 0);
	CHECK_EQ(syscall(__NR_ioctl, fd, UFFDIO_API, &api), 0);
	reg.range.start = (uintptr_t)region;
	reg.range.len = NPAGES * PG;
	CHECK_EQ(syscall(__NR_ioctl, fd, UFFDIO_REGISTER, &reg), 0);
	poe_sleep_ms(20); /* a pre-fault thread would have marked by now */
	if (poe_stats_now(&s0))
		return utest_done();

	/* Every page's fault comes to us, in order: a page the walker
	 * mapped would send none, and the next message would be early. */
	__atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
	for (int spins = 0; next < NPAGES && spins < 5000;) {
		struct uffd_msg msg;
		struct uffdio_copy copy;

		if (read(fd, &msg, sizeof(msg)) != (long)sizeof(msg)) {
			poe_sleep_ms(1);
			spins++;
			continue;
		}
		if (msg.arg.pagefault.address !=
		    (uintptr_t)region + next * PG) {
			diag("FAIL fault %lu at %#llx, expected page %lu", next,
			     (unsigned long long)msg.arg.pagefault.address,
			     next);
			bad++;
			next = (msg.arg.pagefault.address - (uintptr_t)region) /
			       PG;
		}
		memset(src, (int)(0x40 + next), PG);
		copy = (struct uffdio_copy){ .dst = (uintptr_t)region +
						    next * PG,
					     .src = (uintptr_t)src,
					     .len = PG };
		CHECK_EQ(syscall(__NR_ioctl, fd, UFFDIO_COPY, &copy), 0);
		next++;
	}
	CHECK_EQ(next, NPAGES);
	CHECK_EQ(bad, 0);
	thread_join(t, NULL);
	CHECK_EQ(done, 1);
	if (poe_stats_now(&s1))
		return utest_done();
	CHECK_EQ(s1.hits, s0.hits);
	for (unsigned long i = 0; i < NPAGES; i++)
		if (region[i * PG] != (unsigned char)(0x40 + i) ||
		    region[i * PG + 1] != (unsigned char)(i + 1))
			bad++;
	CHECK_EQ(bad, 0);

	/* The region beside it: the fast path still works. */
	for (unsigned long i = 0; i < NPAGES; i++)
		control[i * PG] = 1;
	if (poe_stats_now(&s2))
		return utest_done();
	CHECK(s2.hits > s1.hits);
	diag("hits: %lu in the registered region, %lu in the control",
	     (unsigned long)(s1.hits - s0.hits),
	     (unsigned long)(s2.hits - s1.hits));
	close(fd);
	munmap(region, NPAGES * PG);
	munmap(control, NPAGES * PG);
	poe_wait_pending();
	return utest_done();
}
