/*
 * open.c - opening files and the calls on a file's attributes by name:
 * open(2), openat(2), access(2), faccessat(2), truncate(2),
 * ftruncate(2), as Linux's fs/open.c and the open half of fs/namei.c
 * (do_filp_open(), do_open()). Every task is root: open checks no
 * permission bits (Linux's CAP_DAC_OVERRIDE), exec and access(X_OK)
 * want an x bit on anything but a directory.
 */
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/fdtable.h>
#include <kernel/fs.h>
#include <kernel/namei.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <mm/kmalloc.h>

/* Does opening with these flags write (Linux's ACC_MODE() & MAY_WRITE,
 * O_TRUNC included)? Access mode 3 counts as read and write. */
static bool open_writes(unsigned int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
}

/*
 * do_truncate - set the size of inode (a regular file) to length bytes:
 * the pages past it are freed, a longer file reads zeros there. 0, or
 * -EFBIG, -ENOMEM. Linux's do_truncate().
 */
static int do_truncate(struct inode *inode, loff_t length)
{
	int err;

	if (length > MAX_LFS_FILESIZE)
		return -EFBIG;
	mutex_lock(&inode->i_mutex);
	err = inode->i_op->setsize(inode, length);
	mutex_unlock(&inode->i_mutex);
	return err;
}

/*
 * do_filp_open - open the kernel path name (relative to dfd) with open
 * flags and, for a new file, mode: Linux's path_openat() and do_open(),
 * errors in their order. Returns the file with one reference, or an
 * error pointer.
 */
static struct file *do_filp_open(int dfd, const char *name, unsigned int flags,
				 umode_t mode)
{
	struct nameidata nd;
	struct dentry *d = NULL;
	struct inode *inode;
	struct file *f;
	bool created = false, is_dir;
	int err = path_parentat(dfd, name, &nd);

	if (err)
		return ERR_PTR(err);
	if ((flags & O_CREAT) && nd.last_type == LAST_NORM) {
		/* open_last_lookups(): a slash after a name to create. */
		if (nd.trailing)
			err = -EISDIR;
		else if (nd.len > NAME_MAX)
			err = -ENAMETOOLONG;
		else
			err = open_create(&nd, flags, mode, &d, &created);
		/* An existing symbolic link is followed (without O_EXCL,
		 * which open_create() refused with -EEXIST): Linux's
		 * open_last_lookups() -> step_into(). O_NOFOLLOW: -ELOOP. */
		if (!err && !created && S_ISLNK(d->d_inode->i_mode)) {
			dput(d);
			if (flags & O_NOFOLLOW) {
				err = -ELOOP;
			} else {
				d = lookup_last(&nd);
				if (IS_ERR(d))
					err = (int)PTR_ERR(d);
			}
		}
	} else {
		nd.nofollow = flags & O_NOFOLLOW;
		d = lookup_last(&nd);
		if (IS_ERR(d))
			err = (int)PTR_ERR(d);
		else if (S_ISLNK(d->d_inode->i_mode)) {
			dput(d); /* O_NOFOLLOW on a link: Linux's -ELOOP */
			err = -ELOOP;
		}
	}
	dput(nd.parent);
	if (err)
		return ERR_PTR(err);
	inode = d->d_inode;
	is_dir = S_ISDIR(inode->i_mode);
	if ((flags & O_CREAT) && (flags & O_EXCL) && !created)
		err = -EEXIST; /* "/", "." or ".." */
	else if ((flags & O_CREAT) && is_dir)
		err = -EISDIR;
	else if ((nd.trailing || (flags & O_DIRECTORY)) && !is_dir)
		err = -ENOTDIR;
	else if (is_dir && open_writes(flags))
		err = -EISDIR; /* may_open() */
	else if ((flags & O_TRUNC) && S_ISREG(inode->i_mode) && !created)
		err = do_truncate(inode, 0);
	if (err) {
		dput(d);
		return ERR_PTR(err);
	}
	f = alloc_file(d, flags);
	dput(d);
	return f;
}

/*
 * sys_openat - openat(2): open path (relative to dfd) and return the
 * lowest free fd for it. flags: the access mode (O_RDONLY, O_WRONLY,
 * O_RDWR), O_CREAT (a regular file of mode & ~umask), O_EXCL, O_TRUNC,
 * O_APPEND, O_DIRECTORY, O_CLOEXEC, O_NONBLOCK (kept in f_flags; no
 * file here blocks but the console); other flags are ignored, as Linux
 * ignores unknown ones. Errors in Linux's order: -EFAULT,
 * -ENAMETOOLONG, -ENOENT (the path); -EMFILE; -EBADF, -ENOTDIR,
 * -ENOENT, -ENAMETOOLONG (the walk); -EISDIR (O_CREAT and a trailing
 * slash or a directory; writing or truncating a directory); -EEXIST
 * (O_CREAT | O_EXCL); -ENOTDIR (O_DIRECTORY or a trailing slash, not a
 * directory); -ENOMEM. Linux's do_sys_openat2().
 */
long sys_openat(int dfd, const char __user *path, int flags, unsigned int mode)
{
	char *name = getname(path, false);
	struct file *f;
	int fd;

	if (IS_ERR(name))
		return PTR_ERR(name);
	/* Linux's build_open_flags(): on 64-bit every file is large. */
	flags |= O_LARGEFILE;
	fd = get_unused_fd_flags((unsigned int)flags);
	if (fd >= 0) {
		f = do_filp_open(dfd, name, (unsigned int)flags,
				 (umode_t)(mode & 0xffff));
		if (IS_ERR(f)) {
			put_unused_fd((unsigned int)fd);
			fd = (int)PTR_ERR(f);
		} else {
			fd_install((unsigned int)fd, f);
		}
	}
	putname(name);
	return fd;
}

/* sys_open - open(2): openat(AT_FDCWD, ...). Linux's. */
long sys_open(const char __user *path, int flags, unsigned int mode)
{
	return sys_openat(AT_FDCWD, path, flags, mode);
}

/*
 * sys_faccessat - faccessat(2) without flags: may the caller (root)
 * access path (relative to dfd) as mode says: F_OK exists, R_OK and
 * W_OK always (root), X_OK when it is a directory or has an x bit.
 * 0, or -EINVAL (mode beyond 7), the lookup's errors, -EACCES. Linux's
 * do_faccessat() for uid 0.
 */
long sys_faccessat(int dfd, const char __user *path, int mode)
{
	struct dentry *d;
	int err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	err = user_path_at(dfd, path, LOOKUP_FOLLOW, &d);
	if (err)
		return err;
	if ((mode & X_OK) && !S_ISDIR(d->d_inode->i_mode) &&
	    !(d->d_inode->i_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
		err = -EACCES;
	dput(d);
	return err;
}

/* sys_access - access(2). Linux's. */
long sys_access(const char __user *path, int mode)
{
	return sys_faccessat(AT_FDCWD, path, mode);
}

/*
 * sys_truncate - truncate(2): set the size of the regular file path to
 * length bytes (zeros beyond the old end; the pages past the new end
 * freed). 0, or -EINVAL (length < 0; not a regular file), the lookup's
 * errors, -EISDIR, -EFBIG, -ENOMEM. Linux's do_sys_truncate().
 */
long sys_truncate(const char __user *path, long length)
{
	struct dentry *d;
	int err;

	if (length < 0)
		return -EINVAL;
	err = user_path_at(AT_FDCWD, path, LOOKUP_FOLLOW, &d);
	if (err)
		return err;
	if (S_ISDIR(d->d_inode->i_mode))
		err = -EISDIR;
	else if (!S_ISREG(d->d_inode->i_mode))
		err = -EINVAL;
	else
		err = do_truncate(d->d_inode, length);
	dput(d);
	return err;
}

/*
 * sys_ftruncate - ftruncate(2): truncate(2) of the file open at fd,
 * which must be a regular file open for writing. 0, or -EINVAL (length
 * < 0; not a regular file or not open for writing), -EBADF, -EFBIG,
 * -ENOMEM. Linux's do_sys_ftruncate().
 */
long sys_ftruncate(unsigned int fd, long length)
{
	struct file *f;
	int err;

	if (length < 0)
		return -EINVAL;
	f = fget(fd);
	if (!f)
		return -EBADF;
	if (!S_ISREG(f->f_inode->i_mode) || !(f->f_mode & FMODE_WRITE))
		err = -EINVAL;
	else
		err = do_truncate(f->f_inode, length);
	fput(f);
	return err;
}

/* Linux's chmod_common(): the permission bits of mode, the type kept. */
static int chmod_common(struct inode *inode, unsigned int mode)
{
	struct iattr attr = { 0 };

	attr.ia_valid = ATTR_MODE | ATTR_CTIME;
	attr.ia_mode = (umode_t)(mode & S_IALLUGO);
	return notify_change(inode, &attr);
}

/*
 * sys_fchmodat - fchmodat(2) (no flags argument: that is fchmodat2):
 * set the permission bits (mode & 07777) of path (relative to dfd),
 * following a symbolic link; ctime becomes now. Root may change any
 * file's mode. 0, or the lookup's errors (-EFAULT, -ENOENT, -ENOTDIR,
 * -ENAMETOOLONG, -ELOOP, -EBADF). Linux's do_fchmodat().
 */
long sys_fchmodat(int dfd, const char __user *path, unsigned int mode)
{
	struct dentry *d;
	int err = user_path_at(dfd, path, LOOKUP_FOLLOW, &d);

	if (err)
		return err;
	err = chmod_common(d->d_inode, mode);
	dput(d);
	return err;
}

/* sys_chmod - chmod(2): fchmodat(AT_FDCWD, ...). Linux's. */
long sys_chmod(const char __user *path, unsigned int mode)
{
	return sys_fchmodat(AT_FDCWD, path, mode);
}

/*
 * sys_fchmod - fchmod(2): chmod(2) of the file open at fd (any file: a
 * directory, a pipe). 0 or -EBADF. Linux's.
 */
long sys_fchmod(unsigned int fd, unsigned int mode)
{
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = chmod_common(f->f_inode, mode);
	fput(f);
	return err;
}

/*
 * Linux's chown_common(): the owner user and group ((unsigned)-1: left
 * as it is), ctime now, and for anything but a directory S_ISUID
 * cleared, S_ISGID too when S_IXGRP is set, even when the owner stays.
 */
static int chown_common(struct inode *inode, unsigned int user,
			unsigned int group)
{
	struct iattr attr = { 0 };

	attr.ia_valid = ATTR_CTIME;
	attr.ia_uid = user;
	attr.ia_gid = group;
	if (user != (unsigned int)-1)
		attr.ia_valid |= ATTR_UID;
	if (group != (unsigned int)-1)
		attr.ia_valid |= ATTR_GID;
	if (!S_ISDIR(inode->i_mode))
		attr.ia_valid |= ATTR_KILL_SUID | ATTR_KILL_SGID;
	return notify_change(inode, &attr);
}

/*
 * sys_fchownat - fchownat(2): set the owner of path (relative to dfd)
 * to user and group, each (unsigned)-1 for no change; ctime becomes
 * now; a file (not a directory) loses S_ISUID, and S_ISGID when group
 * execute is set. flags: AT_SYMLINK_NOFOLLOW (the link itself),
 * AT_EMPTY_PATH. Root may give any file to anyone. 0, or -EINVAL
 * (other flags), the lookup's errors. Linux's do_fchownat().
 */
long sys_fchownat(int dfd, const char __user *path, unsigned int user,
		  unsigned int group, int flags)
{
	struct dentry *d;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = user_path_at(dfd, path, at_lookup_flags(flags), &d);
	if (err)
		return err;
	err = chown_common(d->d_inode, user, group);
	dput(d);
	return err;
}

/* sys_chown - chown(2): follows a symbolic link. Linux's. */
long sys_chown(const char __user *path, unsigned int user, unsigned int group)
{
	return sys_fchownat(AT_FDCWD, path, user, group, 0);
}

/* sys_lchown - lchown(2): a symbolic link itself. Linux's. */
long sys_lchown(const char __user *path, unsigned int user, unsigned int group)
{
	return sys_fchownat(AT_FDCWD, path, user, group, AT_SYMLINK_NOFOLLOW);
}

/*
 * sys_fchown - fchown(2): chown(2) of the file open at fd. 0 or -EBADF.
 * Linux's ksys_fchown().
 */
long sys_fchown(unsigned int fd, unsigned int user, unsigned int group)
{
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = chown_common(f->f_inode, user, group);
	fput(f);
	return err;
}

int exec_read_file(const char *path, void **buf, size_t *size)
{
	struct dentry *d;
	struct inode *inode;
	struct file *f;
	loff_t pos = 0, len;
	void *image;
	long n;
	int err = kern_path_at(AT_FDCWD, path, LOOKUP_FOLLOW, &d);

	if (err)
		return err;
	inode = d->d_inode;
	/* Linux's may_open() with MAY_EXEC, then do_open_execat(). */
	if (S_ISDIR(inode->i_mode) || !S_ISREG(inode->i_mode) ||
	    !(inode->i_mode & (S_IXUSR | S_IXGRP | S_IXOTH))) {
		dput(d);
		return -EACCES;
	}
	f = alloc_file(d, O_RDONLY);
	dput(d);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	mutex_lock(&inode->i_mutex);
	len = inode->i_size;
	mutex_unlock(&inode->i_mutex);
	image = kmalloc(len ? (size_t)len : 1);
	if (!image) {
		fput(f);
		return -ENOMEM;
	}
	n = len ? kernel_read(f, image, (size_t)len, &pos) : 0;
	fput(f);
	if (n < 0) {
		kfree(image);
		return (int)n;
	}
	*buf = image;
	*size = (size_t)n; /* a file cut short meanwhile: what is left */
	return 0;
}
