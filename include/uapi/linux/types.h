/*
 * types.h - the fixed-width types of Linux's uapi headers (Linux's
 * include/uapi/asm-generic/int-ll64.h), for the structures our uapi
 * headers share with Linux (linux/userfaultfd.h). Programs built against
 * glibc get the system's own <linux/types.h> with the same sizes.
 */
#ifndef UAPI_LINUX_TYPES_H
#define UAPI_LINUX_TYPES_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;

#endif
