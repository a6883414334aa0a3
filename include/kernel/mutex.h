/*
 * mutex.h - a sleeping lock (kernel/mutex.c), as Linux's <linux/mutex.h>:
 * a task that finds it held sleeps instead of spinning. Only tasks may
 * take it (never interrupt handlers), and only its owner may release it.
 */
#ifndef KERNEL_MUTEX_H
#define KERNEL_MUTEX_H

#include <kernel/wait.h>

struct mutex {
	struct task *owner;		/* NULL when free */
	struct wait_queue_head wq;	/* tasks waiting for it */
};

#define MUTEX_INIT(name) { NULL, WAIT_QUEUE_HEAD_INIT((name).wq) }
#define DEFINE_MUTEX(name) struct mutex name = MUTEX_INIT(name)

void mutex_init(struct mutex *m);

/* mutex_lock - take m, sleeping while another task holds it. */
void mutex_lock(struct mutex *m);

/* mutex_trylock - take m if free: returns true on success. */
bool mutex_trylock(struct mutex *m);

/* mutex_unlock - release m (panics if current is not the owner). */
void mutex_unlock(struct mutex *m);

#endif
