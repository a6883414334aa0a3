/*
 * fcntl.c - fcntl(2), dup(2), dup2(2) and dup3(2), as Linux's
 * fs/fcntl.c and the dup half of fs/file.c.
 */
#include <kernel/errno.h>
#include <kernel/fdtable.h>
#include <kernel/fs.h>
#include <kernel/syscalls.h>

/* The f_flags F_SETFL may change (Linux's SETFL_MASK, less the ones
 * that mean nothing here: O_ASYNC, O_DIRECT, O_NOATIME). */
#define SETFL_MASK (O_APPEND | O_NONBLOCK)

/*
 * sys_dup - dup(2): the lowest free fd, for the same file as fd
 * (sharing its position and flags, without close-on-exec). Returns it,
 * or -EBADF, -EMFILE. Linux's.
 */
long sys_dup(unsigned int fd)
{
	struct file *f = fget(fd);
	int newfd;

	if (!f)
		return -EBADF;
	newfd = get_unused_fd_flags(0);
	if (newfd < 0)
		fput(f);
	else
		fd_install((unsigned int)newfd, f);
	return newfd;
}

/*
 * sys_dup3 - dup3(2): make newfd refer to oldfd's file, closing what
 * newfd had; flags may hold O_CLOEXEC. Returns newfd, or -EINVAL (other
 * flags; oldfd == newfd), -EBADF (oldfd not open; newfd at or above
 * 1024), -EBUSY (newfd being opened by another thread). Linux's
 * ksys_dup3().
 */
long sys_dup3(unsigned int oldfd, unsigned int newfd, int flags)
{
	if ((unsigned int)flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return do_dup2(oldfd, newfd, (unsigned int)flags);
}

/* sys_dup2 - dup2(2): dup3 without flags, but oldfd == newfd returns
 * newfd when it is open (-EBADF when not). Linux's. */
long sys_dup2(unsigned int oldfd, unsigned int newfd)
{
	if (oldfd == newfd)
		return fd_is_open(oldfd) ? (long)newfd : -EBADF;
	return do_dup2(oldfd, newfd, 0);
}

/*
 * sys_fcntl - fcntl(2): F_DUPFD / F_DUPFD_CLOEXEC (the lowest free fd
 * >= arg; -EINVAL for arg >= 1024, -EMFILE when none is free), F_GETFD /
 * F_SETFD (FD_CLOEXEC), F_GETFL (access mode and flags) / F_SETFL
 * (O_APPEND and O_NONBLOCK change; the others are ignored). -EBADF for
 * an fd not open, -EINVAL for another cmd. Linux's do_fcntl().
 */
long sys_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fget(fd);
	long ret = 0;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= NR_OPEN_MAX) {
			ret = -EINVAL;
			break;
		}
		ret = alloc_fd((unsigned int)arg,
			       cmd == F_DUPFD_CLOEXEC ? O_CLOEXEC : 0);
		if (ret >= 0) {
			fd_install((unsigned int)ret, f);
			return ret; /* the reference passed to the table */
		}
		break;
	case F_GETFD:
		ret = get_close_on_exec(fd) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		set_close_on_exec(fd, arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		ret = f->f_flags;
		break;
	case F_SETFL:
		spin_lock(&f->f_lock);
		f->f_flags = (f->f_flags & ~SETFL_MASK) |
			     ((unsigned int)arg & SETFL_MASK);
		spin_unlock(&f->f_lock);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	fput(f);
	return ret;
}
