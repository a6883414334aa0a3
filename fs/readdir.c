/*
 * readdir.c - getdents64(2), as Linux's fs/readdir.c: a directory's
 * entries as struct linux_dirent64 records, from the file's position on.
 */
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/fdtable.h>
#include <kernel/fs.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>

/* Linux's struct linux_dirent64: the name follows, NUL-terminated, and
 * the record is padded to 8 bytes. */
struct linux_dirent64 {
	u64 d_ino;
	s64 d_off; /* the position after this entry */
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

struct getdents_callback64 {
	struct dir_context ctx;
	char __user *current_dir;
	int count; /* bytes left in the buffer */
	int error;
	bool any;
};

/* Linux's filldir64(): one record, or false (stop) when it does not fit
 * (-EINVAL if it is the first) or the buffer faults (-EFAULT). */
static bool filldir64(struct dir_context *ctx, const char *name, int namlen,
		      loff_t offset, u64 ino, unsigned int d_type)
{
	struct getdents_callback64 *buf =
		container_of(ctx, struct getdents_callback64, ctx);
	int reclen = (int)ALIGN_UP(offsetof(struct linux_dirent64, d_name) +
					   namlen + 1,
				   8UL);
	/* The record, built here and copied out whole: a u64 array keeps
	 * it aligned for the header's fields. */
	u64 rec[(sizeof(struct linux_dirent64) + NAME_MAX + 1 + 7) / 8 + 1];
	struct linux_dirent64 *d = (struct linux_dirent64 *)rec;

	buf->error = -EINVAL; /* only used if we fail */
	if (reclen > buf->count)
		return false;
	memset(rec, 0, (size_t)reclen);
	d->d_ino = ino;
	d->d_off = offset;
	d->d_reclen = (unsigned short)reclen;
	d->d_type = (unsigned char)d_type;
	memcpy(d->d_name, name, (size_t)namlen);
	if (copy_to_user(buf->current_dir, rec, (size_t)reclen)) {
		buf->error = -EFAULT;
		return false;
	}
	buf->error = 0;
	buf->any = true;
	buf->current_dir += reclen;
	buf->count -= reclen;
	return true;
}

/*
 * sys_getdents64 - getdents64(2): fill dirent (count bytes) with the
 * entries of the directory open at fd from its position on: ".", "..",
 * then its names in the order they were made. Returns the bytes filled,
 * 0 at the end, or -EBADF, -ENOTDIR (not a directory), -ENOENT (the
 * directory was removed), -EINVAL (not even one entry fits), -EFAULT.
 * Entries made or removed meanwhile may be missed or seen twice, as
 * POSIX allows. Linux's getdents64(2) and iterate_dir().
 */
long sys_getdents64(unsigned int fd, void __user *dirent, unsigned int count)
{
	struct getdents_callback64 buf = { { filldir64, 0 },
					   dirent,
					   (int)MIN(count, 0x7fffffffU),
					   0,
					   false };
	struct file *f = fget(fd);
	struct inode *inode;
	long err;

	if (!f)
		return -EBADF;
	inode = f->f_inode;
	if (!f->f_op->iterate_shared) {
		fput(f);
		return -ENOTDIR;
	}
	mutex_lock(&f->f_pos_lock);
	if (inode->i_dead) {
		err = -ENOENT;
	} else {
		buf.ctx.pos = f->f_pos;
		err = f->f_op->iterate_shared(f, &buf.ctx);
		f->f_pos = buf.ctx.pos;
	}
	mutex_unlock(&f->f_pos_lock);
	fput(f);
	if (err < 0)
		return err;
	if (buf.any)
		return (long)((int)MIN(count, 0x7fffffffU) - buf.count);
	return buf.error;
}
