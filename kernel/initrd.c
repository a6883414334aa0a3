/*
 * initrd.c - the initial RAM disk (include/kernel/initrd.h): a ustar
 * archive that the boot loader loads as module 0 (GRUB `module2`, or QEMU
 * -initrd under PVH), read in place through the direct map. memblock
 * reserves the module's memory (mm/memblock.c), so it stays valid for the
 * kernel's lifetime. Only regular files are visible; "bin/sh", "./bin/sh"
 * and "/bin/sh" in the archive all name the file "/bin/sh". exec
 * (kernel/exec.c) loads programs from here.
 *
 * A ustar header is one 512-byte block (POSIX.1-1988): name at 0 (100
 * bytes), size at 124 (12 octal digits), typeflag at 156, "ustar" magic at
 * 257, prefix at 345 (155 bytes); the data follows, padded to 512 bytes.
 * Two zero blocks (or the end of the module) end the archive.
 */
#include <kernel/boot_params.h>
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/initrd.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <mm/kmalloc.h>
#include <asm/memlayout.h>

#define TAR_BLOCK    512
#define TAR_NAME_MAX (155 + 1 + 100) /* prefix "/" name */

struct ustar_header {
	char name[100];
	char mode[8], uid[8], gid[8];
	char size[12];
	char mtime[12];
	char chksum[8];
	char typeflag;
	char linkname[100];
	char magic[6];
	char version[2];
	char uname[32], gname[32];
	char devmajor[8], devminor[8];
	char prefix[155];
	char pad[12];
};
_Static_assert(sizeof(struct ustar_header) == TAR_BLOCK, "ustar header size");

static const u8 *initrd_base; /* direct-map address of module 0 */
static size_t initrd_size;    /* bytes */

/* Octal field, NUL- or space-terminated; -1 on a stray character. */
static long parse_octal(const char *s, size_t n)
{
	long v = 0;
	size_t i = 0;

	while (i < n && s[i] == ' ')
		i++;
	for (; i < n && s[i] && s[i] != ' '; i++) {
		if (s[i] < '0' || s[i] > '7')
			return -1;
		v = v * 8 + (s[i] - '0');
	}
	return v;
}

static bool block_is_zero(const u8 *b)
{
	for (int i = 0; i < TAR_BLOCK; i++)
		if (b[i])
			return false;
	return true;
}

/* Skip leading "/" and "./" so that all spellings of a path compare equal. */
static const char *skip_root(const char *p)
{
	for (;;) {
		if (p[0] == '/')
			p++;
		else if (p[0] == '.' && p[1] == '/')
			p += 2;
		else
			return p;
	}
}

/* The header's path (prefix/name), without a leading "/" or "./". */
static void header_path(const struct ustar_header *h, char *buf)
{
	size_t plen = strnlen(h->prefix, sizeof(h->prefix));
	size_t nlen = strnlen(h->name, sizeof(h->name));
	char tmp[TAR_NAME_MAX + 1];
	size_t n = 0;

	if (plen) {
		memcpy(tmp, h->prefix, plen);
		n = plen;
		tmp[n++] = '/';
	}
	memcpy(tmp + n, h->name, nlen);
	tmp[n + nlen] = '\0';
	const char *p = skip_root(tmp);
	memcpy(buf, p, strlen(p) + 1);
}

/*
 * The file after the header at *off: 0 and its header, data and size, and
 * *off advanced past it; 1 at the end of the archive; -EINVAL when the
 * header is not ustar or the file runs past the module.
 */
static int next_entry(size_t *off, const struct ustar_header **hp,
		      const u8 **data, size_t *size)
{
	const struct ustar_header *h;
	long sz;

	if (*off + TAR_BLOCK > initrd_size)
		return 1;
	h = (const struct ustar_header *)(initrd_base + *off);
	if (block_is_zero((const u8 *)h))
		return 1;
	if (memcmp(h->magic, "ustar", 5) != 0)
		return -EINVAL;
	sz = parse_octal(h->size, sizeof(h->size));
	if (sz < 0 || (size_t)sz > initrd_size - *off - TAR_BLOCK)
		return -EINVAL;
	*hp = h;
	*data = initrd_base + *off + TAR_BLOCK;
	*size = (size_t)sz;
	*off += TAR_BLOCK + ALIGN_UP((size_t)sz, TAR_BLOCK);
	return 0;
}

static bool is_regular(const struct ustar_header *h)
{
	return h->typeflag == '0' || h->typeflag == '\0';
}

int initrd_init(void)
{
	const struct boot_module *m = &boot_params.modules[0];
	const struct ustar_header *h;
	const u8 *data;
	size_t off = 0, size;
	int files = 0, r;

	initrd_base = NULL;
	initrd_size = 0;
	if (boot_params.nr_modules == 0 || m->end <= m->start) {
		pr_info("initrd: none (no boot module)\n");
		return 0;
	}
	initrd_base = __va(m->start);
	initrd_size = m->end - m->start;
	while ((r = next_entry(&off, &h, &data, &size)) == 0)
		if (is_regular(h))
			files++;
	if (r < 0) {
		pr_err("initrd: module 0 '%s' is not a ustar archive (bad header at "
		       "offset %zu); ignoring it\n",
		       m->name, off);
		initrd_base = NULL;
		initrd_size = 0;
		return -EINVAL;
	}
	pr_info("initrd: %d files, %zu bytes at [mem 0x%llx]\n", files,
		initrd_size, (unsigned long long)m->start);
	return files;
}

int initrd_for_each(int (*fn)(const char *path, char type, unsigned int mode,
			      const void *data, size_t size, void *arg),
		    void *arg)
{
	const struct ustar_header *h;
	char name[TAR_NAME_MAX + 1];
	const u8 *d;
	size_t off = 0, sz;
	int err;

	while (next_entry(&off, &h, &d, &sz) == 0) {
		long mode = parse_octal(h->mode, sizeof(h->mode));

		header_path(h, name);
		err = fn(name, h->typeflag ? h->typeflag : '0',
			 mode < 0 ? 0 : (unsigned int)mode & 07777, d, sz, arg);
		if (err)
			return err;
	}
	return 0;
}

int initrd_lookup(const char *path, const void **data, size_t *size)
{
	const struct ustar_header *h;
	char name[TAR_NAME_MAX + 1];
	const u8 *d;
	size_t off = 0, sz;

	path = skip_root(path);
	while (next_entry(&off, &h, &d, &sz) == 0) {
		if (!is_regular(h))
			continue;
		header_path(h, name);
		if (strcmp(name, path) == 0) {
			*data = d;
			*size = sz;
			return 0;
		}
	}
	return -ENOENT;
}

long initrd_list(char *buf, size_t size)
{
	const struct ustar_header *h;
	char name[TAR_NAME_MAX + 1];
	const u8 *d;
	size_t off = 0, sz, used = 0;

	while (next_entry(&off, &h, &d, &sz) == 0) {
		size_t len;

		if (!is_regular(h))
			continue;
		header_path(h, name);
		len = strlen(name);
		if (used + len + 2 > size)
			return -ERANGE;
		buf[used++] = '/';
		memcpy(buf + used, name, len + 1);
		used += len + 1;
	}
	return (long)used;
}

/*
 * sys_initrd_list - private call 1021 (include/uapi/private.h): copy the
 * NUL-terminated names of the initrd's files ("/bin/sh\0/bin/init\0...")
 * to the user buffer. Returns the bytes written (0: no initrd), -ERANGE
 * when size is too small for all of them, -EFAULT for a bad buffer,
 * -ENOMEM. No Linux counterpart.
 */
long sys_initrd_list(char __user *buf, size_t size)
{
	const struct ustar_header *h;
	char name[TAR_NAME_MAX + 1];
	const u8 *d;
	size_t off = 0, sz, need = 0;
	char *kbuf;
	long n;

	while (next_entry(&off, &h, &d, &sz) == 0)
		if (is_regular(h)) {
			header_path(h, name);
			need += strlen(name) + 2;
		}
	if (need == 0)
		return 0;
	if (size < need)
		return -ERANGE;
	kbuf = kmalloc(need);
	if (!kbuf)
		return -ENOMEM;
	n = initrd_list(kbuf, need);
	if (n >= 0 && copy_to_user(buf, kbuf, (size_t)n))
		n = -EFAULT;
	kfree(kbuf);
	return n;
}
