/*
 * ioctl.c - ioctl(2), as Linux's fs/ioctl.c cut down to its dispatch: the
 * command goes to the file's unlocked_ioctl (a userfaultfd's,
 * fs/userfaultfd.c); a file without one answers -ENOTTY. The generic
 * commands Linux handles before the file's (FIOCLEX, FIONBIO, ...) are
 * not here.
 */
#include <kernel/errno.h>
#include <kernel/fdtable.h>
#include <kernel/fs.h>
#include <kernel/syscalls.h>

long sys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fget(fd);
	long ret = -ENOTTY;

	if (!f)
		return -EBADF;
	if (f->f_op->unlocked_ioctl)
		ret = f->f_op->unlocked_ioctl(f, cmd, arg);
	fput(f);
	return ret;
}
