/*
 * userfaultfd.h - userfaultfd(2)'s ABI, with Linux's numbers and layouts
 * (Linux's include/uapi/linux/userfaultfd.h, as of 6.1): the messages
 * read(2) returns and the ioctls. Shared by the kernel (fs/userfaultfd.c,
 * docs/userfaultfd.md) and the tests. Everything Linux defines is here,
 * so that a program written for Linux builds; what this kernel does with
 * it is in docs/userfaultfd.md (features and ioctls not implemented fail
 * with EINVAL, as on a Linux that lacks them).
 */
#ifndef UAPI_LINUX_USERFAULTFD_H
#define UAPI_LINUX_USERFAULTFD_H

#include <linux/types.h>

/* Linux's _IOC() encoding (include/uapi/asm-generic/ioctl.h), unless a
 * header defined it already. */
#ifndef _IOC
#define _IOC(dir, type, nr, size) \
	(((dir) << 30) | ((size) << 16) | ((type) << 8) | (nr))
#define _IOC_NONE	   0U
#define _IOC_WRITE	   1U
#define _IOC_READ	   2U
#define _IO(type, nr)	   _IOC(_IOC_NONE, (type), (nr), 0)
#define _IOR(type, nr, t)  _IOC(_IOC_READ, (type), (nr), sizeof(t))
#define _IOW(type, nr, t)  _IOC(_IOC_WRITE, (type), (nr), sizeof(t))
#define _IOWR(type, nr, t) _IOC(_IOC_READ | _IOC_WRITE, (type), (nr), sizeof(t))
#endif

/* clang-format off */
#define USERFAULTFD_IOC     0xAA
#define USERFAULTFD_IOC_NEW _IO(USERFAULTFD_IOC, 0x00)

#define UFFD_API ((__u64)0xAA)

#define _UFFDIO_REGISTER     (0x00)
#define _UFFDIO_UNREGISTER   (0x01)
#define _UFFDIO_WAKE	     (0x02)
#define _UFFDIO_COPY	     (0x03)
#define _UFFDIO_ZEROPAGE     (0x04)
#define _UFFDIO_WRITEPROTECT (0x06)
#define _UFFDIO_CONTINUE     (0x07)
#define _UFFDIO_API	     (0x3F)

#define UFFDIO 0xAA
#define UFFDIO_API	    _IOWR(UFFDIO, _UFFDIO_API, struct uffdio_api)
#define UFFDIO_REGISTER	    _IOWR(UFFDIO, _UFFDIO_REGISTER, struct uffdio_register)
#define UFFDIO_UNREGISTER   _IOR(UFFDIO, _UFFDIO_UNREGISTER, struct uffdio_range)
#define UFFDIO_WAKE	    _IOR(UFFDIO, _UFFDIO_WAKE, struct uffdio_range)
#define UFFDIO_COPY	    _IOWR(UFFDIO, _UFFDIO_COPY, struct uffdio_copy)
#define UFFDIO_ZEROPAGE	    _IOWR(UFFDIO, _UFFDIO_ZEROPAGE, struct uffdio_zeropage)
#define UFFDIO_WRITEPROTECT _IOWR(UFFDIO, _UFFDIO_WRITEPROTECT, struct uffdio_writeprotect)
#define UFFDIO_CONTINUE	    _IOWR(UFFDIO, _UFFDIO_CONTINUE, struct uffdio_continue)
/* clang-format on */

/* One event, as read(2) returns it: 32 bytes. */
struct uffd_msg {
	__u8 event; /* UFFD_EVENT_* */
	__u8 reserved1;
	__u16 reserved2;
	__u32 reserved3;
	union {
		struct {
			__u64 flags;   /* UFFD_PAGEFAULT_FLAG_* */
			__u64 address; /* page aligned, unless EXACT_ADDRESS */
			union {
				__u32 ptid; /* the faulting thread's id
					     * (UFFD_FEATURE_THREAD_ID) */
			} feat;
		} pagefault;
		struct {
			__u32 ufd;
		} fork;
		struct {
			__u64 from;
			__u64 to;
			__u64 len;
		} remap;
		struct {
			__u64 start;
			__u64 end;
		} remove;
		struct {
			__u64 reserved1;
			__u64 reserved2;
			__u64 reserved3;
		} reserved;
	} arg;
} __attribute__((packed));

#define UFFD_EVENT_PAGEFAULT 0x12
#define UFFD_EVENT_FORK	     0x13
#define UFFD_EVENT_REMAP     0x14
#define UFFD_EVENT_REMOVE    0x15
#define UFFD_EVENT_UNMAP     0x16

#define UFFD_PAGEFAULT_FLAG_WRITE (1 << 0) /* a write fault */
#define UFFD_PAGEFAULT_FLAG_WP	  (1 << 1) /* reason: VM_UFFD_WP */
#define UFFD_PAGEFAULT_FLAG_MINOR (1 << 2) /* reason: VM_UFFD_MINOR */

struct uffdio_api {
	__u64 api; /* UFFD_API */
	/* In: the features wanted; out: every feature the kernel has. */
#define UFFD_FEATURE_PAGEFAULT_FLAG_WP	(1 << 0)
#define UFFD_FEATURE_EVENT_FORK		(1 << 1)
#define UFFD_FEATURE_EVENT_REMAP	(1 << 2)
#define UFFD_FEATURE_EVENT_REMOVE	(1 << 3)
#define UFFD_FEATURE_MISSING_HUGETLBFS	(1 << 4)
#define UFFD_FEATURE_MISSING_SHMEM	(1 << 5)
#define UFFD_FEATURE_EVENT_UNMAP	(1 << 6)
#define UFFD_FEATURE_SIGBUS		(1 << 7)
#define UFFD_FEATURE_THREAD_ID		(1 << 8)
#define UFFD_FEATURE_MINOR_HUGETLBFS	(1 << 9)
#define UFFD_FEATURE_MINOR_SHMEM	(1 << 10)
#define UFFD_FEATURE_EXACT_ADDRESS	(1 << 11)
#define UFFD_FEATURE_WP_HUGETLBFS_SHMEM (1 << 12)
	__u64 features;
	__u64 ioctls; /* out: 1 << _UFFDIO_* of the fd's ioctls */
};

struct uffdio_range {
	__u64 start; /* bytes, page aligned */
	__u64 len;   /* bytes, page aligned, not 0 */
};

struct uffdio_register {
	struct uffdio_range range;
#define UFFDIO_REGISTER_MODE_MISSING ((__u64)1 << 0)
#define UFFDIO_REGISTER_MODE_WP	     ((__u64)1 << 1)
#define UFFDIO_REGISTER_MODE_MINOR   ((__u64)1 << 2)
	__u64 mode;
	/* Out: 1 << _UFFDIO_* of the ioctls the range takes (last: the
	 * kernel does not read it). */
	__u64 ioctls;
};

struct uffdio_copy {
	__u64 dst;
	__u64 src;
	__u64 len;
#define UFFDIO_COPY_MODE_DONTWAKE ((__u64)1 << 0)
#define UFFDIO_COPY_MODE_WP	  ((__u64)1 << 1)
	__u64 mode;
	/* Out: bytes copied, or -errno (last: not read). */
	__s64 copy;
};

struct uffdio_zeropage {
	struct uffdio_range range;
#define UFFDIO_ZEROPAGE_MODE_DONTWAKE ((__u64)1 << 0)
	__u64 mode;
	/* Out: bytes mapped, or -errno (last: not read). */
	__s64 zeropage;
};

struct uffdio_writeprotect {
	struct uffdio_range range;
#define UFFDIO_WRITEPROTECT_MODE_WP	  ((__u64)1 << 0)
#define UFFDIO_WRITEPROTECT_MODE_DONTWAKE ((__u64)1 << 1)
	__u64 mode;
};

struct uffdio_continue {
	struct uffdio_range range;
#define UFFDIO_CONTINUE_MODE_DONTWAKE ((__u64)1 << 0)
	__u64 mode;
	__s64 mapped;
};

/* userfaultfd(2)'s flag besides O_CLOEXEC and O_NONBLOCK: faults made
 * by the kernel (a user copy in a system call) are not handled. */
#define UFFD_USER_MODE_ONLY 1

#endif
