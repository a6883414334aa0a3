/*
 * err.h - an error number in a pointer, as Linux's <linux/err.h>: the
 * last 4095 addresses of the address space are never valid objects, so a
 * function returning a pointer can return -errno there instead.
 */
#ifndef KERNEL_ERR_H
#define KERNEL_ERR_H

#include <kernel/types.h>

#define MAX_ERRNO 4095

/* ERR_PTR - -errno error as a pointer. Linux's. */
static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

/* PTR_ERR - the -errno an error pointer holds. Linux's. */
static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

/* IS_ERR - is ptr an error pointer? Linux's. */
static inline bool IS_ERR(const void *ptr)
{
	return (unsigned long)ptr >= (unsigned long)-MAX_ERRNO;
}

#endif
