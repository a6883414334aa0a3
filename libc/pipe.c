/*
 * pipe.c - pipe(2) and pipe2(2) over Linux's calls (the kernel's side:
 * fs/pipe.c). Each returns -1 and sets errno on failure, as glibc's.
 */
#include <unistd.h>
#include "syscall_arch.h"

int pipe(int fds[2])
{
	return (int)__syscall_ret(__syscall1(__NR_pipe, (long)fds));
}

int pipe2(int fds[2], int flags)
{
	return (int)__syscall_ret(__syscall2(__NR_pipe2, (long)fds, flags));
}
