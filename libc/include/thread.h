/*
 * thread.h - a minimal thread API on clone() (libc/thread.c).
 *
 * Each thread gets a stack of THREAD_STACK_SIZE bytes from mmap with an
 * inaccessible guard page below it, and is created with
 *   CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
 *   CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID
 * so the kernel stores the new tid in the thread's tid word and, when the
 * thread exits, zeroes that word and futex-wakes it (Linux semantics);
 * thread_join sleeps in futex(FUTEX_WAIT) until then and unmaps the stack.
 * Threads share everything, errno included (see <errno.h>). No TLS.
 *
 * Works with this libc and, unchanged, with glibc (clone, mmap, syscall);
 * tests/user use it on both.
 */
#ifndef _THREAD_H
#define _THREAD_H

#include <stddef.h>

#define THREAD_STACK_SIZE (64 * 1024)

typedef struct thread *thread_t;

/*
 * thread_create - start fn(arg) in a new thread; *t identifies it.
 * Returns 0, or an error number (ENOMEM, EAGAIN, ...) as pthread does.
 */
int thread_create(thread_t *t, void *(*fn)(void *), void *arg);

/*
 * thread_join - wait for t to exit, store fn's return value in *ret (if
 * ret is not NULL) and free t. Each thread is joined exactly once.
 * Returns 0, or an error number.
 */
int thread_join(thread_t t, void **ret);

/* thread_tid - the kernel tid of t (0 once it has exited). */
int thread_tid(thread_t t);

#endif
