/*
 * initramfs.c - the tree's first contents: every entry of the initrd
 * (kernel/initrd.c, a ustar archive) copied into ramfs at boot, as
 * Linux's init/initramfs.c unpacks its cpio archive into rootfs. A
 * directory entry makes a directory, a regular file gets its data copied
 * into ramfs pages (so the archive is only read, never written, and the
 * files can change); both keep the archive's mode bits. The directories
 * of a path are made as needed (mode 0755), so an archive without
 * directory entries, as make initrd writes it, works too. Other entry
 * types (links, devices) are skipped and counted.
 */
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/initrd.h>
#include <kernel/printk.h>

struct populate_state {
	int files, dirs, skipped;
};

/* Write size bytes of data as the whole of the file d. */
static int write_file(struct dentry *d, const void *data, size_t size)
{
	struct inode *inode = d->d_inode;
	struct file *f;
	loff_t pos = 0;
	long n = 0;

	mutex_lock(&inode->i_mutex);
	inode->i_op->setsize(inode, 0); /* an older copy of the same path */
	mutex_unlock(&inode->i_mutex);
	f = alloc_file(d, O_WRONLY);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	if (size)
		n = kernel_write(f, data, size, &pos);
	fput(f);
	if (n < 0)
		return (int)n;
	return (size_t)n == size ? 0 : -ENOMEM;
}

static int populate_entry(const char *path, char type, unsigned int mode,
			  const void *data, size_t size, void *arg)
{
	struct populate_state *st = arg;
	struct dentry *d;
	int err;

	if (type != '0' && type != '5') {
		st->skipped++;
		return 0;
	}
	err = kernel_path_create(path, (umode_t)mode, type == '5', &d);
	if (err == -EISDIR || err == -ENOTDIR) {
		pr_warn("initramfs: %s: a file and a directory of the same "
			"name; skipped\n",
			path);
		st->skipped++;
		return 0;
	}
	if (err)
		return err;
	if (type == '5') {
		d->d_inode->i_mode = (umode_t)(S_IFDIR | mode);
		st->dirs++;
	} else {
		d->d_inode->i_mode = (umode_t)(S_IFREG | mode);
		err = write_file(d, data, size);
		st->files++;
	}
	dput(d);
	return err;
}

int populate_rootfs(void)
{
	struct populate_state st = { 0, 0, 0 };
	int err = initrd_for_each(populate_entry, &st);

	if (err) {
		pr_err("initramfs: unpacking failed: error %d\n", err);
		return err;
	}
	pr_info("initramfs: %d files, %d directories in the tree%s\n", st.files,
		st.dirs, st.skipped ? " (some entries skipped)" : "");
	return st.files;
}
