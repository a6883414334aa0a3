/*
 * proc_fs.h - procfs (fs/proc.c, docs/vfs.md "procfs"): /proc, whose
 * files are made from the kernel's state when they are opened.
 */
#ifndef KERNEL_PROC_FS_H
#define KERNEL_PROC_FS_H

#include <kernel/compiler.h>
#include <kernel/fs.h>

/*
 * proc_init - make /proc in the root: a directory whose names procfs
 * makes on demand. After ramfs_init(); panics when out of memory at
 * boot. Linux's proc_root_init() + the mount of /proc.
 */
void proc_init(void);

/*
 * struct pbuf - the text of an open procfs file (Linux's seq_file
 * buffer): buf holds len bytes of cap; err is the first failure
 * (-ENOMEM), after which nothing more is added.
 */
struct pbuf {
	char *buf;
	size_t len, cap; /* bytes */
	int err;
};

/*
 * pbuf_printf - append the vsnprintf() text of fmt, growing the buffer
 * (doubling) until it fits: nothing is ever cut short. 0, or -ENOMEM
 * (kept in pb->err). Linux's seq_printf() + seq_read()'s retry with a
 * bigger buffer.
 */
int pbuf_printf(struct pbuf *pb, const char *fmt, ...) __printf(2, 3);

/*
 * proc_fill - the text of the procfs file inode into pb (empty on
 * entry). 0, -ESRCH (its process has gone), -ENOMEM. For open, and
 * for the ktest of the formats.
 */
int proc_fill(struct inode *inode, struct pbuf *pb);

#endif
