/*
 * main.c - kmain(), where boot/boot.asm hands over in 64-bit mode on the
 * boot stack. It brings the machine up in order -- console, boot
 * parameters, CPU tables, memory, time -- then runs what the command line
 * asks for (test=..., or the default job) and powers off with an exit code
 * that tools/qemu.sh passes on.
 */
#include <kernel/boot_params.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <mm/memblock.h>
#include <mm/mm_init.h>
#include <mm/page_alloc.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/power.h>
#include <asm/serial.h>

#define KERNEL_VERSION	"0.1"

static char test_filter[64];

static int set_test(const char *val)
{
	if (!*val || strlen(val) >= sizeof(test_filter))
		return -EINVAL;
	memcpy(test_filter, val, strlen(val) + 1);
	return 0;
}
KERNEL_PARAM("test", set_test, "run in-kernel tests: all, SUITE, SUITE.NAME, or oops_pf");

/* tests/kernel/test_oops.c: a kernel #PF on purpose, never returns. */
void ktest_pf_oops(void);

/* The default job until user processes exist: show what the kernel sees. */
static int default_job(void)
{
	u64 j0 = jiffies, t0 = ktime_get_ns();

	show_free_areas();
	mdelay(20);
	pr_info("default job: uptime %llu ms, %llu ticks in the last %llu us; "
		"free %lu of %lu pages\n",
		(unsigned long long)(ktime_get_ns() / 1000000),
		(unsigned long long)(jiffies - j0),
		(unsigned long long)((ktime_get_ns() - t0) / 1000),
		nr_free_pages(), nr_managed_pages());
	return EXIT_OK;
}

void kmain(int boot_proto, u32 boot_info_phys)
{
	int code;

	serial_init();
	boot_params_init(boot_proto, boot_info_phys);
	printk(KERN_NOTICE "POE kernel %s (x86_64) booting via %s\n",
	       KERNEL_VERSION, boot_params.loader);
	printk(KERN_NOTICE "Command line: %s\n", boot_params.cmdline);
	parse_cmdline(boot_params.cmdline);

	cpu_init();
	gdt_init();
	idt_init();
	memblock_init();
	mm_init();
	time_init();

	if (strcmp(test_filter, "oops_pf") == 0) {
		ktest_pf_oops();		/* returns only if no fault */
		code = EXIT_TEST_FAIL;
	} else if (test_filter[0]) {
		int failed = ktest_run(test_filter);
		code = failed ? EXIT_TEST_FAIL : EXIT_OK;
	} else {
		code = default_job();
	}
	pr_info("Powering off (exit code %d)\n", code);
	machine_exit(code);
}
