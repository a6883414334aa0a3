/*
 * sys.c - small system calls about the task and the machine (include/
 * kernel/syscalls.h), with Linux's semantics: ids, yielding, sleeping,
 * clocks, uname, arch_prctl, set_tid_address, and our private meminfo.
 */
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <kernel/time.h>
#include <mm/page_alloc.h>
#include <asm/cpu.h>
#include <asm/memlayout.h>
#include <asm/prctl.h>
#include <private.h>

#define CLOCK_REALTIME	       0
#define CLOCK_MONOTONIC	       1
#define CLOCK_MONOTONIC_RAW    4
#define CLOCK_REALTIME_COARSE  5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME	       7
#define CLOCK_TAI	       11
#define MSR_FS_BASE	       0xc0000100

/* sys_getpid - getpid(2): the process id, the thread group's. Never fails. */
long sys_getpid(void)
{
	return current->tgid;
}

/* sys_gettid - gettid(2): the calling thread's own id. Never fails. */
long sys_gettid(void)
{
	return current->pid;
}

/*
 * sys_getppid - getppid(2): the parent process's id (1 once init has
 * adopted the caller), 0 for a task without a parent. Never fails.
 */
long sys_getppid(void)
{
	return current->parent ? current->parent->tgid : 0;
}

/* sys_sched_yield - sched_yield(2): to the back of the run queue. Returns 0. */
long sys_sched_yield(void)
{
	yield();
	return 0;
}

/*
 * sys_sched_setaffinity - sched_setaffinity(2): let thread pid (0: the
 * caller) run only on the CPUs whose bits are set in the len-byte mask
 * at user_mask_ptr (bit n of long n / 64 is CPU n). Bytes beyond the
 * kernel's mask (8 bytes, NR_CPUS bits) are ignored; a shorter mask
 * counts as zeros beyond its end. If the thread's CPU is no longer
 * allowed it moves at once (the caller before this returns). Returns 0,
 * or -EFAULT, -ESRCH (no such thread), -EINVAL (no online CPU in the
 * mask; a kernel thread bound to its CPU). Linux's sched_setaffinity(2),
 * without permission checks or cpusets.
 */
long sys_sched_setaffinity(int pid, unsigned int len,
			   const unsigned long __user *user_mask_ptr)
{
	struct cpumask mask = CPU_MASK_NONE;

	if (copy_from_user(&mask, user_mask_ptr,
			   len < sizeof(mask) ? len : sizeof(mask)))
		return -EFAULT;
	mask.bits &= (1UL << NR_CPUS) - 1; /* CPUs that cannot exist */
	return sched_setaffinity(pid, &mask);
}

/*
 * sys_sched_getaffinity - sched_getaffinity(2), the system call: store
 * the mask of online CPUs thread pid (0: the caller) may run on at
 * user_mask_ptr. Returns the number of bytes stored, the size of the
 * kernel's mask (8), or -EINVAL (len smaller than that, or not a
 * multiple of sizeof(long)), -ESRCH, -EFAULT. The glibc wrapper returns
 * 0 instead and zeroes the rest of the caller's cpu_set_t. Linux's.
 */
long sys_sched_getaffinity(int pid, unsigned int len,
			   unsigned long __user *user_mask_ptr)
{
	struct cpumask mask;
	long ret;

	if (len < sizeof(mask) || (len & (sizeof(unsigned long) - 1)))
		return -EINVAL;
	ret = sched_getaffinity(pid, &mask);
	if (ret)
		return ret;
	if (copy_to_user(user_mask_ptr, &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

/*
 * sys_getcpu - getcpu(2): store the CPU the caller runs on at *cpu and
 * its NUMA node (always 0 here) at *node, each when not NULL. The answer
 * may be stale by the time the caller reads it, unless its affinity
 * allows one CPU. Returns 0 or -EFAULT. Linux's getcpu(2) (the third
 * argument, once a cache, is ignored as in Linux).
 */
long sys_getcpu(unsigned int __user *cpu, unsigned int __user *node,
		void __user *unused)
{
	unsigned long flags;
	unsigned int here;

	(void)unused;
	local_irq_save(flags);
	here = (unsigned int)smp_processor_id();
	local_irq_restore(flags);
	if (cpu && put_user_u32(here, cpu))
		return -EFAULT;
	if (node && put_user_u32(0, node))
		return -EFAULT;
	return 0;
}

/*
 * Sleep until end (ns on the monotonic clock), in whole ticks asleep,
 * until the TSC says the time is over: never shorter than asked, at most
 * a tick longer (Linux's hrtimers are exact; we have only the tick).
 * Never a busy wait: a sleeper that yielded through its last tick would
 * leave its CPU no idle time at all. A signal ends it with the time left
 * at rem (when not NULL) and -ERESTART_RESTARTBLOCK: -EINTR to a program
 * whose handler ran, else a restart through restart_syscall(2) that
 * sleeps until the same end. Linux's do_nanosleep().
 */
static long nanosleep_restart(struct restart_block *rb);

static long do_nanosleep(u64 end, struct timespec_k __user *rem)
{
	for (u64 now; (now = ktime_get_ns()) < end;) {
		u64 left = end - now; /* read the clock once: no underflow */

		/* The state first: a signal after the test wakes us. */
		current->state = TASK_INTERRUPTIBLE;
		if (signal_pending(current)) {
			struct restart_block *rb = &current->restart_block;

			current->state = TASK_RUNNING;
			if (rem) {
				struct timespec_k r = {
					(s64)(left / NSEC_PER_SEC),
					(s64)(left % NSEC_PER_SEC)
				};
				if (copy_to_user(rem, &r, sizeof(r)))
					return -EFAULT;
			}
			rb->fn = nanosleep_restart;
			rb->end = end;
			rb->rem = rem;
			return -ERESTART_RESTARTBLOCK;
		}
		/* Saturated (centuries): no timer, only a signal ends it,
		 * as for Linux's KTIME_MAX. */
		schedule_timeout(end == U64_MAX ?
					 MAX_SCHEDULE_TIMEOUT :
					 (long)nsecs_to_jiffies(left) + 1);
	}
	current->state = TASK_RUNNING;
	return 0;
}

static long nanosleep_restart(struct restart_block *rb)
{
	return do_nanosleep(rb->end, rb->rem);
}

/*
 * sys_nanosleep - nanosleep(2): sleep at least *req (do_nanosleep()).
 * Returns 0, or -EFAULT, -EINVAL (negative, or tv_nsec >= 10^9), and when
 * a signal's handler ran, -EINTR with the time left in *rem if rem is
 * not NULL. Linux's nanosleep(2).
 */
long sys_nanosleep(const struct timespec_k __user *req,
		   struct timespec_k __user *rem)
{
	struct timespec_k ts;

	if (copy_from_user(&ts, req, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	return do_nanosleep(ktime_add_timespec_sat(ktime_get_ns(), ts.tv_sec,
						   ts.tv_nsec),
			    rem);
}

/*
 * sys_clock_gettime - clock_gettime(2) for CLOCK_REALTIME,
 * CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME, CLOCK_TAI and the
 * two _COARSE clocks, which all read the TSC time since boot: no RTC is
 * read (the real-time epoch is the boot), nothing suspends (boot time is
 * monotonic time), no TAI offset is ever set (TAI is real time, as on a
 * Linux that no NTP daemon told the offset), and the coarse clocks read
 * the same clock at full resolution (Linux's read the last tick's time).
 * Returns 0, or -EINVAL (another clock; checked before tp), -EFAULT.
 * Linux's clock_gettime(2).
 */
long sys_clock_gettime(int clock, struct timespec_k __user *tp)
{
	u64 ns;
	struct timespec_k ts;

	switch (clock) {
	case CLOCK_REALTIME: /* no RTC read yet: the epoch is boot */
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
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

/*
 * sys_uname - uname(2): Linux's struct new_utsname (six 65-byte strings:
 * "POE", "poe", "0.1", ..., "x86_64", "(none)") to buf. Returns 0 or
 * -EFAULT. Linux's newuname().
 */
long sys_uname(void __user *buf)
{
	static const struct new_utsname u = {
		"POE",	  "poe",    "0.1", "#1 POE teaching kernel",
		"x86_64", "(none)",
	};

	return copy_to_user(buf, &u, sizeof(u)) ? -EFAULT : 0;
}

long do_arch_prctl_64(struct task *task, int option, unsigned long arg2)
{
	switch (option) {
	case ARCH_SET_FS:
		/* A user address, and not in the last page below the hole:
		 * wrmsr of a non-canonical base would #GP in the scheduler. */
		if (arg2 >= TASK_SIZE_MAX)
			return -EPERM;
		task->fsbase = arg2;
		if (task == current)
			wrmsr(MSR_FS_BASE, arg2);
		return 0;
	case ARCH_GET_FS:
		return put_user_u64(task->fsbase, (void __user *)arg2) ?
			       -EFAULT :
			       0;
	default:
		return -EINVAL;
	}
}

/*
 * sys_arch_prctl - arch_prctl(2): ARCH_SET_FS makes addr the FS base
 * (thread-local storage), ARCH_GET_FS stores the FS base at addr.
 * Returns 0, or -EPERM (addr at or above TASK_SIZE_MAX), -EFAULT,
 * -EINVAL (other codes). Linux's arch_prctl(2), FS only.
 */
long sys_arch_prctl(int code, unsigned long addr)
{
	return do_arch_prctl_64(current, code, addr);
}

/*
 * sys_set_tid_address - set_tid_address(2): at exit, zero the int at
 * tidptr and futex-wake it (as CLONE_CHILD_CLEARTID does). Returns the
 * caller's tid. Linux's set_tid_address(2).
 */
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
