/*
 * stat.h - Linux's struct statx, 256 bytes, as statx(2) fills it, and
 * its mask bits (Linux's include/uapi/linux/stat.h). The kernel's
 * (fs/stat.c); our libc has no statx() wrapper.
 */
#ifndef UAPI_LINUX_STAT_H
#define UAPI_LINUX_STAT_H

/* stx_mask bits: which fields hold a value (Linux's). */
#define STATX_TYPE	  0x00000001U
#define STATX_MODE	  0x00000002U
#define STATX_NLINK	  0x00000004U
#define STATX_UID	  0x00000008U
#define STATX_GID	  0x00000010U
#define STATX_ATIME	  0x00000020U
#define STATX_MTIME	  0x00000040U
#define STATX_CTIME	  0x00000080U
#define STATX_INO	  0x00000100U
#define STATX_SIZE	  0x00000200U
#define STATX_BLOCKS	  0x00000400U
#define STATX_BASIC_STATS 0x000007ffU /* the fields of struct stat */
#define STATX_BTIME	  0x00000800U
#define STATX__RESERVED	  0x80000000U /* never valid in a request */

#ifndef __ASSEMBLER__
struct statx_timestamp {
	long long tv_sec;
	unsigned int tv_nsec;
	int __reserved;
};

struct statx {
	unsigned int stx_mask;	  /* STATX_* the kernel filled */
	unsigned int stx_blksize; /* bytes */
	unsigned long long stx_attributes;
	unsigned int stx_nlink;
	unsigned int stx_uid;
	unsigned int stx_gid;
	unsigned short stx_mode;
	unsigned short __spare0[1];
	unsigned long long stx_ino;
	unsigned long long stx_size;   /* bytes */
	unsigned long long stx_blocks; /* 512-byte blocks */
	unsigned long long stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	unsigned int stx_rdev_major, stx_rdev_minor;
	unsigned int stx_dev_major, stx_dev_minor;
	unsigned long long stx_mnt_id;
	unsigned int stx_dio_mem_align, stx_dio_offset_align;
	unsigned long long __spare3[12];
};
#endif

#endif
