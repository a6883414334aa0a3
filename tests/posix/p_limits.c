/*
 * p_limits - resource limits as a C library reads and sets them:
 * getrlimit(3)/setrlimit(3) (musl and glibc call prlimit64(2)), and the
 * raw getrlimit(2), setrlimit(2) and prlimit64(2) with Linux's errors. A
 * lowered soft limit is kept and reported; a lowered hard limit can be
 * raised again only with CAP_SYS_RESOURCE: on our kernel every process
 * is root and has it, on the Linux host it depends on who runs the test
 * and where.
 */
#define _GNU_SOURCE
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "ptest.h"

int main(void)
{
	struct rlimit r, old, low;
	struct utsname u;
	int poe = uname(&u) == 0 && strcmp(u.sysname, "POE") == 0;

	CHECK_EQ(getrlimit(RLIMIT_NOFILE, &old), 0);
	CHECK(old.rlim_cur > 2 && old.rlim_cur <= old.rlim_max);
	CHECK_EQ(getrlimit(RLIMIT_STACK, &r), 0);
	CHECK(r.rlim_cur >= 65536 && r.rlim_cur <= r.rlim_max);
	CHECK_EQ(getrlimit(RLIMIT_AS, &r), 0);
	CHECK(r.rlim_cur <= r.rlim_max);

	/* lower the soft limit: kept, reported by all three calls, and
	 * inherited by a child */
	low = old;
	low.rlim_cur = 100;
	CHECK_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
	CHECK_EQ(getrlimit(RLIMIT_NOFILE, &r), 0);
	CHECK_EQ(r.rlim_cur, 100);
	CHECK_EQ(r.rlim_max, old.rlim_max);
	CHECK_EQ(syscall(SYS_getrlimit, RLIMIT_NOFILE, &r), 0);
	CHECK_EQ(r.rlim_cur, 100);
	CHECK_EQ(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &r), 0);
	CHECK_EQ(r.rlim_cur, 100);
	CHECK_EQ(syscall(SYS_prlimit64, getpid(), RLIMIT_NOFILE, NULL, &r), 0);
	CHECK_EQ(r.rlim_cur, 100);
	{
		pid_t pid = fork();
		int status = -1;

		if (pid == 0) {
			struct rlimit c;

			_exit(getrlimit(RLIMIT_NOFILE, &c) == 0 &&
					      c.rlim_cur == 100 ?
				      0 :
				      1);
		}
		CHECK(pid > 0);
		CHECK_EQ(waitpid(pid, &status, 0), pid);
		CHECK_EQ(status, 0);
	}
	/* back, and prlimit's old value is the one replaced */
	CHECK_EQ(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &old, &r), 0);
	CHECK_EQ(r.rlim_cur, 100);
	CHECK_EQ(getrlimit(RLIMIT_NOFILE, &r), 0);
	CHECK_EQ(r.rlim_cur, old.rlim_cur);

	/* lower the hard limit of RLIMIT_CORE, then raise it again */
	CHECK_EQ(getrlimit(RLIMIT_CORE, &old), 0);
	low.rlim_cur = 0;
	low.rlim_max = 4096;
	if (old.rlim_max >= 4096) {
		CHECK_EQ(setrlimit(RLIMIT_CORE, &low), 0);
		CHECK_EQ(getrlimit(RLIMIT_CORE, &r), 0);
		CHECK_EQ(r.rlim_max, 4096);
		/* Root may raise it on our kernel; on Linux root
		 * without CAP_SYS_RESOURCE (a container) may not. */
		int raised = setrlimit(RLIMIT_CORE, &old) == 0 ? 0 : errno;

		CHECK(raised == 0 || (!poe && raised == EPERM));
	}

	/* errors, in Linux's order */
	low.rlim_cur = 10;
	low.rlim_max = 5;
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &low), EINVAL);
	CHECK_ERR(syscall(SYS_getrlimit, 99, &r), EINVAL);
	CHECK_ERR(syscall(SYS_setrlimit, 99, &old), EINVAL);
	CHECK_ERR(syscall(SYS_setrlimit, 99, (void *)16), EFAULT);
	CHECK_ERR(syscall(SYS_getrlimit, RLIMIT_NOFILE, (void *)16), EFAULT);
	CHECK_ERR(syscall(SYS_prlimit64, 0, 99, NULL, &r), EINVAL);
	CHECK_ERR(syscall(SYS_prlimit64, 0x3ffffff0, RLIMIT_NOFILE, NULL, &r),
		  ESRCH);
	CHECK_ERR(syscall(SYS_prlimit64, 0x3ffffff0, 99, (void *)16, &r),
		  EFAULT);
	low.rlim_cur = 1;
	low.rlim_max = (1 << 20) + 1; /* above fs.nr_open, for root too */
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &low), EPERM);
	return pt_done("p_limits");
}
