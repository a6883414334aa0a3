/*
 * t_sig_fault - faults become signals a handler can catch, with Linux's
 * siginfo: a page with no mapping is SIGSEGV SEGV_MAPERR, a mapped page
 * the access is not allowed on SEGV_ACCERR, si_addr the faulting address
 * (CR2). The Appel-Li pattern works: the handler mprotect()s the page
 * and returns, and the access is retried and succeeds. #UD is SIGILL
 * ILL_ILLOPN at the instruction, #DE SIGFPE FPE_INTDIV, #GP SIGSEGV
 * SI_KERNEL with address 0, int3 SIGTRAP (returning after it). A fault
 * signal that is blocked, or raised again inside its own handler, kills
 * (Linux's force_sig_fault()); so does an ignored one, and the wait
 * status has no WCOREDUMP bit (no core is written).
 */
#define _GNU_SOURCE
#define TEST_NAME "t_sig_fault"
#include "utest.h"
#include <sys/mman.h>

static char *page;
static volatile sig_atomic_t segv_hits, segv_code, trap_hits;
static void *volatile segv_addr;

/* Appel-Li: record, then open the page for reading and writing. */
static void segv_fix(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	(void)sig;
	segv_hits++;
	segv_code = si->si_code;
	segv_addr = si->si_addr;
	mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* Exit 42 from the handler when si_code and si_addr are as expected. */
static volatile long want_code;
static void *volatile want_addr;
static void exit_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	(void)sig;
	_exit(si->si_code == want_code && si->si_addr == want_addr ? 42 : 43);
}

static void __attribute__((noinline)) ud2_here(void)
{
	__asm__ __volatile__("ud2_insn: ud2");
}

static int ud2_child(void *arg)
{
	extern char ud2_insn[];

	(void)arg;
	want_code = ILL_ILLOPN;
	want_addr = ud2_insn;
	install(SIGILL, exit_handler, 0);
	ud2_here();
	return 1;
}

static void fpe_any(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	_exit(sig == SIGFPE && si->si_code == FPE_INTDIV && si->si_addr ? 42 :
									  43);
}

static int div0_code_child(void *arg)
{
	unsigned int a = 1, zero = 0;

	(void)arg;
	install(SIGFPE, fpe_any, 0);
	/* A real div: the compiler would fold 1 / x into compares. */
	__asm__ __volatile__("xor %%edx, %%edx\n\tdivl %1"
			     : "+a"(a)
			     : "r"(zero)
			     : "rdx");
	return (int)a;
}

static int gp_child(void *arg)
{
	(void)arg;
	want_code = SI_KERNEL;
	want_addr = NULL;
	install(SIGSEGV, exit_handler, 0);
	__asm__ __volatile__("hlt");
	return 1;
}

static void trap_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (sig == SIGTRAP && si->si_code == SI_KERNEL)
		trap_hits++;
}

/* A fault inside the SIGSEGV handler itself kills. */
static void segv_again(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
	*(volatile int *)page = 1; /* still PROT_NONE */
}

static int nested_fault_child(void *arg)
{
	(void)arg;
	install(SIGSEGV, segv_again, 0);
	return *(volatile int *)page;
}

static int blocked_fault_child(void *arg)
{
	sigset_t set;

	(void)arg;
	install(SIGSEGV, segv_fix, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGSEGV);
	sigprocmask(SIG_BLOCK, &set, NULL);
	return *(volatile int *)page;
}

static int ignored_fault_child(void *arg)
{
	(void)arg;
	signal(SIGSEGV, SIG_IGN);
	return *(volatile int *)page;
}

int main(void)
{
	char *hole;
	int status;

	page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(page != MAP_FAILED);
	hole = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(hole != MAP_FAILED);
	CHECK_EQ(munmap(hole, 4096), 0);

	/* Appel-Li: a write to a PROT_NONE page, fixed by the handler. */
	install(SIGSEGV, segv_fix, 0);
	*(volatile char *)(page + 100) = 7;
	CHECK_EQ(segv_hits, 1);
	CHECK_EQ(segv_code, SEGV_ACCERR);
	CHECK(segv_addr == page + 100);
	CHECK_EQ(page[100], 7);

	/* Read-only: a write is SEGV_ACCERR too; then fixed. */
	mprotect(page, 4096, PROT_READ);
	*(volatile char *)(page + 8) = 1;
	CHECK_EQ(segv_hits, 2);
	CHECK_EQ(segv_code, SEGV_ACCERR);
	CHECK(segv_addr == page + 8);

	/* No mapping: SEGV_MAPERR, in a child whose handler exits. */
	{
		pid_t pid;

		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			want_code = SEGV_MAPERR;
			want_addr = hole + 12;
			install(SIGSEGV, exit_handler, 0);
			_exit(*(volatile char *)(hole + 12));
		}
		CHECK_EQ(waitpid(pid, &status, 0), pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);
	}

	/* The other exceptions, each in a child whose handler exits. */
	status = run_child(ud2_child, NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);
	status = run_child(div0_code_child, NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);
	status = run_child(gp_child, NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);

	/* int3: the handler returns, and we go on after it. */
	install(SIGTRAP, trap_handler, 0);
	__asm__ __volatile__("int3");
	CHECK_EQ(trap_hits, 1);

	/* Force semantics: each of these dies of SIGSEGV. */
	mprotect(page, 4096, PROT_NONE);
	expect_signal("fault in the SIGSEGV handler", nested_fault_child, NULL,
		      SIGSEGV);
	expect_signal("fault with SIGSEGV blocked", blocked_fault_child, NULL,
		      SIGSEGV);
	expect_signal("fault with SIGSEGV ignored", ignored_fault_child, NULL,
		      SIGSEGV);
	status = run_child(blocked_fault_child, NULL);
	/* No core is written (the runner sets RLIMIT_CORE to 0 on Linux),
	 * so no WCOREDUMP bit. */
	CHECK(WIFSIGNALED(status) && !WCOREDUMP(status));
	parent_carries_on();
	return utest_done();
}
