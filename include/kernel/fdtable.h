/*
 * fdtable.h - a process's open files and its place in the tree, as
 * Linux's <linux/fdtable.h> and <linux/fs_struct.h> (docs/vfs.md):
 *
 *   struct files_struct  the file-descriptor table (fs/file.c): fd ->
 *                        struct file, the close-on-exec bits. Threads
 *                        (CLONE_FILES) share one; fork copies it.
 *   struct fs_struct     the root, the working directory and the umask
 *                        (fs/fs_struct.c). CLONE_FS shares it; fork
 *                        copies it.
 */
#ifndef KERNEL_FDTABLE_H
#define KERNEL_FDTABLE_H

#include <kernel/atomic.h>
#include <kernel/spinlock.h>
#include <kernel/types.h>

struct file;
struct dentry;
struct task;

/*
 * The table grows from NR_OPEN_DEFAULT fds by doubling, up to NR_OPEN_MAX
 * (include/kernel/fs.h), as Linux's expand_files(). file_lock protects
 * max_fds, fd[], open_fds and close_on_exec (Linux protects the array
 * pointer with RCU; here readers take the lock too).
 */
#define NR_OPEN_DEFAULT 64

struct files_struct {
	atomic_t count; /* tasks sharing it (CLONE_FILES) */
	spinlock_t file_lock;
	unsigned int max_fds; /* slots in fd[] */
	unsigned int next_fd; /* no free fd below it (a hint) */
	struct file **fd;
	unsigned long *open_fds;      /* bit set: fd taken (maybe not yet
				       * installed: alloc_fd) */
	unsigned long *close_on_exec; /* bit set: FD_CLOEXEC */
};

struct fs_struct {
	atomic_t users; /* tasks sharing it (CLONE_FS) */
	spinlock_t lock;
	struct dentry *root, *pwd; /* each with a reference */
	unsigned int umask;
};

/* ---- fs/file.c ---- */

/*
 * fget - the file open at fd in current's table, with a reference (drop
 * it with fput()), or NULL when fd is not open. Linux's fget().
 */
struct file *fget(unsigned int fd);

/*
 * get_unused_fd_flags - reserve the lowest free fd of current's table
 * (O_CLOEXEC in flags sets its close-on-exec bit). Returns it, or
 * -EMFILE (NR_OPEN_MAX fds open), -ENOMEM. Install a file there with
 * fd_install() or give it back with put_unused_fd(). Linux's.
 */
int get_unused_fd_flags(unsigned int flags);
void put_unused_fd(unsigned int fd);

/*
 * alloc_fd - get_unused_fd_flags() for the lowest free fd >= start
 * (fcntl F_DUPFD). Linux's.
 */
int alloc_fd(unsigned int start, unsigned int flags);

/*
 * do_dup2 - make newfd refer to oldfd's file (close-on-exec with
 * O_CLOEXEC in flags), closing newfd's old file. Returns newfd, -EBADF
 * (oldfd not open, newfd >= NR_OPEN_MAX), -EBUSY (newfd reserved by an
 * open in progress), -ENOMEM. Linux's do_dup2().
 */
int do_dup2(unsigned int oldfd, unsigned int newfd, unsigned int flags);

/* fd_is_open - is fd open in current's table? */
bool fd_is_open(unsigned int fd);

/* get_close_on_exec / set_close_on_exec - fd's FD_CLOEXEC bit. Linux's. */
bool get_close_on_exec(unsigned int fd);
void set_close_on_exec(unsigned int fd, bool on);

/* fd_install - put file (its reference passes to the table) at a
 * reserved fd. Linux's. */
void fd_install(unsigned int fd, struct file *file);

/* close_fd - close fd of current's table: 0 or -EBADF. Linux's. */
int close_fd(unsigned int fd);

/*
 * copy_files - give a new task t its table: with CLONE_FILES (0x400) in
 * clone_flags current's own (shared), else a copy holding a reference to
 * every open file, close-on-exec bits included. A task without a table
 * (a kernel thread) gives none. 0 or -ENOMEM. Linux's copy_files().
 */
int copy_files(unsigned long clone_flags, struct task *t);

/* exit_files - drop t's table; the last sharer closes every file.
 * Linux's exit_files(). */
void exit_files(struct task *t);

/*
 * unshare_files - give current a table of its own when it shares one
 * (exec must not close its sharers' close-on-exec files). 0 or -ENOMEM.
 * Linux's unshare_files().
 */
int unshare_files(void);

/* do_close_on_exec - close every fd of files with its close-on-exec bit
 * set (exec, after the point of no return). Linux's. */
void do_close_on_exec(struct files_struct *files);

/*
 * files_init_console - give init (current, which has no table yet) a
 * table, a root and a working directory (/), with /dev/console open on
 * fds 0, 1 and 2. 0 or -errno. Linux's console_on_rootfs() with
 * init_task's files and fs.
 */
int files_init_console(void);

/* ---- fs/fs_struct.c ---- */

/* fs_init_task - a fresh fs_struct for t (init): root and cwd "/",
 * umask 022 (Linux's init_fs). 0 or -ENOMEM. */
int fs_init_task(struct task *t);

/* copy_fs - t's fs_struct: current's (CLONE_FS, 0x200) or a copy.
 * 0 or -ENOMEM. Linux's copy_fs(). */
int copy_fs(unsigned long clone_flags, struct task *t);

/* exit_fs - drop t's fs_struct and, with the last, its dentries.
 * Linux's exit_fs(). */
void exit_fs(struct task *t);

/*
 * get_fs_pwd / get_fs_root - current's working directory or root with a
 * reference; the root directory for a task without an fs_struct (a
 * kernel thread). Linux's get_fs_pwd(), get_fs_root().
 */
struct dentry *get_fs_pwd(void);
struct dentry *get_fs_root(void);

/* current_umask - current's umask (022 without an fs_struct). Linux's. */
unsigned int current_umask(void);

#endif
