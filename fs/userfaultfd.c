/*
 * userfaultfd.c - userfaultfd(2), as Linux's fs/userfaultfd.c: the third
 * way a page fault is resolved (docs/fault-paths.md), beside the kernel's
 * full handler and POE's fast path. A monitor thread registers ranges of
 * its address space; a missing page there is not zero-filled by the
 * kernel: the faulting thread queues a message and sleeps, the monitor
 * reads the message from the fd, provides the page (UFFDIO_COPY,
 * UFFDIO_ZEROPAGE: mm/userfaultfd.c) and the fault is retried.
 * docs/userfaultfd.md describes the whole; the ABI is Linux's
 * (include/uapi/linux/userfaultfd.h).
 *
 * Events (UFFD_FEATURE_EVENT_REMOVE, _UNMAP, _FORK, _REMAP):
 * madvise(MADV_DONTNEED) and the unmaps tell the monitor that registered
 * memory goes, mremap that it moved, a fork hands it a new fd for the
 * child's copy of its ranges; the sender
 * queues its message on `events` and sleeps (killable) until a read(2)
 * takes it, as Linux's userfaultfd_event_wait_completion().
 * While one is under way, mmap_changing makes the fills answer -EAGAIN.
 *
 * The context (struct userfaultfd_ctx) is the fd's private data. It
 * holds a reference on the struct mm_struct it was made in (mmgrab), and
 * is itself referenced by its file and by each thread sleeping in
 * handle_userfault(). VMAs point at it without a reference
 * (vm_userfaultfd_ctx): its release clears them, under mmap_lock for
 * writing, before the file's reference goes.
 *
 * Locking (SMP): ctx->lock (a spinlock, interrupts off) guards the two
 * lists of sleeping faulters, each one's waken flag, ctx->released and
 * ctx->features, and the event senders' list `events`. A faulter is on
 * `pending` until a read(2) hands its
 * message out, then on `waiting` until a wake; Linux's
 * fault_pending_wqh and fault_wqh. Readers sleep on fd_wqh. A VMA's
 * registration (vm_flags' VM_UFFD_MISSING, vm_userfaultfd_ctx) changes
 * only under mmap_lock for writing and is read under it for reading.
 *
 * The lost-wake-up race: a fault sees a missing PTE, and before it is
 * queued a UFFDIO_COPY fills the page and wakes nobody. As in Linux's
 * handle_userfault() (userfaultfd_must_wait()), the faulter looks at the
 * PTE again after queueing itself, under ctx->lock: a fill sets the PTE
 * before it takes ctx->lock to wake, so either the faulter sees the page
 * or the waker sees the faulter.
 */
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/fdtable.h>
#include <kernel/fs.h>
#include <kernel/poll.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <kernel/userfaultfd.h>
#include <kernel/wait.h>
#include <mm/huge_mm.h>
#include <mm/kmalloc.h>
#include <mm/mm_types.h>
#include <mm/mmap_lock.h>
#include <mm/pgtable.h>
#include <mm/poe.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <linux/userfaultfd.h>

/* The features this kernel has (UFFDIO_API reports exactly these). */
#define UFFD_API_FEATURES                                           \
	(UFFD_FEATURE_PAGEFAULT_FLAG_WP | UFFD_FEATURE_EVENT_FORK | \
	 UFFD_FEATURE_EVENT_REMAP | UFFD_FEATURE_EVENT_REMOVE |     \
	 UFFD_FEATURE_EVENT_UNMAP | UFFD_FEATURE_SIGBUS |           \
	 UFFD_FEATURE_THREAD_ID | UFFD_FEATURE_EXACT_ADDRESS)
/* Ours, as Linux's: set once UFFDIO_API succeeded. */
#define UFFD_FEATURE_INITIALIZED (1ULL << 31)
/* The fd's own ioctls, and a registered range's (MISSING mode; WP mode
 * adds UFFDIO_WRITEPROTECT). */
#define UFFD_API_IOCTLS                                              \
	((1ULL << _UFFDIO_REGISTER) | (1ULL << _UFFDIO_UNREGISTER) | \
	 (1ULL << _UFFDIO_API))
#define UFFD_API_RANGE_IOCTLS                              \
	((1ULL << _UFFDIO_WAKE) | (1ULL << _UFFDIO_COPY) | \
	 (1ULL << _UFFDIO_ZEROPAGE))
#define UFFD_API_RANGE_IOCTLS_WP (1ULL << _UFFDIO_WRITEPROTECT)
/* The registration modes (Linux also has MINOR, for shmem and
 * hugetlbfs). */
#define UFFD_REGISTER_MODES \
	(UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP)
/* userfaultfd(2)'s flags that are also the file's (Linux's
 * UFFD_SHARED_FCNTL_FLAGS). */
#define UFFD_SHARED_FCNTL_FLAGS (O_CLOEXEC | O_NONBLOCK)

struct userfaultfd_ctx {
	atomic_t refcount;	  /* the file, and each sleeping faulter */
	spinlock_t lock;	  /* the lists, waken, released, features */
	struct list_head pending; /* faulters whose message is unread */
	struct list_head waiting; /* faulters whose message was read */
	struct list_head events;  /* event senders whose message is unread */
	struct wait_queue_head fd_wqh; /* read(2)ers */
	/* Events under way (REMOVE, UNMAP, FORK, REMAP): the fills answer -EAGAIN
	 * meanwhile, since the range may be changing under them. */
	atomic_t mmap_changing;
	unsigned int flags;   /* userfaultfd(2)'s: UFFD_USER_MODE_ONLY, and
			       * O_CLOEXEC, O_NONBLOCK for a fork's new fd */
	u64 features;	      /* UFFD_FEATURE_*, INITIALIZED */
	bool released;	      /* the file is being closed */
	struct mm_struct *mm; /* mmgrab'ed */
};

/* One sleeping faulter, or the sender of an event waiting for it to
 * be read, on its own stack. Linux's userfaultfd_wait_queue. */
struct userfaultfd_wait {
	struct uffd_msg msg;
	struct task *task;
	struct list_head entry; /* in pending or waiting, or empty */
	bool waken;		/* a wake or the release covered it; an
				 * event: it was read */
};

/* A FORK event to send once the fork's copy is done: one per parent
 * userfaultfd and fork. Linux's userfaultfd_fork_ctx. */
struct userfaultfd_fork_ctx {
	struct userfaultfd_ctx *orig; /* the parent's, referenced */
	struct userfaultfd_ctx *new;  /* the child's; its first reference */
	struct list_head list;
};

/* An UNMAP event to send once the unmap is done: one per userfaultfd and
 * range. Linux's userfaultfd_unmap_ctx. */
struct userfaultfd_unmap_ctx {
	struct userfaultfd_ctx *ctx; /* referenced */
	unsigned long start, end;
	struct list_head list;
};

static int userfaultfd_getfd(struct userfaultfd_ctx *ctx, unsigned int flags);

static void userfaultfd_ctx_get(struct userfaultfd_ctx *ctx)
{
	atomic_inc(&ctx->refcount);
}

static void userfaultfd_ctx_put(struct userfaultfd_ctx *ctx)
{
	if (!atomic_dec_and_test(&ctx->refcount))
		return;
	mmdrop(ctx->mm);
	kfree(ctx);
}

static bool userfaultfd_is_initialized(struct userfaultfd_ctx *ctx)
{
	return READ_ONCE(ctx->features) & UFFD_FEATURE_INITIALIZED;
}

/*
 * Does the fault still need the monitor: for VM_UFFD_MISSING, is the page
 * at address still missing (PTE none or a POE mark, or no table); for
 * VM_UFFD_WP, still write-protected? mmap_lock held, so no table on the
 * way can go. Linux's userfaultfd_must_wait(), which also waits on a WP
 * fault whose page went meanwhile; ours retries it (it faults as a
 * missing page then).
 */
static bool userfaultfd_must_wait(struct mm_struct *mm, unsigned long address,
				  unsigned long reason)
{
	pmd_t *pmd = mm_find_pmd(mm, address);
	pte_t pte;

	if (!pmd || !pmd_present(READ_ONCE(*pmd)))
		return reason == VM_UFFD_MISSING;
	if (pmd_trans_huge(READ_ONCE(*pmd)))
		return false; /* mapped, and never write-protected */
	pte = READ_ONCE(*pte_offset_kernel(pmd, address));
	if (reason == VM_UFFD_WP)
		return pte_present(pte) && pte_uffd_wp(pte);
	return pte_none(pte) || pte_poeable(pte);
}

/* Wake the faulters of list whose address lies in [start, start + len);
 * ctx->lock held. */
static void wake_list(struct list_head *list, unsigned long start,
		      unsigned long len)
{
	struct list_head *pos, *tmp;

	list_for_each_safe(pos, tmp, list) {
		struct userfaultfd_wait *w =
			list_entry(pos, struct userfaultfd_wait, entry);
		unsigned long a = (unsigned long)w->msg.arg.pagefault.address;

		if (len && (a < start || a - start >= len))
			continue;
		WRITE_ONCE(w->waken, true);
		list_del_init(&w->entry);
		/* The faulter leaves only after taking ctx->lock: its task
		 * and w stay valid while we hold it. */
		wake_up_process(w->task);
	}
}

/*
 * Wake every faulter of ctx sleeping on an address in [start, start +
 * len) (bytes; len 0: all of them), whether its message was read or
 * not (an unread one is dropped: the page is there now). Linux's
 * wake_userfault() / __wake_userfault().
 */
static void wake_userfault(struct userfaultfd_ctx *ctx, unsigned long start,
			   unsigned long len)
{
	unsigned long flags;

	spin_lock_irqsave(&ctx->lock, flags);
	wake_list(&ctx->pending, start, len);
	wake_list(&ctx->waiting, start, len);
	spin_unlock_irqrestore(&ctx->lock, flags);
}

static void release_fault_lock(struct mm_struct *mm, unsigned int flags)
{
	if (flags & FAULT_FLAG_MMAP_WRITE_LOCKED)
		mmap_write_unlock(mm);
	else
		mmap_read_unlock(mm);
}

vm_fault_t handle_userfault(struct vm_area_struct *vma, unsigned long address,
			    unsigned int flags, unsigned long reason)
{
	struct userfaultfd_ctx *ctx = vma->vm_userfaultfd_ctx;
	struct mm_struct *mm = vma->vm_mm;
	bool user = flags & FAULT_FLAG_USER;
	struct userfaultfd_wait w;
	unsigned long irqflags;
	bool must_wait;

	if (!ctx)
		return VM_FAULT_SIGBUS;
	/*
	 * UFFD_FEATURE_SIGBUS: no message, no sleep. A user-mode access
	 * gets SIGBUS (BUS_ADRERR, si_addr the address: the arch's
	 * do_sigbus()), a kernel user copy fails with -EFAULT through its
	 * fixup; the monitor fills the page from a SIGBUS handler, say.
	 * Linux's handle_userfault() tests it first too (man 2
	 * ioctl_userfaultfd, UFFD_FEATURE_SIGBUS). features is set once,
	 * before any range can be registered: read without the lock.
	 */
	if (READ_ONCE(ctx->features) & UFFD_FEATURE_SIGBUS)
		return VM_FAULT_SIGBUS;
	/* Faults of the kernel's own user copies are not the monitor's:
	 * the copy fails (-EFAULT through its fixup). Linux's. */
	if ((ctx->flags & UFFD_USER_MODE_ONLY) && !user)
		return VM_FAULT_SIGBUS;
	/* Cannot drop mmap_lock and sleep here (MAP_POPULATE, mlock, a
	 * fault with interrupts off): Linux's VM_FAULT_SIGBUS too. */
	if (!(flags & FAULT_FLAG_ALLOW_RETRY))
		return VM_FAULT_SIGBUS;
	/*
	 * A kernel-mode fault with a signal pending would not sleep (the
	 * wait is interruptible) and would fault again at once: fail the
	 * user copy (-EFAULT) instead. Linux keeps retrying such a fault;
	 * a user-mode fault returns to user mode, where the signal is
	 * handled and the access faults again.
	 */
	if (!user && signal_pending(current))
		return VM_FAULT_SIGBUS;

	memset(&w, 0, sizeof(w));
	w.msg.event = UFFD_EVENT_PAGEFAULT;
	w.msg.arg.pagefault.flags =
		((flags & FAULT_FLAG_WRITE) ? UFFD_PAGEFAULT_FLAG_WRITE : 0) |
		(reason == VM_UFFD_WP ? UFFD_PAGEFAULT_FLAG_WP : 0);
	w.msg.arg.pagefault.address = address;
	w.task = current;
	INIT_LIST_HEAD(&w.entry);

	spin_lock_irqsave(&ctx->lock, irqflags);
	if (ctx->released) {
		/*
		 * The fd is being closed: its release will unregister the
		 * range (it waits for mmap_lock for writing). Let it, then
		 * retry: the fault resolves the ordinary way. Linux's.
		 */
		spin_unlock_irqrestore(&ctx->lock, irqflags);
		release_fault_lock(mm, flags);
		schedule(); /* TASK_RUNNING: only lets the release run */
		return VM_FAULT_RETRY;
	}
	if (!(ctx->features & UFFD_FEATURE_EXACT_ADDRESS))
		w.msg.arg.pagefault.address &= PAGE_MASK;
	if (ctx->features & UFFD_FEATURE_THREAD_ID)
		w.msg.arg.pagefault.feat.ptid = (u32)current->pid;
	list_add_tail(&w.entry, &ctx->pending);
	/* Missing still? A fill that came before we were queued cannot
	 * have woken us (file comment). */
	must_wait = userfaultfd_must_wait(mm, address, reason);
	spin_unlock_irqrestore(&ctx->lock, irqflags);
	userfaultfd_ctx_get(ctx); /* it must outlive our sleep */
	wake_up(&ctx->fd_wqh);
	/* Linux's handle_userfault() sleeps without mmap_lock, so that the
	 * monitor can map, unmap and fill meanwhile. vma may go now. */
	release_fault_lock(mm, flags);

	/* A waker sets waken under ctx->lock, then wakes us: tested under
	 * it after our state is set, it cannot be missed. */
	while (must_wait) {
		spin_lock_irqsave(&ctx->lock, irqflags);
		if (w.waken || ctx->released) {
			spin_unlock_irqrestore(&ctx->lock, irqflags);
			break;
		}
		current->state = TASK_INTERRUPTIBLE;
		spin_unlock_irqrestore(&ctx->lock, irqflags);
		if (signal_pending(current))
			break; /* user mode: handled, then the fault again */
		schedule();
	}
	current->state = TASK_RUNNING;
	spin_lock_irqsave(&ctx->lock, irqflags);
	if (!list_empty(&w.entry))
		list_del_init(&w.entry);
	spin_unlock_irqrestore(&ctx->lock, irqflags);
	userfaultfd_ctx_put(ctx);
	return VM_FAULT_RETRY;
}

/*
 * A new context for mm (mmgrab'ed) with userfaultfd(2)'s flags and the
 * features features (0: UFFDIO_API still to come); one reference, the
 * caller's. NULL when out of memory. The allocation of Linux's
 * new_userfaultfd() and dup_userfaultfd().
 */
static struct userfaultfd_ctx *
userfaultfd_ctx_alloc(struct mm_struct *mm, unsigned int flags, u64 features)
{
	struct userfaultfd_ctx *ctx = kzalloc(sizeof(*ctx));

	if (!ctx)
		return NULL;
	atomic_set(&ctx->refcount, 1);
	spin_lock_init(&ctx->lock);
	INIT_LIST_HEAD(&ctx->pending);
	INIT_LIST_HEAD(&ctx->waiting);
	INIT_LIST_HEAD(&ctx->events);
	init_waitqueue_head(&ctx->fd_wqh);
	atomic_set(&ctx->mmap_changing, 0);
	ctx->flags = flags;
	ctx->features = features;
	ctx->mm = mm;
	mmgrab(mm);
	return ctx;
}

/*
 * A fork's event was not read (the parent's fd closed, or the forker got
 * SIGKILL): unregister the child's VMAs of new, which no fd will ever
 * reach, and drop the reference the event held. No lock held; the child
 * does not run yet. The release_new_ctx part of Linux's
 * userfaultfd_event_wait_completion().
 */
static void userfaultfd_fork_abort(struct userfaultfd_ctx *new)
{
	struct mm_struct *mm = new->mm;
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	for_each_vma(mm, vma) {
		if (vma->vm_userfaultfd_ctx == new) {
			vma->vm_flags &= ~__VM_UFFD_FLAGS;
			vma->vm_userfaultfd_ctx = NULL;
		}
	}
	mmap_write_unlock(mm);
	userfaultfd_ctx_put(new);
}

/* The event w was read: its sender goes on. msg.event 0 tells it so (a
 * close also wakes it, the event still set). ctx->lock held, w off every
 * list. Linux's userfaultfd_event_complete(). */
static void userfaultfd_event_complete(struct userfaultfd_wait *w)
{
	w->msg.event = 0;
	WRITE_ONCE(w->waken, true);
	wake_up_process(w->task);
}

/*
 * read(2) took the FORK event w off ctx->events (ctx->lock held): keep
 * its sender waiting, now on the reader's fork_event, until the new fd
 * exists, and reference the child's context meanwhile: a SIGKILL of the
 * sender takes w off fork_event and drops the event's reference
 * (userfaultfd_fork_abort()). Linux's userfaultfd_ctx_read().
 */
static void userfaultfd_fork_dequeue(struct userfaultfd_wait *w,
				     struct list_head *fork_event)
{
	userfaultfd_ctx_get((struct userfaultfd_ctx *)(unsigned long)
				    w->msg.arg.reserved.reserved1);
	list_add_tail(&w->entry, fork_event);
}

/*
 * The reader's half of a FORK event (msg, taken by userfaultfd_dequeue()
 * onto fork_event): a new fd for the child's context in the reader's fd
 * table, O_CLOEXEC and O_NONBLOCK as the parent's userfaultfd(2) flags,
 * in msg->arg.fork.ufd (reserved1's other bytes 0). If the sender still
 * waits, the event is done, or, when the fd could not be made, back at
 * the head of ctx->events (read(2) fails, the event stays unread). The
 * fd keeps the event's reference on the context, or the reader's if the
 * sender gave up. 0 or -EMFILE, -ENOMEM. Linux's
 * resolve_userfault_fork() and the end of userfaultfd_ctx_read().
 */
static int resolve_userfault_fork(struct userfaultfd_ctx *ctx,
				  struct list_head *fork_event,
				  struct uffd_msg *msg)
{
	struct userfaultfd_ctx *new = (struct userfaultfd_ctx *)(unsigned long)
					      msg->arg.reserved.reserved1;
	int fd = userfaultfd_getfd(new, new->flags);
	unsigned long irqflags;
	bool put;

	if (fd >= 0) {
		msg->arg.reserved.reserved1 = 0;
		msg->arg.fork.ufd = (u32)fd;
	}
	spin_lock_irqsave(&ctx->lock, irqflags);
	if (!list_empty(fork_event)) {
		struct userfaultfd_wait *w =
			list_first_entry(fork_event, struct userfaultfd_wait,
					 entry);

		list_del_init(&w->entry);
		if (fd >= 0)
			userfaultfd_event_complete(w);
		else
			list_add(&w->entry, &ctx->events);
		put = true; /* ours; the event's stays (with the fd) */
	} else {
		put = fd < 0; /* the sender dropped the event's */
	}
	spin_unlock_irqrestore(&ctx->lock, irqflags);
	if (put)
		userfaultfd_ctx_put(new);
	return fd < 0 ? fd : 0;
}

/*
 * Queue the event w->msg on ctx->events and sleep until a read(2) takes
 * it, the fd is closed, or a fatal signal comes (the sleep is killable:
 * a handled signal does not end it, as Linux's TASK_KILLABLE). No lock
 * held. Drops the reference and the mmap_changing count the caller took.
 * Linux's userfaultfd_event_wait_completion().
 */
static void userfaultfd_event_wait_completion(struct userfaultfd_ctx *ctx,
					      struct userfaultfd_wait *w)
{
	unsigned long irqflags;

	w->task = current;
	INIT_LIST_HEAD(&w->entry);
	spin_lock_irqsave(&ctx->lock, irqflags);
	if (!ctx->released)
		list_add_tail(&w->entry, &ctx->events);
	spin_unlock_irqrestore(&ctx->lock, irqflags);
	wake_up(&ctx->fd_wqh);
	for (;;) {
		spin_lock_irqsave(&ctx->lock, irqflags);
		if (w->waken || ctx->released) {
			spin_unlock_irqrestore(&ctx->lock, irqflags);
			break;
		}
		current->state = TASK_INTERRUPTIBLE;
		spin_unlock_irqrestore(&ctx->lock, irqflags);
		/* Only SIGKILL ends the wait. A handled signal wakes us
		 * once (signal_wake_up()); schedule() does not return
		 * early for it, so this loop does not spin. */
		if (fatal_signal_pending(current))
			break;
		schedule();
	}
	current->state = TASK_RUNNING;
	spin_lock_irqsave(&ctx->lock, irqflags);
	if (!list_empty(&w->entry))
		list_del_init(&w->entry);
	spin_unlock_irqrestore(&ctx->lock, irqflags);
	/* A FORK event not read (msg.event is 0 once read: the fd closed,
	 * or SIGKILL): no fd will ever reach the child's context. */
	if (w->msg.event == UFFD_EVENT_FORK)
		userfaultfd_fork_abort((struct userfaultfd_ctx *)(unsigned long)
					       w->msg.arg.reserved.reserved1);
	atomic_dec(&ctx->mmap_changing);
	userfaultfd_ctx_put(ctx);
}

bool userfaultfd_remove(struct vm_area_struct *vma, unsigned long start,
			unsigned long end)
{
	struct userfaultfd_ctx *ctx = vma->vm_userfaultfd_ctx;
	struct mm_struct *mm = vma->vm_mm;
	struct userfaultfd_wait w;

	if (!ctx || !(READ_ONCE(ctx->features) & UFFD_FEATURE_EVENT_REMOVE))
		return true;
	userfaultfd_ctx_get(ctx);
	/* Under mmap_lock: a fill that takes it after us sees it. */
	atomic_inc(&ctx->mmap_changing);
	mmap_write_unlock(mm);

	memset(&w, 0, sizeof(w));
	w.msg.event = UFFD_EVENT_REMOVE;
	w.msg.arg.remove.start = start;
	w.msg.arg.remove.end = end;
	userfaultfd_event_wait_completion(ctx, &w);
	return false;
}

/* Is there an entry for ctx and [start, end) on unmaps already? Linux's
 * has_unmap_ctx(). */
static bool has_unmap_ctx(struct userfaultfd_ctx *ctx, struct list_head *unmaps,
			  unsigned long start, unsigned long end)
{
	struct list_head *pos;

	list_for_each(pos, unmaps) {
		struct userfaultfd_unmap_ctx *u =
			list_entry(pos, struct userfaultfd_unmap_ctx, list);

		if (u->ctx == ctx && u->start == start && u->end == end)
			return true;
	}
	return false;
}

int userfaultfd_unmap_prep(struct mm_struct *mm, unsigned long start,
			   unsigned long end, struct list_head *unmaps)
{
	struct vm_area_struct *vma;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end;
	     vma = find_vma(mm, vma->vm_end)) {
		struct userfaultfd_ctx *ctx = vma->vm_userfaultfd_ctx;
		struct userfaultfd_unmap_ctx *u;

		if (!ctx ||
		    !(READ_ONCE(ctx->features) & UFFD_FEATURE_EVENT_UNMAP) ||
		    has_unmap_ctx(ctx, unmaps, start, end))
			continue;
		u = kzalloc(sizeof(*u));
		if (!u)
			return -ENOMEM;
		userfaultfd_ctx_get(ctx);
		atomic_inc(&ctx->mmap_changing);
		u->ctx = ctx;
		u->start = start;
		u->end = end;
		list_add_tail(&u->list, unmaps);
	}
	return 0;
}

void userfaultfd_unmap_complete(struct mm_struct *mm, struct list_head *unmaps)
{
	struct list_head *pos, *tmp;

	(void)mm;
	list_for_each_safe(pos, tmp, unmaps) {
		struct userfaultfd_unmap_ctx *u =
			list_entry(pos, struct userfaultfd_unmap_ctx, list);
		struct userfaultfd_wait w;

		memset(&w, 0, sizeof(w));
		w.msg.event = UFFD_EVENT_UNMAP;
		w.msg.arg.remove.start = u->start;
		w.msg.arg.remove.end = u->end;
		/* Drops u's reference and count. */
		userfaultfd_event_wait_completion(u->ctx, &w);
		list_del(&u->list);
		kfree(u);
	}
}

int dup_userfaultfd(struct vm_area_struct *vma,
		    const struct vm_area_struct *orig, struct list_head *fcs)
{
	struct userfaultfd_ctx *octx = orig->vm_userfaultfd_ctx, *ctx = NULL;
	struct userfaultfd_fork_ctx *fctx;

	/* features is set before any range is registered: no lock. */
	if (!octx || !(READ_ONCE(octx->features) & UFFD_FEATURE_EVENT_FORK))
		return 0;
	list_for_each_entry(fctx, fcs, list) {
		if (fctx->orig == octx) {
			ctx = fctx->new;
			break;
		}
	}
	if (!ctx) {
		fctx = kzalloc(sizeof(*fctx));
		if (!fctx)
			return -ENOMEM;
		ctx = userfaultfd_ctx_alloc(vma->vm_mm, octx->flags,
					    READ_ONCE(octx->features));
		if (!ctx) {
			kfree(fctx);
			return -ENOMEM;
		}
		/* Until the event is read, the parent's fills answer
		 * -EAGAIN, as for the other events (Linux's). */
		userfaultfd_ctx_get(octx);
		atomic_inc(&octx->mmap_changing);
		fctx->orig = octx;
		fctx->new = ctx;
		list_add_tail(&fctx->list, fcs);
	}
	vma->vm_flags |= orig->vm_flags & __VM_UFFD_FLAGS;
	vma->vm_userfaultfd_ctx = ctx;
	return 0;
}

void dup_userfaultfd_complete(struct list_head *fcs)
{
	struct list_head *pos, *tmp;

	list_for_each_safe(pos, tmp, fcs) {
		struct userfaultfd_fork_ctx *fctx =
			list_entry(pos, struct userfaultfd_fork_ctx, list);
		struct userfaultfd_wait w;

		memset(&w, 0, sizeof(w));
		w.msg.event = UFFD_EVENT_FORK;
		/* The context until a read turns it into the fd (Linux
		 * passes it the same way). */
		w.msg.arg.reserved.reserved1 = (u64)(unsigned long)fctx->new;
		/* Drops orig's reference and count; on abort, new's. */
		userfaultfd_event_wait_completion(fctx->orig, &w);
		list_del(&fctx->list);
		kfree(fctx);
	}
}

void dup_userfaultfd_fail(struct list_head *fcs)
{
	struct list_head *pos, *tmp;

	list_for_each_safe(pos, tmp, fcs) {
		struct userfaultfd_fork_ctx *fctx =
			list_entry(pos, struct userfaultfd_fork_ctx, list);

		atomic_dec(&fctx->orig->mmap_changing);
		userfaultfd_ctx_put(fctx->orig);
		userfaultfd_ctx_put(fctx->new);
		list_del(&fctx->list);
		kfree(fctx);
	}
}

struct userfaultfd_ctx *mremap_userfaultfd_prep(struct mm_struct *mm,
						struct userfaultfd_ctx *ctx,
						unsigned long vm_flags,
						unsigned long start,
						unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long va = start;

	if (!ctx || !(READ_ONCE(ctx->features) & UFFD_FEATURE_EVENT_REMAP))
		return NULL;
	/* The new VMA may have merged with a neighbour: cut the range out
	 * of it first (a failed split: no registration, no event). */
	while (va < end && (vma = find_vma(mm, va)) && vma->vm_start < end) {
		if ((vma->vm_start < start && split_vma(mm, vma, start, 1)) ||
		    (vma->vm_end > end && split_vma(mm, vma, end, 0)))
			return NULL;
		vma->vm_flags |= vm_flags & __VM_UFFD_FLAGS;
		vma->vm_userfaultfd_ctx = ctx;
		vma = vma_merge(mm, vma);
		va = vma->vm_end;
	}
	userfaultfd_ctx_get(ctx);
	/* Under mmap_lock: a fill that takes it after us sees it. */
	atomic_inc(&ctx->mmap_changing);
	return ctx;
}

void mremap_userfaultfd_complete(struct userfaultfd_ctx *ctx,
				 unsigned long from, unsigned long to,
				 unsigned long len)
{
	struct userfaultfd_wait w;

	if (!ctx)
		return;
	/* The mremap failed after all (to is -errno): no event. Linux 6.1
	 * keeps the -EAGAIN count here; we drop it. */
	if (to & ~PAGE_MASK) {
		atomic_dec(&ctx->mmap_changing);
		userfaultfd_ctx_put(ctx);
		return;
	}
	memset(&w, 0, sizeof(w));
	w.msg.event = UFFD_EVENT_REMAP;
	w.msg.arg.remap.from = from;
	w.msg.arg.remap.to = to;
	w.msg.arg.remap.len = len;
	userfaultfd_event_wait_completion(ctx, &w);
}

/* Take the oldest unread message, a fault's (off ctx->pending) or else
 * an event's (off ctx->events), into *msg: true, or false when there is
 * none. A FORK event's sender moves to fork_event, the new context
 * referenced, for resolve_userfault_fork() to end. */
static bool userfaultfd_dequeue(struct userfaultfd_ctx *ctx,
				struct uffd_msg *msg,
				struct list_head *fork_event)
{
	struct userfaultfd_wait *w;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&ctx->lock, flags);
	if (!list_empty(&ctx->pending)) {
		w = list_first_entry(&ctx->pending, struct userfaultfd_wait,
				     entry);
		*msg = w->msg;
		list_del(&w->entry);
		list_add_tail(&w->entry, &ctx->waiting);
		found = true;
	} else if (!list_empty(&ctx->events)) {
		/* Faults first, then events, oldest first: Linux's
		 * userfaultfd_ctx_read(). Read means done: the sender goes
		 * on (userfaultfd_event_complete()). */
		w = list_first_entry(&ctx->events, struct userfaultfd_wait,
				     entry);
		*msg = w->msg;
		list_del_init(&w->entry);
		if (msg->event == UFFD_EVENT_FORK)
			userfaultfd_fork_dequeue(w, fork_event);
		else
			userfaultfd_event_complete(w);
		found = true;
	}
	spin_unlock_irqrestore(&ctx->lock, flags);
	return found;
}

/*
 * One message into *msg: 0, -EAGAIN (none and no_wait), -ERESTARTSYS (a
 * signal while waiting for one). Linux's userfaultfd_ctx_read().
 */
static int userfaultfd_ctx_read(struct userfaultfd_ctx *ctx, bool no_wait,
				struct uffd_msg *msg)
{
	struct wait_queue_entry wq = { .task = current };
	LIST_HEAD(fork_event);
	int ret = 0;

	if (userfaultfd_dequeue(ctx, msg, &fork_event))
		goto out;
	if (no_wait)
		return -EAGAIN;
	INIT_LIST_HEAD(&wq.entry);
	for (;;) {
		prepare_to_wait(&ctx->fd_wqh, &wq);
		if (userfaultfd_dequeue(ctx, msg, &fork_event))
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	finish_wait(&ctx->fd_wqh, &wq);
out:
	if (!ret && msg->event == UFFD_EVENT_FORK)
		ret = resolve_userfault_fork(ctx, &fork_event, msg);
	return ret;
}

/*
 * userfaultfd_read - read(2) of the fd: as many whole 32-byte messages
 * as fit and are queued, waiting (unless O_NONBLOCK) for the first
 * only. Returns the bytes read; -EINVAL (before UFFDIO_API, or a buffer
 * under 32 bytes), -EAGAIN (none, O_NONBLOCK), -ERESTARTSYS (a signal
 * while none came), -EFAULT. Linux's userfaultfd_read().
 */
static long userfaultfd_read(struct kiocb *iocb, struct iov_iter *to)
{
	struct file *file = iocb->ki_filp;
	struct userfaultfd_ctx *ctx = file->private_data;
	bool no_wait = file->f_flags & O_NONBLOCK;
	long ret = 0;

	if (!userfaultfd_is_initialized(ctx))
		return -EINVAL;
	for (;;) {
		struct uffd_msg msg;
		int err;

		if (iov_iter_count(to) < sizeof(msg))
			return ret ? ret : -EINVAL;
		err = userfaultfd_ctx_read(ctx, no_wait, &msg);
		if (err)
			return ret ? ret : err;
		if (copy_to_iter(&msg, sizeof(msg), to) != sizeof(msg))
			return ret ? ret : -EFAULT;
		ret += (long)sizeof(msg);
		/* Block for the first message only. */
		no_wait = true;
	}
}

/*
 * userfaultfd_release - the last close: every sleeping faulter wakes
 * (and retries; ctx->released keeps new ones from sleeping), then every
 * range registered with ctx is unregistered, so that the faults resolve
 * the ordinary way from now on. Linux's userfaultfd_release().
 */
static int userfaultfd_release(struct inode *inode, struct file *file)
{
	struct userfaultfd_ctx *ctx = file->private_data;
	struct mm_struct *mm = ctx->mm;
	struct vm_area_struct *vma;
	unsigned long flags, va = 0;

	(void)inode;
	spin_lock_irqsave(&ctx->lock, flags);
	ctx->released = true;
	wake_list(&ctx->pending, 0, 0);
	wake_list(&ctx->waiting, 0, 0);
	/* Event senders go on as if read (Linux's wake_up_all() of
	 * event_wqh). */
	wake_list(&ctx->events, 0, 0);
	spin_unlock_irqrestore(&ctx->lock, flags);

	/* With mm torn down (mm->users 0) no VMA is left to find. */
	mmap_write_lock(mm);
	while ((vma = find_vma(mm, va))) {
		if (vma->vm_userfaultfd_ctx == ctx) {
			if (userfaultfd_wp(vma))
				uffd_wp_clear_vma(vma);
			vma->vm_flags &= ~__VM_UFFD_FLAGS;
			vma->vm_userfaultfd_ctx = NULL;
			vma = vma_merge(mm, vma);
		}
		va = vma->vm_end;
	}
	mmap_write_unlock(mm);
	userfaultfd_ctx_put(ctx);
	return 0;
}

/*
 * The fd's readiness for poll(2) and select(2): POLLERR before
 * UFFDIO_API, and on a blocking fd, since poll cannot promise that its
 * read will not block (a fault may be woken, by a COPY or WAKE, before
 * its message is read); otherwise POLLIN while a fault's or an event's
 * message waits to be read. The faulter's queueing wakes fd_wqh. Linux's
 * userfaultfd_poll().
 */
static unsigned int userfaultfd_poll(struct file *file, poll_table *pt)
{
	struct userfaultfd_ctx *ctx = file->private_data;
	unsigned int mask = 0;
	unsigned long flags;

	poll_wait(file, &ctx->fd_wqh, pt);
	if (!userfaultfd_is_initialized(ctx) ||
	    !(READ_ONCE(file->f_flags) & O_NONBLOCK))
		return POLLERR;
	spin_lock_irqsave(&ctx->lock, flags);
	if (!list_empty(&ctx->pending) || !list_empty(&ctx->events))
		mask = POLLIN;
	spin_unlock_irqrestore(&ctx->lock, flags);
	return mask;
}

static const struct file_operations userfaultfd_fops = {
	.read_iter = userfaultfd_read,
	.poll = userfaultfd_poll,
	.unlocked_ioctl = userfaultfd_ioctl,
	.release = userfaultfd_release,
	/* poll: with the poll core (docs/userfaultfd.md). */
};

/*
 * A range of the ioctls: page aligned, not empty, inside the user
 * address space. 0 or -EINVAL. Linux's validate_range().
 */
static int validate_range(u64 start, u64 len)
{
	if (start & ~PAGE_MASK || len & ~PAGE_MASK || !len)
		return -EINVAL;
	if (start < MMAP_MIN_ADDR || start >= TASK_SIZE ||
	    len > TASK_SIZE - start)
		return -EINVAL;
	return 0;
}

/* Can vma be registered? Anonymous private memory only (Linux also
 * takes shmem and hugetlbfs). Linux's vma_can_userfault(). */
static bool vma_can_userfault(const struct vm_area_struct *vma)
{
	return vma_is_anonymous(vma) && !(vma->vm_flags & VM_SHARED);
}

/*
 * UFFDIO_API: check the API number and the features asked for, and turn
 * them on (once). Linux's userfaultfd_api().
 */
static long userfaultfd_api(struct userfaultfd_ctx *ctx,
			    struct uffdio_api __user *arg)
{
	struct uffdio_api api;
	unsigned long flags;
	long ret = -EINVAL;

	if (copy_from_user(&api, arg, sizeof(api)))
		return -EFAULT;
	if (api.api == UFFD_API && !(api.features & ~UFFD_API_FEATURES)) {
		u64 features = api.features | UFFD_FEATURE_INITIALIZED;

		/* Only the first call sets them (Linux's cmpxchg). */
		spin_lock_irqsave(&ctx->lock, flags);
		if (!ctx->features) {
			ctx->features = features;
			ret = 0;
		}
		spin_unlock_irqrestore(&ctx->lock, flags);
	}
	if (ret) {
		/* Linux zeroes the answer on failure. */
		memset(&api, 0, sizeof(api));
	} else {
		api.features = UFFD_API_FEATURES;
		api.ioctls = UFFD_API_IOCTLS;
	}
	if (copy_to_user(arg, &api, sizeof(api)))
		return -EFAULT;
	return ret;
}

/*
 * Register or unregister [start, end) for ctx, VMA by VMA, splitting
 * at the ends and merging after, as mprotect does. mmap_lock held for
 * writing; every VMA of the range checked already. 0 or -ENOMEM (a
 * split; the VMAs before it keep their new state, as in Linux).
 */
static int userfaultfd_set_range(struct mm_struct *mm,
				 struct userfaultfd_ctx *ctx,
				 unsigned long start, unsigned long end,
				 unsigned long vm_flags)
{
	bool reg = vm_flags;

	struct vm_area_struct *vma;
	unsigned long va = start;
	int err;

	while (va < end && (vma = find_vma(mm, va)) && vma->vm_start < end) {
		/* Registering again with a mode the VMA lacks replaces the
		 * mode; one it has already changes nothing (Linux's). */
		bool change = reg ? vma->vm_userfaultfd_ctx != ctx ||
					      (vma->vm_flags & vm_flags) !=
						      vm_flags :
				    vma->vm_userfaultfd_ctx == ctx;

		if (!change) {
			va = vma->vm_end;
			continue;
		}
		if (vma->vm_start < start) {
			err = split_vma(mm, vma, start, 1);
			if (err)
				return err;
		}
		if (vma->vm_end > end) {
			err = split_vma(mm, vma, end, 0);
			if (err)
				return err;
		}
		/* Leaving write-protect mode drops the marks (Linux 6.1's
		 * userfaultfd_unregister()). */
		if (userfaultfd_wp(vma) && !(vm_flags & VM_UFFD_WP))
			uffd_wp_clear_vma(vma);
		/* A faulter sleeping on a missing page would wait for ever.
		 * As in Linux, only MISSING mode's are woken: one sleeping
		 * on a write-protected page waits for a UFFDIO_WAKE, a
		 * signal, or the fd's close. */
		if (!reg && userfaultfd_missing(vma))
			wake_userfault(ctx, vma->vm_start,
				       vma->vm_end - vma->vm_start);
		vma->vm_flags = (vma->vm_flags & ~__VM_UFFD_FLAGS) | vm_flags;
		vma->vm_userfaultfd_ctx = reg ? ctx : NULL;
		vma = vma_merge(mm, vma);
		va = vma->vm_end;
	}
	return 0;
}

/*
 * UFFDIO_REGISTER and UFFDIO_UNREGISTER. Register: MISSING mode, WP
 * mode or both (-EINVAL for 0 or any other bit: MINOR), a valid range with at least one VMA
 * in it (holes are allowed), every VMA anonymous private (-EINVAL) and
 * registered with no other userfaultfd (-EBUSY); -ENOMEM when no VMA is
 * at or above start. The range's POE marks are cleared: it never takes
 * the fast path (docs/userfaultfd.md). Answers the range's ioctls in
 * uffdio_register.ioctls (UFFDIO_WRITEPROTECT only in WP mode).
 * Registering a range again with the same fd sets its mode anew.
 * Unregister: the same checks but the mode;
 * sleeping faulters of the range wake. Linux's userfaultfd_register()
 * and userfaultfd_unregister().
 */
static long userfaultfd_register(struct userfaultfd_ctx *ctx, void __user *arg,
				 bool reg)
{
	struct mm_struct *mm = ctx->mm;
	struct uffdio_register ureg;
	struct vm_area_struct *vma;
	unsigned long start, end, vm_flags = 0;
	u64 ioctls = UFFD_API_RANGE_IOCTLS;
	long ret;

	if (reg) {
		/* The last field is the answer: not read. */
		if (copy_from_user(&ureg, arg, sizeof(ureg) - sizeof(u64)))
			return -EFAULT;
		if (!ureg.mode || (ureg.mode & ~UFFD_REGISTER_MODES))
			return -EINVAL;
		if (ureg.mode & UFFDIO_REGISTER_MODE_MISSING)
			vm_flags |= VM_UFFD_MISSING;
		if (ureg.mode & UFFDIO_REGISTER_MODE_WP) {
			vm_flags |= VM_UFFD_WP;
			ioctls |= UFFD_API_RANGE_IOCTLS_WP;
		}
	} else if (copy_from_user(&ureg.range, arg, sizeof(ureg.range))) {
		return -EFAULT;
	}
	ret = validate_range(ureg.range.start, ureg.range.len);
	if (ret)
		return ret;
	start = (unsigned long)ureg.range.start;
	end = start + (unsigned long)ureg.range.len;

	mmap_write_lock(mm);
	ret = -ENOMEM;
	if (!READ_ONCE(mm->users))
		goto out;
	vma = find_vma(mm, start);
	if (!vma)
		goto out;
	ret = -EINVAL;
	if (vma->vm_start >= end)
		goto out;
	for (; vma && vma->vm_start < end; vma = find_vma(mm, vma->vm_end)) {
		ret = -EINVAL;
		if (!vma_can_userfault(vma))
			goto out;
		ret = -EBUSY;
		if (reg && vma->vm_userfaultfd_ctx &&
		    vma->vm_userfaultfd_ctx != ctx)
			goto out;
	}
	ret = userfaultfd_set_range(mm, ctx, start, end, vm_flags);
	/* Closed to the POE walker: no mark is left in the range, and none
	 * comes back while it is registered (mm/poe_prefault.c). And only
	 * 4 KiB pages in it: a registered range never gets huge pages
	 * (hugepage_vma_check()), the ones it has are split (ours: Linux
	 * handles missing and write-protect faults on huge pmds too). */
	if (reg) {
		poe_unmark_range(mm, start, end);
		split_huge_pmd_range(mm, start, end);
	}
out:
	mmap_write_unlock(mm);
	if (!ret && reg &&
	    put_user_u64(ioctls,
			 (u8 __user *)arg +
				 __builtin_offsetof(struct uffdio_register,
						    ioctls)))
		ret = -EFAULT;
	return ret;
}

/*
 * UFFDIO_COPY and UFFDIO_ZEROPAGE: fill the range, write the bytes done
 * (or -errno) in the answer's last field, and wake the range's
 * faulters unless DONTWAKE. Returns 0 when all of it was filled,
 * -EAGAIN when only part (the answer says how much), else the fill's
 * -errno; -EINVAL for a bad range or mode, -EFAULT. Linux's
 * userfaultfd_copy() and userfaultfd_zeropage().
 */
static long userfaultfd_fill(struct userfaultfd_ctx *ctx, void __user *arg,
			     bool zeropage)
{
	struct uffdio_copy copy = { 0 };
	struct uffdio_zeropage zp;
	u64 dst, len, mode, dontwake;
	void __user *answer;
	long ret;

	/* An event is under way: the range may be going. Checked first,
	 * the answer not written, as Linux 6.1's userfaultfd_copy(). */
	if (atomic_read(&ctx->mmap_changing))
		return -EAGAIN;
	if (zeropage) {
		if (copy_from_user(&zp, arg, sizeof(zp) - sizeof(s64)))
			return -EFAULT;
		dst = zp.range.start;
		len = zp.range.len;
		mode = zp.mode;
		dontwake = UFFDIO_ZEROPAGE_MODE_DONTWAKE;
		answer = (u8 __user *)arg +
			 __builtin_offsetof(struct uffdio_zeropage, zeropage);
	} else {
		if (copy_from_user(&copy, arg, sizeof(copy) - sizeof(s64)))
			return -EFAULT;
		dst = copy.dst;
		len = copy.len;
		mode = copy.mode;
		dontwake = UFFDIO_COPY_MODE_DONTWAKE;
		answer = (u8 __user *)arg +
			 __builtin_offsetof(struct uffdio_copy, copy);
	}
	ret = validate_range(dst, len);
	if (ret)
		return ret;
	/* The source must not wrap (copy_from_user checks the rest);
	 * write-protect mode for UFFDIO_COPY only. */
	if (!zeropage && copy.src + len <= copy.src)
		return -EINVAL;
	if (mode & ~(dontwake | (zeropage ? 0 : UFFDIO_COPY_MODE_WP)))
		return -EINVAL;
	ret = mfill_atomic(ctx->mm, (unsigned long)dst,
			   zeropage ? 0 : (unsigned long)copy.src,
			   (unsigned long)len, zeropage,
			   !zeropage && (mode & UFFDIO_COPY_MODE_WP),
			   &ctx->mmap_changing);
	if (put_user_u64((u64)ret, answer))
		return -EFAULT;
	if (ret < 0)
		return ret;
	if (!(mode & dontwake))
		wake_userfault(ctx, (unsigned long)dst, (unsigned long)ret);
	return (u64)ret == len ? 0 : -EAGAIN;
}

/*
 * UFFDIO_WRITEPROTECT: protect the present pages of a range
 * (UFFDIO_WRITEPROTECT_MODE_WP), or release them and wake the range's
 * faulters (mode 0; not with DONTWAKE). -EAGAIN while an event is under
 * way; -EFAULT; -EINVAL for a bad range, an unknown mode bit, or WP with
 * DONTWAKE; then mwriteprotect_range()'s -ENOENT, -ESRCH. Linux 6.1's
 * userfaultfd_writeprotect().
 */
static long userfaultfd_writeprotect(struct userfaultfd_ctx *ctx,
				     void __user *arg)
{
	struct uffdio_writeprotect wp;
	bool mode_wp, dontwake;
	long ret;

	if (atomic_read(&ctx->mmap_changing))
		return -EAGAIN;
	if (copy_from_user(&wp, arg, sizeof(wp)))
		return -EFAULT;
	ret = validate_range(wp.range.start, wp.range.len);
	if (ret)
		return ret;
	if (wp.mode &
	    ~(UFFDIO_WRITEPROTECT_MODE_WP | UFFDIO_WRITEPROTECT_MODE_DONTWAKE))
		return -EINVAL;
	mode_wp = wp.mode & UFFDIO_WRITEPROTECT_MODE_WP;
	dontwake = wp.mode & UFFDIO_WRITEPROTECT_MODE_DONTWAKE;
	if (mode_wp && dontwake)
		return -EINVAL;
	ret = mwriteprotect_range(ctx->mm, (unsigned long)wp.range.start,
				  (unsigned long)wp.range.len, mode_wp,
				  &ctx->mmap_changing);
	if (ret)
		return ret;
	if (!mode_wp && !dontwake)
		wake_userfault(ctx, (unsigned long)wp.range.start,
			       (unsigned long)wp.range.len);
	return 0;
}

/* UFFDIO_WAKE: wake the faulters of a range. Linux's userfaultfd_wake(). */
static long userfaultfd_wake(struct userfaultfd_ctx *ctx, void __user *arg)
{
	struct uffdio_range range;
	long ret;

	if (copy_from_user(&range, arg, sizeof(range)))
		return -EFAULT;
	ret = validate_range(range.start, range.len);
	if (ret)
		return ret;
	wake_userfault(ctx, (unsigned long)range.start,
		       (unsigned long)range.len);
	return 0;
}

long userfaultfd_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct userfaultfd_ctx *ctx = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (cmd != UFFDIO_API && !userfaultfd_is_initialized(ctx))
		return -EINVAL;
	switch (cmd) {
	case UFFDIO_API:
		return userfaultfd_api(ctx, uarg);
	case UFFDIO_REGISTER:
		return userfaultfd_register(ctx, uarg, true);
	case UFFDIO_UNREGISTER:
		return userfaultfd_register(ctx, uarg, false);
	case UFFDIO_WAKE:
		return userfaultfd_wake(ctx, uarg);
	case UFFDIO_COPY:
		return userfaultfd_fill(ctx, uarg, false);
	case UFFDIO_ZEROPAGE:
		return userfaultfd_fill(ctx, uarg, true);
	case UFFDIO_WRITEPROTECT:
		return userfaultfd_writeprotect(ctx, uarg);
	}
	return -EINVAL; /* Linux's answer to an unknown command, too */
}

/*
 * A new fd for ctx in current's fd table: an anonymous file (Linux's
 * anon_inode_getfd("[userfaultfd]"): mode 0600, no file type),
 * read-only, O_NONBLOCK and O_CLOEXEC from flags. The file takes the
 * caller's reference on ctx; on failure the caller keeps it (the file's
 * release never ran). The fd, or -EMFILE, -ENOMEM.
 */
static int userfaultfd_getfd(struct userfaultfd_ctx *ctx, unsigned int flags)
{
	struct inode *inode;
	struct dentry *dentry;
	struct file *file;
	int fd;

	/* The fd first, as Linux's: a file made and then put would
	 * release ctx. */
	fd = get_unused_fd_flags(flags & O_CLOEXEC);
	if (fd < 0)
		return fd;
	inode = new_inode(0600);
	dentry = inode ? d_alloc(NULL, "[userfaultfd]", 13) : NULL;
	if (!dentry) {
		if (inode)
			iput(inode);
		put_unused_fd((unsigned int)fd);
		return -ENOMEM;
	}
	inode->i_fop = &userfaultfd_fops;
	d_instantiate(dentry, inode);
	file = alloc_file(dentry, O_RDONLY | (flags & O_NONBLOCK));
	dput(dentry); /* the file holds it now, or it goes */
	if (IS_ERR(file)) {
		put_unused_fd((unsigned int)fd);
		return (int)PTR_ERR(file);
	}
	file->private_data = ctx;
	fd_install((unsigned int)fd, file);
	return fd;
}

/* A new userfaultfd for the caller's mm, flags checked: the fd, or
 * -errno. Linux's new_userfaultfd(), behind both ways in. */
static long new_userfaultfd(int flags)
{
	unsigned int f = (unsigned int)flags;
	struct userfaultfd_ctx *ctx;
	int fd;

	if (f & ~(UFFD_SHARED_FCNTL_FLAGS | UFFD_USER_MODE_ONLY))
		return -EINVAL;
	if (!current->mm)
		return -EINVAL;
	ctx = userfaultfd_ctx_alloc(current->mm, f, 0);
	if (!ctx)
		return -ENOMEM;
	fd = userfaultfd_getfd(ctx, f);
	if (fd < 0)
		userfaultfd_ctx_put(ctx);
	return fd;
}

/*
 * sys_userfaultfd - userfaultfd(2): a new userfaultfd for the calling
 * process's address space, read-only, flags O_CLOEXEC and O_NONBLOCK
 * as for open(2), and UFFD_USER_MODE_ONLY (faults of the kernel's user
 * copies are not handled: they fail with EFAULT). Returns the fd, or
 * -EINVAL (other flags), -EMFILE, -ENOMEM. No permission check: the
 * callers here are root (Linux's vm.unprivileged_userfaultfd asks
 * CAP_SYS_PTRACE for kernel-mode faults). Linux's
 * SYSCALL_DEFINE1(userfaultfd).
 */
long sys_userfaultfd(int flags)
{
	return new_userfaultfd(flags);
}

/*
 * /dev/userfaultfd's ioctl: USERFAULTFD_IOC_NEW makes a userfaultfd as
 * userfaultfd(2) does, with the ioctl's argument as its flags; returns
 * the new fd, or -EINVAL (another command, other flags), -EMFILE,
 * -ENOMEM. The device's file mode is the permission check (Linux opens
 * it to those who may open the node, with no vm.unprivileged_userfaultfd
 * test). Linux's userfaultfd_dev_ioctl() (Linux 6.1).
 */
static long userfaultfd_dev_ioctl(struct file *file, unsigned int cmd,
				  unsigned long arg)
{
	(void)file;
	if (cmd != USERFAULTFD_IOC_NEW)
		return -EINVAL;
	return new_userfaultfd((int)arg); /* an int, as Linux passes it */
}

const struct file_operations userfaultfd_dev_fops = {
	.unlocked_ioctl = userfaultfd_dev_ioctl,
};
