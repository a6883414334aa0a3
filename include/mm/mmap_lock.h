/*
 * mmap_lock.h - the two locks of an address space, as Linux's
 * <linux/mmap_lock.h> and its page-table lock (docs/concurrency.md):
 *
 *   mm->mmap_lock        a sleeping reader-writer semaphore
 *                        (include/kernel/rwsem.h) for the VMAs (tree,
 *                        list, map_count) and brk/mmap_base. Faults,
 *                        the POE pre-fault thread and mm_dump read; the
 *                        mmap family, fork's copy and the teardown write.
 *                        Holding it for reading also keeps in place
 *                        every page-table page a VMA covers: a writer
 *                        frees them (zap_page_range()), and munmap,
 *                        downgraded to a reader, frees only those no
 *                        VMA can use any more (unmap_region()).
 *   mm->page_table_lock  a spinlock, taken with interrupts off, for the
 *                        upper levels of the page tables (hooking a
 *                        table in or out) and nr_pgtables. Always inside
 *                        mmap_lock; never held across a sleep.
 *   PTE lock             a spinlock per PTE table (pte_lockptr(),
 *                        include/mm/pgtable.h), interrupts off, for
 *                        that table's entries and the reverse mapping of
 *                        the pages they map; inside page_table_lock when
 *                        both are held. rss is atomic.
 *
 * The helpers only name what they do, so that every site reads like
 * Linux's.
 */
#ifndef MM_MMAP_LOCK_H
#define MM_MMAP_LOCK_H

#include <kernel/panic.h>
#include <kernel/rwsem.h>
#include <kernel/sched.h>
#include <mm/mm_types.h>

/* mmap_init_lock - at mm creation. Linux's. */
static inline void mmap_init_lock(struct mm_struct *mm)
{
	init_rwsem(&mm->mmap_lock);
}

/* mmap_read_lock / mmap_read_unlock - the VMAs for reading; may sleep.
 * Linux's. */
static inline void mmap_read_lock(struct mm_struct *mm)
{
	down_read(&mm->mmap_lock);
}

static inline void mmap_read_unlock(struct mm_struct *mm)
{
	up_read(&mm->mmap_lock);
}

/* mmap_read_trylock - as mmap_read_lock() without sleeping: true when
 * taken. For faults that must not sleep. Linux's. */
static inline bool mmap_read_trylock(struct mm_struct *mm)
{
	return down_read_trylock(&mm->mmap_lock);
}

/* mmap_write_lock / mmap_write_unlock - the VMAs for writing; may sleep.
 * Linux's. */
static inline void mmap_write_lock(struct mm_struct *mm)
{
	down_write(&mm->mmap_lock);
}

/* mmap_write_trylock - as mmap_write_lock() without sleeping: true when
 * taken. Linux's. */
static inline bool mmap_write_trylock(struct mm_struct *mm)
{
	return down_write_trylock(&mm->mmap_lock);
}

static inline void mmap_write_unlock(struct mm_struct *mm)
{
	up_write(&mm->mmap_lock);
}

/*
 * mmap_write_downgrade - the caller's write hold becomes a read hold,
 * with no writer in between (downgrade_write()); release it with
 * mmap_read_unlock(). munmap detaches the VMAs as the writer, then frees
 * the pages and tables while faults of the mm go on. Linux's.
 */
static inline void mmap_write_downgrade(struct mm_struct *mm)
{
	downgrade_write(&mm->mmap_lock);
}

/* mmap_assert_locked - panic unless someone holds mmap_lock (we cannot
 * tell which reader). Linux's, which is a lockdep/VM_BUG_ON check. */
static inline void mmap_assert_locked(struct mm_struct *mm)
{
	if (!rwsem_is_locked(&mm->mmap_lock))
		panic("mmap_lock of mm %p not held", (void *)mm);
}

/* mmap_assert_write_locked - panic unless current holds mmap_lock for
 * writing. Linux's. */
static inline void mmap_assert_write_locked(struct mm_struct *mm)
{
	if (rwsem_write_owner(&mm->mmap_lock) != current)
		panic("mmap_lock of mm %p not held for writing", (void *)mm);
}

#endif
