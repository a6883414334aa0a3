/*
 * mman.h - mmap(2), mprotect(2) and madvise(2) constants with Linux's
 * values (asm-generic/mman-common.h, asm/mman.h): one list for the kernel
 * (include/mm/mman.h) and libc (libc/include/sys/mman.h).
 */
#ifndef UAPI_ASM_MMAN_H
#define UAPI_ASM_MMAN_H

#define PROT_NONE      0x0
#define PROT_READ      0x1
#define PROT_WRITE     0x2
#define PROT_EXEC      0x4
#define PROT_SEM       0x8 /* accepted by mprotect, means nothing on x86 */
/* mprotect only: extend the change to the start (end) of a VMA that grows
 * down (up) */
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP   0x02000000

#define MAP_SHARED	    0x01
#define MAP_PRIVATE	    0x02
#define MAP_SHARED_VALIDATE 0x03 /* for files only: -EINVAL here */
#define MAP_TYPE	    0x0f /* mask of the sharing type */
#define MAP_FIXED	    0x10
#define MAP_ANONYMOUS	    0x20
#define MAP_32BIT	    0x40
#define MAP_GROWSDOWN	    0x0100
#define MAP_DENYWRITE	    0x0800
#define MAP_EXECUTABLE	    0x1000
#define MAP_LOCKED	    0x2000
#define MAP_NORESERVE	    0x4000
#define MAP_POPULATE	    0x8000
#define MAP_NONBLOCK	    0x10000
#define MAP_STACK	    0x20000
#define MAP_HUGETLB	    0x40000
#define MAP_FIXED_NOREPLACE 0x100000

#define MAP_FAILED ((void *)-1)

#define MADV_NORMAL	    0
#define MADV_RANDOM	    1
#define MADV_SEQUENTIAL	    2
#define MADV_WILLNEED	    3
#define MADV_DONTNEED	    4
#define MADV_FREE	    8
#define MADV_HUGEPAGE	    14 /* this range may get 2 MiB pages (THP) */
#define MADV_NOHUGEPAGE	    15 /* this range gets no 2 MiB pages */
#define MADV_POPULATE_READ  22 /* fault pages in as a read would (6.1) */
#define MADV_POPULATE_WRITE 23 /* fault pages in as a write would (6.1) */

/* mremap(2) flags */
#define MREMAP_MAYMOVE	 1
#define MREMAP_FIXED	 2
#define MREMAP_DONTUNMAP 4 /* Linux 5.7 */

/* msync(2) flags */
#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC	      4

/* mlockall(2) and mlock2(2) flags */
#define MCL_CURRENT   1
#define MCL_FUTURE    2
#define MCL_ONFAULT   4 /* Linux 4.4 */
#define MLOCK_ONFAULT 1 /* mlock2(2) */

#endif
