/*
 * dcache.c - dentries (include/kernel/fs.h), the names of the tree, as
 * Linux's fs/dcache.c without a hash table or an LRU: ramfs keeps every
 * name in its dentry, so the tree of dentries is the file system, and a
 * directory's children are found by walking its d_subdirs list.
 *
 * Lifetime: a dentry in the tree has one reference from the tree
 * (d_add_child); every child holds one on its parent, every open file and
 * working directory one on its dentry. d_delete() takes the dentry out of
 * the tree and drops the tree's reference; the last dput() frees it,
 * then drops its inode and its parent. So an unlinked file stays readable
 * through its open files, and its pages go with the last of them.
 *
 * dcache_lock guards the links (d_parent, d_subdirs, d_child), d_name
 * and d_flags: lookups take it alone, changes hold tree_mutex as well
 * (fs/namei.c), so a lookup never sleeps on a writer.
 */
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/string.h>
#include <mm/kmalloc.h>

DEFINE_SPINLOCK(dcache_lock);
struct dentry *root_dentry;

struct dentry *d_alloc(struct dentry *parent, const char *name,
		       unsigned int len)
{
	struct dentry *d = kzalloc(sizeof(*d));
	char *n = kmalloc(len + 1);

	if (!d || !n) {
		kfree(d);
		kfree(n);
		return NULL;
	}
	memcpy(n, name, len);
	n[len] = '\0';
	d->d_name.name = n;
	d->d_name.len = len;
	atomic_set(&d->d_count, 1);
	INIT_LIST_HEAD(&d->d_child);
	INIT_LIST_HEAD(&d->d_subdirs);
	d->d_parent = parent ? dget(parent) : d;
	return d;
}

void d_instantiate(struct dentry *dentry, struct inode *inode)
{
	dentry->d_inode = inode;
}

void d_add_child(struct dentry *dentry)
{
	dget(dentry); /* the tree's reference */
	spin_lock(&dcache_lock);
	list_add_tail(&dentry->d_child, &dentry->d_parent->d_subdirs);
	dentry->d_flags |= DCACHE_HASHED;
	spin_unlock(&dcache_lock);
}

void d_delete(struct dentry *dentry)
{
	spin_lock(&dcache_lock);
	list_del_init(&dentry->d_child);
	dentry->d_flags &= ~DCACHE_HASHED;
	spin_unlock(&dcache_lock);
	dput(dentry);
}

struct dentry *dget(struct dentry *dentry)
{
	atomic_inc(&dentry->d_count);
	return dentry;
}

void dput(struct dentry *dentry)
{
	while (dentry && atomic_dec_and_test(&dentry->d_count)) {
		struct dentry *parent = dentry->d_parent;

		/* Nobody can reach it: out of the tree (d_delete came
		 * first) and no reference left. */
		iput(dentry->d_inode);
		kfree(dentry->d_name.name);
		kfree(dentry);
		if (parent == dentry)
			return; /* the root */
		dentry = parent;
	}
}

struct dentry *d_lookup(struct dentry *parent, const char *name,
			unsigned int len)
{
	struct dentry *d, *found = NULL;

	spin_lock(&dcache_lock);
	list_for_each_entry(d, &parent->d_subdirs, d_child) {
		if (d->d_name.len == len &&
		    !memcmp(d->d_name.name, name, len)) {
			found = dget(d);
			break;
		}
	}
	spin_unlock(&dcache_lock);
	return found;
}

long d_path(struct dentry *dentry, char *buf, size_t size)
{
	size_t end = size, need;
	long ret;

	if (size == 0)
		return -ERANGE;
	spin_lock(&dcache_lock);
	if (dentry != root_dentry && !(dentry->d_flags & DCACHE_HASHED)) {
		spin_unlock(&dcache_lock);
		return -ENOENT; /* unlinked: Linux's getcwd() says so too */
	}
	buf[--end] = '\0';
	for (; dentry != dentry->d_parent; dentry = dentry->d_parent) {
		need = dentry->d_name.len + 1;
		if (end < need) {
			spin_unlock(&dcache_lock);
			return -ERANGE;
		}
		end -= need;
		buf[end] = '/';
		memcpy(buf + end + 1, dentry->d_name.name, need - 1);
	}
	if (end == size - 1) { /* the root itself */
		if (end < 1) {
			spin_unlock(&dcache_lock);
			return -ERANGE;
		}
		buf[--end] = '/';
	}
	spin_unlock(&dcache_lock);
	ret = (long)(size - 1 - end);
	memmove(buf, buf + end, (size_t)ret + 1);
	return ret;
}

bool is_subdir(struct dentry *d, struct dentry *anc)
{
	bool found = false;

	spin_lock(&dcache_lock);
	for (;;) {
		if (d == anc) {
			found = true;
			break;
		}
		if (d == d->d_parent)
			break;
		d = d->d_parent;
	}
	spin_unlock(&dcache_lock);
	return found;
}
