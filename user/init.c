/*
 * init - the first user process (the kernel's default job, `make run`):
 * prints a banner, runs /bin/hello and then the page-fault benchmark
 * /bin/faultbench --table (only its human table: the full handler against
 * the POE fast path, and one line on what its ticks mean; no FB, lines),
 * shows the kernel's memory counters before and after, and exits 0 (or 1
 * if either program failed); the kernel then powers off with init's exit
 * status. Boot with init=/bin/sh or init=/bin/usertests for the other
 * jobs.
 */
#include <errno.h>
#include <private.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void show_meminfo(const char *when)
{
	struct meminfo mi;

	if (meminfo(&mi) < 0) {
		printf("init: meminfo %s: %s\n", when, strerror(errno));
		return;
	}
	printf("init: meminfo %s: %lu of %lu pages free (%lu KiB), %lu tasks\n",
	       when, mi.free_pages, mi.managed_pages, mi.free_pages * 4,
	       mi.nr_tasks);
}

/* Run argv[0] with argv and wait for it; returns its wait status or -1. */
static int run(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("init: fork");
		return -1;
	}
	if (pid == 0) {
		execv(argv[0], argv);
		printf("init: execv %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid) {
		perror("init: waitpid");
		return -1;
	}
	if (WIFEXITED(status))
		printf("init: %s (pid %d) exited with status %d\n", argv[0],
		       (int)pid, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("init: %s (pid %d) killed by signal %d\n", argv[0],
		       (int)pid, WTERMSIG(status));
	return status;
}

int main(int argc, char **argv)
{
	char *hello_argv[] = { "/bin/hello", NULL };
	/* The fault benchmark's table for people (docs/testing.md): both
	 * fault paths, one throughput pass to keep the default job short.
	 * make bench runs it without --table for its machine-read lines. */
	char *bench_argv[] = { "/bin/faultbench", "--table", "--tput-iters",
			       "1", NULL };
	int ok = 1;

	(void)argc;
	printf("init: POE user space, pid %d (%s)\n", (int)getpid(), argv[0]);
	show_meminfo("at start");
	ok &= run(hello_argv) == 0;
	ok &= run(bench_argv) == 0;
	show_meminfo("at end");
	printf("init: done\n");
	return ok ? 0 : 1;
}
