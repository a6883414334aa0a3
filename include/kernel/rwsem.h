/*
 * rwsem.h - reader-writer semaphores (kernel/rwsem.c), as Linux's
 * <linux/rwsem.h>: a sleeping lock that any number of readers may hold
 * together, or one writer alone. A task that cannot have it sleeps
 * instead of spinning, so it may be held across anything that sleeps;
 * only tasks may take it (never interrupt handlers). The mm's mmap_lock
 * (include/mm/mmap_lock.h) is one.
 *
 * Fairness is Linux's in spirit: once a task waits, later tasks queue
 * behind it (a reader does not pass a waiting writer), and the lock is
 * handed to the waiters at the head of the queue in order -- the first
 * writer alone, or every reader up to the next writer.
 */
#ifndef KERNEL_RWSEM_H
#define KERNEL_RWSEM_H

#include <kernel/atomic.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>

struct task;

/*
 * count: RWSEM_WRITER_LOCKED while a writer holds it, RWSEM_FLAG_WAITERS
 * while wait_list is not empty, plus RWSEM_READER_BIAS per reader. The
 * fast paths change it with one atomic operation and never look at
 * wait_list; everything else happens under wait_lock.
 */
struct rw_semaphore {
	atomic_long_t count;
	struct task *owner;	    /* the writer while write-locked, else
				     * NULL (readers are not recorded) */
	spinlock_t wait_lock;	    /* wait_list and the hand-over */
	struct list_head wait_list; /* struct rwsem_waiter, oldest first */
};

#define RWSEM_WRITER_LOCKED (1L << 0)
#define RWSEM_FLAG_WAITERS  (1L << 1)
#define RWSEM_READER_SHIFT  8
#define RWSEM_READER_BIAS   (1L << RWSEM_READER_SHIFT)

#define __RWSEM_INITIALIZER(name)                              \
	{                                                      \
		.count = ATOMIC_LONG_INIT(0), .owner = NULL,   \
		.wait_lock = SPINLOCK_INIT,                    \
		.wait_list = LIST_HEAD_INIT((name).wait_list), \
	}
#define DECLARE_RWSEM(name) struct rw_semaphore name = __RWSEM_INITIALIZER(name)

/* init_rwsem - make sem free, with no waiters. Linux's init_rwsem(). */
void init_rwsem(struct rw_semaphore *sem);

/* The slow paths of kernel/rwsem.c, behind the inline fast paths below:
 * queue and sleep until granted; hand the lock to the waiters. */
void rwsem_down_read_slowpath(struct rw_semaphore *sem);
void rwsem_down_write_slowpath(struct rw_semaphore *sem);
void rwsem_wake(struct rw_semaphore *sem);

/* down_read_trylock - take sem for reading if that needs no wait; true
 * on success. Never sleeps: safe with interrupts off. Linux's. */
static inline bool down_read_trylock(struct rw_semaphore *sem)
{
	long c = atomic_long_read(&sem->count);

	while (!(c & (RWSEM_WRITER_LOCKED | RWSEM_FLAG_WAITERS)))
		if (atomic_long_try_cmpxchg_acquire(&sem->count, &c,
						    c + RWSEM_READER_BIAS))
			return true;
	return false;
}

/*
 * down_read - take sem for reading, sleeping while a writer holds it or
 * anyone waits for it. Not recursive in practice: a reader that takes it
 * again while a writer waits sleeps for ever (as in Linux). Linux's
 * down_read(). The fast path is inline: every page fault takes it.
 */
static inline void down_read(struct rw_semaphore *sem)
{
	if (!down_read_trylock(sem))
		rwsem_down_read_slowpath(sem);
}

/* up_read - release a read hold; the last reader hands the lock to the
 * waiters. Linux's up_read(). */
static inline void up_read(struct rw_semaphore *sem)
{
	long c = atomic_long_sub_return_release(RWSEM_READER_BIAS, &sem->count);

	/* The last reader, and someone waits (a writer, necessarily). */
	if (c == RWSEM_FLAG_WAITERS)
		rwsem_wake(sem);
}

/*
 * down_write - take sem for writing, sleeping while anyone holds it or
 * waits for it. Linux's down_write().
 */
void down_write(struct rw_semaphore *sem);

/* down_write_trylock - take sem for writing if it is free and nobody
 * waits; true on success. Never sleeps. Linux's. */
bool down_write_trylock(struct rw_semaphore *sem);

/*
 * up_write - release the write hold and hand the lock to the waiters.
 * Panics if current is not the writer (Linux checks the same under
 * CONFIG_DEBUG_RWSEMS). Linux's up_write().
 */
void up_write(struct rw_semaphore *sem);

/*
 * downgrade_write - turn the caller's write hold into a read hold without
 * letting go: no writer can come in between, so what the caller saw
 * and changed as the writer stays as it left it, while other readers
 * (waiting ones at the head of the queue, up to the first waiting
 * writer, and new ones if nobody waits) may now join. Release with
 * up_read(). Panics if current is not the writer. Linux's
 * downgrade_write(); munmap uses it to free pages while faults go on
 * (mmap_write_downgrade()).
 */
void downgrade_write(struct rw_semaphore *sem);

/* rwsem_is_locked - held by a reader or a writer (a snapshot). Linux's. */
static inline bool rwsem_is_locked(struct rw_semaphore *sem)
{
	return atomic_long_read(&sem->count) &
	       (RWSEM_WRITER_LOCKED | ~(RWSEM_READER_BIAS - 1));
}

/* rwsem_write_owner - the task holding sem for writing, or NULL. Ours,
 * for assertions (Linux's lockdep_assert_held_write() does it with
 * lockdep). */
static inline struct task *rwsem_write_owner(struct rw_semaphore *sem)
{
	return READ_ONCE(sem->owner);
}

#endif
