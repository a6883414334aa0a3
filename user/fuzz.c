/*
 * fuzz - a system-call fuzzer for this kernel, after syzkaller's ideas,
 * run as init inside the guest (docs/testing.md, "Fuzzing the kernel":
 * make fuzz, and the `fuzz` step of make test):
 *
 *   init=/bin/fuzz -- [seed=N] [rounds=N] [minutes=N] [round_ms=N]
 *                     [workers=N] [calls=N] [trace=R] [start=R] [cpu=0]
 *                     [realcpu=0]
 *
 * The program is a manager (init, pid 1) that runs rounds. Each round it
 * forks 1..workers worker processes; each worker draws a program from its
 * own random stream (seed, round, worker index: the same seed gives the
 * same programs, and under -icount the same run) and executes it:
 *
 *   - the kernel's system calls (docs/syscalls.md) with boundary
 *     arguments: 0, -1, huge and unaligned lengths, NULL, kernel and
 *     non-canonical addresses, read-only pages, buffers that straddle a
 *     page boundary into nothing, fds open (0-2) and never opened, unknown
 *     numbers; mmap/mprotect/munmap/madvise/brk, mremap/mincore/msync
 *     and the mlock family on an arena of its own at ARENA (2 MiB
 *     lengths and MADV_HUGEPAGE among the picks: huge pages and their
 *     splits, docs/thp.md), so that
 *     programs do not depend on where the kernel placed things
 *     (syzkaller's fixed data area);
 *   - composite actions: page touches (faults, copy-on-write, the POE
 *     fast path), fork children that run sub-programs, fork and clone
 *     storms whose children touch memory and exit while the parent
 *     unmaps and protects, execve children, POE enable/disable/stats
 *     under load;
 *   - CPU-state children: throwaway processes that load segment
 *     registers, set RFLAGS (NT, TF, AC, DF, IOPL...), execute `int n`
 *     for every n, privileged instructions, `syscall` from 32-bit mode
 *     via a far jump to selector 0x1b, `syscall` and `int $0x81` on the
 *     last bytes of user space, random bytes. Each must end by a signal
 *     or by its exit; one that must fault (a privileged instruction at
 *     CPL 3) and exits normally is a violation.
 *
 * The oracles, checked by the manager after every round:
 *
 *   leak   once every task of the round is gone and POE has settled, the
 *          free-page count is back at its baseline (as usertests' final
 *          check and tests/user/poe_util.h's poe_settle_free()); the
 *          baseline then moves, so one leak is reported once;
 *   hang   a round still running round_ms of virtual time after it began
 *          is killed (every pid it created gets SIGKILL); every task must
 *          then be gone within KILL_GRACE_MS more, or the round hangs: the
 *          seed and each worker's last calls are printed and fuzz exits 1;
 *   result a kernel or non-canonical pointer, or a read-only page, that a
 *          call must copy to or from but which the call accepted (it
 *          returned success); an mmap result outside user space;
 *   realcpu a kernel fault a real CPU raises and QEMU's TCG does not
 *          (hw_fault() below): a non-canonical TLS taken by clone, user
 *          space's last page mapped;
 *   panic  the kernel's own: tools/fuzz.sh and tools/run_tests.py read the
 *          console (Kernel panic, Oops, page_alloc/kmalloc complaints).
 *
 * Output: one `fuzz: round R ...` line per round, `fuzz: FAIL ...` lines,
 * and the totals at the end (calls per system call, rounds, virtual time,
 * a hash of every generated call: two runs with one seed print the same
 * hash; and, when the kernel traces them (irqsoff.trace=1), the longest
 * interrupts-off section of each CPU and where it was). trace=R prints every call from round R on, before it is made;
 * start=R skips the rounds before R (their programs are not even drawn).
 * Exit status: 0 when nothing failed, 1 otherwise; the kernel powers off
 * with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poe.h>
#include <private.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- the layout of a worker's address space --------------------------- */

/* Counters, call logs and the failure flag, shared by the manager and
 * every process of the round (MAP_SHARED survives fork). */
#define SHARED_ADDR   0x10000000UL
/* A worker's scratch pages: buffers the fuzzer itself writes (timespecs,
 * argv vectors, strings) and valid pointers the calls may write to. No
 * generated call targets them; the page after SCRATCH_END stays unmapped,
 * so a buffer ending there straddles into nothing. */
#define SCRATCH_ADDR  0x18000000UL
#define SCRATCH_PAGES 16
#define SCRATCH_END   (SCRATCH_ADDR + SCRATCH_PAGES * 4096UL)
/* The arena: what the memory calls map, unmap and protect. */
#define ARENA	      0x20000000UL
#define ARENA_PAGES   1024
#define ARENA_END     (ARENA + ARENA_PAGES * 4096UL)
/* A CPU-state child's code page (below 4 GiB: a 32-bit segment could
 * reach it) and user space's last page. */
#define CODE_ADDR     0x30000000UL
#define TOP_PAGE      0x7ffffffff000UL
#define USER_TOP      0x800000000000UL
#define MMAP_MIN_ADDR 0x10000UL

#define PAGE 4096UL

/* ---- limits and defaults ------------------------------------------------ */

#define MAX_WORKERS    8
#define LOG_N	       24    /* calls kept per worker for a report */
#define KILL_GRACE_MS  10000 /* after SIGKILL, every task must go */
#define SETTLE_MS      3000  /* POE tables and free count to settle */
#define MAX_CHILDREN   48    /* a worker's own children it tracks */
#define CHILD_WAIT_MS  300   /* a CPU-state child's time to end */
#define EXIT_SURVIVED  0x42  /* a CPU-state child that ran to its end */
#define EXIT_NOT_TRIED 0x43  /* its set-up failed (not a violation) */

struct config {
	unsigned long seed, rounds, minutes, round_ms, workers, calls;
	long trace, start;
	int cpu, realcpu;
};

static struct config cfg = {
	.seed = 1,
	.rounds = 0,
	.minutes = 1,
	.round_ms = 3000,
	.workers = 3,
	.calls = 40,
	.trace = -1,
	.start = 0,
	.cpu = 1,
	.realcpu = 1,
};

/* ---- the system calls and actions --------------------------------------- */

enum {
	C_READ,
	C_WRITE,
	C_MMAP,
	C_MPROTECT,
	C_MUNMAP,
	C_BRK,
	C_YIELD,
	C_MADVISE,
	C_MREMAP,
	C_MINCORE,
	C_MSYNC,
	C_MLOCK,
	C_MUNLOCK,
	C_MLOCK2,
	C_MLOCKALL,
	C_MUNLOCKALL,
	C_NANOSLEEP,
	C_GETPID,
	C_GETPPID,
	C_GETTID,
	C_FORK,
	C_VFORK,
	C_CLONE,
	C_EXECVE,
	C_EXIT,
	C_EXIT_GROUP,
	C_WAIT4,
	C_KILL,
	C_UNAME,
	C_GETRUSAGE,
	C_ARCH_PRCTL,
	C_FUTEX,
	C_SETAFFINITY,
	C_GETAFFINITY,
	C_SET_TID_ADDRESS,
	C_CLOCK_GETTIME,
	C_GETCPU,
	C_POE_ENABLE,
	C_POE_DISABLE,
	C_POE_STATS,
	C_MM_DUMP,
	C_FAULT_STATS,
	C_MEMINFO,
	C_INITRD_LIST,
	C_UNKNOWN,
	NCALLS,
	/* composite actions, counted after the calls */
	A_TOUCH = NCALLS,
	A_FORK_PROG,
	A_FORK_STORM,
	A_CLONE_STORM,
	A_EXEC_CHILD,
	A_POE_LOAD,
	A_CPU_CHILD,
	A_HUGE,
	NKINDS,
};

/* Name, number (-1: an action), and weight in a program's draw. */
static const struct kind {
	const char *name;
	long nr;
	int weight;
} kinds[NKINDS] = {
	/* clang-format off */
	[C_READ]	    = { "read",			__NR_read,		 3 },
	[C_WRITE]	    = { "write",		__NR_write,		 4 },
	[C_MMAP]	    = { "mmap",			__NR_mmap,		14 },
	[C_MPROTECT]	    = { "mprotect",		__NR_mprotect,		 8 },
	[C_MUNMAP]	    = { "munmap",		__NR_munmap,		 8 },
	[C_BRK]		    = { "brk",			__NR_brk,		 3 },
	[C_YIELD]	    = { "sched_yield",		__NR_sched_yield,	 2 },
	[C_MADVISE]	    = { "madvise",		__NR_madvise,		 6 },
	[C_MREMAP]	    = { "mremap",		__NR_mremap,		 6 },
	[C_MINCORE]	    = { "mincore",		__NR_mincore,		 3 },
	[C_MSYNC]	    = { "msync",		__NR_msync,		 2 },
	[C_MLOCK]	    = { "mlock",		__NR_mlock,		 3 },
	[C_MUNLOCK]	    = { "munlock",		__NR_munlock,		 2 },
	[C_MLOCK2]	    = { "mlock2",		__NR_mlock2,		 2 },
	[C_MLOCKALL]	    = { "mlockall",		__NR_mlockall,		 1 },
	[C_MUNLOCKALL]	    = { "munlockall",		__NR_munlockall,	 1 },
	[C_NANOSLEEP]	    = { "nanosleep",		__NR_nanosleep,		 3 },
	[C_GETPID]	    = { "getpid",		__NR_getpid,		 1 },
	[C_GETPPID]	    = { "getppid",		__NR_getppid,		 1 },
	[C_GETTID]	    = { "gettid",		__NR_gettid,		 1 },
	[C_FORK]	    = { "fork",			__NR_fork,		 2 },
	[C_VFORK]	    = { "vfork",		__NR_vfork,		 1 },
	[C_CLONE]	    = { "clone",		__NR_clone,		 4 },
	[C_EXECVE]	    = { "execve",		__NR_execve,		 2 },
	[C_EXIT]	    = { "exit",			__NR_exit,		 0 },
	[C_EXIT_GROUP]	    = { "exit_group",		__NR_exit_group,	 0 },
	[C_WAIT4]	    = { "wait4",		__NR_wait4,		 4 },
	[C_KILL]	    = { "kill",			__NR_kill,		 3 },
	[C_UNAME]	    = { "uname",		__NR_uname,		 3 },
	[C_GETRUSAGE]	    = { "getrusage",		__NR_getrusage,		 3 },
	[C_ARCH_PRCTL]	    = { "arch_prctl",		__NR_arch_prctl,	 3 },
	[C_FUTEX]	    = { "futex",		__NR_futex,		 5 },
	[C_SETAFFINITY]	    = { "sched_setaffinity",	__NR_sched_setaffinity,	 3 },
	[C_GETAFFINITY]	    = { "sched_getaffinity",	__NR_sched_getaffinity,	 3 },
	[C_SET_TID_ADDRESS] = { "set_tid_address",	__NR_set_tid_address,	 2 },
	[C_CLOCK_GETTIME]   = { "clock_gettime",	__NR_clock_gettime,	 3 },
	[C_GETCPU]	    = { "getcpu",		__NR_getcpu,		 3 },
	[C_POE_ENABLE]	    = { "poe_enable",		__NR_poe_enable,	 3 },
	[C_POE_DISABLE]	    = { "poe_disable",		__NR_poe_disable,	 2 },
	[C_POE_STATS]	    = { "poe_stats",		__NR_poe_stats,		 3 },
	[C_MM_DUMP]	    = { "mm_dump",		__NR_mm_dump,		 1 },
	[C_FAULT_STATS]	    = { "fault_stats",		__NR_fault_stats,	 3 },
	[C_MEMINFO]	    = { "meminfo",		__NR_meminfo,		 3 },
	[C_INITRD_LIST]	    = { "initrd_list",		__NR_initrd_list,	 2 },
	[C_UNKNOWN]	    = { "unknown",		-1,			 2 },
	[A_TOUCH]	    = { "touch",		-1,			12 },
	[A_FORK_PROG]	    = { "fork_prog",		-1,			 3 },
	[A_FORK_STORM]	    = { "fork_storm",		-1,			 1 },
	[A_CLONE_STORM]	    = { "clone_storm",		-1,			 2 },
	[A_EXEC_CHILD]	    = { "exec_child",		-1,			 1 },
	[A_POE_LOAD]	    = { "poe_load",		-1,			 1 },
	[A_CPU_CHILD]	    = { "cpu_child",		-1,			 6 },
	[A_HUGE]	    = { "huge",			-1,			 3 },
	/* clang-format on */
};

/* ---- state shared by every process of the run --------------------------- */

/* One logged call: who made it, what, and what came back. */
struct logent {
	int pid;
	unsigned short kind;
	unsigned short done;
	long a[6];
	long ret;
};

struct ring {
	unsigned long head;
	struct logent e[LOG_N];
};

/* How CPU-state children ended, by template group. */
enum {
	CPU_SIGNAL,
	CPU_EXITED,
	CPU_KILLED,
	CPU_NOT_TRIED,
	NCPU_OUTCOMES
};

struct shared {
	unsigned long calls[NKINDS]; /* made (actions: run) */
	unsigned long ok[NKINDS];    /* returned >= 0 */
	unsigned long efault[NKINDS];
	unsigned long sigs[65]; /* CPU-state children killed by signal */
	unsigned long cpu_outcome[NCPU_OUTCOMES];
	unsigned long forks, threads, workers_signaled;
	unsigned long violations;
	unsigned long hash;  /* sum of every generated call's hash */
	unsigned long hw[2]; /* HW_*: faults only a real CPU raises */
	unsigned long round;
	int trace;
	struct ring ring[MAX_WORKERS];
};

static struct shared *sh = (struct shared *)SHARED_ADDR;

/* This process's worker slot, depth (0: the worker; 1: its fork
 * children; 2: theirs), and its children still to reap. */
static int slot;
static int depth;
static long children[MAX_CHILDREN];
static int nchildren;

/* ---- raw system calls --------------------------------------------------- */

static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ __volatile__("syscall"
			     : "=a"(r)
			     : "0"(nr), "D"(a), "S"(b), "d"(c), "r"(r10),
			       "r"(r8), "r"(r9)
			     : "rcx", "r11", "memory");
	return r;
}

#define sys0(n)		 sys6(n, 0, 0, 0, 0, 0, 0)
#define sys1(n, a)	 sys6(n, (long)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b)	 sys6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c) sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(n, a, b, c, d) \
	sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* What a spawned child does: it runs without a stack of its own, on
 * registers only, so that a CLONE_VM child with any stack pointer (or the
 * parent's) cannot disturb its parent. */
enum {
	SPAWN_EXIT,	  /* exit(0) at once */
	SPAWN_TOUCH,	  /* write a byte in count pages from addr, then exit */
	SPAWN_YIELD,	  /* sched_yield count times, then exit */
	SPAWN_EXIT_GROUP, /* exit_group(0): the whole thread group */
};

/*
 * spawn - fork, vfork or clone (nr) with the raw arguments a0..a4 in the
 * kernel's order (flags, newsp, parent_tid, child_tid, tls for clone).
 * Returns the kernel's result in the parent; the child never returns:
 * it does `mode` on registers r12-r14 (kept by the kernel across system
 * calls) and exits.
 */
static long spawn(long nr, long a0, long a1, long a2, long a3, long a4,
		  long mode, unsigned long addr, long count)
{
	long ret;
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r12 __asm__("r12") = mode;
	register unsigned long r13 __asm__("r13") = addr;
	register long r14 __asm__("r14") = count;

	__asm__ __volatile__("syscall\n\t"
			     "test %%rax, %%rax\n\t"
			     "jnz 9f\n\t"
			     "cmp $1, %%r12\n\t"
			     "jne 2f\n"
			     "1:\ttest %%r14, %%r14\n\t"
			     "jle 8f\n\t"
			     "movb $1, (%%r13)\n\t"
			     "add $4096, %%r13\n\t"
			     "dec %%r14\n\t"
			     "jmp 1b\n"
			     "2:\tcmp $2, %%r12\n\t"
			     "jne 3f\n"
			     "4:\ttest %%r14, %%r14\n\t"
			     "jle 8f\n\t"
			     "mov $24, %%eax\n\t" /* sched_yield */
			     "syscall\n\t"
			     "dec %%r14\n\t"
			     "jmp 4b\n"
			     "3:\tcmp $3, %%r12\n\t"
			     "jne 8f\n\t"
			     "mov $231, %%eax\n\t" /* exit_group */
			     "xor %%edi, %%edi\n\t"
			     "syscall\n"
			     "8:\tmov $60, %%eax\n\t" /* exit: this thread */
			     "xor %%edi, %%edi\n\t"
			     "syscall\n\t"
			     "ud2\n"
			     "9:"
			     : "=a"(ret)
			     : "0"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10),
			       "r"(r8), "r"(r12), "r"(r13), "r"(r14)
			     : "rcx", "r11", "memory", "cc");
	return ret;
}

/* ---- output ------------------------------------------------------------- */

/* out - one line to the console with a single write(2) (no stdio: a
 * worker's stdio buffer would be duplicated by its forks). */
static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	sys3(__NR_write, 1, buf, n);
}

/* now_ms - CLOCK_MONOTONIC in ms: virtual time under -icount. */
static unsigned long now_ms(void)
{
	struct timespec ts;

	sys2(__NR_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	sys2(__NR_nanosleep, &ts, NULL);
}

/* ---- randomness ---------------------------------------------------------- */

static unsigned long rng;

/* splitmix64: spreads a seed over all 64 bits. */
static unsigned long mix(unsigned long x)
{
	x += 0x9e3779b97f4a7c15UL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

/* xorshift64*: the stream every decision of a program comes from. */
static unsigned long rnd(void)
{
	unsigned long x = rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng = x;
	return x * 0x2545f4914f6cdd1dUL;
}

static unsigned long rnd_n(unsigned long n)
{
	return n ? rnd() % n : 0;
}

static int one_in(unsigned long n)
{
	return rnd_n(n) == 0;
}

#define PICK(arr) ((arr)[rnd_n(sizeof(arr) / sizeof((arr)[0]))])

/* ---- argument values ----------------------------------------------------- */

/* Lengths at the edges: zero, one, around a page, the user/kernel split,
 * the sign bit, all ones. */
static const unsigned long edge_lens[] = {
	0,
	1,
	7,
	8,
	4095,
	4096,
	4097,
	8192,
	65536,
	0x7fffffffUL,
	0x80000000UL,
	0xffffffffUL,
	0x100000000UL,
	0x7ffffffff000UL,
	USER_TOP,
	USER_TOP - 1,
	1UL << 62,
	0x8000000000000000UL,
	-4096UL,
	-1UL,
};

/* Addresses a program must never be allowed to use. */
static const unsigned long kernel_ptrs[] = {
	0xffff800000000000UL, /* direct map, Linux's PAGE_OFFSET */
	0xffff888000000000UL, 0xffffffff80000000UL, /* kernel text */
	0xffffffff80100000UL, 0xffffc90000000000UL, /* kernel stacks */
	0xfffffffffffff000UL, 0xffffffffffffffffUL, 0xfffffffffffffff8UL,
};

static const unsigned long noncanonical_ptrs[] = {
	USER_TOP,
	USER_TOP + 4096,
	0x0000800000001000UL,
	0x1000000000000000UL,
	0x8000000000000000UL,
	0xdead000000000000UL,
	0x7fffffffffffffffUL,
};

/* How a pointer argument was drawn; the result oracles use it. */
enum ptr_class {
	P_VALID,    /* scratch: mapped read-write, must work */
	P_ARENA,    /* somewhere in the arena: state unknown */
	P_NULL,	    /* NULL: "none" for optional pointers, else a fault */
	P_BAD,	    /* low, kernel, non-canonical: must fault */
	P_RO,	    /* read-only program text: must fault for a write */
	P_STRADDLE, /* starts in scratch, ends past SCRATCH_END */
	P_WILD,	    /* anything else */
};

/* Scratch bytes handed out as valid pointers; the fuzzer's own slots
 * (timespecs, vectors) live in the last SCRATCH_OWN pages. */
#define SCRATCH_OWN   4
#define SCRATCH_SLOTS (SCRATCH_ADDR + (SCRATCH_PAGES - SCRATCH_OWN) * PAGE)
#define PTID_WORD     (SCRATCH_SLOTS + 3 * PAGE + 2048) /* clone's, alone */

/* ptr - a pointer for a buffer of len bytes, its class in *cls. */
static unsigned long ptr(unsigned long len, enum ptr_class *cls)
{
	unsigned long p, l = len > 0 && len < 4 * PAGE ? len : 64;

	switch (rnd_n(20)) {
	case 0:
	case 1:
	case 2:
	case 3:
	case 4: /* valid, scratch, aligned or not */
		*cls = P_VALID;
		p = SCRATCH_ADDR + rnd_n(4) * PAGE;
		return one_in(3) ? p + rnd_n(64) : p;
	case 5:
	case 6:
	case 7:
	case 8:
		*cls = P_ARENA;
		p = ARENA + rnd_n(ARENA_PAGES) * PAGE;
		return one_in(2) ? p : p + rnd_n(PAGE);
	case 9:
	case 10: /* straddles scratch's end into the unmapped page */
		*cls = P_STRADDLE;
		return SCRATCH_END - 1 - rnd_n(l > 1 ? l - 1 : 1);
	case 11:
		if (one_in(2)) {
			*cls = P_NULL;
			return 0;
		}
		/* The first page is never mapped (MMAP_MIN_ADDR). */
		*cls = P_BAD;
		return PICK(((const unsigned long[]){ 1, 8, 0xfff, 0x1000,
						      0xffff }));
	case 12:
	case 13:
	case 14:
		*cls = P_BAD;
		return PICK(kernel_ptrs);
	case 15:
	case 16:
		*cls = P_BAD;
		return PICK(noncanonical_ptrs);
	case 17: /* the last bytes of user space, into non-canonical */
		*cls = P_WILD;
		return USER_TOP - 1 - rnd_n(l);
	case 18:
		*cls = P_RO;
		return (unsigned long)&kinds[rnd_n(NKINDS)];
	default:
		*cls = P_WILD;
		return rnd();
	}
}

/* bad_in - a pointer class that no byte can be read from, or that runs
 * off scratch's end. */
static int bad_in(enum ptr_class c)
{
	return c == P_NULL || c == P_BAD || c == P_STRADDLE;
}

/*
 * cant_read - whether the kernel cannot have read n bytes at p, a
 * pointer of class c: NULL, low, kernel and non-canonical ones not one
 * byte; one that runs off scratch's end not past SCRATCH_END. cant_write
 * adds the read-only class.
 */
static int cant_read(enum ptr_class c, long p, unsigned long n)
{
	if (c == P_STRADDLE)
		return (unsigned long)p + n > SCRATCH_END;
	return n > 0 && (c == P_NULL || c == P_BAD);
}

static int cant_write(enum ptr_class c, long p, unsigned long n)
{
	return cant_read(c, p, n) || (n > 0 && c == P_RO);
}

/* bad_ptr - a pointer that cannot be read: NULL, low, kernel,
 * non-canonical, or running off scratch's end. */
static unsigned long bad_ptr(unsigned long len, enum ptr_class *cls)
{
	unsigned long p;

	do
		p = ptr(len, cls);
	while (!bad_in(*cls));
	return p;
}

static unsigned long len_arg(void)
{
	switch (rnd_n(4)) {
	case 0:
		return PICK(edge_lens);
	case 1:
		return rnd_n(64);
	case 2:
		return rnd_n(4 * PAGE);
	default:
		return (rnd_n(16) + 1) * PAGE - (one_in(4) ? rnd_n(PAGE) : 0);
	}
}

/* An address for the memory calls: mostly page-aligned arena ones. */
static unsigned long addr_arg(void)
{
	switch (rnd_n(16)) {
	case 0:
		return 0;
	case 1:
		return PICK(kernel_ptrs);
	case 2:
		return PICK(noncanonical_ptrs);
	case 3:
		return ARENA + rnd_n(ARENA_PAGES * PAGE); /* unaligned */
	case 4:
		return PICK(((const unsigned long[]){
			MMAP_MIN_ADDR - PAGE, MMAP_MIN_ADDR, TOP_PAGE,
			TOP_PAGE - PAGE, USER_TOP - PAGE, ARENA_END }));
	case 5:
		return rnd() & ~(PAGE - 1);
	default:
		return ARENA + rnd_n(ARENA_PAGES) * PAGE;
	}
}

/* The fuzzer's own program, from the linker's default script. */
extern char __executable_start[], _end[];

/*
 * keep_own_code_unrunnable - an mmap(MAP_FIXED) with PROT_EXEC over this
 * program's own image replaces its code with zero pages, which the worker
 * then executes, two bytes (`add %al,(%rax)`) an instruction and a read
 * fault a page, to the mapping's end: correct, and as on Linux, where
 * 2 GiB of it takes about a second. Under -icount QEMU 7.2 runs such code
 * nearly 2,000 times slower than the virtual clock (seed 1's worker
 * mapped 2 GiB at 0x10000 in round 2698 and its CPU advanced 8 ms of
 * virtual time in 15 s), so the hang oracle took it for a hang. Such a
 * call keeps its rights but PROT_EXEC: the worker then dies at its next
 * instruction fetch, as it would anyway. a[] are mmap's arguments.
 */
static void keep_own_code_unrunnable(long *a)
{
	unsigned long start = (unsigned long)a[0], len = (unsigned long)a[1];
	unsigned long img = (unsigned long)__executable_start;
	unsigned long img_end = (unsigned long)_end;

	if (!(a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) || !(a[2] & PROT_EXEC))
		return;
	if (start < img_end && (start + len > img || start + len < start))
		a[2] &= ~(long)PROT_EXEC;
}

/* A length for the memory calls: mostly a few arena pages. */
static unsigned long mlen_arg(void)
{
	switch (rnd_n(8)) {
	case 0:
		return PICK(edge_lens);
	case 1:
		return rnd_n(1 << 20);
	case 2:
		/* 2 MiB and around it: huge pages, and parts of them. */
		if (one_in(2))
			return PICK(((const unsigned long[]){
				2UL << 20, 4UL << 20, (2UL << 20) + PAGE,
				(2UL << 20) - PAGE }));
		return (rnd_n(32) + 1) * PAGE;
	default:
		return (rnd_n(32) + 1) * PAGE;
	}
}

static unsigned long prot_arg(void)
{
	static const unsigned long prots[] = {
		PROT_NONE,
		PROT_READ,
		PROT_READ | PROT_WRITE,
		PROT_READ | PROT_EXEC,
		PROT_READ | PROT_WRITE | PROT_EXEC,
		PROT_WRITE,
		PROT_EXEC,
		0x8,	    /* PROT_SEM */
		0x01000000, /* PROT_GROWSDOWN */
		0x02000000, /* PROT_GROWSUP */
	};

	return one_in(10) ? rnd() & 0xffffffff : PICK(prots);
}

static unsigned long mmap_flags_arg(void)
{
	static const unsigned long extra[] = {
		0,
		MAP_FIXED,
		MAP_FIXED,
		MAP_FIXED,
		MAP_FIXED_NOREPLACE,
		MAP_POPULATE,
		MAP_FIXED | MAP_POPULATE,
		MAP_NORESERVE,
		MAP_GROWSDOWN,
		MAP_32BIT,
		MAP_STACK,
		MAP_HUGETLB,
		MAP_LOCKED,
	};
	unsigned long f;

	f = one_in(5) ? MAP_SHARED : MAP_PRIVATE;
	if (!one_in(12))
		f |= MAP_ANONYMOUS;
	f |= PICK(extra);
	if (one_in(20))
		f = rnd() & 0xfffff;
	if (one_in(20))
		f |= MAP_SHARED | MAP_PRIVATE; /* both: MAP_SHARED_VALIDATE */
	return f;
}

static long fd_arg(void)
{
	static const long fds[] = { 0,	1,    2,	  3,  4,
				    63, 1023, 0x7fffffff, -1, -100 };

	return PICK(fds);
}

/* A pid: the caller, its parent, a child of its own, the manager (init),
 * pids that do not exist, and nonsense. */
static long pid_arg(void)
{
	switch (rnd_n(12)) {
	case 0:
		return 0;
	case 1:
		return -1;
	case 2:
		return sys0(__NR_getpid);
	case 3:
		return sys0(__NR_getppid);
	case 4:
		return 1;
	case 5:
		return PICK(((const long[]){ -2, 0x7fffffff, -0x7fffffff - 1,
					     100000, 2 }));
	default:
		if (nchildren)
			return children[rnd_n(nchildren)];
		return sys0(__NR_getpid) + (long)rnd_n(8);
	}
}

/* A timespec in a scratch slot: 0, the largest nanoseconds, invalid,
 * short sleeps, and rarely one that never ends (only a kill does). */
static unsigned long timespec_arg(enum ptr_class *cls)
{
	struct timespec *ts;

	if (one_in(6)) /* not one in memory: that may say a year */
		return bad_ptr(sizeof(*ts), cls);
	*cls = P_VALID;
	ts = (struct timespec *)(SCRATCH_SLOTS + rnd_n(8) * 16);
	switch (rnd_n(12)) {
	case 0:
		ts->tv_sec = 0, ts->tv_nsec = 0;
		break;
	case 1:
		ts->tv_sec = 0, ts->tv_nsec = 999999999;
		break;
	case 2:
		ts->tv_sec = 0, ts->tv_nsec = 1000000000;
		break;
	case 3:
		ts->tv_sec = -1, ts->tv_nsec = 0;
		break;
	case 4:
		ts->tv_sec = 0, ts->tv_nsec = -1;
		break;
	case 5: /* saturates: sleeps until killed (rarely chosen) */
		if (one_in(32)) {
			ts->tv_sec = one_in(2) ? 0x7fffffffffffffffL : 1L << 40;
			ts->tv_nsec = 0;
			break;
		}
		/* fall through */
	default:
		ts->tv_sec = 0, ts->tv_nsec = (long)rnd_n(3000000);
		break;
	}
	return (unsigned long)ts;
}

/* ---- logging and tracing ------------------------------------------------- */

/* This process's last call, as logged (for violation reports). */
static struct logent last;

/* fnv1a over the words of a generated call: the run's fingerprint. */
static unsigned long call_hash(int kind, const long *a)
{
	unsigned long h = 0xcbf29ce484222325UL ^ (unsigned long)kind;

	for (int i = 0; i < 6; i++)
		h = (h ^ (unsigned long)a[i]) * 0x100000001b3UL;
	return h;
}

static void format_call(char *buf, size_t size, const struct logent *e)
{
	int n = snprintf(buf, size,
			 "pid %d %s(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)",
			 e->pid, kinds[e->kind].name, e->a[0], e->a[1], e->a[2],
			 e->a[3], e->a[4], e->a[5]);

	if (n > 0 && (size_t)n < size) {
		if (e->done)
			snprintf(buf + n, size - n, " = %ld", e->ret);
		else
			snprintf(buf + n, size - n, " (no return yet)");
	}
}

/* log_begin - record a call in this worker's ring before making it (and
 * print it with trace=); returns the entry for log_end. */
static struct logent *log_begin(int kind, const long *a)
{
	struct ring *r = &sh->ring[slot];
	unsigned long i = __atomic_fetch_add(&r->head, 1, __ATOMIC_RELAXED);
	struct logent *e = &r->e[i % LOG_N];

	e->done = 0;
	e->pid = (int)sys0(__NR_gettid);
	e->kind = (unsigned short)kind;
	memcpy(e->a, a, sizeof(e->a));
	last = *e;
	__atomic_fetch_add(&sh->calls[kind], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&sh->hash, call_hash(kind, a), __ATOMIC_RELAXED);
	if (sh->trace) {
		char buf[256];

		format_call(buf, sizeof(buf), e);
		out("fuzz: trace w%d %s", slot, buf);
	}
	return e;
}

static void log_end(struct logent *e, int kind, long ret)
{
	/* The ring slot is the process's until LOG_N more calls of the
	 * worker's processes reuse it; the report uses the copy. */
	if (e->pid == last.pid && e->kind == last.kind) {
		e->ret = ret;
		e->done = 1;
	}
	last.ret = ret;
	last.done = 1;
	if (ret >= 0 || ret < -4095)
		__atomic_fetch_add(&sh->ok[kind], 1, __ATOMIC_RELAXED);
	else if (ret == -EFAULT)
		__atomic_fetch_add(&sh->efault[kind], 1, __ATOMIC_RELAXED);
	if (sh->trace && kinds[kind].nr >= 0)
		out("fuzz: trace w%d pid %d %s = %ld", slot, e->pid,
		    kinds[kind].name, ret);
}

/* violation - a result the kernel must never give: print it with the
 * call; the manager fails the run at the end of the round. */
static void violation(const struct logent *e, const char *why)
{
	char buf[256];

	(void)e;
	format_call(buf, sizeof(buf), &last);
	__atomic_fetch_add(&sh->violations, 1, __ATOMIC_RELAXED);
	out("fuzz: FAIL result: seed %lu round %lu worker %d: %s: %s", cfg.seed,
	    sh->round, slot, why, buf);
}

/*
 * Kernel faults a real CPU raises and QEMU's TCG does not, so that no
 * panic can show them here: a WRMSR of a non-canonical FS base (#GP,
 * Intel SDM vol. 2, WRMSR), and an iretq to a non-canonical RIP (#GP,
 * IRET), which a program gets from the kernel with `syscall` or
 * `int $0x81` on the last two bytes of user space, when it may map the
 * last page there (Linux keeps that page out of user space,
 * TASK_SIZE_MAX). The kernel refuses both now, as Linux does: each is a
 * failure (realcpu=0: only printed, once a kind, and counted).
 */
enum {
	HW_TLS,
	HW_TOP,
	NHW
};

static const char *const hw_what[NHW] = {
	"clone took a non-canonical TLS, which the kernel loads with "
	"wrmsr(MSR_FS_BASE) at every switch to the child: a real CPU takes "
	"#GP there, in kernel mode (Linux's clone returns -EPERM)",
	"a program mapped user space's last page: syscall or int $0x81 on its "
	"last two bytes returns through the kernel's iretq to a non-canonical "
	"RIP, where a real CPU takes #GP in kernel mode (Linux's mmap returns "
	"-ENOMEM)",
};

static void hw_fault(int kind, const struct logent *e)
{
	if (__atomic_fetch_add(&sh->hw[kind], 1, __ATOMIC_RELAXED) == 0) {
		char buf[256];

		format_call(buf, sizeof(buf), &last);
		out("fuzz: WARN real CPU: seed %lu round %lu: %s: %s", cfg.seed,
		    sh->round, hw_what[kind], buf);
	}
	if (cfg.realcpu)
		violation(e, hw_what[kind]);
}

/* ---- one system call ------------------------------------------------------ */

static void add_child(long pid)
{
	if (pid > 0 && nchildren < MAX_CHILDREN)
		children[nchildren++] = pid;
}

/*
 * do_call - draw the arguments of system call `kind`, make it, check the
 * result oracles. fork, vfork, clone and execve are spawned so that the
 * child cannot run on in this program; exit and exit_group end the
 * caller and are made only by fork children at their end (prog_end).
 */
static void do_call(int kind)
{
	long a[6] = { 0 }, ret;
	enum ptr_class c0 = P_WILD, c1 = P_WILD, c2 = P_WILD;
	struct logent *e;
	unsigned long len;

	switch (kind) {
	case C_READ:
		a[0] = fd_arg();
		len = len_arg();
		a[1] = (long)ptr(len, &c1);
		a[2] = (long)len;
		/* The console has no input: a read of it waits for a line
		 * before it looks at the buffer (access_ok() passes any user
		 * address), until the round is killed. Rarely, so that the
		 * kill is tested; else a buffer outside user space. */
		if (a[0] >= 0 && a[0] <= 2 && len && !one_in(200)) {
			a[1] = one_in(2) ? (long)PICK(kernel_ptrs) :
					   (long)PICK(noncanonical_ptrs);
			c1 = P_BAD;
		}
		break;
	case C_WRITE:
		a[0] = fd_arg();
		len = len_arg();
		a[1] = (long)ptr(len, &c1);
		/* To the console, a few bytes at most (output is slow). */
		if (a[0] >= 0 && a[0] <= 2 && !bad_in(c1) && len > 64)
			len = rnd_n(65);
		a[2] = (long)len;
		break;
	case C_MMAP:
		a[0] = (long)addr_arg();
		a[1] = (long)mlen_arg();
		a[2] = (long)prot_arg();
		a[3] = (long)mmap_flags_arg();
		a[4] = one_in(8) ? fd_arg() : -1;
		a[5] = one_in(8) ? (long)PICK(edge_lens) : 0;
		keep_own_code_unrunnable(a);
		break;
	case C_MPROTECT:
		a[0] = (long)addr_arg();
		a[1] = (long)mlen_arg();
		a[2] = (long)prot_arg();
		break;
	case C_MUNMAP:
		a[0] = (long)addr_arg();
		a[1] = (long)mlen_arg();
		break;
	case C_BRK:
		a[0] = PICK(((const long[]){ 0, -1, (long)ARENA, (long)USER_TOP,
					     (long)0xffffffff80000000UL }));
		if (one_in(2)) { /* near the current break */
			long cur = sys1(__NR_brk, 0);

			a[0] = cur + (long)(rnd_n(64) - 16) * (long)PAGE -
			       (one_in(4) ? (long)rnd_n(PAGE) : 0);
		}
		break;
	case C_MADVISE:
		a[0] = (long)addr_arg();
		a[1] = (long)mlen_arg();
		a[2] = PICK(((const long[]){
			MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL,
			MADV_WILLNEED, MADV_DONTNEED, MADV_DONTNEED,
			MADV_DONTNEED, MADV_FREE, MADV_POPULATE_READ,
			MADV_POPULATE_WRITE, MADV_HUGEPAGE, MADV_HUGEPAGE,
			MADV_NOHUGEPAGE, 9, 100, -1 }));
		break;
	case C_MREMAP:
		a[0] = (long)addr_arg();
		a[1] = (long)mlen_arg();
		/* DONTUNMAP wants old_len == new_len; old_len 0 duplicates
		 * a shared mapping. */
		a[2] = one_in(3) ? a[1] : (long)mlen_arg();
		if (one_in(16))
			a[1] = 0;
		a[3] = PICK(((const long[]){ 0, MREMAP_MAYMOVE, MREMAP_MAYMOVE,
					     MREMAP_MAYMOVE | MREMAP_FIXED,
					     MREMAP_MAYMOVE | MREMAP_FIXED,
					     MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
					     MREMAP_MAYMOVE | MREMAP_FIXED |
						     MREMAP_DONTUNMAP,
					     MREMAP_FIXED, 8, -1 }));
		a[4] = (long)addr_arg();
		break;
	case C_MINCORE:
		a[0] = (long)addr_arg();
		a[1] = (long)mlen_arg();
		a[2] = (long)ptr((unsigned long)a[1] / PAGE + 1, &c2);
		break;
	case C_MSYNC:
		a[0] = (long)addr_arg();
		a[1] = (long)mlen_arg();
		a[2] = PICK(((const long[]){ MS_ASYNC, MS_SYNC, MS_INVALIDATE,
					     MS_SYNC | MS_INVALIDATE,
					     MS_ASYNC | MS_SYNC, 0, 8, -1 }));
		break;
	case C_MLOCK:
	case C_MUNLOCK:
		a[0] = (long)addr_arg();
		a[1] = (long)mlen_arg();
		break;
	case C_MLOCK2:
		a[0] = (long)addr_arg();
		a[1] = (long)mlen_arg();
		a[2] = PICK(((const long[]){ 0, MLOCK_ONFAULT, MLOCK_ONFAULT, 2,
					     -1 }));
		break;
	case C_MLOCKALL:
		a[0] = PICK(((const long[]){
			MCL_CURRENT, MCL_FUTURE, MCL_CURRENT | MCL_FUTURE,
			MCL_FUTURE | MCL_ONFAULT,
			MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT, MCL_ONFAULT, 0,
			8 }));
		break;
	case C_NANOSLEEP:
		a[0] = (long)timespec_arg(&c0);
		a[1] = one_in(2) ? 0 : (long)ptr(16, &c1);
		break;
	case C_WAIT4:
		a[0] = pid_arg();
		a[1] = one_in(3) ? 0 : (long)ptr(4, &c1);
		a[2] = one_in(20) ? (long)rnd_n(0x100) :
		       one_in(50) ? 0 /* blocks: rarely */ :
				    1 /* WNOHANG */;
		if (one_in(8))
			a[2] |= 0x40000000; /* __WALL */
		a[3] = one_in(2) ? 0 : (long)ptr(sizeof(struct rusage), &c2);
		break;
	case C_KILL:
		a[0] = pid_arg();
		a[1] = PICK(((const long[]){ 0, 0, SIGKILL, SIGTERM, SIGSEGV,
					     64, 65, -1, 0x7fffffff }));
		/* Killing oneself ends the program: only sometimes. */
		if (a[1] > 0 && a[0] == sys0(__NR_getpid) && !one_in(10))
			a[1] = 0;
		break;
	case C_UNAME:
		a[0] = (long)ptr(390, &c0);
		break;
	case C_GETRUSAGE:
		a[0] = PICK(((const long[]){ 0, -1, 1, 2, -2, 0x7fffffff }));
		a[1] = (long)ptr(sizeof(struct rusage), &c1);
		break;
	case C_ARCH_PRCTL:
		a[0] = PICK(((const long[]){ 0x1002, 0x1003, 0x1002, 0x1003,
					     0x1001, 0x1004, 0, -1 }));
		a[1] = (long)ptr(8, &c1);
		if (a[0] == 0x1002 && one_in(2)) /* ARCH_SET_FS: a value */
			a[1] = (long)PICK(noncanonical_ptrs), c1 = P_WILD;
		break;
	case C_FUTEX:
		a[0] = (long)ptr(4, &c0);
		a[1] = PICK(((const long[]){ 0, 1, 0x80, 0x81, 0x100, 2, 3, 9,
					     -1 }));
		a[2] = PICK(((const long[]){ 0, 1, 0x7fffffff, -1 }));
		if (a[1] == 0 || a[1] == 0x80 || a[1] == 0x100) {
			/* FUTEX_WAIT: the word's own value sleeps; without
			 * a timeout, until the round is killed (rarely). */
			if (c0 == P_VALID && one_in(2))
				a[2] = *(volatile int *)a[0];
			a[3] = one_in(200) ? 0 : (long)timespec_arg(&c2);
		}
		break;
	case C_SETAFFINITY:
		a[0] = one_in(2) ? 0 : pid_arg();
		a[1] = PICK((
			(const long[]){ 0, 1, 4, 8, 16, 128, 0x7fffffff, -1 }));
		a[2] = (long)ptr(8, &c2);
		if (c2 == P_VALID)
			*(unsigned long *)a[2] = one_in(2) ? rnd() : -1UL;
		break;
	case C_GETAFFINITY:
		a[0] = one_in(2) ? 0 : pid_arg();
		a[1] = PICK(((const long[]){ 0, 4, 7, 8, 16, 128, -1 }));
		a[2] = (long)ptr(8, &c2);
		break;
	case C_SET_TID_ADDRESS:
		a[0] = (long)ptr(4, &c0);
		break;
	case C_CLOCK_GETTIME:
		a[0] = PICK(
			((const long[]){ 0, 1, 4, 2, 3, 7, -1, 0x7fffffff }));
		a[1] = (long)ptr(16, &c1);
		break;
	case C_GETCPU:
		a[0] = one_in(4) ? 0 : (long)ptr(4, &c0);
		a[1] = one_in(4) ? 0 : (long)ptr(4, &c1);
		a[2] = one_in(2) ? 0 : (long)ptr(64, &c2);
		break;
	case C_POE_STATS:
	case C_FAULT_STATS:
	case C_INITRD_LIST:
		len = one_in(3) ? PICK(edge_lens) : rnd_n(1024);
		a[0] = (long)ptr(len, &c0);
		a[1] = (long)len;
		break;
	case C_MM_DUMP:
		/* The VMAs, or a short page walk: each page is a line. */
		a[0] = (long)addr_arg();
		a[1] = one_in(4) ? (long)addr_arg() :
				   a[0] + (long)rnd_n(4) * 4096;
		if (one_in(3))
			a[0] = a[1] = 0;
		break;
	case C_MEMINFO:
		a[0] = (long)ptr(24, &c0);
		break;
	case C_UNKNOWN:
		/* Numbers nobody implements, at the table's edges (each
		 * one is reported once on the console; >= 1100 every time,
		 * so rarely), and close(2), which has no fd to close. */
		a[0] = PICK(((const long[]){ 3, 3, 134, 334, 335, 450, 999,
					     1003, 1099, 1100, -1,
					     0x40000000 | 39, 0x7fffffff }));
		if (a[0] >= 1100 && !one_in(8))
			a[0] = 3;
		for (int i = 1; i < 6; i++)
			a[i] = (long)rnd();
		break;
	default: /* no arguments */
		break;
	}

	if (kind == C_UNKNOWN) {
		e = log_begin(kind, a);
		ret = sys6(a[0], a[1], a[2], a[3], a[4], a[5], 0);
		log_end(e, kind, ret);
		/* Numbers past the table can never be a call. */
		if ((a[0] < 0 || a[0] >= 1100) && ret != -ENOSYS)
			violation(e,
				  "a number past the table did not return -ENOSYS");
		return;
	}
	e = log_begin(kind, a);
	ret = sys6(kinds[kind].nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	log_end(e, kind, ret);

	/* The result oracles: a call that says it read or wrote n bytes
	 * of a buffer it cannot have read or written. */
	switch (kind) {
	case C_WRITE: /* wrote ret bytes of the buffer to the console */
		if (a[0] >= 0 && a[0] <= 2 && ret > 0 &&
		    cant_read(c1, a[1], (unsigned long)ret))
			violation(e, "wrote from an unreadable buffer");
		break;
	case C_MMAP:
		if (ret >= 0 &&
		    ((unsigned long)ret >= USER_TOP ||
		     (unsigned long)ret < MMAP_MIN_ADDR || (ret & (PAGE - 1))))
			violation(e,
				  "mmap returned an address outside user space");
		else if (ret >= 0 && (a[3] & MAP_FIXED) && ret != a[0])
			violation(e, "mmap MAP_FIXED returned another address");
		else if (ret >= 0 &&
			 (unsigned long)ret + (unsigned long)a[1] > TOP_PAGE)
			hw_fault(HW_TOP, e);
		break;
	case C_BRK:
		if ((unsigned long)ret >= USER_TOP)
			violation(e, "brk returned a break outside user space");
		break;
	case C_NANOSLEEP:
		if (ret == 0 && cant_read(c0, a[0], sizeof(struct timespec)))
			violation(e, "slept on a timespec it could not read");
		break;
	case C_WAIT4: /* NULL status and rusage mean "not wanted" */
		if (ret > 0 &&
		    ((a[1] && cant_write(c1, a[1], 4)) ||
		     (a[3] && cant_write(c2, a[3], sizeof(struct rusage)))))
			violation(e,
				  "reaped a child into an unwritable status");
		break;
	case C_MINCORE:
		/* A byte per page, for a range mapped in user space. */
		if (ret == 0 && a[1] &&
		    cant_write(c2, a[2],
			       ((unsigned long)a[1] + PAGE - 1) / PAGE))
			violation(e, "wrote mincore's vector to an unwritable "
				     "buffer");
		break;
	case C_UNAME:
		if (ret == 0 && cant_write(c0, a[0], 390))
			violation(e, "wrote utsname to an unwritable buffer");
		if (c0 == P_VALID && ret != 0)
			violation(e, "failed on a valid buffer");
		break;
	case C_GETRUSAGE:
		if (ret == 0 && cant_write(c1, a[1], sizeof(struct rusage)))
			violation(e, "wrote rusage to an unwritable buffer");
		break;
	case C_ARCH_PRCTL:
		if (a[0] == 0x1003 && ret == 0 && cant_write(c1, a[1], 8))
			violation(e,
				  "wrote the FS base to an unwritable buffer");
		break;
	case C_SETAFFINITY: /* reads min(len, 8) bytes */
		if (ret == 0 && a[1] > 0 &&
		    cant_read(c2, a[2], a[1] < 8 ? (unsigned long)a[1] : 8))
			violation(e, "read a mask from an unreadable buffer");
		break;
	case C_GETAFFINITY:
	case C_POE_STATS:
	case C_FAULT_STATS:
	case C_INITRD_LIST: /* say how many bytes they copied */
		if (ret > 0 && cant_write(kind == C_GETAFFINITY ? c2 : c0,
					  kind == C_GETAFFINITY ? a[2] : a[0],
					  (unsigned long)ret))
			violation(e, "filled an unwritable buffer");
		break;
	case C_CLOCK_GETTIME:
		if (ret == 0 && cant_write(c1, a[1], sizeof(struct timespec)))
			violation(e,
				  "wrote a timespec to an unwritable buffer");
		if (ret == 0 && c1 == P_VALID &&
		    ((struct timespec *)a[1])->tv_nsec >= 1000000000)
			violation(e, "tv_nsec out of range");
		break;
	case C_GETCPU:
		if (ret == 0 && ((a[0] && cant_write(c0, a[0], 4)) ||
				 (a[1] && cant_write(c1, a[1], 4))))
			violation(e, "wrote the CPU to an unwritable buffer");
		break;
	case C_MEMINFO:
		if (ret == 0 && cant_write(c0, a[0], sizeof(struct meminfo)))
			violation(e, "wrote meminfo to an unwritable buffer");
		if (c0 == P_VALID && ret != 0)
			violation(e, "failed on a valid buffer");
		break;
	default:
		break;
	}
}

/* ---- fork, vfork, clone -------------------------------------------------- */

/* Clone flags worth combining, with nonsense now and then. */
static long clone_flags_arg(void)
{
	static const long bits[] = {
		0x100,	    /* CLONE_VM */
		0x200,	    /* CLONE_FS */
		0x400,	    /* CLONE_FILES */
		0x800,	    /* CLONE_SIGHAND */
		0x4000,	    /* CLONE_VFORK */
		0x8000,	    /* CLONE_PARENT */
		0x10000,    /* CLONE_THREAD */
		0x40000,    /* CLONE_SYSVSEM */
		0x80000,    /* CLONE_SETTLS */
		0x100000,   /* CLONE_PARENT_SETTID */
		0x200000,   /* CLONE_CHILD_CLEARTID */
		0x1000000,  /* CLONE_CHILD_SETTID */
		0x20000,    /* CLONE_NEWNS: refused */
		0x80000000, /* CLONE_IO: refused */
	};
	long f;

	if (one_in(3)) /* a thread, as pthread_create makes one */
		f = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 |
		    0x80000 | 0x100000 | 0x200000;
	else if (one_in(2)) /* a process, as fork */
		f = SIGCHLD;
	else
		f = PICK(((const long[]){ 0, SIGCHLD, 0x7f, 0xff }));
	for (int n = (int)rnd_n(4); n > 0; n--)
		f ^= PICK(bits);
	if (one_in(16))
		f = (long)rnd();
	return f;
}

/* One fork, vfork or clone with the child doing a short job alone. */
static void do_spawn(int kind)
{
	long a[6] = { 0 }, ret, mode;
	enum ptr_class cp = P_WILD, cc = P_WILD;
	unsigned long addr = ARENA + rnd_n(ARENA_PAGES) * PAGE;
	long count = (long)rnd_n(8);
	struct logent *e;

	mode = PICK(((const long[]){ SPAWN_EXIT, SPAWN_EXIT, SPAWN_TOUCH,
				     SPAWN_TOUCH, SPAWN_YIELD }));
	if (kind == C_CLONE) {
		a[0] = clone_flags_arg();
		/* The child runs on registers only: any stack pointer. */
		a[1] = PICK(((const long[]){ 0, 0, (long)SCRATCH_END - 64, -1,
					     (long)0xffffffff80000000UL, 1 }));
		a[2] = (long)ptr(4, &cp);
		/* Half the time the parent tid goes to a word no other
		 * pointer of the program reaches (a CLONE_VM child's
		 * CLONE_CHILD_SETTID or _CLEARTID could write any other one
		 * at any time): there it must be found after the call. */
		if (one_in(2)) {
			a[2] = (long)PTID_WORD;
			cp = P_VALID;
			*(volatile int *)PTID_WORD = 0;
		}
		a[3] = (long)ptr(4, &cc);
		a[4] = PICK(((const long[]){
			0, (long)SCRATCH_ADDR, -1, (long)USER_TOP,
			(long)0x8000000000000000UL, (long)0xffffffff80000000UL,
			(long)TOP_PAGE }));
		/* A thread that touches a page the parent unmapped takes
		 * its whole process (this worker) with it: rarely. */
		if ((a[0] & 0x100) && mode == SPAWN_TOUCH && !one_in(8))
			mode = SPAWN_YIELD;
		if ((a[0] & 0x100) && one_in(40))
			mode = SPAWN_EXIT_GROUP;
	}
	e = log_begin(kind, a);
	ret = spawn(kinds[kind].nr, a[0], a[1], a[2], a[3], a[4], mode, addr,
		    count);
	log_end(e, kind, ret);
	if (ret > 0) {
		if (kind == C_CLONE && (a[0] & 0x10000))
			__atomic_fetch_add(&sh->threads, 1, __ATOMIC_RELAXED);
		else
			__atomic_fetch_add(&sh->forks, 1, __ATOMIC_RELAXED);
		if (!(kind == C_CLONE && (a[0] & (0x10000 | 0x8000))))
			add_child(ret);
		/* CLONE_PARENT_SETTID: the tid in the parent's own word (a
		 * bad pointer is ignored, as on Linux). */
		if (kind == C_CLONE && (a[0] & 0x100000) &&
		    a[2] == (long)PTID_WORD &&
		    *(volatile int *)PTID_WORD != (int)ret)
			violation(e,
				  "CLONE_PARENT_SETTID did not store the tid");
		if (kind == C_CLONE && (a[0] & 0x80000) &&
		    (unsigned long)a[4] >= USER_TOP &&
		    (unsigned long)a[4] < 0xffff800000000000UL)
			hw_fault(HW_TLS, e);
	}
}

/* ---- composite actions --------------------------------------------------- */

/* touch - read and write a few arena pages: faults of every kind
 * (not present, copy-on-write after a fork, the POE fast path), and
 * SIGSEGV when the program unmapped or protected them, which ends this
 * process: so a worker touches only what it mapped itself in
 * prog_start, unless it is a throwaway fork child. */
static void do_touch(void)
{
	long a[6] = { 0 };
	unsigned long base = ARENA + rnd_n(ARENA_PAGES) * PAGE;
	unsigned long n = rnd_n(64) + 1;
	struct logent *e;

	a[0] = (long)base;
	a[1] = (long)n;
	a[2] = one_in(2); /* write */
	e = log_begin(A_TOUCH, a);
	for (unsigned long i = 0; i < n && base + i * PAGE < ARENA_END; i++) {
		volatile char *p =
			(volatile char *)(base + i * PAGE + rnd_n(PAGE));

		if (a[2])
			*p = (char)i;
		else
			(void)*p;
	}
	log_end(e, A_TOUCH, 0);
}

/*
 * huge - a 2 MiB huge-page workout in the arena's upper half (2 MiB
 * aligned): mapped fresh with MAP_FIXED (which frees the PTE table the
 * half had, so that its pmd is empty), advised MADV_HUGEPAGE, a few
 * pages touched (the first read maps the huge zero page, the first
 * write a huge page), then one operation on part of it that splits the
 * huge pmd (mprotect, munmap, MADV_DONTNEED or mremap of one page; a
 * fork whose child writes one page: copy-on-write) or none, then more
 * touches, which may fault on what the operation left (the worker's
 * signal is then the fuzzer's to count). docs/thp.md.
 */
#define HUGE_SIZE (2UL << 20)

static void do_huge(void)
{
	unsigned long base = ARENA_END - HUGE_SIZE;
	long a[6] = { 0 }, pid;
	struct logent *e;

	a[0] = (long)base;
	a[1] = (long)rnd_n(7); /* the splitting operation; 6: none */
	a[2] = (long)rnd_n(512) * (long)PAGE; /* where */
	e = log_begin(A_HUGE, a);
	if (sys6(__NR_mmap, (long)base, (long)HUGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		 0) != (long)base) {
		log_end(e, A_HUGE, -1);
		return;
	}
	sys3(__NR_madvise, base, HUGE_SIZE, MADV_HUGEPAGE);
	for (unsigned long i = rnd_n(8) + 1; i > 0; i--) {
		volatile char *p = (volatile char *)(base + rnd_n(HUGE_SIZE));

		if (one_in(3))
			(void)*p;
		else
			*p = (char)i;
	}
	switch (a[1]) {
	case 0:
		sys3(__NR_mprotect, base + (unsigned long)a[2], PAGE,
		     PROT_READ);
		break;
	case 1:
		sys2(__NR_munmap, base + (unsigned long)a[2], PAGE);
		break;
	case 2:
		sys3(__NR_madvise, base + (unsigned long)a[2], PAGE,
		     MADV_DONTNEED);
		break;
	case 3:
		sys4(__NR_mremap, base, HUGE_SIZE, HUGE_SIZE - PAGE, 0);
		break;
	case 4:
		pid = sys0(__NR_fork);
		if (pid == 0) {
			*(volatile char *)(base + (unsigned long)a[2]) = 1;
			sys1(__NR_exit_group, 0);
		}
		if (pid > 0)
			sys4(__NR_wait4, pid, 0, 0, 0);
		break;
	case 5:
		sys3(__NR_madvise, base + (unsigned long)a[2], PAGE,
		     MADV_NOHUGEPAGE);
		break;
	default:
		break;
	}
	for (unsigned long i = rnd_n(8); i > 0; i--)
		*(volatile char *)(base + rnd_n(HUGE_SIZE)) = (char)i;
	log_end(e, A_HUGE, 0);
}

static void run_program(int ncalls);

/* fork_prog - a fork child that runs a short program of its own and
 * ends by exit, exit_group or a fault. */
static void do_fork_prog(void)
{
	long a[6] = { 0 }, pid;
	struct logent *e;

	a[0] = depth;
	e = log_begin(A_FORK_PROG, a);
	pid = sys0(__NR_fork);
	if (pid == 0) {
		rng = mix(rng ^ 0xf0f0);
		depth++;
		nchildren = 0;
		run_program((int)rnd_n(cfg.calls / 2 + 1) + 1);
		switch (rnd_n(4)) {
		case 0:
			a[0] = (long)rnd_n(256);
			e = log_begin(C_EXIT_GROUP, a);
			sys1(__NR_exit_group, a[0]);
			break;
		case 1: /* the main thread alone: the others go on */
			a[0] = (long)rnd_n(256);
			e = log_begin(C_EXIT, a);
			sys1(__NR_exit, a[0]);
			break;
		case 2:
			/* cppcheck-suppress nullPointer ; SIGSEGV on purpose */
			*(volatile char *)0 = 0;
			break;
		default:
			break;
		}
		sys1(__NR_exit_group, 0);
	}
	log_end(e, A_FORK_PROG, pid);
	if (pid > 0) {
		__atomic_fetch_add(&sh->forks, 1, __ATOMIC_RELAXED);
		add_child(pid);
	}
}

/* reap - wait4(WNOHANG) for children that ended; returns how many are
 * left. Blocking: at most ms of virtual time. */
static int reap(long ms)
{
	unsigned long until = now_ms() + (unsigned long)ms;
	int status;

	for (;;) {
		for (int i = 0; i < nchildren;) {
			long r = sys4(__NR_wait4, children[i], &status, 1, 0);

			if (r == children[i] || r == -ECHILD)
				children[i] = children[--nchildren];
			else
				i++;
		}
		if (!nchildren || ms <= 0 || now_ms() >= until)
			return nchildren;
		sleep_ms(1);
	}
}

/* fork_storm - many children at once, each writing a few pages
 * (copy-on-write of the arena) and exiting, reaped as they go. */
static void do_fork_storm(void)
{
	long a[6] = { 0 };
	struct logent *e;
	long n = (long)rnd_n(40) + 8;

	a[0] = n;
	e = log_begin(A_FORK_STORM, a);
	for (long i = 0; i < n; i++) {
		long pid;

		if (nchildren == MAX_CHILDREN)
			reap(50);
		pid = spawn(__NR_fork, 0, 0, 0, 0, 0,
			    one_in(3) ? SPAWN_EXIT : SPAWN_TOUCH,
			    ARENA + rnd_n(ARENA_PAGES) * PAGE, (long)rnd_n(16));
		if (pid < 0)
			break;
		__atomic_fetch_add(&sh->forks, 1, __ATOMIC_RELAXED);
		add_child(pid);
	}
	log_end(e, A_FORK_STORM, reap(200));
}

/*
 * clone_storm - threads on a region of their own that keep faulting it
 * in, while this thread zaps it (MADV_DONTNEED), changes its rights
 * between read-write and read-write-exec, and replaces it with MAP_FIXED:
 * never a moment where an access is refused, so the threads live; then
 * they exit and are joined through CLONE_CHILD_CLEARTID.
 */
static void do_clone_storm(void)
{
	long a[6] = { 0 }, n = (long)rnd_n(6) + 2, started = 0;
	unsigned long region = ARENA + (ARENA_PAGES - 64) * PAGE;
	unsigned long pages = 32;
	volatile int *tids = (volatile int *)(SCRATCH_SLOTS + 2 * PAGE);
	struct logent *e;
	unsigned long until;

	a[0] = n;
	e = log_begin(A_CLONE_STORM, a);
	if (sys6(__NR_mmap, (long)region, (long)(pages * PAGE),
		 PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		 0) != (long)region) {
		log_end(e, A_CLONE_STORM, -1);
		return;
	}
	for (long i = 0; i < n; i++) {
		long t;

		tids[i] = 1;
		t = spawn(__NR_clone,
			  0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 |
				  0x200000,
			  0, 0, (long)&tids[i], 0, SPAWN_TOUCH,
			  region + rnd_n(pages / 2) * PAGE, (long)(pages / 2));
		if (t < 0) {
			tids[i] = 0;
			continue;
		}
		started++;
		__atomic_fetch_add(&sh->threads, 1, __ATOMIC_RELAXED);
	}
	for (int k = 0; k < 8; k++) {
		unsigned long off = rnd_n(pages / 2) * PAGE;

		switch (rnd_n(3)) {
		case 0:
			sys3(__NR_madvise, region + off, (pages / 2) * PAGE,
			     MADV_DONTNEED);
			break;
		case 1:
			sys3(__NR_mprotect, region + off, (pages / 2) * PAGE,
			     PROT_READ | PROT_WRITE |
				     (one_in(2) ? PROT_EXEC : 0));
			break;
		default:
			sys6(__NR_mmap, (long)(region + off),
			     (long)((pages / 2) * PAGE), PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		}
	}
	/* Join: CLONE_CHILD_CLEARTID zeroes the word at exit. */
	until = now_ms() + 500;
	for (long i = 0; i < n; i++)
		while (tids[i] && now_ms() < until)
			sleep_ms(1);
	log_end(e, A_CLONE_STORM, started);
}

/* exec_child - a fork child that execs a program with arguments from
 * good to hostile; a failed execve must leave it running. */
static void do_exec_child(void)
{
	long a[6] = { 0 }, pid;
	enum ptr_class c;
	struct logent *e;
	char *strs = (char *)(SCRATCH_SLOTS + 3 * PAGE);
	long *vec = (long *)(SCRATCH_SLOTS + PAGE);
	unsigned long nvec;

	/* Paths: two real programs, missing ones, one cut by scratch's
	 * end, hostile pointers. */
	strcpy(strs, "/bin/true");
	strcpy(strs + 16, "/bin/false");
	strcpy(strs + 32, "/bin/nonexistent");
	strcpy(strs + 64, "");
	strcpy(strs + 80, "bin/true");
	memcpy((char *)(SCRATCH_END - 8), "/bin/tru", 8); /* no NUL */
	switch (rnd_n(8)) {
	case 0:
	case 1:
	case 2:
		a[0] = (long)strs;
		break;
	case 3:
		a[0] = (long)(strs + 16);
		break;
	case 4:
		a[0] = (long)(strs + 16 * rnd_n(6));
		break;
	case 5:
		a[0] = (long)(SCRATCH_END - 8);
		break;
	default:
		a[0] = (long)ptr(16, &c);
		break;
	}
	/* argv and envp: NULL, short vectors of good and bad strings, a
	 * vector with no NULL that runs off scratch's end, hostile. */
	nvec = rnd_n(6);
	for (unsigned long i = 0; i < nvec; i++)
		vec[i] = one_in(6) ? (long)ptr(8, &c) :
				     (long)(strs + 16 * rnd_n(3));
	vec[nvec] = 0;
	for (int v = 1; v <= 2; v++) {
		switch (rnd_n(6)) {
		case 0:
			a[v] = 0;
			break;
		case 1:
			a[v] = (long)ptr(8, &c);
			break;
		case 2: { /* no terminating NULL before the unmapped page */
			long *tail = (long *)(SCRATCH_END - 64);

			for (int i = 0; i < 8; i++)
				tail[i] = (long)strs;
			a[v] = (long)tail;
			break;
		}
		default:
			a[v] = (long)vec;
			break;
		}
	}
	e = log_begin(A_EXEC_CHILD, a);
	pid = sys0(__NR_fork);
	if (pid == 0) {
		e = log_begin(C_EXECVE, a);
		sys3(__NR_execve, a[0], a[1], a[2]);
		sys1(__NR_exit_group, EXIT_NOT_TRIED);
	}
	log_end(e, A_EXEC_CHILD, pid);
	if (pid > 0) {
		__atomic_fetch_add(&sh->forks, 1, __ATOMIC_RELAXED);
		add_child(pid);
	}
}

/* poe_load - children that turn POE on, map, fault everything in and
 * turn it off or exit with it on, while this process switches POE on and
 * off and reads the statistics: the tables are built and torn down
 * (first enabler, last disabler) under faults on other CPUs. */
static void do_poe_load(void)
{
	long a[6] = { 0 }, n = (long)rnd_n(3) + 1;
	struct logent *e;
	struct poe_stats *st =
		(struct poe_stats *)(SCRATCH_SLOTS + 2 * PAGE + 512);

	a[0] = n;
	e = log_begin(A_POE_LOAD, a);
	for (long i = 0; i < n; i++) {
		long pid = sys0(__NR_fork);

		if (pid == 0) {
			unsigned long pages = rnd_n(256) + 1;
			long m;

			sys0(__NR_poe_enable);
			m = sys6(__NR_mmap, 0, (long)(pages * PAGE),
				 PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (m > 0) {
				for (unsigned long p = 0; p < pages; p++)
					((volatile char *)m)[p * PAGE] = 1;
				if (one_in(2))
					sys0(__NR_poe_disable);
				if (one_in(2))
					sys2(__NR_munmap, m, pages * PAGE);
			}
			sys2(__NR_poe_stats, st, sizeof(*st));
			sys1(__NR_exit_group, 0);
		}
		if (pid > 0) {
			__atomic_fetch_add(&sh->forks, 1, __ATOMIC_RELAXED);
			add_child(pid);
		}
	}
	for (int k = 0; k < 6; k++) {
		switch (rnd_n(3)) {
		case 0:
			sys0(__NR_poe_enable);
			break;
		case 1:
			sys0(__NR_poe_disable);
			break;
		default:
			sys2(__NR_poe_stats, st, sizeof(*st));
			break;
		}
		sys0(__NR_sched_yield);
	}
	log_end(e, A_POE_LOAD, reap(300));
}

/* ---- CPU-state children --------------------------------------------------- */

/* A CPU-state program: code from the start, then at CODE_DATA the bytes
 * some templates jump to or read (a far pointer, "syscall; ud2"). */
#define CODE_DATA 0x600

struct code {
	unsigned char b[0x800];
	int n;
};

static void emit(struct code *c, const void *p, int n)
{
	/* Room for the exit sequence is always left. */
	if (c->n + n <= CODE_DATA - 64) {
		memcpy(c->b + c->n, p, (size_t)n);
		c->n += n;
	}
}

static void emit1(struct code *c, int x)
{
	unsigned char b = (unsigned char)x;

	emit(c, &b, 1);
}

/* mov reg, imm64 (REX.W B8+r). */
static void emit_mov64(struct code *c, int reg, unsigned long v)
{
	emit1(c, 0x48 | (reg >= 8));
	emit1(c, 0xb8 + (reg & 7));
	emit(c, &v, 8);
}

/* mov eax, imm32 */
static void emit_mov_eax(struct code *c, unsigned int v)
{
	emit1(c, 0xb8);
	emit(c, &v, 4);
}

/* The end of every CPU-state program: exit(EXIT_SURVIVED) on registers
 * only, whatever state the segments and flags are in. */
static void emit_exit(struct code *c)
{
	static const unsigned char tail[] = {
		0xb8, 0x3c,	     0, 0, 0, /* mov eax, 60 (exit) */
		0xbf, EXIT_SURVIVED, 0, 0, 0, /* mov edi, 0x42 */
		0x0f, 0x05,		      /* syscall */
		0x0f, 0x0b,		      /* ud2 */
	};

	emit(c, tail, sizeof(tail));
}

/* push imm32; popfq: RFLAGS = flags (the CPU keeps IOPL, IF at CPL 3). */
static void emit_flags(struct code *c, unsigned int flags)
{
	emit1(c, 0x68);
	emit(c, &flags, 4);
	emit1(c, 0x9d);
}

#define F_CF   0x1
#define F_TF   0x100
#define F_IF   0x200
#define F_DF   0x400
#define F_IOPL 0x3000
#define F_NT   0x4000
#define F_RF   0x10000
#define F_VM   0x20000
#define F_AC   0x40000
#define F_ID   0x200000

/* Instructions that must fault at CPL 3, whatever the state: the
 * privileged ones, the I/O ones (IOPL 0, no I/O bitmap), the ones the
 * CPU refuses in 64-bit mode. */
struct insn {
	const char *name;
	unsigned char len;
	unsigned char b[7];
};

static const struct insn must_fault[] = {
	/* clang-format off */
	{ "hlt",	1, { 0xf4 } },
	{ "cli",	1, { 0xfa } },
	{ "sti",	1, { 0xfb } },
	{ "in al,dx",	1, { 0xec } },
	{ "out dx,al",	1, { 0xee } },
	{ "in al,0x80",	2, { 0xe4, 0x80 } },
	{ "out 0x80,al",2, { 0xe6, 0x80 } },
	{ "insb",	1, { 0x6c } },
	{ "outsb",	1, { 0x6e } },
	{ "rdmsr",	2, { 0x0f, 0x32 } },
	{ "wrmsr",	2, { 0x0f, 0x30 } },
	{ "mov cr0,rax",3, { 0x0f, 0x22, 0xc0 } },
	{ "mov rax,cr0",3, { 0x0f, 0x20, 0xc0 } },
	{ "mov rax,cr2",3, { 0x0f, 0x20, 0xd0 } },
	{ "mov cr3,rax",3, { 0x0f, 0x22, 0xd8 } },
	{ "mov rax,cr3",3, { 0x0f, 0x20, 0xd8 } },
	{ "mov cr4,rax",3, { 0x0f, 0x22, 0xe0 } },
	{ "mov cr8,rax",4, { 0x44, 0x0f, 0x22, 0xc0 } },
	{ "mov dr7,rax",3, { 0x0f, 0x23, 0xf8 } },
	{ "mov rax,dr6",3, { 0x0f, 0x21, 0xf0 } },
	{ "lgdt [rax]",	3, { 0x0f, 0x01, 0x10 } },
	{ "lidt [rax]",	3, { 0x0f, 0x01, 0x18 } },
	{ "lldt ax",	3, { 0x0f, 0x00, 0xd0 } },
	{ "ltr ax",	3, { 0x0f, 0x00, 0xd8 } },
	{ "lmsw ax",	3, { 0x0f, 0x01, 0xf0 } },
	{ "invlpg [rax]",3,{ 0x0f, 0x01, 0x38 } },
	{ "invd",	2, { 0x0f, 0x08 } },
	{ "wbinvd",	2, { 0x0f, 0x09 } },
	{ "clts",	2, { 0x0f, 0x06 } },
	{ "swapgs",	3, { 0x0f, 0x01, 0xf8 } },
	{ "sysretq",	3, { 0x48, 0x0f, 0x07 } },
	{ "sysret",	2, { 0x0f, 0x07 } },
	{ "sysexitq",	3, { 0x48, 0x0f, 0x35 } },
	{ "stac",	3, { 0x0f, 0x01, 0xcb } },
	{ "clac",	3, { 0x0f, 0x01, 0xca } },
	{ "xsetbv",	3, { 0x0f, 0x01, 0xd1 } },
	{ "invpcid",	5, { 0x66, 0x0f, 0x38, 0x82, 0x00 } },
	{ "vmcall",	3, { 0x0f, 0x01, 0xc1 } },
	{ "ud2",	2, { 0x0f, 0x0b } },
	{ "ud1",	3, { 0x0f, 0xb9, 0xc0 } },
	{ "int3",	1, { 0xcc } },
	{ "int1",	1, { 0xf1 } },
	{ "into",	1, { 0xce } },
	{ "pop ds",	1, { 0x1f } },
	{ "push cs",	1, { 0x0e } },
	{ "les",	2, { 0xc4, 0x00 } },  /* VEX in 64-bit mode */
	{ "lock nop",	2, { 0xf0, 0x90 } },
	/* clang-format on */
};

/* Instructions that may or may not fault at CPL 3 (CR4 bits, CPU
 * features), or that work: anything but a kernel crash is fine. */
static const struct insn may_fault[] = {
	/* clang-format off */
	{ "rdtsc",	2, { 0x0f, 0x31 } },
	{ "rdtscp",	3, { 0x0f, 0x01, 0xf9 } },
	{ "rdpmc",	2, { 0x0f, 0x33 } },
	{ "cpuid",	2, { 0x0f, 0xa2 } },
	{ "sgdt [rdi]",	3, { 0x0f, 0x01, 0x07 } },
	{ "sidt [rdi]",	3, { 0x0f, 0x01, 0x0f } },
	{ "sldt ax",	3, { 0x0f, 0x00, 0xc0 } },
	{ "str ax",	3, { 0x0f, 0x00, 0xc8 } },
	{ "smsw ax",	3, { 0x0f, 0x01, 0xe0 } },
	{ "monitor",	3, { 0x0f, 0x01, 0xc8 } },
	{ "mwait",	3, { 0x0f, 0x01, 0xc9 } },
	{ "rdpkru",	3, { 0x0f, 0x01, 0xee } },
	{ "wrpkru",	3, { 0x0f, 0x01, 0xef } },
	{ "xgetbv",	3, { 0x0f, 0x01, 0xd0 } },
	{ "rdrand eax",	3, { 0x0f, 0xc7, 0xf0 } },
	{ "rdfsbase",	5, { 0xf3, 0x48, 0x0f, 0xae, 0xc0 } },
	{ "wrgsbase",	5, { 0xf3, 0x48, 0x0f, 0xae, 0xd8 } },
	{ "lar eax,eax",3, { 0x0f, 0x02, 0xc0 } },
	{ "lsl eax,eax",3, { 0x0f, 0x03, 0xc0 } },
	{ "verr ax",	3, { 0x0f, 0x00, 0xe0 } },
	{ "verw ax",	3, { 0x0f, 0x00, 0xe8 } },
	{ "sysenter",	2, { 0x0f, 0x34 } },
	{ "syscall",	2, { 0x0f, 0x05 } },
	{ "int 0x81",	2, { 0xcd, 0x81 } },
	{ "fxrstor [rdi]",4,{ 0x48, 0x0f, 0xae, 0x0f } },
	{ "ldmxcsr [rdi]",3,{ 0x0f, 0xae, 0x17 } },
	{ "div rcx",	3, { 0x48, 0xf7, 0xf1 } },
	{ "idiv rcx",	3, { 0x48, 0xf7, 0xf9 } },
	{ "mov [rdi],al",2, { 0x88, 0x07 } },
	{ "mov rax,[rsi]",3,{ 0x48, 0x8b, 0x06 } },
	{ "push rax",	1, { 0x50 } },
	{ "ret",	1, { 0xc3 } },
	{ "iretq",	2, { 0x48, 0xcf } },
	{ "lretq",	2, { 0x48, 0xcb } },
	{ "jmp rax",	2, { 0xff, 0xe0 } },
	{ "call [rsi]",	2, { 0xff, 0x16 } },
	{ "rep movsb",	2, { 0xf3, 0xa4 } },
	{ "rep stosq",	3, { 0xf3, 0x48, 0xab } },
	{ "xchg [rsi],rax",3,{ 0x48, 0x87, 0x06 } },
	{ "fld1;fldz;fdiv", 6, { 0xd9, 0xe8, 0xd9, 0xee, 0xde, 0xf9 } },
	/* clang-format on */
};

/* Values for the registers: edges of user space, kernel and
 * non-canonical addresses, the code page, the arena, random. */
static unsigned long reg_value(void)
{
	switch (rnd_n(8)) {
	case 0:
		return PICK(kernel_ptrs);
	case 1:
		return PICK(noncanonical_ptrs);
	case 2:
		return PICK(
			((const unsigned long[]){ 0, 1, -1UL, 0x7fffffffffffUL,
						  TOP_PAGE, USER_TOP - 8 }));
	case 3:
		return CODE_ADDR + sizeof(((struct code *)0)->b) + rnd_n(0x400);
	case 4:
		return ARENA + rnd_n(ARENA_PAGES * PAGE);
	case 5:
		return SCRATCH_ADDR + rnd_n(SCRATCH_PAGES * PAGE);
	default:
		return rnd();
	}
}

/* Selectors: the GDT's (arch/x86_64/gdt.c: 0x08 kernel code, 0x10
 * kernel data, 0x18 empty, 0x20 user data, 0x28 user code, 0x30 the
 * TSS), each with RPL 0 and 3, the LDT (TI=1, none loaded), and beyond. */
static unsigned int selector(void)
{
	static const unsigned short sels[] = {
		0x00, 0x03, 0x04, 0x07, 0x08, 0x0b, 0x10,   0x13,
		0x18, 0x1b, 0x20, 0x23, 0x28, 0x2b, 0x30,   0x33,
		0x38, 0x3b, 0x40, 0x43, 0x48, 0x4b, 0xfffc, 0xffff,
	};

	return one_in(8) ? (unsigned int)rnd_n(0x10000) : PICK(sels);
}

/* Whether loading sel into a segment register must fault at CPL 3:
 * DS/ES/FS/GS take the null selector and the user data and code
 * segments (RPL <= DPL 3), SS only the user data one with RPL 3. */
static int seg_load_must_fault(int sreg, unsigned int sel)
{
	unsigned int idx = sel & 0xfffc;

	if (sreg == 2) /* ss */
		return sel != 0x23;
	return !(idx == 0 || idx == 0x20 || idx == 0x28);
}

/* mov ax, sel; mov sreg, ax (sreg 0 es, 1 cs, 2 ss, 3 ds, 4 fs, 5 gs). */
static void emit_seg_load(struct code *c, int sreg, unsigned int sel)
{
	unsigned short s = (unsigned short)sel;

	emit1(c, 0x66);
	emit1(c, 0xb8);
	emit(c, &s, 2);
	emit1(c, 0x8e);
	emit1(c, 0xc0 | (sreg << 3));
}

/* The CPU-state templates. */
enum {
	T_INT_N,   /* int n, for every n in turn */
	T_MUST,	   /* a must_fault instruction, in any flag state */
	T_MAY,	   /* a may_fault instruction, registers random */
	T_SEG,	   /* segment register loads, then a call or a fault */
	T_FLAGS,   /* RFLAGS bits, then a call, a trap or a fault */
	T_TF,	   /* TF, then one instruction: must end by a signal */
	T_COMPAT,  /* far jump to 0x1b, syscall in 32-bit mode */
	T_FAR,	   /* far jump, call, return to any selector */
	T_IRET,	   /* iretq at CPL 3 with a built frame */
	T_TOP,	   /* syscall / int 0x81 on user space's last bytes */
	T_RANDOM,  /* random bytes */
	T_SYSCALL, /* syscall with every register random */
	NTEMPLATES,
};

static const char *const template_names[NTEMPLATES] = {
	"int_n", "privileged",	"may_fault",	  "segment",
	"flags", "trap_flag",	"compat_syscall", "far_transfer",
	"iretq", "top_of_user", "random",	  "syscall_regs",
};

/* Any instruction of both lists. Not a must: one before it may have
 * jumped away (ret, jmp rax, iretq) or skipped it. */
static void emit_any(struct code *c)
{
	const struct insn *i;

	if (one_in(3))
		i = &must_fault[rnd_n(sizeof(must_fault) /
				      sizeof(must_fault[0]))];
	else
		i = &may_fault[rnd_n(sizeof(may_fault) / sizeof(may_fault[0]))];
	emit(c, i->b, i->len);
}

/* The flags a template sets: NT, AC, DF, TF and the ones user mode
 * cannot change (IOPL, IF off, VM), all of them at times. */
static unsigned int flags_value(void)
{
	static const unsigned int bits[] = { F_CF, F_DF, F_IOPL, F_NT, F_RF,
					     F_VM, F_AC, F_ID,	 0x80, 0x800 };
	unsigned int f = one_in(4) ? 0x2 : 0x202; /* IF off: ignored */

	for (int n = (int)rnd_n(5); n > 0; n--)
		f |= PICK(bits);
	return f;
}

/* Set every general register but rsp to a drawn value. */
static void emit_regs(struct code *c)
{
	for (int r = 0; r < 16; r++)
		if (r != 4 && one_in(2))
			emit_mov64(c, r, reg_value());
}

/*
 * cpu_program - the code of one CPU-state child into c, for template
 * t; *must is set when it cannot end by its exit (a violation if it
 * does).
 */
static void cpu_program(struct code *c, int t, int *must)
{
	static unsigned int next_int;
	unsigned int sel;
	int sreg;

	*must = 0;
	switch (t) {
	case T_INT_N: {
		unsigned int n = (unsigned int)((sh->round * 7 + next_int++ +
						 (unsigned int)rnd_n(4)) &
						0xff);

		if (one_in(3))
			emit_flags(c, flags_value() & ~F_TF);
		emit_regs(c);
		emit1(c, 0xcd);
		emit1(c, (int)n);
		*must = n != 0x81; /* the POE null trap: a DPL 3 gate */
		break;
	}
	case T_MUST: {
		/* A privileged instruction faults in any state. */
		const struct insn *i = &must_fault[rnd_n(
			sizeof(must_fault) / sizeof(must_fault[0]))];

		if (one_in(2))
			emit_flags(c, flags_value() & ~F_TF);
		emit_regs(c);
		emit(c, i->b, i->len);
		*must = 1;
		break;
	}
	case T_MAY:
		emit_regs(c);
		if (one_in(3))
			emit_flags(c, flags_value() & ~F_TF);
		for (int k = (int)rnd_n(3) + 1; k > 0; k--)
			emit_any(c);
		break;
	case T_SEG:
		for (int k = (int)rnd_n(3) + 1; k > 0; k--) {
			sreg = PICK(((const int[]){ 0, 2, 3, 4, 5, 3, 5 }));
			sel = selector();
			emit_seg_load(c, sreg, sel);
			if (seg_load_must_fault(sreg, sel)) {
				*must = 1;
				break;
			}
		}
		if (*must)
			break;
		/* Segments the CPU took: the kernel must cope with them on
		 * its way in and out (a system call, a trap, a fault). */
		switch (rnd_n(4)) {
		case 0:
			emit_mov_eax(c, 39); /* getpid */
			emit(c, "\x0f\x05", 2);
			break;
		case 1:
			emit(c, "\xcd\x81", 2);
			break;
		case 2:
			emit_mov64(c, 7, ARENA + rnd_n(ARENA_PAGES) * PAGE);
			emit(c, "\x88\x07", 2); /* mov [rdi], al */
			break;
		default:
			emit_mov_eax(c, 24); /* sched_yield */
			emit(c, "\x0f\x05", 2);
			break;
		}
		break;
	case T_FLAGS:
		emit_flags(c, flags_value() & ~F_TF);
		switch (rnd_n(6)) {
		case 0:
			emit_mov_eax(c, 39);
			emit(c, "\x0f\x05", 2);
			break;
		case 1:
			emit(c, "\xcd\x81", 2);
			break;
		case 2:
			emit_mov64(c, 7, ARENA + rnd_n(ARENA_PAGES * PAGE));
			emit(c, "\x48\x8b\x07", 3); /* mov rax, [rdi]: AC */
			break;
		case 3: /* the privileged ones still fault (IOPL stays 0) */
			emit(c, "\xfa", 1); /* cli */
			*must = 1;
			break;
		case 4:
			emit(c, "\x48\xcf", 2); /* iretq: NT is a #GP */
			break;
		default:
			emit_mov_eax(c, 57); /* fork: the child exits too */
			emit(c, "\x0f\x05", 2);
			break;
		}
		break;
	case T_TF: {
		/* After popfq, the trap comes after the next instruction:
		 * whatever it is, the child dies (SIGTRAP, or the fault of
		 * the instruction itself). */
		unsigned int f = flags_value() | F_TF;

		emit_mov_eax(c, 39); /* what a syscall below makes */
		if (one_in(3)) {     /* mov ss shadow: the trap is delayed */
			emit(c, "\x66\xb9\x23\x00", 4); /* mov cx, 0x23 */
			emit_flags(c, f);
			emit(c, "\x8e\xd1", 2); /* mov ss, cx */
		} else {
			emit_flags(c, f);
		}
		switch (rnd_n(6)) {
		case 0:
			emit(c, "\x0f\x05", 2); /* syscall: getpid */
			break;
		case 1:
			emit(c, "\xcd\x81", 2);
			break;
		case 2:
			emit(c, "\x90", 1);
			break;
		case 3:
			emit(c, "\x0f\x34", 2); /* sysenter */
			break;
		case 4:
			emit(c, "\xcc", 1);
			break;
		default:
			emit(c, "\x88\x07", 2); /* mov [rdi], al: a fault */
			break;
		}
		*must = 1;
		break;
	}
	case T_COMPAT:
	case T_FAR: {
		/* jmp far [rip+disp32] / call far, through a far pointer
		 * m16:32 at CODE_DATA + 0x100, to 32-bit "syscall; ud2" at
		 * CODE_DATA. */
		unsigned int off = (unsigned int)(CODE_ADDR + CODE_DATA);
		unsigned short s = t == T_COMPAT ? 0x1b :
						   (unsigned short)selector();
		int disp;

		memcpy(c->b + CODE_DATA, "\x0f\x05\x0f\x0b", 4);
		memcpy(c->b + CODE_DATA + 0x100, &off, 4);
		emit_mov_eax(c, 39); /* what the syscall there makes */
		memcpy(c->b + CODE_DATA + 0x104, &s, 2);
		if (t == T_FAR && one_in(3)) {
			/* lretq to sel:target */
			emit1(c, 0x68);
			emit(c, &(unsigned int){ s }, 4); /* push sel */
			emit1(c, 0x68);
			emit(c, &off, 4); /* push target */
			emit(c, "\x48\xcb", 2);
		} else {
			emit1(c, 0xff);
			emit1(c, t == T_FAR && one_in(2) ? 0x1d : 0x2d);
			disp = CODE_DATA + 0x100 - (c->n + 4);
			emit(c, &disp, 4);
		}
		/* Only the 64-bit user code segment takes the transfer
		 * (then `syscall; ud2` in 64-bit mode ends by SIGILL). */
		*must = 1;
		break;
	}
	case T_IRET: {
		/* iretq from CPL 3: ss, rsp, rflags, cs, rip. The CPU
		 * refuses a more privileged cs or an IOPL change; the
		 * return lands at CODE_DATA (syscall; ud2). */
		unsigned int ss = one_in(2) ? 0x23 : selector();
		unsigned int cs = one_in(2) ? 0x2b : selector();
		unsigned int f = flags_value() & ~F_TF;
		unsigned long rip = one_in(4) ? reg_value() :
						CODE_ADDR + CODE_DATA;

		memcpy(c->b + CODE_DATA, "\x0f\x05\x0f\x0b", 4);
		emit_mov_eax(c, 39);
		emit1(c, 0x68);
		emit(c, &ss, 4);
		emit(c, "\x48\x89\xe0", 3);	/* mov rax, rsp */
		emit(c, "\x48\x83\xc0\x08", 4); /* add rax, 8 */
		emit1(c, 0x50);			/* push rax */
		emit1(c, 0x68);
		emit(c, &f, 4);
		emit1(c, 0x68);
		emit(c, &cs, 4);
		emit_mov64(c, 1, rip);
		emit1(c, 0x51); /* push rcx */
		emit(c, "\x48\xcf", 2);
		*must = 1; /* lands on ud2, or faults */
		break;
	}
	case T_TOP:
		/* Filled in by the child after it maps TOP_PAGE: jump to
		 * the last two bytes of user space, where syscall or
		 * int 0x81 returns to the first non-canonical address. */
		emit_mov64(c, 1, USER_TOP - 2);
		emit_mov_eax(c, one_in(2) ? 39 : 24);
		emit(c, "\xff\xe1", 2); /* jmp rcx */
		*must = 1;
		break;
	case T_RANDOM: {
		int n = (int)rnd_n(16) + 1;

		emit_regs(c);
		if (one_in(3))
			emit_flags(c, flags_value() & ~F_TF);
		for (int k = 0; k < n; k++)
			emit1(c, (int)rnd());
		break;
	}
	case T_SYSCALL:
		emit_regs(c);
		if (one_in(2))
			emit_flags(c, flags_value() & ~F_TF);
		emit_mov_eax(c, (unsigned int)PICK((
					(const long[]){ 39, 24, 186, 110, 1020,
							1002, 3, 500, 2000 })));
		if (one_in(2))
			emit_mov64(c, 4, reg_value()); /* rsp */
		emit(c, "\x0f\x05", 2);
		break;
	}
	emit_exit(c);
}

/*
 * pin - let this thread run only on its current CPU (on == 1), or on any
 * again (on == 0). A CPU-state child may loop for ever in user mode
 * (random bytes: jmp $), and under -icount QEMU 7.2 lets a vCPU that
 * neither halts nor pauses starve every vCPU after it (docs/testing.md,
 * "Several CPUs under -icount"): its parent must share its CPU, whose
 * timer then preempts the loop, to kill it.
 */
static void pin(int on)
{
	unsigned int cpu = 0;
	unsigned long mask = -1UL;

	if (on) {
		sys3(__NR_getcpu, &cpu, 0, 0);
		mask = 1UL << (cpu & 63);
	}
	sys3(__NR_sched_setaffinity, 0, sizeof(mask), &mask);
}

/*
 * cpu_child - fork a child that runs one CPU-state program, on this CPU;
 * wait for it (CHILD_WAIT_MS, then SIGKILL) and check how it ended.
 */
static void do_cpu_child(void)
{
	static struct code c;
	long a[6] = { 0 }, pid, r;
	int t, must, status = 0;
	struct logent *e;
	unsigned long until;

	t = (int)rnd_n(NTEMPLATES);
	memset(&c, 0, sizeof(c));
	cpu_program(&c, t, &must);
	a[0] = t;
	a[1] = must;
	memcpy(&a[2], c.b, 32); /* the first 32 bytes, for the report */
	e = log_begin(A_CPU_CHILD, a);
	pin(1);
	pid = sys0(__NR_fork);
	if (pid == 0) {
		void (*fn)(void) = (void (*)(void))CODE_ADDR;

		if (sys6(__NR_mmap, (long)CODE_ADDR, 2 * PAGE,
			 PROT_READ | PROT_WRITE | PROT_EXEC,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
			 0) != (long)CODE_ADDR)
			sys1(__NR_exit_group, EXIT_NOT_TRIED);
		memcpy((void *)CODE_ADDR, c.b, sizeof(c.b));
		if (t == T_TOP) {
			unsigned char *top;

			if (sys6(__NR_mmap, (long)TOP_PAGE, PAGE,
				 PROT_READ | PROT_WRITE | PROT_EXEC,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
				 0) != (long)TOP_PAGE)
				sys1(__NR_exit_group, EXIT_NOT_TRIED);
			hw_fault(HW_TOP, e); /* the kernel let it map it */
			top = (unsigned char *)(USER_TOP - 2);
			if (one_in(2))
				top[0] = 0x0f, top[1] = 0x05; /* syscall */
			else
				top[0] = 0xcd, top[1] = 0x81; /* int 0x81 */
			sys3(__NR_mprotect, TOP_PAGE, PAGE,
			     PROT_READ | PROT_EXEC);
		}
		/* No code that writes itself: a loop of random bytes that
		 * stores into its own page makes QEMU's TCG retranslate it at
		 * every store, and under -icount those instructions are never
		 * counted, so the virtual clock stops, no timer fires, and
		 * the whole machine hangs (seed 1, round 1443). So the code
		 * page becomes read-only, and the arena, which the program
		 * may have made writable and executable, a fresh read-write
		 * one. */
		sys3(__NR_mprotect, CODE_ADDR, 2 * PAGE, PROT_READ | PROT_EXEC);
		sys6(__NR_mmap, (long)ARENA, ARENA_PAGES * PAGE,
		     PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		fn();
		sys1(__NR_exit_group, EXIT_SURVIVED);
	}
	if (pid < 0) {
		pin(0);
		log_end(e, A_CPU_CHILD, pid);
		return;
	}
	until = now_ms() + CHILD_WAIT_MS;
	while ((r = sys4(__NR_wait4, pid, &status, 1, 0)) == 0 &&
	       now_ms() < until)
		sleep_ms(1);
	if (r == 0) { /* still running (a loop of random bytes): kill */
		sys2(__NR_kill, pid, SIGKILL);
		r = sys4(__NR_wait4, pid, &status, 0, 0);
		pin(0);
		__atomic_fetch_add(&sh->cpu_outcome[CPU_KILLED], 1,
				   __ATOMIC_RELAXED);
		log_end(e, A_CPU_CHILD, r == pid ? -2 : r);
		return;
	}
	pin(0);
	log_end(e, A_CPU_CHILD, status);
	if (r != pid)
		return;
	if (WIFSIGNALED(status)) {
		__atomic_fetch_add(&sh->cpu_outcome[CPU_SIGNAL], 1,
				   __ATOMIC_RELAXED);
		__atomic_fetch_add(&sh->sigs[WTERMSIG(status) & 63], 1,
				   __ATOMIC_RELAXED);
	} else if (WEXITSTATUS(status) == EXIT_NOT_TRIED) {
		/* T_TOP: the kernel refused the last page, as Linux does */
		__atomic_fetch_add(&sh->cpu_outcome[CPU_NOT_TRIED], 1,
				   __ATOMIC_RELAXED);
	} else {
		__atomic_fetch_add(&sh->cpu_outcome[CPU_EXITED], 1,
				   __ATOMIC_RELAXED);
		if (must && WEXITSTATUS(status) == EXIT_SURVIVED) {
			char why[96];

			snprintf(why, sizeof(why),
				 "CPU-state child (%s) ran to its exit past an "
				 "instruction that must fault",
				 template_names[t]);
			violation(e, why);
		}
	}
}

/* ---- programs ------------------------------------------------------------- */

static int pick_kind(void)
{
	static int total;
	int r;

	if (!total)
		for (int k = 0; k < NKINDS; k++)
			total += kinds[k].weight;
	r = (int)rnd_n((unsigned long)total);
	for (int k = 0; k < NKINDS; k++) {
		if (r < kinds[k].weight)
			return k;
		r -= kinds[k].weight;
	}
	return C_GETPID;
}

/* run_program - ncalls calls and actions drawn from rng. Deeper fork
 * children run no storms and no fork programs of their own. */
static void run_program(int ncalls)
{
	for (int i = 0; i < ncalls; i++) {
		int k = pick_kind();

		switch (k) {
		case C_FORK:
		case C_VFORK:
		case C_CLONE:
			do_spawn(k);
			break;
		case C_EXECVE:
		case A_EXEC_CHILD:
			do_exec_child();
			break;
		case A_TOUCH:
			if (depth > 0 || one_in(2))
				do_touch();
			break;
		case A_FORK_PROG:
			if (depth < 2)
				do_fork_prog();
			break;
		case A_FORK_STORM:
			if (depth == 0)
				do_fork_storm();
			break;
		case A_CLONE_STORM:
			if (depth == 0)
				do_clone_storm();
			break;
		case A_POE_LOAD:
			if (depth == 0)
				do_poe_load();
			break;
		case A_CPU_CHILD:
			if (cfg.cpu)
				do_cpu_child();
			break;
		case A_HUGE:
			do_huge();
			break;
		default:
			do_call(k);
			break;
		}
		if (nchildren > MAX_CHILDREN / 2)
			reap(0);
	}
}

/*
 * worker - one worker of round `round`: map scratch and the arena, turn
 * POE on when init runs with it (poe.always=1 makes exec'd programs POE
 * ones, not forked ones), run the program, then kill and reap what is
 * left of its children.
 */
static void __attribute__((noreturn))
worker(unsigned long round, int w, int poe)
{
	slot = w;
	depth = 0;
	nchildren = 0;
	rng = mix(mix(cfg.seed) ^ mix(round * 0x100 + (unsigned long)w + 1));
	if (poe)
		sys0(__NR_poe_enable);
	if (sys6(__NR_mmap, (long)SCRATCH_ADDR, SCRATCH_PAGES * PAGE,
		 PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		 0) != (long)SCRATCH_ADDR)
		sys1(__NR_exit_group, 2);
	if (sys6(__NR_mmap, (long)ARENA, ARENA_PAGES * PAGE,
		 PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != (long)ARENA)
		sys1(__NR_exit_group, 2);
	run_program((int)rnd_n(cfg.calls * 2) + 1);
	for (int i = 0; i < nchildren; i++)
		sys2(__NR_kill, children[i], SIGKILL);
	reap(1000);
	sys1(__NR_exit_group, 0);
	for (;;)
		;
}

/* ---- the manager ------------------------------------------------------------ */

static int poe_on;	    /* init runs with POE (poe.always=1) */
static unsigned long ncpus; /* from poe_stats */
static struct meminfo base; /* the baseline */
static int failed;

static int poe_stats_now(struct poe_stats *st)
{
	memset(st, 0, sizeof(*st));
	return sys2(__NR_poe_stats, st, sizeof(*st)) > 0 ? 0 : -1;
}

/*
 * settle - wait until POE is quiet (no pre-fault thread, every table
 * full: poe_settled(); nothing to wait for with POE off) and the free
 * count has stayed the same over three reads 2 ms apart, at most
 * SETTLE_MS; then until it equals want. Modelled on poe_settle_free()
 * and poe_wait_idle() of tests/user/poe_util.h, which a program outside
 * the test harness cannot include. *mi holds the last meminfo.
 * Returns 0, or -1 when POE never settled.
 */
static int settle(unsigned long want, struct meminfo *mi)
{
	unsigned long until = now_ms() + SETTLE_MS;
	struct poe_stats st;
	struct meminfo a, b;
	int same = 0;

	while (poe_stats_now(&st) == 0 && st.enabled && !poe_settled(&st)) {
		if (now_ms() >= until)
			return -1;
		sleep_ms(2);
	}
	sys1(__NR_meminfo, &a);
	while (same < 2 && now_ms() < until) {
		sleep_ms(2);
		sys1(__NR_meminfo, &b);
		same = b.free_pages == a.free_pages ? same + 1 : 0;
		a = b;
	}
	*mi = a;
	while (mi->free_pages != want && now_ms() < until) {
		sleep_ms(10);
		sys1(__NR_meminfo, mi);
	}
	return 0;
}

static void print_ring(int w)
{
	struct ring *r = &sh->ring[w];
	unsigned long head = r->head, from = head > LOG_N ? head - LOG_N : 0;

	out("fuzz:   worker %d: its last %lu calls (of %lu):", w, head - from,
	    head);
	for (unsigned long i = from; i < head; i++) {
		char buf[256];

		format_call(buf, sizeof(buf), &r->e[i % LOG_N]);
		out("fuzz:     %s", buf);
	}
}

/* print_pending - the calls of worker w's processes that have not
 * returned (what a round that ran out of time waits in). */
static void print_pending(int w)
{
	struct ring *r = &sh->ring[w];
	unsigned long head = r->head, from = head > LOG_N ? head - LOG_N : 0;

	for (unsigned long i = from; i < head; i++) {
		const struct logent *e = &r->e[i % LOG_N];
		char buf[256];

		if (e->done || sys2(__NR_kill, e->pid, 0) != 0)
			continue;
		format_call(buf, sizeof(buf), e);
		out("fuzz: round %lu: worker %d waits in %s", sh->round, w,
		    buf);
	}
}

/* fork_probe - the next pid the kernel will hand out (pids only grow). */
static long fork_probe(void)
{
	long pid = sys0(__NR_fork);
	int status;

	if (pid == 0)
		sys1(__NR_exit_group, 0);
	if (pid > 0)
		sys4(__NR_wait4, pid, &status, 0, 0);
	return pid;
}

/* kill_round - SIGKILL every pid the round can have made, from its
 * first worker's up to now: workers, their children and orphans. */
static void kill_round(long first)
{
	long last = fork_probe();

	for (long p = first; p > 1 && p < last; p++)
		sys2(__NR_kill, p, SIGKILL);
}

/* reap_all - reap every child of init that ended: the workers, and the
 * processes cloned with CLONE_PARENT; counts workers a signal ended.
 * Returns 1 while init still has children, 0 when it has none. */
static int reap_all(void)
{
	int status;
	long r;

	while ((r = sys4(__NR_wait4, -1, &status, 1, 0)) > 0)
		if (WIFSIGNALED(status))
			sh->workers_signaled++;
	return r == 0;
}

static int tasks_now(void)
{
	struct meminfo mi;

	sys1(__NR_meminfo, &mi);
	return (int)mi.nr_tasks;
}

/*
 * run_round - fork the workers of round r, wait for them (killing the
 * round at round_ms), and check the hang and leak oracles. Returns 0,
 * or -1 when the round hung (the run must stop: the kernel is stuck).
 */
static int run_round(unsigned long r, unsigned long *ncalls)
{
	unsigned long t0 = now_ms(), calls0 = 0, calls1 = 0;
	int nw = (int)(mix(cfg.seed ^ mix(r)) % cfg.workers) + 1;
	long first = 0;
	int killed = 0;
	struct meminfo mi;

	for (int k = 0; k < NKINDS; k++)
		calls0 += sh->calls[k];
	sh->round = r;
	sh->trace = cfg.trace >= 0 && (long)r >= cfg.trace;
	for (int w = 0; w < nw; w++) {
		long pid;

		sh->ring[w].head = 0;
		pid = sys0(__NR_fork);
		if (pid == 0)
			worker(r, w, poe_on);
		if (pid < 0) {
			out("fuzz: fork of worker %d: %ld", w, pid);
			continue;
		}
		if (!first)
			first = pid;
	}
	/* Wait for the round to end on its own, or kill it. */
	for (;;) {
		if (!reap_all() && tasks_now() <= (int)base.nr_tasks)
			break;
		if (!killed && now_ms() - t0 >= cfg.round_ms) {
			for (int w = 0; w < nw; w++)
				print_pending(w);
			kill_round(first);
			killed = 1;
		}
		if (killed && now_ms() - t0 >= cfg.round_ms + KILL_GRACE_MS) {
			out("fuzz: FAIL hang: seed %lu round %lu: %d tasks "
			    "(baseline %lu) still there %d ms after SIGKILL "
			    "(round_ms %lu)",
			    cfg.seed, r, tasks_now(), base.nr_tasks,
			    KILL_GRACE_MS, cfg.round_ms);
			for (int w = 0; w < nw; w++)
				print_ring(w);
			return -1;
		}
		/* The orphans' exit is not ours to see: poll. */
		sleep_ms(1);
	}
	if (sh->violations) {
		failed = 1;
		for (int w = 0; w < nw; w++)
			print_ring(w);
		sh->violations = 0;
	}
	for (int k = 0; k < NKINDS; k++)
		calls1 += sh->calls[k];
	*ncalls = calls1 - calls0;
	if (settle(base.free_pages, &mi)) {
		struct poe_stats st;

		out("fuzz: FAIL hang: seed %lu round %lu: POE did not settle "
		    "in %d ms",
		    cfg.seed, r, SETTLE_MS);
		sys1(__NR_meminfo, &mi);
		if (poe_stats_now(&st) == 0)
			out("fuzz: POE now: enabled %lu, pre-fault threads %lu, "
			    "valid %lu used %lu of %lu x %lu entries, "
			    "free pages %lu",
			    st.enabled, st.prefault_active, st.table_valid,
			    st.table_used, st.nr_entries, st.nr_cpus,
			    mi.free_pages);
		return -1;
	}
	if (mi.free_pages != base.free_pages) {
		failed = 1;
		out("fuzz: FAIL leak: seed %lu round %lu: free pages %lu, "
		    "baseline %lu (%+ld); tasks %lu",
		    cfg.seed, r, mi.free_pages, base.free_pages,
		    (long)(mi.free_pages - base.free_pages), mi.nr_tasks);
		for (int w = 0; w < nw; w++)
			print_ring(w);
		base.free_pages = mi.free_pages; /* report each leak once */
	}
	out("fuzz: round %lu: %d workers, %lu calls, %lu ms%s, t=%lu.%03lus", r,
	    nw, *ncalls, now_ms() - t0, killed ? " (killed)" : "",
	    now_ms() / 1000, now_ms() % 1000);
	return 0;
}

static void parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *v = strchr(argv[i], '=');
		unsigned long n;

		if (!v) {
			out("fuzz: argument '%s' ignored (want key=value)",
			    argv[i]);
			continue;
		}
		*v++ = '\0';
		n = strtoul(v, NULL, 0);
		if (!strcmp(argv[i], "seed"))
			cfg.seed = n;
		else if (!strcmp(argv[i], "rounds"))
			cfg.rounds = n;
		else if (!strcmp(argv[i], "minutes"))
			cfg.minutes = n;
		else if (!strcmp(argv[i], "round_ms"))
			cfg.round_ms = n ? n : 1;
		else if (!strcmp(argv[i], "workers"))
			cfg.workers = n < 1	      ? 1 :
				      n > MAX_WORKERS ? MAX_WORKERS :
							n;
		else if (!strcmp(argv[i], "calls"))
			cfg.calls = n ? n : 1;
		else if (!strcmp(argv[i], "trace"))
			cfg.trace = (long)n;
		else if (!strcmp(argv[i], "start"))
			cfg.start = (long)n;
		else if (!strcmp(argv[i], "cpu"))
			cfg.cpu = n != 0;
		else if (!strcmp(argv[i], "realcpu"))
			cfg.realcpu = n != 0;
		else
			out("fuzz: unknown argument '%s'", argv[i]);
	}
}

/*
 * The longest interrupts-off section of the run on each CPU, and the
 * longest of all, from the kernel's tracer (irqsoff_stats, private call
 * 1030; kernel/irqsoff.c): boot with irqsoff.trace=1, as tools/fuzz.sh
 * and the fuzz step do. Ticks are TSC ticks (under -icount shift=0 one
 * per guest instruction, and one per ns of virtual time); the time is
 * the kernel's conversion. A figure to read, not an oracle: nothing
 * fails on it (docs/testing.md).
 */
static void print_irqsoff(void)
{
	static struct irqsoff_stats st; /* 2 KiB: not on the stack */
	const struct irqsoff_cpu_stats *c;

	if (sys2(__NR_irqsoff_stats, (long)&st, sizeof(st)) <
	    (long)sizeof(st)) {
		out("fuzz: irqsoff: no irqsoff_stats call: not this kernel?");
		return;
	}
	if (!st.tracing) {
		out("fuzz: irqsoff: not traced (boot with irqsoff.trace=1)");
		return;
	}
	for (unsigned long i = 0; i < st.nr_cpus; i++) {
		c = &st.cpu[i];
		out("fuzz: irqsoff: cpu %lu: longest %lu ticks (%lu.%03lu us) "
		    "from %s to %s, pid %lu, of %lu sections",
		    i, c->max_ticks, c->max_ns / 1000, c->max_ns % 1000,
		    c->start_sym, c->end_sym, c->pid, c->sections);
	}
	c = &st.cpu[st.max_cpu];
	out("fuzz: irqsoff: longest interrupts-off section %lu ticks "
	    "(%lu.%03lu us) on cpu %lu, from %s to %s%s",
	    c->max_ticks, c->max_ns / 1000, c->max_ns % 1000, st.max_cpu,
	    c->start_sym, c->end_sym,
	    c->max_ns > 1000000 ? " (over 1 ms)" : "");
}

/*
 * The huge-page events of the run (docs/thp.md), from /proc/vmstat with
 * Linux's names: how often the fuzzer's arena got a 2 MiB page and how
 * often it split one. The kernel's counters are global: since boot, so
 * a run right after boot is the fuzzer's alone. A figure; the test runner
 * checks that it is there and not zero (tools/run_tests.py).
 */
static void print_thp(void)
{
	static const char *const names[] = { "thp_fault_alloc",
					     "thp_fault_fallback",
					     "thp_split_pmd" };
	unsigned long v[3] = { 0, 0, 0 };
	char buf[4096], *line;
	long n;
	int fd = open("/proc/vmstat", O_RDONLY);

	if (fd < 0) {
		out("fuzz: thp: no /proc/vmstat");
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	for (line = buf; line && *line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		for (int i = 0; i < 3; i++) {
			size_t len = strlen(names[i]);

			if (strncmp(line, names[i], len) == 0 &&
			    line[len] == ' ')
				v[i] = strtoul(line + len + 1, NULL, 10);
		}
	}
	out("fuzz: thp: %lu huge faults, %lu fall-backs, %lu huge pmds split "
	    "(/proc/vmstat)",
	    v[0], v[1], v[2]);
}

static void print_totals(unsigned long rounds, unsigned long t0)
{
	unsigned long calls = 0, actions = 0, ms = now_ms() - t0;
	char line[400];
	int n = 0;

	for (int k = 0; k < NCALLS; k++)
		calls += sh->calls[k];
	for (int k = NCALLS; k < NKINDS; k++)
		actions += sh->calls[k];
	out("fuzz: totals: seed %lu, %lu rounds, %lu calls, %lu actions, "
	    "virtual time %lu.%03lu s, cpus %lu, poe %s",
	    cfg.seed, rounds, calls, actions, ms / 1000, ms % 1000, ncpus,
	    poe_on ? "on (poe.always=1)" : "off");
	for (int k = 0; k < NKINDS; k++)
		out("fuzz: calls %-18s %8lu  ok %8lu  efault %8lu",
		    kinds[k].name, sh->calls[k], sh->ok[k], sh->efault[k]);
	out("fuzz: tasks: %lu forks, %lu threads, %lu workers killed by a "
	    "signal",
	    sh->forks, sh->threads, sh->workers_signaled);
	for (int s = 1; s < 65; s++)
		if (sh->sigs[s])
			n += snprintf(line + n, sizeof(line) - (size_t)n,
				      " %s %lu", strsignal(s), sh->sigs[s]);
	out("fuzz: cpu-state children: %lu by a signal (%s), %lu exited, "
	    "%lu killed at their time limit, %lu not tried",
	    sh->cpu_outcome[CPU_SIGNAL], n ? line + 1 : "-",
	    sh->cpu_outcome[CPU_EXITED], sh->cpu_outcome[CPU_KILLED],
	    sh->cpu_outcome[CPU_NOT_TRIED]);
	out("fuzz: faults only a real CPU raises (realcpu=%d): non-canonical "
	    "clone TLS %lu, last user page mapped %lu",
	    cfg.realcpu, sh->hw[HW_TLS], sh->hw[HW_TOP]);
	out("fuzz: program hash %016lx", sh->hash);
	print_irqsoff();
	print_thp();
}

int main(int argc, char **argv)
{
	unsigned long t0, r, ncalls;
	struct poe_stats st;
	long m;

	parse_args(argc, argv);
	if (cfg.workers > MAX_WORKERS)
		cfg.workers = MAX_WORKERS;
	m = sys6(__NR_mmap, (long)SHARED_ADDR, (long)sizeof(struct shared),
		 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0);
	if (m != (long)SHARED_ADDR) {
		out("fuzz: mmap of the shared page: %ld", m);
		return 2;
	}
	if (poe_stats_now(&st)) {
		out("fuzz: poe_stats failed: not this kernel?");
		return 2;
	}
	poe_on = (int)st.proc_enabled;
	ncpus = st.nr_cpus;
	out("fuzz: seed %lu, rounds %lu, minutes %lu, round_ms %lu, workers "
	    "1..%lu, calls ~%lu, cpus %lu, poe %s",
	    cfg.seed, cfg.rounds, cfg.minutes, cfg.round_ms, cfg.workers,
	    cfg.calls, ncpus, poe_on ? "on (poe.always=1)" : "off");
	/* The baseline: after a fork and a settle, so that everything the
	 * manager itself will use is already counted. */
	fork_probe();
	reap_all();
	if (settle(0, &base)) {
		out("fuzz: FAIL hang: POE did not settle before the first round");
		return 1;
	}
	out("fuzz: baseline: %lu free pages of %lu, %lu tasks", base.free_pages,
	    base.managed_pages, base.nr_tasks);
	t0 = now_ms();
	for (r = (unsigned long)cfg.start;; r++) {
		if (cfg.rounds && r >= (unsigned long)cfg.start + cfg.rounds)
			break;
		if (cfg.minutes && now_ms() - t0 >= cfg.minutes * 60000)
			break;
		if (run_round(r, &ncalls)) {
			failed = 1;
			r++;
			break;
		}
	}
	print_totals(r - (unsigned long)cfg.start, t0);
	out("fuzz: result: %s", failed ? "FAIL" : "PASS");
	return failed;
}
