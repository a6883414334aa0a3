/*
 * t_fault_thread - a fatal fault in one thread ends the whole process:
 * a child process starts a thread that writes to NULL while its main
 * thread waits; the child must be killed by SIGSEGV (Linux: a fatal
 * signal kills every thread of the process), and the parent carries on.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_fault_thread"
#include "utest.h"
#include <thread.h>

static void *bad_thread(void *arg)
{
	(void)arg;
	*(volatile int *)0 = 1;
	return NULL;
}

static int crash(void *arg)
{
	thread_t t;

	(void)arg;
	if (thread_create(&t, bad_thread, NULL) != 0)
		return 2;
	thread_join(t, NULL); /* never returns: the fault kills us */
	return 0;	      /* survived: the parent reports status 0 */
}

int main(void)
{
	expect_signal("NULL write in a second thread", crash, NULL, SIGSEGV);
	parent_carries_on();
	return utest_done();
}
