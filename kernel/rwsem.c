/*
 * rwsem.c - reader-writer semaphores (include/kernel/rwsem.h). The design
 * is ours, with Linux's interface and its rules (kernel/locking/rwsem.c
 * has more kinds of spinning and lock stealing):
 *
 *   fast path   one atomic operation on count: a reader adds
 *               RWSEM_READER_BIAS if no writer holds it and nobody
 *               waits; a writer moves count from 0 to WRITER_LOCKED.
 *   slow path   under wait_lock: queue a struct rwsem_waiter on the
 *               caller's stack, set FLAG_WAITERS (from then on every fast
 *               path fails and queues behind us), try a hand-over
 *               ourselves, and sleep until a releaser has granted us the
 *               lock.
 *   spinning    a writer that finds another writer running on a CPU
 *               spins first (rwsem_optimistic_spin()), as Linux's
 *               writers do: the holder will soon let go, and a sleep
 *               and a wake-up IPI for every hand-over make one busy
 *               lock a convoy, each hand-over costing a cross-CPU
 *               wake-up (mm.fault_lock=global takes mmap_lock for
 *               writing in every fault).
 *   hand-over   rwsem_grant(), under wait_lock: while the head of the
 *               queue can have the lock, give it (count changes for it,
 *               as if it had taken it) and wake it. The waiter only reads
 *               its granted flag under wait_lock, so its stack frame
 *               stays valid until the granter lets go of wait_lock.
 *
 * Why no wake-up is lost: a releaser tests FLAG_WAITERS in the same
 * atomic operation that releases. A waiter sets FLAG_WAITERS atomically,
 * then runs rwsem_grant() itself; so a release either comes after the
 * flag (and the releaser hands over) or before it (and the waiter's own
 * rwsem_grant() finds the lock free). The waiter marks itself asleep
 * under wait_lock before it lets go, so a wake_up_process() between its
 * unlock and its schedule() is not lost either.
 */
#include <asm/cpu.h>
#include <kernel/panic.h>
#include <kernel/rwsem.h>
#include <kernel/sched.h>

enum rwsem_waiter_type {
	RWSEM_WAITING_FOR_READ,
	RWSEM_WAITING_FOR_WRITE
};

struct rwsem_waiter {
	struct list_head list;
	struct task *task;
	enum rwsem_waiter_type type;
	bool granted; /* set by rwsem_grant() under wait_lock */
};

#define RWSEM_READERS_MASK (~(RWSEM_READER_BIAS - 1))

void init_rwsem(struct rw_semaphore *sem)
{
	atomic_long_set(&sem->count, 0);
	sem->owner = NULL;
	spin_lock_init(&sem->wait_lock);
	INIT_LIST_HEAD(&sem->wait_list);
}

/*
 * Give the lock to the waiters at the head of the queue that can have it
 * now, and wake them. wait_lock held. Nobody but us can set
 * WRITER_LOCKED while FLAG_WAITERS is set (every fast path fails), so a
 * count without it stays without it, except that readers leave.
 */
static void rwsem_grant(struct rw_semaphore *sem)
{
	while (!list_empty(&sem->wait_list)) {
		struct rwsem_waiter *w = list_first_entry(&sem->wait_list,
							  struct rwsem_waiter,
							  list);
		long c = atomic_long_read(&sem->count);

		if (c & RWSEM_WRITER_LOCKED)
			break;
		if (w->type == RWSEM_WAITING_FOR_WRITE) {
			/* Only when the last reader has left. */
			if (c & RWSEM_READERS_MASK)
				break;
			if (!atomic_long_try_cmpxchg_acquire(
				    &sem->count, &c, c | RWSEM_WRITER_LOCKED))
				break; /* a reader left meanwhile: count
					* changed; its up_read() comes here */
			WRITE_ONCE(sem->owner, w->task);
		} else {
			atomic_long_add_return_acquire(RWSEM_READER_BIAS,
						       &sem->count);
		}
		list_del_init(&w->list);
		w->granted = true;
		wake_up_process(w->task);
		if (w->type == RWSEM_WAITING_FOR_WRITE)
			break;
	}
	if (list_empty(&sem->wait_list))
		atomic_long_fetch_andnot(RWSEM_FLAG_WAITERS, &sem->count);
}

/* Queue current, then sleep until rwsem_grant() gave it the lock. */
static void rwsem_wait(struct rw_semaphore *sem, enum rwsem_waiter_type type)
{
	struct rwsem_waiter w = { .task = current, .type = type };
	unsigned long flags;

	spin_lock_irqsave(&sem->wait_lock, flags);
	list_add_tail(&w.list, &sem->wait_list);
	atomic_long_fetch_or(RWSEM_FLAG_WAITERS, &sem->count);
	rwsem_grant(sem); /* the holder may have left before the flag */
	while (!w.granted) {
		current->state = TASK_INTERRUPTIBLE;
		spin_unlock_irqrestore(&sem->wait_lock, flags);
		schedule();
		spin_lock_irqsave(&sem->wait_lock, flags);
	}
	current->state = TASK_RUNNING;
	spin_unlock_irqrestore(&sem->wait_lock, flags);
}

/* A release saw FLAG_WAITERS: hand the lock over. */
void rwsem_wake(struct rw_semaphore *sem)
{
	unsigned long flags;

	spin_lock_irqsave(&sem->wait_lock, flags);
	rwsem_grant(sem);
	spin_unlock_irqrestore(&sem->wait_lock, flags);
}

void rwsem_down_read_slowpath(struct rw_semaphore *sem)
{
	rwsem_wait(sem, RWSEM_WAITING_FOR_READ);
}

/*
 * Spin for the lock while a writer holds it and runs on a CPU, as Linux's
 * rwsem_optimistic_spin() (there with an MCS queue of spinners; here
 * every spinner reads count). True: we hold it for writing. False: go to
 * sleep in the queue, because the lock has waiters (they keep their FIFO
 * turn), readers (they may hold it long), or a holder that sleeps, or
 * because this CPU has something else to run.
 *
 * The owner's struct task may be freed while we read it: it came from
 * kmalloc, whose memory stays mapped, and a stale on_cpu costs at most
 * one more round, since count is read again first.
 */
static bool rwsem_optimistic_spin(struct rw_semaphore *sem)
{
	for (;;) {
		long c = atomic_long_read(&sem->count);
		struct task *owner;

		if (c == 0) {
			if (atomic_long_try_cmpxchg_acquire(&sem->count, &c,
							    RWSEM_WRITER_LOCKED)) {
				WRITE_ONCE(sem->owner, current);
				return true;
			}
			continue;
		}
		if (c != RWSEM_WRITER_LOCKED)
			return false;
		/* NULL: the writer is between its cmpxchg and setting
		 * owner, or downgrading; count tells on the next round. */
		owner = READ_ONCE(sem->owner);
		if (owner && !READ_ONCE(owner->on_cpu))
			return false;
		if (READ_ONCE(this_cpu()->need_resched))
			return false;
		cpu_relax();
	}
}

void rwsem_down_write_slowpath(struct rw_semaphore *sem)
{
	if (rwsem_optimistic_spin(sem))
		return;
	rwsem_wait(sem, RWSEM_WAITING_FOR_WRITE);
}

bool down_write_trylock(struct rw_semaphore *sem)
{
	long c = 0;

	if (!atomic_long_try_cmpxchg_acquire(&sem->count, &c,
					     RWSEM_WRITER_LOCKED))
		return false;
	WRITE_ONCE(sem->owner, current);
	return true;
}

void down_write(struct rw_semaphore *sem)
{
	if (!down_write_trylock(sem))
		rwsem_down_write_slowpath(sem);
}

void downgrade_write(struct rw_semaphore *sem)
{
	long c;

	if (sem->owner != current)
		panic("downgrade_write by %s (pid %d), not the writer",
		      current->comm, current->pid);
	WRITE_ONCE(sem->owner, NULL);
	/*
	 * One atomic step from "a writer" to "one reader" (release: what
	 * the writer stored is seen by whoever gets the lock next): no
	 * other writer can come in between, since count is never 0 on the
	 * way, and waiting readers can be let in at once.
	 */
	c = __atomic_fetch_add(&sem->count.counter,
			       RWSEM_READER_BIAS - RWSEM_WRITER_LOCKED,
			       __ATOMIC_RELEASE);
	/* Readers queued while we wrote: rwsem_grant() hands the lock to
	 * those at the head of the queue, up to the first writer, which
	 * waits for us (and them) to leave. */
	if (c & RWSEM_FLAG_WAITERS)
		rwsem_wake(sem);
}

void up_write(struct rw_semaphore *sem)
{
	long c;

	if (sem->owner != current)
		panic("up_write by %s (pid %d), not the writer", current->comm,
		      current->pid);
	WRITE_ONCE(sem->owner, NULL);
	c = atomic_long_fetch_andnot(RWSEM_WRITER_LOCKED, &sem->count);
	if (c & RWSEM_FLAG_WAITERS)
		rwsem_wake(sem);
}
