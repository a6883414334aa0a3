/*
 * t_fault_ac_lret - a far return with RFLAGS.AC set, to selector 0x1b
 * (no 32-bit code segment: see t_entry_flags), must end the program with
 * SIGSEGV, not leave it faulting for ever.
 *
 * Real CPUs refuse the selector (#GP). QEMU's TCG first pops the far
 * return's stack as an implicit supervisor access, which SMAP refuses
 * whatever AC says (an implicit access is always checked); the page is
 * present, so the kernel must kill the program rather than retry. It
 * looked at the program's AC to tell a user copy from a stray kernel
 * access, took AC set for "the kernel opened user memory", found the page
 * mapped and retried the same fault for ever: at SMP=2 under -icount the
 * looping vCPU starved the other one and the machine hung (found by the
 * system-call fuzzer, user/fuzz.c). arch/x86_64/fault.c,
 * do_user_addr_fault().
 *
 * The parent gives the child 5 s, then kills it and fails.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_fault_ac_lret"
#include "utest.h"
#include <time.h>

#define RFLAGS_AC (1UL << 18)

static void far_return_with_ac(void)
{
	__asm__ __volatile__("pushfq\n\t"
			     "orq %0, (%%rsp)\n\t"
			     "popfq\n\t"
			     "pushq $0x1b\n\t"
			     "leaq 1f(%%rip), %%rax\n\t"
			     "pushq %%rax\n\t"
			     "lretq\n"
			     "1:"
			     :
			     : "r"(RFLAGS_AC)
			     : "rax", "memory", "cc");
}

int main(void)
{
	struct timespec ms = { 0, 1000000 };
	int status = 0, i;
	pid_t pid, w = 0;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		far_return_with_ac();
		_exit(0); /* survived: not a fault at all */
	}
	CHECK(pid > 0);
	if (pid < 0)
		return utest_done();
	for (i = 0; i < 5000; i++) {
		w = waitpid(pid, &status, WNOHANG);
		if (w != 0)
			break;
		nanosleep(&ms, NULL);
	}
	if (w == 0) {
		diag("FAIL the child still runs after 5 s: its fault is "
		     "retried for ever");
		utest_failures++;
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	} else {
		CHECK_EQ(w, pid);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV)
			describe_status("far return with AC set", status);
	}
	parent_carries_on();
	return utest_done();
}
