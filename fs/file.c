/*
 * file.c - the file-descriptor table (struct files_struct,
 * include/kernel/fdtable.h), as Linux's fs/file.c: the lowest free fd
 * for every new file, the close-on-exec bits, growth by doubling from
 * NR_OPEN_DEFAULT to NR_OPEN_MAX (RLIMIT_NOFILE's default 1024, the
 * limit behind -EMFILE), sharing by CLONE_FILES and copying by fork.
 *
 * file_lock (a spinlock) protects the array, both bitmaps and max_fds.
 * A slot is reserved (open_fds bit) before its file is installed, so
 * two threads opening at once never get the same fd. fget() takes a
 * reference under the lock: a close on another CPU cannot free the file
 * under a read that is still using it (Linux does the same with RCU).
 */
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/fdtable.h>
#include <kernel/fs.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <mm/kmalloc.h>

#define CLONE_FILES   0x00000400
#define BITS_PER_LONG 64

static bool test_bit_ul(unsigned int nr, const unsigned long *map)
{
	return map[nr / BITS_PER_LONG] & (1UL << (nr % BITS_PER_LONG));
}

static void set_bit_ul(unsigned int nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static void clear_bit_ul(unsigned int nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

/* One block: the array of n pointers, then the two bitmaps. */
static size_t table_bytes(unsigned int n)
{
	return n * sizeof(struct file *) + 2 * (n / 8);
}

static int alloc_table(struct files_struct *files, unsigned int n)
{
	char *p = kzalloc(table_bytes(n));

	if (!p)
		return -ENOMEM;
	files->fd = (struct file **)p;
	files->open_fds = (unsigned long *)(p + n * sizeof(struct file *));
	files->close_on_exec = files->open_fds + n / BITS_PER_LONG;
	files->max_fds = n;
	return 0;
}

static struct files_struct *alloc_files(unsigned int n)
{
	struct files_struct *files = kzalloc(sizeof(*files));

	if (!files)
		return NULL;
	if (alloc_table(files, n)) {
		kfree(files);
		return NULL;
	}
	atomic_set(&files->count, 1);
	spin_lock_init(&files->file_lock);
	return files;
}

/*
 * Grow files to hold fd nr (< NR_OPEN_MAX): file_lock held, and dropped
 * while the new table is allocated. Returns 1 when it grew (or another
 * thread grew it: look again), -ENOMEM. Linux's expand_files().
 */
static int expand_files(struct files_struct *files, unsigned int nr)
{
	struct files_struct tmp;
	unsigned int n = files->max_fds, old_n;
	char *old;

	while (n <= nr)
		n *= 2;
	spin_unlock(&files->file_lock);
	if (alloc_table(&tmp, n)) {
		spin_lock(&files->file_lock);
		return -ENOMEM;
	}
	spin_lock(&files->file_lock);
	if (files->max_fds >= n) { /* someone else grew it meanwhile */
		kfree(tmp.fd);
		return 1;
	}
	old_n = files->max_fds;
	old = (char *)files->fd;
	memcpy(tmp.fd, files->fd, old_n * sizeof(struct file *));
	memcpy(tmp.open_fds, files->open_fds, old_n / 8);
	memcpy(tmp.close_on_exec, files->close_on_exec, old_n / 8);
	files->fd = tmp.fd;
	files->open_fds = tmp.open_fds;
	files->close_on_exec = tmp.close_on_exec;
	files->max_fds = n;
	kfree(old);
	return 1;
}

/*
 * alloc_fd - reserve the lowest free fd >= start in current's table,
 * with close-on-exec when flags has O_CLOEXEC. Returns it, -EMFILE (none
 * below NR_OPEN_MAX), -ENOMEM. Linux's alloc_fd().
 */
int alloc_fd(unsigned int start, unsigned int flags)
{
	struct files_struct *files = current->files;
	unsigned int fd;
	int err;

	if (!files)
		return -EMFILE;
	spin_lock(&files->file_lock);
	for (;;) {
		fd = start > files->next_fd ? start : files->next_fd;
		while (fd < files->max_fds && test_bit_ul(fd, files->open_fds))
			fd++;
		if (fd >= NR_OPEN_MAX) {
			spin_unlock(&files->file_lock);
			return -EMFILE;
		}
		if (fd < files->max_fds)
			break;
		err = expand_files(files, fd);
		if (err < 0) {
			spin_unlock(&files->file_lock);
			return err;
		}
	}
	set_bit_ul(fd, files->open_fds);
	if (flags & O_CLOEXEC)
		set_bit_ul(fd, files->close_on_exec);
	else
		clear_bit_ul(fd, files->close_on_exec);
	if (start <= files->next_fd)
		files->next_fd = fd + 1;
	spin_unlock(&files->file_lock);
	return (int)fd;
}

int get_unused_fd_flags(unsigned int flags)
{
	return alloc_fd(0, flags);
}

/* Free slot fd: file_lock held. */
static void __put_unused_fd(struct files_struct *files, unsigned int fd)
{
	clear_bit_ul(fd, files->open_fds);
	clear_bit_ul(fd, files->close_on_exec);
	if (fd < files->next_fd)
		files->next_fd = fd;
}

void put_unused_fd(unsigned int fd)
{
	struct files_struct *files = current->files;

	spin_lock(&files->file_lock);
	__put_unused_fd(files, fd);
	spin_unlock(&files->file_lock);
}

void fd_install(unsigned int fd, struct file *file)
{
	struct files_struct *files = current->files;

	spin_lock(&files->file_lock);
	files->fd[fd] = file;
	spin_unlock(&files->file_lock);
}

struct file *fget(unsigned int fd)
{
	struct files_struct *files = current->files;
	struct file *f = NULL;

	if (!files)
		return NULL;
	spin_lock(&files->file_lock);
	if (fd < files->max_fds && files->fd[fd])
		f = get_file(files->fd[fd]);
	spin_unlock(&files->file_lock);
	return f;
}

int close_fd(unsigned int fd)
{
	struct files_struct *files = current->files;
	struct file *f = NULL;

	if (!files)
		return -EBADF;
	spin_lock(&files->file_lock);
	if (fd < files->max_fds && files->fd[fd]) {
		f = files->fd[fd];
		files->fd[fd] = NULL;
		__put_unused_fd(files, fd);
	}
	spin_unlock(&files->file_lock);
	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}

/*
 * replace_fd_locked - for dup2/dup3/F_DUPFD: install file (a reference
 * passes) at fd, closing what was there; returns that old file for the
 * caller to fput() once the lock is dropped. -EBUSY when fd is reserved
 * but not yet installed (an open on another thread), as Linux's
 * do_dup2(). -ENOMEM/-EBADF from growing. file_lock held.
 */
static struct file *replace_fd_locked(struct files_struct *files,
				      unsigned int fd, struct file *file,
				      unsigned int flags, int *err)
{
	struct file *old;

	*err = 0;
	while (fd >= files->max_fds) {
		int e = expand_files(files, fd);

		if (e < 0) {
			*err = e;
			return NULL;
		}
	}
	old = files->fd[fd];
	if (!old && test_bit_ul(fd, files->open_fds)) {
		*err = -EBUSY;
		return NULL;
	}
	files->fd[fd] = file;
	set_bit_ul(fd, files->open_fds);
	if (flags & O_CLOEXEC)
		set_bit_ul(fd, files->close_on_exec);
	else
		clear_bit_ul(fd, files->close_on_exec);
	return old;
}

/*
 * do_dup2 - make newfd refer to the file at oldfd (dup2/dup3), with
 * close-on-exec when flags has O_CLOEXEC. Returns newfd, -EBADF (oldfd
 * not open; newfd at or above NR_OPEN_MAX), -EBUSY, -ENOMEM. Linux's
 * ksys_dup3() without its flag checks.
 */
int do_dup2(unsigned int oldfd, unsigned int newfd, unsigned int flags)
{
	struct files_struct *files = current->files;
	struct file *f, *old;
	int err;

	if (newfd >= NR_OPEN_MAX)
		return -EBADF;
	f = fget(oldfd);
	if (!f)
		return -EBADF;
	spin_lock(&files->file_lock);
	old = replace_fd_locked(files, newfd, f, flags, &err);
	spin_unlock(&files->file_lock);
	if (err) {
		fput(f);
		return err;
	}
	if (old)
		fput(old);
	return (int)newfd;
}

/* Is fd open in current's table? */
bool fd_is_open(unsigned int fd)
{
	struct file *f = fget(fd);

	if (!f)
		return false;
	fput(f);
	return true;
}

/* get_close_on_exec / set_close_on_exec - fd's FD_CLOEXEC bit (fd open). */
bool get_close_on_exec(unsigned int fd)
{
	struct files_struct *files = current->files;
	bool r;

	spin_lock(&files->file_lock);
	r = fd < files->max_fds && test_bit_ul(fd, files->close_on_exec);
	spin_unlock(&files->file_lock);
	return r;
}

void set_close_on_exec(unsigned int fd, bool on)
{
	struct files_struct *files = current->files;

	spin_lock(&files->file_lock);
	if (fd < files->max_fds && files->fd[fd]) {
		if (on)
			set_bit_ul(fd, files->close_on_exec);
		else
			clear_bit_ul(fd, files->close_on_exec);
	}
	spin_unlock(&files->file_lock);
}

/*
 * A copy of old, with a reference to every file; the slots reserved but
 * not installed are left free (Linux's dup_fd()). NULL when out of
 * memory.
 */
static struct files_struct *dup_fd(struct files_struct *old)
{
	struct files_struct *files;
	unsigned int n;

	spin_lock(&old->file_lock);
	for (;;) {
		n = old->max_fds;
		spin_unlock(&old->file_lock);
		files = alloc_files(n);
		if (!files)
			return NULL;
		spin_lock(&old->file_lock);
		if (old->max_fds == n)
			break;
		/* It grew while we allocated: again. */
		kfree(files->fd);
		kfree(files);
	}
	for (unsigned int fd = 0; fd < n; fd++) {
		struct file *f = old->fd[fd];

		if (!f)
			continue;
		files->fd[fd] = get_file(f);
		set_bit_ul(fd, files->open_fds);
		if (test_bit_ul(fd, old->close_on_exec))
			set_bit_ul(fd, files->close_on_exec);
	}
	spin_unlock(&old->file_lock);
	return files;
}

int copy_files(unsigned long clone_flags, struct task *t)
{
	struct files_struct *old = current->files;

	t->files = NULL;
	if (!old)
		return 0;
	if (clone_flags & CLONE_FILES) {
		atomic_inc(&old->count);
		t->files = old;
		return 0;
	}
	t->files = dup_fd(old);
	return t->files ? 0 : -ENOMEM;
}

/* Close every file of files and free it (its last user is gone). */
static void close_files(struct files_struct *files)
{
	for (unsigned int fd = 0; fd < files->max_fds; fd++)
		if (files->fd[fd])
			fput(files->fd[fd]);
	kfree(files->fd);
	kfree(files);
}

/* put_files_struct - drop one user of files. Linux's. */
static void put_files_struct(struct files_struct *files)
{
	if (atomic_dec_and_test(&files->count))
		close_files(files);
}

void exit_files(struct task *t)
{
	struct files_struct *files = t->files;

	if (!files)
		return;
	t->files = NULL; /* no other task reads t->files */
	put_files_struct(files);
}

int unshare_files(void)
{
	struct files_struct *old = current->files, *copy;

	if (!old || atomic_read(&old->count) == 1)
		return 0;
	copy = dup_fd(old);
	if (!copy)
		return -ENOMEM;
	current->files = copy;
	put_files_struct(old);
	return 0;
}

void do_close_on_exec(struct files_struct *files)
{
	if (!files)
		return;
	spin_lock(&files->file_lock);
	for (unsigned int fd = 0; fd < files->max_fds; fd++) {
		struct file *f;

		if (!test_bit_ul(fd, files->close_on_exec) || !files->fd[fd])
			continue;
		f = files->fd[fd];
		files->fd[fd] = NULL;
		__put_unused_fd(files, fd);
		spin_unlock(&files->file_lock);
		fput(f);
		spin_lock(&files->file_lock);
	}
	spin_unlock(&files->file_lock);
}

int files_init_console(void)
{
	struct dentry *d;
	struct file *f;
	int err;

	if (!current->fs) {
		err = fs_init_task(current);
		if (err)
			return err;
	}
	current->files = alloc_files(NR_OPEN_DEFAULT);
	if (!current->files)
		return -ENOMEM;
	err = kern_path_at(AT_FDCWD, "/dev/console", 0, &d);
	if (err)
		return err;
	f = alloc_file(d, O_RDWR);
	dput(d);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	/* Linux's console_on_rootfs(): open once, dup twice. */
	for (unsigned int fd = 0; fd < 3; fd++) {
		err = get_unused_fd_flags(0);
		if (err < 0) {
			fput(f);
			return err;
		}
		fd_install((unsigned int)err, fd ? get_file(f) : f);
	}
	return 0;
}

/*
 * sys_close - close(2): 0 or -EBADF. The file itself goes with its last
 * reference (other fds, other processes, a read in progress). Linux's.
 */
long sys_close(unsigned int fd)
{
	return close_fd(fd);
}
