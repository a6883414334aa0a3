/*
 * poll.h - how a file says it is ready and how a poller waits for it,
 * as Linux's <linux/poll.h> (docs/vfs.md, "poll and ioctl"):
 *
 *   f_op->poll(file, pt)  returns the file's readiness now (POLLIN,
 *                         POLLOUT, POLLHUP, POLLERR, ... of
 *                         <asm/poll.h>) and, through poll_wait(), puts
 *                         the poller on the wait queues whose wake_up()
 *                         will mean "look again". It never sleeps.
 *   poll_wait(file, wq, pt)  the driver's call: pt NULL or without a
 *                         queue procedure means "only report" (a second
 *                         pass, or a timeout of 0).
 *
 * The core loop that uses them is fs/select.c's (do_sys_poll()).
 */
#ifndef KERNEL_POLL_H
#define KERNEL_POLL_H

#include <kernel/types.h>
#include <kernel/wait.h>
#include <asm/poll.h>

typedef unsigned int __poll_t;

struct file;

/* What a file without ->poll reports: always readable and writable
 * (Linux's DEFAULT_POLLMASK, regular files and /dev/null). */
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

typedef struct poll_table_struct {
	/* Add the poller to wq for file; NULL: do not wait. */
	void (*_qproc)(struct file *file, struct wait_queue_head *wq,
		       struct poll_table_struct *pt);
} poll_table;

/*
 * poll_wait - from a ->poll method: queue the poller on wq, so that a
 * wake_up(wq) ends its sleep, unless pt says it is only looking. Call it
 * before testing the state, so that a change after the test wakes the
 * poller. Linux's poll_wait().
 */
static inline void poll_wait(struct file *file, struct wait_queue_head *wq,
			     poll_table *pt)
{
	if (pt && pt->_qproc && wq)
		pt->_qproc(file, wq, pt);
}

/*
 * vfs_poll - file's readiness (POLL* bits) with pt as for ->poll;
 * DEFAULT_POLLMASK for a file without ->poll. Linux's vfs_poll().
 */
__poll_t vfs_poll(struct file *file, poll_table *pt);

#endif
