/*
 * mutex.h - a sleeping lock (kernel/mutex.c), as Linux's <linux/mutex.h>:
 * a task that finds it held sleeps instead of spinning. Only tasks may
 * take it (never interrupt handlers), and only its owner may release it.
 */
#ifndef KERNEL_MUTEX_H
#define KERNEL_MUTEX_H

#include <kernel/wait.h>

struct mutex {
	struct task *owner;	   /* NULL when free */
	struct wait_queue_head wq; /* tasks waiting for it */
};

#define MUTEX_INIT(name)                              \
	{                                             \
		NULL, WAIT_QUEUE_HEAD_INIT((name).wq) \
	}
#define DEFINE_MUTEX(name) struct mutex name = MUTEX_INIT(name)

/* mutex_init - make m free, with no waiters. Linux's mutex_init(). */
void mutex_init(struct mutex *m);

/*
 * mutex_lock - take m, sleeping while another task holds it. Not
 * recursive: a task that takes m twice sleeps forever. Linux's
 * mutex_lock().
 */
void mutex_lock(struct mutex *m);

/* mutex_trylock - take m if it is free; true on success, never sleeps.
 * Linux's mutex_trylock(). */
bool mutex_trylock(struct mutex *m);

/*
 * mutex_unlock - release m and wake its waiters. Panics if current is not
 * the owner (Linux warns under CONFIG_DEBUG_MUTEXES). Linux's
 * mutex_unlock().
 */
void mutex_unlock(struct mutex *m);

#endif
