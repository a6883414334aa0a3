/*
 * t_entry_flags - user states at the system-call entry that once took the
 * kernel down, each checked against what Linux does:
 *
 *   compat syscall   far jump to selector 0x1b (our GDT's old 32-bit user
 *                    code slot; a kernel data slot on Linux) and `syscall`
 *                    there. The kernel has no 32-bit user code segment, so
 *                    the far jump itself faults: SIGSEGV, on Linux too.
 *                    The same by a far return (lretq).
 *   RFLAGS.NT        NT set around a system call: the call works (the
 *                    kernel must never run, nor iretq, with NT set), and
 *                    on this kernel NT comes back set, as Linux returns it
 *                    (Linux's tools/testing/selftests/x86/syscall_nt.c).
 *                    That last check is made here only: some hypervisors'
 *                    Linux guests clear NT on the way back, so a Linux
 *                    host is no oracle for it. A fork with NT set returns
 *                    in both parent and child.
 *   RFLAGS.NT|TF     the same with the trap flag: the single-step trap
 *                    after the call kills the child with SIGTRAP.
 *
 * The entry side is arch/x86_64/syscall_entry.asm and kernel/syscall.c
 * (syscall_init), the GDT arch/x86_64/gdt.c.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_entry_flags"
#include "utest.h"
#include <private.h>
#include <stdint.h>
#include <sys/mman.h>

#define RFLAGS_TF (1UL << 8)
#define RFLAGS_NT (1UL << 14)
#define NR_GETPID 39
#define NR_FORK	  57
#define NR_EXIT	  60

/* A code page below 4 GiB, where a 32-bit code segment could run it. */
#define LOW_CODE 0x20000000UL

static int compat_syscall(void *arg)
{
	/* A far pointer m16:32 (offset, then selector), which Intel and AMD
	 * both take in 64-bit mode: the target sits below 4 GiB. */
	static struct __attribute__((packed)) {
		uint32_t offset;
		uint16_t selector;
	} far;

	far.offset = (uint32_t)(uintptr_t)arg;
	far.selector = 0x1b;
	__asm__ __volatile__("ljmpl *%0" : : "m"(far) : "memory");
	return 0; /* not reached: the parent reports exit status 0 */
}

/* The same through lretq, which pops RIP and CS from the user stack.
 * Real CPUs fault on the selector (#GP); QEMU's TCG first pops the stack
 * as a supervisor access, which SMAP refuses: a #PF from user mode without
 * the user bit, which must kill the program, not be retried for ever. */
static int compat_lret(void *arg)
{
	unsigned long target = (unsigned long)arg;

	__asm__ __volatile__("pushq $0x1b\n\t"
			     "pushq %0\n\t"
			     "lretq"
			     :
			     : "r"(target)
			     : "memory");
	return 0; /* not reached: the parent reports exit status 0 */
}

/* getpid with extra RFLAGS bits set around the syscall instruction;
 * *flags_after gets RFLAGS as the call returned it. */
static long getpid_with_flags(unsigned long set, unsigned long *flags_after)
{
	long ret;
	unsigned long after;

	__asm__ __volatile__("pushfq\n\t"
			     "orq %[set], (%%rsp)\n\t"
			     "popfq\n\t"
			     "syscall\n\t"
			     "pushfq\n\t"
			     "popq %[after]\n\t"
			     "pushq %[after]\n\t"
			     "andq %[clear], (%%rsp)\n\t"
			     "popfq"
			     : "=a"(ret), [after] "=&r"(after)
			     : "0"((long)NR_GETPID), [set] "r"(set),
			       [clear] "r"(~set)
			     : "rcx", "r11", "memory", "cc");
	*flags_after = after;
	return ret;
}

static int nt_tf_child(void *arg)
{
	unsigned long after;

	(void)arg;
	getpid_with_flags(RFLAGS_NT | RFLAGS_TF, &after);
	return 0; /* survived the single step: the parent reports 0 */
}

/* fork(2) as a raw syscall with NT set; the child exits 3 at once. */
static long fork_with_nt(void)
{
	long ret;

	__asm__ __volatile__("pushfq\n\t"
			     "orq %[nt], (%%rsp)\n\t"
			     "popfq\n\t"
			     "syscall\n\t"
			     "pushfq\n\t"
			     "andq %[clear], (%%rsp)\n\t"
			     "popfq\n\t"
			     "test %%rax, %%rax\n\t"
			     "jnz 1f\n\t"
			     "mov %[nr_exit], %%eax\n\t"
			     "mov $3, %%edi\n\t"
			     "syscall\n\t"
			     "ud2\n"
			     "1:"
			     : "=a"(ret)
			     : "0"((long)NR_FORK), [nt] "r"(RFLAGS_NT),
			       [clear] "r"(~RFLAGS_NT), [nr_exit] "i"(NR_EXIT)
			     : "rcx", "r11", "rdi", "memory", "cc");
	return ret;
}

int main(void)
{
	/* syscall; ud2 - the same bytes in 32- and 64-bit mode. */
	static const unsigned char code[] = { 0x0f, 0x05, 0x0f, 0x0b };
	unsigned char *low;
	struct meminfo mi;
	unsigned long after;
	long pid, child;
	int status = -1;

	low = mmap((void *)LOW_CODE, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(low != MAP_FAILED && (uintptr_t)low < (1UL << 32));
	if (low != MAP_FAILED && (uintptr_t)low < (1UL << 32)) {
		memcpy(low, code, sizeof(code));
		expect_signal("far jump to selector 0x1b, then syscall",
			      compat_syscall, low, SIGSEGV);
		expect_signal("far return to selector 0x1b, then syscall",
			      compat_lret, low, SIGSEGV);
	}

	pid = getpid_with_flags(RFLAGS_NT, &after);
	CHECK_EQ(pid, (long)getpid());
	if (meminfo(&mi) == 0) /* our kernel: NT kept, as Linux keeps it */
		CHECK((after & RFLAGS_NT) != 0);
	else
		diag("meminfo: %s (not our kernel): NT after the call not checked",
		     strerror(errno));

	fflush(stdout);
	child = fork_with_nt();
	CHECK(child > 0);
	if (child > 0) {
		CHECK_EQ((long)waitpid((pid_t)child, &status, 0), child);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 3)
			describe_status("fork with NT set: child", status);
	}

	expect_signal("syscall with NT and TF set", nt_tf_child, NULL, SIGTRAP);
	parent_carries_on();
	return utest_done();
}
