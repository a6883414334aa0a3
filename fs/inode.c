/*
 * inode.c - inodes (include/kernel/fs.h): allocation, references and
 * the end of an inode's life, as Linux's fs/inode.c. Every inode here
 * is ramfs's; its data goes with its last reference (ramfs_evict_inode).
 */
#include <kernel/fs.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <mm/kmalloc.h>

/* Linux's get_next_ino(): a counter, never 0. */
static atomic_long_t last_ino;

struct timespec64 current_time(void)
{
	u64 ns = ktime_get_ns();
	struct timespec64 ts = { (s64)(ns / 1000000000),
				 (long)(ns % 1000000000) };

	return ts;
}

struct inode *new_inode(umode_t mode)
{
	struct inode *inode = kzalloc(sizeof(*inode));

	if (!inode)
		return NULL;
	inode->i_mode = mode;
	inode->i_nlink = S_ISDIR(mode) ? 2 : 1;
	inode->i_ino =
		(unsigned long)atomic_long_add_return_acquire(1, &last_ino);
	atomic_set(&inode->i_count, 1);
	mutex_init(&inode->i_mutex);
	INIT_LIST_HEAD(&inode->i_data.i_mmap);
	init_rwsem(&inode->i_data.i_mmap_rwsem);
	inode->i_mapping = &inode->i_data;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time();
	return inode;
}

void ihold(struct inode *inode)
{
	atomic_inc(&inode->i_count);
}

void iput(struct inode *inode)
{
	if (!inode || !atomic_dec_and_test(&inode->i_count))
		return;
	if (S_ISFIFO(inode->i_mode))
		free_pipe_info(inode);
	else
		ramfs_evict_inode(inode);
	kfree(inode->i_link);
	kfree(inode);
}
