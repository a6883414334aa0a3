/*
 * uaccess.c - copying between kernel and user memory
 * (include/kernel/uaccess.h), as Linux's arch/x86/lib/usercopy_64.c and
 * copy_user_64.S. A range is first checked with access_ok(); the copy
 * itself is one `rep movsb` (or a byte load) listed in the exception table
 * (kernel/extable.c), so a fault on an unmapped or protected user page
 * resumes after the instruction with the bytes left in RCX, which the
 * copy returns as Linux's do. With SMAP on (smap_init()), every access runs between
 * stac and clac; arch/x86_64/fault.c calls fixup_exception() for kernel
 * faults.
 */
#include <kernel/errno.h>
#include <kernel/extable.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/uaccess.h>
#include <asm/cpu.h>
#include <asm/memlayout.h>

static bool smap_enabled; /* CR4.SMAP is set: bracket with stac/clac */

/* stac/clac as bytes, so that any assembler takes them. */
static inline void user_access_begin(void)
{
	if (smap_enabled)
		__asm__ __volatile__(".byte 0x0f,0x01,0xcb" ::
					     : "memory"); /* stac */
}

static inline void user_access_end(void)
{
	if (smap_enabled)
		__asm__ __volatile__(".byte 0x0f,0x01,0xca" ::
					     : "memory"); /* clac */
}

bool access_ok(const void __user *addr, size_t size)
{
	unsigned long a = (unsigned long)addr;

	/* Linux's __access_ok(): the range ends at or below TASK_SIZE_MAX,
	 * so a zero-length range may start at TASK_SIZE_MAX itself. */
	return size <= TASK_SIZE_MAX && a <= TASK_SIZE_MAX - size;
}

/*
 * raw_copy - rep movsb from src to dst, either of which may be a user
 * address. Returns the number of bytes NOT copied (0 on success): on a
 * fault the CPU leaves RCX at the bytes remaining, and the exception
 * table resumes right after the instruction.
 */
static size_t raw_copy(void *dst, const void *src, size_t n)
{
	user_access_begin();
	__asm__ __volatile__("1:	rep movsb\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : "+D"(dst), "+S"(src), "+c"(n)
			     :
			     : "memory");
	user_access_end();
	return n;
}

unsigned long copy_from_user(void *dst, const void __user *src, size_t size)
{
	size_t left = size;

	if (access_ok(src, size))
		left = raw_copy(dst, (const void *)src, size);
	/* As Linux: never hand back stale kernel bytes in the uncopied tail. */
	if (left)
		memset((char *)dst + (size - left), 0, left);
	return left;
}

unsigned long copy_to_user(void __user *dst, const void *src, size_t size)
{
	if (!access_ok(dst, size))
		return size;
	return raw_copy((void *)dst, src, size);
}

unsigned long clear_user(void __user *dst, size_t size)
{
	void *d = (void *)dst;

	if (!access_ok(dst, size))
		return size;
	user_access_begin();
	__asm__ __volatile__("1:	rep stosb\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : "+D"(d), "+c"(size)
			     : "a"(0)
			     : "memory");
	user_access_end();
	return size;
}

/* An FXSAVE image in user memory: in user space, 16-byte aligned. */
static bool fx_user_ok(const void __user *p)
{
	return access_ok(p, FX_USER_SIZE) && !((unsigned long)p & 15);
}

int fxsave_to_user(void __user *dst)
{
	int err = 0;

	if (!fx_user_ok(dst))
		return -EFAULT;
	user_access_begin();
	__asm__ __volatile__("1:	fxsave64 (%1)\n"
			     "2:\n"
			     ".pushsection .text.fixup, \"ax\"\n"
			     "3:	movl %2, %0\n"
			     "	jmp 2b\n"
			     ".popsection\n" _ASM_EXTABLE(1b, 3b)
			     : "+r"(err)
			     : "r"(dst), "i"(-EFAULT)
			     : "memory");
	user_access_end();
	return err;
}

int fxrstor_from_user(const void __user *src)
{
	int err = 0;

	if (!fx_user_ok(src))
		return -EFAULT;
	user_access_begin();
	__asm__ __volatile__("1:	fxrstor64 (%1)\n"
			     "2:\n"
			     ".pushsection .text.fixup, \"ax\"\n"
			     "3:	movl %2, %0\n"
			     "	jmp 2b\n"
			     ".popsection\n" _ASM_EXTABLE(1b, 3b)
			     : "+r"(err)
			     : "r"(src), "i"(-EFAULT)
			     : "memory");
	user_access_end();
	return err;
}

/* One user byte; 0 or -EFAULT. Runs inside user_access_begin/end. */
static inline int get_user_byte(char *val, const char __user *src)
{
	int err = 0;
	char v = 0;

	__load_nofault(v, src, err);
	*val = v;
	return err;
}

long strncpy_from_user(char *dst, const char __user *src, size_t size)
{
	unsigned long a = (unsigned long)src;
	long ret = (long)size; /* no NUL in size bytes: Linux returns size */

	/* Only the bytes below TASK_SIZE_MAX can be read (Linux's limit);
	 * a fault ends the scan. */
	if (a >= TASK_SIZE_MAX)
		return -EFAULT;
	user_access_begin();
	for (size_t i = 0; i < size; i++) {
		char c;

		if (a + i >= TASK_SIZE_MAX || get_user_byte(&c, src + i)) {
			ret = -EFAULT;
			break;
		}
		dst[i] = c;
		if (!c) {
			ret = (long)i;
			break;
		}
	}
	user_access_end();
	return ret;
}

int get_user_u64(u64 *val, const void __user *src)
{
	/* On a fault copy_from_user() zeroes *val, as Linux's get_user(). */
	return copy_from_user(val, src, sizeof(*val)) ? -EFAULT : 0;
}

int put_user_u64(u64 val, void __user *dst)
{
	return copy_to_user(dst, &val, sizeof(val)) ? -EFAULT : 0;
}

int put_user_u32(u32 val, void __user *dst)
{
	return copy_to_user(dst, &val, sizeof(val)) ? -EFAULT : 0;
}

void smap_init(void)
{
	unsigned long cr4 = read_cr4();

	if (boot_cpu.has_smep)
		cr4 |= X86_CR4_SMEP;
	if (boot_cpu.has_smap)
		cr4 |= X86_CR4_SMAP;
	write_cr4(cr4);
	smap_enabled = boot_cpu.has_smap;
	pr_info("x86: SMEP %s, SMAP %s\n",
		boot_cpu.has_smep ? "enabled" : "not supported",
		boot_cpu.has_smap ? "enabled" : "not supported");
}
