/*
 * t_sig_altstack - sigaltstack(2) and SA_ONSTACK as on Linux: a handler
 * with SA_ONSTACK runs on the alternate stack (its locals are inside
 * it), one without runs on the normal stack; while on it, sigaltstack
 * reports SS_ONSTACK and refuses a change (EPERM); a stack under
 * MINSIGSTKSZ is ENOMEM, unknown flags EINVAL, SS_DISABLE removes it.
 * Every handler starts with rsp + 8 16-byte aligned (as after a call),
 * so its frame pointer is 16-byte aligned.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_sig_altstack"
#include "utest.h"

#define ALT_SIZE (64 * 1024)

static char alt[ALT_SIZE] __attribute__((aligned(16)));
static volatile unsigned long handler_sp;
static volatile int aligned, onstack, eperm;

static void __attribute__((noinline)) handler(int sig)
{
	char local;
	stack_t cur, ss;

	(void)sig;
	handler_sp = (unsigned long)&local;
	aligned = ((unsigned long)__builtin_frame_address(0) & 15) == 0;
	sigaltstack(NULL, &cur);
	onstack = (cur.ss_flags & SS_ONSTACK) != 0;
	ss.ss_sp = alt;
	ss.ss_size = ALT_SIZE;
	ss.ss_flags = 0;
	errno = 0;
	eperm = sigaltstack(&ss, NULL) == -1 && errno == EPERM;
}

static void install(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
}

static int on_alt(unsigned long sp)
{
	return sp >= (unsigned long)alt && sp < (unsigned long)alt + ALT_SIZE;
}

int main(void)
{
	stack_t ss, old;

	/* None yet. */
	CHECK_EQ(sigaltstack(NULL, &old), 0);
	CHECK(old.ss_flags & SS_DISABLE);

	ss.ss_sp = alt;
	ss.ss_flags = 0;
	ss.ss_size = 1024; /* below MINSIGSTKSZ (2048) */
	CHECK_ERR(sigaltstack(&ss, NULL), ENOMEM);
	ss.ss_size = ALT_SIZE;
	ss.ss_flags = 0x1234;
	CHECK_ERR(sigaltstack(&ss, NULL), EINVAL);
	ss.ss_flags = 0;
	CHECK_EQ(sigaltstack(&ss, &old), 0);
	CHECK_EQ(sigaltstack(NULL, &old), 0);
	CHECK(old.ss_sp == alt);
	CHECK_EQ(old.ss_size, ALT_SIZE);
	CHECK_EQ(old.ss_flags, 0);

	/* SA_ONSTACK: on the alternate stack. */
	install(SA_ONSTACK);
	raise(SIGUSR1);
	CHECK(on_alt(handler_sp));
	CHECK(aligned);
	CHECK(onstack);
	CHECK(eperm);
	/* Back on the normal stack: not SS_ONSTACK any more. */
	CHECK_EQ(sigaltstack(NULL, &old), 0);
	CHECK_EQ(old.ss_flags & SS_ONSTACK, 0);

	/* Without SA_ONSTACK: on the normal stack. */
	handler_sp = 0;
	aligned = 0;
	install(0);
	raise(SIGUSR1);
	CHECK(handler_sp != 0 && !on_alt(handler_sp));
	CHECK(aligned);
	CHECK(!onstack);
	CHECK(!eperm); /* not on it: the change was allowed */

	/* SS_DISABLE: SA_ONSTACK falls back to the normal stack. */
	ss.ss_flags = SS_DISABLE;
	CHECK_EQ(sigaltstack(&ss, NULL), 0);
	CHECK_EQ(sigaltstack(NULL, &old), 0);
	CHECK(old.ss_flags & SS_DISABLE);
	install(SA_ONSTACK);
	raise(SIGUSR1);
	CHECK(!on_alt(handler_sp));
	return utest_done();
}
