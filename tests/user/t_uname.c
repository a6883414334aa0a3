/* t_uname - uname fills all six fields with NUL-terminated strings. */
#define _GNU_SOURCE
#define TEST_NAME "t_uname"
#include "utest.h"
#include <sys/utsname.h>

int main(void)
{
	struct utsname u;

	memset(&u, 0x55, sizeof(u));
	CHECK_EQ(uname(&u), 0);
	CHECK(memchr(u.sysname, 0, sizeof(u.sysname)) != NULL);
	CHECK(memchr(u.nodename, 0, sizeof(u.nodename)) != NULL);
	CHECK(memchr(u.release, 0, sizeof(u.release)) != NULL);
	CHECK(memchr(u.version, 0, sizeof(u.version)) != NULL);
	CHECK(memchr(u.machine, 0, sizeof(u.machine)) != NULL);
	CHECK(strlen(u.sysname) > 0);
	CHECK_EQ(strcmp(u.machine, "x86_64"), 0);
	CHECK_EQ(sizeof(u), 6 * 65);
	diag("%s %s %s %s", u.sysname, u.release, u.version, u.machine);
	return utest_done();
}
