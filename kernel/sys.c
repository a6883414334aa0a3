/*
 * sys.c - small system calls about the task and the machine (include/
 * kernel/syscalls.h), with Linux's semantics: ids, yielding, sleeping,
 * clocks, uname, arch_prctl, set_tid_address, and our private meminfo.
 */
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <kernel/time.h>
#include <mm/page_alloc.h>
#include <asm/cpu.h>
#include <private.h>

#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_MONOTONIC_RAW	4
#define ARCH_SET_FS		0x1002
#define ARCH_GET_FS		0x1003
#define MSR_FS_BASE		0xc0000100

long sys_getpid(void)
{
	return current->tgid;
}

long sys_gettid(void)
{
	return current->pid;
}

long sys_getppid(void)
{
	return current->parent ? current->parent->tgid : 0;
}

long sys_sched_yield(void)
{
	yield();
	return 0;
}

long sys_nanosleep(const struct timespec_k __user *req, struct timespec_k __user *rem)
{
	struct timespec_k ts;
	u64 end;

	if (copy_from_user(&ts, req, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	end = ktime_get_ns() + (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
	/* Sleep in ticks, then finish on the TSC: never shorter than asked. */
	for (u64 now; (now = ktime_get_ns()) < end;) {
		u64 left = end - now;	/* read the clock once: no underflow */

		if (current->pending_kill) {
			if (rem) {
				struct timespec_k r = { (s64)(left / NSEC_PER_SEC),
							(s64)(left % NSEC_PER_SEC) };
				if (copy_to_user(rem, &r, sizeof(r)))
					return -EFAULT;
			}
			return -EINTR;
		}
		if (left >= 1000000000ULL / HZ)
			schedule_timeout((long)(left * HZ / NSEC_PER_SEC));
		else
			yield();
	}
	return 0;
}

long sys_clock_gettime(int clock, struct timespec_k __user *tp)
{
	u64 ns;
	struct timespec_k ts;

	switch (clock) {
	case CLOCK_REALTIME:		/* no RTC read yet: the epoch is boot */
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
		ns = ktime_get_ns();
		break;
	default:
		return -EINVAL;
	}
	ts.tv_sec = (s64)(ns / NSEC_PER_SEC);
	ts.tv_nsec = (s64)(ns % NSEC_PER_SEC);
	return copy_to_user(tp, &ts, sizeof(ts)) ? -EFAULT : 0;
}

struct new_utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65],
	     domainname[65];
};

long sys_uname(void __user *buf)
{
	static const struct new_utsname u = {
		"POE", "poe", "0.1", "#1 POE teaching kernel", "x86_64", "(none)",
	};

	return copy_to_user(buf, &u, sizeof(u)) ? -EFAULT : 0;
}

long sys_arch_prctl(int code, unsigned long addr)
{
	switch (code) {
	case ARCH_SET_FS:
		if (addr >= 0x0000800000000000UL)
			return -EPERM;		/* not a user address */
		current->fsbase = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		return put_user_u64(current->fsbase, (void __user *)addr) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}

long sys_set_tid_address(int __user *tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}

/*
 * sys_meminfo - private call 1020 (include/uapi/private.h): copy struct
 * meminfo (free and managed pages, tasks alive) to info. Returns 0 or
 * -EFAULT. No Linux counterpart (Linux's sysinfo(2) counts bytes, and
 * /proc/meminfo is text).
 */
long sys_meminfo(void __user *info)
{
	struct meminfo mi = {
		.free_pages = nr_free_pages(),
		.managed_pages = nr_managed_pages(),
		.nr_tasks = nr_tasks(),
	};

	return copy_to_user(info, &mi, sizeof(mi)) ? -EFAULT : 0;
}
