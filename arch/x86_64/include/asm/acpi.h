/*
 * acpi.h - the little of ACPI the kernel reads (arch/x86_64/acpi.c): the
 * RSDP, the RSDT or XSDT it points to, and the MADT ("APIC" table),
 * which lists the CPUs' local APICs. ACPI 6.5 specification, 5.2.5
 * (RSDP), 5.2.7-8 (RSDT, XSDT) and 5.2.12 (MADT).
 */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include <kernel/types.h>

/* The MADT's Local APIC flags (ACPI 6.5, table 5.23). */
#define ACPI_MADT_ENABLED	 (1u << 0) /* usable now */
#define ACPI_MADT_ONLINE_CAPABLE (1u << 1) /* may be enabled later */

struct acpi_madt_cpu {
	u32 apic_id; /* local APIC ID (x2APIC entries may exceed 255) */
	u32 flags;   /* ACPI_MADT_* */
};

/*
 * acpi_find_cpus - list the processors of the MADT's Local APIC (type 0)
 * and Local x2APIC (type 9) entries into cpus[0..max), in table order,
 * skipping those that are neither enabled nor online-capable (firmware
 * lists absent sockets that way). The RSDP comes from the boot loader
 * (multiboot2 tags 14/15, the PVH start info) or else a scan of the EBDA
 * and the BIOS area 0xe0000-0xfffff, as Linux's acpi_find_root_pointer().
 * Every table's checksum is verified. Returns the number of entries
 * found (which may exceed max: only max are stored), or -ENODEV when
 * there is no valid RSDP or MADT.
 */
int acpi_find_cpus(struct acpi_madt_cpu *cpus, int max);

#endif
