/*
 * p_sys - what a C library asks about the machine: getrandom(2) (and
 * its flags and errors), sysinfo(2), and getrusage(2)'s run time, peak
 * resident set (ru_maxrss) and minor faults, for the process and for a
 * child waited for.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include "ptest.h"

#define MIB (1024 * 1024)

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long ru_us(const struct rusage *ru)
{
	return (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000000L +
	       ru->ru_utime.tv_usec + ru->ru_stime.tv_usec;
}

/* Map and touch n bytes of fresh memory. */
static char *touch(size_t n)
{
	char *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	for (size_t i = 0; i < n; i += 4096)
		((volatile char *)p)[i] = 1;
	return p;
}

int main(void)
{
	unsigned char a[64], b[64], zero[64] = { 0 };
	struct sysinfo si;
	struct rusage r0, r1, rc;
	long long t0;
	volatile unsigned long spin = 0;
	char *p;

	/* getrandom */
	CHECK_EQ(getrandom(a, sizeof(a), 0), sizeof(a));
	CHECK_EQ(getrandom(b, sizeof(b), GRND_NONBLOCK), sizeof(b));
	CHECK(memcmp(a, b, sizeof(a)) != 0);
	CHECK(memcmp(a, zero, sizeof(a)) != 0);
	CHECK_EQ(getrandom(a, 16, GRND_RANDOM | GRND_NONBLOCK), 16);
	CHECK_EQ(syscall(SYS_getrandom, a, 16, 0x0004), 16); /* INSECURE */
	CHECK_EQ(getrandom(NULL, 0, 0), 0);
	CHECK_ERR(getrandom(a, 16, 0x0008), EINVAL);
	CHECK_ERR(syscall(SYS_getrandom, a, 16, 0x0004 | GRND_RANDOM), EINVAL);
	CHECK_ERR(syscall(SYS_getrandom, (void *)16, 16, 0), EFAULT);

	/* sysinfo */
	CHECK_EQ(sysinfo(&si), 0);
	CHECK(si.uptime > 0);
	CHECK(si.mem_unit >= 1);
	CHECK(si.totalram > 0 && si.freeram > 0 && si.freeram < si.totalram);
	CHECK((unsigned long long)si.totalram * si.mem_unit >= 16ULL * MIB);
	CHECK(si.procs >= 1);
	CHECK_ERR(syscall(SYS_sysinfo, (void *)16), EFAULT);

	/* getrusage: time runs, the peak stays after a munmap. In a child:
	 * Linux counts in ru_maxrss the address space exec replaced too,
	 * the parent's copy, which may be larger than all this program
	 * does; a fork's starts from our own small rss. */
	CHECK_EQ(getrusage(RUSAGE_SELF, &r0), 0);
	CHECK(r0.ru_maxrss > 0);
	{
		pid_t pid = fork();
		int status = -1;

		if (pid == 0) {
			CHECK_EQ(getrusage(RUSAGE_SELF, &r0), 0);
			p = touch(16 * MIB);
			CHECK(p != NULL);
			t0 = now_ns();
			while (now_ns() - t0 < 50 * 1000 * 1000LL)
				spin++;
			CHECK_EQ(getrusage(RUSAGE_SELF, &r1), 0);
			/* Linux's rss counters are per CPU, read without
			 * summing exactly: allow for a lag (a megabyte and
			 * more seen on 8 MiB) */
			CHECK(r1.ru_maxrss >= r0.ru_maxrss + 8 * 1024);
			CHECK(ru_us(&r1) > ru_us(&r0));
			CHECK(r1.ru_minflt >= r0.ru_minflt + 15 * 256);
			CHECK_EQ(getrusage(RUSAGE_THREAD, &r0), 0);
			CHECK(r0.ru_maxrss >= r1.ru_maxrss);
			CHECK(ru_us(&r0) > 0);
			if (p)
				munmap(p, 16 * MIB);
			CHECK_EQ(getrusage(RUSAGE_SELF, &r0), 0);
			CHECK(r0.ru_maxrss >= r1.ru_maxrss); /* a peak stays */
			_exit(pt_failed ? 1 : 0);
		}
		/* only once the child's lines are out: the same order
		 * everywhere */
		CHECK_EQ(waitpid(pid, &status, 0), pid);
		CHECK(pid > 0);
		CHECK_EQ(status, 0);
	}

	/* a child: its peak and run time count once it is waited for */
	{
		pid_t pid = fork();
		int status = -1;

		if (pid == 0) {
			(void)touch(24 * MIB);
			t0 = now_ns();
			while (now_ns() - t0 < 30 * 1000 * 1000LL)
				spin++;
			_exit(0);
		}
		CHECK(pid > 0);
		CHECK_EQ(waitpid(pid, &status, 0), pid);
		CHECK_EQ(status, 0);
		CHECK_EQ(getrusage(RUSAGE_CHILDREN, &rc), 0);
		CHECK(rc.ru_maxrss >= 15 * 1024);
		CHECK(ru_us(&rc) > 0);
	}
	CHECK_ERR(getrusage(5, &r0), EINVAL);
	return pt_done("p_sys");
}
