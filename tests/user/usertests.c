/*
 * usertests - run every user-mode test and report KTAP (docs/testing.md).
 *
 *   usertests [DIR [NAME...]]
 *
 * Runs DIR/NAME for each test NAME below (DIR: the first argument, else
 * $USERTESTS_DIR, else /bin; NAME arguments select tests), one at a time:
 * fork, execv, waitpid. A NAME may also be a group: `all` (every list
 * below), `plain` (the first list), `mm` (mm_tests only), `poe`
 * (poe_tests only), `oom` (oom_tests only). A test that exits
 * with 77 (UTEST_SKIP) is reported "ok ... # SKIP". With no NAME: tests,
 * plus mm_tests and poe_tests when $UTEST_MM is set and not "0". (The
 * kernel's steps of tools/run_tests.py pass `all` or groups:
 * `init=/bin/usertests -- /bin all`; its Linux steps every group but
 * `oom`: `usertests DIR plain mm poe`.)
 * A test passes when it exits with status 0; its output
 * (KTAP comment lines) appears before its result line. After all tests
 * (and any orphans reparented to us, when we are init) have been reaped,
 * one more result checks that the kernel's free-page count is back at its
 * value from before the first test ("# SKIP" on Linux, where meminfo is
 * ENOSYS). Exit status 0 iff every result is ok.
 *
 * After each test, once it (and any orphan of it) has been reaped, the
 * kernel's count of open files (struct file, the first number of
 * /proc/sys/fs/file-nr) must be back at its value from before the test:
 * a test that leaks one fails with a line naming both counts. Not on
 * Linux (meminfo ENOSYS), where file-nr counts the whole system's files.
 *
 * As init (init=/bin/usertests) the kernel powers off with that status;
 * tools/run_tests.py parses the KTAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poe.h>
#include <private.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define UTEST_SKIP 77 /* a test not applicable here (tests/user/utest.h) */

static const char *const tests[] = {
	"t_hello",
	"t_fork_wait",
	"t_fork_many",
	"t_wait_nohang",
	"t_threads",
	"t_ids",
	"t_kill_init",
	"t_sleep",
	"t_uname",
	"t_atexit",
	"t_efault",
	"t_enosys",
	"t_errno",
	"t_clone",
	"t_futex",
	"t_fault_kernel_write",
	"t_fault_kernel_read",
	"t_fault_null_jump",
	"t_fault_unmapped",
	"t_fault_ud2",
	"t_fault_div0",
	"t_fault_nx",
	"t_fault_text_write",
	"t_fault_gp",
	"t_entry_flags",
	"t_fault_ac_lret",
	"t_fault_thread",
	"t_mmap",
	"t_malloc",
	"t_printf",
	"t_string",
	"t_affinity",
	"t_exec",
	"t_exec_thread",
	"t_aslr",
	"t_vfs_files",
	"t_vfs_fds",
	"t_vfs_errno",
	"t_fd_errno",
	"t_vfs_race",

	/* procfs */
	"t_proc",

	"t_sig_handler",
	"t_sig_fault",
	"t_segv_paging",
	"t_sig_altstack",
	"t_sig_timer",
	"t_sig_chld",
	"t_sig_kill",
	"t_sig_exec",
	"t_sig_queue",
	"t_sys_misc",

	"t_pipe",
	"t_tty_intr",
	"t_poll",
	"t_ioctl",

	"t_uffd",
	"t_uffd_stress",
	"t_uffd_events",
	"t_uffd_wp",
	"t_uffd_fork",
	"t_umap",
};
#define NTESTS (sizeof(tests) / sizeof(tests[0]))

/* The memory-management calls behave as Linux's man pages say (the group
 * `mm`): mmap, munmap, mprotect, madvise, brk, fork, stack growth. */
static const char *const mm_tests[] = {
	"t_mm_mmap_args",
	"t_mm_mmap_addr",
	"t_mm_fixed_middle",
	"t_mm_fixed_noreplace",
	"t_mm_zero_fill",
	"t_mm_segv",
	"t_mm_munmap",
	"t_mm_mprotect",
	"t_mm_madvise",
	"t_mm_brk",
	"t_mm_fork",
	"t_mm_churn",
	"t_mm_stack",
	"t_mm_threads",
	"t_smp_shootdown",
	"t_smp_fault_race",
	"t_smp_fork_race",
	"t_smp_migrate",
	"t_getrusage",
	"t_brk_gap",
	"t_mm_errno",
	"t_mm_populate_kill",
	"t_mm_huge_range",
	"t_mm_mremap",
	"t_mm_mincore",
	"t_mm_mlock",
	"t_mm_populate",
	"t_mm_filemap",
	"t_thp",
	"t_smp_thp_race",
};
#define NMM_TESTS (sizeof(mm_tests) / sizeof(mm_tests[0]))

/* The POE pipeline (the group `poe`, docs/poe.md); each skips itself
 * (exit 77) where there is no POE, e.g. on Linux. */
static const char *const poe_tests[] = {
	"t_poe_basic",	"t_poe_contents", "t_poe_threads", "t_poe_exit",
	"t_poe_cycles", "t_poe_rights",	  "t_poe_fork",	   "t_smp_poe_exit",
	"t_poe_refill", "t_poe_batch",	  "t_poe_budget",  "t_poe_mremap",
	"t_uffd_poe",	"t_poe_huge",
};
#define NPOE_TESTS (sizeof(poe_tests) / sizeof(poe_tests[0]))

/* Out of memory (the group `oom`, docs/oom.md): a fork bomb and a memory
 * hog. This kernel only: each skips itself (exit 77) elsewhere, and the
 * runner's Linux steps (ulinux, ulibc) never select the group. */
static const char *const oom_tests[] = {
	"t_oom",
};
#define NOOM_TESTS (sizeof(oom_tests) / sizeof(oom_tests[0]))

/*
 * wanted - is test name selected by the NAME arguments argv[2..argc-1]
 * (its name, its group, or `all`)? group: "mm", "poe", "oom", or NULL
 * for the plain tests (selected as `plain`). Without NAME arguments: the
 * plain tests, and the groups but `oom` only when $UTEST_MM is set and
 * not "0".
 */
static int wanted(int argc, char **argv, const char *name, const char *group)
{
	const char *env;
	int k;

	if (argc <= 2) {
		env = getenv("UTEST_MM");
		return !group || (strcmp(group, "oom") != 0 && env && *env &&
				  strcmp(env, "0") != 0);
	}
	for (k = 2; k < argc; k++)
		if (strcmp(argv[k], name) == 0 || strcmp(argv[k], "all") == 0 ||
		    (group && strcmp(argv[k], group) == 0) ||
		    (!group && strcmp(argv[k], "plain") == 0))
			return 1;
	return 0;
}

/* sleep_ms - sleep ms milliseconds (nanosleep). */
static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * With POE on (poe.always=1), pages come and go in the pre-allocation
 * tables in the background: count free pages only when they are full and
 * no pre-fault thread runs (at most ~2 s). Nothing to do without POE.
 */
static void poe_settle(void)
{
	struct poe_stats st;

	for (int tries = 0; tries < 200; tries++) {
		memset(&st, 0, sizeof(st));
		if (poe_get_stats(&st) < 0 || !st.enabled || poe_settled(&st))
			return;
		sleep_ms(10);
	}
}

/*
 * open_files - the kernel's count of open files (struct files alive:
 * Linux's nr_files, the first number of /proc/sys/fs/file-nr), or -1
 * with errno set when the file cannot be read or parsed. The count
 * includes the one this call opens to read it, every time the same, so
 * that two counts compare; the harness's own stdout is open throughout.
 */
static long open_files(void)
{
	char buf[64];
	long n;
	char *end;
	ssize_t len;
	int fd = open("/proc/sys/fs/file-nr", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0) {
		errno = len < 0 ? errno : EINVAL;
		return -1;
	}
	buf[len] = '\0';
	n = strtol(buf, &end, 10);
	if (end == buf) {
		errno = EINVAL;
		return -1;
	}
	return n;
}

/*
 * open_files_back - after test name has been reaped: is open_files()
 * back at before? A file's last fput() may come a little after the
 * test's exit (an orphan still exiting, POE's pre-fault thread finishing
 * with an mm that maps a file): reap orphans without blocking and poll
 * for up to ~2 s, as the free-page check does. Prints the counts and
 * returns 0 when they differ (or the count cannot be read), else 1.
 */
static int open_files_back(const char *name, long before)
{
	long after = -1;

	if (before < 0) {
		printf("# %s: cannot read /proc/sys/fs/file-nr\n", name);
		return 0;
	}
	for (int tries = 0; tries < 200; tries++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		after = open_files();
		if (after == before)
			return 1;
		poe_settle();
		sleep_ms(10);
	}
	if (after < 0)
		printf("# %s: cannot read /proc/sys/fs/file-nr: %s\n", name,
		       strerror(errno));
	else
		printf("# %s: open files (file-nr) %ld before the test, %ld after (%+ld): "
		       "not back at baseline\n",
		       name, before, after, after - before);
	return 0;
}

/* Reap anything left (orphans reparented to init); returns how many. */
static int reap_all(void)
{
	int n = 0, status;

	while (waitpid(-1, &status, 0) > 0)
		n++;
	return n;
}

/* Touch stack and code paths the run will use, so that their pages are
 * already counted in the baseline. */
static void warm_up(void)
{
	volatile char stack[16384];
	char buf[64];
	pid_t pid;

	stack[0] = 0;
	stack[sizeof(stack) - 1] = 0;
	snprintf(buf, sizeof(buf), "%d %s %lu", 1, "x", 2UL);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/*
 * run_test - run dir/name as test number num and print its KTAP result
 * line (exit 0: ok; exit UTEST_SKIP: ok # SKIP; else not ok, with how it
 * ended). With check_files, the test is also not ok unless the count of
 * open files comes back (open_files_back()). Returns 1 for ok, 0 for not
 * ok.
 */
static int run_test(int num, const char *dir, const char *name, int check_files)
{
	char path[512];
	char *argv[2];
	int status, files_ok = 1;
	long files = check_files ? open_files() : 0;
	pid_t pid, w;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	argv[0] = path;
	argv[1] = NULL;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("# fork: %s\n", strerror(errno));
		printf("not ok %d %s\n", num, name);
		return 0;
	}
	if (pid == 0) {
		execv(path, argv);
		printf("# execv %s: %s\n", path, strerror(errno));
		fflush(stdout);
		_exit(127);
	}
	do
		w = waitpid(pid, &status, 0);
	while (w < 0 && errno == EINTR);
	if (w != pid) {
		printf("# waitpid(%d): %s\n", (int)pid, strerror(errno));
		printf("not ok %d %s\n", num, name);
		return 0;
	}
	/* A test that leaks a file fails even when it passed or skipped
	 * (open_files_back() says so); its own end is printed only when
	 * it did not pass. */
	if (check_files)
		files_ok = open_files_back(name, files);
	if (files_ok && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("ok %d %s\n", num, name);
		return 1;
	}
	if (files_ok && WIFEXITED(status) &&
	    WEXITSTATUS(status) == UTEST_SKIP) {
		printf("ok %d %s # SKIP (see its last line)\n", num, name);
		return 1;
	}
	if (WIFSIGNALED(status))
		printf("# %s: killed by signal %d (%s)\n", name,
		       WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != UTEST_SKIP)
		printf("# %s: exit status %d\n", name, WEXITSTATUS(status));
	printf("not ok %d %s\n", num, name);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("USERTESTS_DIR");
	const char *selected[NTESTS + NMM_TESTS + NPOE_TESTS + NOOM_TESTS];
	struct meminfo before, after;
	int have_meminfo, n = 0, passed = 0, num, tries;
	unsigned i;

	if (!dir || !*dir)
		dir = "/bin";
	for (i = 0; i < NTESTS; i++)
		if (wanted(argc, argv, tests[i], NULL))
			selected[n++] = tests[i];
	for (i = 0; i < NMM_TESTS; i++)
		if (wanted(argc, argv, mm_tests[i], "mm"))
			selected[n++] = mm_tests[i];
	for (i = 0; i < NPOE_TESTS; i++)
		if (wanted(argc, argv, poe_tests[i], "poe"))
			selected[n++] = poe_tests[i];
	for (i = 0; i < NOOM_TESTS; i++)
		if (wanted(argc, argv, oom_tests[i], "oom"))
			selected[n++] = oom_tests[i];
	setvbuf(stdout, NULL, _IOLBF, 0); /* glibc: a pipe is not a tty */

	warm_up();
	reap_all();
	poe_settle();
	have_meminfo = meminfo(&before) == 0;
	printf("KTAP version 1\n");
	printf("1..%d\n", n + 1);
	if (have_meminfo)
		printf("# usertests: %d tests from %s; %lu of %lu pages free, %lu tasks\n",
		       n, dir, before.free_pages, before.managed_pages,
		       before.nr_tasks);
	else
		printf("# usertests: %d tests from %s; meminfo: %s\n", n, dir,
		       strerror(errno));
	if (!have_meminfo)
		printf("# usertests: open files not counted per test: not our "
		       "kernel, and Linux's file-nr counts the whole system's\n");

	for (num = 1; num <= n; num++)
		passed += run_test(num, dir, selected[num - 1], have_meminfo);

	num = reap_all();
	if (num)
		printf("# reaped %d orphan(s)\n", num);
	num = n + 1;
	if (!have_meminfo) {
		printf("ok %d free_pages_back_to_baseline # SKIP meminfo not available "
		       "(not our kernel)\n",
		       num);
		passed++;
	} else {
		/* Exited tasks may give their last pages back a little later
		 * (deferred work): allow up to ~2 s. */
		for (tries = 0; tries < 200; tries++) {
			poe_settle();
			if (meminfo(&after) == 0 &&
			    after.free_pages == before.free_pages)
				break;
			sleep_ms(10);
		}
		printf("# free pages: %lu before, %lu after (%+ld); tasks: %lu before, %lu after\n",
		       before.free_pages, after.free_pages,
		       (long)(after.free_pages - before.free_pages),
		       before.nr_tasks, after.nr_tasks);
		if (after.free_pages == before.free_pages) {
			printf("ok %d free_pages_back_to_baseline\n", num);
			passed++;
		} else {
			printf("not ok %d free_pages_back_to_baseline\n", num);
		}
	}
	printf("# usertests: %d of %d passed\n", passed, n + 1);
	return passed == n + 1 ? 0 : 1;
}
