/*
 * fs_struct.c - a process's root, working directory and umask (struct
 * fs_struct, include/kernel/fdtable.h), as Linux's fs/fs_struct.c and
 * the umask(2), chdir(2) and fchdir(2) of fs/open.c and kernel/sys.c.
 * lock protects root, pwd and umask; each dentry is held by a reference.
 */
#include <kernel/errno.h>
#include <kernel/fdtable.h>
#include <kernel/fs.h>
#include <kernel/namei.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <mm/kmalloc.h>

#define CLONE_FS 0x00000200

/* A new fs_struct with root and pwd at root_dentry, umask 022 (Linux's
 * init_fs). */
static struct fs_struct *alloc_fs(void)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	atomic_set(&fs->users, 1);
	spin_lock_init(&fs->lock);
	fs->root = dget(root_dentry);
	fs->pwd = dget(root_dentry);
	fs->umask = 022;
	return fs;
}

/* fs_init_task - give t (init, before its exec) a fresh fs_struct.
 * 0 or -ENOMEM. */
int fs_init_task(struct task *t)
{
	t->fs = alloc_fs();
	return t->fs ? 0 : -ENOMEM;
}

int copy_fs(unsigned long clone_flags, struct task *t)
{
	struct fs_struct *old = current->fs, *fs;

	t->fs = NULL;
	if (!old)
		return 0;
	if (clone_flags & CLONE_FS) {
		atomic_inc(&old->users);
		t->fs = old;
		return 0;
	}
	fs = kzalloc(sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	atomic_set(&fs->users, 1);
	spin_lock_init(&fs->lock);
	spin_lock(&old->lock);
	fs->root = dget(old->root);
	fs->pwd = dget(old->pwd);
	fs->umask = old->umask;
	spin_unlock(&old->lock);
	t->fs = fs;
	return 0;
}

void exit_fs(struct task *t)
{
	struct fs_struct *fs = t->fs;

	if (!fs)
		return;
	t->fs = NULL;
	if (!atomic_dec_and_test(&fs->users))
		return;
	dput(fs->root);
	dput(fs->pwd);
	kfree(fs);
}

struct dentry *get_fs_pwd(void)
{
	struct fs_struct *fs = current->fs;
	struct dentry *d;

	if (!fs)
		return dget(root_dentry);
	spin_lock(&fs->lock);
	d = dget(fs->pwd);
	spin_unlock(&fs->lock);
	return d;
}

struct dentry *get_fs_root(void)
{
	struct fs_struct *fs = current->fs;
	struct dentry *d;

	if (!fs)
		return dget(root_dentry);
	spin_lock(&fs->lock);
	d = dget(fs->root);
	spin_unlock(&fs->lock);
	return d;
}

unsigned int current_umask(void)
{
	struct fs_struct *fs = current->fs;

	return fs ? fs->umask : 022;
}

/* Make d (a directory, referenced: the reference passes) current's cwd. */
static void set_fs_pwd(struct dentry *d)
{
	struct fs_struct *fs = current->fs;
	struct dentry *old;

	if (!fs) {
		dput(d);
		return;
	}
	spin_lock(&fs->lock);
	old = fs->pwd;
	fs->pwd = d;
	spin_unlock(&fs->lock);
	dput(old);
}

/*
 * sys_umask - umask(2): set the calling process's file-mode creation
 * mask to mask & 0777 and return the old one. Never fails. Linux's.
 */
long sys_umask(int mask)
{
	struct fs_struct *fs = current->fs;
	unsigned int old;

	if (!fs)
		return 022;
	spin_lock(&fs->lock);
	old = fs->umask;
	fs->umask = (unsigned int)mask & S_IRWXUGO;
	spin_unlock(&fs->lock);
	return old;
}

/*
 * sys_chdir - chdir(2): make directory path the working directory. 0,
 * or -EFAULT, -ENOENT, -ENAMETOOLONG, -ENOTDIR. Root may search every
 * directory, so no -EACCES. Linux's.
 */
long sys_chdir(const char __user *path)
{
	struct dentry *d;
	int err = user_path_at(AT_FDCWD, path, LOOKUP_DIRECTORY, &d);

	if (err)
		return err;
	set_fs_pwd(d);
	return 0;
}

/*
 * sys_fchdir - fchdir(2): make the directory open at fd the working
 * directory. 0, -EBADF, -ENOTDIR. Linux's.
 */
long sys_fchdir(unsigned int fd)
{
	struct file *f = fget(fd);
	struct dentry *d;

	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->f_inode->i_mode)) {
		fput(f);
		return -ENOTDIR;
	}
	d = dget(f->f_path.dentry);
	fput(f);
	set_fs_pwd(d);
	return 0;
}

/*
 * sys_getcwd - getcwd(2): the absolute path of the working directory
 * into buf (size bytes, with the NUL). Returns its length with the NUL;
 * -ERANGE (size too small), -ENOENT (the directory was removed),
 * -EFAULT, -ENOMEM. Linux's (fs/d_path.c).
 */
long sys_getcwd(char __user *buf, unsigned long size)
{
	char *page = kmalloc(PATH_MAX);
	struct dentry *pwd;
	long len;

	if (!page)
		return -ENOMEM;
	pwd = get_fs_pwd();
	len = d_path(pwd, page, PATH_MAX);
	dput(pwd);
	if (len >= 0) {
		len++; /* the NUL */
		if ((unsigned long)len > size)
			len = -ERANGE;
		else if (copy_to_user(buf, page, (size_t)len))
			len = -EFAULT;
	}
	kfree(page);
	return len;
}
