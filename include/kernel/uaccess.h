/*
 * uaccess.h - moving data between the kernel and user memory
 * (kernel/uaccess.c), as Linux's <linux/uaccess.h>. A range is rejected
 * up front when it reaches beyond TASK_SIZE_MAX (the user half less its
 * last page, asm/memlayout.h) or wraps around; an
 * unmapped or protected user page is caught by the fault itself, through
 * the exception table (kernel/extable.c), so a bad pointer costs -EFAULT
 * and never an oops. With SMAP, each copy opens user access with stac and
 * closes it with clac.
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include <kernel/types.h>

#define __user

/*
 * access_ok - true when [addr, addr + size) lies inside user space (ends
 * at or below TASK_SIZE_MAX) without wrapping; size 0 too, so a system
 * call that checks its buffer this way fails with -EFAULT for a kernel
 * pointer even when it has no bytes to copy. Says nothing about what is
 * mapped there. Linux's access_ok() (6.1's __access_ok()).
 */
bool access_ok(const void __user *addr, size_t size);

/*
 * copy_from_user - copy size bytes from user src to kernel dst. Returns
 * the number of bytes NOT copied: 0 on success, size when the range is
 * bad (outside user space or wrapping), or the bytes left after a fault
 * part-way. The uncopied tail of dst is zeroed, so a caller never sees
 * stale kernel bytes. Linux's copy_from_user(); the usual caller reads
 * `if (copy_from_user(...)) return -EFAULT;`.
 */
unsigned long copy_from_user(void *dst, const void __user *src, size_t size);

/*
 * copy_to_user - copy size bytes from kernel src to user dst. Returns the
 * number of bytes NOT copied: 0 on success, size for a bad range, or the
 * bytes left after a fault part-way (the user bytes before it are
 * written). Linux's copy_to_user().
 */
unsigned long copy_to_user(void __user *dst, const void *src, size_t size);

/*
 * strncpy_from_user - copy a NUL-terminated user string into dst, at most
 * size bytes. Returns the string's length (without the NUL, which is
 * copied) when a NUL was found in the first size bytes; size when none
 * was (dst is then NOT NUL-terminated: callers treat it as too long); or
 * -EFAULT for a fault or an address at or above TASK_SIZE_MAX before the
 * NUL.
 * Linux's strncpy_from_user().
 */
long strncpy_from_user(char *dst, const char __user *src, size_t size);

/*
 * clear_user - zero size user bytes at dst. Returns the number of bytes
 * NOT cleared: 0 on success, size for a bad range, or the bytes left
 * after a fault part-way. Linux's clear_user().
 */
unsigned long clear_user(void __user *dst, size_t size);

/* The size of an FXSAVE image, the FPU and SSE registers (bytes). */
#define FX_USER_SIZE 512

/*
 * fxsave_to_user - fxsave64 the live FPU and SSE registers straight into
 * the FX_USER_SIZE bytes of user memory at dst, which must be 16-byte
 * aligned (the instruction's rule). Returns 0, or -EFAULT when dst is
 * outside user space or misaligned, or the write faulted and nothing
 * could map the page (the bytes before the fault may be written). No
 * bounce through a kernel buffer: Linux's copy_fpstate_to_sigframe()
 * saves to the signal frame the same way (fxsave_to_user_sigframe()).
 */
int fxsave_to_user(void __user *dst);

/*
 * fxrstor_from_user - fxrstor64 the live FPU and SSE registers straight
 * from the FX_USER_SIZE bytes of user memory at src (16-byte aligned).
 * Returns 0, or -EFAULT when src is outside user space or misaligned,
 * the read faulted and nothing could map the page, or the image is one
 * the CPU refuses (#GP: MXCSR reserved bits set); then the registers are
 * as they were, and a caller that wants to mend the image (mask MXCSR)
 * copies it in and loads it from there. Linux's
 * fxrstor_from_user_sigframe() (__restore_fpregs_from_user()).
 */
int fxrstor_from_user(const void __user *src);

/*
 * get_user_u64 / put_user_u64 / put_user_u32 - read or write one value
 * of user memory; 0 or -EFAULT (get_user_u64 then sets *val to 0).
 * Linux's get_user() / put_user(), with the size in the name instead of
 * taken from the pointer's type.
 */
int get_user_u64(u64 *val, const void __user *src);
int put_user_u64(u64 val, void __user *dst);
int put_user_u32(u32 val, void __user *dst);

/*
 * smap_init - enable SMEP and SMAP in CR4 when the CPU has them (one
 * console line says which), so the kernel faults on executing user pages
 * and, outside copies, on touching them. Linux's setup_smep()/setup_smap().
 */
void smap_init(void);

#endif
