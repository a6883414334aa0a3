/*
 * p_segv - SIGSEGV caught by a handler (SA_SIGINFO) and recovered with
 * sigsetjmp(3)/siglongjmp(3): a load from an unmapped page gives
 * SEGV_MAPERR, a store into a PROT_READ page SEGV_ACCERR, each with
 * si_addr the faulting address; siglongjmp restores the signal mask
 * saved by sigsetjmp(env, 1), so SIGSEGV is not left blocked and the
 * second fault is caught too. Linux: arch/x86/mm/fault.c.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>

#include "ptest.h"

static sigjmp_buf env;
static volatile sig_atomic_t faults;
static void *volatile fault_addr;
static volatile int fault_code, fault_signo;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	faults++;
	fault_signo = sig;
	fault_code = si->si_code;
	fault_addr = si->si_addr;
	siglongjmp(env, 1);
}

int main(void)
{
	struct sigaction sa;
	sigset_t cur;
	long pg = sysconf(_SC_PAGESIZE);

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	CHECK_EQ(sigaction(SIGSEGV, &sa, NULL), 0);

	/* A page mapped and unmapped again: nothing is there. */
	char *gone = mmap(NULL, pg, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(gone != MAP_FAILED);
	CHECK_EQ(munmap(gone, pg), 0);
	if (sigsetjmp(env, 1) == 0) {
		(void)*(volatile char *)(gone + 100);
		CHECK(!"the load from an unmapped page returned");
	}
	CHECK_EQ(faults, 1);
	CHECK_EQ(fault_signo, SIGSEGV);
	CHECK_EQ(fault_code, SEGV_MAPERR);
	CHECK(fault_addr == gone + 100);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(!sigismember(&cur, SIGSEGV));

	/* A read-only page: a store is an access error. */
	char *ro =
		mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(ro != MAP_FAILED);
	CHECK_EQ(ro[7], 0); /* reading is fine */
	if (sigsetjmp(env, 1) == 0) {
		*(volatile char *)(ro + 7) = 1;
		CHECK(!"the store to a read-only page returned");
	}
	CHECK_EQ(faults, 2);
	CHECK_EQ(fault_code, SEGV_ACCERR);
	CHECK(fault_addr == ro + 7);

	/* mprotect it writable: the same store now works. */
	CHECK_EQ(mprotect(ro, pg, PROT_READ | PROT_WRITE), 0);
	*(volatile char *)(ro + 7) = 1;
	CHECK_EQ(ro[7], 1);
	CHECK_EQ(faults, 2);

	/* PROT_NONE: even a load is an access error. */
	CHECK_EQ(mprotect(ro, pg, PROT_NONE), 0);
	if (sigsetjmp(env, 1) == 0)
		(void)*(volatile char *)(ro + pg - 1);
	CHECK_EQ(faults, 3);
	CHECK_EQ(fault_code, SEGV_ACCERR);
	CHECK(fault_addr == ro + pg - 1);

	/* A NULL dereference: MAPERR at address 0. */
	if (sigsetjmp(env, 1) == 0)
		(void)*(volatile int *)(uintptr_t)0;
	CHECK_EQ(faults, 4);
	CHECK_EQ(fault_code, SEGV_MAPERR);
	CHECK(fault_addr == NULL);
	munmap(ro, pg);
	return pt_done("p_segv");
}
