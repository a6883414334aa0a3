/*
 * fs.h - the virtual file system's objects, as Linux's <linux/fs.h> and
 * <linux/dcache.h> cut down (docs/vfs.md):
 *
 *   struct inode   a file itself: type and mode, size, link count,
 *                  times, its operations and its data (fs/inode.c;
 *                  ramfs keeps the data, fs/ramfs.c)
 *   struct dentry  a name in a directory, pointing at an inode: the
 *                  dentries form the tree that path lookup walks
 *                  (fs/dcache.c, fs/namei.c). There is one file system,
 *                  ramfs, so the tree is the file system itself, as
 *                  Linux's ramfs keeps everything in its dcache.
 *   struct file    an open file: the dentry and inode it opened, the
 *                  access mode and flags, the position, and the
 *                  operations read and write go through (fs/file_table.c)
 *
 * Locks (which protects what under SMP, docs/vfs.md "Locking"):
 *   tree_mutex     (fs/namei.c) every change of the tree: create, mkdir,
 *                  unlink, rmdir, rename; i_nlink. Sleeps.
 *   dcache_lock    (fs/dcache.c) spinlock: d_parent, d_name, d_subdirs
 *                  and d_child of every dentry, d_flags. Lookups hold it
 *                  only to find one child; a change holds both.
 *   inode->i_mutex a file's data and i_size, its times; a directory's
 *                  times. Sleeps (copies to and from user memory fault).
 *   file->f_pos_lock  f_pos of a regular file or directory during a
 *                  read, write, lseek or getdents (Linux's f_pos_lock).
 *   file->f_lock   f_flags (fcntl F_SETFL).
 * Reference counts are atomic: d_count, i_count, f_count.
 */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include <kernel/atomic.h>
#include <kernel/list.h>
#include <kernel/mutex.h>
#include <kernel/rwsem.h>
#include <kernel/spinlock.h>
#include <kernel/types.h>
#include <kernel/uaccess.h>
#include <asm/stat.h>
#include <linux/fcntl.h>

#define PATH_MAX 4096 /* bytes of a path, with its NUL: Linux's */
#define NAME_MAX 255  /* bytes of one path component: Linux's */
#define NR_OPEN_MAX \
	1024 /* fds per process: Linux's default RLIMIT_NOFILE soft limit \
	      */
#define MAX_RW_COUNT \
	(0x7fffffffL & ~4095L) /* bytes one read or write moves at most \
				* (Linux's INT_MAX & PAGE_MASK) */
#define MAX_LFS_FILESIZE 0x7fffffffffffffffLL /* Linux's, 64-bit */

typedef long long loff_t;
typedef unsigned int fmode_t;
typedef unsigned short umode_t;

/* f_mode bits: what an open file may do (Linux's FMODE_*). */
#define FMODE_READ	((fmode_t)0x1)
#define FMODE_WRITE	((fmode_t)0x2)
#define FMODE_LSEEK	((fmode_t)0x4)
#define FMODE_PREAD	((fmode_t)0x8)
#define FMODE_PWRITE	((fmode_t)0x10)
#define FMODE_CAN_READ	((fmode_t)0x20000)
#define FMODE_CAN_WRITE ((fmode_t)0x40000)

/* d_type values of getdents64 (Linux's DT_*): the type bits of the mode
 * shifted down. */
#define DT_UNKNOWN 0
#define DT_CHR	   2
#define DT_DIR	   4
#define DT_REG	   8
#define DT_LNK	   10

/* The bits of a mode that chmod may set; a file's type is above them. */
#define S_IALLUGO 07777
#define S_IRWXUGO 00777

struct inode;
struct dentry;
struct file;
struct kstat;
struct dir_context;
struct vm_area_struct;
struct poll_table_struct;

/*
 * iov_iter - where a read puts its bytes or a write takes them: user
 * memory (an array of iovecs; read(2) and write(2) make one of one), or
 * kernel memory (exec's read of a program, fs/exec_file.c). Linux's
 * struct iov_iter with ITER_IOVEC and ITER_KVEC only.
 */
struct iovec {
	void __user *iov_base;
	size_t iov_len; /* bytes */
};

struct iov_iter {
	bool kernel;		 /* kbuf, not iov */
	const struct iovec *iov; /* user segments left */
	unsigned long nr_segs;
	size_t iov_offset; /* bytes into iov[0] already done */
	char *kbuf;	   /* kernel buffer (kernel) */
	size_t count;	   /* bytes left in all */
};

/*
 * copy_to_iter / copy_from_iter - move up to bytes bytes between kernel
 * memory and the iterator, advancing it. Return the bytes moved: fewer
 * when the iterator ends or a user page faults (the fault ends the
 * copy). iov_iter_zero stores zeros. Linux's (lib/iov_iter.c).
 */
size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i);
size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i);
size_t iov_iter_zero(size_t bytes, struct iov_iter *i);
static inline size_t iov_iter_count(const struct iov_iter *i)
{
	return i->count;
}

/* Linux's struct kiocb, the position and flags of one read or write. */
struct kiocb {
	struct file *ki_filp;
	loff_t ki_pos;
};

struct file_operations {
	/* Move f_pos (SEEK_*): the new position or -errno. */
	loff_t (*llseek)(struct file *, loff_t offset, int whence);
	/* Read or write at iocb->ki_pos, advancing it: bytes or -errno. */
	long (*read_iter)(struct kiocb *, struct iov_iter *);
	long (*write_iter)(struct kiocb *, struct iov_iter *);
	/* A directory's entries from ctx->pos on (getdents64). */
	int (*iterate_shared)(struct file *, struct dir_context *);
	/* The file's readiness now, POLL* bits (<asm/poll.h>); queues the
	 * poller through poll_wait() (<kernel/poll.h>). Never sleeps.
	 * NULL: DEFAULT_POLLMASK, always ready. Linux's ->poll. */
	unsigned int (*poll)(struct file *, struct poll_table_struct *pt);
	/* ioctl(2) request cmd with argument arg (a user address or a
	 * number): >= 0 or -errno; -ENOTTY for a request it does not know.
	 * NULL: every request is -ENOTTY (fs/ioctl.c). Linux's. */
	long (*unlocked_ioctl)(struct file *, unsigned int cmd,
			       unsigned long arg);
	/* mmap(2) of the file: set vma->vm_ops (the faults' source of
	 * pages); 0 or -errno. NULL: mmap fails with -ENODEV. Linux's. */
	int (*mmap)(struct file *, struct vm_area_struct *vma);
	/* Called by open after the file is set up; 0 or -errno. */
	int (*open)(struct inode *, struct file *);
	/* Called when the last reference to the file goes. */
	int (*release)(struct inode *, struct file *);
};

struct inode_operations {
	/* Directory operations (ramfs, fs/ramfs.c); called with
	 * tree_mutex held, the dentry not yet in the tree. */
	int (*create)(struct inode *dir, struct dentry *, umode_t mode);
	int (*mkdir)(struct inode *dir, struct dentry *, umode_t mode);
	/* Change i_size to size (bytes), freeing or adding zeros; i_mutex
	 * held. */
	int (*setsize)(struct inode *, loff_t size);
	/* A directory that makes its names on demand (procfs): the child
	 * of dir named name (len bytes), a new dentry with a reference
	 * and not in the tree, NULL for none, or an error pointer.
	 * Linux's ->lookup() for a file system without a dcache of its
	 * own. */
	struct dentry *(*lookup)(struct dentry *dir, const char *name,
				 unsigned int len);
	/* A symbolic link's target: a kmalloc'ed string (kfree it), or an
	 * error pointer. Linux's ->get_link(). */
	char *(*get_link)(struct inode *);
	/* Make dentry (not yet in the tree) a symbolic link to target (a
	 * NUL-terminated kernel string) in dir; tree_mutex held. 0 or
	 * -errno. Linux's ->symlink(). */
	int (*symlink)(struct inode *dir, struct dentry *, const char *target);
	/* Give old's inode the new name dentry (not yet in the tree) in
	 * dir: i_nlink one more; tree_mutex held. 0 or -errno. Linux's
	 * ->link() (simple_link()). */
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *);
};

/*
 * address_space - what maps a file: Linux's struct address_space cut to
 * its i_mmap, here a list (not an interval tree) of every VMA whose
 * vm_file is open on the inode, linked through vma->shared. i_mmap_rwsem
 * guards the list: taken for writing to link or unlink a VMA (inside
 * that VMA's mm->mmap_lock), for reading to walk it (truncate,
 * inside i_mutex). Linux's i_mmap and i_mmap_rwsem.
 */
struct address_space {
	struct list_head i_mmap;
	struct rw_semaphore i_mmap_rwsem;
};

/*
 * super_block - which file system an inode belongs to, so that link(2)
 * can refuse to cross one (-EXDEV): ramfs_sb (the tree) and proc_sb
 * (/proc). A pipe's inode has none (Linux's pipefs). Linux's struct
 * super_block reduced to its name.
 */
struct super_block {
	const char *s_id; /* "ramfs", "proc" */
};
extern struct super_block ramfs_sb;

struct timespec64 {
	s64 tv_sec;
	long tv_nsec;
};

struct inode {
	umode_t i_mode;		   /* S_IF* type and permission bits */
	unsigned int i_nlink;	   /* names that lead here (tree_mutex) */
	unsigned long i_ino;	   /* unique number */
	unsigned int i_rdev;	   /* a device's number (major << 8 | minor) */
	loff_t i_size;		   /* bytes (i_mutex) */
	unsigned long i_blocks;	   /* 512-byte blocks held (i_mutex) */
	struct timespec64 i_atime; /* last read (i_mutex) */
	struct timespec64 i_mtime; /* last change of the data */
	struct timespec64 i_ctime; /* last change of the inode */
	atomic_t i_count;	   /* references: dentries, ramfs */
	struct mutex i_mutex;	   /* Linux's i_rwsem, always exclusive */
	const struct inode_operations *i_op;
	const struct file_operations *i_fop; /* an open file's f_op */
	void *i_private;		 /* the file system's (ramfs pages) */
	bool i_dead;			 /* a removed directory (IS_DEADDIR) */
	unsigned int i_uid, i_gid;	 /* owner (chown(2); i_mutex) */
	char *i_link;			 /* a ramfs symbolic link's target
					 * (kmalloc'ed, fixed at creation) */
	struct super_block *i_sb;	 /* the file system; NULL: none */
	struct address_space *i_mapping; /* &i_data: its mappings */
	struct address_space i_data;
};

struct qstr {
	const char *name; /* NUL-terminated, kmalloc'ed */
	unsigned int len; /* bytes, without the NUL */
};

struct dentry {
	atomic_t d_count;	    /* references: children, files, cwd */
	unsigned int d_flags;	    /* DCACHE_* (dcache_lock) */
	struct qstr d_name;	    /* the name in d_parent (dcache_lock) */
	struct dentry *d_parent;    /* the root is its own (dcache_lock) */
	struct list_head d_child;   /* in d_parent->d_subdirs */
	struct list_head d_subdirs; /* the children of a directory */
	struct inode *d_inode;	    /* never NULL: no negative dentries */
};

/* d_flags: the dentry is in the tree (not unlinked). */
#define DCACHE_HASHED 0x1

struct path {
	struct dentry *dentry; /* one mount: no vfsmount */
};

struct file {
	atomic_t f_count;	 /* fds and in-flight calls that hold it */
	unsigned int f_flags;	 /* O_* as opened, less the open-only ones */
	fmode_t f_mode;		 /* FMODE_* */
	loff_t f_pos;		 /* bytes (f_pos_lock) */
	struct mutex f_pos_lock; /* Linux's: position updates */
	spinlock_t f_lock;	 /* f_flags changes */
	struct path f_path;
	struct inode *f_inode;
	const struct file_operations *f_op;
	void *private_data;
};

/* What getdents64 hands each entry to (Linux's struct dir_context). */
typedef bool (*filldir_t)(struct dir_context *, const char *name, int len,
			  loff_t pos, u64 ino, unsigned int type);
struct dir_context {
	filldir_t actor;
	loff_t pos;
};

/* The attributes stat(2) reports (Linux's struct kstat). */
struct kstat {
	u64 ino;
	umode_t mode;
	unsigned int nlink;
	unsigned int uid, gid;
	unsigned int rdev;
	loff_t size;
	u64 blocks;
	struct timespec64 atime, mtime, ctime;
};

/* ---- fs/inode.c ---- */

/*
 * new_inode - a new inode with mode, one reference, nlink 1 (2 for a
 * directory: its "."), a new i_ino, all three times now; NULL when out of
 * memory. Linux's new_inode() + inode_init_owner().
 */
struct inode *new_inode(umode_t mode);

/* ihold - take one more reference to inode. Linux's ihold(). */
void ihold(struct inode *inode);

/*
 * iput - drop a reference; the last one frees the inode and, through
 * its file system (ramfs_evict_inode()), its data. Linux's iput() and
 * evict().
 */
void iput(struct inode *inode);

/* current_time - now, as a file timestamp (the realtime clock:
 * boot-relative here, as clock_gettime(CLOCK_REALTIME)). Linux's. */
struct timespec64 current_time(void);

/* ---- fs/attr.c ---- */

/* iattr.ia_valid: which attributes notify_change() sets (Linux's). */
#define ATTR_MODE      (1 << 0)
#define ATTR_UID       (1 << 1)
#define ATTR_GID       (1 << 2)
#define ATTR_ATIME     (1 << 4)
#define ATTR_MTIME     (1 << 5)
#define ATTR_CTIME     (1 << 6)
#define ATTR_ATIME_SET (1 << 7) /* ia_atime, not now */
#define ATTR_MTIME_SET (1 << 8) /* ia_mtime, not now */
#define ATTR_KILL_SUID (1 << 11)
#define ATTR_KILL_SGID (1 << 12)

/* A change of attributes (Linux's struct iattr). */
struct iattr {
	unsigned int ia_valid; /* ATTR_* */
	umode_t ia_mode;
	unsigned int ia_uid, ia_gid;
	struct timespec64 ia_atime, ia_mtime;
};

/*
 * notify_change - set the attributes attr names on inode, under its
 * i_mutex: mode (its S_IALLUGO bits; the type stays), owner, times
 * (ATTR_ATIME / ATTR_MTIME: now, or ia_atime / ia_mtime with the _SET
 * bit), and ctime to now with ATTR_CTIME. ATTR_KILL_SUID clears S_ISUID,
 * ATTR_KILL_SGID clears S_ISGID when S_IXGRP is set too (chown of a
 * file). The caller is root, so nothing is refused: returns 0. Linux's
 * notify_change() + setattr_copy() (fs/attr.c) for a task with every
 * capability.
 */
int notify_change(struct inode *inode, struct iattr *attr);

/* ---- mm/truncate.c ---- */

/*
 * unmap_mapping_range - take the pages of file bytes [holebegin,
 * holebegin + holelen) (holelen 0: to the end; whole pages from
 * holebegin's) out of every mapping of the file, shared or private
 * (private copies too: Linux's even_cows 1), so that the next access
 * faults, and finds SIGBUS past the end of the file. Takes i_mmap_rwsem
 * and each mapping mm's mmap_lock (for writing), one at a time; the
 * caller may hold i_mutex (truncate does). Linux's unmap_mapping_range().
 */
void unmap_mapping_range(struct address_space *mapping, loff_t holebegin,
			 loff_t holelen);

/*
 * truncate_pagecache - after i_size went down to newsize (bytes): unmap
 * every mapped page wholly past it. Call before the file drops its own
 * references to those pages, with i_size already set, so that no fault
 * maps one again. Linux's truncate_pagecache().
 */
void truncate_pagecache(struct inode *inode, loff_t newsize);

/* ---- fs/dcache.c ---- */

extern spinlock_t dcache_lock;

/*
 * d_alloc - a new dentry named name (len bytes) under parent (NULL for
 * the root: its own parent), with one reference and no inode, not yet in
 * the tree; it holds a reference to parent. NULL when out of memory.
 * Linux's d_alloc().
 */
struct dentry *d_alloc(struct dentry *parent, const char *name,
		       unsigned int len);

/* d_instantiate - give a new dentry its inode (the inode reference
 * passes to it). Linux's d_instantiate(). */
void d_instantiate(struct dentry *dentry, struct inode *inode);

/* d_add_child - link dentry into its parent's children (tree_mutex held);
 * the tree keeps a reference. Ours; Linux's d_add() + ramfs's dget(). */
void d_add_child(struct dentry *dentry);

/* d_delete - unlink dentry from the tree (tree_mutex held) and drop the
 * tree's reference. Linux's d_delete() + the dput() of simple_unlink(). */
void d_delete(struct dentry *dentry);

/* dget / dput - take or drop a reference. The last dput frees the
 * dentry, drops its inode and its parent. Linux's. */
struct dentry *dget(struct dentry *dentry);
void dput(struct dentry *dentry);

/*
 * d_lookup - the child of parent named name (len bytes), with a
 * reference, or NULL. Takes dcache_lock. Linux's d_lookup().
 */
struct dentry *d_lookup(struct dentry *parent, const char *name,
			unsigned int len);

/*
 * d_path - the absolute path of dentry into buf (size bytes), with its
 * NUL. Returns its length without the NUL, -ERANGE when buf is too small,
 * -ENOENT when dentry is no longer in the tree. Linux's d_path() as
 * getcwd(2) uses it.
 */
long d_path(struct dentry *dentry, char *buf, size_t size);

/* is_subdir - is dentry d, or an ancestor of d, equal to anc? (tree
 * stable: tree_mutex held). Linux's is_subdir(). */
bool is_subdir(struct dentry *d, struct dentry *anc);

/* The root of the one tree (fs/ramfs.c mounts it at boot). */
extern struct dentry *root_dentry;

/* ---- fs/namei.c ---- */

extern struct mutex tree_mutex;

#define LOOKUP_FOLLOW	 0x1 /* (links are followed unless NOFOLLOW) */
#define LOOKUP_DIRECTORY 0x2 /* the result must be a directory */
#define LOOKUP_EMPTY	 0x4 /* an empty path names dfd itself */
#define LOOKUP_NOFOLLOW \
	0x8	       /* a last component that is a symbolic link
			      * names the link (lstat, readlink) */
#define MAXSYMLINKS 40 /* links one walk follows: Linux's */

/*
 * at_lookup_flags - the LOOKUP_* flags of a *at() call's at_flags:
 * AT_SYMLINK_NOFOLLOW names a final link itself, AT_EMPTY_PATH lets an
 * empty path name dfd. The caller has refused other flags. Linux
 * open-codes this in each call (do_fchownat(), do_utimes(),
 * vfs_statx()).
 */
static inline unsigned int at_lookup_flags(int at_flags)
{
	return ((at_flags & AT_SYMLINK_NOFOLLOW) ? LOOKUP_NOFOLLOW :
						   LOOKUP_FOLLOW) |
	       ((at_flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0);
}

/*
 * getname - copy a user path into a new PATH_MAX kernel buffer. Returns
 * it, or an error pointer: -EFAULT, -ENAMETOOLONG (no NUL in PATH_MAX
 * bytes), -ENOENT (empty, unless empty_ok). Free with putname(). Linux's
 * getname_flags().
 */
char *getname(const char __user *path, bool empty_ok);
void putname(char *name);

/*
 * kern_path_at - look up the kernel path name relative to directory dfd
 * (AT_FDCWD: the cwd; ignored for an absolute path) and return its
 * dentry with a reference in *res. flags: LOOKUP_*. Errors: -EBADF
 * (dfd), -ENOTDIR (dfd or a component is not a directory; a trailing
 * slash after a non-directory), -ENOENT, -ENAMETOOLONG (a component
 * over NAME_MAX). Linux's filename_lookup().
 */
int kern_path_at(int dfd, const char *name, unsigned int flags,
		 struct dentry **res);

/*
 * kernel_path_create - make a regular file (mode) or, with dir, a
 * directory at the kernel path name relative to the root, creating
 * missing parent directories (mode 0755). The dentry of an existing
 * file of the same type is reused. Returns the dentry with a reference
 * in *res, or -errno. For populating the tree at boot (fs/initramfs.c)
 * and for tests. Ours; Linux's init/initramfs.c calls init_mkdir() and
 * filp_open().
 */
int kernel_path_create(const char *name, umode_t mode, bool dir,
		       struct dentry **res);

/*
 * kernel_unlink - unlink the file, or rmdir the empty directory, at the
 * absolute kernel path name. 0 or -errno. For tests. Ours.
 */
int kernel_unlink(const char *name);

/* ---- fs/file_table.c ---- */

/*
 * alloc_file - a new open file of dentry (a reference is taken) with
 * open flags flags (O_ACCMODE etc.) and f_op = the inode's i_fop, its
 * ->open called. Returns it with one reference, or an error pointer
 * (-ENOMEM, or the ->open's). Linux's alloc_empty_file() +
 * do_dentry_open().
 */
struct file *alloc_file(struct dentry *dentry, unsigned int flags);

/* get_nr_files - struct files alive (opened, not yet freed by the last
 * fput): /proc/sys/fs/file-nr's first number. Linux's get_nr_files(). */
unsigned long get_nr_files(void);

/* get_file - take a reference. Linux's. */
struct file *get_file(struct file *f);

/* fput - drop a reference; the last one calls ->release, drops the
 * dentry and frees the file. Linux's fput() (done at once here, not from
 * task work). */
void fput(struct file *f);

/*
 * nonseekable_open - for ->open of a stream (the console): lseek,
 * pread and pwrite fail with -ESPIPE. Linux's.
 */
int nonseekable_open(struct inode *inode, struct file *filp);

/* ---- fs/read_write.c ---- */

/*
 * kernel_read - read up to count bytes of file at *pos into the kernel
 * buffer buf, advancing *pos. Returns bytes read or -errno. Linux's.
 */
long kernel_read(struct file *file, void *buf, size_t count, loff_t *pos);

/* kernel_write - write count bytes of the kernel buffer buf to file at
 * *pos, advancing it. Returns bytes written or -errno. Linux's. */
long kernel_write(struct file *file, const void *buf, size_t count,
		  loff_t *pos);

/*
 * exec_read_file - the program at path (relative to the cwd) for exec:
 * a contiguous kmalloc'ed copy of its bytes in *buf (free with kfree())
 * and their number in *size. Errors as Linux's open_exec(): the walk's
 * (-ENOENT, -ENOTDIR, -ENAMETOOLONG), -EACCES (a directory, not a
 * regular file, or no x bit: root may execute a file with any), then
 * -ENOMEM (no contiguous block: at most 4 MiB, MAX_PAGE_ORDER), the
 * read's errors. Ours: Linux maps the file's page cache instead.
 */
int exec_read_file(const char *path, void **buf, size_t *size);

/*
 * generic_file_llseek_size - the lseek of a file of size bytes, with
 * positions up to maxsize: SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA and
 * SEEK_HOLE (the whole file is data). The new position, or -EINVAL
 * (negative or past maxsize, bad whence), -ENXIO (SEEK_DATA/HOLE at or
 * past the end). Linux's generic_file_llseek_size(); f_pos_lock held.
 */
loff_t generic_file_llseek_size(struct file *file, loff_t offset, int whence,
				loff_t maxsize, loff_t eof);

/* noop_llseek-like lseek for /dev/null and /dev/zero: f_pos = 0,
 * returns 0 (Linux's null_lseek()). */
loff_t null_lseek(struct file *file, loff_t offset, int whence);

/* ---- fs/readdir.c ---- */

/* dir_emit - hand one entry to ctx; false when the buffer is full.
 * Linux's. */
static inline bool dir_emit(struct dir_context *ctx, const char *name, int len,
			    u64 ino, unsigned int type)
{
	return ctx->actor(ctx, name, len, ctx->pos + 1, ino, type);
}

/* ---- fs/stat.c ---- */

/* generic_fillattr - the attributes of inode into *stat. Linux's. */
void generic_fillattr(struct inode *inode, struct kstat *stat);

/* ---- fs/ramfs.c ---- */

/*
 * ramfs_init - make the root directory (mode 0755) and, in it, /dev with
 * the character devices console, null and zero and /tmp (mode 01777).
 * Panics when out of memory at boot. Linux's init_rootfs() +
 * ramfs_fill_super() + devtmpfs's first nodes.
 */
void ramfs_init(void);

/*
 * ramfs_get_inode - a new ramfs inode of mode (a regular file, a
 * directory, or a character device of number dev), or NULL. Linux's
 * ramfs_get_inode().
 */
struct inode *ramfs_get_inode(umode_t mode, unsigned int dev);

/* ramfs_evict_inode - free the data pages of inode (its last iput).
 * Linux's truncate_inode_pages() at evict(). */
void ramfs_evict_inode(struct inode *inode);

/*
 * init_special_inode - make inode the character device dev: its f_op is
 * the driver's (console, null, zero: chrdev_fops()). Linux's.
 */
void init_special_inode(struct inode *inode, umode_t mode, unsigned int dev);

/* ---- fs/pipe.c ---- */

/* free_pipe_info - free a pipe inode's ring and pages (its last iput;
 * both ends are closed by then). Linux's free_pipe_info(). */
void free_pipe_info(struct inode *inode);

/* ---- fs/initramfs.c ---- */

/*
 * populate_rootfs - copy every entry of the initrd (kernel/initrd.c)
 * into the tree: directories, regular files (their data into ramfs
 * pages), with their mode bits; the directories of each path are made
 * as needed. Returns the number of files made, or -errno (-ENOMEM).
 * Linux's populate_rootfs() (init/initramfs.c), for ustar instead of
 * cpio.
 */
int populate_rootfs(void);

/* ---- drivers/tty/console.c, drivers/char/mem.c ---- */

#define MKDEV(ma, mi) ((unsigned int)((ma) << 8 | (mi)))
#define MAJOR(dev)    ((unsigned int)((dev) >> 8))
#define MINOR(dev)    ((unsigned int)((dev)&0xff))

extern const struct file_operations console_fops; /* 5:1 */
extern const struct file_operations null_fops;	  /* 1:3 */
extern const struct file_operations zero_fops;	  /* 1:5 */
/* 10:254, /dev/userfaultfd (fs/userfaultfd.c): a misc device, whose
 * minor Linux allocates at boot (10:257 on a Debian 12 host). */
#define USERFAULTFD_DEV MKDEV(10, 254)
extern const struct file_operations userfaultfd_dev_fops;

#endif
