/*
 * utest.h - helpers shared by the user-mode tests (tests/user/t_*.c).
 *
 * Standard headers only: every test builds both against our libc (it runs
 * on the kernel as /bin/t_NAME) and against glibc (it runs on Linux; see
 * tools/run_tests.py, step ulinux). A test prints diagnostics as KTAP
 * comment lines ("# t_NAME: ...") and exits 0 when everything passed.
 *
 *   diag(fmt, ...)            print "# TEST_NAME: ..." and a newline, flushed
 *   CHECK(cond)               record a failure (with file:line) unless cond
 *   CHECK_EQ(a, b)            same, printing both values (as long)
 *   CHECK_ERR(expr, err)      expr must be -1 with errno == err
 *   describe_status(what, s)  diag how a wait status says a child ended
 *   run_child(fn, arg)        fork; the child runs fn(arg) and exits with
 *                             its result; returns the wait status, or -1
 *                             (a FAIL) when fork or waitpid failed
 *   expect_signal(what, fn, arg, sig)  run_child and check the child was
 *                             killed by signal sig
 *   parent_carries_on()       fork a normal child after a fault test and
 *                             check it still exits normally
 *   cpu_relax()               PAUSE: the body of every busy-wait (below)
 *   utest_done()              print the verdict; returns the exit status
 *                             (0: every check passed, 1: some failed)
 * A test that does not apply where it runs exits with UTEST_SKIP instead.
 */
#ifndef UTEST_H
#define UTEST_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef TEST_NAME
#error "define TEST_NAME before including utest.h"
#endif

#define UTEST_SKIP 77 /* exit status: not applicable here */

static int utest_failures;
static int utest_checks;

#define diag(...)                                        \
	do {                                             \
		printf("# " TEST_NAME ": " __VA_ARGS__); \
		printf("\n");                            \
		fflush(stdout);                          \
	} while (0)

#define CHECK(cond)                                                        \
	do {                                                               \
		utest_checks++;                                            \
		if (!(cond)) {                                             \
			utest_failures++;                                  \
			diag("FAIL %s:%d: %s", __FILE__, __LINE__, #cond); \
		}                                                          \
	} while (0)

#define CHECK_EQ(a, b)                                                     \
	do {                                                               \
		long _a = (long)(a), _b = (long)(b);                       \
		utest_checks++;                                            \
		if (_a != _b) {                                            \
			utest_failures++;                                  \
			diag("FAIL %s:%d: %s == %s: %ld != %ld", __FILE__, \
			     __LINE__, #a, #b, _a, _b);                    \
		}                                                          \
	} while (0)

#define CHECK_ERR(expr, err)                                                 \
	do {                                                                 \
		long _r;                                                     \
		errno = 0;                                                   \
		_r = (long)(expr);                                           \
		utest_checks++;                                              \
		if (_r != -1 || errno != (err)) {                            \
			utest_failures++;                                    \
			diag("FAIL %s:%d: %s: returned %ld, errno %d (%s); " \
			     "expected -1, errno %d (%s)",                   \
			     __FILE__, __LINE__, #expr, _r, errno,           \
			     strerror(errno), (err), #err);                  \
		}                                                            \
	} while (0)

/* describe_status - one diag line: how wait status `status` of `what`
 * says the child ended (exit code, signal, or the raw word). */
static inline void describe_status(const char *what, int status)
{
	if (WIFEXITED(status))
		diag("%s: exited with status %d", what, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		diag("%s: killed by signal %d (%s)", what, WTERMSIG(status),
		     strsignal(WTERMSIG(status)));
	else
		diag("%s: wait status 0x%x", what, (unsigned)status);
}

/*
 * run_child - fork; the child runs fn(arg) and _exits with its result
 * (stdout is flushed first, so nothing prints twice). Returns the child's
 * wait status, or -1 after recording a FAIL when fork or waitpid failed.
 */
static inline int run_child(int (*fn)(void *), void *arg)
{
	int status = -1;
	pid_t pid, w;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		diag("FAIL fork: %s", strerror(errno));
		utest_failures++;
		return -1;
	}
	if (pid == 0)
		_exit(fn(arg));
	do
		w = waitpid(pid, &status, 0);
	while (w < 0 && errno == EINTR);
	if (w != pid) {
		diag("FAIL waitpid(%d) returned %d: %s", (int)pid, (int)w,
		     strerror(errno));
		utest_failures++;
		return -1;
	}
	return status;
}

/*
 * expect_signal - run fn(arg) in a child (run_child) and record a FAIL
 * unless the child was killed by signal sig (what names the case).
 */
static inline void expect_signal(const char *what, int (*fn)(void *), void *arg,
				 int sig)
{
	int status = run_child(fn, arg);

	utest_checks++;
	if (status == -1 || !WIFSIGNALED(status) || WTERMSIG(status) != sig) {
		utest_failures++;
		diag("FAIL %s: expected death by signal %d (%s)", what, sig,
		     strsignal(sig));
		if (status != -1)
			describe_status(what, status);
	} else {
		diag("%s: killed by signal %d as expected", what, sig);
	}
}

/* utest_exit_7 - a child body for parent_carries_on: returns 7. */
static inline int utest_exit_7(void *arg)
{
	(void)arg;
	return 7;
}

/*
 * parent_carries_on - after a child died on purpose, fork once more and
 * check that an ordinary child still exits normally (with 7): the fault
 * killed only that child, not its parent or the kernel.
 */
static inline void parent_carries_on(void)
{
	int status = run_child(utest_exit_7, NULL);

	utest_checks++;
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 7) {
		utest_failures++;
		diag("FAIL a normal child after the fault did not exit with 7");
	}
}

/*
 * cpu_relax - Intel's spin-wait hint, PAUSE, as Linux's cpu_relax() on
 * x86. A loop that waits for a task on another CPU to store something
 * runs it each time round, beside any sched_yield() (a yield only lets
 * a task on the same CPU run).
 *
 * Why: under -icount, QEMU runs the vCPUs in turn on one host thread,
 * and a vCPU's turn ends when it halts, executes PAUSE, or the next
 * timer deadline comes. QEMU 7.2 hands the instructions up to that
 * deadline to the first vCPU of each round, so a vCPU that neither
 * halts nor pauses leaves the vCPUs after it in the round nothing at
 * all: a waiter on CPU 0 spinning for a task queued on CPU 1 spins for
 * ever (docs/testing.md, "Several CPUs under -icount"). PAUSE is also
 * what tells a real hypervisor that a vCPU spins (pause-loop exiting).
 *
 * Not needed, and left out: in a loop that waits for the tick to preempt
 * it in favour of a task on its own CPU, and in the hot loops of the
 * t_smp_* races, which must stay in user mode without a pause and wait
 * only for CPU 0 (cpus[0]), the first of every round. Each PAUSE costs
 * QEMU a trip out of its translated code, so a loop that pauses millions
 * of times slows a test down on the host.
 * The memory clobber makes the compiler read the awaited word again.
 */
static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

/* utest_done - diag the count of failed (or passed) checks; returns the
 * test's exit status: 0 when none failed, else 1. */
static inline int utest_done(void)
{
	if (utest_failures)
		diag("%d of %d checks failed", utest_failures, utest_checks);
	else
		diag("all %d checks passed", utest_checks);
	fflush(stdout);
	return utest_failures ? 1 : 0;
}

#endif
