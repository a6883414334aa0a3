/*
 * errno.h - Linux's errno values, so that kernel functions and system
 * calls return the numbers Linux does. The list itself is shared with
 * libc: include/uapi/asm/errno.h.
 */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#include <asm/errno.h>

/*
 * Kernel-internal codes a system call returns when a signal interrupted
 * it; they never reach user space: the way back to user mode
 * (arch/x86_64/signal.c arch_do_signal_or_restart()) turns them into a
 * restart of the call or -EINTR. Linux's include/linux/errno.h.
 */
#define ERESTARTSYS	      512 /* restart if SA_RESTART, else EINTR */
#define ERESTARTNOINTR	      513 /* always restart */
#define ERESTARTNOHAND	      514 /* restart only if no handler ran */
#define ERESTART_RESTARTBLOCK 516 /* restart through restart_syscall(2) */

#endif
