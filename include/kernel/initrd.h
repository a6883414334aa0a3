/*
 * initrd.h - the initial RAM disk (kernel/initrd.c): a ustar archive that
 * GRUB loads as a module (or QEMU -initrd under direct boot), holding the
 * user programs as bin/NAME. Read-only, looked up by path.
 */
#ifndef KERNEL_INITRD_H
#define KERNEL_INITRD_H

#include <kernel/types.h>

/*
 * initrd_init - find the archive among the boot modules and check it.
 * Returns the number of files, 0 when there is no initrd, or -EINVAL for
 * an archive that is not ustar (reported on the console). Our own: Linux
 * unpacks its initramfs (cpio) into a RAM file system instead.
 */
int initrd_init(void);

/*
 * initrd_for_each - call fn for every entry of the archive, in order:
 * its path (without a leading "/" or "./"; a directory's may end in
 * "/"), its ustar type ('0' a regular file, '5' a directory, ...), its
 * mode bits (07777), its data and size (bytes). Stops at the first
 * non-zero return of fn and returns it; 0 after the last entry.
 * fs/initramfs.c copies the archive into the tree with it. Our own.
 */
int initrd_for_each(int (*fn)(const char *path, char type, unsigned int mode,
			      const void *data, size_t size, void *arg),
		    void *arg);

/*
 * initrd_lookup - the contents of the regular file at path ("/bin/sh",
 * "bin/sh" or "./bin/sh"), read in place. Returns 0 and sets *data and
 * *size (bytes), or -ENOENT. Our own.
 */
int initrd_lookup(const char *path, const void **data, size_t *size);

/*
 * initrd_list - write the NUL-terminated paths of all regular files
 * ("/bin/sh\0/bin/init\0...") into buf, size bytes. Returns the bytes
 * used, or -ERANGE when size is too small. Our own.
 */
long initrd_list(char *buf, size_t size);

#endif
