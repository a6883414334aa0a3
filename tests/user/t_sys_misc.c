/*
 * t_sys_misc - the calls no other test makes, each with its success and
 * an error case, on both kernels:
 *   vfork              the child runs, _exits, and the parent reaps its
 *                      status (ours copies, which vfork(2) allows)
 *   tkill              a signal to this thread by TID; ESRCH, EINVAL
 *   rt_tgsigqueueinfo  a queued signal with its value to this thread;
 *                      EPERM for a kernel si_code from user space
 *   lstat              a directory, a missing name (ENOENT), a bad
 *                      pointer (EFAULT)
 *   symlinkat          a link relative to a directory fd, read back;
 *                      EEXIST, EBADF (in /tmp, removed again)
 *   mm_dump, initrd_list  our private calls (ENOSYS on Linux): the VMA
 *                      dump, its EINVAL for too long a range, and the
 *                      initrd's program names with ERANGE for a short
 *                      buffer
 * Raw syscall(2), so that libc adds nothing.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_sys_misc"
#include "utest.h"
#include <private.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile sig_atomic_t got_sig, got_code, got_int;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_int = si->si_int;
}

/*
 * vfork, the child exiting with status 7 at once. In assembly: on Linux
 * the child runs on the parent's stack until it exits, so it must not
 * return through syscall(2) (which would overwrite the frame the parent
 * returns through).
 */
static long vfork_exit7(void)
{
	long ret;

	__asm__ __volatile__("syscall\n\t"
			     "test %%rax, %%rax\n\t"
			     "jnz 1f\n\t"
			     "mov $231, %%eax\n\t" /* exit_group(7) */
			     "mov $7, %%edi\n\t"
			     "syscall\n"
			     "1:"
			     : "=a"(ret)
			     : "0"((long)__NR_vfork)
			     : "rcx", "r11", "rdi", "memory");
	return ret;
}

static void check_vfork(void)
{
	int status = 0;
	long pid = vfork_exit7();

	CHECK(pid > 0);
	CHECK_EQ(waitpid((pid_t)pid, &status, 0), (pid_t)pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
}

static void check_tkill(void)
{
	got_sig = 0;
	CHECK_EQ(syscall(SYS_tkill, gettid(), SIGUSR1), 0);
	CHECK_EQ(got_sig, SIGUSR1);
	CHECK_EQ(got_code, SI_TKILL);
	CHECK_ERR(syscall(SYS_tkill, 0, SIGUSR1), EINVAL); /* tid <= 0 */
	CHECK_ERR(syscall(SYS_tkill, gettid(), 65), EINVAL);
	CHECK_ERR(syscall(SYS_tkill, 0x3fffffff, SIGUSR1), ESRCH);
}

static void check_tgsigqueueinfo(void)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	si.si_int = 4242;
	got_sig = got_int = 0;
	CHECK_EQ(syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGUSR1,
			 &si),
		 0);
	CHECK_EQ(got_sig, SIGUSR1);
	CHECK_EQ(got_code, SI_QUEUE);
	CHECK_EQ(got_int, 4242);
	/* A code the kernel alone may use (SI_KERNEL > 0), to another
	 * process: refused (to itself Linux lets it through). */
	si.si_code = SI_KERNEL;
	CHECK_ERR(syscall(SYS_rt_tgsigqueueinfo, getppid(), getppid(), 0, &si),
		  EPERM);
	CHECK_ERR(syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGUSR1,
			  (void *)1),
		  EFAULT);
}

static void check_lstat(void)
{
	struct stat st;

	CHECK_EQ(syscall(__NR_lstat, "/", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_ERR(syscall(__NR_lstat, "/no/such/name", &st), ENOENT);
	CHECK_ERR(syscall(__NR_lstat, "/", (void *)1), EFAULT);
}

static void check_symlinkat(void)
{
	char dir[64], got[16];
	int dfd;

	snprintf(dir, sizeof(dir), "/tmp/t_sys_misc.%d", (int)getpid());
	CHECK_EQ(mkdir(dir, 0755), 0);
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0);
	CHECK_EQ(syscall(SYS_symlinkat, "target", dfd, "link"), 0);
	memset(got, 0, sizeof(got));
	CHECK_EQ(readlinkat(dfd, "link", got, sizeof(got) - 1), 6);
	CHECK_EQ(strcmp(got, "target"), 0);
	CHECK_ERR(syscall(SYS_symlinkat, "other", dfd, "link"), EEXIST);
	CHECK_ERR(syscall(SYS_symlinkat, "target", -1, "link2"), EBADF);
	CHECK_EQ(unlinkat(dfd, "link", 0), 0);
	close(dfd);
	CHECK_EQ(rmdir(dir), 0);
}

static void check_private(void)
{
	char small[4], *names;
	long n;

	if (syscall(__NR_mm_dump, 0UL, 0UL) < 0) {
		CHECK_EQ(errno, ENOSYS);
		CHECK_ERR(initrd_list(small, sizeof(small)), ENOSYS);
		diag("not our kernel: mm_dump and initrd_list are ENOSYS");
		return;
	}
	/* 4096 pages at most (include/uapi/private.h). */
	CHECK_ERR(mm_dump(0x400000, 0x400000 + 4097UL * 4096), EINVAL);
	CHECK_ERR(initrd_list(small, sizeof(small)), ERANGE);
	names = malloc(1 << 16);
	CHECK(names != NULL);
	if (!names)
		return;
	n = initrd_list(names, 1 << 16);
	CHECK(n > 0);
	/* This test runs from the initrd, so its own name is in the list. */
	for (long i = 0; n > 0 && i < n; i += (long)strlen(names + i) + 1)
		if (strstr(names + i, TEST_NAME))
			n = -1;
	CHECK_EQ(n, -1);
	free(names);
}

int main(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	check_vfork();
	check_tkill();
	check_tgsigqueueinfo();
	check_lstat();
	check_symlinkat();
	check_private();
	return utest_done();
}
