/*
 * namei.h - the path walk's state and the operations on names shared by
 * fs/namei.c, fs/open.c and fs/stat.c, as Linux's fs/internal.h and
 * struct nameidata (docs/vfs.md, "Path lookup").
 */
#ifndef KERNEL_NAMEI_H
#define KERNEL_NAMEI_H

#include <kernel/fs.h>

/* What the last component of a path is (Linux's LAST_*). */
enum {
	LAST_NORM,
	LAST_ROOT,
	LAST_DOT,
	LAST_DOTDOT,
	LAST_EMPTY
};

struct nameidata {
	struct dentry *parent; /* the directory of the last component, with
				* a reference */
	const char *last;      /* the last component, in the caller's name */
	unsigned int len;      /* its bytes */
	int last_type;	       /* LAST_* */
	bool trailing;	       /* a slash follows it */
	bool nofollow;	       /* lookup_last() leaves a symbolic link as
				* it is (lstat, readlink) */
};

/*
 * path_parentat - walk name (relative to dfd) up to its last component:
 * nd gets the directory holding it and the component. 0 or -errno
 * (-EBADF, -ENOTDIR, -ENOENT, -ENAMETOOLONG). An empty name gives
 * LAST_EMPTY with dfd's directory (or file) as parent. Linux's
 * path_parentat().
 */
int path_parentat(int dfd, const char *name, struct nameidata *nd);

/* lookup_last - the dentry nd's last component names, with a reference,
 * or an error pointer (-ENOENT, -ENAMETOOLONG). Linux's lookup_last(). */
struct dentry *lookup_last(struct nameidata *nd);

/* user_path_at - kern_path_at() of a user path (getname() first).
 * Linux's user_path_at(). */
int user_path_at(int dfd, const char __user *path, unsigned int flags,
		 struct dentry **res);

/*
 * open_create - for open(O_CREAT): the dentry of nd's last component
 * (LAST_NORM), made as a regular file of mode & ~umask when missing
 * (*created set). -EEXIST with O_EXCL in flags when it exists; -ENOENT
 * in a removed directory; -ENOMEM. Linux's lookup_open().
 */
int open_create(struct nameidata *nd, unsigned int flags, umode_t mode,
		struct dentry **res, bool *created);

/* The calls' bodies on kernel names (fs/namei.c): 0 or -errno. */
int do_mkdirat(int dfd, const char *name, umode_t mode);
int do_unlinkat(int dfd, const char *name);
int do_rmdir(int dfd, const char *name);
/* symlink: newname (relative to newdfd) a link to the string target.
 * link: newname a further name of oldname's file (flags: AT_*). */
int do_symlinkat(const char *target, int newdfd, const char *newname);
int do_linkat(int olddfd, const char *oldname, int newdfd, const char *newname,
	      int flags);
int do_renameat2(int olddfd, const char *oldname, int newdfd,
		 const char *newname, unsigned int flags);

#endif
