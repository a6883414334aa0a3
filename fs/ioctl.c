/*
 * ioctl.c - ioctl(2), as Linux's fs/ioctl.c (docs/vfs.md, "poll and
 * ioctl"): the requests every file takes are answered here
 * (do_vfs_ioctl(): close-on-exec, O_NONBLOCK, a regular file's bytes
 * left); every other request goes to the file's ->unlocked_ioctl (the
 * console's terminal requests, a pipe's FIONREAD), and a file without
 * one, or a request it does not know, is -ENOTTY.
 */
#include <kernel/errno.h>
#include <kernel/fdtable.h>
#include <kernel/fs.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <asm/ioctls.h>

/* Linux's vfs_ioctl(): the file's own requests. */
static long vfs_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	if (!f->f_op->unlocked_ioctl)
		return -ENOTTY;
	return f->f_op->unlocked_ioctl(f, cmd, arg);
}

/*
 * sys_ioctl - ioctl(2): request cmd on file fd with argument arg.
 * Answered for every file: FIOCLEX / FIONCLEX (close-on-exec on or
 * off), FIONBIO (*(int *)arg nonzero: O_NONBLOCK on, else off), and
 * FIONREAD on a regular file (the bytes from the position to the end,
 * an int). Everything else is the file's ->unlocked_ioctl: -ENOTTY
 * where it has none or does not know cmd. Returns 0 or the request's
 * value, or -EBADF (fd not open), -EFAULT (arg), -ENOTTY. Linux's
 * ioctl(2) (do_vfs_ioctl()).
 */
long sys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fget(fd);
	void __user *argp = (void __user *)arg;
	long ret;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case FIOCLEX:
		set_close_on_exec(fd, true);
		ret = 0;
		break;
	case FIONCLEX:
		set_close_on_exec(fd, false);
		ret = 0;
		break;
	case FIONBIO: {
		int on;

		ret = copy_from_user(&on, argp, sizeof(on)) ? -EFAULT : 0;
		if (ret)
			break;
		spin_lock(&f->f_lock);
		if (on)
			f->f_flags |= O_NONBLOCK;
		else
			f->f_flags &= ~(unsigned int)O_NONBLOCK;
		spin_unlock(&f->f_lock);
		break;
	}
	case FIONREAD:
		if (S_ISREG(f->f_inode->i_mode)) {
			/* Linux's: i_size - f_pos, unlocked, as an int. */
			int left = (int)(READ_ONCE(f->f_inode->i_size) -
					 READ_ONCE(f->f_pos));

			ret = copy_to_user(argp, &left, sizeof(left)) ?
				      -EFAULT :
				      0;
			break;
		}
		ret = vfs_ioctl(f, cmd, arg);
		break;
	default:
		ret = vfs_ioctl(f, cmd, arg);
		break;
	}
	fput(f);
	return ret;
}
