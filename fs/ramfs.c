/*
 * ramfs.c - the file system of the whole tree: directories, regular
 * files, symbolic links and device nodes in memory, as Linux's fs/ramfs (with
 * libfs.c's simple_* directory operations). A directory's entries are
 * its dentries' children (fs/dcache.c); a regular file's data is an
 * array of pages from the page allocator, indexed by offset / 4096 and
 * allocated on the first write to each (a page never written, or past
 * a truncation, reads as zeros), so every byte a file holds is counted
 * in the free-page figures, and the last iput() frees them all.
 *
 * Invariant: the bytes of a page at or past i_size are zero, so growing
 * a file (ftruncate, a write past the end) shows zeros without touching
 * any page. A write that cannot get a page stops there: the bytes before
 * it stay written, and with none written it returns -ENOMEM, as
 * Linux's ramfs does when the page cache cannot grow.
 *
 * i_mutex protects the array, the pages, i_size and i_blocks.
 */
#include <kernel/compiler.h>
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/panic.h>
#include <kernel/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/fault.h>
#include <mm/page_alloc.h>
#include <mm/vma.h>

struct ramfs_data {
	struct page **pages;	/* pages[i]: bytes [i * 4096, (i + 1) * 4096) */
	unsigned long nr_slots; /* entries of pages[] */
	/* pages[] and nr_slots, for faults of mappings, which must not
	 * take i_mutex (a read() into a mapping of its own file holds it
	 * while it faults). Changes hold i_mutex and this; readers hold
	 * either. Linux's i_pages xa_lock. */
	spinlock_t lock;
};

static const struct inode_operations ramfs_dir_inode_operations;
static const struct inode_operations ramfs_file_inode_operations;
static const struct file_operations ramfs_dir_operations;
static const struct file_operations ramfs_file_operations;

/*
 * Drop the file's reference to the pages from index first on; i_mutex
 * held (or the last iput). A page a mapping still maps lives on, with
 * the mapping's reference, until it is unmapped (Linux's
 * truncate_inode_pages() drops the page cache's reference the same way).
 */
static void ramfs_free_from(struct inode *inode, unsigned long first)
{
	struct ramfs_data *rd = inode->i_private;
	struct page **old = NULL;
	unsigned long flags;

	spin_lock_irqsave(&rd->lock, flags);
	for (unsigned long i = first; i < rd->nr_slots; i++) {
		if (rd->pages[i]) {
			put_page(rd->pages[i]);
			rd->pages[i] = NULL;
			inode->i_blocks -= PAGE_SIZE / 512;
		}
	}
	if (first == 0) {
		old = rd->pages;
		rd->pages = NULL;
		rd->nr_slots = 0;
	}
	spin_unlock_irqrestore(&rd->lock, flags);
	kfree(old);
}

/* The page at idx, or NULL (a hole). rd->lock or i_mutex held. */
static struct page *ramfs_lookup(struct ramfs_data *rd, unsigned long idx)
{
	return idx < rd->nr_slots ? rd->pages[idx] : NULL;
}

/*
 * Zero the bytes of the last page from i_size to its end, before i_size
 * grows: a shared mapping may have written there (Linux's
 * pagecache_isize_extended() and the partial-page zeroing of writeback),
 * and the bytes past i_size must read as zeros once they are inside it.
 * i_mutex held.
 */
static void ramfs_zero_tail(struct inode *inode)
{
	struct ramfs_data *rd = inode->i_private;
	size_t off = (size_t)inode->i_size % PAGE_SIZE;
	struct page *page;

	if (!off)
		return;
	page = ramfs_lookup(rd, (unsigned long)inode->i_size / PAGE_SIZE);
	if (page)
		memset((char *)page_address(page) + off, 0, PAGE_SIZE - off);
}

void ramfs_evict_inode(struct inode *inode)
{
	if (S_ISREG(inode->i_mode) && inode->i_private) {
		ramfs_free_from(inode, 0);
		kfree(inode->i_private);
	}
}

/*
 * The page for index idx, allocated (zeroed) when missing, with one
 * more reference when ref (a mapping's); NULL when out of memory. Holds
 * rd->lock only to look and to install: allocations are made with it
 * dropped, and a racing install wins. Callers: write (i_mutex held) and
 * the fault of a mapping (no i_mutex).
 */
static struct page *ramfs_get_page(struct inode *inode, unsigned long idx,
				   bool ref)
{
	struct ramfs_data *rd = inode->i_private;
	struct page *page = NULL, *fresh = NULL;
	struct page **arr = NULL, **stale = NULL;
	unsigned long flags, n = 0, slots;

	for (;;) {
		spin_lock_irqsave(&rd->lock, flags);
		if (idx >= rd->nr_slots && arr && n > idx) {
			if (rd->pages)
				memcpy(arr, rd->pages,
				       rd->nr_slots * sizeof(*arr));
			stale = rd->pages;
			rd->pages = arr;
			rd->nr_slots = n;
			arr = NULL;
		}
		page = ramfs_lookup(rd, idx);
		if (!page && fresh && idx < rd->nr_slots) {
			page = rd->pages[idx] = fresh;
			fresh = NULL;
			inode->i_blocks += PAGE_SIZE / 512;
		}
		if (page) {
			if (ref)
				get_page(page);
			spin_unlock_irqrestore(&rd->lock, flags);
			break;
		}
		slots = rd->nr_slots;
		spin_unlock_irqrestore(&rd->lock, flags);
		/* What was missing, made unlocked; then look again. */
		if (idx >= slots) {
			n = slots ? slots : 8;
			while (n <= idx)
				n *= 2;
			if (n > (1UL << 40) / sizeof(*arr))
				break;
			kfree(arr);
			arr = kzalloc(n * sizeof(*arr));
			if (!arr)
				break;
		}
		if (!fresh) {
			fresh = alloc_pages(0);
			if (!fresh)
				break;
			memset(page_address(fresh), 0, PAGE_SIZE);
		}
	}
	kfree(stale);
	kfree(arr);
	if (fresh)
		put_page(fresh);
	return page;
}

static long ramfs_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct inode *inode = iocb->ki_filp->f_inode;
	struct ramfs_data *rd = inode->i_private;
	loff_t pos = iocb->ki_pos;
	size_t want = iov_iter_count(to), done = 0;

	if (want == 0)
		return 0;
	mutex_lock(&inode->i_mutex);
	if (pos < inode->i_size) {
		size_t n = MIN(want, (size_t)(inode->i_size - pos));

		while (done < n) {
			unsigned long idx = (unsigned long)pos / PAGE_SIZE;
			size_t off = (size_t)pos % PAGE_SIZE;
			size_t chunk = MIN(PAGE_SIZE - off, n - done), c;
			struct page *page = ramfs_lookup(rd, idx);

			c = page ? copy_to_iter((char *)page_address(page) +
							off,
						chunk, to) :
				   iov_iter_zero(chunk, to);
			done += c;
			pos += (loff_t)c;
			if (c < chunk)
				break;
		}
		if (done)
			inode->i_atime = current_time();
		else
			done = (size_t)-EFAULT;
	}
	mutex_unlock(&inode->i_mutex);
	if ((long)done > 0)
		iocb->ki_pos = pos;
	return (long)done;
}

static long ramfs_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *file = iocb->ki_filp;
	struct inode *inode = file->f_inode;
	size_t want = iov_iter_count(from), done = 0;
	long err = 0;
	loff_t pos;

	if (want == 0)
		return 0;
	mutex_lock(&inode->i_mutex);
	pos = (file->f_flags & O_APPEND) ? inode->i_size : iocb->ki_pos;
	/* Linux's generic_write_checks(): nothing at or past the limit. */
	if (pos >= MAX_LFS_FILESIZE) {
		mutex_unlock(&inode->i_mutex);
		return -EFBIG;
	}
	if (want > (size_t)(MAX_LFS_FILESIZE - pos))
		want = (size_t)(MAX_LFS_FILESIZE - pos);
	if ((loff_t)(pos + want) > inode->i_size)
		ramfs_zero_tail(inode);
	while (done < want) {
		unsigned long idx = (unsigned long)pos / PAGE_SIZE;
		size_t off = (size_t)pos % PAGE_SIZE;
		size_t chunk = MIN(PAGE_SIZE - off, want - done), c;
		struct page *page = ramfs_get_page(inode, idx, false);

		if (!page) {
			err = -ENOMEM;
			break;
		}
		c = copy_from_iter((char *)page_address(page) + off, chunk,
				   from);
		done += c;
		pos += (loff_t)c;
		if (c < chunk) {
			/* copy_from_iter zeroed the tail it could not
			 * copy: past i_size it stays zero, the invariant. */
			err = -EFAULT;
			break;
		}
	}
	if (pos > inode->i_size)
		inode->i_size = pos;
	if (done)
		inode->i_mtime = inode->i_ctime = current_time();
	mutex_unlock(&inode->i_mutex);
	if (done) {
		iocb->ki_pos = pos;
		return (long)done;
	}
	return err;
}

/* Change i_size: i_mutex held. Linux's simple_setattr() +
 * truncate_setsize(). */
static int ramfs_setsize(struct inode *inode, loff_t size)
{
	struct ramfs_data *rd = inode->i_private;

	if (size < inode->i_size) {
		unsigned long keep =
			(unsigned long)ALIGN_UP((u64)size, (u64)PAGE_SIZE) /
			PAGE_SIZE;
		size_t off = (size_t)size % PAGE_SIZE;

		/* Linux's truncate_setsize(): the new size first, so that no
		 * fault maps a page past it again, then the mappings lose
		 * the pages past it (a later access there is SIGBUS), then
		 * the file its own references. */
		WRITE_ONCE(inode->i_size, size);
		truncate_pagecache(inode, size);
		ramfs_free_from(inode, keep);
		/* Zero the rest of the new last page (the invariant). */
		if (off && ramfs_lookup(rd, keep - 1))
			memset((char *)page_address(rd->pages[keep - 1]) + off,
			       0, PAGE_SIZE - off);
	} else if (size > inode->i_size) {
		ramfs_zero_tail(inode);
	}
	inode->i_size = size;
	inode->i_mtime = inode->i_ctime = current_time();
	return 0;
}

static loff_t ramfs_file_llseek(struct file *file, loff_t offset, int whence)
{
	struct inode *inode = file->f_inode;
	loff_t eof, ret;

	mutex_lock(&inode->i_mutex);
	eof = inode->i_size;
	mutex_unlock(&inode->i_mutex);
	ret = generic_file_llseek_size(file, offset, whence, MAX_LFS_FILESIZE,
				       eof);
	return ret;
}

/* Linux's generic_read_dir(). */
static long ramfs_dir_read(struct kiocb *iocb, struct iov_iter *to)
{
	(void)iocb;
	(void)to;
	return -EISDIR;
}

/* Linux's dcache_dir_lseek(): SEEK_SET and SEEK_CUR over entry numbers. */
static loff_t ramfs_dir_llseek(struct file *file, loff_t offset, int whence)
{
	switch (whence) {
	case SEEK_CUR:
		offset += file->f_pos;
		/* fall through */
	case SEEK_SET:
		if (offset >= 0) {
			file->f_pos = offset;
			return offset;
		}
		/* fall through */
	default:
		return -EINVAL;
	}
}

static unsigned int dt_type(umode_t mode)
{
	return (mode >> 12) & 15;
}

/*
 * A directory's entries from ctx->pos: 0 is ".", 1 "..", n >= 2 the
 * (n - 2)th child. Each name is copied out under dcache_lock and handed
 * on without it, as the copy to user memory may fault and sleep.
 * Linux's dcache_readdir() keeps a cursor in the list instead.
 */
static int ramfs_iterate(struct file *file, struct dir_context *ctx)
{
	struct dentry *dir = file->f_path.dentry, *d;
	char name[NAME_MAX + 1];

	if (ctx->pos == 0) {
		if (!dir_emit(ctx, ".", 1, dir->d_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		unsigned long ino;

		spin_lock(&dcache_lock);
		ino = dir->d_parent->d_inode->i_ino;
		spin_unlock(&dcache_lock);
		if (!dir_emit(ctx, "..", 2, ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	for (;;) {
		loff_t n = ctx->pos - 2;
		unsigned int len = 0, type = 0;
		unsigned long ino = 0;
		bool found = false;

		spin_lock(&dcache_lock);
		list_for_each_entry(d, &dir->d_subdirs, d_child) {
			if (n-- == 0) {
				len = d->d_name.len;
				memcpy(name, d->d_name.name, len);
				ino = d->d_inode->i_ino;
				type = dt_type(d->d_inode->i_mode);
				found = true;
				break;
			}
		}
		spin_unlock(&dcache_lock);
		if (!found || !dir_emit(ctx, name, (int)len, ino, type))
			return 0;
		ctx->pos++;
	}
}

static int ramfs_mknod(struct inode *dir, struct dentry *dentry, umode_t mode,
		       unsigned int dev)
{
	struct inode *inode = ramfs_get_inode(mode, dev);

	if (!inode)
		return -ENOMEM;
	d_instantiate(dentry, inode);
	dir->i_mtime = dir->i_ctime = current_time();
	return 0;
}

/* Linux's ramfs_symlink(): the target kept whole in the inode (i_link,
 * as shmem does for a short one), i_size its length. */
static int ramfs_symlink(struct inode *dir, struct dentry *dentry,
			 const char *target)
{
	size_t len = strlen(target);
	struct inode *inode = ramfs_get_inode(S_IFLNK | S_IRWXUGO, 0);

	if (!inode)
		return -ENOMEM;
	inode->i_link = kmalloc(len + 1);
	if (!inode->i_link) {
		iput(inode);
		return -ENOMEM;
	}
	memcpy(inode->i_link, target, len + 1);
	inode->i_size = (loff_t)len;
	d_instantiate(dentry, inode);
	dir->i_mtime = dir->i_ctime = current_time();
	return 0;
}

/* Linux's simple_link(): one more name of old's inode; tree_mutex held
 * (it guards i_nlink). */
static int ramfs_link(struct dentry *old, struct inode *dir,
		      struct dentry *dentry)
{
	struct inode *inode = old->d_inode;

	inode->i_ctime = dir->i_ctime = dir->i_mtime = current_time();
	inode->i_nlink++;
	ihold(inode);
	d_instantiate(dentry, inode);
	return 0;
}

/* A ramfs symbolic link's target, a copy (the walk and readlink free
 * it). Linux's simple_get_link(). */
static char *ramfs_get_link(struct inode *inode)
{
	size_t len = strlen(inode->i_link) + 1;
	char *copy = kmalloc(len);

	if (!copy)
		return ERR_PTR(-ENOMEM);
	memcpy(copy, inode->i_link, len);
	return copy;
}

static int ramfs_create(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	return ramfs_mknod(dir, dentry, mode, 0);
}

static int ramfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	int err = ramfs_mknod(dir, dentry, mode, 0);

	if (!err)
		dir->i_nlink++; /* the new directory's ".." */
	return err;
}

static const struct inode_operations ramfs_dir_inode_operations = {
	.create = ramfs_create,
	.mkdir = ramfs_mkdir,
	.symlink = ramfs_symlink,
	.link = ramfs_link,
};

static const struct inode_operations ramfs_symlink_inode_operations = {
	.get_link = ramfs_get_link,
};

/* A link is never opened (the walk follows it, O_NOFOLLOW is -ELOOP);
 * an empty f_op all the same. */
static const struct file_operations ramfs_symlink_operations;

static const struct inode_operations ramfs_file_inode_operations = {
	.setsize = ramfs_setsize,
};

static const struct file_operations ramfs_dir_operations = {
	.llseek = ramfs_dir_llseek,
	.read_iter = ramfs_dir_read,
	.iterate_shared = ramfs_iterate,
};

/*
 * The fault of a mapping of a ramfs file: its page at pgoff, allocated
 * when a hole, with a reference for the mapping. VM_FAULT_SIGBUS when
 * the page starts at or past the end of the file (Linux's
 * filemap_fault() and shmem_fault() -EINVAL -> SIGBUS). i_size is read
 * without i_mutex (the fault must not take it): a racing truncate either
 * sees the page or not, and a page it misses stays alive on the
 * mapping's reference.
 */
static unsigned int ramfs_fault(struct vm_area_struct *vma, unsigned long pgoff,
				struct page **pagep)
{
	struct inode *inode = vma->vm_file->f_inode;
	loff_t size = READ_ONCE(inode->i_size);

	if (pgoff >=
	    (unsigned long)ALIGN_UP((u64)size, (u64)PAGE_SIZE) / PAGE_SIZE)
		return VM_FAULT_SIGBUS;
	*pagep = ramfs_get_page(inode, pgoff, true);
	return *pagep ? 0 : VM_FAULT_OOM;
}

static const struct vm_operations_struct ramfs_vm_ops = {
	.fault = ramfs_fault,
};

/* mmap(2) of a regular ramfs file: its pages come by ramfs_fault().
 * Linux's generic_file_mmap(). */
static int ramfs_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	vma->vm_ops = &ramfs_vm_ops;
	return 0;
}

static const struct file_operations ramfs_file_operations = {
	.mmap = ramfs_mmap,
	.llseek = ramfs_file_llseek,
	.read_iter = ramfs_read_iter,
	.write_iter = ramfs_write_iter,
};

static const struct inode_operations ramfs_special_inode_operations;

/* A character device with no driver: Linux's chrdev_open() -ENXIO. */
static int no_device_open(struct inode *inode, struct file *file)
{
	(void)inode;
	(void)file;
	return -ENXIO;
}

static const struct file_operations no_device_fops = {
	.open = no_device_open,
};

void init_special_inode(struct inode *inode, umode_t mode, unsigned int dev)
{
	inode->i_mode = mode;
	inode->i_rdev = dev;
	inode->i_op = &ramfs_special_inode_operations;
	if (dev == MKDEV(5, 1))
		inode->i_fop = &console_fops;
	else if (dev == MKDEV(1, 3))
		inode->i_fop = &null_fops;
	else if (dev == MKDEV(1, 5))
		inode->i_fop = &zero_fops;
	else if (dev == USERFAULTFD_DEV)
		inode->i_fop = &userfaultfd_dev_fops;
	else
		inode->i_fop = &no_device_fops;
}

struct super_block ramfs_sb = { .s_id = "ramfs" };

struct inode *ramfs_get_inode(umode_t mode, unsigned int dev)
{
	struct inode *inode = new_inode(mode);

	if (!inode)
		return NULL;
	inode->i_sb = &ramfs_sb;
	switch (mode & S_IFMT) {
	case S_IFREG:
		inode->i_private = kzalloc(sizeof(struct ramfs_data));
		if (!inode->i_private) {
			iput(inode);
			return NULL;
		}
		spin_lock_init(&((struct ramfs_data *)inode->i_private)->lock);
		inode->i_op = &ramfs_file_inode_operations;
		inode->i_fop = &ramfs_file_operations;
		break;
	case S_IFDIR:
		inode->i_op = &ramfs_dir_inode_operations;
		inode->i_fop = &ramfs_dir_operations;
		break;
	case S_IFLNK:
		inode->i_op = &ramfs_symlink_inode_operations;
		inode->i_fop = &ramfs_symlink_operations;
		break;
	default:
		init_special_inode(inode, mode, dev);
		break;
	}
	return inode;
}

/* A device node name in dir, at boot. */
static void make_node(struct dentry *dir, const char *name, umode_t mode,
		      unsigned int dev)
{
	struct dentry *d = d_alloc(dir, name, (unsigned int)strlen(name));

	if (!d || ramfs_mknod(dir->d_inode, d, mode, dev))
		panic("ramfs: out of memory at boot");
	mutex_lock(&tree_mutex);
	d_add_child(d);
	mutex_unlock(&tree_mutex);
	dput(d);
}

void ramfs_init(void)
{
	struct inode *inode = ramfs_get_inode(S_IFDIR | 0755, 0);
	struct dentry *dev, *tmp;

	root_dentry = d_alloc(NULL, "/", 1);
	if (!inode || !root_dentry)
		panic("ramfs: out of memory at boot");
	d_instantiate(root_dentry, inode);
	if (kernel_path_create("/dev", 0755, true, &dev) ||
	    kernel_path_create("/tmp", 01777, true, &tmp))
		panic("ramfs: out of memory at boot");
	make_node(dev, "console", S_IFCHR | 0600, MKDEV(5, 1));
	make_node(dev, "null", S_IFCHR | 0666, MKDEV(1, 3));
	make_node(dev, "zero", S_IFCHR | 0666, MKDEV(1, 5));
	make_node(dev, "userfaultfd", S_IFCHR | 0600, USERFAULTFD_DEV);
	dput(dev);
	dput(tmp);
}
