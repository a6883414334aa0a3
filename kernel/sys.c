/*
 * sys.c - small system calls about the task and the machine (include/
 * kernel/syscalls.h), with Linux's semantics: ids (every process is
 * root's), yielding, sleeping, clocks, uname, sysinfo, arch_prctl,
 * prctl, set_tid_address, rseq (refused), sync, reboot (powers off), and
 * our private meminfo.
 */
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <kernel/time.h>
#include <mm/page_alloc.h>
#include <asm/cpu.h>
#include <asm/memlayout.h>
#include <asm/power.h>
#include <asm/prctl.h>
#include <private.h>

#define CLOCK_REALTIME		 0
#define CLOCK_MONOTONIC		 1
#define CLOCK_MONOTONIC_RAW	 4
#define CLOCK_REALTIME_COARSE	 5
#define CLOCK_MONOTONIC_COARSE	 6
#define CLOCK_BOOTTIME		 7
#define CLOCK_TAI		 11
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID	 3
#define MSR_FS_BASE		 0xc0000100
#define TIMER_ABSTIME		 1 /* clock_nanosleep: req is a time, not a span */

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

/*
 * sys_getuid, sys_geteuid, sys_getgid, sys_getegid - getuid(2) and its
 * kin: the real and effective user and group ids, always 0: this kernel
 * has no users, and every process runs as root (as init does on Linux).
 * Never fail.
 */
long sys_getuid(void)
{
	return 0;
}

long sys_geteuid(void)
{
	return 0;
}

long sys_getgid(void)
{
	return 0;
}

long sys_getegid(void)
{
	return 0;
}

/* The three ids of getresuid(2)/getresgid(2), all 0, to user memory. */
static long put_three_ids(unsigned int __user *a, unsigned int __user *b,
			  unsigned int __user *c)
{
	/* Linux's order: real, effective, saved, stopping at a fault. */
	if (put_user_u32(0, a) || put_user_u32(0, b) || put_user_u32(0, c))
		return -EFAULT;
	return 0;
}

/*
 * sys_getresuid - getresuid(2): the real, effective and saved user ids
 * (all 0, root) to *ruid, *euid, *suid. Returns 0 or -EFAULT. Linux's.
 */
long sys_getresuid(unsigned int __user *ruid, unsigned int __user *euid,
		   unsigned int __user *suid)
{
	return put_three_ids(ruid, euid, suid);
}

/*
 * sys_getresgid - getresgid(2): the real, effective and saved group ids
 * (all 0) to *rgid, *egid, *sgid. Returns 0 or -EFAULT. Linux's.
 */
long sys_getresgid(unsigned int __user *rgid, unsigned int __user *egid,
		   unsigned int __user *sgid)
{
	return put_three_ids(rgid, egid, sgid);
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

/* The clocks this kernel reads (all the TSC time since boot, as
 * sys_clock_gettime() says). */
static bool clock_known(int clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
		return true;
	default:
		return false;
	}
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

	/* CLOCK_REALTIME too: no RTC read yet, the epoch is boot. */
	if (!clock_known(clock))
		return -EINVAL;
	ns = ktime_get_ns();
	ts.tv_sec = (s64)(ns / NSEC_PER_SEC);
	ts.tv_nsec = (s64)(ns % NSEC_PER_SEC);
	return copy_to_user(tp, &ts, sizeof(ts)) ? -EFAULT : 0;
}

/*
 * sys_clock_getres - clock_getres(2): the resolution of clock to *tp
 * when tp is not NULL: 1 ns for every clock sys_clock_gettime() reads,
 * the coarse ones included (they read the TSC here, Linux's the tick).
 * Returns 0, -EINVAL (another clock) or -EFAULT. Linux's.
 */
long sys_clock_getres(int clock, struct timespec_k __user *tp)
{
	static const struct timespec_k one_ns = { 0, 1 };

	if (!clock_known(clock))
		return -EINVAL;
	if (tp && copy_to_user(tp, &one_ns, sizeof(one_ns)))
		return -EFAULT;
	return 0;
}

/*
 * sys_clock_nanosleep - clock_nanosleep(2): sleep on clock until the
 * time *req (flags & TIMER_ABSTIME) or for the span *req, at least that
 * long and at most a tick longer. Other flag bits are ignored, as Linux
 * does. Returns 0, or in Linux's order: -EINVAL (a clock Linux does not
 * have), -EOPNOTSUPP (a clock that
 * cannot sleep: MONOTONIC_RAW, the coarse ones, the process CPU clock,
 * which this kernel does not keep), -EFAULT, -EINVAL (negative, or
 * tv_nsec >= 10^9), -EINTR when a signal's handler ran, with the time
 * left in *rem for a relative sleep when rem is not NULL (without a
 * handler the sleep goes on to the same end, do_nanosleep()). CLOCK_REALTIME, MONOTONIC,
 * BOOTTIME and TAI are one clock here, the time since boot. Linux's
 * sys_clock_nanosleep() and common_nsleep(); the C library returns the
 * error number itself rather than setting errno.
 */
long sys_clock_nanosleep(int clock, int flags,
			 const struct timespec_k __user *req,
			 struct timespec_k __user *rem)
{
	struct timespec_k ts;
	u64 end;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
		break;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
	if (copy_from_user(&ts, req, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	if (flags & TIMER_ABSTIME)
		return do_nanosleep(ktime_add_timespec_sat(0, ts.tv_sec,
							   ts.tv_nsec),
				    NULL);
	end = ktime_add_timespec_sat(ktime_get_ns(), ts.tv_sec, ts.tv_nsec);
	return do_nanosleep(end, rem);
}

/*
 * sys_gettimeofday - gettimeofday(2): CLOCK_REALTIME (here the time
 * since boot) in seconds and microseconds to *tv, and a zero struct
 * timezone (minutes west of Greenwich, DST type) to *tz, each when not
 * NULL. Returns 0 or -EFAULT. Linux's.
 */
long sys_gettimeofday(struct __kernel_old_timeval __user *tv, void __user *tz)
{
	static const int zero_tz[2];

	if (tv) {
		u64 ns = ktime_get_ns();
		struct __kernel_old_timeval v = {
			(long)(ns / NSEC_PER_SEC),
			(long)(ns % NSEC_PER_SEC / 1000),
		};

		if (copy_to_user(tv, &v, sizeof(v)))
			return -EFAULT;
	}
	if (tz && copy_to_user(tz, zero_tz, sizeof(zero_tz)))
		return -EFAULT;
	return 0;
}

/*
 * sys_time - time(2): CLOCK_REALTIME's seconds (here since boot), also
 * stored at *tloc when tloc is not NULL. Returns them, or -EFAULT.
 * Linux's.
 */
long sys_time(long __user *tloc)
{
	long t = (long)(ktime_get_ns() / NSEC_PER_SEC);

	if (tloc && put_user_u64((u64)t, tloc))
		return -EFAULT;
	return t;
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

/* Linux's struct sysinfo on x86-64: 112 bytes. */
struct sysinfo {
	long uptime;		/* seconds since boot */
	unsigned long loads[3]; /* 1, 5, 15 min load averages, << 16 */
	unsigned long totalram; /* in mem_unit bytes, as the rest */
	unsigned long freeram;
	unsigned long sharedram;
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	unsigned short procs; /* tasks */
	unsigned short pad;
	unsigned long totalhigh; /* no highmem on x86-64 */
	unsigned long freehigh;
	unsigned int mem_unit;
	char _f[20 - 2 * sizeof(long) - sizeof(int)];
};
_Static_assert(sizeof(struct sysinfo) == 112,
	       "struct sysinfo: Linux's x86-64 layout is 112 bytes");

/*
 * sys_sysinfo - sysinfo(2): uptime (seconds since boot, a started second
 * counting whole, as Linux's do_sysinfo() rounds up), totalram (the
 * pages the page allocator manages) and freeram (its free pages), procs
 * (tasks alive, kernel threads included, as Linux's nr_threads), all
 * memory in bytes with mem_unit 1 (what Linux reports on 64-bit). Zero:
 * the load averages (the scheduler keeps none), shared and buffer
 * memory, swap and high memory (none). Returns 0 or -EFAULT. Linux's
 * sysinfo(2), kernel/sys.c do_sysinfo().
 */
long sys_sysinfo(void __user *info)
{
	struct sysinfo si;
	u64 ns = ktime_get_ns();
	unsigned long tasks = nr_tasks();

	memset(&si, 0, sizeof(si));
	si.uptime = (long)(ns / NSEC_PER_SEC + (ns % NSEC_PER_SEC ? 1 : 0));
	si.totalram = nr_managed_pages() * PAGE_SIZE;
	si.freeram = nr_free_pages() * PAGE_SIZE;
	si.procs = (unsigned short)(tasks > 0xffff ? 0xffff : tasks);
	si.mem_unit = 1;
	return copy_to_user(info, &si, sizeof(si)) ? -EFAULT : 0;
}

/*
 * sys_rseq - rseq(2), restartable sequences: not implemented, -ENOSYS
 * for every call, without a console line (the unknown-call note would
 * come from every glibc program: glibc registers an rseq area at start
 * and goes on without one when the kernel says ENOSYS, as on a Linux
 * before 4.18).
 */
long sys_rseq(void __user *rseq, u32 rseq_len, int flags, u32 sig)
{
	(void)rseq;
	(void)rseq_len;
	(void)flags;
	(void)sig;
	return -ENOSYS;
}

#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_SET_NAME	15
#define PR_GET_NAME	16

/*
 * sys_prctl - prctl(2), the options a C library or busybox asks for:
 * PR_SET_NAME (the thread's name, comm: up to 15 bytes of the string at
 * arg2, cut there, as Linux), PR_GET_NAME (comm, 16 bytes with its NUL,
 * to arg2), PR_GET_DUMPABLE (1: there are no core dumps, but nothing
 * forbids one either) and PR_SET_DUMPABLE (0 or 1 accepted, nothing
 * kept). Returns 0 (PR_GET_DUMPABLE: 1), -EFAULT, or -EINVAL for any
 * other option or value, as Linux answers an option it does not know.
 * Linux's prctl(2), kernel/sys.c.
 */
long sys_prctl(int option, unsigned long arg2, unsigned long arg3,
	       unsigned long arg4, unsigned long arg5)
{
	char comm[TASK_COMM_LEN];

	(void)arg3;
	(void)arg4;
	(void)arg5;
	switch (option) {
	case PR_SET_NAME:
		memset(comm, 0, sizeof(comm));
		/* Linux's: at most sizeof(comm) - 1 bytes, cut there */
		if (strncpy_from_user(comm, (const char __user *)arg2,
				      sizeof(comm) - 1) < 0)
			return -EFAULT;
		set_task_comm(current, comm);
		return 0;
	case PR_GET_NAME:
		memset(comm, 0, sizeof(comm));
		memcpy(comm, current->comm, sizeof(comm) - 1);
		return copy_to_user((void __user *)arg2, comm, sizeof(comm)) ?
			       -EFAULT :
			       0;
	case PR_GET_DUMPABLE:
		return 1;
	case PR_SET_DUMPABLE:
		return arg2 <= 1 ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

/*
 * sys_getgroups - getgroups(2): the caller's supplementary groups, none
 * (every process is root's, in group 0 alone). Returns 0, or -EINVAL
 * for a negative size. Linux's.
 */
long sys_getgroups(int size, unsigned int __user *list)
{
	(void)list;
	return size < 0 ? -EINVAL : 0;
}

/*
 * sys_sync - sync(2): write every file system's dirty data back; there
 * is nothing to write back (no storage). Returns 0, as Linux's always
 * does.
 */
long sys_sync(void)
{
	return 0;
}

#define LINUX_REBOOT_MAGIC1	   0xfee1dead
#define LINUX_REBOOT_MAGIC2	   672274793
#define LINUX_REBOOT_MAGIC2A	   85072278
#define LINUX_REBOOT_MAGIC2B	   369367448
#define LINUX_REBOOT_MAGIC2C	   537993216
#define LINUX_REBOOT_CMD_RESTART   0x01234567
#define LINUX_REBOOT_CMD_HALT	   0xcdef0123
#define LINUX_REBOOT_CMD_CAD_ON	   0x89abcdef
#define LINUX_REBOOT_CMD_CAD_OFF   0x00000000
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc

/*
 * sys_reboot - reboot(2): with Linux's magic numbers, POWER_OFF, HALT
 * and RESTART all power the machine off with exit code 0 (QEMU runs with
 * -no-reboot, and the test runner reads the exit code: a restart would
 * look like a crash), after Linux's console line; CAD_ON and CAD_OFF are
 * accepted (there is no Ctrl-Alt-Del). Like Linux, nothing is synced
 * first (there is nothing to sync): `poweroff -f` works as on Linux.
 * Returns -EINVAL for wrong magic or another command, else does not
 * return. The caller is root with CAP_SYS_BOOT, so never -EPERM. Linux's
 * reboot(2), kernel/reboot.c.
 */
long sys_reboot(int magic1, int magic2, unsigned int cmd, void __user *arg)
{
	(void)arg;
	if ((unsigned int)magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	case LINUX_REBOOT_CMD_RESTART:
		printk(KERN_EMERG "reboot: Restarting system (powering off "
				  "instead: QEMU runs with -no-reboot)\n");
		machine_exit(0);
	case LINUX_REBOOT_CMD_HALT:
		printk(KERN_EMERG "reboot: System halted\n");
		machine_exit(0);
	case LINUX_REBOOT_CMD_POWER_OFF:
		printk(KERN_EMERG "reboot: Power down\n");
		machine_exit(0);
	default:
		return -EINVAL;
	}
}
