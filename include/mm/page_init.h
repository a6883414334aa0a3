/*
 * page_init.h - off-level page initialisation (mm/page_init.c): zero a
 * freshly allocated block either here, in the caller (inline), or in a
 * page-init worker thread while the caller sleeps (off level), so that
 * the CPU serves other threads and interrupts meanwhile and the caller is
 * woken to use the block once it is ready.
 *
 * Why: a 2 MiB huge fault must zero the whole huge page before it maps
 * it; US 11,474,952 names exactly this cost ("the kernel always zeros
 * ... an entire huge page (2 MB) in the page fault critical path"). The
 * off-level method keeps the zeroing out of the faulting thread's own
 * time slice; with a second CPU idle it runs there, in parallel.
 *
 * Boot options (kernel/cmdline.c): page_init=inline|offlevel (default
 * inline: nothing changes until asked), page_init.threshold=BYTES (a
 * power of two >= 4096; blocks smaller than it stay inline; default
 * 2 MiB). docs/page_init.md has the design and its reasons.
 */
#ifndef MM_PAGE_INIT_H
#define MM_PAGE_INIT_H

#include <kernel/types.h>
#include <mm/page.h>

enum page_init_mode {
	PAGE_INIT_INLINE,   /* every block zeroed by the caller */
	PAGE_INIT_OFFLEVEL, /* large blocks zeroed by a worker */
};

/* page_init=inline|offlevel; read at every page_init_zero(). Tests
 * change it and put it back. */
extern enum page_init_mode page_init_mode;

/* page_init.threshold=BYTES: blocks of fewer bytes are zeroed inline
 * even off level (a 4 KiB page costs less to zero than to hand over).
 * A power of two >= PAGE_SIZE; default 2 MiB (one huge page). */
extern unsigned long page_init_threshold;

#define PAGE_INIT_DEFAULT_THRESHOLD (2UL << 20) /* bytes */

/*
 * The page-init statistics since boot. Each field is a plain counter
 * changed by stat_add() (atomic, relaxed), so readers (tests, and
 * /proc/vmstat) see whole values but no snapshot across fields.
 */
struct page_init_stats {
	unsigned long inline_blocks;   /* zeroed by page_init_zero()'s caller */
	unsigned long offlevel_blocks; /* handed to a worker */
	unsigned long remote_blocks;   /* of those, to another CPU's worker */
	unsigned long abandoned_blocks; /* the waiter was killed first: the
					 * worker owns and frees the block */
	unsigned long abandoned_freed;	/* of those, freed by the worker */
	unsigned long inline_ns;	/* time spent zeroing inline, ns */
	unsigned long worker_ns;	/* time workers spent zeroing, ns */
	unsigned long wait_ns;		/* time callers slept for a worker, ns
					 * (a killed wait counts up to -EINTR) */
};

extern struct page_init_stats page_init_stats;

/*
 * page_init_init - start one page-init worker per online CPU,
 * "page_init/N", bound to CPU N, asleep until a request comes. Needs the
 * scheduler and the other CPUs (kmain calls it after workqueue_init()).
 * A worker that cannot be made (out of memory) is reported and left
 * out; with none at all every block is zeroed inline. Our own (the
 * off-level initialisation method; docs/page_init.md).
 */
void page_init_init(void);

/*
 * page_init_zero - zero the 2^order pages of an allocated block (page:
 * its head, refcount 1, from alloc_pages(order); order <=
 * MAX_PAGE_ORDER).
 *
 * Inline (memset here, interrupts as the caller has them) when
 * page_init_mode is PAGE_INIT_INLINE, when the block has fewer than
 * page_init_threshold bytes, when !may_sleep (or interrupts are off, or
 * preemption is disabled), when current already has a fatal signal
 * pending, when no worker was started, or when the request cannot be
 * allocated. Otherwise the block goes to a page-init worker (an idle
 * other CPU's if there is one, else this CPU's) and the caller sleeps,
 * killable: only SIGKILL (fatal_signal_pending()) ends the sleep early;
 * other tasks run on this CPU meanwhile and interrupts stay on.
 *
 * Returns 0 once the whole block holds zeros. Returns -EINTR when a
 * fatal signal came while waiting and the worker had not finished yet:
 * the block then belongs to the worker, which stops zeroing it and frees
 * it (__free_pages(page, order)); the caller must forget it. A caller
 * that is killed after the worker finished gets 0 and keeps the block.
 *
 * May sleep when may_sleep; the caller may hold sleeping locks
 * (mmap_lock for reading) but no spinlock. Our own: the off-level page
 * initialisation method (docs/page_init.md); the inline path is what
 * Linux's clear_huge_page() does in the fault.
 */
int page_init_zero(struct page *page, unsigned int order, bool may_sleep);

/*
 * Test hooks, compiled always, set only by tests/kernel/test_page_init.c.
 *
 * page_init_test_set_hold - while held, a worker that has taken a
 * request off its queue waits before it zeroes (or frees) the block, so
 * that a test can watch a caller asleep, kill it, and see what the worker
 * does afterwards. page_init_test_set_hold(false) releases every held
 * worker. Not for anything but tests: a held worker holds up every
 * off-level caller queued behind it.
 */
void page_init_test_set_hold(bool hold);

/* The pid and CPU of the worker that zeroed the last off-level block
 * (0 and -1 until one has), for tests that check who did the work. */
extern int page_init_test_last_pid;
extern int page_init_test_last_cpu;

#endif
