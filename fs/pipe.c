/*
 * pipe.c - pipe(2) and pipe2(2), as Linux's fs/pipe.c (docs/vfs.md,
 * "Pipes"): an anonymous inode (S_IFIFO, mode 0600) whose data is a ring
 * of PIPE_DEF_BUFFERS pages (Linux's default capacity, 64 KiB), opened
 * twice: a read end and a write end sharing one dentry that is in no
 * directory.
 *
 * The ring is a byte ring here: head and tail count bytes written and
 * read since the pipe was made (unsigned, wrapping), head - tail bytes
 * are in it, and byte n lives in page (n / PAGE_SIZE) % PIPE_DEF_BUFFERS.
 * Linux keeps one pipe_buffer per page with an offset and a length, and
 * merges small writes into the last page, so a stream of writes fills
 * the same 64 KiB either way. Pages come on the first write that needs
 * them and stay until the pipe goes (its inode's last iput).
 *
 * Semantics (man 7 pipe, Linux's pipe_read()/pipe_write()):
 *   - read blocks while the pipe is empty and a writer is left; returns
 *     what is there (up to count) as soon as there is something; 0 when
 *     empty with no writer; -EAGAIN empty under O_NONBLOCK.
 *   - write blocks while the pipe is full; a write of at most PIPE_BUF
 *     bytes goes in whole or waits (atomic: no other writer's bytes in
 *     between); a bigger one may be split. With no reader: SIGPIPE to
 *     the writing thread and -EPIPE.
 *   - a sleep ended by a signal with nothing moved returns -ERESTARTSYS
 *     (EINTR, or the call restarts under SA_RESTART: arch/x86_64/
 *     signal.c); with something moved, the count.
 * Locking: pipe->mutex (Linux's pipe->mutex) guards head, tail, the page
 * array and the reader and writer counts; rd_wait and wr_wait are the
 * wait queues of readers and writers. Copies to and from user memory
 * happen under the mutex, as in Linux (a fault there does not need it).
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
#include <kernel/wait.h>
#include <mm/kmalloc.h>
#include <mm/page_alloc.h>
#include <asm/ioctls.h>

#define PIPE_DEF_BUFFERS 16 /* pages in a pipe: Linux's default */
#define PIPE_SIZE	 (PIPE_DEF_BUFFERS * PAGE_SIZE) /* bytes */
#define PIPE_BUF	 4096 /* writes up to this are atomic (POSIX) */

struct pipe_inode_info {
	struct mutex mutex;
	struct wait_queue_head rd_wait, wr_wait;
	unsigned int head, tail;       /* bytes in, bytes out (wrapping) */
	unsigned int readers, writers; /* open read and write ends */
	char *pages[PIPE_DEF_BUFFERS]; /* direct-map addresses, or NULL */
};

static unsigned int pipe_used(const struct pipe_inode_info *pipe)
{
	return READ_ONCE(pipe->head) - READ_ONCE(pipe->tail);
}

/* The bytes that can be read now, or 0, are the ones from the tail to
 * the end of its page or to the head: one copy's worth. */
static char *pipe_out_chunk(struct pipe_inode_info *pipe, size_t *len)
{
	unsigned int off = pipe->tail % PAGE_SIZE;
	unsigned int idx = (pipe->tail / PAGE_SIZE) % PIPE_DEF_BUFFERS;

	*len = MIN((size_t)(PAGE_SIZE - off), (size_t)pipe_used(pipe));
	return pipe->pages[idx] + off;
}

/* The room at the head up to the end of its page or of the free space;
 * the page is allocated when missing. NULL when out of memory. */
static char *pipe_in_chunk(struct pipe_inode_info *pipe, size_t *len)
{
	unsigned int off = pipe->head % PAGE_SIZE;
	unsigned int idx = (pipe->head / PAGE_SIZE) % PIPE_DEF_BUFFERS;

	if (!pipe->pages[idx]) {
		pipe->pages[idx] = (char *)get_zeroed_page();
		if (!pipe->pages[idx])
			return NULL;
	}
	*len = MIN((size_t)(PAGE_SIZE - off),
		   (size_t)(PIPE_SIZE - pipe_used(pipe)));
	return pipe->pages[idx] + off;
}

/*
 * pipe_wait - sleep on wq until ready() says so, with pipe->mutex
 * dropped for the sleep and taken again after. Returns 0, or
 * -ERESTARTSYS when a signal is pending (Linux's
 * wait_event_interruptible_exclusive() in pipe_read()/pipe_write()).
 */
static int pipe_wait(struct pipe_inode_info *pipe, struct wait_queue_head *wq,
		     bool (*ready)(struct pipe_inode_info *))
{
	struct wait_queue_entry w = { .task = current };
	int ret = 0;

	INIT_LIST_HEAD(&w.entry);
	mutex_unlock(&pipe->mutex);
	for (;;) {
		prepare_to_wait(wq, &w);
		if (ready(pipe))
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	finish_wait(wq, &w);
	mutex_lock(&pipe->mutex);
	return ret;
}

/* Linux's pipe_readable(): something to read, or no writer left. */
static bool pipe_readable(struct pipe_inode_info *pipe)
{
	return pipe_used(pipe) || !READ_ONCE(pipe->writers);
}

/* Linux's pipe_writable(): room, or no reader left. */
static bool pipe_writable(struct pipe_inode_info *pipe)
{
	return pipe_used(pipe) < PIPE_SIZE || !READ_ONCE(pipe->readers);
}

/*
 * pipe_read - move up to the iterator's count of bytes out of the pipe.
 * Returns the bytes read (at least 1: it waits for some), 0 for a count
 * of 0 or an empty pipe without writers, -EAGAIN (empty, O_NONBLOCK),
 * -ERESTARTSYS (a signal while empty), -EFAULT (nothing copied). Linux's
 * pipe_read().
 */
static long pipe_read(struct kiocb *iocb, struct iov_iter *to)
{
	struct file *filp = iocb->ki_filp;
	struct pipe_inode_info *pipe = filp->private_data;
	long ret = 0;

	if (!iov_iter_count(to))
		return 0;
	mutex_lock(&pipe->mutex);
	for (;;) {
		while (pipe_used(pipe) && iov_iter_count(to)) {
			size_t len, n;
			char *src = pipe_out_chunk(pipe, &len);

			len = MIN(len, iov_iter_count(to));
			n = copy_to_iter(src, len, to);
			pipe->tail += (unsigned int)n;
			ret += (long)n;
			if (n < len) {
				if (!ret)
					ret = -EFAULT;
				break;
			}
		}
		if (ret)
			break;
		if (!pipe->writers)
			break;
		if (filp->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		ret = pipe_wait(pipe, &pipe->rd_wait, pipe_readable);
		if (ret)
			break;
	}
	mutex_unlock(&pipe->mutex);
	if (ret > 0)
		wake_up(&pipe->wr_wait);
	return ret;
}

/* SIGPIPE to the writing thread, as Linux's send_sig(SIGPIPE, current). */
static void pipe_sigpipe(void)
{
	send_signal_to_task(SIGPIPE, NULL, current, false);
}

/*
 * pipe_write - move the iterator's bytes into the pipe. A count up to
 * PIPE_BUF goes in whole (it waits for the room); a bigger one as room
 * comes. Returns the bytes written, 0 for a count of 0, -EPIPE (no
 * reader: SIGPIPE sent to current), -EAGAIN (no room, O_NONBLOCK; a
 * partial count when some went in), -ERESTARTSYS (a signal before any
 * byte went in), -EFAULT, -ENOMEM (no page, nothing written). Linux's
 * pipe_write().
 */
static long pipe_write(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *filp = iocb->ki_filp;
	struct pipe_inode_info *pipe = filp->private_data;
	size_t total = iov_iter_count(from);
	long ret = 0;

	if (!total)
		return 0;
	mutex_lock(&pipe->mutex);
	for (;;) {
		unsigned int room;

		if (!pipe->readers) {
			pipe_sigpipe();
			if (!ret)
				ret = -EPIPE;
			break;
		}
		room = PIPE_SIZE - pipe_used(pipe);
		/* An atomic write waits for room for all of it. */
		if (room && (total > PIPE_BUF || room >= total)) {
			bool stop = false;

			while (iov_iter_count(from) &&
			       pipe_used(pipe) < PIPE_SIZE) {
				size_t len, n;
				char *dst = pipe_in_chunk(pipe, &len);

				if (!dst) {
					if (!ret)
						ret = -ENOMEM;
					stop = true;
					break;
				}
				len = MIN(len, iov_iter_count(from));
				n = copy_from_iter(dst, len, from);
				pipe->head += (unsigned int)n;
				ret += (long)n;
				if (n < len) {
					if (!ret)
						ret = -EFAULT;
					stop = true;
					break;
				}
			}
			wake_up(&pipe->rd_wait);
			if (stop || !iov_iter_count(from))
				break;
			continue;
		}
		if (filp->f_flags & O_NONBLOCK) {
			if (!ret)
				ret = -EAGAIN;
			break;
		}
		{
			int err =
				pipe_wait(pipe, &pipe->wr_wait, pipe_writable);

			if (err) {
				if (!ret)
					ret = err;
				break;
			}
		}
	}
	mutex_unlock(&pipe->mutex);
	return ret;
}

/*
 * pipe_release - one end closes (its last fput): the counts drop and
 * both queues wake (readers see end of file, writers EPIPE). The ring
 * goes with the inode (free_pipe_info() from iput()). Linux's
 * pipe_release().
 */
static int pipe_release(struct inode *inode, struct file *filp)
{
	struct pipe_inode_info *pipe = inode->i_private;

	mutex_lock(&pipe->mutex);
	if (filp->f_mode & FMODE_READ)
		pipe->readers--;
	if (filp->f_mode & FMODE_WRITE)
		pipe->writers--;
	mutex_unlock(&pipe->mutex);
	wake_up(&pipe->rd_wait);
	wake_up(&pipe->wr_wait);
	return 0;
}

/*
 * pipe_poll - a pipe end's readiness: the read end POLLIN | POLLRDNORM
 * while bytes are in the pipe, POLLHUP once no writer is left; the
 * write end POLLOUT | POLLWRNORM while PIPE_BUF bytes fit (one page of
 * the ring free, Linux's "a slot is free"), POLLERR once no reader is
 * left. Queues the poller on rd_wait / wr_wait first, so that the
 * wake_up() of any change after the look reaches it. Reads the counts
 * without the mutex, as Linux's pipe_poll() does: a stale look is
 * corrected by the wake-up that follows every change. Linux's
 * pipe_poll().
 */
static unsigned int pipe_poll(struct file *filp, poll_table *pt)
{
	struct pipe_inode_info *pipe = filp->private_data;
	unsigned int mask = 0, used;

	if (filp->f_mode & FMODE_READ)
		poll_wait(filp, &pipe->rd_wait, pt);
	if (filp->f_mode & FMODE_WRITE)
		poll_wait(filp, &pipe->wr_wait, pt);
	used = pipe_used(pipe);
	if (filp->f_mode & FMODE_READ) {
		if (used)
			mask |= POLLIN | POLLRDNORM;
		if (!READ_ONCE(pipe->writers))
			mask |= POLLHUP;
	}
	if (filp->f_mode & FMODE_WRITE) {
		if (PIPE_SIZE - used >= PIPE_BUF)
			mask |= POLLOUT | POLLWRNORM;
		if (!READ_ONCE(pipe->readers))
			mask |= POLLERR;
	}
	return mask;
}

/*
 * pipe_ioctl - FIONREAD: the bytes in the pipe, as an int at arg (either
 * end). 0, -EFAULT, or -ENOTTY for any other request (a pipe is no
 * terminal). Linux's pipe_ioctl().
 */
static long pipe_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *pipe = filp->private_data;
	int count;

	if (cmd != FIONREAD)
		return -ENOTTY;
	mutex_lock(&pipe->mutex);
	count = (int)pipe_used(pipe);
	mutex_unlock(&pipe->mutex);
	return copy_to_user((void __user *)arg, &count, sizeof(count)) ?
		       -EFAULT :
		       0;
}

/* A pipe's file is a stream (lseek, pread, pwrite: -ESPIPE) whose
 * private_data is the pipe. */
static int pipe_open(struct inode *inode, struct file *filp)
{
	filp->private_data = inode->i_private;
	return nonseekable_open(inode, filp);
}

static const struct file_operations pipefifo_fops = {
	.read_iter = pipe_read,
	.write_iter = pipe_write,
	.poll = pipe_poll,
	.unlocked_ioctl = pipe_ioctl,
	.open = pipe_open,
	.release = pipe_release,
};

void free_pipe_info(struct inode *inode)
{
	struct pipe_inode_info *pipe = inode->i_private;

	if (!pipe)
		return;
	for (unsigned int i = 0; i < PIPE_DEF_BUFFERS; i++)
		if (pipe->pages[i])
			free_page((unsigned long)pipe->pages[i]);
	kfree(pipe);
	inode->i_private = NULL;
}

/*
 * create_pipe_files - a new pipe's read end (res[0], O_RDONLY) and
 * write end (res[1], O_WRONLY), each with O_NONBLOCK from flags. 0 or
 * -ENOMEM. Linux's create_pipe_files() (get_pipe_inode()).
 */
static int create_pipe_files(struct file **res, unsigned int flags)
{
	struct pipe_inode_info *pipe = kzalloc(sizeof(*pipe));
	struct inode *inode = pipe ? new_inode(S_IFIFO | 0600) : NULL;
	struct dentry *dentry;
	int err = -ENOMEM;

	if (!inode) {
		kfree(pipe);
		return -ENOMEM;
	}
	mutex_init(&pipe->mutex);
	init_waitqueue_head(&pipe->rd_wait);
	init_waitqueue_head(&pipe->wr_wait);
	pipe->readers = pipe->writers = 1;
	inode->i_private = pipe;
	inode->i_fop = &pipefifo_fops;
	dentry = d_alloc(NULL, "pipe:", 5);
	if (!dentry) {
		iput(inode); /* frees the pipe too */
		return -ENOMEM;
	}
	d_instantiate(dentry, inode);
	res[0] = alloc_file(dentry, O_RDONLY | (flags & O_NONBLOCK));
	if (IS_ERR(res[0])) {
		err = (int)PTR_ERR(res[0]);
		dput(dentry);
		return err;
	}
	res[1] = alloc_file(dentry, O_WRONLY | (flags & O_NONBLOCK));
	if (IS_ERR(res[1])) {
		err = (int)PTR_ERR(res[1]);
		pipe->writers = 0; /* res[0]'s release drops the reader */
		fput(res[0]);
		dput(dentry);
		return err;
	}
	dput(dentry); /* the files hold it now */
	return 0;
}

/*
 * sys_pipe2 - pipe2(2): a new pipe, its read end's fd in fildes[0] and
 * its write end's in fildes[1]; flags may hold O_CLOEXEC (both fds) and
 * O_NONBLOCK (both files). Returns 0, or -EINVAL (other flags: O_DIRECT,
 * Linux's packet mode, is not there), -EMFILE, -ENOMEM, -EFAULT (fildes
 * not writable: no fd stays open). Linux's do_pipe2().
 */
long sys_pipe2(int __user *fildes, int flags)
{
	struct file *files[2] = { NULL, NULL };
	int fd[2];
	int err;

	if ((unsigned int)flags & ~(unsigned int)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	err = create_pipe_files(files, (unsigned int)flags);
	if (err)
		return err;
	fd[0] = get_unused_fd_flags((unsigned int)flags);
	if (fd[0] < 0) {
		err = fd[0];
		goto out_files;
	}
	fd[1] = get_unused_fd_flags((unsigned int)flags);
	if (fd[1] < 0) {
		err = fd[1];
		put_unused_fd((unsigned int)fd[0]);
		goto out_files;
	}
	if (copy_to_user(fildes, fd, sizeof(fd))) {
		put_unused_fd((unsigned int)fd[0]);
		put_unused_fd((unsigned int)fd[1]);
		err = -EFAULT;
		goto out_files;
	}
	fd_install((unsigned int)fd[0], files[0]);
	fd_install((unsigned int)fd[1], files[1]);
	return 0;
out_files:
	fput(files[0]);
	fput(files[1]);
	return err;
}

/* sys_pipe - pipe(2): pipe2 without flags. Linux's. */
long sys_pipe(int __user *fildes)
{
	return sys_pipe2(fildes, 0);
}
