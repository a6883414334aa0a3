/*
 * errno.h - error numbers (Linux's values, asm-generic/errno-base.h and
 * errno.h) and errno.
 *
 * errno is one plain global, not thread-local: threads made with clone()
 * or <thread.h> share it, so a thread must read errno right after the call
 * that set it and treat it as advisory when other threads make calls too.
 */
#ifndef _ERRNO_H
#define _ERRNO_H

extern int errno;

#include <asm/errno.h> /* the numbers, shared with the kernel */

#define EWOULDBLOCK EAGAIN

#endif
