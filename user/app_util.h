/*
 * app_util.h - what the application benchmarks of `make bench-apps`
 * (user/app_malloc.c, app_sort.c, app_hash.c; docs/testing.md) share: a
 * deterministic random-number generator, the measurement window, and the
 * APP lines tools/bench_apps_report.py reads. Header-only, like
 * bench_util.h, because each program is one source file, built against
 * our libc (user.mk) and statically against glibc for the Linux run
 * (tools/bench-linux.sh, where the program is /init).
 *
 * The window: app_begin() waits, where POE is on for this process, until
 * the pre-fault threads are done and every table is full (as on a
 * machine that has been idle a moment: the program is init here and
 * runs right after the first poe_enable() of the boot), then notes the
 * TSC, getrusage(RUSAGE_SELF) and the POE counters; app_end() notes them
 * again and prints the differences. Everything the program does between
 * the two is in the window, its frees included; under QEMU -icount
 * shift=0 (make bench-apps) a tick is one guest instruction, and on one
 * CPU the window also holds whatever the kernel ran meanwhile (POE's
 * pre-fault, post-fault and refill work included).
 *
 * A program that measures children instead (user/app_busybox.c, which
 * runs busybox) opens the window with app_begin_children(): minflt and
 * majflt are then getrusage(RUSAGE_CHILDREN)'s, the children's that ended
 * and were waited for in the window; and it may close the window with
 * app_close() before it checks the result, so that the check is not
 * counted as the measured work.
 *
 * Output contract (whole lines, one write(2) each):
 *   APP,info,prog=<name>,kernel=<sysname release>,poe=<0|1>,<params>
 *   APP,phase,<prog>,<phase>,<ticks>,<minflt>      (one per phase)
 *   APP,result,<prog>,<ok|FAIL>,<ticks>,<minflt>,<majflt>,<hits>,
 *           <fallbacks>,<fb_not_poeable>,<bg_ticks>,<checksum>
 *   APP,poe,<prog>,<fb_not_marked>,<fb_table_empty>,<fb_locked>,
 *           <fb_disabled>,<prefault_threads>   (only where poe_stats works)
 *   APP,startup,<prog>,<minflt>   (the faults before the window: exec,
 *           libc's start, the wait for POE)
 *   APP,done,<exit status>
 * ticks: TSC ticks of the window; minflt, majflt: getrusage(RUSAGE_SELF)
 * differences; hits: POE fast-path hits in the window (the whole
 * machine's, poe_stats: the program is the only user task running);
 * fallbacks: not-present faults POE saw and sent to the full handler, all
 * reasons, and fb_not_poeable the ones outside any POE region; bg_ticks:
 * ticks POE's background work spent in the window (pre-fault, post-fault,
 * refill). The four POE fields are -1 where poe_stats is missing (Linux).
 * APP,poe splits the fall-backs in POE regions by reason (poe_stats: the
 * PTE not marked POEable yet, the table empty, the PTE or the table
 * locked, POE off on the CPU) and counts the pre-fault threads started in
 * the window, one per new POE region.
 * checksum: a number the program computed from its result, the same on
 * every kernel for the same parameters. The exit status is 0 for a right
 * result, 1 for a wrong one, 2 for bad arguments or no memory (then
 * without an APP,result line).
 */
#ifndef USER_APP_UTIL_H
#define USER_APP_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <poe.h>
#include "bench_util.h"

#define APP_PAGE	 4096UL
#define APP_MAX_PHASES	 8
#define APP_WARM_WAIT_MS 5000

/* xorshift64*: deterministic, the same sequence on every kernel. */
static inline uint64_t app_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* A bijection on 64-bit numbers (splitmix64's finalizer): distinct inputs
 * give distinct outputs. */
static inline uint64_t app_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static inline uint64_t app_tsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline void __attribute__((format(printf, 1, 2)))
app_emit(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bench_vemit(fmt, ap);
	va_end(ap);
}

/*
 * app_exit - end the program with status. As Linux's /init (pid 1) it
 * powers the VM off instead, whichever libc it was built against:
 * bench_exit() does that for glibc, and our libc's static binaries run
 * on Linux too (make bench-apps runs them there as well). reboot(2),
 * number 169 on x86-64, with its two magic numbers and
 * LINUX_REBOOT_CMD_POWER_OFF; our kernel never has a pid-1 program on
 * Linux to do this for.
 */
static inline void __attribute__((noreturn)) app_exit(int status)
{
	struct utsname uts;

	if (getpid() == 1 && uname(&uts) == 0 &&
	    strcmp(uts.sysname, "Linux") == 0) {
		syscall(169, 0xfee1deadL, 672274793L, 0x4321fedcL, 0L);
		for (;;)
			sleep(1);
	}
	bench_exit(status);
}

/* The counters at one end of the window. */
struct app_snap {
	uint64_t tsc;
	long minflt, majflt;
	int have_poe; /* poe_stats worked */
	struct poe_stats poe;
};

struct app {
	const char *prog;
	int poe_on; /* POE on for this process */
	int who;    /* getrusage()'s RUSAGE_SELF or RUSAGE_CHILDREN */
	int closed; /* app_close() ended the window */
	struct app_snap start, phase;
	const char *phase_name;
	char note[200]; /* a line app_end() prints after the window */
};

/* app_snap - note the counters now; who: getrusage()'s RUSAGE_SELF or
 * RUSAGE_CHILDREN (the minflt and majflt noted). */
static inline void app_snap(struct app_snap *s, int who)
{
	struct rusage ru;

	memset(&ru, 0, sizeof(ru));
	memset(&s->poe, 0, sizeof(s->poe));
	s->have_poe = poe_get_stats(&s->poe) >=
		      (long)(offsetof(struct poe_stats, proc_pending) +
			     sizeof(unsigned long));
	if (getrusage(who, &ru) != 0)
		ru.ru_minflt = ru.ru_majflt = -1;
	s->minflt = ru.ru_minflt;
	s->majflt = ru.ru_majflt;
	s->tsc = app_tsc(); /* last: the calls above are outside */
}

/* Wait, 1 ms at a time, until POE is settled (poe_settled()); 0, or -1
 * after APP_WARM_WAIT_MS. */
static inline int app_wait_warm(void)
{
	struct timespec ms = { 0, 1000000L };
	struct poe_stats st;

	for (int i = 0; i < APP_WARM_WAIT_MS; i++) {
		memset(&st, 0, sizeof(st));
		if (poe_get_stats(&st) < 0)
			return -1;
		if (poe_settled(&st))
			return 0;
		nanosleep(&ms, NULL);
	}
	return -1;
}

/*
 * app_begin_who - app_begin() counting the faults of who, getrusage()'s
 * RUSAGE_SELF (app_begin) or RUSAGE_CHILDREN (app_begin_children).
 */
static inline void app_begin_who(struct app *a, const char *prog,
				 const char *params, int who)
{
	struct utsname uts;
	struct poe_stats st;
	char kname[2 * 65 + 2], *c;

	a->prog = prog;
	memset(&st, 0, sizeof(st));
	a->poe_on = poe_get_stats(&st) > 0 && st.proc_enabled;
	if (uname(&uts) != 0) {
		strcpy(uts.sysname, "unknown");
		uts.release[0] = 0;
	}
	snprintf(kname, sizeof(kname), "%s %s", uts.sysname, uts.release);
	for (c = kname; *c; c++)
		if (*c == ',' || *c == '\n')
			*c = ';';
	app_emit("APP,info,prog=%s,kernel=%s,poe=%d,%s", prog, kname, a->poe_on,
		 params);
	if (a->poe_on && app_wait_warm() != 0)
		app_emit("%s: POE did not settle in %d ms; measuring anyway",
			 prog, APP_WARM_WAIT_MS);
	a->who = who;
	a->closed = 0;
	app_snap(&a->start, who);
	a->phase = a->start;
	a->phase_name = NULL;
	a->note[0] = 0;
}

/*
 * app_begin - print the APP,info line (params: the program's own
 * "key=value,..." description), wait for POE to settle where it is on
 * for us, and open the window; minflt and majflt are the program's own
 * (RUSAGE_SELF).
 */
static inline void app_begin(struct app *a, const char *prog,
			     const char *params)
{
	app_begin_who(a, prog, params, RUSAGE_SELF);
}

/*
 * app_begin_children - app_begin(), but minflt and majflt are those of
 * the children that ended and were waited for in the window
 * (RUSAGE_CHILDREN): for a program that measures the programs it runs.
 * The ticks and the POE counters are still the whole machine's in the
 * window, the waiting parent's included.
 */
static inline void app_begin_children(struct app *a, const char *prog,
				      const char *params)
{
	app_begin_who(a, prog, params, RUSAGE_CHILDREN);
}

/* app_phase - end the running phase (if any) with an APP,phase line and
 * start the next one, name (NULL: none). */
static inline void app_phase(struct app *a, const char *name)
{
	struct app_snap now;

	app_snap(&now, a->who);
	if (a->phase_name)
		app_emit("APP,phase,%s,%s,%llu,%ld", a->prog, a->phase_name,
			 (unsigned long long)(now.tsc - a->phase.tsc),
			 now.minflt - a->phase.minflt);
	a->phase = now;
	a->phase_name = name;
}

/*
 * app_close - end the running phase and the window now: app_end() then
 * reports the window as it was here, without what ran since (the check of
 * a child's output, which is not the work measured).
 */
static inline void app_close(struct app *a)
{
	app_phase(a, NULL);
	a->closed = 1;
}

/*
 * app_end - close the window (unless app_close() did), print APP,result, APP,poe (where POE
 * counts), APP,startup, the note (if any) and APP,done, and end the
 * program: exit status 0 if ok, else 1 (a wrong result: why is already
 * printed). Never returns.
 */
static inline void __attribute__((noreturn))
app_end(struct app *a, int ok, uint64_t checksum)
{
	struct app_snap e;
	long hits = -1, fb = -1, fb_np = -1, bg = -1;
	const struct poe_stats *s0 = &a->start.poe, *s1 = &e.poe;

	if (!a->closed)
		app_phase(a, NULL);
	e = a->phase;
	if (a->start.have_poe && e.have_poe) {
		hits = (long)(s1->hits - s0->hits);
		fb = (long)(poe_fallbacks(s1) - poe_fallbacks(s0));
		fb_np = (long)(s1->fb_not_poeable - s0->fb_not_poeable);
		bg = (long)((s1->prefault_ticks - s0->prefault_ticks) +
			    (s1->postfault_ticks - s0->postfault_ticks) +
			    (s1->refill_ticks - s0->refill_ticks));
	}
	app_emit("APP,result,%s,%s,%llu,%ld,%ld,%ld,%ld,%ld,%ld,%llu", a->prog,
		 ok ? "ok" : "FAIL", (unsigned long long)(e.tsc - a->start.tsc),
		 e.minflt - a->start.minflt, e.majflt - a->start.majflt, hits,
		 fb, fb_np, bg, (unsigned long long)checksum);
	if (a->start.have_poe && e.have_poe)
		app_emit("APP,poe,%s,%lu,%lu,%lu,%lu,%lu", a->prog,
			 s1->fb_not_marked - s0->fb_not_marked,
			 s1->fb_table_empty - s0->fb_table_empty,
			 (s1->fb_pte_locked - s0->fb_pte_locked) +
				 (s1->fb_table_locked - s0->fb_table_locked),
			 s1->fb_disabled - s0->fb_disabled,
			 s1->prefault_threads - s0->prefault_threads);
	app_emit("APP,startup,%s,%ld", a->prog, a->start.minflt);
	if (a->note[0])
		app_emit("%s", a->note);
	app_emit("APP,done,%d", ok ? 0 : 1);
	app_exit(ok ? 0 : 1);
}

/* app_fail_alloc - no memory: say so and end with status 2. */
static inline void __attribute__((noreturn))
app_fail_alloc(const char *prog, const char *what, unsigned long bytes)
{
	app_emit("%s: cannot allocate %lu bytes for %s (errno %d)", prog, bytes,
		 what, errno);
	app_emit("APP,done,2");
	app_exit(2);
}

/*
 * app_arg - the value of "name=N" in argv[1..], or def; N must be a
 * number from lo to hi, or the program ends with status 2 (the usage
 * line says what it takes).
 */
static inline unsigned long app_arg(int argc, char **argv, const char *name,
				    unsigned long def, unsigned long lo,
				    unsigned long hi, const char *usage)
{
	size_t n = strlen(name);

	for (int i = 1; i < argc; i++) {
		char *end;
		unsigned long v;

		if (strncmp(argv[i], name, n) != 0 || argv[i][n] != '=')
			continue;
		errno = 0;
		v = strtoul(argv[i] + n + 1, &end, 0);
		if (errno || *end || end == argv[i] + n + 1 || v < lo ||
		    v > hi) {
			app_emit("usage: %s (%s must be %lu..%lu)", usage, name,
				 lo, hi);
			app_emit("APP,done,2");
			app_exit(2);
		}
		return v;
	}
	return def;
}

#endif
