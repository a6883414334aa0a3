/*
 * exec.c - execve(2) and the kernel's own kernel_execve() (for init), as
 * Linux's fs/exec.c: find the program in the initrd (kernel/initrd.c),
 * build a new address space with the ELF loader (kernel/elf.c) and a user
 * stack holding Linux's initial process stack (argc, argv, envp, auxv;
 * System V x86-64 ABI §3.4.1), then swap it in for the task's old mm and
 * point the task's user register frame at the entry. Everything that can
 * fail happens before the swap, so a failed exec leaves the caller as it
 * was. Works with mm/user_mm.c (mm_alloc, map_user_pages, copy_to_mm) and
 * the scheduler (kernel/sched.c: current, set_task_comm).
 */
#include <kernel/compiler.h>
#include <kernel/elf.h>
#include <kernel/errno.h>
#include <kernel/exec.h>
#include <kernel/initrd.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <mm/kmalloc.h>
#include <mm/mman.h>
#include <mm/page.h>
#include <mm/user_mm.h>
#include <mm/poe.h>
#include <mm/vma.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/processor-flags.h>

#define PATH_MAX 256 /* bytes, with the NUL */
#ifndef MSR_FS_BASE
#define MSR_FS_BASE 0xc0000100
#endif
#define USER_RFLAGS (X86_EFLAGS_IF | X86_EFLAGS_FIXED)
#define NR_AUXV	    18 /* auxv pairs we may write, AT_NULL included */

/* Count a NULL-terminated kernel string vector and its bytes (with NULs). */
static void count_strings(const char *const v[], size_t *n, size_t *bytes)
{
	if (!v)
		return;
	for (size_t i = 0; v[i] && *n <= MAX_ARG_STRINGS; i++) {
		*bytes += strlen(v[i]) + 1;
		(*n)++;
	}
}

static const char *basename(const char *path)
{
	const char *b = path;

	for (const char *p = path; *p; p++)
		if (*p == '/' && p[1])
			b = p + 1;
	return b;
}

/* splitmix64: 16 bytes for AT_RANDOM from the TSC (not cryptographic). */
static u64 mix64(u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Where the program headers are in the new program's memory, or 0. */
static unsigned long phdr_address(const void *image, const Elf64_Ehdr *eh)
{
	for (int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph,
		       (const char *)image + eh->e_phoff +
			       (size_t)i * sizeof(ph),
		       sizeof(ph));
		if (ph.p_type == PT_PHDR)
			return ph.p_vaddr;
		if (ph.p_type == PT_LOAD && eh->e_phoff >= ph.p_offset &&
		    eh->e_phoff - ph.p_offset < ph.p_filesz)
			return ph.p_vaddr + (eh->e_phoff - ph.p_offset);
	}
	return 0;
}

/* Write the strings of v at *p upwards, recording their user addresses. */
static int put_strings(struct mm_struct *mm, const char *const v[], size_t n,
		       unsigned long *p, u64 *addrs)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;
		int err = copy_to_mm(mm, *p, v[i], len);

		if (err)
			return err;
		addrs[i] = *p;
		*p += len;
	}
	return 0;
}

/*
 * setup_stack - Linux's initial process stack at the top of mm's stack,
 * from high to low addresses:
 *   execfn string, envp strings, argv strings     (USER_STACK_TOP down)
 *   16 random bytes (AT_RANDOM)
 *   padding to 16 bytes
 *   auxv pairs ... AT_NULL
 *   NULL, envp[envc - 1] ... envp[0]
 *   NULL, argv[argc - 1] ... argv[0]
 *   argc                                          <- *sp, 16-byte aligned
 * Returns 0 or -ENOMEM / -EFAULT.
 */
static int setup_stack(struct mm_struct *mm, const char *path,
		       const char *const argv[], size_t argc,
		       const char *const envp[], size_t envc, size_t bytes,
		       const void *image, u64 entry, unsigned long *sp)
{
	size_t words = 1 + (argc + 1) + (envc + 1) + 2 * NR_AUXV;
	size_t pathlen = strlen(path) + 1;
	unsigned long p = USER_STACK_TOP - pathlen - bytes;
	unsigned long execfn, rnd, top;
	Elf64_Ehdr eh;
	u64 *vec, *av, seed[2];
	int err, na = 0;

	vec = kzalloc(words * sizeof(u64));
	if (!vec)
		return -ENOMEM;
	vec[0] = argc;
	err = put_strings(mm, argv, argc, &p, vec + 1);
	if (!err)
		err = put_strings(mm, envp, envc, &p, vec + 1 + argc + 1);
	execfn = p;
	if (!err)
		err = copy_to_mm(mm, execfn, path, pathlen);
	rnd = ALIGN_DOWN(USER_STACK_TOP - pathlen - bytes - 16, 16);
	seed[0] = mix64(rdtsc());
	seed[1] = mix64(seed[0] ^ (unsigned long)mm);
	if (!err)
		err = copy_to_mm(mm, rnd, seed, sizeof(seed));

	memcpy(&eh, image, sizeof(eh)); /* elf_load checked it */
	av = vec + 1 + (argc + 1) + (envc + 1);
#define AUX(type, val)                  \
	do {                            \
		av[2 * na] = (type);    \
		av[2 * na + 1] = (val); \
		na++;                   \
	} while (0)
	if (phdr_address(image, &eh)) {
		AUX(AT_PHDR, phdr_address(image, &eh));
		AUX(AT_PHENT, sizeof(Elf64_Phdr));
		AUX(AT_PHNUM, eh.e_phnum);
	}
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, entry);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
	AUX(AT_SECURE, 0);
	AUX(AT_CLKTCK, 100);
	AUX(AT_RANDOM, rnd);
	AUX(AT_EXECFN, execfn);
	AUX(AT_NULL, 0);
#undef AUX
	/* The vector ends at AT_NULL; the unused pairs are not copied. */
	words = 1 + (argc + 1) + (envc + 1) + 2 * na;
	top = ALIGN_DOWN(rnd - words * sizeof(u64), 16);
	if (!err)
		err = copy_to_mm(mm, top, vec, words * sizeof(u64));
	kfree(vec);
	*sp = top;
	return err;
}

int kernel_execve(const char *path, const char *const argv[],
		  const char *const envp[], struct pt_regs *regs)
{
	size_t argc = 0, envc = 0, bytes = 0, size;
	struct mm_struct *mm, *old, *borrowed;
	const void *image;
	unsigned long sp, flags;
	u64 entry;
	int err;

	count_strings(argv, &argc, &bytes);
	count_strings(envp, &envc, &bytes);
	if (argc + envc > MAX_ARG_STRINGS || bytes > MAX_ARG_BYTES)
		return -E2BIG;
	if (strlen(path) >= PATH_MAX)
		return -ENAMETOOLONG;
	if (initrd_lookup(path, &image, &size))
		return -ENOENT;

	mm = mm_alloc();
	if (!mm)
		return -ENOMEM;
	err = elf_load(mm, image, size, &entry);
	if (!err)
		err = map_user_pages(mm, USER_STACK_TOP - USER_STACK_SIZE,
				     USER_STACK_SIZE, PROT_READ | PROT_WRITE);
	if (!err) {
		/* The stack grows down on faults below it (arch/x86_64/fault.c). */
		find_vma(mm, USER_STACK_TOP - 1)->vm_flags |= VM_GROWSDOWN;
		mm->start_stack = USER_STACK_TOP;
	}
	if (err == -EEXIST) {
		pr_err("exec: %s: a segment overlaps the user stack\n", path);
		err = -ENOEXEC;
	}
	if (!err)
		err = setup_stack(mm, path, argv, argc, envp, envc, bytes,
				  image, entry, &sp);
	if (err) {
		mmput(mm);
		return err;
	}
	mm->start_stack = USER_STACK_TOP;

	/*
	 * Point of no return: the old program is gone. mm, active_mm and
	 * CR3 change together, with interrupts off, as the scheduler reads
	 * them (Linux's exec_mmap()). A caller that had no mm (init, started
	 * as a kernel thread) may have been borrowing the page table of the
	 * task before it (lazy TLB): that reference goes once CR3 is ours.
	 */
	local_irq_save(flags);
	old = current->mm;
	borrowed = old ? NULL : current->active_mm;
	current->mm = mm;
	current->active_mm = mm;
	switch_mm(mm);
	local_irq_restore(flags);
	if (old)
		mmput(old); /* other CLONE_VM threads keep their reference */
	else if (borrowed)
		mmdrop(borrowed);
	/* poe.always=1 runs every program with POE (the test suite does). */
	if (poe_always && poe_enable(mm, current->tgid))
		pr_warn("exec: %s: poe.always: poe_enable failed\n", path);
	set_task_comm(current, basename(path));
	current->fsbase = 0;
	current->clear_child_tid = NULL;
	wrmsr(MSR_FS_BASE, 0);

	memset(regs, 0, sizeof(*regs));
	regs->rip = entry;
	regs->rsp = sp;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->rflags = USER_RFLAGS;
	/* What sysret would load RIP and RFLAGS from, if the exit uses it. */
	regs->rcx = entry;
	regs->r11 = USER_RFLAGS;
	return 0;
}

/*
 * Copy a user vector of string pointers (NULL-terminated; a NULL vector is
 * empty) into karr, the strings into strings[*used..]. *total counts the
 * strings of argv and envp together. 0, -EFAULT or -E2BIG.
 */
static int copy_strings(const char __user *const __user *uarr,
			const char **karr, char *strings, size_t *used,
			size_t *total)
{
	size_t i = 0;

	if (uarr) {
		for (;; i++) {
			u64 p;
			size_t room;
			long n;

			if (get_user_u64(&p, uarr + i))
				return -EFAULT;
			if (!p)
				break;
			if (*total >= MAX_ARG_STRINGS)
				return -E2BIG;
			room = MAX_ARG_BYTES - *used;
			n = strncpy_from_user(strings + *used,
					      (const char __user *)p, room);
			if (n < 0)
				return (int)n;
			if ((size_t)n ==
			    room) /* no NUL within room: too long */
				return -E2BIG;
			karr[i] = strings + *used;
			*used += (size_t)n + 1;
			(*total)++;
		}
	}
	karr[i] = NULL;
	return 0;
}

/*
 * sys_execve - execve(2): copy the path (at most PATH_MAX bytes with the
 * NUL), argv and envp (NULL vectors are empty; at most MAX_ARG_STRINGS
 * strings, MAX_ARG_BYTES bytes together) from the user, then
 * kernel_execve(). Returns 0 (the frame now starts the new program), or
 * -EFAULT, -ENAMETOOLONG, -E2BIG, -ENOENT (empty path or not in the
 * initrd), -ENOEXEC, -ENOMEM; then the caller's program is unchanged.
 * Mirrors Linux's do_execve().
 */
long sys_execve(const char __user *path, const char __user *const __user *argv,
		const char __user *const __user *envp, struct pt_regs *regs)
{
	char *kpath = kmalloc(PATH_MAX);
	char *strings = kmalloc(MAX_ARG_BYTES);
	const char **kargv = kmalloc((MAX_ARG_STRINGS + 1) * sizeof(char *));
	const char **kenvp = kmalloc((MAX_ARG_STRINGS + 1) * sizeof(char *));
	size_t used = 0, total = 0;
	long err;

	if (!kpath || !strings || !kargv || !kenvp) {
		err = -ENOMEM;
		goto out;
	}
	err = strncpy_from_user(kpath, path, PATH_MAX);
	if (err < 0)
		goto out;
	if (err == PATH_MAX) { /* no NUL within PATH_MAX bytes */
		err = -ENAMETOOLONG;
		goto out;
	}
	if (err == 0) {
		err = -ENOENT;
		goto out;
	}
	err = copy_strings(argv, kargv, strings, &used, &total);
	if (!err)
		err = copy_strings(envp, kenvp, strings, &used, &total);
	if (!err)
		err = kernel_execve(kpath, kargv, kenvp, regs);
out:
	kfree(kpath);
	kfree(strings);
	kfree(kargv);
	kfree(kenvp);
	return err;
}
