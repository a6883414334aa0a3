/*
 * p_minflt - getrusage(2)'s ru_minflt counts page faults: touching N
 * fresh anonymous pages (one write each) makes RUSAGE_SELF's count grow
 * by at least N, and a child's faults show in RUSAGE_CHILDREN after it
 * is waited for. Linux counts in mm_account_fault() (mm/memory.c).
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "ptest.h"

#define N 256

int main(void)
{
	struct rusage before, after, ch;
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, N * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return pt_done("p_minflt");
	CHECK_EQ(getrusage(RUSAGE_SELF, &before), 0);
	for (int i = 0; i < N; i++)
		p[(long)i * pg] = 1;
	CHECK_EQ(getrusage(RUSAGE_SELF, &after), 0);
	long grew = after.ru_minflt - before.ru_minflt;

	if (!CHECK(grew >= N))
		pt_print("# ru_minflt grew by %ld for %d pages\n", grew, N);
	CHECK(grew < 4 * N); /* and not wildly more */
	/* touching them again faults no more */
	CHECK_EQ(getrusage(RUSAGE_SELF, &before), 0);
	for (int i = 0; i < N; i++)
		p[(long)i * pg] = 2;
	CHECK_EQ(getrusage(RUSAGE_SELF, &after), 0);
	CHECK(after.ru_minflt - before.ru_minflt < N / 4);

	pid_t pid = fork();

	if (pid == 0) {
		char *q = mmap(NULL, N * pg, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (int i = 0; q != MAP_FAILED && i < N; i++)
			q[(long)i * pg] = 1;
		_exit(0);
	}
	int st;

	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK_EQ(getrusage(RUSAGE_CHILDREN, &ch), 0);
	CHECK(ch.ru_minflt >= N);
	return pt_done("p_minflt");
}
