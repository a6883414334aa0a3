/*
 * t_efault - system calls given kernel pointers, unmapped user pointers
 * or ranges that run off the end of user space fail with EFAULT (the
 * kernel must not crash, and the caller is not killed).
 * clock_gettime goes through syscall() because glibc's would use the vDSO
 * and fault in user space instead.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_efault"
#include "utest.h"
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>

#define KERNEL_PTR     ((void *)0xffffffff80000000UL)
#define DIRECT_MAP_PTR ((void *)0xffff800000000000UL)
#define UNMAPPED_PTR   ((void *)0x1000UL)
#define NONCANONICAL   ((void *)0x0000800000000000UL)

int main(void)
{
	static char buf[64];
	/* A range that starts in user space and ends beyond it. */
	void *straddle = (void *)(0x00007fffffffffffUL - 8);

	CHECK_ERR(write(1, KERNEL_PTR, 10), EFAULT);
	CHECK_ERR(write(1, DIRECT_MAP_PTR, 10), EFAULT);
	CHECK_ERR(write(1, UNMAPPED_PTR, 10), EFAULT);
	CHECK_ERR(write(1, NONCANONICAL, 10), EFAULT);
	CHECK_ERR(write(1, straddle, 64), EFAULT);
	/* A valid start whose end is unmapped may write a partial result on
	 * Linux; only a range that starts bad must fail outright. */

	CHECK_ERR(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, UNMAPPED_PTR),
		  EFAULT);
	CHECK_ERR(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, KERNEL_PTR),
		  EFAULT);
	CHECK_ERR(uname(KERNEL_PTR), EFAULT);
	CHECK_ERR(uname(UNMAPPED_PTR), EFAULT);
	CHECK_ERR(nanosleep(KERNEL_PTR, NULL), EFAULT);
	CHECK_ERR(execve(KERNEL_PTR, NULL, NULL), EFAULT);

	/* Text is readable: writing from it is fine; reading into it is not. */
	CHECK_EQ(write(1, "# t_efault: write from .rodata works\n", 37), 37);
	CHECK_ERR(syscall(SYS_clock_gettime, CLOCK_MONOTONIC,
			  (void *)(unsigned long)main),
		  EFAULT);
	CHECK_EQ(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, buf), 0);
	return utest_done();
}
