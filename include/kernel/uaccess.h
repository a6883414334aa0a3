/*
 * uaccess.h - moving data between the kernel and user memory
 * (kernel/uaccess.c), as Linux's <linux/uaccess.h>. A range is rejected
 * up front when it reaches outside the user half or wraps around; an
 * unmapped or protected user page is caught by the fault itself, through
 * the exception table (kernel/extable.c), so a bad pointer costs -EFAULT
 * and never an oops. With SMAP, each copy opens user access with stac and
 * closes it with clac.
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include <kernel/types.h>

#define __user

/* access_ok - true when [addr, addr + size) lies inside user space. */
bool access_ok(const void __user *addr, size_t size);

/* copy_from_user - returns 0, or -EFAULT (then dst is partly written). */
int copy_from_user(void *dst, const void __user *src, size_t size);

/* copy_to_user - returns 0, or -EFAULT. */
int copy_to_user(void __user *dst, const void *src, size_t size);

/*
 * strncpy_from_user - copy a NUL-terminated string of at most size - 1
 * characters. Returns its length, -EFAULT, or -ENAMETOOLONG when no NUL
 * was found within size bytes. Mirrors Linux's strncpy_from_user() except
 * that an over-long string is an error, never a silent cut.
 */
long strncpy_from_user(char *dst, const char __user *src, size_t size);

/* clear_user - zero size user bytes. Returns 0 or -EFAULT. */
int clear_user(void __user *dst, size_t size);

/* get_user_u64 / put_user_u64 / put_user_u32 - one value; 0 or -EFAULT. */
int get_user_u64(u64 *val, const void __user *src);
int put_user_u64(u64 val, void __user *dst);
int put_user_u32(u32 val, void __user *dst);

/* smap_init - enable SMEP and SMAP in CR4 when the CPU has them. */
void smap_init(void);

#endif
