/*
 * test_vfs.c - the path walk's edge cases (fs/namei.c), d_path()
 * (fs/dcache.c) and ramfs's pages (fs/ramfs.c), in the kernel: run from
 * the kernel job, which has no fs_struct, so its root and cwd are the
 * tree's root. Each test removes what it made, and the ktest runner
 * checks that every page came back (ramfs's data pages included).
 */
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/ktest.h>
#include <kernel/string.h>
#include <mm/kmalloc.h>

/* The error kern_path_at() gives for path, 0 when it finds it. */
static int lookup(const char *path, struct dentry **res)
{
	struct dentry *d;
	int err = kern_path_at(AT_FDCWD, path, 0, &d);

	if (!err) {
		if (res)
			*res = d;
		else
			dput(d);
	}
	return err;
}

KTEST(vfs, lookup_slashes_dots_and_errors)
{
	struct dentry *d;
	char *longname = kmalloc(NAME_MAX + 3);

	KTEST_ASSERT(t, longname);
	/* "/", repeated slashes, "." and ".." (never above the root). */
	KTEST_EXPECT_EQ(t, lookup("/", &d), 0);
	KTEST_EXPECT(t, d == root_dentry);
	dput(d);
	KTEST_EXPECT_EQ(t, lookup("//./..//..", &d), 0);
	KTEST_EXPECT(t, d == root_dentry);
	dput(d);
	KTEST_EXPECT_EQ(t, lookup("/dev//null", &d), 0);
	KTEST_EXPECT(t, S_ISCHR(d->d_inode->i_mode));
	dput(d);
	KTEST_EXPECT_EQ(t, lookup("/dev/../dev/./zero", NULL), 0);
	KTEST_EXPECT_EQ(t, lookup("dev/null", NULL), 0); /* cwd is "/" */
	KTEST_EXPECT_EQ(t, lookup("/dev/", NULL), 0);
	/* A trailing slash, or going on, after a non-directory. */
	KTEST_EXPECT_EQ(t, lookup("/dev/null/", NULL), -ENOTDIR);
	KTEST_EXPECT_EQ(t, lookup("/dev/null/x", NULL), -ENOTDIR);
	KTEST_EXPECT_EQ(t, lookup("/dev/null/.", NULL), -ENOTDIR);
	KTEST_EXPECT_EQ(t, lookup("/dev/null/..", NULL), -ENOTDIR);
	KTEST_EXPECT_EQ(t, lookup("/nope", NULL), -ENOENT);
	KTEST_EXPECT_EQ(t, lookup("/nope/x", NULL), -ENOENT);
	/* NAME_MAX bytes is a name; one more is too long, but only once
	 * it is looked up: a missing directory before it comes first. */
	memset(longname, 'a', NAME_MAX + 1);
	longname[0] = '/';
	longname[NAME_MAX + 1] = '\0';
	KTEST_EXPECT_EQ(t, lookup(longname, NULL), -ENOENT);
	longname[NAME_MAX + 1] = 'a';
	longname[NAME_MAX + 2] = '\0';
	KTEST_EXPECT_EQ(t, lookup(longname, NULL), -ENAMETOOLONG);
	kfree(longname);
	KTEST_EXPECT_EQ(t, lookup("/nope/aaaa", NULL), -ENOENT);
	KTEST_EXPECT_EQ(t,
			kern_path_at(AT_FDCWD, "/dev/null", LOOKUP_DIRECTORY,
				     &d),
			-ENOTDIR);
}

KTEST(vfs, create_path_and_d_path)
{
	struct dentry *d;
	char buf[32];

	KTEST_ASSERT(t, kernel_path_create("/kt/a/b", 0644, false, &d) == 0);
	KTEST_EXPECT(t, S_ISREG(d->d_inode->i_mode));
	KTEST_EXPECT_EQ(t, d->d_inode->i_mode & 07777, 0644);
	KTEST_EXPECT_EQ(t, d_path(d, buf, sizeof(buf)), 7);
	KTEST_EXPECT(t, strcmp(buf, "/kt/a/b") == 0);
	KTEST_EXPECT_EQ(t, d_path(d, buf, 7), -ERANGE); /* no room for NUL */
	KTEST_EXPECT_EQ(t, d_path(d, buf, 8), 7);
	KTEST_EXPECT_EQ(t, d_path(root_dentry, buf, sizeof(buf)), 1);
	KTEST_EXPECT(t, strcmp(buf, "/") == 0);
	/* The same path again: the same file. */
	{
		struct dentry *again;

		KTEST_EXPECT_EQ(t,
				kernel_path_create("/kt/a/b", 0644, false,
						   &again),
				0);
		KTEST_EXPECT(t, again == d);
		dput(again);
	}
	{
		struct dentry *dir;

		/* A directory where a file is asked for, and back. */
		KTEST_EXPECT_EQ(t,
				kernel_path_create("/kt/a", 0644, false, &dir),
				-EISDIR);
		KTEST_EXPECT_EQ(t,
				kernel_path_create("/kt/a/b", 0755, true, &dir),
				-ENOTDIR);
	}
	KTEST_EXPECT_EQ(t, kernel_unlink("/kt/a"), -ENOTEMPTY);
	KTEST_EXPECT_EQ(t, kernel_unlink("/kt/a/b"), 0);
	/* Unlinked but still referenced: d_path says so. */
	KTEST_EXPECT_EQ(t, d_path(d, buf, sizeof(buf)), -ENOENT);
	dput(d);
	KTEST_EXPECT_EQ(t, lookup("/kt/a/b", NULL), -ENOENT);
	KTEST_EXPECT_EQ(t, kernel_unlink("/kt/a"), 0);
	KTEST_EXPECT_EQ(t, kernel_unlink("/kt"), 0);
}

/* ramfs keeps data in pages: a hole reads zeros, a shrink frees pages
 * and zeroes the tail, and the last reference frees everything. */
KTEST(vfs, ramfs_pages)
{
	struct dentry *d;
	struct file *f;
	char *buf = kmalloc(3 * 4096);
	loff_t pos = 0;
	bool ok = true;

	KTEST_ASSERT(t, buf);
	KTEST_ASSERT(t, kernel_path_create("/kt_data", 0644, false, &d) == 0);
	f = alloc_file(d, O_RDWR);
	KTEST_ASSERT(t, !IS_ERR(f));
	memset(buf, 'x', 3 * 4096);
	pos = 4096 + 100; /* page 0 stays a hole */
	KTEST_EXPECT_EQ(t, kernel_write(f, buf, 5000, &pos), 5000);
	KTEST_EXPECT_EQ(t, d->d_inode->i_size, 4096 + 100 + 5000);
	KTEST_EXPECT_EQ(t, d->d_inode->i_blocks, 2 * 8); /* pages 1, 2 */
	pos = 0;
	memset(buf, 'y', 3 * 4096);
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 3 * 4096, &pos),
			4096 + 100 + 5000);
	for (int i = 0; i < 4096 + 100; i++)
		ok &= buf[i] == 0;
	for (int i = 4096 + 100; i < 4096 + 100 + 5000; i++)
		ok &= buf[i] == 'x';
	KTEST_EXPECT(t, ok);
	/* Shrink to 4096 + 200: page 2 goes, page 1's tail is zeroed. */
	mutex_lock(&d->d_inode->i_mutex);
	KTEST_EXPECT_EQ(t, d->d_inode->i_op->setsize(d->d_inode, 4096 + 200),
			0);
	KTEST_EXPECT_EQ(t, d->d_inode->i_op->setsize(d->d_inode, 3 * 4096), 0);
	mutex_unlock(&d->d_inode->i_mutex);
	KTEST_EXPECT_EQ(t, d->d_inode->i_blocks, 1 * 8);
	pos = 4096 + 199;
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 2, &pos), 2);
	KTEST_EXPECT(t, buf[0] == 'x' && buf[1] == 0);
	/* Unlinked while open: still readable, freed at the last fput. */
	KTEST_EXPECT_EQ(t, kernel_unlink("/kt_data"), 0);
	pos = 4096 + 100;
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 1, &pos), 1);
	KTEST_EXPECT_EQ(t, buf[0], 'x');
	dput(d);
	fput(f);
	kfree(buf);
}
