/*
 * t_exec_thread - execve(2) in a multi-threaded process (Linux's
 * de_thread()): every other thread is gone before the new program runs,
 * whichever thread called it; when that was not the main thread, it
 * takes the process's pid, so that the new program's getpid() ==
 * gettid() and its parent waits for it under the pid it forked; the
 * children of the threads that died are the new program's; and a failed
 * execve leaves the other threads running.
 *
 * Each case forks a child process whose threads count in a shared page
 * (MAP_SHARED, so the parent sees the counts after the child's exec; a
 * fresh page for each case),
 * then execs this program again with a mode argument; the parent reaps
 * the child and checks that no count moves any more. The threads use raw
 * system calls only: under glibc they have no TLS of their own.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_exec_thread"
#include "utest.h"
#include "mm_util.h"
#include <sys/syscall.h>
#include <thread.h>
#include <time.h>

struct shared {
	volatile long spins;  /* the spinning thread's count */
	volatile int stop;    /* 1: the spinning thread may exit */
	volatile int started; /* the spinning thread runs */
	volatile int grandchild;
};

static struct shared *sh;
static const char *self;
static char ppid_arg[32], gc_arg[32];

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	syscall(SYS_nanosleep, &ts, (struct timespec *)0);
}

/* A thread that counts until told to stop. */
static void *spinner(void *arg)
{
	(void)arg;
	sh->started = 1;
	while (!sh->stop) {
		sh->spins++;
		cpu_relax();
	}
	return NULL;
}

/* A thread that forks a grandchild, which exits with 42 a little later,
 * then counts. */
static void *forker(void *arg)
{
	long pid;

	pid = syscall(SYS_fork);
	(void)arg;
	if (pid == 0) {
		pause_ms(20);
		syscall(SYS_exit_group, 42);
	}
	sh->grandchild = (int)pid;
	return spinner(NULL);
}

/* A thread that runs the new program itself: "--report PPID". */
static void *execer(void *arg)
{
	char *av[] = { (char *)self, (char *)"--report", ppid_arg, NULL };
	char *none[] = { NULL };

	(void)arg;
	while (!sh->started)
		cpu_relax();
	syscall(SYS_execve, self, av, none);
	syscall(SYS_exit_group, 97); /* the exec failed */
	return NULL;
}

static void wait_started(void)
{
	while (!sh->started)
		cpu_relax();
}

/* Child bodies, one per case. */
static int main_thread_execs(void *arg)
{
	char *av[] = { (char *)self, (char *)"--thread-exit", NULL };
	char *none[] = { NULL };
	thread_t t;

	(void)arg;
	if (thread_create(&t, spinner, NULL))
		return 90;
	wait_started();
	syscall(SYS_execve, self, av, none);
	return 91;
}

static int other_thread_execs(void *arg)
{
	thread_t e;

	(void)arg;
	snprintf(ppid_arg, sizeof(ppid_arg), "%d", (int)getppid());
	if (thread_create(&e, execer, NULL))
		return 90;
	spinner(NULL); /* the main thread spins; the other one execs */
	return 92;
}

static int orphans_go_to_execer(void *arg)
{
	char *av[] = { (char *)self, (char *)"--wait", gc_arg, NULL };
	char *none[] = { NULL };
	thread_t t;

	(void)arg;
	if (thread_create(&t, forker, NULL))
		return 90;
	while (!sh->grandchild)
		cpu_relax();
	wait_started();
	snprintf(gc_arg, sizeof(gc_arg), "%d", sh->grandchild);
	syscall(SYS_execve, self, av, none);
	return 91;
}

static int failed_exec_keeps_threads(void *arg)
{
	char *av[] = { (char *)"/no/such/file", NULL };
	char *none[] = { NULL };
	thread_t t;
	long before;

	(void)arg;
	if (thread_create(&t, spinner, NULL))
		return 90;
	wait_started();
	if (syscall(SYS_execve, "/no/such/file", av, none) != -1 ||
	    errno != ENOENT)
		return 93;
	before = sh->spins;
	pause_ms(30);
	if (sh->spins == before)
		return 94; /* the thread was killed by a failed exec */
	sh->stop = 1;
	thread_join(t, NULL);
	return 0;
}

/* The modes of the new program. */
static int new_program(int argc, char **argv)
{
	if (strcmp(argv[1], "--thread-exit") == 0) {
		/* exit(2) of this thread alone: the process ends only if it
		 * is the last one. */
		syscall(SYS_exit, 0);
	}
	if (strcmp(argv[1], "--report") == 0 && argc == 3) {
		if (syscall(SYS_getpid) != syscall(SYS_gettid))
			return 11;
		if (getppid() != atoi(argv[2]))
			return 12;
		return 0;
	}
	if (strcmp(argv[1], "--wait") == 0 && argc == 3) {
		int status = 0;
		pid_t gc = (pid_t)atoi(argv[2]);

		if (waitpid(gc, &status, 0) != gc)
			return 13;
		return WIFEXITED(status) && WEXITSTATUS(status) == 42 ? 0 : 14;
	}
	return 15;
}

/* Run body in a child; it must exit with 0 and leave no thread counting
 * (the count must not move for 50 ms after the child was reaped). */
static void check_case(const char *what, int (*body)(void *))
{
	long before;
	int status;

	/* A page of its own for each case: on a kernel that lets a thread
	 * of the old program live, that thread keeps the page it counts
	 * in, told to stop, and leaves the next case alone. */
	sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	utest_checks++;
	if (sh == MAP_FAILED) {
		utest_failures++;
		diag("FAIL %s: mmap: %s", what, strerror(errno));
		return;
	}
	status = run_child(body, NULL);
	utest_checks++;
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		utest_failures++;
		diag("FAIL %s: the child did not exit with 0", what);
		if (status != -1)
			describe_status(what, status);
	}
	before = sh->spins;
	pause_ms(50);
	utest_checks++;
	if (sh->spins != before) {
		utest_failures++;
		diag("FAIL %s: a thread of the old program still runs (%ld "
		     "spins in 50 ms)",
		     what, sh->spins - before);
	}
	sh->stop = 1; /* let a stray thread end itself */
}

int main(int argc, char **argv)
{
	if (argc >= 2 && argv[1][0] == '-')
		return new_program(argc, argv);
	self = argv[0];
	check_case("the main thread execs", main_thread_execs);
	check_case("another thread execs", other_thread_execs);
	check_case("the dead threads' children", orphans_go_to_execer);
	check_case("a failed exec", failed_exec_keeps_threads);
	return utest_done();
}
