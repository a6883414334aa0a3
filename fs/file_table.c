/*
 * file_table.c - open files (struct file, include/kernel/fs.h): made by
 * open, shared by dup and fork through their reference count, and freed
 * with the last fput(), as Linux's fs/file_table.c and the part of
 * fs/open.c that sets a file up (do_dentry_open()).
 */
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <mm/kmalloc.h>

/* The open flags a file keeps in f_flags (Linux's do_dentry_open()
 * drops these: they only mean something to open itself). */
#define OPEN_ONLY_FLAGS (O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC)

/* Linux's OPEN_FMODE(): O_RDONLY 0 -> READ, O_WRONLY 1 -> WRITE, O_RDWR
 * 2 -> both, 3 -> neither. */
#define OPEN_FMODE(flags) ((fmode_t)(((flags) + 1) & O_ACCMODE))

/* struct files alive: Linux's nr_files (percpu there), the first field
 * of /proc/sys/fs/file-nr. */
static atomic_long_t nr_files;

unsigned long get_nr_files(void)
{
	return (unsigned long)atomic_long_read(&nr_files);
}

struct file *alloc_file(struct dentry *dentry, unsigned int flags)
{
	struct file *f = kzalloc(sizeof(*f));
	struct inode *inode = dentry->d_inode;
	int err;

	if (!f)
		return ERR_PTR(-ENOMEM);
	atomic_set(&f->f_count, 1);
	f->f_flags = flags & ~OPEN_ONLY_FLAGS;
	f->f_mode = OPEN_FMODE(flags) | FMODE_LSEEK | FMODE_PREAD |
		    FMODE_PWRITE;
	mutex_init(&f->f_pos_lock);
	spin_lock_init(&f->f_lock);
	f->f_path.dentry = dget(dentry);
	f->f_inode = inode;
	f->f_op = inode->i_fop;
	if ((f->f_mode & FMODE_READ) && f->f_op->read_iter)
		f->f_mode |= FMODE_CAN_READ;
	if ((f->f_mode & FMODE_WRITE) && f->f_op->write_iter)
		f->f_mode |= FMODE_CAN_WRITE;
	if (f->f_op->open) {
		err = f->f_op->open(inode, f);
		if (err) {
			dput(f->f_path.dentry);
			kfree(f);
			return ERR_PTR(err);
		}
	}
	atomic_long_add(1, &nr_files);
	return f;
}

struct file *get_file(struct file *f)
{
	atomic_inc(&f->f_count);
	return f;
}

void fput(struct file *f)
{
	if (!atomic_dec_and_test(&f->f_count))
		return;
	if (f->f_op->release)
		f->f_op->release(f->f_inode, f);
	dput(f->f_path.dentry);
	kfree(f);
	atomic_long_add(-1, &nr_files);
}

int nonseekable_open(struct inode *inode, struct file *filp)
{
	(void)inode;
	filp->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	return 0;
}
