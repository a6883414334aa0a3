/*
 * sys/ioctl.h - ioctl(2) (libc/poll.c), as glibc's <sys/ioctl.h>: the
 * requests (TCGETS, TIOCGWINSZ, FIONREAD, ...) and struct winsize come
 * from the kernel's <asm/ioctls.h>.
 */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#include <asm/ioctls.h>

/* ioctl - request on fd with one argument (a pointer or a number);
 * returns the request's value (>= 0) or -1 with errno set. */
int ioctl(int fd, unsigned long request, ...);

#endif
