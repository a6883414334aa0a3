/*
 * posixrun - run the real-libc test programs of the initrd (tests/posix/,
 * step `posix` of tools/run_tests.py), one after another.
 *
 *   posixrun [PREFIX...]     every initrd file whose path starts with a
 *                            PREFIX (default /bin/posix-), in the
 *                            initrd's order
 *
 * For each it prints `posixrun: run PATH`, runs PATH (fork, execv,
 * waitpid) with its output going straight to the console, then
 * `posixrun: PATH: exit N` or `posixrun: PATH: signal N`; a program still
 * running after TIMEOUT_S seconds is killed (`posixrun: PATH: timed out`
 * first), so that one hang costs one program, not the boot. At the end
 * `posixrun: N run, N exited 0`. Exit status 0 iff every program exited
 * 0. The runner compares each program's lines with those it printed on
 * the Linux host. Needs the kernel's initrd_list call (our kernel only).
 */
#include <errno.h>
#include <private.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_S 60 /* seconds a program may run (under TCG) */

static char names[64 * 1024];

/* Wait for pid, killing it after TIMEOUT_S seconds; waitpid's result. */
static pid_t wait_or_kill(pid_t pid, const char *path, int *status)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };

	for (long waited = 0; waited < TIMEOUT_S * 100L; waited++) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r != 0)
			return r;
		nanosleep(&tick, NULL);
	}
	printf("posixrun: %s: timed out after %d s\n", path, TIMEOUT_S);
	kill(pid, SIGKILL);
	return waitpid(pid, status, 0);
}

static int wanted(int argc, char **argv, const char *path)
{
	if (argc < 2)
		return strncmp(path, "/bin/posix-", 11) == 0;
	for (int i = 1; i < argc; i++)
		if (strncmp(path, argv[i], strlen(argv[i])) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	long n = initrd_list(names, sizeof(names));
	int run = 0, good = 0;

	if (n < 0) {
		printf("posixrun: initrd_list: %s\n", strerror(errno));
		return 1;
	}
	for (long off = 0; off < n; off += (long)strlen(names + off) + 1) {
		char *path = names + off;
		char *cargv[2] = { path, NULL };
		int status = 0;
		pid_t pid;

		if (!wanted(argc, argv, path))
			continue;
		printf("posixrun: run %s\n", path);
		fflush(stdout);
		run++;
		pid = fork();
		if (pid == 0) {
			execv(path, cargv);
			printf("posixrun: %s: execv: %s\n", path,
			       strerror(errno));
			_exit(127);
		}
		if (pid < 0 || wait_or_kill(pid, path, &status) != pid) {
			printf("posixrun: %s: fork or wait failed: %s\n", path,
			       strerror(errno));
			continue;
		}
		if (WIFSIGNALED(status))
			printf("posixrun: %s: signal %d\n", path,
			       WTERMSIG(status));
		else
			printf("posixrun: %s: exit %d\n", path,
			       WEXITSTATUS(status));
		good += WIFEXITED(status) && WEXITSTATUS(status) == 0;
		fflush(stdout);
	}
	printf("posixrun: %d run, %d exited 0\n", run, good);
	return run && good == run ? 0 : 1;
}
