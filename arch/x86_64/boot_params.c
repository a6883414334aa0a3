/*
 * boot_params.c - reading the boot loader's hand-over structure into
 * struct boot_params (include/kernel/boot_params.h).
 *   multiboot2 (GRUB): a list of tags, 8-byte aligned: command line (1),
 *     boot loader name (2), module (3), memory map (6), a copy of the ACPI
 *     RSDP (14: ACPI 1.0's, 15: ACPI 2.0's). See the Multiboot2
 *     specification, 3.6.
 *   PVH (QEMU -kernel): struct hvm_start_info, version >= 1 for the memory
 *     map; rsdp_paddr, when not 0, is the RSDP's physical address. See
 *     Xen's public/arch-x86/hvm/start_info.h.
 */
#include <kernel/boot_params.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <asm/memlayout.h>

struct boot_params boot_params;

#define MB2_BOOTLOADER_MAGIC 0x36d76289
#define MB2_TAG_END	     0
#define MB2_TAG_CMDLINE	     1
#define MB2_TAG_LOADER_NAME  2
#define MB2_TAG_MODULE	     3
#define MB2_TAG_MMAP	     6
#define MB2_TAG_ACPI_OLD     14
#define MB2_TAG_ACPI_NEW     15

struct mb2_tag {
	u32 type, size;
};

#define PVH_MAGIC 0x336ec578

struct hvm_start_info {
	u32 magic, version, flags, nr_modules;
	u64 modlist_paddr, cmdline_paddr, rsdp_paddr;
	u64 memmap_paddr; /* version >= 1 */
	u32 memmap_entries, reserved;
};

struct hvm_modlist_entry {
	u64 paddr, size, cmdline_paddr, reserved;
};

struct hvm_memmap_table_entry {
	u64 addr, size;
	u32 type, reserved;
};

static void copy_str(char *dst, size_t size, const char *src, const char *what)
{
	size_t n = strnlen(src, size);

	if (n == size)
		panic("boot: %s longer than %zu bytes", what, size - 1);
	memcpy(dst, src, n + 1);
}

/*
 * The command line, cut to COMMAND_LINE_SIZE - 1 bytes if longer: Linux
 * truncates it too (the bootloader's cmdline_size). The console says so,
 * since what was cut off is lost.
 */
static void copy_cmdline(const char *src)
{
	size_t n = strnlen(src, COMMAND_LINE_SIZE);

	if (n == COMMAND_LINE_SIZE) {
		n = COMMAND_LINE_SIZE - 1;
		pr_warn("boot: command line longer than %d bytes; truncated to "
			"its first %d\n",
			COMMAND_LINE_SIZE - 1, COMMAND_LINE_SIZE - 1);
	}
	memcpy(boot_params.cmdline, src, n);
	boot_params.cmdline[n] = '\0';
}

static void add_mmap(u64 addr, u64 size, u32 type)
{
	if (boot_params.nr_mmap == BOOT_MAX_MMAP)
		panic("boot: memory map has more than %d entries",
		      BOOT_MAX_MMAP);
	boot_params.mmap[boot_params.nr_mmap++] =
		(struct boot_mmap_entry){ addr, size, type };
}

static void add_module(u64 start, u64 end, const char *name)
{
	struct boot_module *m;

	if (boot_params.nr_modules == BOOT_MAX_MODULES)
		panic("boot: more than %d modules", BOOT_MAX_MODULES);
	m = &boot_params.modules[boot_params.nr_modules++];
	m->start = start;
	m->end = end;
	copy_str(m->name, sizeof(m->name), name ? name : "", "module name");
}

static void parse_mb2(u32 info_phys)
{
	u8 *p = __va(info_phys);
	u32 total = *(u32 *)p;
	static char loader[64];

	for (u32 off = 8; off + 8 <= total;) {
		struct mb2_tag *tag = (struct mb2_tag *)(p + off);

		if (tag->type == MB2_TAG_END)
			break;
		switch (tag->type) {
		case MB2_TAG_CMDLINE:
			copy_cmdline((char *)(tag + 1));
			break;
		case MB2_TAG_LOADER_NAME:
			copy_str(loader, sizeof(loader), (char *)(tag + 1),
				 "boot loader name");
			boot_params.loader = loader;
			break;
		case MB2_TAG_MODULE: {
			u32 *m = (u32 *)(tag + 1);

			add_module(m[0], m[1], (char *)&m[2]);
			break;
		}
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW: {
			u32 len = tag->size - sizeof(*tag);

			/* Prefer ACPI 2.0's (it has the XSDT), whichever
			 * order the tags come in. */
			if (tag->type == MB2_TAG_ACPI_OLD &&
			    boot_params.acpi_rsdp_len)
				break;
			if (len > sizeof(boot_params.acpi_rsdp))
				len = sizeof(boot_params.acpi_rsdp);
			memcpy(boot_params.acpi_rsdp, tag + 1, len);
			boot_params.acpi_rsdp_len = len;
			break;
		}
		case MB2_TAG_MMAP: {
			u32 esize = ((u32 *)(tag + 1))[0];
			u8 *e = (u8 *)(tag + 1) + 8;

			for (; e + esize <= (u8 *)tag + tag->size; e += esize)
				add_mmap(*(u64 *)e, *(u64 *)(e + 8),
					 *(u32 *)(e + 16));
			break;
		}
		}
		off += (tag->size + 7) & ~7u;
	}
}

static void parse_pvh(u32 info_phys)
{
	struct hvm_start_info *si = __va(info_phys);

	if (si->magic != PVH_MAGIC)
		panic("boot: PVH start info magic %#x, expected %#x", si->magic,
		      PVH_MAGIC);
	if (si->version < 1 || !si->memmap_paddr)
		panic("boot: PVH start info v%u has no memory map",
		      si->version);
	boot_params.loader = "QEMU PVH (-kernel)";
	boot_params.acpi_rsdp_phys = si->rsdp_paddr;
	if (si->cmdline_paddr)
		copy_cmdline(__va(si->cmdline_paddr));
	struct hvm_memmap_table_entry *mm = __va(si->memmap_paddr);
	for (u32 i = 0; i < si->memmap_entries; i++)
		add_mmap(mm[i].addr, mm[i].size, mm[i].type);
	struct hvm_modlist_entry *ml = __va(si->modlist_paddr);
	for (u32 i = 0; i < si->nr_modules; i++)
		add_module(ml[i].paddr, ml[i].paddr + ml[i].size,
			   ml[i].cmdline_paddr ? __va(ml[i].cmdline_paddr) :
						 "");
}

void boot_params_init(int proto, u32 info_phys)
{
	boot_params.proto = proto;
	if (proto == BOOT_PROTO_MB2)
		parse_mb2(info_phys);
	else if (proto == BOOT_PROTO_PVH)
		parse_pvh(info_phys);
	else
		panic("boot: unknown boot protocol %d", proto);
	if (!boot_params.loader)
		boot_params.loader = "multiboot2";
	if (!boot_params.nr_mmap)
		panic("boot: the boot loader passed no memory map");
}
