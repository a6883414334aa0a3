/*
 * main.c - kmain(), where boot/boot.asm hands over in 64-bit mode on the
 * boot stack. It brings the machine up in order -- console, boot
 * parameters, CPU tables, memory, time -- then runs what the command line
 * asks for (test=..., or the default job) and powers off with an exit code
 * that tools/qemu.sh passes on.
 */
#include <kernel/proc_fs.h>
#include <kernel/boot_params.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/exec.h>
#include <kernel/fdtable.h>
#include <kernel/fs.h>

#include <kernel/signal.h>
#include <kernel/initrd.h>
#include <kernel/irqsoff.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/uaccess.h>
#include <kernel/workqueue.h>
#include <mm/kstack.h>
#include <kernel/ktest.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/profile.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <mm/memblock.h>
#include <mm/mm_init.h>
#include <mm/poe.h>
#include <mm/page_alloc.h>
#include <mm/page_init.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/power.h>
#include <asm/serial.h>
#include <asm/smp.h>
#include <asm/traps.h>
#include <kernel/syscalls.h>

#define KERNEL_VERSION "0.1"

static char test_filter[64];

static int set_test(const char *val)
{
	if (!*val || strlen(val) >= sizeof(test_filter))
		return -EINVAL;
	memcpy(test_filter, val, strlen(val) + 1);
	return 0;
}
KERNEL_PARAM("test", set_test,
	     "run in-kernel tests: all, SUITE, SUITE.NAME, or oops_pf");

static char init_path[128];
static bool init_rejected; /* an init= the kernel could not use */

static int set_init(const char *val)
{
	if (val[0] != '/' || strlen(val) >= sizeof(init_path)) {
		init_rejected = true;
		return -EINVAL;
	}
	init_rejected = false;
	memcpy(init_path, val, strlen(val) + 1);
	return 0;
}
KERNEL_PARAM("init", set_init,
	     "first user program, e.g. init=/bin/sh (args after --)");

/* The default job when there is no init=: show what the kernel sees. */
static int default_job(void)
{
	u64 j0 = jiffies, t0 = ktime_get_ns();

	show_free_areas();
	msleep(20);
	pr_info("default job: uptime %llu ms, %llu ticks in the last %llu us; "
		"free %lu of %lu pages\n",
		(unsigned long long)(ktime_get_ns() / 1000000),
		(unsigned long long)(jiffies - j0),
		(unsigned long long)((ktime_get_ns() - t0) / 1000),
		nr_free_pages(), nr_managed_pages());
	return EXIT_OK;
}

/* The kernel's own job (tests or the default job), in a thread of its own
 * so that it may sleep; the boot thread becomes the idle task. */
static int kernel_job(void *arg)
{
	int code;

	(void)arg;
	if (test_filter[0]) {
		int failed = ktest_run(test_filter);
		code = failed ? EXIT_TEST_FAIL : EXIT_OK;
	} else {
		code = default_job();
	}
	profile_report(30);
	pr_info("Powering off (exit code %d)\n", code);
	machine_exit(code);
}

/* pid 1: exec the init program, then leave for user mode. */
static void init_main(void *arg)
{
	static const char *envp[] = { "HOME=/", "TERM=vt100", NULL };
	const char *argv[INIT_MAX_ARGS + 2];
	int err;

	(void)arg;
	argv[0] = init_path;
	for (int i = 0; i <= init_nr_args; i++)
		argv[i + 1] = init_args[i]; /* NULL-terminated */
	err = files_init_console();
	if (err)
		panic("init: cannot open /dev/console: error %d", err);
	err = kernel_execve(init_path, argv, envp, task_pt_regs(current));
	if (err)
		panic("init: cannot run %s: error %d%s", init_path, err,
		      err == -ENOENT ?
			      " (not in the initrd; see `make initrd`)" :
			      "");
	current->flags &= ~PF_KTHREAD;
	local_irq_disable();
	ret_to_user(task_pt_regs(current));
}

static void start_init(void)
{
	struct task *t;
	int files = initrd_init();

	if (files < 0)
		panic("init: the initrd is not a ustar archive");
	if (files > 0 && populate_rootfs() < 0)
		panic("init: cannot unpack the initrd into the root file system");
	pr_info("initrd: %d files; starting %s\n", files, init_path);
	t = task_alloc("init");
	if (!t)
		panic("init: out of memory");
	t->pid = t->tgid = 1;
	if (signal_init_task(t)) /* its actions, group and session */
		panic("init: out of memory");
	task_set_entry(t, (unsigned long)task_pt_regs(t), init_main, NULL);
	task_start(t);
}

void kmain(int boot_proto, u32 boot_info_phys)
{
	serial_init();
	boot_params_init(boot_proto, boot_info_phys);
	printk(KERN_NOTICE "POE kernel %s (x86_64) booting via %s\n",
	       KERNEL_VERSION, boot_params.loader);
	printk(KERN_NOTICE "Command line: %s\n", boot_params.cmdline);
	parse_cmdline(boot_params.cmdline);

	cpu_init();
	gdt_init();
	idt_init();
	percpu_init(0);
	memblock_init();
	smp_reserve_trampoline();
	mm_init();
	kstack_init();
	profile_init();
	sched_init();
	irqsoff_init(); /* before syscall_init(): the traced entry */
	syscall_init();
	smap_init();
	time_init();
	smp_init();

	if (strcmp(test_filter, "oops_pf") == 0) {
		ktest_pf_oops(); /* returns only if no fault */
		machine_exit(EXIT_TEST_FAIL);
	}
	workqueue_init();
	page_init_init(); /* the page_init/N workers (mm/page_init.c) */
	poe_init();
	ramfs_init(); /* the root file system, /dev and /tmp */
	proc_init();  /* /proc (fs/proc.c) */
	/* A typo in init= must not quietly run the default job and exit
	 * 0: the run that asked for a program would look like a success.
	 * (Linux panics when the init it was given cannot run.) */
	if (init_rejected && !test_filter[0]) {
		pr_err("init: the init= of the command line is not an absolute "
		       "path of at most %zu bytes (e.g. init=/bin/sh); powering "
		       "off with exit code %d\n",
		       sizeof(init_path) - 1, EXIT_BAD_INIT);
		machine_exit(EXIT_BAD_INIT);
	}
	if (init_path[0] && !test_filter[0])
		start_init();
	else if (!kthread_run(kernel_job, NULL, "kjob"))
		panic("cannot start the kernel job");
	cpu_idle();
}
