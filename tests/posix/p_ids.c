/*
 * p_ids - the ids a C library asks for: getuid(2) and its kin agree with
 * getresuid(2)/getresgid(2), getpid, gettid and getppid make sense, and
 * uname(2) names an x86_64 machine. Root or not does not matter (the
 * Linux host may run it as anyone; on our kernel every id is 0).
 */
#define _GNU_SOURCE
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
	return pt_done("p_ids");
}
