/*
 * t_exec - which error execve(2) returns when a call is wrong in several
 * ways at once. Linux 6.1 reads the path, counts argv and envp, copies
 * the strings, envp's first, and opens the file last
 * (do_execveat_common(), bprm_execve()): a missing file with a bad argv
 * is EFAULT, and a bad envp string is found before a bad argv string.
 * Linux 6.8 opens the file first (commit "execve: open the executable
 * file before doing anything else"), so there a missing file is ENOENT
 * whatever the arguments; on Linux the test expects the order of the
 * version it runs on, on this kernel 6.1's.
 * Also: a path of many short components may be longer than 255 bytes
 * (only PATH_MAX, 4096, limits it), one component may not; and an empty
 * argv reaches the new program as { "" } (argc 1, Linux 5.18 and later),
 * never as argc 0.
 *
 * The test runs itself (argv[0]) for the cases that must succeed, in a
 * child; run with no arguments but an empty argv[0], it exits with
 * ARGC0_OK.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_exec"
#include "utest.h"
#include <sys/syscall.h>
#include <sys/utsname.h>

#define KERNEL_PTR ((void *)0xffffffff80000000UL)
#define MISSING	   "/no/such/file"
#define BIG	   (200 * 1024) /* above Linux's MAX_ARG_STRLEN and ours */
#define ARGC0_OK   33
#define ARGC0_BAD  34

static const char *self;
static char *big; /* BIG - 1 'x', NUL */

/* execve through syscall(): no libc wrapper between us and the kernel. */
static long sys_execve(const char *path, char *const argv[], char *const envp[])
{
	return syscall(SYS_execve, path, argv, envp);
}

/* Does the kernel look for the file before it reads the arguments?
 * Linux from 6.8 on; Linux 6.1, and this kernel, after. */
static int file_first(void)
{
	struct utsname u;
	int major = 0, minor = 0;
	const char *p;

	if (uname(&u) != 0 || strcmp(u.sysname, "Linux") != 0)
		return 0;
	for (p = u.release; *p >= '0' && *p <= '9'; p++)
		major = major * 10 + (*p - '0');
	if (*p++ != '.')
		return 0;
	for (; *p >= '0' && *p <= '9'; p++)
		minor = minor * 10 + (*p - '0');
	return major > 6 || (major == 6 && minor >= 8);
}

/* Child bodies: exec self with an empty argv, or with NULL for argv. */
static int exec_empty_argv(void *arg)
{
	char *const none[] = { NULL };

	(void)arg;
	sys_execve(self, arg ? NULL : none, none);
	return 99; /* the exec failed */
}

static void check_argc0(const char *what, void *arg)
{
	int status = run_child(exec_empty_argv, arg);

	utest_checks++;
	if (status == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != ARGC0_OK) {
		utest_failures++;
		diag("FAIL %s: the new program did not see argv = { \"\" }",
		     what);
		if (status != -1)
			describe_status(what, status);
	}
}

int main(int argc, char **argv)
{
	char *const bad_str_argv[] = { (char *)KERNEL_PTR, NULL };
	char *const ok_argv[] = { (char *)"t_exec", (char *)"--unused", NULL };
	char *const big_argv[] = { NULL, NULL };
	char *const none[] = { NULL };
	char *long_path, *long_name;
	int ff;

	if (argc == 1 && argv[0] && argv[0][0] == '\0')
		return ARGC0_OK; /* run by check_argc0() */
	if (argc == 0)
		return ARGC0_BAD;
	self = argv[0];
	big = malloc(BIG);
	long_path = malloc(5000);
	long_name = malloc(400);
	CHECK(big && long_path && long_name);
	if (!big || !long_path || !long_name)
		return utest_done();
	memset(big, 'x', BIG - 1);
	big[BIG - 1] = '\0';
	((char **)big_argv)[0] = big;

	/* A missing file: the arguments' errors come first, or not. */
	ff = file_first();
	diag("the file is looked up %s the arguments are read",
	     ff ? "before" : "after");
	CHECK_ERR(sys_execve(MISSING, (char *const *)KERNEL_PTR, none),
		  ff ? ENOENT : EFAULT);
	CHECK_ERR(sys_execve(MISSING, bad_str_argv, none),
		  ff ? ENOENT : EFAULT);
	CHECK_ERR(sys_execve(MISSING, big_argv, none), ff ? ENOENT : E2BIG);
	CHECK_ERR(sys_execve(MISSING, ok_argv, (char *const *)KERNEL_PTR),
		  ff ? ENOENT : EFAULT);
	CHECK_ERR(sys_execve(MISSING, ok_argv, big_argv), ff ? ENOENT : E2BIG);
	CHECK_ERR(sys_execve(MISSING, bad_str_argv, big_argv),
		  ff ? ENOENT : E2BIG);
	CHECK_ERR(sys_execve(MISSING, ok_argv, none), ENOENT);
	/* The path itself is always read first. */
	CHECK_ERR(sys_execve("", bad_str_argv, none), ENOENT);
	CHECK_ERR(sys_execve(KERNEL_PTR, bad_str_argv, none), EFAULT);

	/* With the file there: the vectors, then envp's strings, then
	 * argv's. */
	CHECK_ERR(sys_execve(self, (char *const *)KERNEL_PTR, none), EFAULT);
	CHECK_ERR(sys_execve(self, ok_argv, (char *const *)KERNEL_PTR), EFAULT);
	CHECK_ERR(sys_execve(self, bad_str_argv, none), EFAULT);
	CHECK_ERR(sys_execve(self, big_argv, none), E2BIG);
	CHECK_ERR(sys_execve(self, none, big_argv), E2BIG);
	CHECK_ERR(sys_execve(self, bad_str_argv, big_argv), E2BIG);
	CHECK_ERR(sys_execve(self, big_argv, bad_str_argv), EFAULT);
	CHECK_ERR(sys_execve(self, (char *const *)KERNEL_PTR, big_argv),
		  EFAULT); /* both vectors are read before any string */

	/* Path limits: PATH_MAX for the whole, NAME_MAX for a component. */
	memset(long_path, 0, 5000);
	for (int i = 0; i < 200; i++)
		memcpy(long_path + 2 * i, "/a", 2);
	CHECK_ERR(sys_execve(long_path, ok_argv, none), ENOENT);
	memset(long_path, 'a', 4999);
	long_path[0] = '/';
	long_path[4999] = '\0';
	CHECK_ERR(sys_execve(long_path, ok_argv, none), ENAMETOOLONG);
	memset(long_name, 'a', 399);
	long_name[0] = '/';
	long_name[399] = '\0';
	CHECK_ERR(sys_execve(long_name, ok_argv, none), ENAMETOOLONG);

	/* An empty or NULL argv: the new program gets argv = { "" }. */
	check_argc0("argv = { NULL }", NULL);
	check_argc0("argv = NULL", (void *)1);
	free(big);
	free(long_path);
	free(long_name);
	return utest_done();
}
