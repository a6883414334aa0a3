/*
 * panic.c - the kernel's last words. Everything that cannot continue ends
 * here: die() after an unexpected exception (arch/x86_64/traps.c), BUG_ON,
 * and explicit panic() calls. tools/run_tests.py treats the panic line as
 * a failure unless a test expects it (test=oops_pf).
 */
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <asm/irqflags.h>
#include <asm/power.h>
#include <asm/traps.h>

static int panic_depth;
static bool oops_in_progress;

void oops_begin(void)
{
	local_irq_disable();
	oops_in_progress = true;
}

void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	local_irq_disable();
	if (panic_depth++) {
		printk(KERN_EMERG
		       "Kernel panic - not syncing: recursive panic\n");
		machine_exit(EXIT_PANIC);
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap); /* long reasons are cut */
	va_end(ap);
	if (!oops_in_progress)
		dump_stack();
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", buf);
	machine_exit(EXIT_PANIC);
}
