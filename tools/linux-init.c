/*
 * linux-init.c - /init of the initramfs in which the ulinuxvm step of
 * tools/run_tests.py boots Debian's Linux (docs/testing.md): the user
 * tests, built static against glibc, on the Linux that make bench
 * measures, rather than on whatever kernel the host runs.
 *
 *   /init [NAME...]      (Linux passes init the words after `--` on its
 *                         command line; NAME: a test or a group, as for
 *                         usertests)
 *
 * Mounts what the tests use (proc on /proc, sysfs on /sys, devtmpfs on
 * /dev for /dev/null, /dev/zero and /dev/userfaultfd, a tmpfs on /tmp),
 * sets RLIMIT_CORE to 0 (the fault tests kill children with SIGSEGV; a
 * core file would land in the initramfs, in RAM), runs
 * `/bin/usertests /bin NAME...`, which prints the KTAP, with the
 * environment the ulinux step gives it on the host (a session of its
 * own, stdin /dev/null, stdout the console), and meanwhile
 * reaps every process reparented to it (Linux gives init the orphans,
 * where the host gives them to its own init or a subreaper). Then it
 * prints
 *
 *   linux-init: usertests exit status N      (or: killed by signal N)
 *
 * which the runner takes for the run's exit status, and powers the
 * machine off with reboot(RB_POWER_OFF): init must never return, or
 * Linux panics ("Attempted to kill init!").
 *
 * Built by the runner with the host compiler: gcc -static, glibc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* mount_fs - mkdir dir (if need be) and mount a filesystem of type there;
 * a failure is printed, not fatal: the tests that need it then fail and
 * say why. */
static void mount_fs(const char *type, const char *dir)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		printf("linux-init: mkdir %s: %s\n", dir, strerror(errno));
	if (mount(type, dir, type, 0, NULL) != 0)
		printf("linux-init: mount -t %s %s: %s\n", type, dir,
		       strerror(errno));
}

/* power_off - flush what was written and power the machine off; never
 * returns (Linux's reboot(2) with LINUX_REBOOT_CMD_POWER_OFF). */
static void power_off(void)
{
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	printf("linux-init: reboot(RB_POWER_OFF): %s\n", strerror(errno));
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	struct rlimit core = { 0, 0 };
	char *args[argc + 3];
	int status, null, i;
	pid_t pid, w;

	setvbuf(stdout, NULL, _IOLBF, 0);
	mount_fs("proc", "/proc");
	mount_fs("sysfs", "/sys");
	mount_fs("devtmpfs", "/dev");
	mount_fs("tmpfs", "/tmp");
	chmod("/tmp", 01777);
	setrlimit(RLIMIT_CORE, &core);

	args[0] = "/bin/usertests";
	args[1] = "/bin";
	for (i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	args[argc + 1] = NULL;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("linux-init: fork: %s\n", strerror(errno));
		power_off();
	}
	if (pid == 0) {
		/* As the ulinux step runs it on the host: in a session of its
		 * own (init's is 0, and no test expects that), stdin
		 * /dev/null (the console is not the tests' to read). */
		setsid();
		null = open("/dev/null", O_RDONLY);
		if (null > 0) {
			dup2(null, 0);
			close(null);
		}
		execv(args[0], args);
		printf("linux-init: execv %s: %s\n", args[0], strerror(errno));
		fflush(stdout);
		_exit(127);
	}
	/* Every child of init: usertests, and the orphans of its tests. */
	for (;;) {
		w = waitpid(-1, &status, 0);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			printf("linux-init: waitpid: %s\n", strerror(errno));
			power_off();
		}
	}
	if (WIFEXITED(status))
		printf("linux-init: usertests exit status %d\n",
		       WEXITSTATUS(status));
	else
		printf("linux-init: usertests killed by signal %d\n",
		       WTERMSIG(status));
	/* Orphans still running are killed with the machine. */
	power_off();
	return 0;
}
