/*
 * futex.h - fast user-space mutexes, the part threads need (kernel/
 * futex.c): FUTEX_WAIT sleeps while a user word holds an expected value,
 * FUTEX_WAKE wakes sleepers on a word. libc's thread_join waits this way
 * for the kernel to clear the child's tid word (CLONE_CHILD_CLEARTID).
 */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include <kernel/types.h>

struct mm_struct;

/*
 * futex_wake - wake up to n tasks waiting in FUTEX_WAIT on the user word
 * uaddr of mm, oldest first, and at least one when any waits (n <= 0
 * counts as 1, as in Linux); returns how many. Does not check uaddr
 * (sys_futex() does). Safe with interrupts off. Linux's futex_wake().
 */
int futex_wake(struct mm_struct *mm, unsigned long uaddr, int n);

#endif
