/*
 * t_uffd_stress - userfaultfd(2) under load (docs/userfaultfd.md; the
 * shape of Linux's tools/testing/selftests/mm/uffd-stress.c, MISSING
 * mode): 4 faulting threads touch 256 pages each of a registered range
 * while 2 monitor threads read the one userfaultfd (blocking reads) and
 * resolve each fault they read with a random choice of
 *   - UFFDIO_COPY of a page whose every word encodes its own address,
 *   - UFFDIO_ZEROPAGE,
 *   - UFFDIO_COPY with UFFDIO_COPY_MODE_DONTWAKE, then UFFDIO_WAKE.
 * Two threads touch each page, in the same order through a 256-page
 * block, each page at the same time (they meet before each), and a
 * monitor sometimes yields between its read and its answer, so that
 * both threads' messages are often read before the page comes: the
 * second resolution of the page finds it there and fails with EEXIST,
 * which is fine (Linux's answer, `copy` or `zeropage` = -EEXIST), and
 * wakes nobody: the first one's wake is enough. Some touches are writes (of the thread's own
 * word of the page), the rest reads.
 * Checked: each message is a PAGEFAULT on a page-aligned address of the
 * range, from one of the two threads that touch that page (THREAD_ID),
 * WRITE exactly when that thread's touch writes; every page gets one or
 * two messages and exactly one resolution that succeeds, and every
 * other attempt is EEXIST; each thread, once its touch returns, reads
 * the whole page as the monitor made it (the address pattern, or zeros)
 * with its own write in it; at the end every page holds what its one
 * successful resolution put there plus each writer's word. A thread
 * that never wakes (a lost wake-up) fails the test after 30 s instead
 * of hanging it.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_uffd_stress"
#include "utest.h"
#include "uffd_util.h"
#include <sched.h>
#include <sys/mman.h>
#include <thread.h>
#include <time.h>

enum {
	NFAULTERS = 4,
	NMONITORS = 2,
	MPAGES = 256,			 /* pages each faulter touches */
	NPAGES = NFAULTERS * MPAGES / 2, /* two faulters per page */
	NSLOTS = NFAULTERS,		 /* words 0..3: the writers' */
	WORDS = PG / 8,
	WAIT_MS = 30000 /* how long a thread may take */
};

/* How the page was filled: by the one resolution that succeeded. */
enum how {
	NONE,
	COPY,
	ZERO
};

static char *region; /* NPAGES pages, then NMONITORS stop pages */
static int uffd;
static volatile int go;			 /* the faulters start */
static volatile int tids[NFAULTERS + 1]; /* faulters, then main */
static unsigned char page_msgs[NPAGES];	 /* messages per page (atomic) */
static unsigned char page_how[NPAGES];	 /* enum how (atomic) */
static unsigned long doubles;		 /* second successes (atomic) */
static unsigned long met[NFAULTERS / 2]; /* arrivals per pair (atomic) */

/* Word k of the monitor's copy of the page at address a: its own
 * address, with high bits no user address has, so never 0. */
static uint64_t pattern(uintptr_t a, unsigned long k)
{
	return (a + 8 * k) ^ 0xA5A5000000000000ULL;
}

/* The word faulter t writes into its slot of page i. */
static uint64_t tag(int t, unsigned long i)
{
	return 0x5A00000000000000ULL | ((uint64_t)t << 32) | i;
}

/* Does faulter t's touch of page i write? */
static int is_write(int t, unsigned long i)
{
	return (i * 5 + (unsigned long)t) % 3 == 0;
}

/* The two faulters touching page i: 2b and 2b + 1 of block b. */
static int first_faulter(unsigned long i)
{
	return 2 * (int)(i / MPAGES);
}

/*
 * page_bad - does page i differ from what `how` put there (COPY: the
 * pattern; ZERO: zeros; NONE: either, as its word NSLOTS says), with
 * tag(t, i) in slot t for each faulter t whose bit is in `wrote`,
 * ignoring slot `skip` (-1: none)? Returns 0, or 1 + the index of the
 * first wrong word.
 */
static unsigned long page_bad(unsigned long i, enum how how, unsigned wrote,
			      int skip)
{
	const volatile uint64_t *w = (const uint64_t *)(region + i * PG);
	uintptr_t a = (uintptr_t)region + i * PG;
	int zero = how == ZERO || (how == NONE && w[NSLOTS] == 0);

	for (unsigned long k = 0; k < WORDS; k++) {
		uint64_t want = zero ? 0 : pattern(a, k);

		if ((int)k == skip)
			continue;
		if (k < NSLOTS && (wrote & (1u << k)))
			want = tag((int)k, i);
		if (w[k] != want)
			return k + 1;
	}
	return 0;
}

/* ---- the faulters ---- */

struct faulter {
	int t;
	volatile int done;
	unsigned long bad;	/* pages that read wrong after the touch */
	unsigned long bad_page; /* the first of them */
	unsigned long bad_word; /* and its first wrong word + 1 */
};

/* Faulter t: the pages of block t / 2, in the order its partner t ^ 1
 * takes too (upwards in block 0, downwards in block 1); each touched
 * once (a write of its slot or a read of it), then read whole. */
static void *faulter_main(void *arg)
{
	struct faulter *f = arg;
	unsigned long first = (unsigned long)(f->t / 2) * MPAGES;

	tids[f->t] = (int)syscall(__NR_gettid);
	while (!__atomic_load_n(&go, __ATOMIC_SEQ_CST))
		cpu_relax();
	for (unsigned long k = 0; k < MPAGES; k++) {
		unsigned long i = first + (f->t / 2 % 2 ? MPAGES - 1 - k : k);
		volatile uint64_t *slot = (uint64_t *)(region + i * PG) + f->t;
		int w = is_write(f->t, i);
		unsigned long bad;

		/* Meet the partner: both touch page i at once. */
		__atomic_add_fetch(&met[f->t / 2], 1, __ATOMIC_SEQ_CST);
		for (int spins = 0;
		     __atomic_load_n(&met[f->t / 2], __ATOMIC_SEQ_CST) <
		     2 * (k + 1);
		     spins++) {
			cpu_relax();   /* the partner may be on the other CPU */
			sched_yield(); /* or on this one */
			/* Or asleep in its fault for long: sleep too, so
			 * that an idle CPU lets -icount's clock jump to
			 * main's deadline if it never wakes. */
			if (spins > 1000)
				sleep_ms(1);
		}
		if (w)
			*slot = tag(f->t, i);
		else
			(void)*slot;
		/* The other faulter's slot may change under us. */
		bad = page_bad(i, NONE, w ? 1u << f->t : 0, f->t ^ 1);
		if (bad && !f->bad++) {
			f->bad_page = i;
			f->bad_word = bad;
		}
	}
	__atomic_store_n(&f->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* ---- the monitors ---- */

struct monitor {
	int m;
	volatile int done;
	unsigned long msgs; /* faults of the faulters' pages */
	unsigned long copies, zeros, dontwakes; /* attempts of each way */
	unsigned long won, eexist; /* resolutions done, found done */
	unsigned long errors;	   /* failed reads and ioctls but EEXIST */
	unsigned long bad_msgs;	   /* messages that are not as expected */
	long long first_err;	   /* the first error's answer (-errno) */
	unsigned long long bad_at; /* the first bad message's address */
	unsigned char src[PG];	   /* the page UFFDIO_COPY copies */
};

/* xorshift64: the monitors' random choices (any will do). */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void monitor_error(struct monitor *mo, long long err)
{
	if (!mo->errors++)
		mo->first_err = err;
}

/* Is msg a fault of page i by the thread that should touch it, with
 * WRITE as its touch? stop: a stop page, touched (read) by main. */
static int msg_ok(const struct uffd_msg *msg, unsigned long i, int stop)
{
	unsigned long long flags = msg->arg.pagefault.flags;
	int ptid = (int)msg->arg.pagefault.feat.ptid;

	if (msg->event != UFFD_EVENT_PAGEFAULT ||
	    msg->arg.pagefault.address % PG != 0 ||
	    (flags & ~(unsigned long long)UFFD_PAGEFAULT_FLAG_WRITE))
		return 0;
	if (stop)
		return ptid == tids[NFAULTERS] && !flags;
	for (int t = first_faulter(i); t < first_faulter(i) + 2; t++)
		if (ptid == tids[t])
			return !!(flags & UFFD_PAGEFAULT_FLAG_WRITE) ==
			       is_write(t, i);
	return 0;
}

/* Resolve the fault on page i, one of three ways at random. */
static void resolve(struct monitor *mo, unsigned long i, uint64_t *rnd)
{
	char *pg = region + i * PG;
	uint64_t *src = (uint64_t *)mo->src;
	unsigned way = (unsigned)(next_rand(rnd) % 3);
	long long n = 0;
	long r;

	if (way == 1) {
		r = uffd_zeropage(uffd, pg, PG, 0, &n);
		mo->zeros++;
	} else {
		for (unsigned long k = 0; k < WORDS; k++)
			src[k] = pattern((uintptr_t)pg, k);
		r = uffd_copy(uffd, pg, src, PG,
			      way == 2 ? UFFDIO_COPY_MODE_DONTWAKE : 0, &n);
		if (way == 2)
			mo->dontwakes++;
		else
			mo->copies++;
	}
	if (r == 0 && n == (long long)PG) {
		/* After DONTWAKE, the sleepers are ours to wake; after an
		 * EEXIST, the other resolution's. */
		if (way == 2 && uffd_wake(uffd, pg, PG))
			monitor_error(mo, -1000);
		mo->won++;
		if (__atomic_exchange_n(&page_how[i], way == 1 ? ZERO : COPY,
					__ATOMIC_SEQ_CST) != NONE)
			__atomic_add_fetch(&doubles, 1, __ATOMIC_SEQ_CST);
	} else if (r == -1 && n == -EEXIST) {
		mo->eexist++;
	} else {
		monitor_error(mo, n);
	}
}

/* A monitor: read one message at a time (blocking) and resolve it,
 * until it resolves a stop page. */
static void *monitor_main(void *arg)
{
	struct monitor *mo = arg;
	uint64_t rnd = 0x9E3779B97F4A7C15ULL * (uint64_t)(mo->m + 1);

	for (;;) {
		struct uffd_msg msg;
		unsigned long i;
		int stop;

		if (read(uffd, &msg, sizeof(msg)) != (ssize_t)sizeof(msg)) {
			monitor_error(mo, -2000);
			break; /* main sees it gone and stops waiting */
		}
		i = (msg.arg.pagefault.address - (uintptr_t)region) / PG;
		if (i >= NPAGES + NMONITORS) {
			if (!mo->bad_msgs++)
				mo->bad_at = msg.arg.pagefault.address;
			break; /* not ours: nothing can resolve it */
		}
		stop = i >= NPAGES;
		if (!msg_ok(&msg, i, stop) && !mo->bad_msgs++)
			mo->bad_at = msg.arg.pagefault.address;
		if (stop) {
			if (uffd_zeropage(uffd, region + i * PG, PG, 0, NULL))
				monitor_error(mo, -3000);
			break;
		}
		mo->msgs++;
		__atomic_add_fetch(&page_msgs[i], 1, __ATOMIC_SEQ_CST);
		/* A slow answer now and then: the other monitor may read
		 * the page's second message meanwhile. */
		if (next_rand(&rnd) % 2)
			sched_yield();
		resolve(mo, i, &rnd);
	}
	__atomic_store_n(&mo->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* ---- main ---- */

/* Milliseconds on CLOCK_MONOTONIC. */
static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait (sleeping) until *flag is set: 0, or -1 after WAIT_MS. */
static int wait_flag(volatile int *flag)
{
	for (int ms = 0; ms < WAIT_MS; ms += 2) {
		if (__atomic_load_n(flag, __ATOMIC_SEQ_CST))
			return 0;
		sleep_ms(2);
	}
	return -1;
}

static void report_monitors(const struct monitor *mo)
{
	for (int m = 0; m < NMONITORS; m++)
		diag("monitor %d: %lu messages; tried %lu copies, %lu zero "
		     "pages, %lu copies with DONTWAKE (then a wake); %lu done, "
		     "%lu EEXIST; %lu errors (first %lld); %lu bad messages "
		     "(first at %#llx)",
		     m, mo[m].msgs, mo[m].copies, mo[m].zeros, mo[m].dontwakes,
		     mo[m].won, mo[m].eexist, mo[m].errors, mo[m].first_err,
		     mo[m].bad_msgs, mo[m].bad_at);
}

int main(void)
{
	static struct monitor mo[NMONITORS];
	static struct faulter fa[NFAULTERS];
	thread_t mt[NMONITORS], ft[NFAULTERS];
	unsigned long msgs = 0, won = 0, eexist = 0, bad = 0, lonely = 0;
	int nmon = 0, nfa = 0;
	long t0;

	uffd = uffd_ready(0, UFFD_FEATURE_THREAD_ID);
	if (uffd < 0)
		return utest_done();
	region = mmap(NULL, (NPAGES + NMONITORS) * PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(region != MAP_FAILED);
	if (region == MAP_FAILED)
		return utest_done();
	CHECK_EQ(uffd_register(uffd, region, (NPAGES + NMONITORS) * PG,
			       UFFDIO_REGISTER_MODE_MISSING, NULL),
		 0);
	tids[NFAULTERS] = (int)syscall(__NR_gettid);
	for (int m = 0; m < NMONITORS; m++) {
		mo[m].m = m;
		if (thread_create(&mt[nmon], monitor_main, &mo[m]) == 0)
			nmon++;
	}
	for (int t = 0; t < NFAULTERS; t++) {
		fa[t].t = t;
		if (thread_create(&ft[nfa], faulter_main, &fa[t]) == 0)
			nfa++;
	}
	CHECK_EQ(nmon, NMONITORS);
	CHECK_EQ(nfa, NFAULTERS);
	if (nmon != NMONITORS || nfa != NFAULTERS) {
		/* Leaves the threads made: exit ends them. */
		return utest_done();
	}
	/* Every tid known before the first message. */
	for (int t = 0; t < NFAULTERS; t++)
		while (!tids[t])
			cpu_relax();
	t0 = now_ms();
	__atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);

	for (int t = 0; t < NFAULTERS; t++) {
		if (wait_flag(&fa[t].done)) {
			diag("FAIL faulter %d did not finish in %d ms: a "
			     "thread asleep in a fault was never woken",
			     t, WAIT_MS);
			report_monitors(mo);
			utest_failures++;
			return utest_done(); /* exit ends the threads */
		}
		thread_join(ft[t], NULL);
	}
	/* Stop the monitors: main touches one stop page per monitor; the
	 * monitor that reads its message resolves it and returns. */
	for (int m = 0; m < NMONITORS; m++) {
		int alive = 0;

		for (int k = 0; k < NMONITORS; k++)
			alive +=
				!__atomic_load_n(&mo[k].done, __ATOMIC_SEQ_CST);
		if (alive)
			(void)*(volatile char *)(region + (NPAGES + m) * PG);
	}
	for (int m = 0; m < NMONITORS; m++) {
		if (wait_flag(&mo[m].done)) {
			diag("FAIL monitor %d did not stop", m);
			report_monitors(mo);
			utest_failures++;
			return utest_done();
		}
		thread_join(mt[m], NULL);
	}

	for (int t = 0; t < NFAULTERS; t++) {
		CHECK_EQ(fa[t].bad, 0);
		if (fa[t].bad)
			diag("faulter %d: %lu pages read wrong; the first, "
			     "page %lu, at word %lu",
			     t, fa[t].bad, fa[t].bad_page, fa[t].bad_word - 1);
	}
	for (int m = 0; m < NMONITORS; m++) {
		msgs += mo[m].msgs;
		won += mo[m].won;
		eexist += mo[m].eexist;
		CHECK_EQ(mo[m].errors, 0);
		CHECK_EQ(mo[m].bad_msgs, 0);
	}
	/* One success per page; every other message found it there. */
	CHECK_EQ(won, NPAGES);
	CHECK_EQ(doubles, 0);
	CHECK_EQ(msgs, won + eexist);
	for (unsigned long i = 0; i < NPAGES; i++) {
		int t0 = first_faulter(i);
		unsigned wrote = (is_write(t0, i) ? 1u << t0 : 0) |
				 (is_write(t0 + 1, i) ? 2u << t0 : 0);

		if (page_msgs[i] < 1 || page_msgs[i] > 2 ||
		    page_how[i] == NONE ||
		    page_bad(i, (enum how)page_how[i], wrote, -1)) {
			if (!bad++)
				diag("FAIL page %lu: %u messages, filled %s, "
				     "word %lu wrong",
				     i, page_msgs[i],
				     page_how[i] == COPY ? "by a copy" :
				     page_how[i] == ZERO ? "with zeros" :
							   "by nobody",
				     page_bad(i, (enum how)page_how[i], wrote,
					      -1) -
					     1);
		}
		lonely += page_msgs[i] == 1;
	}
	CHECK_EQ(bad, 0);
	report_monitors(mo);
	diag("%d pages in %ld ms, %lu messages, %lu pages with one message, "
	     "%lu resolutions found the page there (EEXIST)",
	     NPAGES, now_ms() - t0, msgs, lonely, eexist);
	close(uffd);
	munmap(region, (NPAGES + NMONITORS) * PG);
	return utest_done();
}
