/*
 * resource.c - resource limits: getrlimit(2), setrlimit(2), prlimit(2)
 * (include/kernel/resource.h), with Linux's resources, defaults, checks
 * and errors (kernel/sys.c: do_prlimit(), sys_prlimit64(); the defaults
 * of include/asm-generic/resource.h, INIT_RLIMITS).
 *
 * The limits are kept and reported; this kernel enforces none of them
 * yet (a program that lowers RLIMIT_AS can still map more). Where the
 * kernel has no limit of its own the default is RLIM_INFINITY; where
 * Linux's default is a number that programs look at (RLIMIT_STACK's 8
 * MiB soft limit, which glibc and musl size thread stacks by;
 * RLIMIT_NOFILE's 1024/4096, which decides how many fds a program
 * expects), it is Linux's number. RLIMIT_NPROC and RLIMIT_SIGPENDING,
 * which Linux sizes from memory at boot, are infinite here: neither is
 * counted.
 *
 * Every thread of a process holds the same copy (struct task's rlim);
 * a change is made to all of them under tasks_lock. Linux keeps one
 * copy in signal_struct.
 */
#include <kernel/errno.h>
#include <kernel/resource.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>

#define MIB	(1024ULL * 1024)
#define NR_OPEN (1024 * 1024) /* Linux's sysctl_nr_open default */
#define INF	RLIM_INFINITY

/* Linux's INIT_RLIMITS (asm-generic/resource.h), as init gets them. */
static const struct rlimit64 init_rlimits[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { INF, INF },
	[RLIMIT_FSIZE] = { INF, INF },
	[RLIMIT_DATA] = { INF, INF },
	[RLIMIT_STACK] = { 8 * MIB, INF }, /* _STK_LIM */
	[RLIMIT_CORE] = { 0, INF },
	[RLIMIT_RSS] = { INF, INF },
	[RLIMIT_NPROC] = { INF, INF },	  /* not counted here */
	[RLIMIT_NOFILE] = { 1024, 4096 }, /* INR_OPEN_CUR, INR_OPEN_MAX */
	[RLIMIT_MEMLOCK] = { 8 * MIB, 8 * MIB }, /* MLOCK_LIMIT */
	[RLIMIT_AS] = { INF, INF },
	[RLIMIT_LOCKS] = { INF, INF },
	[RLIMIT_SIGPENDING] = { INF, INF },	/* not counted here */
	[RLIMIT_MSGQUEUE] = { 819200, 819200 }, /* MQ_BYTES_MAX */
	[RLIMIT_NICE] = { 0, 0 },
	[RLIMIT_RTPRIO] = { 0, 0 },
	[RLIMIT_RTTIME] = { INF, INF },
};

void rlimit_init(struct task *t)
{
	memcpy(t->rlim, init_rlimits, sizeof(t->rlim));
}

/*
 * Linux's capable(CAP_SYS_RESOURCE): every process here runs as root
 * with every capability (getuid() is 0), so it may raise a hard limit.
 */
static bool capable_sys_resource(void)
{
	return true;
}

/*
 * Linux's do_prlimit(), with the look-up of sys_prlimit64(): resource's
 * limits of process pid (0: the caller's), the old ones to *old_rlim,
 * then *new_rlim as the new ones (each when not NULL). -ESRCH for no
 * such process, -EINVAL for a resource out of range or a soft limit
 * above the hard one, -EPERM for RLIMIT_NOFILE above NR_OPEN or a hard
 * limit raised without CAP_SYS_RESOURCE. All under tasks_lock, so that
 * the task cannot be freed under us.
 */
static long do_prlimit(int pid, unsigned int resource,
		       const struct rlimit64 *new_rlim,
		       struct rlimit64 *old_rlim)
{
	struct task *tsk = current, *t;
	unsigned long flags;
	long ret = 0;

	spin_lock_irqsave(&tasks_lock, flags);
	if (pid) {
		tsk = find_task_locked(pid);
		if (!tsk || (tsk->flags & PF_KTHREAD) ||
		    tsk->state == TASK_DEAD)
			ret = -ESRCH;
	}
	if (!ret && resource >= RLIM_NLIMITS)
		ret = -EINVAL;
	if (!ret && new_rlim) {
		if (new_rlim->rlim_cur > new_rlim->rlim_max)
			ret = -EINVAL;
		else if (resource == RLIMIT_NOFILE &&
			 new_rlim->rlim_max > NR_OPEN)
			ret = -EPERM;
		else if (new_rlim->rlim_max > tsk->rlim[resource].rlim_max &&
			 !capable_sys_resource())
			ret = -EPERM;
	}
	if (!ret && old_rlim)
		*old_rlim = tsk->rlim[resource];
	if (!ret && new_rlim)
		list_for_each_entry(t, &all_tasks, tasks)
			if (t->tgid == tsk->tgid && !(t->flags & PF_KTHREAD))
				t->rlim[resource] = *new_rlim;
	spin_unlock_irqrestore(&tasks_lock, flags);
	return ret;
}

/*
 * sys_getrlimit - getrlimit(2): resource's soft and hard limits of the
 * calling process to *rlim (struct rlimit: two unsigned longs, as
 * struct rlimit64 on x86-64). Returns 0, -EINVAL (no such resource) or
 * -EFAULT. Linux's getrlimit.
 */
long sys_getrlimit(unsigned int resource, struct rlimit64 __user *rlim)
{
	struct rlimit64 old;
	long ret = do_prlimit(0, resource, NULL, &old);

	if (!ret && copy_to_user(rlim, &old, sizeof(old)))
		ret = -EFAULT;
	return ret;
}

/*
 * sys_setrlimit - setrlimit(2): make *rlim resource's limits for the
 * calling process, every thread. Returns 0, -EFAULT (read first, as
 * Linux does), -EINVAL (no such resource; soft above hard), -EPERM
 * (RLIMIT_NOFILE above 1048576; raising the hard limit without
 * CAP_SYS_RESOURCE, which cannot happen here: we are root). Linux's
 * setrlimit.
 */
long sys_setrlimit(unsigned int resource, const struct rlimit64 __user *rlim)
{
	struct rlimit64 new;

	if (copy_from_user(&new, rlim, sizeof(new)))
		return -EFAULT;
	return do_prlimit(0, resource, &new, NULL);
}

/*
 * sys_prlimit64 - prlimit(2): get and/or set resource's limits of
 * process pid (0: the caller's), the old ones to *old_rlim, *new_rlim
 * the new ones, each when not NULL. Errors in Linux's order: -EFAULT
 * reading new_rlim, -ESRCH (no such pid), then do_prlimit()'s (-EINVAL,
 * -EPERM, as setrlimit), then -EFAULT writing old_rlim (the new limits
 * are set by then, as on Linux). No permission check: every process is
 * root's. Linux's sys_prlimit64().
 */
long sys_prlimit64(int pid, unsigned int resource,
		   const struct rlimit64 __user *new_rlim,
		   struct rlimit64 __user *old_rlim)
{
	struct rlimit64 new, old;
	long ret;

	if (new_rlim && copy_from_user(&new, new_rlim, sizeof(new)))
		return -EFAULT;
	ret = do_prlimit(pid, resource, new_rlim ? &new : NULL,
			 old_rlim ? &old : NULL);
	if (!ret && old_rlim && copy_to_user(old_rlim, &old, sizeof(old)))
		ret = -EFAULT;
	return ret;
}
