/*
 * t_mm_filemap - mmap of a regular file (man 2 mmap, man 2 mremap,
 * man 2 msync, man 2 mincore), as Linux maps a tmpfs file:
 *   - the errno table of a file mapping, in Linux's order;
 *   - MAP_SHARED maps the file's pages: a store is seen by read(), a
 *     write() by the mapping, and a forked child's store by both;
 *   - MAP_PRIVATE reads the file, a store copies the page (the file and
 *     the other mappings do not see it), and a write() to the file is
 *     seen by a private page not yet copied, but not by a copied one;
 *   - a page wholly past the end of the file is SIGBUS with BUS_ADRERR
 *     and si_addr the address (the handler maps anonymous memory there
 *     so that the access is retried and goes on);
 *   - truncate of a mapped file unmaps the pages past the new end from
 *     every mapping, private copies and a child's included: SIGBUS;
 *   - split (mprotect), mremap (the file offset moves with the pages),
 *     msync(MS_SYNC) is 0, mincore sees the touched pages;
 *   - unlink while mapped keeps the data until munmap;
 *   - on this kernel, the free-page count is back at its baseline once
 *     the child that did all this has exited and the file is gone.
 * The file lives in /tmp (a scratch file named after the pid).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_mm_filemap"
#include "utest.h"
#include "mm_util.h"
#include <fcntl.h>
#include <private.h>
#include <time.h>

#define FSIZE (2 * PAGE + 100) /* three pages, the last one partly */

static char path[64];
static volatile unsigned long bus_addr;
static volatile int bus_code, bus_count;

/* SIGBUS: record it, then map the page so that the access goes on. */
static void on_bus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	bus_count++;
	bus_code = si->si_code;
	bus_addr = (unsigned long)si->si_addr;
	mmap((void *)(bus_addr & ~(PAGE - 1)), PAGE, PROT_READ | PROT_WRITE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

static char file_byte(int fd, off_t off)
{
	char c = 0;

	if (pread(fd, &c, 1, off) != 1)
		return (char)0xee;
	return c;
}

static void errno_table(int rw)
{
	int ro = open(path, O_RDONLY), wo = open(path, O_WRONLY);
	int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
	int null = open("/dev/null", O_RDWR);
	char *p;

	CHECK(ro >= 0 && wo >= 0 && dir >= 0 && null >= 0);
	CHECK_ERR(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, rw, 1), EINVAL);
	CHECK_ERR(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, 9999, 0), EBADF);
	CHECK_ERR(mmap(NULL, 0, PROT_READ, MAP_SHARED, rw, 0), EINVAL);
	CHECK_ERR(mmap(NULL, PAGE, PROT_READ, 0, rw, 0), EINVAL);
	CHECK_ERR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wo, 0), EACCES);
	CHECK_ERR(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, wo, 0), EACCES);
	CHECK_ERR(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0),
		  EACCES);
	CHECK_ERR(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, dir, 0), ENODEV);
	CHECK_ERR(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, null, 0), ENODEV);
	/* A read-only file's shared mapping may never become writable. */
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ro, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		CHECK_EQ(p[0], 'a');
		CHECK_ERR(mprotect(p, PAGE, PROT_READ | PROT_WRITE), EACCES);
		munmap(p, PAGE);
	}
	/* A private one may: its stores never reach the file. */
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		p[0] = 'q';
		CHECK_EQ(file_byte(rw, 0), 'a');
		munmap(p, PAGE);
	}
	close(ro);
	close(wo);
	close(dir);
	close(null);
}

static int child_store(void *arg)
{
	char *s = arg;

	if (s[10] != 'X')
		return 2;
	s[100] = 'C'; /* shared: the parent and the file see it */
	s[PAGE + 100] = 'C';
	return 0;
}

static int child_private(void *arg)
{
	char *q = arg;

	q[40] = 'K'; /* private: nobody else sees it */
	return q[40] == 'K' ? 0 : 2;
}

static void shared_mapping(int fd)
{
	char *s =
		mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	int status;

	CHECK(s != MAP_FAILED);
	if (s == MAP_FAILED)
		return;
	CHECK_EQ(s[0], 'a');
	CHECK_EQ(s[PAGE], 'b');
	CHECK_EQ(s[2 * PAGE + 99], 'c');
	CHECK_EQ(s[2 * PAGE + 100], 0); /* past EOF, inside its page */
	s[10] = 'X';
	CHECK_EQ(file_byte(fd, 10), 'X');
	CHECK(pwrite(fd, "Y", 1, PAGE + 5) == 1);
	CHECK_EQ(s[PAGE + 5], 'Y');
	status = run_child(child_store, s);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(s[100], 'C');
	CHECK_EQ(file_byte(fd, 100), 'C');
	CHECK_EQ(file_byte(fd, PAGE + 100), 'C');
	CHECK_EQ(msync(s, 3 * PAGE, MS_SYNC), 0);
	/* Split and merge again: each part maps its own file offset. */
	CHECK_EQ(mprotect(s + PAGE, PAGE, PROT_READ), 0);
	CHECK_EQ(s[PAGE + 5], 'Y');
	CHECK_EQ(s[2 * PAGE + 99], 'c');
	CHECK_EQ(mprotect(s + PAGE, PAGE, PROT_READ | PROT_WRITE), 0);
	s[PAGE + 6] = 'Z';
	CHECK_EQ(file_byte(fd, PAGE + 6), 'Z');
	{
		unsigned char vec[3] = { 0 };

		CHECK_EQ(mincore(s, 3 * PAGE, vec), 0);
		CHECK(vec[0] & 1);
		CHECK(vec[1] & 1);
	}
	CHECK_EQ(munmap(s, 3 * PAGE), 0);
}

static void private_mapping(int fd)
{
	char *q = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
		       0);
	int status;

	CHECK(q != MAP_FAILED);
	if (q == MAP_FAILED)
		return;
	CHECK_EQ(q[10], 'X');
	CHECK_EQ(q[PAGE + 5], 'Y'); /* page 1 now mapped, not copied */
	q[20] = 'P';		    /* page 0 copied */
	CHECK_EQ(q[20], 'P');
	CHECK(file_byte(fd, 20) != 'P');
	/* A write() to the file: seen by the page not yet copied only. */
	CHECK(pwrite(fd, "W", 1, 30) == 1);
	CHECK(pwrite(fd, "V", 1, PAGE + 7) == 1);
	CHECK(q[30] != 'W');
	CHECK_EQ(q[PAGE + 7], 'V');
	status = run_child(child_private, q);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(q[40] != 'K');
	CHECK(file_byte(fd, 40) != 'K');
	CHECK_EQ(munmap(q, 3 * PAGE), 0);
}

static void sigbus_past_eof(int fd)
{
	struct sigaction sa;
	char *s =
		mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	CHECK(s != MAP_FAILED);
	if (s == MAP_FAILED)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_bus;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, NULL);
	CHECK_EQ(((volatile char *)s)[2 * PAGE + 200], 0); /* EOF's page */
	CHECK_EQ(bus_count, 0);
	CHECK_EQ(((volatile char *)s)[3 * PAGE + 8], 0); /* past it */
	CHECK_EQ(bus_count, 1);
	CHECK_EQ(bus_code, BUS_ADRERR);
	CHECK_EQ(bus_addr, (unsigned long)(s + 3 * PAGE + 8));
	/* Truncated to one page: a new mapping faults SIGBUS on page 1. */
	CHECK_EQ(munmap(s, 4 * PAGE), 0);
	CHECK_EQ(ftruncate(fd, PAGE), 0);
	s = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(s != MAP_FAILED);
	if (s != MAP_FAILED) {
		CHECK_EQ(s[10], 'X');
		CHECK_EQ(((volatile char *)s)[PAGE], 0);
		CHECK_EQ(bus_count, 2);
		CHECK_EQ(bus_addr, (unsigned long)(s + PAGE));
		munmap(s, 2 * PAGE);
	}
	signal(SIGBUS, SIG_DFL);
	CHECK_EQ(ftruncate(fd, FSIZE), 0); /* page 1 and 2 are zeros now */
}

/*
 * truncate(2) of a mapped file: every mapping of it loses the pages
 * wholly past the new end, shared or private (a private copy too:
 * Linux's truncate_pagecache() unmaps even_cows), in this process and
 * in a forked child, so an access there is SIGBUS; the page holding the
 * new end stays. Leaves the file FSIZE bytes long again.
 */
static void truncate_mapped(int fd)
{
	struct sigaction sa;
	volatile char *s, *p;
	int pfd[2], status;
	pid_t pid;
	char c;

	CHECK(pwrite(fd, "S", 1, 2 * PAGE + 5) == 1);
	s = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(s != MAP_FAILED && p != MAP_FAILED);
	if (s == MAP_FAILED || p == MAP_FAILED || pipe(pfd))
		return;
	CHECK_EQ(s[2 * PAGE + 5], 'S'); /* mapped */
	CHECK_EQ(p[2 * PAGE + 5], 'S');
	p[2 * PAGE + 6] = 'P'; /* a private copy */
	CHECK_EQ(s[2 * PAGE + 6], 0);
	s[PAGE + 1] = 'K'; /* the page that will hold the end */
	fflush(stdout);
	pid = fork();
	if (pid == 0) { /* a copy of the mappings, pages mapped */
		signal(SIGBUS, SIG_DFL);
		if (read(pfd[0], &c, 1) != 1)
			_exit(2);
		c = s[2 * PAGE + 5]; /* SIGBUS: not 'S' any more */
		_exit(c == 'S' ? 3 : 4);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_bus;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, NULL);
	bus_count = 0;
	CHECK_EQ(ftruncate(fd, PAGE + 10), 0);
	CHECK_EQ(write(pfd[1], "t", 1), 1);
	CHECK_EQ(s[PAGE + 1], 'K'); /* the end's page stays */
	CHECK_EQ(s[PAGE + 10], 0);
	CHECK_EQ(bus_count, 0);
	CHECK_EQ(s[2 * PAGE + 5], 0); /* the handler's zero page */
	CHECK_EQ(bus_count, 1);
	CHECK_EQ(bus_addr, (unsigned long)(s + 2 * PAGE + 5));
	CHECK_EQ(p[2 * PAGE + 6], 0); /* the private copy went too */
	CHECK_EQ(bus_count, 2);
	CHECK_EQ(bus_addr, (unsigned long)(p + 2 * PAGE + 6));
	CHECK_EQ(p[PAGE + 1], 'K');
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGBUS)
		describe_status("the child reading past the new end", status);
	signal(SIGBUS, SIG_DFL);
	close(pfd[0]);
	close(pfd[1]);
	munmap((void *)s, 3 * PAGE);
	munmap((void *)p, 3 * PAGE);
	CHECK_EQ(ftruncate(fd, FSIZE), 0);
}

static void mremap_and_unlink(int fd)
{
	char *m, *hole, *n;

	CHECK(pwrite(fd, "M", 1, PAGE) == 1);
	CHECK(pwrite(fd, "N", 1, 2 * PAGE) == 1);
	m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PAGE);
	hole = free_hole(2 * PAGE);
	CHECK(m != MAP_FAILED && hole);
	if (m == MAP_FAILED || !hole)
		return;
	CHECK_EQ(m[0], 'M');
	n = mremap(m, PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, hole);
	CHECK(n == hole);
	if (n != hole)
		return;
	CHECK_EQ(n[0], 'M');
	CHECK_EQ(n[PAGE], 'N'); /* file offset 2 pages, not a new page */
	n[PAGE + 1] = 'O';
	CHECK_EQ(file_byte(fd, 2 * PAGE + 1), 'O');
	/* Unlinked and closed: the mapping keeps the file. */
	CHECK_EQ(unlink(path), 0);
	close(fd);
	CHECK_EQ(n[0], 'M');
	n[2] = 'U';
	CHECK_EQ(n[2], 'U');
	CHECK_EQ(munmap(n, 2 * PAGE), 0);
}

/* Everything, in a child, so that its exit returns every page. */
static int work(void *arg)
{
	char buf[FSIZE];
	int fd;

	(void)arg;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		diag("FAIL open %s: %s", path, strerror(errno));
		return 1;
	}
	memset(buf, 'a', PAGE);
	memset(buf + PAGE, 'b', PAGE);
	memset(buf + 2 * PAGE, 'c', 100);
	CHECK(write(fd, buf, FSIZE) == (ssize_t)FSIZE);
	errno_table(fd);
	shared_mapping(fd);
	private_mapping(fd);
	sigbus_past_eof(fd);
	truncate_mapped(fd);
	mremap_and_unlink(fd);
	diag("the mapping child: %d of %d checks failed", utest_failures,
	     utest_checks);
	return utest_failures ? 1 : 0;
}

int main(void)
{
	long before, after;
	int status;

	snprintf(path, sizeof(path), "/tmp/t_mm_filemap.%d", (int)getpid());
	status = run_child(utest_exit_7, NULL); /* warm up fork, stdio */
	before = settled_free_pages();
	status = run_child(work, NULL);
	utest_checks++;
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		utest_failures++;
		describe_status("the mapping child", status);
	}
	unlink(path); /* if the child did not get that far */
	after = settled_free_pages();
	if (before >= 0) {
		diag("free pages before %ld, after %ld", before, after);
		CHECK_EQ(after, before);
	}
	return utest_done();
}
