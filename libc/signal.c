/*
 * signal.c - the signal calls of <signal.h>, <unistd.h> (alarm, pause,
 * process groups and sessions) and <sys/time.h> (setitimer), over the
 * kernel's rt_* calls (kernel/signal.c; docs/signals.md), with glibc's
 * behaviour: every handler returns through __restore_rt, which calls
 * rt_sigreturn(2). Each returns -1 and sets errno on failure.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include "internal.h"
#include "syscall_arch.h"

#define RET(x) return __syscall_ret(x)

/*
 * __restore_rt - where a handler returns (its frame's pretcode): the
 * kernel finds the frame at rsp - 8 and restores what it saved. Never
 * returns. glibc's __restore_rt, the same two instructions.
 */
void __restore_rt(void);
__asm__(".text\n"
	".globl __restore_rt\n"
	".type __restore_rt, @function\n"
	"__restore_rt:\n"
	"\tmov $15, %eax\n" /* __NR_rt_sigreturn */
	"\tsyscall\n"
	"\thlt\n"
	".size __restore_rt, . - __restore_rt\n");

int sigaction(int sig, const struct sigaction *act, struct sigaction *oact)
{
	struct __kernel_sigaction kact, koact;
	long r;

	if (act) {
		kact.handler = act->sa_handler;
		kact.flags = (unsigned long)(unsigned int)act->sa_flags |
			     SA_RESTORER;
		kact.restorer = __restore_rt;
		kact.mask = act->sa_mask;
	}
	r = __syscall4(__NR_rt_sigaction, sig, act ? (long)&kact : 0,
		       oact ? (long)&koact : 0, sizeof(sigset_t));
	if (r == 0 && oact) {
		oact->sa_handler = koact.handler;
		oact->sa_flags = (int)koact.flags;
		oact->sa_restorer = koact.restorer;
		oact->sa_mask = koact.mask;
	}
	RET(r);
}

sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction sa = { 0 }, old = { 0 };

	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	if (sigaction(sig, &sa, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *oset)
{
	RET(__syscall4(__NR_rt_sigprocmask, how, (long)set, (long)oset,
		       sizeof(sigset_t)));
}

int sigpending(sigset_t *set)
{
	RET(__syscall2(__NR_rt_sigpending, (long)set, sizeof(sigset_t)));
}

int sigsuspend(const sigset_t *mask)
{
	RET(__syscall2(__NR_rt_sigsuspend, (long)mask, sizeof(sigset_t)));
}

static int bad_signal(int sig)
{
	return sig < 1 || sig > _NSIG;
}

int sigemptyset(sigset_t *set)
{
	set->sig[0] = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	set->sig[0] = ~0UL;
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (bad_signal(sig)) {
		errno = EINVAL;
		return -1;
	}
	set->sig[0] |= 1UL << (sig - 1);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (bad_signal(sig)) {
		errno = EINVAL;
		return -1;
	}
	set->sig[0] &= ~(1UL << (sig - 1));
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (bad_signal(sig)) {
		errno = EINVAL;
		return -1;
	}
	return !!(set->sig[0] & (1UL << (sig - 1)));
}

int killpg(pid_t pgrp, int sig)
{
	if (pgrp < 0) {
		errno = EINVAL;
		return -1;
	}
	return kill(-pgrp, sig);
}

int tgkill(pid_t tgid, pid_t tid, int sig)
{
	RET(__syscall3(__NR_tgkill, tgid, tid, sig));
}

int raise(int sig)
{
	return tgkill(getpid(), gettid(), sig);
}

int sigqueue(pid_t pid, int sig, const union sigval value)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_QUEUE;
	info.si_pid = getpid();
	info.si_uid = 0;
	info.si_value = value;
	RET(__syscall3(__NR_rt_sigqueueinfo, pid, sig, (long)&info));
}

int sigaltstack(const stack_t *ss, stack_t *oss)
{
	RET(__syscall2(__NR_sigaltstack, (long)ss, (long)oss));
}

unsigned int alarm(unsigned int seconds)
{
	return (unsigned int)__syscall1(__NR_alarm, seconds);
}

int pause(void)
{
	RET(__syscall0(__NR_pause));
}

int setitimer(int which, const struct itimerval *new, struct itimerval *old)
{
	RET(__syscall3(__NR_setitimer, which, (long)new, (long)old));
}

int getitimer(int which, struct itimerval *cur)
{
	RET(__syscall2(__NR_getitimer, which, (long)cur));
}

int setpgid(pid_t pid, pid_t pgid)
{
	RET(__syscall2(__NR_setpgid, pid, pgid));
}

pid_t getpgid(pid_t pid)
{
	RET(__syscall1(__NR_getpgid, pid));
}

pid_t getpgrp(void)
{
	RET(__syscall0(__NR_getpgrp));
}

pid_t setsid(void)
{
	RET(__syscall0(__NR_setsid));
}

pid_t getsid(pid_t pid)
{
	RET(__syscall1(__NR_getsid, pid));
}
