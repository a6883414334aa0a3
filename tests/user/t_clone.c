/*
 * t_clone - where clone(2) stores the new tid, as Linux does:
 * CLONE_PARENT_SETTID in the caller's memory, after the address space
 * was copied (so a forked child's copy of the word keeps its old value);
 * CLONE_CHILD_SETTID in the child's memory as it starts (for a fork, its
 * own copy: the parent's word keeps its value; for a thread, the shared
 * word); a bad pointer for either, or for CLONE_CHILD_CLEARTID or
 * set_tid_address(), is ignored and the child runs and exits normally.
 *
 * The process cases call clone through syscall() with no new stack, so
 * that the child returns from it like a fork's; the thread case uses
 * glibc's clone() signature, which both libcs have. The rows that must
 * fail (EINVAL, EPERM) are in t_errno.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_clone"
#include "utest.h"
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define KPTR		   0xffffffff80000000UL /* the kernel image */
#define NR_set_tid_address 218
#define FUTEX_WAIT	   0
#define STACK_SIZE	   (64 * 1024)

static volatile int ptid, ctid; /* the words clone stores to */

static long gettid_raw(void)
{
	return syscall(SYS_gettid);
}

/*
 * fork_clone - clone(flags | SIGCHLD) with the caller's stack, p and c
 * as the parent's and the child's tid pointers: 0 in the child, the
 * child's pid in the parent (or -1).
 */
static long fork_clone(unsigned long flags, volatile int *p, volatile int *c)
{
	fflush(stdout);
	return syscall(SYS_clone, flags | SIGCHLD, 0, p, c, 0);
}

/* Reap pid; its exit status, or -1 for anything else. */
static int reap(long pid)
{
	int st;

	if (pid <= 0 || waitpid((pid_t)pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void child_settid_in_a_fork(void)
{
	long pid;

	ptid = ctid = 0;
	pid = fork_clone(CLONE_CHILD_SETTID, NULL, &ctid);
	if (pid == 0) /* the child's copy holds its tid */
		_exit(ctid == gettid_raw() ? 0 : 1);
	CHECK(pid > 0);
	CHECK_EQ(ctid, 0); /* the parent's word is untouched */
	CHECK_EQ(reap(pid), 0);
}

static void parent_settid_in_a_fork(void)
{
	long pid;

	ptid = ctid = 0;
	pid = fork_clone(CLONE_PARENT_SETTID | CLONE_CHILD_SETTID, &ptid,
			 &ctid);
	if (pid == 0) /* copied before the store: its ptid is still 0 */
		_exit(ptid == 0 && ctid == gettid_raw() ? 0 : 1);
	CHECK(pid > 0);
	CHECK_EQ(ptid, pid);
	CHECK_EQ(ctid, 0);
	CHECK_EQ(reap(pid), 0);
}

static void bad_pointers_are_ignored(void)
{
	static const unsigned long flags[] = {
		CLONE_PARENT_SETTID, CLONE_CHILD_SETTID, CLONE_CHILD_CLEARTID,
		CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID
	};
	static const unsigned long ptrs[] = { KPTR, 0x1000, 0 };

	for (unsigned i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		for (unsigned j = 0; j < sizeof(ptrs) / sizeof(ptrs[0]); j++) {
			volatile int *bad = (volatile int *)ptrs[j];
			long pid = fork_clone(flags[i], bad, bad);

			if (pid == 0)
				_exit(7);
			if (pid <= 0 || reap(pid) != 7) {
				diag("FAIL clone(%#lx, ptr %#lx): %ld",
				     flags[i], ptrs[j], pid);
				utest_failures++;
			}
			utest_checks++;
		}
	}
}

/* set_tid_address(KPTR), then exit: the kernel's store at exit fails
 * quietly. */
static int exit_with_bad_tid_address(void *arg)
{
	(void)arg;
	syscall(NR_set_tid_address, KPTR);
	return 5;
}

static volatile int thread_saw;

static int thread_fn(void *arg)
{
	(void)arg;
	thread_saw = ctid == gettid_raw() ? 1 : 2;
	return 0;
}

static void child_settid_in_a_thread(void)
{
	char *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long tid;
	int v;

	CHECK(stack != MAP_FAILED);
	if (stack == MAP_FAILED)
		return;
	ctid = -1;
	thread_saw = 0;
	tid = clone(thread_fn, stack + STACK_SIZE,
		    CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			    CLONE_THREAD | CLONE_SYSVSEM | CLONE_CHILD_SETTID |
			    CLONE_CHILD_CLEARTID,
		    (void *)0, (void *)0, (void *)0, &ctid);
	CHECK(tid > 0);
	/* CLONE_CHILD_CLEARTID: 0 and a futex wake when it has exited. */
	while (tid > 0 && (v = ctid) != 0)
		syscall(SYS_futex, &ctid, FUTEX_WAIT, v, (void *)0, (void *)0,
			0);
	CHECK_EQ(thread_saw, 1);
	munmap(stack, STACK_SIZE);
}

int main(void)
{
	int status;

	child_settid_in_a_fork();
	parent_settid_in_a_fork();
	bad_pointers_are_ignored();
	child_settid_in_a_thread();
	status = run_child(exit_with_bad_tid_address, NULL);
	CHECK(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 5);
	return utest_done();
}
