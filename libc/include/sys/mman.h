/*
 * sys/mman.h - memory mappings, with Linux's constant values
 * (asm-generic/mman-common.h, asm/mman.h).
 */
#ifndef _SYS_MMAN_H
#define _SYS_MMAN_H

#include <sys/types.h>

#include <asm/mman.h>	/* the constants, shared with the kernel */

#define MAP_ANON		MAP_ANONYMOUS

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
int munmap(void *addr, size_t length);
int mprotect(void *addr, size_t length, int prot);
int madvise(void *addr, size_t length, int advice);

#endif
