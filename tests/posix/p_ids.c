/*
 * p_ids - the ids a C library asks for: getuid(2) and its kin agree with
 * getresuid(2)/getresgid(2), getpid, gettid and getppid make sense, and
 * uname(2) names an x86_64 machine; getgroups(2), prctl(2)'s thread
 * name and dumpable flag (busybox asks PR_GET_NAME first thing), sync(2),
 * and reboot(2)'s refusal of wrong magic. Root or not does not matter
 * (the Linux host may run it as anyone; on our kernel every id is 0).
 */
#define _GNU_SOURCE
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include "ptest.h"

int main(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	struct utsname u;

	CHECK_EQ(getresuid(&r, &e, &s), 0);
	CHECK_EQ(r, getuid());
	CHECK_EQ(e, geteuid());
	CHECK_EQ(getresgid(&gr, &ge, &gs), 0);
	CHECK_EQ(gr, getgid());
	CHECK_EQ(ge, getegid());
	CHECK_ERR(syscall(SYS_getresuid, (void *)16, &e, &s), EFAULT);
	CHECK_ERR(syscall(SYS_getresgid, &gr, &ge, (void *)16), EFAULT);
	CHECK(getpid() > 0);
	CHECK_EQ(syscall(SYS_gettid), getpid());
	CHECK(getppid() >= 0);
	CHECK_EQ(uname(&u), 0);
	CHECK_EQ(strcmp(u.machine, "x86_64"), 0);

	/* getgroups: a count, and -EINVAL for a negative size */
	CHECK(getgroups(0, NULL) >= 0);
	CHECK_ERR(syscall(SYS_getgroups, -1, NULL), EINVAL);

	/* prctl: the name is cut to 15 bytes; unknown options -EINVAL */
	{
		char name[16] = "";

		CHECK_EQ(prctl(PR_SET_NAME, "p_ids-renamed-too-long", 0, 0, 0),
			 0);
		CHECK_EQ(prctl(PR_GET_NAME, name, 0, 0, 0), 0);
		CHECK_EQ(strcmp(name, "p_ids-renamed-t"), 0);
		CHECK_ERR(prctl(PR_GET_NAME, (void *)16, 0, 0, 0), EFAULT);
		CHECK_ERR(prctl(PR_SET_NAME, (void *)16, 0, 0, 0), EFAULT);
		CHECK_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
		CHECK_ERR(prctl(PR_SET_DUMPABLE, 7, 0, 0, 0), EINVAL);
		CHECK_ERR(prctl(0x7fff0001, 0, 0, 0, 0), EINVAL);
	}

	/* sync has nothing to fail on; reboot refuses wrong magic (Linux
	 * without CAP_SYS_BOOT, in a container, says EPERM first) */
	CHECK_EQ(syscall(SYS_sync), 0);
	{
		struct utsname k;
		int poe = uname(&k) == 0 && strcmp(k.sysname, "POE") == 0;
		long r = syscall(SYS_reboot, 0x12345678, 0, 0x4321fedc, NULL);
		int e = errno;

		CHECK(r == -1 && (e == EINVAL || (!poe && e == EPERM)));
	}
	return pt_done("p_ids");
}
