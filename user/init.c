/*
 * init - the first user process (the kernel's default job, `make run`):
 * prints a banner, runs /bin/hello, shows the kernel's memory counters
 * and exits 0 (or 1 if hello failed); the kernel then powers off with
 * init's exit status. Boot with init=/bin/sh or init=/bin/usertests for
 * the other jobs.
 */
#include <errno.h>
#include <poe.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void show_meminfo(const char *when)
{
	struct poe_meminfo mi;

	if (poe_meminfo(&mi) < 0) {
		printf("init: meminfo %s: %s\n", when, strerror(errno));
		return;
	}
	printf("init: meminfo %s: %lu of %lu pages free (%lu KiB), %lu tasks\n",
	       when, mi.free_pages, mi.managed_pages, mi.free_pages * 4, mi.nr_tasks);
}

int main(int argc, char **argv)
{
	char *hello_argv[] = { "/bin/hello", NULL };
	int status;
	pid_t pid;

	(void)argc;
	printf("init: POE user space, pid %d (%s)\n", (int)getpid(), argv[0]);
	show_meminfo("at start");
	pid = fork();
	if (pid < 0) {
		perror("init: fork");
		return 1;
	}
	if (pid == 0) {
		execv(hello_argv[0], hello_argv);
		perror("init: execv /bin/hello");
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid) {
		perror("init: waitpid");
		return 1;
	}
	if (WIFEXITED(status))
		printf("init: /bin/hello (pid %d) exited with status %d\n",
		       (int)pid, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("init: /bin/hello (pid %d) killed by signal %d\n",
		       (int)pid, WTERMSIG(status));
	show_meminfo("at end");
	printf("init: done\n");
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
