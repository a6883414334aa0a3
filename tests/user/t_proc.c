/*
 * t_proc - /proc shows what Linux's does, in Linux's formats:
 * /proc/self/maps parses as Linux prints it and has a mapping the test
 * made (with its rights) and the [stack]; /proc/self/status's VmRSS
 * grows after pages are touched; /proc/self/smaps gives a region's Rss;
 * /proc/self/cmdline is argv, NUL-separated; readlink /proc/self/exe
 * ends with the program's name; /proc/self is a link to the pid;
 * /proc/self/stat starts "pid (comm) state ppid"; /proc/meminfo's
 * MemTotal is positive; /proc/sys/fs/file-nr counts open files and comes
 * back to its baseline when they are closed; getdents64 on /proc lists
 * self, meminfo and this process's directory.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_proc"
#include "utest.h"
#include <time.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static char text[65536];

/* The whole of file path into text (NUL-terminated): its length, or -1. */
static long slurp(const char *path)
{
	long n = 0, r;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		diag("FAIL open %s: %s", path, strerror(errno));
		return -1;
	}
	/* Small reads: the text must come out whole at any offset. */
	while ((r = read(fd, text + n, 100)) > 0 &&
	       n < (long)sizeof(text) - 101)
		n += r;
	close(fd);
	text[n] = 0;
	return r < 0 ? -1 : n;
}

/* The number after "key" in text (a status or meminfo line), or -1. */
static long field(const char *key)
{
	char *p = strstr(text, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static void test_maps(void)
{
	char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *line, *save = NULL;
	int found = 0, stack = 0, lines = 0;

	CHECK(m != MAP_FAILED);
	CHECK(slurp("/proc/self/maps") > 0);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long start, end;
		char perm[5], *p = line;
		int pos, ok = 1;

		lines++;
		/* "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu " and a name. */
		start = strtoul(p, &p, 16);
		ok &= *p++ == '-';
		end = strtoul(p, &p, 16);
		ok &= *p++ == ' ';
		memcpy(perm, p, 4);
		perm[4] = 0;
		p += 4;
		ok &= *p++ == ' ';
		strtoull(p, &p, 16);
		ok &= *p++ == ' ';
		strtoul(p, &p, 16);
		ok &= *p++ == ':';
		strtoul(p, &p, 16);
		ok &= *p++ == ' ';
		ok &= *p >= '0' && *p <= '9';
		strtoul(p, &p, 10);
		ok &= *p++ == ' ';
		while (*p == ' ')
			p++;
		pos = (int)(p - line);
		if (!ok) {
			diag("FAIL maps line does not parse: '%s'", line);
			CHECK(0);
			continue;
		}
		/* Linux pads the name to column 73. */
		if (line[pos] && pos != 73) {
			diag("FAIL name at column %d: '%s'", pos, line);
			CHECK(0);
		}
		if (start == (unsigned long)m) {
			found = 1;
			CHECK_EQ(end - start, 3 * 4096);
			CHECK(!strcmp(perm, "r-xp"));
		}
		if (!strcmp(line + pos, "[stack]")) {
			stack = 1;
			CHECK(!strcmp(perm, "rw-p"));
			CHECK(start <= (unsigned long)&save &&
			      (unsigned long)&save < end);
		}
	}
	CHECK(lines >= 3);
	CHECK(found);
	CHECK(stack);
	munmap(m, 3 * 4096);
}

static void test_rss(void)
{
	size_t len = 256 * 4096;
	/* Guard pages of no access on both sides: the region stays a VMA
	 * of its own, never merged with a neighbour. */
	char *g = mmap(NULL, len + 2 * 4096, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *m = g + 4096;
	long before, after;
	char key[64], *p;

	CHECK(g != MAP_FAILED);
	CHECK_EQ(mprotect(m, len, PROT_READ | PROT_WRITE), 0);
	CHECK(slurp("/proc/self/status") > 0);
	before = field("VmRSS:");
	CHECK(before > 0);
	CHECK(field("Pid:") == getpid());
	CHECK(field("PPid:") == getppid());
	CHECK(field("Threads:") == 1);
	CHECK(strstr(text, "Name:\tt_proc\n") != NULL);
	for (size_t i = 0; i < len; i += 4096)
		m[i] = 1;
	/* VmRSS is a counter, not a page-table walk: with POE on, the pages
	 * the fast path mapped are counted by the post-fault work a little
	 * later (docs/poe.md), as Linux's split RSS counters lag too. Give
	 * it two seconds. */
	for (int tries = 0; tries < 200; tries++) {
		struct timespec ten_ms = { 0, 10000000 };

		CHECK(slurp("/proc/self/status") > 0);
		after = field("VmRSS:");
		if (after >= before + 1000)
			break;
		nanosleep(&ten_ms, NULL);
	}
	if (after < before + 1000) {
		diag("FAIL VmRSS %ld kB -> %ld kB after touching 1024 kB",
		     before, after);
		CHECK(0);
	}
	CHECK(field("VmHWM:") >= after);
	CHECK(field("VmSize:") >= after);
	/* smaps: this region's Rss is its 1024 kB. */
	CHECK(slurp("/proc/self/smaps") > 0);
	snprintf(key, sizeof(key), "%08lx-", (unsigned long)m);
	p = strstr(text, key);
	CHECK(p != NULL);
	if (p) {
		char *rss = strstr(p, "\nRss:");
		char *size = strstr(p, "\nSize:");

		CHECK(size && strtol(size + 6, NULL, 10) == 1024);
		CHECK(rss && strtol(rss + 5, NULL, 10) == 1024);
		CHECK(strstr(p, "\nAnonHugePages:         0 kB\n") != NULL);
	}
	munmap(g, len + 2 * 4096);
}

static void test_self(int argc, char **argv)
{
	char buf[256], want[32];
	long n, i, off = 0;

	/* cmdline: argv, each with its NUL. */
	n = slurp("/proc/self/cmdline");
	for (i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]) + 1;

		CHECK(off + (long)l <= n && !memcmp(text + off, argv[i], l));
		off += (long)l;
	}
	CHECK_EQ(n, off);
	/* exe: a link to the program. */
	n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	CHECK(n > 6);
	if (n > 6) {
		buf[n] = 0;
		CHECK(buf[0] == '/');
		CHECK(!strcmp(buf + n - 6, "t_proc"));
	}
	/* self: a link to the pid. */
	n = readlink("/proc/self", buf, sizeof(buf) - 1);
	snprintf(want, sizeof(want), "%d", (int)getpid());
	CHECK_EQ(n, (long)strlen(want));
	CHECK(n > 0 && !memcmp(buf, want, (size_t)n));
	CHECK_ERR(readlink("/proc/self/status", buf, sizeof(buf)), EINVAL);
	CHECK(slurp("/proc/self/stat") > 0);
	{
		/* "pid (comm) state ppid ..." */
		char *p = text, *close = strrchr(text, ')');

		CHECK_EQ(strtol(p, &p, 10), getpid());
		CHECK(!strncmp(p, " (t_proc) ", 10));
		CHECK(close && close[1] == ' ' && close[2] == 'R');
		if (close)
			CHECK_EQ(strtol(close + 4, NULL, 10), getppid());
	}
	snprintf(buf, sizeof(buf), "/proc/%d/status", (int)getpid());
	CHECK(slurp(buf) > 0);
	CHECK(field("Pid:") == getpid());
}

static void test_meminfo(void)
{
	CHECK(slurp("/proc/meminfo") > 0);
	CHECK(field("MemTotal:") > 0);
	CHECK(field("MemFree:") > 0);
	CHECK(field("MemFree:") <= field("MemTotal:"));
	CHECK(slurp("/proc/cpuinfo") > 0);
	CHECK(strstr(text, "processor\t: 0\n") != NULL);
	CHECK(strstr(text, "\nflags\t\t:") != NULL);
}

static long files_open(void)
{
	CHECK(slurp("/proc/sys/fs/file-nr") > 0);
	return strtol(text, NULL, 10);
}

static void test_file_nr(void)
{
	long base = files_open(), mid, end;
	int fds[200];

	for (int i = 0; i < 200; i++)
		fds[i] = open("/dev/null", O_RDONLY);
	mid = files_open();
	for (int i = 0; i < 200; i++)
		close(fds[i]);
	end = files_open();
	/* Linux reads its per-CPU counter without summing the CPUs' parts
	 * (up to 32 files each, and more with many CPUs): near, not exact,
	 * there; exact here. */
	if (mid < base + 200 - 64 || end > base + 64) {
		diag("FAIL file-nr %ld, %ld with 200 more open, then %ld", base,
		     mid, end);
		CHECK(0);
	}
}

struct dirent64_rec {
	unsigned long d_ino;
	long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static void test_list(void)
{
	char buf[256], me[16];
	int fd = open("/proc", O_RDONLY | O_DIRECTORY), self = 0, mine = 0;
	int meminfo = 0;
	long got;

	CHECK(fd >= 0);
	snprintf(me, sizeof(me), "%d", (int)getpid());
	/* A small buffer: several calls, each going on from the last. */
	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got;) {
			struct dirent64_rec *d = (void *)(buf + off);

			if (!strcmp(d->d_name, "self")) {
				self++;
				CHECK_EQ(d->d_type, 10); /* DT_LNK */
			}
			if (!strcmp(d->d_name, "meminfo"))
				meminfo++;
			if (!strcmp(d->d_name, me)) {
				mine++;
				CHECK_EQ(d->d_type, 4); /* DT_DIR */
			}
			off += d->d_reclen;
		}
	}
	CHECK_EQ(got, 0);
	CHECK_EQ(self, 1);
	CHECK_EQ(meminfo, 1);
	CHECK_EQ(mine, 1);
	close(fd);
}

int main(int argc, char **argv)
{
	test_maps();
	test_rss();
	test_self(argc, argv);
	test_meminfo();
	test_file_nr();
	test_list();
	return utest_done();
}
