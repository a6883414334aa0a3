/*
 * mutex.c - sleeping locks (include/kernel/mutex.h). The owner field is
 * tested and set with interrupts off, which on one CPU makes the pair
 * atomic; waiters sleep on the mutex's wait queue.
 */
#include <kernel/mutex.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <asm/irqflags.h>

void mutex_init(struct mutex *m)
{
	m->owner = NULL;
	init_waitqueue_head(&m->wq);
}

bool mutex_trylock(struct mutex *m)
{
	unsigned long flags;
	bool ok = false;

	local_irq_save(flags);
	if (!m->owner) {
		m->owner = current;
		ok = true;
	}
	local_irq_restore(flags);
	return ok;
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
	WRITE_ONCE(m->owner, NULL);
	wake_up(&m->wq);
}
