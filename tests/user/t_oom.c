/*
 * t_oom - out of memory, on this kernel only: a fork bomb and a memory
 * hog at the same time, under this process as their supervisor
 * (docs/oom.md).
 *
 *   hog    maps twice the machine's memory and writes one byte per page
 *          until the OOM killer kills it: it must die of SIGKILL, never
 *          finish; tools/run_tests.py checks that the console has exactly
 *          one `Out of memory: Killed process PID (t_oom) ...` line in
 *          Linux's format, for the pid this test announces, and no other.
 *   bomb   started once the hog holds three quarters of the free pages:
 *          every process forks until a fork fails with EAGAIN
 *          (max_threads, Linux's guard against root's fork bombs), then
 *          waits for the supervisor; ENOMEM (memory taken by the hog) is
 *          counted and retried. No other error may come, and at least
 *          one fork must fail. A bomb process killed by SIGKILL is
 *          counted, not a failure.
 *
 * Then the supervisor stops the bomb, everything exits and is reaped, and
 * the kernel's free-page count must come back to where it was before
 * (with POE on, once the tables, which the OOM killer may have drained,
 * are full again), and a POE region must still take the fast path.
 *
 * NEVER on Linux: a fork bomb and a hog of twice RAM on a shared host.
 * The test exits 77 (skip) before anything else wherever meminfo() is
 * not there (ENOSYS: not our kernel), and the runner's Linux steps do not
 * select the `oom` group at all.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_oom"
#include "utest.h"
#include <limits.h>
#include <poe.h>
#include <private.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1

/* What the bomb's processes share (MAP_SHARED: one page for all). */
struct shared {
	int stop;    /* futex word: 1 = stop forking, exit */
	int alive;   /* bomb processes made, counted by their parents */
	int waiting; /* of them, those done forking and waiting */
	int forks;   /* forks that worked */
	int eagain;  /* forks that failed with EAGAIN */
	int enomem;  /* ... with ENOMEM */
	int other;   /* ... with anything else */
	int other_errno;
	int killed; /* bomb children reaped killed by SIGKILL */
	int bad;    /* bomb children that ended any other wrong way */
};

static struct shared *sh;

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void add(int *p, int n)
{
	__atomic_add_fetch(p, n, __ATOMIC_SEQ_CST);
}

static int get(int *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

/* With POE on, wait until its tables are full and no pre-fault thread
 * runs (at most ~4 s), as usertests does before it counts free pages. */
static void poe_settle(void)
{
	struct poe_stats st;

	for (int tries = 0; tries < 400; tries++) {
		memset(&st, 0, sizeof(st));
		if (poe_get_stats(&st) < 0 || !st.enabled || poe_settled(&st))
			return;
		sleep_ms(10);
	}
}

/*
 * One process of the bomb: fork until a fork fails (a child goes on doing
 * the same), then wait for the supervisor's stop, reap the children and
 * exit. Never returns.
 */
static void bomb(void)
{
	int retries = 0;

	for (;;) {
		pid_t pid;

		if (get(&sh->stop))
			break;
		pid = fork();
		if (pid == 0)
			continue; /* the child is a bomb process too */
		if (pid > 0) {
			add(&sh->alive, 1);
			add(&sh->forks, 1);
			continue;
		}
		if (errno == EAGAIN) {
			add(&sh->eagain, 1);
		} else if (errno == ENOMEM) {
			/* The hog has the memory: push on, until it is
			 * killed and the bomb meets max_threads instead. */
			add(&sh->enomem, 1);
			if (++retries < 1000) {
				sleep_ms(2);
				continue;
			}
		} else {
			add(&sh->other, 1);
			sh->other_errno = errno;
		}
		break;
	}
	add(&sh->waiting, 1);
	while (!get(&sh->stop)) {
		struct timespec ts = { 0, 200000000L }; /* a lost wake-up */

		syscall(SYS_futex, &sh->stop, FUTEX_WAIT, 0, &ts, (void *)0, 0);
	}
	for (;;) {
		int status;
		pid_t w = wait(&status);

		if (w < 0)
			break;
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			add(&sh->killed, 1);
		else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			add(&sh->bad, 1);
	}
	_exit(0);
}

/* The hog: twice the machine's memory, one byte per page. Returns only if
 * it was never killed (a failure). */
static int hog(unsigned long managed_pages)
{
	size_t len = (size_t)managed_pages * 2 * 4096;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return 3;
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	return 4; /* twice RAM written and still alive */
}

/* After the OOM (after: 1; 0 is the warm-up before the baseline): a
 * fresh POE region still takes the fast path. */
static void poe_still_works(int after)
{
	struct poe_stats st0, st1;
	char *p;

	memset(&st0, 0, sizeof(st0));
	if (poe_get_stats(&st0) < 0 || !st0.proc_enabled)
		return;
	p = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	sleep_ms(20); /* the pre-fault thread marks the region */
	for (int i = 0; i < 64; i++)
		p[i * 4096] = 1;
	memset(&st1, 0, sizeof(st1));
	CHECK(poe_get_stats(&st1) >= 0);
	if (after)
		diag("poe after the OOM: %lu fast-path hits in 64 pages; %lu table pages given back to the OOM killer",
		     st1.hits - st0.hits, st1.oom_drained_pages);
	CHECK(st1.hits > st0.hits);
	munmap(p, 64 * 4096);
}

int main(void)
{
	struct meminfo before, after;
	pid_t hog_pid, bomb_pid, w;
	int status, tries, done, last = -1, still = 0;
	long t0;

	/* Not our kernel (Linux): never run a fork bomb or a hog there. */
	if (meminfo(&before) != 0) {
		diag("SKIP meminfo: %s: not this kernel; a fork bomb and a "
		     "memory hog run only there",
		     strerror(errno));
		return UTEST_SKIP;
	}
	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(sh != MAP_FAILED);
	if (sh == MAP_FAILED)
		return utest_done();
	/* What the check after the OOM maps and unmaps (page tables that
	 * may stay), and the stack and code of the calls below: counted in
	 * the baseline. */
	poe_still_works(0);
	sleep_ms(1);
	poe_settle();
	/* Three reads 10 ms apart that agree: a refill on another CPU
	 * holds up to a batch of zeroed pages (64) between the zeroed list
	 * and its table, and a baseline taken then is that much low. */
	CHECK_EQ(meminfo(&before), 0);
	for (int same = 0, tries = 0; same < 2 && tries < 200; tries++) {
		struct meminfo now;

		sleep_ms(10);
		if (meminfo(&now) != 0)
			break;
		same = now.free_pages == before.free_pages ? same + 1 : 0;
		before = now;
	}
	diag("%lu of %lu pages free, %lu tasks", before.free_pages,
	     before.managed_pages, before.nr_tasks);

	fflush(stdout);
	t0 = now_ms();
	hog_pid = fork();
	if (hog_pid == 0)
		_exit(hog(before.managed_pages));
	CHECK(hog_pid > 0);
	/* tools/run_tests.py pairs this line with the kernel's. */
	diag("hog pid %d maps %lu kB: the OOM killer's line must name it",
	     (int)hog_pid, before.managed_pages * 2 * 4);
	/* The bomb starts once the hog has three quarters of the free
	 * pages: its forks and faults then meet the hog's exhaustion (at
	 * most ~15 s). */
	for (tries = 0; tries < 3000; tries++) {
		struct meminfo mi;

		if (meminfo(&mi) == 0 && mi.free_pages < before.free_pages / 4)
			break;
		sleep_ms(5);
	}
	sh->alive = 1; /* the bomb's first process */
	bomb_pid = fork();
	if (bomb_pid == 0)
		bomb();
	CHECK(bomb_pid > 0);

	w = waitpid(hog_pid, &status, 0);
	CHECK_EQ(w, hog_pid);
	describe_status("hog", status);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	diag("hog killed after %ld ms", now_ms() - t0);

	/* The bomb is done when every process it made waits; a process
	 * killed never waits, so give up waiting when nothing moved for
	 * ~2 s. */
	for (tries = 0, done = 0; tries < 3000; tries++) {
		int now = get(&sh->waiting);

		/* Three looks in a row: a child may count itself waiting
		 * before its parent counted it alive. */
		done = now == get(&sh->alive) ? done + 1 : 0;
		if (done == 3)
			break;
		still = now == last ? still + 1 : 0;
		if (still >= 200)
			break;
		last = now;
		sleep_ms(10);
	}
	diag("bomb: %d processes, %d waiting; %d forks, %d EAGAIN, %d ENOMEM, %d other",
	     get(&sh->alive), get(&sh->waiting), get(&sh->forks),
	     get(&sh->eagain), get(&sh->enomem), get(&sh->other));
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &sh->stop, FUTEX_WAKE, INT_MAX, (void *)0, (void *)0,
		0);
	w = waitpid(bomb_pid, &status, 0);
	CHECK_EQ(w, bomb_pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Orphans of killed bomb processes belong to init: give them time. */
	diag("bomb: %d children killed, %d ended otherwise", get(&sh->killed),
	     get(&sh->bad));
	CHECK(get(&sh->eagain) + get(&sh->enomem) > 0);
	CHECK_EQ(get(&sh->other), 0);
	if (get(&sh->other))
		diag("a fork failed with %s", strerror(sh->other_errno));
	CHECK_EQ(get(&sh->bad), 0);

	/* The tables full again (the OOM killer may have drained them). */
	poe_settle();
	poe_still_works(1);
	for (tries = 0; tries < 500; tries++) {
		poe_settle();
		if (meminfo(&after) == 0 &&
		    after.free_pages == before.free_pages &&
		    after.nr_tasks == before.nr_tasks)
			break;
		sleep_ms(10);
	}
	diag("free pages: %lu before, %lu after; tasks: %lu before, %lu after; %ld ms in all",
	     before.free_pages, after.free_pages, before.nr_tasks,
	     after.nr_tasks, now_ms() - t0);
	CHECK_EQ(after.free_pages, before.free_pages);
	CHECK_EQ(after.nr_tasks, before.nr_tasks);
	return utest_done();
}
