/*
 * power.h - leaving the machine (arch/x86_64/power.c).
 */
#ifndef ASM_POWER_H
#define ASM_POWER_H

#include <kernel/compiler.h>

/* Exit codes the kernel reports to tools/qemu.sh through isa-debug-exit. */
#define EXIT_OK	       0 /* default job done, or every test passed */
#define EXIT_TEST_FAIL 1 /* at least one in-kernel test failed */
#define EXIT_PANIC     2 /* panic() */
#define EXIT_BAD_INIT  3 /* init= given, but not a path the kernel can use */

/*
 * machine_exit - stop the virtual machine with an exit code. Under QEMU
 * with `-device isa-debug-exit,iobase=0xf4,iosize=4`, QEMU exits with
 * status code*2+1, which tools/qemu.sh turns back into code. Without that
 * device it tries an ACPI power-off, then halts forever.
 */
void machine_exit(int code) __noreturn;

#endif
