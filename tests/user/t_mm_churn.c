/*
 * t_mm_churn - memory comes back (exit frees every page, as on Linux): 20
 * times over, a child maps half of free memory, touches every page, checks
 * it, and exits; every child must succeed, and the kernel's free-page count
 * must return to its starting level after each one.
 *
 * On our kernel "free memory" is meminfo's free_pages. On Linux
 * (meminfo is ENOSYS) each child maps a fixed 256 MiB and the free-memory
 * comparison is skipped.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_churn"
#include "utest.h"
#include "mm_util.h"
#include <private.h>
#include <time.h>

#define ROUNDS	   20
#define LINUX_SIZE (256UL << 20)

static size_t size;

/* hog - a child body: map size bytes, write and check one byte per page;
 * 0, 2 (mmap failed) or 3 (bad data). Exits without munmap. */
static int hog(void *arg)
{
	unsigned char *p;
	size_t i;

	(void)arg;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 2;
	for (i = 0; i < size; i += PAGE)
		p[i] = (unsigned char)(i / PAGE | 1);
	for (i = 0; i < size; i += PAGE)
		if (p[i] != (unsigned char)(i / PAGE | 1) ||
		    p[i + PAGE - 1] != 0)
			return 3;
	return 0; /* exit without munmap: exit must free it all */
}

/* Free pages, waiting up to ~2 s for them to reach want (deferred work
 * may give the last pages back a little after the child is reaped). */
static unsigned long free_pages_settled(unsigned long want)
{
	struct meminfo mi = { 0 };
	struct timespec ts = { 0, 10 * 1000000L };
	int tries;

	for (tries = 0; tries < 200; tries++) {
		if (meminfo(&mi) != 0 || mi.free_pages == want)
			break;
		nanosleep(&ts, NULL);
	}
	return mi.free_pages;
}

/*
 * The baseline: meminfo once the free-page count has stayed the same over
 * three reads 10 ms apart (at most ~2 s). The warm-up child's last pages
 * may come back a little after it is reaped: on several CPUs its page
 * tables go when the last CPU that borrowed its mm (lazy TLB) switches
 * away, so a count taken at once can be a page short, and every round
 * would then seem to free a page more than it took.
 */
static int stable_meminfo(struct meminfo *mi)
{
	struct timespec ts = { 0, 10 * 1000000L };
	struct meminfo next;
	int same = 0;

	if (meminfo(mi) != 0)
		return -1;
	for (int tries = 0; tries < 200 && same < 2; tries++) {
		nanosleep(&ts, NULL);
		if (meminfo(&next) != 0)
			return -1;
		same = next.free_pages == mi->free_pages ? same + 1 : 0;
		*mi = next;
	}
	return 0;
}

int main(void)
{
	struct meminfo before;
	int have_meminfo, round, status, bad_rounds = 0;
	unsigned long now;

	/* Warm up: one fork and the stdio paths, so that the baseline
	 * already counts this process's own pages. */
	diag("starting");
	status = run_child(utest_exit_7, NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);

	have_meminfo = stable_meminfo(&before) == 0;
	if (have_meminfo) {
		size = before.free_pages / 2 * PAGE;
		diag("%lu pages free: each child maps %lu KiB",
		     before.free_pages, (unsigned long)(size >> 10));
	} else {
		size = LINUX_SIZE;
		diag("meminfo: %s (not our kernel): each child maps %lu MiB, "
		     "free memory not compared",
		     strerror(errno), (unsigned long)(size >> 20));
	}

	for (round = 0; round < ROUNDS; round++) {
		status = run_child(hog, NULL);
		if (status == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			bad_rounds++;
			diag("FAIL round %d", round);
			if (status != -1)
				describe_status("hog child", status);
		}
		if (have_meminfo) {
			now = free_pages_settled(before.free_pages);
			if (now != before.free_pages) {
				bad_rounds++;
				diag("FAIL round %d: %lu pages free, %lu before (%+ld)",
				     round, now, before.free_pages,
				     (long)(now - before.free_pages));
			}
		}
	}
	CHECK_EQ(bad_rounds, 0);
	if (have_meminfo)
		CHECK_EQ(free_pages_settled(before.free_pages),
			 before.free_pages);
	diag("%d rounds of %lu KiB", ROUNDS, (unsigned long)(size >> 10));
	return utest_done();
}
