/*
 * t_errno - the boundary cases of the system calls, one table row each:
 * the call, its arguments, and what Linux answers (a value, any child's
 * pid, or -1 with an errno). The same rows run on this kernel and on
 * Linux and must get the same answers there: bad pointers (NULL, kernel
 * half, non-canonical, the last page below the canonical hole that Linux
 * never maps), bad flags, bad fds, zero lengths, and the order in which
 * Linux checks them when several are wrong at once.
 *
 * Not here: mmap, mprotect, madvise, munmap and execve (t_mm_*, t_efault),
 * brk (t_mm_brk, t_brk_gap), and calls whose answer depends on the
 * machine.
 *
 * Every call goes through syscall() with Linux's x86-64 numbers, so that
 * neither libc checks or rewrites an argument first; clone goes through
 * raw_clone() below, whose child exits before it touches memory.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_errno"
#include "utest.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

/* Linux's x86-64 numbers: glibc's <sys/syscall.h> and ours name only some
 * of them. */
enum {
	NR_read = 0,
	NR_write = 1,
	NR_pipe = 22,
	NR_nanosleep = 35,
	NR_getpid = 39,
	NR_clone = 56,
	NR_exit = 60,
	NR_wait4 = 61,
	NR_kill = 62,
	NR_uname = 63,
	NR_getrusage = 98,
	NR_syslog = 103,
	NR_arch_prctl = 158,
	NR_gettid = 186,
	NR_futex = 202,
	NR_sched_setaffinity = 203,
	NR_sched_getaffinity = 204,
	NR_clock_gettime = 228,
	NR_getcpu = 309,
};

/* <linux/sched.h>, <linux/futex.h>, <asm/prctl.h> values. */
#define C_VM		 0x00000100UL
#define C_SIGHAND	 0x00000800UL
#define C_PIDFD		 0x00001000UL
#define C_PTRACE	 0x00002000UL
#define C_VFORK		 0x00004000UL
#define C_THREAD	 0x00010000UL
#define C_SETTLS	 0x00080000UL
#define C_PARENT_SETTID	 0x00100000UL
#define C_CHILD_CLEARTID 0x00200000UL
#define C_DETACHED	 0x00400000UL
#define C_UNTRACED	 0x00800000UL
#define C_CHILD_SETTID	 0x01000000UL
#define C_IO		 0x80000000UL
#define C_THREADS	 (C_VM | C_SIGHAND | C_THREAD) /* a thread: all three */
#define F_WAIT		 0
#define F_WAKE		 1
#define F_LOCK_PI	 6
#define F_WAIT_BITSET	 9
#define F_PRIVATE	 128
#define F_CLOCK_RT	 256
#define A_SET_FS	 0x1002
#define A_GET_FS	 0x1003
#define CLK_MONOTONIC	 1

/* Addresses no call may use. TOP is Linux's TASK_SIZE_MAX: the last page
 * below the canonical hole, which Linux never maps and whose addresses
 * access_ok() and arch_prctl(ARCH_SET_FS) refuse. */
#define KPTR	 0xffffffff80000000UL /* the kernel image */
#define NONCANON 0x0000800000000000UL
#define TOP	 0x00007ffffffff000UL
#define UNMAPPED 0x1000UL /* below mmap_min_addr: never mapped */

enum expect {
	K_VALUE,
	K_CHILD,
	K_ERROR
};

struct row {
	const char *what; /* the call as a reader would write it */
	long nr;
	unsigned long a[6];
	enum expect kind; /* returns ret; a child's id (> 0); or fails */
	long ret;
	int err; /* ERROR: -1 with this errno */
};

#define V(r) K_VALUE, (r), 0  /* returns r */
#define KID  K_CHILD, 0, 0    /* a child (> 0), which exits with 0 */
#define E(e) K_ERROR, -1, (e) /* -1, errno e */
#define ROW(nr, what, kind, ...)                \
	{                                       \
		what, nr, { __VA_ARGS__ }, kind \
	}

/*
 * raw_clone - clone(2) with Linux's x86-64 argument order. The child
 * calls exit(0) at once, in the same asm, so that it never touches the
 * stack it may share with its parent (newsp is 0). Returns the child's id
 * or -errno.
 */
static long raw_clone(unsigned long flags, unsigned long ptid,
		      unsigned long ctid, unsigned long tls)
{
	register unsigned long r10 __asm__("r10") = ctid;
	register unsigned long r8 __asm__("r8") = tls;
	long ret;

	__asm__ __volatile__("syscall\n\t"
			     "test %%rax, %%rax\n\t"
			     "jnz 1f\n\t"
			     "mov %[nr_exit], %%eax\n\t"
			     "xor %%edi, %%edi\n\t"
			     "syscall\n\t"
			     "1:"
			     : "=a"(ret)
			     : "0"((long)NR_clone), "D"(flags), "S"(0UL),
			       "d"(ptid), "r"(r10),
			       "r"(r8), [nr_exit] "i"(NR_exit)
			     : "rcx", "r11", "memory");
	return ret;
}

/* A pid that no process has: a child's, reaped. */
static long dead_pid(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, &st, 0);
	return pid;
}

/* An fd open for reading, that a 0-byte read answers at once: here fds
 * 0-2 are the console; on Linux stdin may be closed, so a pipe (ENOSYS
 * here). */
static long readable_fd(void)
{
	int p[2];

	if (syscall(NR_pipe, p) == 0)
		return p[0];
	return 0;
}

static const int ro_word = 1; /* in .rodata: a word that is read-only */

int main(void)
{
	static char buf[256];
	static unsigned long cpumask[16]; /* 1024 CPUs: more than any here */
	static int fword;		  /* a futex word holding 0 */
	static const unsigned long zeros[16];
	static const struct timespec ts_zero = { 0, 0 },
				     ts_nsec_big = { 0, 1000000000 },
				     ts_nsec_neg = { 0, -1 },
				     ts_sec_neg = { -1, 0 };
	unsigned long b = (unsigned long)buf, w = (unsigned long)&fword;
	unsigned long w1 = w + 1; /* misaligned */
	unsigned long ro = (unsigned long)&ro_word, none, fs = 0;
	unsigned long mask = (unsigned long)cpumask;
	unsigned long zmask = (unsigned long)zeros;
	long rfd = readable_fd(), dead = dead_pid(), self = getpid();
	void *p;

	p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	none = (unsigned long)p;
	CHECK_EQ(syscall(NR_arch_prctl, A_GET_FS, &fs), 0);
	CHECK_EQ(syscall(NR_sched_getaffinity, 0, sizeof(cpumask), cpumask) > 0,
		 1);
	CHECK(dead > 0);
	/* syslog: a buffer, and something in it (the boot's messages). */
	CHECK(syscall(NR_syslog, 10, 0, 0) > 0); /* SIZE_BUFFER */
	CHECK(syscall(NR_syslog, 3, buf, (long)sizeof(buf)) > 0);
	CHECK(syscall(NR_syslog, 3, buf, (long)sizeof(buf)) <=
	      (long)sizeof(buf));
	CHECK(syscall(NR_syslog, 9, 0, 0) >= 0); /* SIZE_UNREAD */

	const struct row rows[] = {
		/* read: fd first, then access_ok() on the buffer, even for 0
		 * bytes (vfs_read()); a 0-byte read of a good buffer is 0. */
		ROW(NR_read, "read(1000, buf, 1)", E(EBADF), 1000, b, 1),
		ROW(NR_read, "read(-1, buf, 1)", E(EBADF), -1UL, b, 1),
		ROW(NR_read, "read(1000, KPTR, 0)", E(EBADF), 1000, KPTR, 0),
		ROW(NR_read, "read(fd, KPTR, 0)", E(EFAULT), rfd, KPTR, 0),
		ROW(NR_read, "read(fd, NONCANON, 0)", E(EFAULT), rfd, NONCANON,
		    0),
		ROW(NR_read, "read(fd, TOP + 0x800, 0)", E(EFAULT), rfd,
		    TOP + 0x800, 0),
		ROW(NR_read, "read(fd, KPTR, 1)", E(EFAULT), rfd, KPTR, 1),
		ROW(NR_read, "read(fd, NONCANON - 8, 16)", E(EFAULT), rfd,
		    NONCANON - 8, 16),
		ROW(NR_read, "read(fd, buf, SIZE_MAX)", E(EFAULT), rfd, b,
		    SIZE_MAX),
		ROW(NR_read, "read(fd, buf, 0)", V(0), rfd, b, 0),
		ROW(NR_read, "read(fd, NULL, 0)", V(0), rfd, 0, 0),

		/* write: the same order as read. */
		ROW(NR_write, "write(1000, buf, 1)", E(EBADF), 1000, b, 1),
		ROW(NR_write, "write(-1, buf, 1)", E(EBADF), -1UL, b, 1),
		ROW(NR_write, "write(1, KPTR, 0)", E(EFAULT), 1, KPTR, 0),
		ROW(NR_write, "write(1, TOP + 0x800, 0)", E(EFAULT), 1,
		    TOP + 0x800, 0),
		ROW(NR_write, "write(1, NULL, 1)", E(EFAULT), 1, 0, 1),
		ROW(NR_write, "write(1, TOP - 8, 16)", E(EFAULT), 1, TOP - 8,
		    16),
		ROW(NR_write, "write(1, buf, SIZE_MAX)", E(EFAULT), 1, b,
		    SIZE_MAX),
		ROW(NR_write, "write(1, buf, 0)", V(0), 1, b, 0),
		ROW(NR_write, "write(1, NULL, 0)", V(0), 1, 0, 0),

		/* nanosleep: the copy, then timespec64_valid(); rem is
		 * written only when a signal cuts the sleep short. */
		ROW(NR_nanosleep, "nanosleep(NULL, NULL)", E(EFAULT), 0, 0),
		ROW(NR_nanosleep, "nanosleep(KPTR, NULL)", E(EFAULT), KPTR, 0),
		ROW(NR_nanosleep, "nanosleep({0, 1e9}, NULL)", E(EINVAL),
		    (unsigned long)&ts_nsec_big, 0),
		ROW(NR_nanosleep, "nanosleep({0, -1}, NULL)", E(EINVAL),
		    (unsigned long)&ts_nsec_neg, 0),
		ROW(NR_nanosleep, "nanosleep({-1, 0}, NULL)", E(EINVAL),
		    (unsigned long)&ts_sec_neg, 0),
		ROW(NR_nanosleep, "nanosleep({0, 0}, KPTR)", V(0),
		    (unsigned long)&ts_zero, KPTR),

		/* clock_gettime: the clock first. */
		ROW(NR_clock_gettime, "clock_gettime(100, buf)", E(EINVAL), 100,
		    b),
		ROW(NR_clock_gettime, "clock_gettime(100, NULL)", E(EINVAL),
		    100, 0),
		ROW(NR_clock_gettime, "clock_gettime(MONOTONIC, NULL)",
		    E(EFAULT), CLK_MONOTONIC, 0),
		ROW(NR_clock_gettime, "clock_gettime(MONOTONIC, KPTR)",
		    E(EFAULT), CLK_MONOTONIC, KPTR),
		ROW(NR_clock_gettime, "clock_gettime(REALTIME_COARSE, buf)",
		    V(0), 5, b),
		ROW(NR_clock_gettime, "clock_gettime(MONOTONIC_COARSE, buf)",
		    V(0), 6, b),
		ROW(NR_clock_gettime, "clock_gettime(BOOTTIME, buf)", V(0), 7,
		    b),
		ROW(NR_clock_gettime, "clock_gettime(TAI, buf)", V(0), 11, b),

		ROW(NR_uname, "uname(NULL)", E(EFAULT), 0),
		ROW(NR_uname, "uname(KPTR)", E(EFAULT), KPTR),

		/* arch_prctl: ARCH_SET_FS takes user addresses below
		 * TASK_SIZE_MAX only (do_arch_prctl_64()). */
		ROW(NR_arch_prctl, "arch_prctl(0, 0)", E(EINVAL), 0, 0),
		ROW(NR_arch_prctl, "arch_prctl(ARCH_GET_FS, NULL)", E(EFAULT),
		    A_GET_FS, 0),
		ROW(NR_arch_prctl, "arch_prctl(ARCH_GET_FS, KPTR)", E(EFAULT),
		    A_GET_FS, KPTR),
		ROW(NR_arch_prctl, "arch_prctl(ARCH_SET_FS, KPTR)", E(EPERM),
		    A_SET_FS, KPTR),
		ROW(NR_arch_prctl, "arch_prctl(ARCH_SET_FS, NONCANON)",
		    E(EPERM), A_SET_FS, NONCANON),
		ROW(NR_arch_prctl, "arch_prctl(ARCH_SET_FS, TOP)", E(EPERM),
		    A_SET_FS, TOP),
		ROW(NR_arch_prctl, "arch_prctl(ARCH_SET_FS, fs)", V(0),
		    A_SET_FS, fs),

		ROW(NR_getcpu, "getcpu(NULL, NULL, NULL)", V(0), 0, 0, 0),
		ROW(NR_getcpu, "getcpu(KPTR, NULL, NULL)", E(EFAULT), KPTR, 0,
		    0),
		ROW(NR_getcpu, "getcpu(NULL, KPTR, NULL)", E(EFAULT), 0, KPTR,
		    0),
		ROW(NR_getcpu, "getcpu(buf, buf + 8, KPTR)", V(0), b, b + 8,
		    KPTR),

		/* sched_{get,set}affinity: the length, the copy, then the
		 * pid. */
		ROW(NR_sched_getaffinity, "sched_getaffinity(0, 0, mask)",
		    E(EINVAL), 0, 0, mask),
		ROW(NR_sched_getaffinity, "sched_getaffinity(0, 4, mask)",
		    E(EINVAL), 0, 4, mask),
		ROW(NR_sched_getaffinity, "sched_getaffinity(0, 124, mask)",
		    E(EINVAL), 0, 124, mask),
		ROW(NR_sched_getaffinity, "sched_getaffinity(0, 128, NULL)",
		    E(EFAULT), 0, 128, 0),
		ROW(NR_sched_getaffinity, "sched_getaffinity(dead, 128, mask)",
		    E(ESRCH), dead, 128, mask),
		ROW(NR_sched_getaffinity, "sched_getaffinity(-1, 128, mask)",
		    E(ESRCH), -1UL, 128, mask),
		ROW(NR_sched_setaffinity, "sched_setaffinity(0, 128, NULL)",
		    E(EFAULT), 0, 128, 0),
		ROW(NR_sched_setaffinity, "sched_setaffinity(0, 128, zeros)",
		    E(EINVAL), 0, 128, zmask),
		ROW(NR_sched_setaffinity, "sched_setaffinity(0, 0, mask)",
		    E(EINVAL), 0, 0, mask),
		ROW(NR_sched_setaffinity, "sched_setaffinity(dead, 128, mask)",
		    E(ESRCH), dead, 128, mask),

		/* futex: the timeout first (sys_futex()), then the op and
		 * FUTEX_CLOCK_REALTIME (do_futex(): FUTEX_WAIT takes no
		 * clock), then the address (get_futex_key(): alignment,
		 * access_ok(), and for a shared futex a page that is
		 * there), then the value. */
		ROW(NR_futex, "futex(w, WAIT, 1, NULL)", E(EAGAIN), w, F_WAIT,
		    1, 0),
		ROW(NR_futex, "futex(w, WAIT, 0, {0, 0})", E(ETIMEDOUT), w,
		    F_WAIT, 0, (unsigned long)&ts_zero),
		ROW(NR_futex, "futex(w, WAIT, 0, {0, 1e9})", E(EINVAL), w,
		    F_WAIT, 0, (unsigned long)&ts_nsec_big),
		ROW(NR_futex, "futex(w, WAIT, 0, {-1, 0})", E(EINVAL), w,
		    F_WAIT, 0, (unsigned long)&ts_sec_neg),
		ROW(NR_futex, "futex(w, WAIT, 0, KPTR)", E(EFAULT), w, F_WAIT,
		    0, KPTR),
		ROW(NR_futex, "futex(w + 1, WAIT, 0, KPTR)", E(EFAULT), w1,
		    F_WAIT, 0, KPTR),
		ROW(NR_futex, "futex(w + 1, WAIT, 0, NULL)", E(EINVAL), w1,
		    F_WAIT, 0, 0),
		ROW(NR_futex, "futex(NULL, WAIT, 0, NULL)", E(EFAULT), 0,
		    F_WAIT, 0, 0),
		ROW(NR_futex, "futex(KPTR, WAIT, 0, NULL)", E(EFAULT), KPTR,
		    F_WAIT, 0, 0),
		ROW(NR_futex, "futex(PROT_NONE, WAIT, 0, NULL)", E(EFAULT),
		    none, F_WAIT, 0, 0),
		ROW(NR_futex, "futex(ro, WAIT, 0, NULL)", E(EAGAIN), ro, F_WAIT,
		    0, 0),
		ROW(NR_futex, "futex(w, WAIT | CLOCK_RT, 1, NULL)", E(ENOSYS),
		    w, F_WAIT | F_CLOCK_RT, 1, 0),
		ROW(NR_futex, "futex(w, WAIT | PRIVATE | CLOCK_RT, 1, NULL)",
		    E(ENOSYS), w, F_WAIT | F_PRIVATE | F_CLOCK_RT, 1, 0),
		ROW(NR_futex, "futex(w, WAIT | CLOCK_RT, 1, {0, 1e9})",
		    E(EINVAL), w, F_WAIT | F_CLOCK_RT, 1,
		    (unsigned long)&ts_nsec_big),
		ROW(NR_futex, "futex(w + 1, WAIT | CLOCK_RT, 1, NULL)",
		    E(ENOSYS), w1, F_WAIT | F_CLOCK_RT, 1, 0),
		ROW(NR_futex, "futex(w, WAKE, 1)", V(0), w, F_WAKE, 1),
		ROW(NR_futex, "futex(w, WAKE | PRIVATE, 0)", V(0), w,
		    F_WAKE | F_PRIVATE, 0),
		ROW(NR_futex, "futex(w, WAKE | CLOCK_RT, 1)", E(ENOSYS), w,
		    F_WAKE | F_CLOCK_RT, 1),
		ROW(NR_futex, "futex(UNMAPPED, WAKE, 1)", E(EFAULT), UNMAPPED,
		    F_WAKE, 1),
		ROW(NR_futex, "futex(UNMAPPED, WAKE | PRIVATE, 1)", V(0),
		    UNMAPPED, F_WAKE | F_PRIVATE, 1),
		ROW(NR_futex, "futex(PROT_NONE, WAKE, 1)", E(EFAULT), none,
		    F_WAKE, 1),
		ROW(NR_futex, "futex(PROT_NONE, WAKE | PRIVATE, 1)", V(0), none,
		    F_WAKE | F_PRIVATE, 1),
		ROW(NR_futex, "futex(ro, WAKE, 1)", V(0), ro, F_WAKE, 1),
		ROW(NR_futex, "futex(NULL, WAKE, 1)", E(EFAULT), 0, F_WAKE, 1),
		ROW(NR_futex, "futex(KPTR, WAKE | PRIVATE, 1)", E(EFAULT), KPTR,
		    F_WAKE | F_PRIVATE, 1),
		ROW(NR_futex, "futex(NONCANON, WAKE | PRIVATE, 1)", E(EFAULT),
		    NONCANON, F_WAKE | F_PRIVATE, 1),
		ROW(NR_futex, "futex(w + 1, WAKE, 1)", E(EINVAL), w1, F_WAKE,
		    1),
		ROW(NR_futex, "futex(w + 1, 99, 0)", E(ENOSYS), w1, 99, 0),
		ROW(NR_futex, "futex(KPTR, 99 | PRIVATE, 0)", E(ENOSYS), KPTR,
		    99 | F_PRIVATE, 0),
		ROW(NR_futex, "futex(w, WAIT_BITSET, 0, KPTR)", E(EFAULT), w,
		    F_WAIT_BITSET, 0, KPTR),
		ROW(NR_futex, "futex(w, WAIT_BITSET, 0, {-1, 0})", E(EINVAL), w,
		    F_WAIT_BITSET, 0, (unsigned long)&ts_sec_neg),
		ROW(NR_futex, "futex(w, LOCK_PI, 0, KPTR)", E(EFAULT), w,
		    F_LOCK_PI, 0, KPTR),

		/* clone: the flag rules of copy_process(), then the TLS
		 * (copy_thread(): EPERM, as ARCH_SET_FS); Linux ignores
		 * a bad CLONE_PARENT_SETTID, CLONE_CHILD_SETTID or
		 * CLONE_CHILD_CLEARTID pointer, the upper 32 bits of the
		 * flags, and flags with nothing to do here. */
		ROW(NR_clone, "clone(THREAD)", E(EINVAL), C_THREAD),
		ROW(NR_clone, "clone(THREAD | VM)", E(EINVAL), C_THREAD | C_VM),
		ROW(NR_clone, "clone(SIGHAND)", E(EINVAL), C_SIGHAND),
		ROW(NR_clone, "clone(SIGHAND | THREAD)", E(EINVAL),
		    C_SIGHAND | C_THREAD),
		ROW(NR_clone, "clone(THREAD | SIGHAND | SETTLS, KPTR)",
		    E(EINVAL), C_THREAD | C_SIGHAND | C_SETTLS, 0, 0, 0, KPTR),
		ROW(NR_clone, "clone(threads | SETTLS, KPTR)", E(EPERM),
		    C_THREADS | C_SETTLS, 0, 0, 0, KPTR),
		ROW(NR_clone, "clone(SIGCHLD | SETTLS, NONCANON)", E(EPERM),
		    SIGCHLD | C_SETTLS, 0, 0, 0, NONCANON),
		ROW(NR_clone, "clone(SIGCHLD | SETTLS, TOP)", E(EPERM),
		    SIGCHLD | C_SETTLS, 0, 0, 0, TOP),
		ROW(NR_clone, "clone(SIGCHLD | SETTLS, fs)", KID,
		    SIGCHLD | C_SETTLS, 0, 0, 0, fs),
		ROW(NR_clone, "clone(threads | SETTLS, fs)", KID,
		    C_THREADS | C_SETTLS, 0, 0, 0, fs),
		ROW(NR_clone, "clone(SIGCHLD | PARENT_SETTID, KPTR)", KID,
		    SIGCHLD | C_PARENT_SETTID, 0, KPTR),
		ROW(NR_clone, "clone(SIGCHLD | PARENT_SETTID, UNMAPPED)", KID,
		    SIGCHLD | C_PARENT_SETTID, 0, UNMAPPED),
		ROW(NR_clone, "clone(SIGCHLD | PARENT_SETTID, ro)", KID,
		    SIGCHLD | C_PARENT_SETTID, 0, ro),
		ROW(NR_clone, "clone(SIGCHLD | CHILD_SETTID, KPTR)", KID,
		    SIGCHLD | C_CHILD_SETTID, 0, 0, KPTR),
		ROW(NR_clone, "clone(threads | CHILD_SETTID, KPTR)", KID,
		    C_THREADS | C_CHILD_SETTID, 0, 0, KPTR),
		ROW(NR_clone, "clone(threads | PARENT_SETTID, UNMAPPED)", KID,
		    C_THREADS | C_PARENT_SETTID, 0, UNMAPPED),
		ROW(NR_clone, "clone(SIGCHLD | CHILD_CLEARTID, KPTR)", KID,
		    SIGCHLD | C_CHILD_CLEARTID, 0, 0, KPTR),
		ROW(NR_clone, "clone(SIGCHLD | 1 << 32)", KID,
		    SIGCHLD | 1UL << 32),
		ROW(NR_clone, "clone(SIGCHLD | DETACHED)", KID,
		    SIGCHLD | C_DETACHED),
		ROW(NR_clone, "clone(SIGCHLD | UNTRACED)", KID,
		    SIGCHLD | C_UNTRACED),
		ROW(NR_clone, "clone(SIGCHLD | PTRACE)", KID,
		    SIGCHLD | C_PTRACE),
		ROW(NR_clone, "clone(SIGCHLD | IO)", KID, SIGCHLD | C_IO),
		ROW(NR_clone, "clone(SIGCHLD | VFORK)", KID, SIGCHLD | C_VFORK),
		ROW(NR_clone, "clone(0)", KID, 0),
		ROW(NR_clone, "clone(PIDFD | PARENT_SETTID, buf, buf)",
		    E(EINVAL), C_PIDFD | C_PARENT_SETTID, 0, b, 0),

		/* Processes and their children: no child is left now. */
		ROW(NR_kill, "kill(self, 0)", V(0), self, 0),
		ROW(NR_kill, "kill(self, 65)", E(EINVAL), self, 65),
		ROW(NR_kill, "kill(self, -1)", E(EINVAL), self, -1UL),
		ROW(NR_kill, "kill(dead, 0)", E(ESRCH), dead, 0),
		ROW(NR_wait4, "wait4(-1, NULL, 0, NULL)", E(ECHILD), -1UL, 0, 0,
		    0),
		ROW(NR_wait4, "wait4(-1, KPTR, 0, KPTR)", E(ECHILD), -1UL, KPTR,
		    0, KPTR),
		ROW(NR_wait4, "wait4(dead, NULL, 0, NULL)", E(ECHILD), dead, 0,
		    0, 0),
		ROW(NR_wait4, "wait4(-1, NULL, WNOHANG, NULL)", E(ECHILD), -1UL,
		    0, WNOHANG, 0),
		ROW(NR_wait4, "wait4(-1, NULL, WNOWAIT, NULL)", E(EINVAL), -1UL,
		    0, 0x01000000, 0),
		ROW(NR_getrusage, "getrusage(5, buf)", E(EINVAL), 5, b),
		ROW(NR_getrusage, "getrusage(5, NULL)", E(EINVAL), 5, 0),
		ROW(NR_getrusage, "getrusage(SELF, NULL)", E(EFAULT), 0, 0),
		ROW(NR_getrusage, "getrusage(SELF, KPTR)", E(EFAULT), 0, KPTR),
		/* syslog: the action first, then a reader's buffer and
		 * length (NULL or negative EINVAL, 0 bytes 0, then
		 * access_ok()), a console level in 1..8 (do_syslog()).
		 * Only rows that change nothing on Linux. */
		ROW(NR_syslog, "syslog(99, buf, 0)", E(EINVAL), 99, b, 0),
		ROW(NR_syslog, "syslog(-1, buf, 0)", E(EINVAL), -1UL, b, 0),
		ROW(NR_syslog, "syslog(CLOSE, NULL, 0)", V(0), 0, 0, 0),
		ROW(NR_syslog, "syslog(OPEN, NULL, 0)", V(0), 1, 0, 0),
		ROW(NR_syslog, "syslog(READ, NULL, 1)", E(EINVAL), 2, 0, 1),
		ROW(NR_syslog, "syslog(READ, buf, -1)", E(EINVAL), 2, b, -1UL),
		ROW(NR_syslog, "syslog(READ, buf, 0)", V(0), 2, b, 0),
		ROW(NR_syslog, "syslog(READ_ALL, NULL, 10)", E(EINVAL), 3, 0,
		    10),
		ROW(NR_syslog, "syslog(READ_ALL, buf, -1)", E(EINVAL), 3, b,
		    -1UL),
		ROW(NR_syslog, "syslog(READ_ALL, buf, 0)", V(0), 3, b, 0),
		ROW(NR_syslog, "syslog(READ_ALL, KPTR, 10)", E(EFAULT), 3, KPTR,
		    10),
		ROW(NR_syslog, "syslog(READ_CLEAR, NULL, 10)", E(EINVAL), 4, 0,
		    10),
		ROW(NR_syslog, "syslog(CONSOLE_LEVEL, NULL, 0)", E(EINVAL), 8,
		    0, 0),
		ROW(NR_syslog, "syslog(CONSOLE_LEVEL, NULL, 9)", E(EINVAL), 8,
		    0, 9),
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		const unsigned long *a = r->a;
		long got;
		int err = 0, st = 0;
		int ok;

		if (r->nr == NR_clone) {
			got = raw_clone(a[0], a[2], a[3], a[4]);
			if (got < 0 && got > -4096) {
				err = (int)-got;
				got = -1;
			}
		} else {
			errno = 0;
			got = syscall(r->nr, a[0], a[1], a[2], a[3], a[4],
				      a[5]);
			err = got == -1 ? errno : 0;
		}
		/* A row that moved the FS base must not leave it moved:
		 * glibc keeps its thread data there. Before any output. */
		if (r->nr == NR_arch_prctl && a[0] == A_SET_FS && got == 0)
			syscall(NR_arch_prctl, A_SET_FS, fs);
		/* A new process is reaped; a thread exits on its own. */
		if (r->nr == NR_clone && got > 0 && !(a[0] & C_THREAD)) {
			if (waitpid((pid_t)got, &st, __WALL) != got)
				st = -1;
		}
		switch (r->kind) {
		case K_VALUE:
			ok = got == r->ret && err == 0;
			break;
		case K_CHILD:
			ok = got > 0 && st == 0;
			break;
		default:
			ok = got == -1 && err == r->err;
			break;
		}
		utest_checks++;
		if (!ok) {
			utest_failures++;
			if (r->kind == K_ERROR)
				diag("FAIL %s: returned %ld, errno %d (%s); "
				     "expected -1, errno %d (%s)",
				     r->what, got, err, strerror(err), r->err,
				     strerror(r->err));
			else if (r->kind == K_CHILD)
				diag("FAIL %s: returned %ld, errno %d (%s), "
				     "child status 0x%x; expected a child "
				     "that exits with 0",
				     r->what, got, err, strerror(err), st);
			else
				diag("FAIL %s: returned %ld, errno %d (%s); "
				     "expected %ld",
				     r->what, got, err, strerror(err), r->ret);
		}
	}
	return utest_done();
}
