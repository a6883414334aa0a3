/*
 * exec.c - execve(2) and the kernel's own kernel_execve() (for init), as
 * Linux's fs/exec.c: read the program through the file system
 * (exec_read_file(), fs/open.c: a path relative to the cwd, a regular
 * file with an x bit, copied into one contiguous kernel buffer, since
 * the ELF loader takes the image whole), build a new address space with
 * the ELF loader (kernel/elf.c) and a user stack holding Linux's initial process stack (argc, argv, envp, auxv;
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
#include <kernel/cmdline.h>
#include <kernel/fdtable.h>
#include <kernel/fs.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/random.h>
#include <kernel/rusage.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/smp.h>
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
#include <linux/personality.h>

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

/*
 * Linux's kernel.randomize_va_space: 2 randomizes the stack, the mmap
 * base and the heap's start at every exec, 0 nothing (1, stack and mmap
 * only, has no way in here). The boot option norandmaps sets 0, as in
 * Linux (mm/memory.c): the test suite and the benchmarks use it where
 * layouts must repeat (docs/address-space.md).
 */
int randomize_va_space = 2;

static int set_norandmaps(const char *val)
{
	if (*val)
		return -EINVAL; /* a bare word */
	randomize_va_space = 0;
	return 0;
}
KERNEL_PARAM("norandmaps", set_norandmaps,
	     "no address-space layout randomization at exec");

/* Where the program headers are in the new program's memory, before the
 * load bias, or 0. */
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
 * stack_top (bytes, page aligned), from high to low addresses:
 *   execfn string, envp strings, argv strings     (stack_top down)
 *   gap bytes (a random offset, Linux's arch_align_stack(); 0 without
 *   randomization)
 *   16 random bytes (AT_RANDOM)
 *   padding to 16 bytes
 *   auxv pairs ... AT_NULL
 *   NULL, envp[envc - 1] ... envp[0]
 *   NULL, argv[argc - 1] ... argv[0]
 *   argc                                          <- *sp, 16-byte aligned
 * Returns 0 or -ENOMEM / -EFAULT.
 */
static int setup_stack(struct mm_struct *mm, unsigned long stack_top,
		       unsigned long gap, const char *path,
		       const char *const argv[], size_t argc,
		       const char *const envp[], size_t envc, size_t bytes,
		       const void *image, u64 entry, unsigned long bias,
		       unsigned long *sp)
{
	size_t words = 1 + (argc + 1) + (envc + 1) + 2 * NR_AUXV;
	size_t pathlen = strlen(path) + 1;
	unsigned long p = stack_top - pathlen - bytes;
	unsigned long execfn, rnd, top;
	Elf64_Ehdr eh;
	u64 *vec, *av, seed[2];
	int err, na = 0;

	vec = kzalloc(words * sizeof(u64));
	if (!vec)
		return -ENOMEM;
	vec[0] = argc;
	mm->arg_start = p;
	err = put_strings(mm, argv, argc, &p, vec + 1);
	mm->arg_end = p;
	if (!err)
		err = put_strings(mm, envp, envc, &p, vec + 1 + argc + 1);
	execfn = p;
	if (!err)
		err = copy_to_mm(mm, execfn, path, pathlen);
	rnd = ALIGN_DOWN(stack_top - pathlen - bytes - gap - 16, 16);
	seed[0] = random_u64();
	seed[1] = random_u64();
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
		AUX(AT_PHDR, phdr_address(image, &eh) + bias);
		AUX(AT_PHENT, sizeof(Elf64_Phdr));
		AUX(AT_PHNUM, eh.e_phnum);
	}
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, 0); /* no interpreter: a static PIE relocates itself */
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

/* Is t another live thread of me's process? tasks_lock held. */
static bool other_live_thread(const struct task *me, const struct task *t)
{
	return t != me && t->tgid == me->tgid && !(t->flags & PF_KTHREAD) &&
	       t->state != TASK_ZOMBIE && t->state != TASK_DEAD;
}

/*
 * Kill every other live thread of current's process that is not dying
 * yet (a thread that a racing clone() has just made included), and give
 * current the children of each: Linux hands the children of an exiting
 * thread to a live thread of its group (forget_original_parent()), and
 * current is the one that stays. Returns whether any other thread is
 * still alive. tasks_lock held.
 */
static bool zap_other_threads(struct task *me)
{
	struct task *t, *child;
	bool alive = false;

	list_for_each_entry(t, &all_tasks, tasks) {
		if (!other_live_thread(me, t))
			continue;
		alive = true;
		list_for_each_entry(child, &t->children, sibling)
			child->parent = me;
		list_splice_tail_init(&t->children, &me->children);
		if (fatal_signal_pending(t))
			continue;
		/* Asleep: woken. In user mode on another CPU: that CPU
		 * enters the kernel now, rather than at its next tick; its
		 * way back to user mode ends the thread. */
		sigkill_task(t);
	}
	return alive;
}

/*
 * current, not its process's main thread, becomes it: it takes the main
 * thread's pid (the process's, tgid), parent, place among the parent's
 * children, exit signal and process-wide rusage sums, and the main
 * thread becomes an ordinary thread under current's old pid, which
 * nobody waits for. A main thread that has exited alone already (a
 * zombie, exit(2) in a multi-threaded process) is freed here: its
 * parent will reap current instead. Returns that zombie for the caller
 * to free once the lock is dropped, or NULL. tasks_lock held. Linux's
 * de_thread() does the same after the old leader is a zombie
 * (exchange_tid(), release_task()).
 */
static struct task *take_leadership(void)
{
	struct task *me = current, *leader = find_task_locked(me->tgid);
	bool exited = leader && leader->state == TASK_ZOMBIE;

	/* Reaped already, or being reaped (a wait4() took the zombie off
	 * its parent's list and frees it): no parent waits for us. */
	if (!leader || (exited && list_empty(&leader->sibling))) {
		me->pid = me->tgid;
		return NULL;
	}
	leader->pid = me->pid;
	me->pid = me->tgid;
	me->parent = leader->parent;
	me->exit_signal = leader->exit_signal;
	leader->exit_signal = -1; /* a thread now: dies without a zombie */
	if (!list_empty(&leader->sibling)) { /* our place in the family */
		list_add(&me->sibling, &leader->sibling);
		list_del_init(&leader->sibling);
	}
	rusage_de_thread(me, leader, exited);
	return exited ? leader : NULL;
}

/*
 * de_thread - make current the only thread of its process, before exec
 * replaces the old program: kill every other thread (their children
 * become current's), make current the main thread if it was
 * not (it takes the process's pid, as Linux's execve() does), and wait
 * until the others are gone, so that none of them runs the old program
 * once the new one starts. Returns 0; -EAGAIN when the process is dying
 * already (an exit_group(), another thread's execve() or a kill came
 * first: current has a fatal signal pending and dies on its way out);
 * -EINTR when a kill from outside came while it waited. Sleeps. Linux's
 * de_thread() (fs/exec.c).
 */
static int de_thread(void)
{
	struct task *me = current, *zombie = NULL;
	unsigned long flags;
	bool alive;

	spin_lock_irqsave(&tasks_lock, flags);
	if (fatal_signal_pending(me)) {
		spin_unlock_irqrestore(&tasks_lock, flags);
		return -EAGAIN;
	}
	/* From here on the dying threads' own kills spare us. */
	me->group_exec = true;
	alive = zap_other_threads(me);
	if (me->pid != me->tgid)
		zombie = take_leadership();
	spin_unlock_irqrestore(&tasks_lock, flags);
	if (zombie)
		task_free(zombie);
	while (alive) {
		if (fatal_signal_pending(me))
			return -EINTR;
		/* A tick at most: each is gone by its next way out. */
		schedule_timeout_interruptible(1);
		spin_lock_irqsave(&tasks_lock, flags);
		alive = zap_other_threads(me);
		spin_unlock_irqrestore(&tasks_lock, flags);
	}
	return 0;
}

/* Where exec puts the new program's stack (exec_layout). */
struct exec_layout {
	unsigned long stack_top; /* bytes, page aligned: the stack's end */
	unsigned long sp_gap;	 /* bytes below the strings, before the
				  * AT_RANDOM bytes and the vectors */
};

/*
 * Address-space layout randomization, as Linux's load_elf_binary() does
 * it for a static ET_EXEC program (the program itself stays where it is
 * linked), unless it is off (norandmaps, randomize_va_space 0) or the
 * personality has ADDR_NO_RANDOMIZE. mm has its program loaded (mm->brk
 * just past it); this sets mm->mmap_base, mm->start_brk/brk and *lay.
 * The ranges are Linux's for x86-64 (include/mm/user_mm.h): stack top
 * STACK_RND_MASK pages below USER_STACK_TOP (22 bits, 16 GiB) and the
 * first stack pointer up to STACK_ALIGN_RND bytes lower
 * (arch_align_stack()); the mmap base MMAP_RND_BITS bits of pages below
 * USER_MMAP_BASE (28 bits, 1 TiB: arch_mmap_rnd()); the heap's start
 * up to BRK_RND_RANGE above the program's end (1 GiB, 18 bits:
 * arch_randomize_brk()). They cannot meet: the stack's lowest possible
 * end is still far above the mmap area's highest start, and the heap's
 * far below its lowest.
 */
static void randomize_layout(struct mm_struct *mm, struct exec_layout *lay)
{
	lay->stack_top = USER_STACK_TOP;
	lay->sp_gap = 0;
	if (!randomize_va_space || (mm->personality & ADDR_NO_RANDOMIZE))
		return;
	lay->stack_top -= (random_u64() & STACK_RND_MASK) << PAGE_SHIFT;
	lay->sp_gap = random_below(STACK_ALIGN_RND);
	mm->mmap_base =
		USER_MMAP_BASE -
		((random_u64() & ((1UL << MMAP_RND_BITS) - 1)) << PAGE_SHIFT);
	if (randomize_va_space > 1)
		mm->start_brk = mm->brk =
			mm->brk + (random_below(BRK_RND_RANGE >> PAGE_SHIFT)
				   << PAGE_SHIFT);
}

/*
 * The absolute path of the program at path (relative to the cwd), for
 * /proc/PID/exe: a kmalloc'ed string, or NULL when out of memory. Not
 * normalised ("./a" stays in it), which Linux's d_path() of the opened
 * file would be; enough for a link that names the program.
 */
static char *exec_abs_path(const char *path)
{
	size_t n = strlen(path) + 1;
	struct dentry *pwd;
	char *buf;
	long len;

	if (path[0] == '/') {
		buf = kmalloc(n);
		if (buf)
			memcpy(buf, path, n);
		return buf;
	}
	buf = kmalloc(PATH_MAX + n + 1);
	if (!buf)
		return NULL;
	pwd = get_fs_pwd();
	len = pwd ? d_path(pwd, buf, PATH_MAX) : -ENOENT;
	dput(pwd);
	if (len < 0) {
		buf[0] = '/';
		len = 0;
		buf[1] = 0;
	}
	if (len > 1 || buf[len - 1] != '/') /* not the root's "/" */
		buf[len++] = '/';
	memcpy(buf + len, path, n);
	return buf;
}

int kernel_execve(const char *path, const char *const argv[],
		  const char *const envp[], struct pt_regs *regs)
{
	size_t argc = 0, envc = 0, bytes = 0, size;
	struct mm_struct *mm, *old, *borrowed;
	struct exec_layout lay = { USER_STACK_TOP, 0 };
	char *exe_path;
	void *image;
	unsigned long sp, flags;
	unsigned long dyn_base = ELF_ET_DYN_BASE, bias = 0;
	u64 entry;
	int err;

	count_strings(argv, &argc, &bytes);
	count_strings(envp, &envc, &bytes);
	if (argc + envc > MAX_ARG_STRINGS || bytes > MAX_ARG_BYTES)
		return -E2BIG;
	if (strlen(path) >= PATH_MAX)
		return -ENAMETOOLONG;
	err = exec_read_file(path, &image, &size);
	if (err)
		return err;

	exe_path = exec_abs_path(path);
	mm = mm_alloc();
	if (!mm || !exe_path) {
		if (mm)
			mmput(mm);
		kfree(exe_path);
		kfree(image);
		return -ENOMEM;
	}
	/* The personality survives exec, but for READ_IMPLIES_EXEC, which
	 * Linux's 64-bit exec clears (set_personality_64bit()). */
	if (current->mm)
		mm->personality = current->mm->personality & ~READ_IMPLIES_EXEC;
	/* A static PIE's base: ELF_ET_DYN_BASE, plus as many random pages
	 * as the mmap base gets (Linux's arch_mmap_rnd(), 1 TiB at most). */
	if (randomize_va_space && !(mm->personality & ADDR_NO_RANDOMIZE))
		dyn_base += (random_u64() & ((1UL << MMAP_RND_BITS) - 1))
			    << PAGE_SHIFT;
	err = elf_load(mm, image, size, dyn_base, &entry, &bias);
	if (!err)
		randomize_layout(mm, &lay);
	if (!err)
		err = map_user_pages(mm, lay.stack_top - USER_STACK_SIZE,
				     USER_STACK_SIZE, PROT_READ | PROT_WRITE);
	if (!err) {
		/* The stack grows down on faults below it (arch/x86_64/fault.c). */
		find_vma(mm, lay.stack_top - 1)->vm_flags |= VM_GROWSDOWN;
		mm->start_stack = lay.stack_top;
	}
	if (err == -EEXIST) {
		pr_err("exec: %s: a segment overlaps the user stack\n", path);
		err = -ENOEXEC;
	}
	if (!err)
		err = setup_stack(mm, lay.stack_top, lay.sp_gap, path, argv,
				  argc, envp, envc, bytes, image, entry, bias,
				  &sp);
	/* Last before the point of no return, as Linux's begin_new_exec():
	 * a failed exec leaves the other threads alone. */
	if (!err)
		err = de_thread();
	/* Linux's begin_new_exec(): close-on-exec must not close the files
	 * of a process that shares the table (CLONE_FILES). */
	if (!err)
		err = unshare_files();
	if (!err) /* handlers back to SIG_DFL (kernel/signal.c) */
		err = flush_signal_handlers(current);
	kfree(image);
	if (err) {
		current->group_exec = false;
		kfree(exe_path);
		mmput(mm);
		return err;
	}

	/*
	 * Point of no return: the old program is gone. mm, active_mm and
	 * CR3 change together, with interrupts off, as the scheduler reads
	 * them (Linux's exec_mmap()), and under tasks_lock, under which the
	 * OOM killer looks at other tasks' mm (mm/oom_kill.c). A caller
	 * that had no mm (init, started as a kernel thread) may have been
	 * borrowing the page table of the task before it (lazy TLB): that
	 * reference goes once CR3 is ours.
	 */
	spin_lock_irqsave(&tasks_lock, flags);
	old = current->mm;
	borrowed = old ? NULL : current->active_mm;
	current->mm = mm;
	current->active_mm = mm;
	switch_mm(mm);
	spin_unlock_irqrestore(&tasks_lock, flags);
	if (old) {
		rusage_exec_mm(old); /* its peak rss, for ru_maxrss */
		mmput(old); /* other CLONE_VM threads keep their reference */
	} else if (borrowed) {
		mmdrop(borrowed);
	}
	/* poe.always=1 runs every program with POE (the test suite does). */
	if (poe_always && poe_enable(mm, current->tgid))
		pr_warn("exec: %s: poe.always: poe_enable failed\n", path);
	set_task_comm(current, basename(path));
	mm->exe_path = exe_path;
	exe_path = NULL;
	current->fsbase = 0;
	current->clear_child_tid = NULL;
	wrmsr(MSR_FS_BASE, 0);
	do_close_on_exec(current->files);

	memset(regs, 0, sizeof(*regs));
	regs->rip = entry;
	regs->rsp = sp;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->rflags = USER_RFLAGS;
	/* What sysret would load RIP and RFLAGS from, if the exit uses it. */
	regs->rcx = entry;
	regs->r11 = USER_RFLAGS;
	current->group_exec = false;
	return 0;
}

/*
 * Count the strings of a user vector of string pointers (NULL-terminated;
 * a NULL vector is empty), reading every pointer. Returns the count, or
 * -EFAULT (a pointer cannot be read), -EINTR (killed meanwhile). Linux's
 * count(), whose limit (MAX_ARG_STRINGS, 2^31 - 1) is ours too: the
 * smaller limit of this kernel is applied to the total afterwards.
 */
static long count_user_strings(const char __user *const __user *uarr)
{
	long n = 0;

	if (!uarr)
		return 0;
	for (;; n++) {
		u64 p;

		if (get_user_u64(&p, uarr + n))
			return -EFAULT;
		if (!p)
			return n;
		if (n >= 0x7fffffff)
			return -E2BIG;
		if (fatal_signal_pending(current))
			return -EINTR;
	}
}

/*
 * Copy the n strings of user vector uarr into strings[*used..], their
 * addresses into karr[0..n), NULL into karr[n]. 0, -EFAULT (a string
 * cannot be read) or -E2BIG (past MAX_ARG_BYTES together).
 */
static int copy_strings(const char __user *const __user *uarr, size_t n,
			const char **karr, char *strings, size_t *used)
{
	for (size_t i = 0; i < n; i++) {
		size_t room = MAX_ARG_BYTES - *used;
		u64 p;
		long len;

		if (get_user_u64(&p, uarr + i))
			return -EFAULT; /* unmapped since it was counted */
		len = strncpy_from_user(strings + *used, (const char __user *)p,
					room);
		if (len < 0)
			return (int)len;
		if ((size_t)len == room) /* no NUL within room: too long */
			return -E2BIG;
		karr[i] = strings + *used;
		*used += (size_t)len + 1;
	}
	karr[n] = NULL;
	return 0;
}

/*
 * sys_execve - execve(2), checking as Linux 6.1's do_execveat_common()
 * does and in its order: the path (at most PATH_MAX bytes with the NUL),
 * the pointer vectors argv and envp (NULL vectors are empty), their
 * number (at most MAX_ARG_STRINGS together), the strings, envp's before
 * argv's (at most MAX_ARG_BYTES together), and only then the file, in
 * kernel_execve() (a path walk: each component at most NAME_MAX). An empty argv
 * becomes { "" }, as since Linux 5.18, so that argv[0] is never NULL.
 * Returns 0 (the frame now starts the new program), or -EFAULT (path),
 * -ENOENT (empty path), -ENAMETOOLONG, -EFAULT (a vector), -E2BIG,
 * -EFAULT (a string), -ENAMETOOLONG (a component), -ENOENT, -ENOTDIR,
 * -EACCES (not a regular file with an x bit), -ENOEXEC, -ENOMEM, -EAGAIN (the process is being killed);
 * then the caller's program is unchanged. Mirrors Linux 6.1's
 * do_execve(). (Linux 6.8 opens the file first, so that a missing file
 * is -ENOENT whatever is wrong with the arguments.)
 */
long sys_execve(const char __user *path, const char __user *const __user *argv,
		const char __user *const __user *envp, struct pt_regs *regs)
{
	static const char *const no_args[] = { "", NULL };
	char *kpath = kmalloc(PATH_MAX);
	char *strings = kmalloc(MAX_ARG_BYTES);
	const char **kargv = kmalloc((MAX_ARG_STRINGS + 1) * sizeof(char *));
	const char **kenvp = kmalloc((MAX_ARG_STRINGS + 1) * sizeof(char *));
	size_t used = 0;
	long err, argc, envc;

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
	argc = count_user_strings(argv);
	if (argc < 0) {
		err = argc;
		goto out;
	}
	envc = count_user_strings(envp);
	if (envc < 0) {
		err = envc;
		goto out;
	}
	if (argc + envc > MAX_ARG_STRINGS) { /* Linux: bprm_stack_limits() */
		err = -E2BIG;
		goto out;
	}
	err = copy_strings(envp, (size_t)envc, kenvp, strings, &used);
	if (!err)
		err = copy_strings(argv, (size_t)argc, kargv, strings, &used);
	/* The file only now, as Linux 6.1's bprm_execve() opens it after
	 * the arguments are copied: kernel_execve() looks it up. */
	if (!err)
		err = kernel_execve(kpath, argc ? kargv : no_args, kenvp, regs);
out:
	kfree(kpath);
	kfree(strings);
	kfree(kargv);
	kfree(kenvp);
	return err;
}

/*
 * sys_personality - personality(2): set the calling process's
 * personality to persona and return the old one; 0xffffffff only
 * returns it. Every value is taken; exec reads ADDR_NO_RANDOMIZE (no
 * layout randomization) and clears READ_IMPLIES_EXEC, the other flags
 * mean nothing here. Kept in the mm (include/mm/mm_types.h): the
 * process's threads share it, where Linux keeps one per thread. Linux's
 * personality(2) (kernel/exec_domain.c).
 */
long sys_personality(unsigned int persona)
{
	struct mm_struct *mm = current->mm;
	unsigned int old = mm->personality;

	if (persona != 0xffffffff)
		mm->personality = persona;
	return old;
}
