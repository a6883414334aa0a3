/*
 * fuzz_initrd.c - libFuzzer harness for the initrd's ustar reader,
 * kernel/initrd.c compiled as it is: the input is the boot module.
 *
 * initrd_init() finds the module through boot_params and reads it
 * through the direct map (__va()); here boot_params is this file's, and
 * host_arena (tests/host/include/asm/memlayout.h) is NULL, so that
 * __va(pa) is pa and the module's "physical" address is simply where the
 * fuzzer's buffer is. The buffer is exactly the module, so
 * AddressSanitizer catches any read past its end.
 *
 * The checks, from include/kernel/initrd.h and the private call's
 * comment:
 *  - initrd_init() returns a file count >= 0 or -EINVAL, and after
 *    -EINVAL the initrd is empty (nothing listed, nothing found);
 *  - initrd_list() returns the bytes it used or -ERANGE, exactly when
 *    the buffer is too small; every name it writes starts with "/";
 *    there are as many names as initrd_init() counted files;
 *  - initrd_lookup() finds every listed name, and the file it returns
 *    lies inside the module; it finds nothing that is not listed;
 *  - sys_initrd_list() agrees with initrd_list(), and copies exactly
 *    what it returns (copy_to_user() and kmalloc() are faked here).
 */
#include <kernel/boot_params.h>
#include <kernel/errno.h>
#include <kernel/initrd.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <mm/kmalloc.h>
#include <stdlib.h>
#include <string.h>
#include "host_shim.h"
#include "fuzz.h"

struct boot_params boot_params;
char *host_arena; /* NULL: the direct map is the identity */

#define LIST_MAX (64 * 1024) /* bytes of names, at most */

/* The calls sys_initrd_list() makes, on the host. */
void *kmalloc(size_t size)
{
	return malloc(size);
}

void kfree(const void *p)
{
	free((void *)p);
}

unsigned long copy_to_user(void __user *dst, const void *src, size_t size)
{
	memcpy(dst, src, size);
	return 0;
}

static const uint8_t *mod; /* the module under test */
static size_t mod_size;

/* The file at name must exist and lie inside the module. */
static void check_lookup(const char *name)
{
	const void *data = NULL;
	size_t size = 0;
	const uint8_t *d;

	FUZZ_CHECK(initrd_lookup(name, &data, &size) == 0,
		   "listed file '%s' not found", name);
	d = data;
	FUZZ_CHECK(d >= mod && d <= mod + mod_size &&
			   size <= (size_t)(mod + mod_size - d),
		   "file '%s' [%zd, +%zu) outside the %zu-byte module", name,
		   (ssize_t)(d - mod), size, mod_size);
	/* Read it, so that AddressSanitizer checks the range too. */
	for (size_t i = 0; i < size; i++)
		(void)*(volatile const uint8_t *)(d + i);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init(argc, argv);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char list[LIST_MAX], ulist[LIST_MAX];
	const void *d;
	size_t sz, names = 0;
	long used, n;
	int files;

	mod = data;
	mod_size = size;
	memset(&boot_params, 0, sizeof(boot_params));
	boot_params.nr_modules = 1;
	boot_params.modules[0].start = (u64)(uintptr_t)data;
	boot_params.modules[0].end = (u64)(uintptr_t)data + size;
	strcpy(boot_params.modules[0].name, "fuzz");
	host_log_clear();

	files = initrd_init();
	FUZZ_CHECK(files >= 0 || files == -EINVAL, "initrd_init: %d", files);
	used = initrd_list(list, sizeof(list));
	if (used == -ERANGE)
		return 0; /* more names than LIST_MAX: nothing to compare */
	FUZZ_CHECK(used >= 0 && (size_t)used <= sizeof(list),
		   "initrd_list: %ld", used);
	if (files < 0) {
		FUZZ_CHECK(used == 0, "rejected archive lists %ld bytes", used);
		FUZZ_CHECK(initrd_lookup("/bin/init", &d, &sz) == -ENOENT,
			   "rejected archive has files");
	}
	for (long off = 0; off < used; names++) {
		const char *name = list + off;
		size_t len = strnlen(name, (size_t)(used - off));

		FUZZ_CHECK(off + (long)len < used, "name not NUL-terminated");
		FUZZ_CHECK(name[0] == '/', "name '%s' without a leading /",
			   name);
		check_lookup(name);
		check_lookup(name + 1); /* "bin/sh" names "/bin/sh" too */
		off += (long)len + 1;
	}
	FUZZ_CHECK(files < 0 || names == (size_t)files,
		   "initrd_init counted %d files, initrd_list gave %zu", files,
		   names);
	n = sys_initrd_list((char __user *)ulist, sizeof(ulist));
	FUZZ_CHECK(n == used && memcmp(list, ulist, (size_t)used) == 0,
		   "sys_initrd_list: %ld, initrd_list: %ld", n, used);
	/* One byte short must be -ERANGE, for both. */
	if (used > 0) {
		FUZZ_CHECK(initrd_list(ulist, (size_t)used - 1) == -ERANGE,
			   "initrd_list fits %ld bytes in %ld", used, used - 1);
		FUZZ_CHECK(sys_initrd_list((char __user *)ulist,
					   (size_t)used - 1) == -ERANGE,
			   "sys_initrd_list fits %ld bytes in %ld", used,
			   used - 1);
	}
	/* Longer than any ustar path (TAR_NAME_MAX): never in the archive. */
	memset(ulist, 'x', 300);
	ulist[300] = '\0';
	FUZZ_CHECK(initrd_lookup(ulist, &d, &sz) == -ENOENT,
		   "found a 300-byte name");
	return 0;
}
