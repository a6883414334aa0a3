/*
 * sys/mman.h - memory mappings, with Linux's constant values
 * (asm-generic/mman-common.h, asm/mman.h).
 */
#ifndef _SYS_MMAN_H
#define _SYS_MMAN_H

#include <sys/types.h>

#include <asm/mman.h> /* the constants, shared with the kernel */

#define MAP_ANON MAP_ANONYMOUS

/*
 * mmap - map length bytes (rounded up to pages) at a kernel-chosen address
 * (addr a hint, or exact with MAP_FIXED); returns the address, or
 * MAP_FAILED with errno (EINVAL, ENOMEM, EEXIST for MAP_FIXED_NOREPLACE).
 * munmap, mprotect, madvise - unmap, change the protection of, or advise
 * on the pages of [addr, addr + length); 0, or -1 with errno (EINVAL for
 * an unaligned addr; ENOMEM for an unmapped range, where Linux says so).
 * Linux's semantics, man 2 mmap etc.; what the kernel supports:
 * docs/syscalls.md.
 */
void *mmap(void *addr, size_t length, int prot, int flags, int fd,
	   off_t offset);
int munmap(void *addr, size_t length);
int mprotect(void *addr, size_t length, int prot);
int madvise(void *addr, size_t length, int advice);

/*
 * mremap - resize (MREMAP_MAYMOVE: or move) the mapping at old_address;
 * with MREMAP_FIXED or MREMAP_DONTUNMAP a fifth argument, the new
 * address. Returns the address, or MAP_FAILED with errno. msync,
 * mincore, mlock, mlock2, munlock, mlockall, munlockall: 0, or -1 with
 * errno. Linux's semantics, man 2 mremap etc.; docs/syscalls.md.
 */
void *mremap(void *old_address, size_t old_size, size_t new_size, int flags,
	     ...);
int msync(void *addr, size_t length, int flags);
int mincore(void *addr, size_t length, unsigned char *vec);
int mlock(const void *addr, size_t len);
int mlock2(const void *addr, size_t len, unsigned int flags);
int munlock(const void *addr, size_t len);
int mlockall(int flags);
int munlockall(void);

#endif
