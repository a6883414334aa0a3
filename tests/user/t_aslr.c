/*
 * t_aslr - address-space layout randomization at exec: with it on, two
 * programs exec'd one after the other get different stack tops, first
 * stack pointers, mmap addresses and heap starts; with it off (Linux's
 * norandmaps, randomize_va_space 0), or with personality(ADDR_NO_RANDOMIZE),
 * they get the same ones, and the stack ends at 0x7ffffffff000 on Linux
 * and here alike.
 *
 *   t_aslr on | off    expect randomization on (off); tools/run_tests.py
 *                      boots both ways (step cmdline)
 *   t_aslr             find out: on Linux from
 *                      /proc/sys/kernel/randomize_va_space, here (no /proc)
 *                      from the probes themselves, which must then agree
 *                      on every field or on none
 *
 * There is no /proc/PID/maps to read, so each probe reports its own
 * layout: a chain of execs of this program (--probe), each measuring
 * itself first thing (the stack top from AT_EXECFN, whose string ends
 * at the top of the stack on both kernels; the first stack pointer; the
 * first mmap(); brk(0)), comparing with the first of the chain, which it
 * gets in argv as fixed-width hex (so that every probe's strings, and
 * thus its stack, take the same room), and exec'ing the next; the last
 * one exits with a bit per field that differed and one for "every stack
 * top was 0x7ffffffff000". Each probe prints its layout.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_aslr"
#include "utest.h"
#include "mm_util.h"
#include <sys/personality.h>
#include <sys/syscall.h>

#ifndef ADDR_NO_RANDOMIZE
#define ADDR_NO_RANDOMIZE 0x0040000
#endif
#define AT_NULL_   0
#define AT_EXECFN_ 31
#define STACK_TOP  0x7ffffffff000UL /* Linux's STACK_TOP, and ours */
#define PROBES	   4		    /* processes in a chain */
#define NFIELDS	   4
#define ALL_AT_TOP (1 << NFIELDS)

static const char *const field_names[NFIELDS] = { "stack top", "first sp",
						  "mmap", "brk" };

/* Fixed-width hex, so that every probe's argv has the same length. */
static void hex16(char *buf, unsigned long v)
{
	for (int i = 15; i >= 0; i--, v >>= 4)
		buf[i] = "0123456789abcdef"[v & 15];
	buf[16] = '\0';
}

static unsigned long unhex(const char *s)
{
	unsigned long v = 0;

	for (; *s; s++)
		v = v * 16 +
		    (unsigned long)(*s <= '9' ? *s - '0' : *s - 'a' + 10);
	return v;
}

/* The auxv entry type, from the initial stack after envp. */
static unsigned long auxv_get(char **argv, int argc, unsigned long type)
{
	char **p = argv + argc + 1;
	unsigned long *a;

	while (*p)
		p++;
	for (a = (unsigned long *)(p + 1); a[0] != AT_NULL_; a += 2)
		if (a[0] == type)
			return a[1];
	return 0;
}

/*
 * A probe: t_aslr --probe LEFT FLAGS S0 P0 M0 B0 (hex). LEFT probes come
 * after this one; FLAGS: the differ bits so far, and ALL_AT_TOP while
 * every stack top was STACK_TOP; S0.. the first probe's fields (all 0 in
 * the first probe itself).
 */
static int probe(int argc, char **argv)
{
	unsigned long f[NFIELDS], first[NFIELDS], flags, left, execfn;
	char buf[2 + NFIELDS][17], *av[5 + NFIELDS];
	char *none[] = { NULL };
	void *m;

	/* Measure before anything else maps or moves the break. */
	f[1] = (unsigned long)argv - sizeof(long); /* &argc: the first sp */
	m = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f[2] = (unsigned long)m;
	f[3] = (unsigned long)syscall(SYS_brk, 0);
	execfn = auxv_get(argv, argc, AT_EXECFN_);
	f[0] = (execfn + strlen((char *)execfn) + 1 + PAGE - 1) & ~(PAGE - 1);
	if (argc != 4 + NFIELDS)
		return 100;
	left = unhex(argv[2]);
	flags = unhex(argv[3]);
	for (int i = 0; i < NFIELDS; i++)
		first[i] = unhex(argv[4 + i]);
	if (!first[0]) { /* the first probe */
		memcpy(first, f, sizeof(first));
		flags = ALL_AT_TOP;
	}
	for (int i = 0; i < NFIELDS; i++)
		if (f[i] != first[i])
			flags |= 1UL << i;
	if (f[0] != STACK_TOP)
		flags &= ~(unsigned long)ALL_AT_TOP;
	diag("probe %lu: stack top %#lx, sp %#lx, mmap %#lx, brk %#lx",
	     PROBES - left, f[0], f[1], f[2], f[3]);
	if (!left)
		return (int)flags;
	av[0] = argv[0];
	av[1] = (char *)"--probe";
	hex16(buf[0], left - 1);
	hex16(buf[1], flags);
	for (int i = 0; i < NFIELDS; i++)
		hex16(buf[2 + i], first[i]);
	for (int i = 0; i < 2 + NFIELDS; i++)
		av[2 + i] = buf[i];
	av[4 + NFIELDS] = NULL;
	fflush(stdout);
	syscall(SYS_execve, argv[0], av, none);
	return 101;
}

static const char *self;

/* A child: ADDR_NO_RANDOMIZE on (arg != NULL) or off, whatever this
 * test inherited (setarch -R), then start a chain. */
static int chain(void *arg)
{
	char zero[17], left[17], *av[5 + NFIELDS];
	char *none[] = { NULL };
	int p = personality(0xffffffff);

	/* Without personality(2) the randomized chain still runs. */
	if (p == -1 && arg)
		return 102;
	if (p != -1) {
		p = arg ? p | ADDR_NO_RANDOMIZE : p & ~ADDR_NO_RANDOMIZE;
		if (personality((unsigned long)p) == -1)
			return 102;
	}
	hex16(zero, 0);
	hex16(left, PROBES - 1);
	av[0] = (char *)self;
	av[1] = (char *)"--probe";
	av[2] = left;
	av[3] = zero;
	for (int i = 0; i < NFIELDS; i++)
		av[4 + i] = zero;
	av[4 + NFIELDS] = NULL;
	syscall(SYS_execve, self, av, none);
	return 103;
}

/* Run a chain; returns its flags, or -1 after a FAIL. */
static int run_chain(const char *what, int no_randomize)
{
	int status = run_child(chain, no_randomize ? (void *)1 : NULL);

	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) >= 100) {
		utest_failures++;
		diag("FAIL %s: the probes did not run to the end", what);
		if (status != -1)
			describe_status(what, status);
		return -1;
	}
	return WEXITSTATUS(status);
}

/* Check a chain's flags against the expected differ bits. */
static void expect(const char *what, int flags, int differ, int all_at_top)
{
	utest_checks++;
	if (flags < 0)
		return;
	if ((flags & (ALL_AT_TOP - 1)) == differ &&
	    !!(flags & ALL_AT_TOP) == all_at_top)
		return;
	utest_failures++;
	for (int i = 0; i < NFIELDS; i++)
		if (((flags ^ differ) >> i) & 1)
			diag("FAIL %s: the %s %s from probe to probe", what,
			     field_names[i],
			     (flags >> i) & 1 ? "changed" : "stayed the same");
	if (!!(flags & ALL_AT_TOP) != all_at_top)
		diag("FAIL %s: the stack top was %s %#lx", what,
		     all_at_top ? "not always" : "always", STACK_TOP);
}

/* Linux's setting, or -1 where there is no /proc (raw open(): our libc
 * has no stdio files, and this kernel answers ENOSYS). */
static int linux_randomize_va_space(void)
{
	long fd = syscall(__NR_open, "/proc/sys/kernel/randomize_va_space",
			  0 /* O_RDONLY */);
	char c = 0;

	if (fd < 0)
		return -1;
	if (read((int)fd, &c, 1) != 1 || c < '0' || c > '9')
		c = 0;
	close((int)fd);
	return c ? c - '0' : -1;
}

int main(int argc, char **argv)
{
	const int all = (1 << NFIELDS) - 1, brk_bit = 1 << 3;
	int plain, fixed, want;

	if (argc > 1 && strcmp(argv[1], "--probe") == 0)
		return probe(argc, argv);
	self = argv[0];
	plain = run_chain("randomized", 0);
	fixed = run_chain("ADDR_NO_RANDOMIZE", 1);
	if (argc > 1 && strcmp(argv[1], "on") == 0) {
		want = all;
	} else if (argc > 1 && strcmp(argv[1], "off") == 0) {
		want = 0;
	} else {
		int v = linux_randomize_va_space();

		if (v == 0)
			want = 0;
		else if (v == 1) /* stack and mmap, not the heap */
			want = all & ~brk_bit;
		else if (v >= 2)
			want = all;
		else /* here: all or nothing; mixed is a failure below */
			want = plain > 0 && (plain & all) ? all : 0;
		diag("randomization %s (%s)", want ? "on" : "off",
		     v >= 0 ? "kernel.randomize_va_space" :
			      "as the probes show");
	}
	expect("randomized", plain, want, !want);
	expect("ADDR_NO_RANDOMIZE", fixed, 0, 1);
	return utest_done();
}
