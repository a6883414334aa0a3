/*
 * utimes.c - setting a file's access and modification times:
 * utimensat(2) (and futimens(3), which is utimensat on an fd with a NULL
 * path), as Linux's fs/utimes.c. The times go through notify_change()
 * (fs/attr.c); ctime becomes now whatever is set. Times are kept to the
 * nanosecond (ramfs's granularity, as Linux's).
 */
#include <kernel/errno.h>
#include <kernel/fdtable.h>
#include <kernel/fs.h>
#include <kernel/namei.h>
#include <kernel/syscalls.h>

#define UTIME_NOW  ((1L << 30) - 1L) /* Linux's <linux/stat.h> */
#define UTIME_OMIT ((1L << 30) - 2L)

/* Linux's nsec_valid(): the two special values, or 0..999999999. */
static bool nsec_valid(s64 nsec)
{
	if (nsec == UTIME_OMIT || nsec == UTIME_NOW)
		return true;
	return nsec >= 0 && nsec <= 999999999;
}

/*
 * vfs_utimes - set inode's times from times[2] (atime, mtime), or both
 * to now for NULL: UTIME_NOW in a tv_nsec means now, UTIME_OMIT leaves
 * that time alone. 0 or -EINVAL (a tv_nsec out of range). Linux's
 * vfs_utimes().
 */
static int vfs_utimes(struct inode *inode, struct timespec_k *times)
{
	struct iattr attr = { 0 };

	if (times) {
		if (!nsec_valid(times[0].tv_nsec) ||
		    !nsec_valid(times[1].tv_nsec))
			return -EINVAL;
		if (times[0].tv_nsec == UTIME_NOW &&
		    times[1].tv_nsec == UTIME_NOW)
			times = NULL;
	}
	attr.ia_valid = ATTR_CTIME | ATTR_MTIME | ATTR_ATIME;
	if (times) {
		if (times[0].tv_nsec == UTIME_OMIT) {
			attr.ia_valid &= ~ATTR_ATIME;
		} else if (times[0].tv_nsec != UTIME_NOW) {
			attr.ia_atime.tv_sec = times[0].tv_sec;
			attr.ia_atime.tv_nsec = (long)times[0].tv_nsec;
			attr.ia_valid |= ATTR_ATIME_SET;
		}
		if (times[1].tv_nsec == UTIME_OMIT) {
			attr.ia_valid &= ~ATTR_MTIME;
		} else if (times[1].tv_nsec != UTIME_NOW) {
			attr.ia_mtime.tv_sec = times[1].tv_sec;
			attr.ia_mtime.tv_nsec = (long)times[1].tv_nsec;
			attr.ia_valid |= ATTR_MTIME_SET;
		}
	}
	return notify_change(inode, &attr);
}

/*
 * sys_utimensat - utimensat(2): set the access and modification times
 * of path (relative to dfd) from utimes[2] (struct timespec: atime,
 * mtime), or both to now when utimes is NULL; a tv_nsec of UTIME_NOW
 * means now, UTIME_OMIT leaves that time as it is (both UTIME_OMIT:
 * 0 at once, nothing looked up). A NULL path with dfd not AT_FDCWD sets
 * the times of the file open at dfd (futimens(3); flags must be 0).
 * flags: AT_SYMLINK_NOFOLLOW (a link itself), AT_EMPTY_PATH. ctime
 * becomes now. Errors in Linux's order: -EFAULT (utimes), -EINVAL
 * (flags), -EBADF (dfd), the lookup's errors (-EFAULT for a NULL path
 * with AT_FDCWD, -ENOENT, -ENOTDIR, -ENAMETOOLONG, -ELOOP), then -EINVAL
 * (a tv_nsec neither in 0..999999999 nor special). Linux's
 * sys_utimensat() and do_utimes().
 */
long sys_utimensat(int dfd, const char __user *path,
		   const struct timespec_k __user *utimes, int flags)
{
	struct timespec_k t[2];
	struct dentry *d;
	struct file *f;
	long err;

	if (utimes) {
		if (copy_from_user(t, utimes, sizeof(t)))
			return -EFAULT;
		/* Nothing to do: the path is not even looked at. */
		if (t[0].tv_nsec == UTIME_OMIT && t[1].tv_nsec == UTIME_OMIT)
			return 0;
	}
	if (!path && dfd != AT_FDCWD) { /* do_utimes_fd() */
		if (flags)
			return -EINVAL;
		f = fget((unsigned int)dfd);
		if (!f)
			return -EBADF;
		err = vfs_utimes(f->f_inode, utimes ? t : NULL);
		fput(f);
		return err;
	}
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = user_path_at(dfd, path, at_lookup_flags(flags), &d);
	if (err)
		return err;
	err = vfs_utimes(d->d_inode, utimes ? t : NULL);
	dput(d);
	return err;
}
