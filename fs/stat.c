/*
 * stat.c - a file's attributes: stat(2), lstat(2), fstat(2),
 * newfstatat(2) with Linux's x86-64 struct stat (include/uapi/asm/
 * stat.h), and readlink(2)/readlinkat(2), as Linux's fs/stat.c.
 * Symbolic links are ramfs's and procfs's (fs/ramfs.c, fs/proc.c):
 * lstat and readlink see the link itself, stat its target. statx(2)
 * fills Linux's struct statx (include/uapi/linux/stat.h) from the same
 * attributes.
 */
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/fdtable.h>
#include <kernel/fs.h>
#include <kernel/namei.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <mm/kmalloc.h>
#include <linux/stat.h>

_Static_assert(sizeof(struct stat) == 144, "Linux's x86-64 struct stat");
_Static_assert(sizeof(struct statx) == 256, "Linux's struct statx");

/* The device ramfs reports as st_dev (0:0x10): stat and statx agree. */
#define RAMFS_DEV_MAJOR 0
#define RAMFS_DEV_MINOR 0x10

void generic_fillattr(struct inode *inode, struct kstat *stat)
{
	mutex_lock(&inode->i_mutex);
	stat->ino = inode->i_ino;
	stat->mode = inode->i_mode;
	stat->nlink = inode->i_nlink;
	stat->uid = inode->i_uid;
	stat->gid = inode->i_gid;
	stat->rdev = inode->i_rdev;
	stat->size = inode->i_size;
	stat->blocks = inode->i_blocks;
	stat->atime = inode->i_atime;
	stat->mtime = inode->i_mtime;
	stat->ctime = inode->i_ctime;
	mutex_unlock(&inode->i_mutex);
}

/* Linux's cp_new_stat(): dev 0:0x10 is "the ramfs". */
static long cp_new_stat(struct kstat *k, struct stat __user *ubuf)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_dev = RAMFS_DEV_MAJOR << 8 | RAMFS_DEV_MINOR;
	st.st_ino = k->ino;
	st.st_nlink = k->nlink;
	st.st_mode = k->mode;
	st.st_uid = k->uid;
	st.st_gid = k->gid;
	st.st_rdev = k->rdev;
	st.st_size = k->size;
	st.st_blksize = 4096;
	st.st_blocks = (long)k->blocks;
	st.st_atime = (unsigned long)k->atime.tv_sec;
	st.st_atime_nsec = (unsigned long)k->atime.tv_nsec;
	st.st_mtime = (unsigned long)k->mtime.tv_sec;
	st.st_mtime_nsec = (unsigned long)k->mtime.tv_nsec;
	st.st_ctime = (unsigned long)k->ctime.tv_sec;
	st.st_ctime_nsec = (unsigned long)k->ctime.tv_nsec;
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

/*
 * sys_newfstatat - newfstatat(2) (fstatat(2)): the attributes of path
 * (relative to dfd) into *statbuf. flags: AT_SYMLINK_NOFOLLOW (a link
 * itself), AT_NO_AUTOMOUNT, AT_EMPTY_PATH (an empty path names dfd
 * itself, any file). 0, or -EINVAL (other flags), -EFAULT, -ENOENT
 * (empty path without AT_EMPTY_PATH), -ENAMETOOLONG, -EBADF, -ENOTDIR.
 * Linux's vfs_fstatat() and cp_new_stat().
 */
long sys_newfstatat(int dfd, const char __user *path,
		    struct stat __user *statbuf, int flags)
{
	struct dentry *d;
	struct kstat k;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH |
		      AT_STATX_SYNC_TYPE))
		return -EINVAL;
	err = user_path_at(dfd, path, at_lookup_flags(flags), &d);
	if (err)
		return err;
	generic_fillattr(d->d_inode, &k);
	dput(d);
	return cp_new_stat(&k, statbuf);
}

static void statx_time(struct statx_timestamp *t, struct timespec64 ts)
{
	t->tv_sec = ts.tv_sec;
	t->tv_nsec = (unsigned int)ts.tv_nsec;
}

/* Linux's cp_statx(): every field we have, whatever was asked for. */
static long cp_statx(struct kstat *k, struct statx __user *ubuf)
{
	struct statx tmp;

	memset(&tmp, 0, sizeof(tmp));
	tmp.stx_mask = STATX_BASIC_STATS;
	tmp.stx_blksize = 4096;
	tmp.stx_nlink = k->nlink;
	tmp.stx_uid = k->uid;
	tmp.stx_gid = k->gid;
	tmp.stx_mode = k->mode;
	tmp.stx_ino = k->ino;
	tmp.stx_size = (unsigned long long)k->size;
	tmp.stx_blocks = k->blocks;
	statx_time(&tmp.stx_atime, k->atime);
	statx_time(&tmp.stx_ctime, k->ctime);
	statx_time(&tmp.stx_mtime, k->mtime);
	tmp.stx_rdev_major = MAJOR(k->rdev);
	tmp.stx_rdev_minor = MINOR(k->rdev);
	tmp.stx_dev_major = RAMFS_DEV_MAJOR;
	tmp.stx_dev_minor = RAMFS_DEV_MINOR;
	return copy_to_user(ubuf, &tmp, sizeof(tmp)) ? -EFAULT : 0;
}

/*
 * sys_statx - statx(2): the attributes of path (relative to dfd) into
 * *buffer, Linux's struct statx. stx_mask says STATX_BASIC_STATS (the
 * fields of struct stat) whatever mask asks for, as Linux may fill more
 * than asked; no birth time, no attributes, no mount id. flags:
 * AT_SYMLINK_NOFOLLOW (a link itself), AT_EMPTY_PATH (an empty path
 * names dfd), AT_NO_AUTOMOUNT and one of the AT_STATX_SYNC_TYPE values
 * (ramfs is always in sync). 0, or -EFAULT, -ENOENT (an empty path
 * without AT_EMPTY_PATH), -ENAMETOOLONG, then -EINVAL (STATX__RESERVED
 * in mask, both AT_STATX_SYNC_TYPE bits, other flags), then the
 * lookup's errors. Linux's do_statx() and vfs_statx().
 */
long sys_statx(int dfd, const char __user *path, unsigned int flags,
	       unsigned int mask, struct statx __user *buffer)
{
	struct dentry *d;
	struct kstat k;
	char *name = getname(path, flags & AT_EMPTY_PATH);
	int err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	if ((mask & STATX__RESERVED) ||
	    (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE ||
	    (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH |
		       AT_STATX_SYNC_TYPE))) {
		putname(name);
		return -EINVAL;
	}
	err = kern_path_at(dfd, name, at_lookup_flags(flags), &d);
	putname(name);
	if (err)
		return err;
	generic_fillattr(d->d_inode, &k);
	dput(d);
	return cp_statx(&k, buffer);
}

/* sys_stat - stat(2). Linux's. */
long sys_stat(const char __user *path, struct stat __user *statbuf)
{
	return sys_newfstatat(AT_FDCWD, path, statbuf, 0);
}

/* sys_lstat - lstat(2): a symbolic link itself. Linux's. */
long sys_lstat(const char __user *path, struct stat __user *statbuf)
{
	return sys_newfstatat(AT_FDCWD, path, statbuf, AT_SYMLINK_NOFOLLOW);
}

/*
 * sys_fstat - fstat(2): the attributes of the file open at fd. 0,
 * -EBADF, -EFAULT. Linux's.
 */
long sys_fstat(unsigned int fd, struct stat __user *statbuf)
{
	struct file *f = fget(fd);
	struct kstat k;

	if (!f)
		return -EBADF;
	generic_fillattr(f->f_inode, &k);
	fput(f);
	return cp_new_stat(&k, statbuf);
}

/*
 * sys_readlinkat - readlinkat(2): the target of the symbolic link path
 * (relative to dfd; an empty path names dfd) into buf, without a NUL and
 * cut to bufsiz bytes: the bytes stored, or -EINVAL (bufsiz <= 0, checked
 * first; or path is not a link), -EFAULT, the link's or the lookup's
 * errors. Linux's do_readlinkat().
 */
long sys_readlinkat(int dfd, const char __user *path, char __user *buf,
		    int bufsiz)
{
	struct inode *inode;
	struct dentry *d;
	char *target;
	long err;

	if (bufsiz <= 0)
		return -EINVAL;
	err = user_path_at(dfd, path, LOOKUP_EMPTY | LOOKUP_NOFOLLOW, &d);
	if (err)
		return err;
	inode = d->d_inode;
	if (!S_ISLNK(inode->i_mode) || !inode->i_op || !inode->i_op->get_link) {
		dput(d);
		return -EINVAL;
	}
	target = inode->i_op->get_link(inode);
	dput(d);
	if (IS_ERR(target))
		return PTR_ERR(target);
	/* No NUL, cut to bufsiz: readlink(2). */
	err = (long)MIN(strlen(target), (size_t)bufsiz);
	if (copy_to_user(buf, target, (size_t)err))
		err = -EFAULT;
	kfree(target);
	return err;
}

/* sys_readlink - readlink(2). Linux's. */
long sys_readlink(const char __user *path, char __user *buf, int bufsiz)
{
	return sys_readlinkat(AT_FDCWD, path, buf, bufsiz);
}
