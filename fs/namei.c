/*
 * namei.c - path lookup and the calls that change the tree, as Linux's
 * fs/namei.c: mkdir(at), unlink(at), rmdir, rename(at, at2),
 * symlink(at), link(at), and the walk they and open, stat, chdir,
 * access and exec share.
 *
 * A path is walked from the root (a leading "/") or from a directory
 * (the cwd for AT_FDCWD, else the fd's), one component at a time:
 * repeated slashes count as one, "." stays, ".." goes up (never above
 * the root), a component longer than NAME_MAX is -ENAMETOOLONG when it
 * is looked up, a missing one -ENOENT, and going through something that
 * is not a directory -ENOTDIR. The last component is left to the caller
 * (path_parentat()): open may create it, unlink removes it. A trailing
 * slash demands a directory. A symbolic link (ramfs's or procfs's) is
 * followed, at most 40 deep (-ELOOP). Permissions: every task is root, which may search any directory
 * (Linux's CAP_DAC_OVERRIDE); only exec and access(X_OK) look at the
 * mode bits (fs/open.c, kernel/exec.c).
 *
 * Locking (docs/vfs.md): lookups take dcache_lock for one directory at a
 * time (d_lookup()) and hold a reference to where they are. Every change
 * of the tree holds tree_mutex, one sleeping lock for the whole tree
 * where Linux locks each directory's i_rwsem and renames take the
 * superblock's s_vfs_rename_mutex: simpler, and it makes a rename's
 * checks (is the target inside the source?) safe without lock ordering.
 */
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/fdtable.h>
#include <kernel/fs.h>
#include <kernel/namei.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <mm/kmalloc.h>

DEFINE_MUTEX(tree_mutex);

#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE	 (1 << 1)
#define RENAME_WHITEOUT	 (1 << 2)

char *getname(const char __user *path, bool empty_ok)
{
	char *k = kmalloc(PATH_MAX);
	long n;

	if (!k)
		return ERR_PTR(-ENOMEM);
	n = strncpy_from_user(k, path, PATH_MAX);
	if (n < 0 || n == PATH_MAX || (n == 0 && !empty_ok)) {
		kfree(k);
		return ERR_PTR(n < 0 ? n : n ? -ENAMETOOLONG : -ENOENT);
	}
	return k;
}

void putname(char *name)
{
	kfree(name);
}

static bool d_is_dir(const struct dentry *d)
{
	return S_ISDIR(d->d_inode->i_mode);
}

/* Where a walk starts: the root, the cwd, or dfd's directory. */
static int path_start(int dfd, const char *name, struct dentry **start)
{
	struct file *f;

	if (name[0] == '/') {
		*start = get_fs_root();
		return 0;
	}
	if (dfd == AT_FDCWD) {
		*start = get_fs_pwd();
		return 0;
	}
	f = fget((unsigned int)dfd);
	if (!f)
		return -EBADF;
	if (!d_is_dir(f->f_path.dentry) && name[0]) {
		fput(f);
		return -ENOTDIR;
	}
	*start = dget(f->f_path.dentry);
	fput(f);
	return 0;
}

static int walk_component(struct dentry **cur, const char *s, unsigned len,
			  bool follow, int depth);

/*
 * Follow the symbolic link link found in dir: walk its target (from the
 * root when absolute, else from dir) and return the dentry it names,
 * with a reference, in *res. depth counts the links followed to get
 * here: the 41st is -ELOOP, as Linux's MAXSYMLINKS (40). ramfs and
 * procfs make links (their inodes' get_link()). Linux's pick_link() +
 * step_into().
 */
static int follow_link(struct dentry *link, struct dentry *dir, int depth,
		       struct dentry **res)
{
	struct inode *inode = link->d_inode;
	struct dentry *cur;
	const char *s, *e;
	char *target;
	int err = 0;

	if (depth >= MAXSYMLINKS)
		return -ELOOP;
	if (!inode->i_op || !inode->i_op->get_link)
		return -EINVAL;
	target = inode->i_op->get_link(inode);
	if (IS_ERR(target))
		return (int)PTR_ERR(target);
	cur = target[0] == '/' ? get_fs_root() : dget(dir);
	for (s = target;; s = e) {
		while (*s == '/')
			s++;
		if (!*s)
			break;
		for (e = s; *e && *e != '/'; e++)
			;
		err = walk_component(&cur, s, (unsigned int)(e - s), true,
				     depth + 1);
		if (err)
			break;
	}
	kfree(target);
	if (err) {
		dput(cur);
		return err;
	}
	*res = cur;
	return 0;
}

/*
 * One step from *cur through component s (len bytes). A directory whose
 * inode has a lookup() (procfs) makes the names it holds on demand; a
 * symbolic link found is followed when follow (always but for the last
 * component of lstat, readlink and the like).
 */
static int walk_component(struct dentry **cur, const char *s, unsigned len,
			  bool follow, int depth)
{
	struct dentry *d = *cur, *next;

	if (!d_is_dir(d))
		return -ENOTDIR;
	if (len == 1 && s[0] == '.')
		return 0;
	if (len == 2 && s[0] == '.' && s[1] == '.') {
		struct dentry *root = get_fs_root();

		if (d != root) {
			spin_lock(&dcache_lock);
			next = dget(d->d_parent);
			spin_unlock(&dcache_lock);
			dput(d);
			*cur = next;
		}
		dput(root);
		return 0;
	}
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	next = d_lookup(d, s, len);
	if (!next && d->d_inode->i_op && d->d_inode->i_op->lookup) {
		next = d->d_inode->i_op->lookup(d, s, len);
		if (IS_ERR(next))
			return (int)PTR_ERR(next);
	}
	if (!next)
		return -ENOENT;
	if (follow && S_ISLNK(next->d_inode->i_mode)) {
		struct dentry *t = NULL;
		int err = follow_link(next, d, depth, &t);

		dput(next);
		if (err)
			return err;
		next = t;
	}
	dput(d);
	*cur = next;
	return 0;
}

int path_parentat(int dfd, const char *name, struct nameidata *nd)
{
	const char *s = name, *e;
	int err;

	nd->parent = NULL;
	err = path_start(dfd, name, &nd->parent);
	if (err)
		return err;
	nd->last = NULL;
	nd->len = 0;
	nd->last_type = LAST_ROOT;
	nd->trailing = false;
	nd->nofollow = false;
	if (!*s) { /* an empty path (LOOKUP_EMPTY): dfd itself */
		nd->last_type = LAST_EMPTY;
		return 0;
	}
	for (;;) {
		while (*s == '/')
			s++;
		if (!*s)
			break; /* only slashes (left): LAST_ROOT or done */
		for (e = s; *e && *e != '/'; e++)
			;
		{
			const char *n = e;

			while (*n == '/')
				n++;
			if (!*n) { /* the last component */
				nd->last = s;
				nd->len = (unsigned int)(e - s);
				nd->trailing = *e == '/';
				if (nd->len == 1 && s[0] == '.')
					nd->last_type = LAST_DOT;
				else if (nd->len == 2 && s[0] == '.' &&
					 s[1] == '.')
					nd->last_type = LAST_DOTDOT;
				else
					nd->last_type = LAST_NORM;
				break;
			}
		}
		err = walk_component(&nd->parent, s, (unsigned int)(e - s),
				     true, 0);
		if (err) {
			dput(nd->parent);
			nd->parent = NULL;
			return err;
		}
		s = e;
	}
	if (nd->last_type != LAST_ROOT && !d_is_dir(nd->parent)) {
		dput(nd->parent);
		nd->parent = NULL;
		return -ENOTDIR;
	}
	return 0;
}

struct dentry *lookup_last(struct nameidata *nd)
{
	struct dentry *d = dget(nd->parent);

	switch (nd->last_type) {
	case LAST_ROOT:
	case LAST_EMPTY:
		return d;
	default: {
		int err =
			walk_component(&d, nd->last, nd->len, !nd->nofollow, 0);

		if (err) {
			dput(d);
			return ERR_PTR(err);
		}
		return d;
	}
	}
}

int kern_path_at(int dfd, const char *name, unsigned int flags,
		 struct dentry **res)
{
	struct nameidata nd;
	struct dentry *d;
	int err = path_parentat(dfd, name, &nd);

	if (err)
		return err;
	nd.nofollow = (flags & LOOKUP_NOFOLLOW) && !nd.trailing;
	d = lookup_last(&nd);
	dput(nd.parent);
	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	if ((nd.trailing || (flags & LOOKUP_DIRECTORY)) && !d_is_dir(d)) {
		dput(d);
		return -ENOTDIR;
	}
	*res = d;
	return 0;
}

/* user_path_at - kern_path_at() of a user path. Linux's. */
int user_path_at(int dfd, const char __user *path, unsigned int flags,
		 struct dentry **res)
{
	char *name = getname(path, flags & LOOKUP_EMPTY);
	int err;

	if (IS_ERR(name))
		return (int)PTR_ERR(name);
	err = kern_path_at(dfd, name, flags, res);
	putname(name);
	return err;
}

/*
 * Make a new inode of mode under parent named by nd's last component,
 * tree_mutex held and the name known to be free. Returns the new dentry
 * (in the tree, with a reference for the caller) or an error pointer.
 * -ENOENT in a removed directory (Linux's IS_DEADDIR test in
 * may_create()).
 */
static struct dentry *create_locked(struct dentry *parent, const char *name,
				    unsigned int len, umode_t mode)
{
	struct inode *dir = parent->d_inode;
	struct dentry *d;
	int err;

	if (dir->i_dead)
		return ERR_PTR(-ENOENT);
	/* A directory that cannot hold new files (procfs's): Linux's
	 * vfs_mkdir() -EPERM, vfs_create() -EACCES. */
	if (!dir->i_op ||
	    !(S_ISDIR(mode) ? dir->i_op->mkdir : dir->i_op->create))
		return ERR_PTR(S_ISDIR(mode) ? -EPERM : -EACCES);
	d = d_alloc(parent, name, len);
	if (!d)
		return ERR_PTR(-ENOMEM);
	err = S_ISDIR(mode) ? dir->i_op->mkdir(dir, d, mode) :
			      dir->i_op->create(dir, d, mode);
	if (err) {
		dput(d);
		return ERR_PTR(err);
	}
	d_add_child(d);
	return d;
}

int do_mkdirat(int dfd, const char *name, umode_t mode)
{
	struct nameidata nd;
	struct dentry *d;
	int err = path_parentat(dfd, name, &nd);

	if (err)
		return err;
	/* Linux's filename_create(): "/", "." and ".." exist. */
	if (nd.last_type != LAST_NORM) {
		dput(nd.parent);
		return -EEXIST;
	}
	if (nd.len > NAME_MAX) {
		dput(nd.parent);
		return -ENAMETOOLONG;
	}
	mutex_lock(&tree_mutex);
	d = d_lookup(nd.parent, nd.last, nd.len);
	if (d) {
		dput(d);
		err = -EEXIST;
	} else {
		d = create_locked(nd.parent, nd.last, nd.len,
				  S_IFDIR | (mode & (S_IRWXUGO | S_ISVTX) &
					     ~current_umask()));
		err = IS_ERR(d) ? (int)PTR_ERR(d) : 0;
		if (!err)
			dput(d);
	}
	mutex_unlock(&tree_mutex);
	dput(nd.parent);
	return err;
}

int open_create(struct nameidata *nd, unsigned int flags, umode_t mode,
		struct dentry **res, bool *created)
{
	struct dentry *d;
	int err = 0;

	*created = false;
	mutex_lock(&tree_mutex);
	d = d_lookup(nd->parent, nd->last, nd->len);
	if (d) {
		if (flags & O_EXCL) {
			dput(d);
			err = -EEXIST;
		}
	} else {
		d = create_locked(nd->parent, nd->last, nd->len,
				  S_IFREG | (mode & S_IALLUGO &
					     ~current_umask()));
		if (IS_ERR(d))
			err = (int)PTR_ERR(d);
		else
			*created = true;
	}
	mutex_unlock(&tree_mutex);
	if (!err)
		*res = d;
	return err;
}

/* Is directory d empty? dcache_lock or tree_mutex held. */
static bool simple_empty(struct dentry *d)
{
	return list_empty(&d->d_subdirs);
}

/* Take victim (a child of parent) out of the tree: tree_mutex held. */
static void remove_locked(struct dentry *parent, struct dentry *victim)
{
	struct inode *dir = parent->d_inode, *inode = victim->d_inode;

	if (S_ISDIR(inode->i_mode)) {
		inode->i_nlink = 0;
		inode->i_dead = true;
		dir->i_nlink--;
	} else {
		inode->i_nlink--;
	}
	inode->i_ctime = dir->i_ctime = dir->i_mtime = current_time();
	d_delete(victim);
}

int do_unlinkat(int dfd, const char *name)
{
	struct nameidata nd;
	struct dentry *d;
	int err = path_parentat(dfd, name, &nd);

	if (err)
		return err;
	if (nd.last_type != LAST_NORM) {
		dput(nd.parent);
		return -EISDIR;
	}
	mutex_lock(&tree_mutex);
	nd.nofollow = true; /* the name itself, not a link's target */
	d = lookup_last(&nd);
	if (IS_ERR(d)) {
		err = (int)PTR_ERR(d);
	} else {
		if (d_is_dir(d))
			err = -EISDIR; /* with or without a trailing slash */
		else if (nd.trailing)
			err = -ENOTDIR;
		else
			remove_locked(nd.parent, d);
		dput(d);
	}
	mutex_unlock(&tree_mutex);
	dput(nd.parent);
	return err;
}

int do_rmdir(int dfd, const char *name)
{
	struct nameidata nd;
	struct dentry *d, *root;
	int err = path_parentat(dfd, name, &nd);

	if (err)
		return err;
	switch (nd.last_type) {
	case LAST_DOTDOT:
		err = -ENOTEMPTY;
		break;
	case LAST_DOT:
		err = -EINVAL;
		break;
	case LAST_ROOT:
		err = -EBUSY;
		break;
	default:
		break;
	}
	if (err) {
		dput(nd.parent);
		return err;
	}
	root = get_fs_root();
	mutex_lock(&tree_mutex);
	nd.nofollow = true; /* the name itself, not a link's target */
	d = lookup_last(&nd);
	if (IS_ERR(d)) {
		err = (int)PTR_ERR(d);
	} else {
		if (!d_is_dir(d))
			err = -ENOTDIR;
		else if (d == root)
			err = -EBUSY;
		else if (!simple_empty(d))
			err = -ENOTEMPTY;
		else
			remove_locked(nd.parent, d);
		dput(d);
	}
	mutex_unlock(&tree_mutex);
	dput(root);
	dput(nd.parent);
	return err;
}

/*
 * Move d to new_parent under the name n (len bytes, kmalloc'ed by the
 * caller, which passes it on), tree_mutex held; a target of that name is
 * gone already. Linux's d_move().
 */
static void d_move_locked(struct dentry *d, struct dentry *new_parent, char *n,
			  unsigned int len)
{
	const char *old_name;
	struct dentry *old_parent;

	dget(new_parent);
	spin_lock(&dcache_lock);
	old_parent = d->d_parent;
	old_name = d->d_name.name;
	list_del(&d->d_child);
	d->d_parent = new_parent;
	d->d_name.name = n;
	d->d_name.len = len;
	list_add_tail(&d->d_child, &new_parent->d_subdirs);
	spin_unlock(&dcache_lock);
	kfree(old_name);
	dput(old_parent);
}

/* The checks and the move of rename, both names' parents walked. */
static int rename_locked(struct nameidata *o, struct nameidata *n,
			 unsigned int flags)
{
	struct dentry *old, *target;
	struct inode *odir = o->parent->d_inode, *ndir = n->parent->d_inode;
	bool is_dir;
	char *name;
	int err = 0;

	o->nofollow = true;
	old = lookup_last(o);
	if (IS_ERR(old))
		return (int)PTR_ERR(old);
	if (n->len > NAME_MAX) {
		dput(old);
		return -ENAMETOOLONG;
	}
	target = d_lookup(n->parent, n->last, n->len);
	is_dir = d_is_dir(old);
	if ((flags & RENAME_NOREPLACE) && target)
		err = -EEXIST;
	else if (!is_dir && (o->trailing || n->trailing))
		err = -ENOTDIR;
	/* Linux's lock_rename() traps: the source may not be an ancestor
	 * of the target's directory, nor the target one of the source's. */
	else if (is_subdir(n->parent, old))
		err = -EINVAL;
	else if (target && is_subdir(o->parent, target))
		err = -ENOTEMPTY;
	/* Two names of one file (hard links): rename(2) does nothing.
	 * Linux's vfs_rename() "source == target". */
	if (err || (target && target->d_inode == old->d_inode))
		goto out;
	if (target) {
		if (is_dir && !d_is_dir(target))
			err = -ENOTDIR;
		else if (!is_dir && d_is_dir(target))
			err = -EISDIR;
		else if (is_dir && !simple_empty(target))
			err = -ENOTEMPTY;
		if (err)
			goto out;
	}
	if (ndir->i_dead) {
		err = -ENOENT;
		goto out;
	}
	/* The new name first: nothing may fail once the target is gone. */
	name = kmalloc(n->len + 1);
	if (!name) {
		err = -ENOMEM;
		goto out;
	}
	memcpy(name, n->last, n->len);
	name[n->len] = '\0';
	if (target)
		remove_locked(n->parent, target);
	else if (is_dir && n->parent != o->parent) {
		odir->i_nlink--;
		ndir->i_nlink++;
	}
	if (target && is_dir && n->parent != o->parent) {
		/* remove_locked() took target's ".." link off ndir; old's
		 * ".." moves from odir to ndir. */
		odir->i_nlink--;
		ndir->i_nlink++;
	}
	d_move_locked(old, n->parent, name, n->len);
	odir->i_mtime = odir->i_ctime = ndir->i_mtime = ndir->i_ctime =
		old->d_inode->i_ctime = current_time();
out:
	if (target)
		dput(target);
	dput(old);
	return err;
}

int do_renameat2(int olddfd, const char *oldname, int newdfd,
		 const char *newname, unsigned int flags)
{
	struct nameidata o, n;
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	if (flags & (RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL; /* not supported (docs/vfs.md) */
	err = path_parentat(olddfd, oldname, &o);
	if (err)
		return err;
	err = path_parentat(newdfd, newname, &n);
	if (err) {
		dput(o.parent);
		return err;
	}
	if (o.last_type != LAST_NORM)
		err = -EBUSY;
	else if (n.last_type != LAST_NORM)
		err = (flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
	if (!err) {
		mutex_lock(&tree_mutex);
		err = rename_locked(&o, &n, flags);
		mutex_unlock(&tree_mutex);
	}
	dput(o.parent);
	dput(n.parent);
	return err;
}

/*
 * The child of parent named name (len bytes), with a reference, also
 * one a procfs directory makes on demand; NULL when there is none. For
 * the "does the new name exist?" test of symlink and link (Linux's
 * lookup in filename_create()).
 */
static struct dentry *lookup_existing(struct dentry *parent, const char *name,
				      unsigned int len)
{
	struct dentry *d = d_lookup(parent, name, len);
	struct inode *dir = parent->d_inode;

	if (!d && dir->i_op && dir->i_op->lookup) {
		d = dir->i_op->lookup(parent, name, len);
		if (IS_ERR(d))
			d = NULL;
	}
	return d;
}

/*
 * The checks of a name to be made by symlink or link, tree_mutex held:
 * nd's last component is a plain name that does not exist. Linux's
 * filename_create(): -EEXIST ("/", "." or "..", or the name exists),
 * -ENAMETOOLONG, -ENOENT (a trailing slash after a new name; the
 * directory was removed; a procfs directory).
 */
static int may_create_name(struct nameidata *nd)
{
	struct dentry *d;

	if (nd->last_type != LAST_NORM)
		return -EEXIST;
	if (nd->len > NAME_MAX)
		return -ENAMETOOLONG;
	d = lookup_existing(nd->parent, nd->last, nd->len);
	if (d) {
		dput(d);
		return -EEXIST;
	}
	if (nd->trailing || nd->parent->d_inode->i_dead)
		return -ENOENT;
	/* A directory that makes its names on demand (procfs) has no
	 * room for others: its lookup's -ENOENT, as Linux's
	 * proc_lookup_de() fails filename_create(). */
	if (nd->parent->d_inode->i_op && nd->parent->d_inode->i_op->lookup)
		return -ENOENT;
	return 0;
}

int do_symlinkat(const char *target, int newdfd, const char *newname)
{
	struct nameidata nd;
	struct inode *dir;
	struct dentry *d;
	int err = path_parentat(newdfd, newname, &nd);

	if (err)
		return err;
	dir = nd.parent->d_inode;
	mutex_lock(&tree_mutex);
	err = may_create_name(&nd);
	if (!err && (!dir->i_op || !dir->i_op->symlink))
		err = -EPERM; /* Linux's vfs_symlink() */
	if (!err) {
		d = d_alloc(nd.parent, nd.last, nd.len);
		err = d ? dir->i_op->symlink(dir, d, target) : -ENOMEM;
		if (!err)
			d_add_child(d);
		if (d)
			dput(d);
	}
	mutex_unlock(&tree_mutex);
	dput(nd.parent);
	return err;
}

int do_linkat(int olddfd, const char *oldname, int newdfd, const char *newname,
	      int flags)
{
	struct nameidata nd;
	struct dentry *old, *d;
	struct inode *dir, *inode;
	int err;

	err = kern_path_at(olddfd, oldname,
			   ((flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW :
							  LOOKUP_NOFOLLOW) |
				   ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0),
			   &old);
	if (err)
		return err;
	err = path_parentat(newdfd, newname, &nd);
	if (err) {
		dput(old);
		return err;
	}
	dir = nd.parent->d_inode;
	inode = old->d_inode;
	mutex_lock(&tree_mutex);
	err = may_create_name(&nd);
	/* Linux's do_linkat() (one mount each way) and vfs_link(). */
	if (!err && inode->i_sb != dir->i_sb)
		err = -EXDEV;
	else if (!err && (!dir->i_op || !dir->i_op->link))
		err = -EPERM;
	else if (!err && S_ISDIR(inode->i_mode))
		err = -EPERM;
	else if (!err && inode->i_nlink == 0)
		err = -ENOENT; /* unlinked: no O_TMPFILE's I_LINKABLE here */
	if (!err) {
		d = d_alloc(nd.parent, nd.last, nd.len);
		err = d ? dir->i_op->link(old, dir, d) : -ENOMEM;
		if (!err)
			d_add_child(d);
		if (d)
			dput(d);
	}
	mutex_unlock(&tree_mutex);
	dput(nd.parent);
	dput(old);
	return err;
}

int kernel_path_create(const char *name, umode_t mode, bool dir,
		       struct dentry **res)
{
	struct dentry *cur = dget(root_dentry), *d;
	const char *s = name, *e;
	int err = 0;

	for (;;) {
		bool last;
		unsigned int len;

		while (*s == '/')
			s++;
		if (!*s)
			break;
		for (e = s; *e && *e != '/'; e++)
			;
		len = (unsigned int)(e - s);
		{
			const char *n = e;

			while (*n == '/')
				n++;
			last = !*n;
		}
		if ((len == 1 && s[0] == '.') ||
		    (len == 2 && s[0] == '.' && s[1] == '.')) {
			err = walk_component(&cur, s, len, true, 0);
			if (err)
				break;
			s = e;
			continue;
		}
		if (len > NAME_MAX || !d_is_dir(cur)) {
			err = len > NAME_MAX ? -ENAMETOOLONG : -ENOTDIR;
			break;
		}
		mutex_lock(&tree_mutex);
		d = d_lookup(cur, s, len);
		if (!d)
			d = create_locked(cur, s, len,
					  (last && !dir) ? S_IFREG | mode :
					  last		 ? S_IFDIR | mode :
							   S_IFDIR | 0755);
		mutex_unlock(&tree_mutex);
		if (IS_ERR(d)) {
			err = (int)PTR_ERR(d);
			break;
		}
		dput(cur);
		cur = d;
		s = e;
	}
	if (!err && d_is_dir(cur) != dir)
		err = dir ? -ENOTDIR : -EISDIR;
	if (err) {
		dput(cur);
		return err;
	}
	*res = cur;
	return 0;
}

int kernel_unlink(const char *name)
{
	struct dentry *d;
	int err = kern_path_at(AT_FDCWD, name, 0, &d);

	if (err)
		return err;
	err = d_is_dir(d) ? do_rmdir(AT_FDCWD, name) :
			    do_unlinkat(AT_FDCWD, name);
	dput(d);
	return err;
}

/* ---- the system calls ---- */

/*
 * sys_mkdirat - mkdirat(2): make directory path (relative to dfd) with
 * mode & ~umask (the permission and sticky bits). 0, or -EFAULT,
 * -ENAMETOOLONG, -ENOENT (a missing parent; an empty path; a removed
 * parent), -ENOTDIR, -EBADF (dfd), -EEXIST (the name, or "/", "." or
 * ".."), -ENOMEM. Linux's do_mkdirat().
 */
long sys_mkdirat(int dfd, const char __user *path, unsigned int mode)
{
	char *name = getname(path, false);
	long err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	err = do_mkdirat(dfd, name, (umode_t)(mode & 0xffff));
	putname(name);
	return err;
}

/* sys_mkdir - mkdir(2): sys_mkdirat(AT_FDCWD, ...). Linux's. */
long sys_mkdir(const char __user *path, unsigned int mode)
{
	return sys_mkdirat(AT_FDCWD, path, mode);
}

/*
 * sys_unlinkat - unlinkat(2): remove the name path (relative to dfd);
 * with AT_REMOVEDIR in flags, as rmdir(2). The file lives on while it is
 * open. 0, or -EINVAL (other flags), the lookup's errors, -EISDIR (a
 * directory, "/", "." or ".."), -ENOTDIR (a trailing slash after a
 * file). Linux's do_unlinkat().
 */
long sys_unlinkat(int dfd, const char __user *path, int flags)
{
	char *name;
	long err;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	name = getname(path, false);
	if (IS_ERR(name))
		return PTR_ERR(name);
	err = (flags & AT_REMOVEDIR) ? do_rmdir(dfd, name) :
				       do_unlinkat(dfd, name);
	putname(name);
	return err;
}

/* sys_unlink - unlink(2). Linux's. */
long sys_unlink(const char __user *path)
{
	return sys_unlinkat(AT_FDCWD, path, 0);
}

/*
 * sys_rmdir - rmdir(2): remove the empty directory path. 0, or the
 * lookup's errors, -ENOTDIR (not a directory), -ENOTEMPTY (not empty;
 * ".." as the last component), -EINVAL ("." as the last), -EBUSY (the
 * root). Linux's do_rmdir().
 */
long sys_rmdir(const char __user *path)
{
	return sys_unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

/*
 * sys_renameat2 - renameat2(2): give the file oldpath (relative to
 * olddfd) the name newpath (relative to newdfd), replacing a target
 * there: a file only by a file, a directory only by a directory and
 * only an empty one. flags: RENAME_NOREPLACE (-EEXIST if the target
 * exists); RENAME_EXCHANGE and RENAME_WHITEOUT are -EINVAL here. Errors
 * in Linux's order: -EINVAL (flags), the lookups' errors, -EBUSY ("/",
 * "." or ".." as a last component), -ENOENT (no source), -EEXIST,
 * -ENOTDIR (a trailing slash after a file; a directory onto a file),
 * -EINVAL (a directory into itself), -ENOTEMPTY (onto an ancestor of
 * the source; onto a non-empty directory), -EISDIR (a file onto a
 * directory). Renaming a file onto itself succeeds and does nothing.
 * Linux's do_renameat2() and simple_rename().
 */
long sys_renameat2(int olddfd, const char __user *oldpath, int newdfd,
		   const char __user *newpath, unsigned int flags)
{
	char *o, *n;
	long err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	o = getname(oldpath, false);
	if (IS_ERR(o))
		return PTR_ERR(o);
	n = getname(newpath, false);
	if (IS_ERR(n)) {
		putname(o);
		return PTR_ERR(n);
	}
	err = do_renameat2(olddfd, o, newdfd, n, flags);
	putname(o);
	putname(n);
	return err;
}

/* sys_renameat - renameat(2): renameat2 without flags. Linux's. */
long sys_renameat(int olddfd, const char __user *oldpath, int newdfd,
		  const char __user *newpath)
{
	return sys_renameat2(olddfd, oldpath, newdfd, newpath, 0);
}

/* sys_rename - rename(2). Linux's. */
long sys_rename(const char __user *oldpath, const char __user *newpath)
{
	return sys_renameat2(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

/*
 * sys_symlinkat - symlinkat(2): make newpath (relative to newdfd) a
 * symbolic link holding the string target, which is not looked at (it
 * may name nothing). 0, or -EFAULT, -ENOENT (an empty target; a
 * missing directory; a trailing slash after newpath), -ENAMETOOLONG,
 * -ENOTDIR, -EBADF, -EEXIST (newpath exists, also as a dangling link;
 * "/", "." or ".."; -ENOENT in /proc), -ENOMEM. Linux's do_symlinkat().
 */
long sys_symlinkat(const char __user *target, int newdfd,
		   const char __user *linkpath)
{
	char *from = getname(target, false), *to;
	long err;

	if (IS_ERR(from))
		return PTR_ERR(from);
	to = getname(linkpath, false);
	if (IS_ERR(to)) {
		putname(from);
		return PTR_ERR(to);
	}
	err = do_symlinkat(from, newdfd, to);
	putname(to);
	putname(from);
	return err;
}

/* sys_symlink - symlink(2). Linux's. */
long sys_symlink(const char __user *target, const char __user *linkpath)
{
	return sys_symlinkat(target, AT_FDCWD, linkpath);
}

/*
 * sys_linkat - linkat(2): give the file oldpath (relative to olddfd) the
 * further name newpath (relative to newdfd); st_nlink counts the names,
 * and the data lives until the last is gone. A symbolic link oldpath is
 * linked itself unless flags has AT_SYMLINK_FOLLOW; with AT_EMPTY_PATH
 * an empty oldpath names the file open at olddfd. Errors in Linux's
 * order: -EINVAL (other flags), oldpath's lookup errors, newpath's,
 * -EEXIST, -ENOENT (a trailing slash after newpath; newpath in /proc),
 * -EXDEV (oldpath on another file system: in /proc), -EPERM (oldpath a
 * directory), -ENOENT (oldpath
 * was unlinked), -ENOMEM. Linux's do_linkat() and vfs_link().
 */
long sys_linkat(int olddfd, const char __user *oldpath, int newdfd,
		const char __user *newpath, int flags)
{
	char *o, *n;
	long err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	o = getname(oldpath, flags & AT_EMPTY_PATH);
	if (IS_ERR(o))
		return PTR_ERR(o);
	n = getname(newpath, false);
	if (IS_ERR(n)) {
		putname(o);
		return PTR_ERR(n);
	}
	err = do_linkat(olddfd, o, newdfd, n, flags);
	putname(o);
	putname(n);
	return err;
}

/* sys_link - link(2): linkat without flags (a link is not followed).
 * Linux's. */
long sys_link(const char __user *oldpath, const char __user *newpath)
{
	return sys_linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}
