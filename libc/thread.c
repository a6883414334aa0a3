/*
 * thread.c - thread_create/thread_join (<thread.h>) on clone() and futex.
 * Uses only calls glibc has too (clone, mmap, mprotect, munmap, syscall),
 * so tests/user link this file into their glibc builds unchanged.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <thread.h>
#include <unistd.h>

#ifndef FUTEX_WAIT
#define FUTEX_WAIT 0
#endif

#define GUARD 4096

struct thread {
	volatile pid_t tid; /* set by CLONE_PARENT_SETTID, cleared at exit */
	void *(*fn)(void *);
	void *arg;
	void *ret;
	void *map; /* guard page + stack + this struct */
	size_t map_len;
};

static int thread_start(void *p)
{
	struct thread *t = p;

	t->ret = t->fn(t->arg);
	return 0;
}

int thread_create(thread_t *tp, void *(*fn)(void *), void *arg)
{
	size_t len = GUARD + THREAD_STACK_SIZE + 4096;
	char *map;
	struct thread *t;
	int tid;

	map = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (map == MAP_FAILED)
		return errno ? errno : ENOMEM;
	(void)mprotect(map, GUARD, PROT_NONE); /* best effort */
	/* The struct sits in the top page; the stack grows down below it. */
	t = (struct thread *)(map + len - 4096);
	t->tid = 0;
	t->fn = fn;
	t->arg = arg;
	t->ret = NULL;
	t->map = map;
	t->map_len = len;
	tid = clone(thread_start, t,
		    CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			    CLONE_THREAD | CLONE_SYSVSEM | CLONE_PARENT_SETTID |
			    CLONE_CHILD_CLEARTID,
		    t, (pid_t *)&t->tid, (void *)NULL, (pid_t *)&t->tid);
	if (tid < 0) {
		int e = errno;

		munmap(map, len);
		return e ? e : EAGAIN;
	}
	*tp = t;
	return 0;
}

int thread_join(thread_t t, void **ret)
{
	pid_t v;

	/*
	 * The kernel stores 0 and does FUTEX_WAKE (shared, not private) on
	 * the tid word when the thread exits; FUTEX_WAIT returns at once
	 * (EAGAIN) if the word no longer holds v.
	 */
	while ((v = t->tid) != 0)
		/* cppcheck-suppress varFuncNullUB ; NULL is ((void *)0): pointer-sized */
		syscall(SYS_futex, &t->tid, FUTEX_WAIT, v, NULL, NULL, 0);
	if (ret)
		*ret = t->ret;
	munmap(t->map, t->map_len);
	return 0;
}

int thread_tid(thread_t t)
{
	return t->tid;
}
