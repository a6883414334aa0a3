/*
 * boot_params.h - what the boot loader told us, in one form whichever way
 * the kernel was booted (arch/x86_64/boot_params.c reads multiboot2 from
 * GRUB or hvm_start_info from QEMU's PVH -kernel path). Everything is
 * copied out of the loader's memory before that memory is reused.
 */
#ifndef KERNEL_BOOT_PARAMS_H
#define KERNEL_BOOT_PARAMS_H

#include <kernel/compiler.h>
#include <kernel/types.h>

#define BOOT_PROTO_MB2 1 /* GRUB, multiboot2 */
#define BOOT_PROTO_PVH 2 /* QEMU -kernel, PVH ELF note */

/* E820 memory types, as both protocols report them. */
#define E820_RAM      1
#define E820_RESERVED 2
#define E820_ACPI     3
#define E820_NVS      4
#define E820_UNUSABLE 5

#define BOOT_MAX_MMAP	  128 /* more entries is an error, not a cut */
#define BOOT_MAX_MODULES  16
#define COMMAND_LINE_SIZE 1024 /* bytes, including the NUL */

struct boot_mmap_entry {
	u64 addr, size; /* bytes */
	u32 type;	/* E820_* */
};

struct boot_module {
	u64 start, end; /* physical, bytes, end exclusive */
	char name[64];
};

struct boot_params {
	int proto;	    /* BOOT_PROTO_* */
	const char *loader; /* "GRUB 2.06" / "QEMU PVH" */
	char cmdline[COMMAND_LINE_SIZE];
	unsigned nr_mmap;
	struct boot_mmap_entry mmap[BOOT_MAX_MMAP];
	unsigned nr_modules;
	struct boot_module modules[BOOT_MAX_MODULES];
	/* The ACPI RSDP as multiboot2 hands it over (a copy, tag 14 or 15;
	 * acpi_rsdp_len bytes, 0 if none) or where PVH says it is (physical,
	 * 0 if not said). arch/x86_64/acpi.c falls back to a BIOS scan. */
	u8 acpi_rsdp[36];
	unsigned acpi_rsdp_len;
	u64 acpi_rsdp_phys;
};

extern struct boot_params boot_params;

/*
 * boot_params_init - fill boot_params from the loader's structure at
 * physical info_phys (reached through the direct map). Panics with a
 * clear message on an unknown protocol, a bad magic, a missing memory
 * map, or a table larger than the limits above.
 */
void boot_params_init(int proto, u32 info_phys);

/*
 * kmain - the kernel's C entry (kernel/main.c), called by boot/boot.asm
 * in 64-bit mode on the boot stack with the protocol (BOOT_PROTO_*) and
 * the physical address of the loader's information structure. Brings the
 * machine up, starts init or the kernel's own job and becomes the idle
 * task. Never returns. Linux's start_kernel().
 */
void kmain(int boot_proto, u32 boot_info_phys) __noreturn;

#endif
