/*
 * power.c - powering the (virtual) machine off with an exit code
 * (include: asm/power.h). Used by kmain when its job is done and by
 * panic().
 */
#include <asm/io.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <asm/power.h>

#define ISA_DEBUG_EXIT_PORT    0xf4
#define QEMU_ACPI_PM1A_CNT_Q35 0x604  /* q35 and recent i440fx */
#define QEMU_ACPI_PM1A_CNT_OLD 0xb004 /* old QEMU / Bochs i440fx */
#define ACPI_SLP_TYP5_EN       0x2000 /* S5 (soft off) | SLP_EN */

void machine_exit(int code)
{
	local_irq_disable();
	outl(ISA_DEBUG_EXIT_PORT, (u32)code);
	/* Still here: no isa-debug-exit device. Power off instead. */
	outw(QEMU_ACPI_PM1A_CNT_Q35, ACPI_SLP_TYP5_EN);
	outw(QEMU_ACPI_PM1A_CNT_OLD, ACPI_SLP_TYP5_EN);
	for (;;)
		halt();
}
