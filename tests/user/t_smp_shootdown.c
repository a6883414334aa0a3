/*
 * t_smp_shootdown - after munmap, mprotect(PROT_NONE),
 * madvise(MADV_DONTNEED) or a move by mremap returns, no thread on any CPU may still reach the
 * old page through a stale TLB entry (the TLB shootdown rule:
 * docs/concurrency.md).
 *
 *   t_smp_shootdown [ROUNDS]     (default 30 rounds of each call)
 *
 * Each round runs in a child process with two threads pinned to two
 * different CPUs (when there are two): the toucher keeps one page's
 * translation hot in its CPU's TLB by touching it in a tight loop; the
 * other thread, on another CPU, makes the call, and only after it
 * returned tells the toucher to touch the page once more:
 *   munmap, mprotect(PROT_NONE)  that touch must fault: the child dies of
 *                                SIGSEGV. A stale entry lets it through,
 *                                and the child exits normally instead.
 *   madvise(MADV_DONTNEED)       that read must see a fresh zero page; a
 *                                stale entry still shows the old byte.
 *   mremap(MREMAP_FIXED)         the page moved away: as munmap.
 *   mremap(MREMAP_DONTUNMAP)     the page moved away, the old address
 *                                stays mapped: as madvise.
 * Without a shootdown the toucher's CPU keeps the entry: nothing else
 * flushes it while the toucher spins in user mode. With one CPU the race
 * cannot happen, and the test only checks the semantics.
 *
 * Runs on Linux too (tools/run_tests.py, ulinux), the oracle.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_smp_shootdown"
#include "utest.h"
#include "mm_util.h"
#include "smp_util.h"
#include <sched.h>
#include <sys/syscall.h>
#include <thread.h>

enum op {
	OP_MUNMAP,
	OP_MPROTECT,
	OP_DONTNEED,
	OP_MREMAP,
	OP_DONTUNMAP,
	NR_OPS
};
static const char *const op_name[NR_OPS] = { "munmap", "mprotect(PROT_NONE)",
					     "madvise(MADV_DONTNEED)",
					     "mremap(MREMAP_FIXED)",
					     "mremap(MREMAP_DONTUNMAP)" };

/* The reads-only calls: the page stays mapped, and reads zero after. */
static int reads_zero(enum op op)
{
	return op == OP_DONTNEED || op == OP_DONTUNMAP;
}

#define OLD_BYTE   0x5a
#define WAIT_LOOPS 5000000L /* yields: a few seconds at most */

/* In a MAP_SHARED page, so the parent reads what the child saw. */
struct shared {
	volatile int ready;    /* the toucher has the page's entry */
	volatile int phase;    /* 1: the call has returned */
	volatile int survived; /* the last touch did not fault */
	volatile int seen;     /* what the last read returned */
};

static struct shared *sh;
static volatile unsigned char *victim;
static int cpu_a, cpu_b;

/* The toucher: hot loop on the page, then one touch after the call. */
static void *toucher(void *arg)
{
	enum op op = (enum op)(long)arg;
	unsigned char v;

	smp_pin(cpu_b);
	v = victim[64];
	__atomic_store_n(&sh->ready, 1, __ATOMIC_SEQ_CST);
	while (!sh->phase) {
		if (reads_zero(op))
			v = victim[64]; /* reads only: a write would refault */
		else
			victim[0]++;
	}
	v = victim[64]; /* munmap, mprotect: SIGSEGV here */
	sh->seen = v;
	__atomic_store_n(&sh->survived, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static int wait_for(volatile int *flag)
{
	for (long i = 0; i < WAIT_LOOPS; i++) {
		if (__atomic_load_n(flag, __ATOMIC_SEQ_CST))
			return 0;
		cpu_relax();
		syscall(SYS_sched_yield);
	}
	return -1;
}

/* The child: exits 0 when the toucher survived, 2 on a setup failure;
 * dies of SIGSEGV when the toucher's last touch faulted. */
static int child(void *arg)
{
	enum op op = (enum op)(long)arg;
	void *to;
	thread_t t;

	victim = map_anon(PAGE, PROT_READ | PROT_WRITE);
	/* Where mremap moves the page: kept mapped, so that nothing else
	 * (the thread's stack) lands there; MREMAP_FIXED replaces it. */
	to = map_anon(PAGE, PROT_NONE);
	if (victim == MAP_FAILED || to == MAP_FAILED)
		return 2;
	victim[64] = OLD_BYTE;
	smp_pin(cpu_a);
	if (thread_create(&t, toucher, (void *)(long)op))
		return 2;
	if (wait_for(&sh->ready))
		return 3;
	for (volatile int i = 0; i < 2000; i++) /* let the loop run */
		;
	switch (op) {
	case OP_MUNMAP:
		if (munmap((void *)victim, PAGE))
			return 2;
		break;
	case OP_MPROTECT:
		if (mprotect((void *)victim, PAGE, PROT_NONE))
			return 2;
		break;
	case OP_MREMAP:
		if (mremap((void *)victim, PAGE, PAGE,
			   MREMAP_MAYMOVE | MREMAP_FIXED, to) != to)
			return 2;
		break;
	case OP_DONTUNMAP:
		if (mremap((void *)victim, PAGE, PAGE,
			   MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
			   to) != to)
			return 2;
		break;
	default:
		if (madvise((void *)victim, PAGE, MADV_DONTNEED))
			return 2;
		break;
	}
	__atomic_store_n(&sh->phase, 1, __ATOMIC_SEQ_CST);
	if (wait_for(&sh->survived))
		return 3; /* neither a fault nor a finish: a hang */
	return 0;
}

int main(int argc, char **argv)
{
	int cpus[64], n = smp_cpus(cpus, 64), rounds = 30;
	int bad[NR_OPS] = { 0 };

	if (argc > 1)
		rounds = atoi(argv[1]);
	if (rounds <= 0) {
		diag("usage: t_smp_shootdown [ROUNDS > 0]");
		return 2;
	}
	cpu_a = cpus[0];
	cpu_b = n > 1 ? cpus[1] : cpus[0];
	diag("%d CPU(s) allowed; caller on CPU %d, toucher on CPU %d; "
	     "%d rounds of each call",
	     cpus[0] < 0 ? 0 : n, cpu_a, cpu_b, rounds);
	if (n < 2)
		diag("one CPU: no stale entry can exist; checking semantics only");
	sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(sh != MAP_FAILED);
	if (sh == MAP_FAILED)
		return utest_done();
	for (int r = 0; r < rounds; smp_progress(++r, rounds)) {
		for (int op = 0; op < NR_OPS; op++) {
			int status, ok;

			memset((void *)sh, 0, sizeof(*sh));
			status = run_child(child, (void *)(long)op);
			if (reads_zero(op))
				ok = WIFEXITED(status) &&
				     WEXITSTATUS(status) == 0 && sh->seen == 0;
			else
				ok = WIFSIGNALED(status) &&
				     WTERMSIG(status) == SIGSEGV &&
				     !sh->survived;
			if (!ok && bad[op]++ == 0) {
				describe_status(op_name[op], status);
				diag("FAIL round %d, %s: toucher %s, read %#x "
				     "after the call returned",
				     r, op_name[op],
				     sh->survived ? "survived" :
						    "did not survive",
				     sh->seen);
			}
		}
	}
	for (int op = 0; op < NR_OPS; op++) {
		diag("%s: %d of %d rounds saw the page after the call",
		     op_name[op], bad[op], rounds);
		CHECK_EQ(bad[op], 0);
	}
	return utest_done();
}
