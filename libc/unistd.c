/*
 * unistd.c - one wrapper per Linux system call (numbers from
 * include/uapi/asm/unistd.h, raw calls from syscall_arch.h), plus the few
 * calls built on them (execv, sleep, usleep, sbrk, wait, waitpid).
 * Each returns -1 and sets errno on failure, as glibc's do.
 */
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"
#include "syscall_arch.h"

#define RET(x) return __syscall_ret(x)

ssize_t read(int fd, void *buf, size_t count)
{
	RET(__syscall3(__NR_read, fd, (long)buf, (long)count));
}

ssize_t write(int fd, const void *buf, size_t count)
{
	RET(__syscall3(__NR_write, fd, (long)buf, (long)count));
}

int close(int fd)
{
	RET(__syscall1(__NR_close, fd));
}

void _exit(int status)
{
	for (;;)
		__syscall1(__NR_exit_group, status);
}

void _Exit(int status)
{
	_exit(status);
}

pid_t fork(void)
{
	__stdio_flush_all(); /* or both processes would print it */
	RET(__syscall0(__NR_fork));
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	RET(__syscall3(__NR_execve, (long)path, (long)argv, (long)envp));
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	RET(__syscall4(__NR_wait4, pid, (long)status, options, (long)ru));
}

int getrusage(int who, struct rusage *usage)
{
	RET(__syscall2(__NR_getrusage, who, (long)usage));
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return wait4(pid, status, options, NULL);
}

pid_t wait(int *status)
{
	return wait4(-1, status, 0, NULL);
}

int kill(pid_t pid, int sig)
{
	RET(__syscall2(__NR_kill, pid, sig));
}

pid_t getpid(void)
{
	return (pid_t)__syscall0(__NR_getpid);
}

pid_t getppid(void)
{
	return (pid_t)__syscall0(__NR_getppid);
}

pid_t gettid(void)
{
	return (pid_t)__syscall0(__NR_gettid);
}

int sched_yield(void)
{
	RET(__syscall0(__NR_sched_yield));
}

int __sched_cpucount(size_t setsize, const cpu_set_t *set)
{
	int n = 0;

	for (size_t i = 0; i < setsize / sizeof(unsigned long); i++)
		for (unsigned long w = set->__bits[i]; w; w &= w - 1)
			n++;
	return n;
}

int sched_setaffinity(pid_t pid, size_t setsize, const cpu_set_t *mask)
{
	RET(__syscall3(__NR_sched_setaffinity, pid, (long)setsize, (long)mask));
}

int sched_getaffinity(pid_t pid, size_t setsize, cpu_set_t *mask)
{
	long ret = __syscall3(__NR_sched_getaffinity, pid, (long)setsize,
			      (long)mask);

	if (ret < 0)
		RET(ret);
	/* The kernel filled ret bytes; the rest of the caller's set means
	 * "no such CPU". */
	memset((char *)mask + ret, 0, setsize - (size_t)ret);
	return 0;
}

int sched_getcpu(void)
{
	unsigned int cpu;
	long ret = __syscall3(__NR_getcpu, (long)&cpu, 0, 0);

	if (ret < 0)
		RET(ret);
	return (int)cpu;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	RET(__syscall2(__NR_nanosleep, (long)req, (long)rem));
}

unsigned int sleep(unsigned int seconds)
{
	struct timespec ts = { .tv_sec = seconds, .tv_nsec = 0 };

	if (nanosleep(&ts, &ts) == 0)
		return 0;
	return (unsigned int)ts.tv_sec + (ts.tv_nsec > 0);
}

int usleep(useconds_t usec)
{
	struct timespec ts = {
		.tv_sec = usec / 1000000,
		.tv_nsec = (long)(usec % 1000000) * 1000,
	};
	return nanosleep(&ts, NULL);
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	RET(__syscall2(__NR_clock_gettime, clk, (long)ts));
}

time_t time(time_t *t)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return (time_t)-1;
	if (t)
		*t = ts.tv_sec;
	return ts.tv_sec;
}

int uname(struct utsname *buf)
{
	RET(__syscall1(__NR_uname, (long)buf));
}

int personality(unsigned long persona)
{
	/* The kernel takes an unsigned int: 0xffffffff queries. */
	RET(__syscall1(__NR_personality, (long)(unsigned int)persona));
}

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	return (void *)__syscall_ret(__syscall6(__NR_mmap, (long)addr,
						(long)length, prot, flags, fd,
						offset));
}

int munmap(void *addr, size_t length)
{
	RET(__syscall2(__NR_munmap, (long)addr, (long)length));
}

int mprotect(void *addr, size_t length, int prot)
{
	RET(__syscall3(__NR_mprotect, (long)addr, (long)length, prot));
}

int madvise(void *addr, size_t length, int advice)
{
	RET(__syscall3(__NR_madvise, (long)addr, (long)length, advice));
}

void *mremap(void *old_address, size_t old_size, size_t new_size, int flags,
	     ...)
{
	void *new_address = NULL;
	va_list ap;

	/* The fifth argument exists only with MREMAP_FIXED or
	 * MREMAP_DONTUNMAP, as glibc reads it. */
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
		va_start(ap, flags);
		new_address = va_arg(ap, void *);
		va_end(ap);
	}
	return (void *)__syscall_ret(__syscall5(__NR_mremap, (long)old_address,
						(long)old_size, (long)new_size,
						flags, (long)new_address));
}

int msync(void *addr, size_t length, int flags)
{
	RET(__syscall3(__NR_msync, (long)addr, (long)length, flags));
}

int mincore(void *addr, size_t length, unsigned char *vec)
{
	RET(__syscall3(__NR_mincore, (long)addr, (long)length, (long)vec));
}

int mlock(const void *addr, size_t len)
{
	RET(__syscall2(__NR_mlock, (long)addr, (long)len));
}

int mlock2(const void *addr, size_t len, unsigned int flags)
{
	RET(__syscall3(__NR_mlock2, (long)addr, (long)len, (long)flags));
}

int munlock(const void *addr, size_t len)
{
	RET(__syscall2(__NR_munlock, (long)addr, (long)len));
}

int mlockall(int flags)
{
	RET(__syscall1(__NR_mlockall, flags));
}

int munlockall(void)
{
	RET(__syscall0(__NR_munlockall));
}

/*
 * The raw brk call returns the new break, or the unchanged old one when
 * it cannot move it (Linux); brk(0) asks for the current break.
 */
static unsigned long cur_brk;

int brk(void *addr)
{
	unsigned long r = (unsigned long)__syscall1(__NR_brk, (long)addr);

	cur_brk = r;
	if (r < (unsigned long)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void *sbrk(intptr_t increment)
{
	unsigned long old, want;

	if (!cur_brk)
		cur_brk = (unsigned long)__syscall1(__NR_brk, 0);
	old = cur_brk;
	if (increment == 0)
		return (void *)old;
	want = old + increment;
	if ((increment > 0 && want < old) || (increment < 0 && want > old)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	cur_brk = (unsigned long)__syscall1(__NR_brk, (long)want);
	if (cur_brk != want) {
		errno = ENOMEM;
		return (void *)-1;
	}
	return (void *)old;
}

int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	va_list ap;
	pid_t *ptid, *ctid;
	void *tls;

	va_start(ap, arg);
	ptid = va_arg(ap, pid_t *);
	tls = va_arg(ap, void *);
	ctid = va_arg(ap, pid_t *);
	va_end(ap);
	if (!fn || !stack) {
		errno = EINVAL;
		return -1;
	}
	if (!(flags & CLONE_VM))
		__stdio_flush_all(); /* a copied buffer would print twice */
	return (int)__syscall_ret(
		__clone(fn, stack, flags, arg, ptid, tls, ctid));
}

/*
 * syscall - the generic call: always reads six arguments (the extra ones
 * are whatever the caller's registers held, which the kernel ignores).
 */
long syscall(long number, ...)
{
	va_list ap;
	long a, b, c, d, e, f;

	va_start(ap, number);
	a = va_arg(ap, long);
	b = va_arg(ap, long);
	c = va_arg(ap, long);
	d = va_arg(ap, long);
	e = va_arg(ap, long);
	f = va_arg(ap, long);
	va_end(ap);
	RET(__syscall6(number, a, b, c, d, e, f));
}
