/*
 * errno.h - Linux's errno values, so that kernel functions and system
 * calls return the numbers Linux does. The list itself is shared with
 * libc: include/uapi/asm/errno.h.
 */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#include <asm/errno.h>

#endif
