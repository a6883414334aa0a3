/*
 * sys/resource.h - resource usage: getrusage(2), with Linux's `who`
 * values and struct rusage (include/uapi/linux/resource.h, shared with
 * the kernel). Its two times are struct timeval's (<sys/time.h>) layout.
 */
#ifndef _SYS_RESOURCE_H
#define _SYS_RESOURCE_H

#include <sys/time.h>

#include <linux/resource.h> /* RUSAGE_*, struct rusage */

/*
 * getrusage - the resource usage of the calling process (who =
 * RUSAGE_SELF), of its children that ended and were waited for
 * (RUSAGE_CHILDREN) or of the calling thread (RUSAGE_THREAD), in *usage.
 * Returns 0, or -1 with errno (EINVAL: another who; EFAULT). What our
 * kernel fills (the minor faults; the rest is zero): docs/syscalls.md.
 * Linux's getrusage(2).
 */
int getrusage(int who, struct rusage *usage);

#endif
