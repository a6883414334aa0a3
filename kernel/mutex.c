/*
 * mutex.c - sleeping locks (include/kernel/mutex.h). The owner field is
 * the lock: one compare-and-exchange from NULL to current takes it, on
 * any CPU. Waiters sleep on the mutex's wait queue. No wake-up is lost:
 * a waiter queues itself (under the queue's spinlock) before it tests
 * owner again, and mutex_unlock() clears owner before it takes that
 * spinlock to wake the queue, so either the waiter sees NULL or the
 * unlocker sees the waiter.
 */
#include <kernel/mutex.h>
#include <kernel/panic.h>
#include <kernel/sched.h>

void mutex_init(struct mutex *m)
{
	m->owner = NULL;
	init_waitqueue_head(&m->wq);
}

bool mutex_trylock(struct mutex *m)
{
	struct task *none = NULL;

	return __atomic_compare_exchange_n(&m->owner, &none, current, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void mutex_lock(struct mutex *m)
{
	while (!mutex_trylock(m))
		wait_event(m->wq, READ_ONCE(m->owner) == NULL);
}

void mutex_unlock(struct mutex *m)
{
	if (m->owner != current)
		panic("mutex_unlock by %s (pid %d), not the owner",
		      current->comm, current->pid);
	__atomic_store_n(&m->owner, NULL, __ATOMIC_RELEASE);
	wake_up(&m->wq);
}
