/*
 * t_enosys - numbers no kernel call answers fail with ENOSYS: one above
 * Linux's table (999), one in our private range that nothing uses (1099),
 * a huge one and -1; and the process is not harmed (a known call works
 * afterwards).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_enosys"
#include "utest.h"

int main(void)
{
	CHECK_ERR(syscall(999), ENOSYS);
	CHECK_ERR(syscall(999, 1, 2, 3, 4, 5, 6), ENOSYS);
	CHECK_ERR(syscall(1099), ENOSYS);
	CHECK_ERR(syscall(100000), ENOSYS);
	CHECK_ERR(syscall(-1L), ENOSYS);
	CHECK_ERR(syscall(999), ENOSYS); /* again: no second console note */
	CHECK(getpid() > 0);
	return utest_done();
}
