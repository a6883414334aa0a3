/*
 * test_proc.c - procfs from inside (fs/proc.c): the text buffer grows
 * instead of cutting a long line short; /proc/meminfo is in Linux's
 * format; /proc/sys/fs/file-nr counts a file opened and closed; the walk
 * follows /proc/self, and LOOKUP_NOFOLLOW gives the link itself. Run
 * from the kernel job (no fs_struct: the walk starts at the root).
 */
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/ktest.h>
#include <kernel/proc_fs.h>
#include <kernel/string.h>
#include <mm/kmalloc.h>

KTEST(proc, pbuf_grows_and_never_truncates)
{
	struct pbuf pb = { 0 };
	char *big = kmalloc(5001);

	KTEST_ASSERT(t, big);
	memset(big, 'a', 5000);
	big[5000] = 0;
	KTEST_EXPECT_EQ(t, pbuf_printf(&pb, "%s|", "x"), 0);
	KTEST_EXPECT_EQ(t, pbuf_printf(&pb, "%s", big), 0);
	KTEST_EXPECT_EQ(t, pbuf_printf(&pb, "|%d", 42), 0);
	KTEST_EXPECT_EQ(t, pb.len, 2 + 5000 + 3);
	KTEST_EXPECT(t, pb.cap > pb.len);
	KTEST_EXPECT(t, !memcmp(pb.buf, "x|a", 3));
	KTEST_EXPECT(t, !memcmp(pb.buf + 5002, "|42", 3));
	KTEST_EXPECT_EQ(t, pb.buf[pb.len], 0);
	kfree(pb.buf);
	kfree(big);
}

/* The whole text of path (at most size - 1 bytes) into buf; its length
 * or -errno. */
static long read_proc(const char *path, char *buf, size_t size)
{
	struct dentry *d;
	struct file *f;
	loff_t pos = 0;
	long n = 0, r;
	int err = kern_path_at(AT_FDCWD, path, 0, &d);

	if (err)
		return err;
	f = alloc_file(d, O_RDONLY);
	dput(d);
	if (IS_ERR(f))
		return PTR_ERR(f);
	/* Seven bytes at a time: the text comes out whole at any offset. */
	while ((size_t)n + 7 < size &&
	       (r = kernel_read(f, buf + n, 7, &pos)) > 0)
		n += r;
	buf[n] = 0;
	fput(f);
	return n;
}

/* The digits at the start of s, and what follows them. */
static const char *skip_num(const char *s)
{
	while (*s >= '0' && *s <= '9')
		s++;
	return s;
}

static unsigned long lead_num(const char *s)
{
	unsigned long v = 0;

	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (unsigned long)(*s - '0');
	return v;
}

KTEST(proc, meminfo_and_file_nr)
{
	char *buf = kmalloc(4096);
	unsigned long before, during, after;
	struct dentry *d;
	struct file *f;

	KTEST_ASSERT(t, buf);
	KTEST_EXPECT(t, read_proc("/proc/meminfo", buf, 4096) > 0);
	/* "%-16s%8lu kB\n": the value ends at column 24. */
	KTEST_EXPECT(t, !memcmp(buf, "MemTotal:       ", 16));
	KTEST_EXPECT(t, !memcmp(buf + 24, " kB\nMemFree:", 12));
	KTEST_EXPECT(t, read_proc("/proc/sys/fs/file-nr", buf, 4096) > 0);
	before = lead_num(buf);
	KTEST_ASSERT(t, kern_path_at(AT_FDCWD, "/dev/null", 0, &d) == 0);
	f = alloc_file(d, O_RDONLY);
	dput(d);
	KTEST_ASSERT(t, !IS_ERR(f));
	KTEST_EXPECT(t, read_proc("/proc/sys/fs/file-nr", buf, 4096) > 0);
	during = lead_num(buf);
	fput(f);
	KTEST_EXPECT(t, read_proc("/proc/sys/fs/file-nr", buf, 4096) > 0);
	after = lead_num(buf);
	KTEST_EXPECT_EQ(t, during, before + 1);
	KTEST_EXPECT_EQ(t, after, before);
	KTEST_EXPECT(t, !memcmp(skip_num(buf), "\t0\t", 3));
	kfree(buf);
}

KTEST(proc, self_link_followed_or_not)
{
	struct dentry *d;

	KTEST_ASSERT(t, kern_path_at(AT_FDCWD, "/proc/self", LOOKUP_NOFOLLOW,
				     &d) == 0);
	KTEST_EXPECT(t, S_ISLNK(d->d_inode->i_mode));
	dput(d);
	KTEST_EXPECT_EQ(t, kern_path_at(AT_FDCWD, "/proc/nope", 0, &d),
			-ENOENT);
	KTEST_EXPECT_EQ(t, kern_path_at(AT_FDCWD, "/proc/0", 0, &d), -ENOENT);
	KTEST_ASSERT(t, kern_path_at(AT_FDCWD, "/proc/sys/fs", 0, &d) == 0);
	KTEST_EXPECT(t, S_ISDIR(d->d_inode->i_mode));
	dput(d);
}
