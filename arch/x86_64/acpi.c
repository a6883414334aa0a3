/*
 * acpi.c - finding the CPUs in the ACPI tables (asm/acpi.h). The kernel
 * has no ACPI interpreter; it only follows RSDP -> XSDT (or RSDT) ->
 * MADT and reads the MADT's processor entries, as Linux's early table
 * code (drivers/acpi/tables.c, arch/x86/kernel/acpi/boot.c) does before
 * it starts the secondary CPUs. Tables are read through the direct map,
 * which covers all RAM and the low 4 GiB (mm/init.c), where firmware
 * puts them.
 */
#include <kernel/boot_params.h>
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <asm/acpi.h>
#include <asm/memlayout.h>

struct acpi_rsdp {
	char signature[8]; /* "RSD PTR " */
	u8 checksum;	   /* the first 20 bytes sum to 0 */
	char oem_id[6];
	u8 revision; /* 0: ACPI 1.0 (20 bytes), 2: 2.0+ (36) */
	u32 rsdt_address;
	u32 length; /* 2.0+ */
	u64 xsdt_address;
	u8 extended_checksum; /* all `length` bytes sum to 0 */
	u8 reserved[3];
} __packed;

struct acpi_table_header {
	char signature[4];
	u32 length; /* bytes, header included */
	u8 revision;
	u8 checksum; /* all `length` bytes sum to 0 */
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __packed;

struct acpi_madt {
	struct acpi_table_header header;
	u32 lapic_address;
	u32 flags;
	/* then entries: u8 type, u8 length, ... */
} __packed;

#define MADT_LOCAL_APIC	  0
#define MADT_LOCAL_X2APIC 9

#define ACPI_SCAN_MAX (1u << 20) /* a table longer than 1 MiB is corrupt */

static bool checksum_ok(const void *p, u32 len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

static bool rsdp_ok(const struct acpi_rsdp *r, u32 avail)
{
	if (avail < 20 || memcmp(r->signature, "RSD PTR ", 8) ||
	    !checksum_ok(r, 20))
		return false;
	if (r->revision < 2)
		return true;
	return r->length >= sizeof(*r) && r->length <= avail &&
	       checksum_ok(r, r->length);
}

/* An RSDP on a 16-byte boundary in [start, end) (physical), or NULL. */
static const struct acpi_rsdp *scan_rsdp(phys_addr_t start, phys_addr_t end)
{
	for (phys_addr_t pa = start; pa + 20 <= end; pa += 16) {
		const struct acpi_rsdp *r = __va(pa);

		if (rsdp_ok(r, (u32)(end - pa)))
			return r;
	}
	return NULL;
}

static const struct acpi_rsdp *find_rsdp(void)
{
	const struct acpi_rsdp *r;
	phys_addr_t ebda;

	if (boot_params.acpi_rsdp_len) {
		r = (const struct acpi_rsdp *)boot_params.acpi_rsdp;
		if (rsdp_ok(r, boot_params.acpi_rsdp_len))
			return r;
	}
	if (boot_params.acpi_rsdp_phys) {
		r = __va(boot_params.acpi_rsdp_phys);
		if (rsdp_ok(r, sizeof(*r)))
			return r;
	}
	/* The ACPI specification (5.2.5.1): the first KiB of the EBDA, whose
	 * segment the BIOS data area holds at 0x40e, then 0xe0000-0xfffff. */
	ebda = (phys_addr_t) * (const u16 *)__va(0x40e) << 4;
	if (ebda >= 0x80000 && ebda < 0xa0000) {
		r = scan_rsdp(ebda, ebda + 1024);
		if (r)
			return r;
	}
	return scan_rsdp(0xe0000, 0x100000);
}

/* The table at physical pa if it has signature sig and a good checksum. */
static const struct acpi_table_header *table_at(phys_addr_t pa, const char *sig)
{
	const struct acpi_table_header *h = __va(pa);

	if (!pa || memcmp(h->signature, sig, 4) || h->length < sizeof(*h) ||
	    h->length > ACPI_SCAN_MAX || !checksum_ok(h, h->length))
		return NULL;
	return h;
}

/* The MADT the XSDT (ACPI 2.0+) or else the RSDT lists; *root_sig says
 * which of the two was used. */
static const struct acpi_madt *find_madt(const struct acpi_rsdp *rsdp,
					 const char **root_sig)
{
	const struct acpi_table_header *root = NULL;
	unsigned entry_size = 8;

	*root_sig = "XSDT";
	if (rsdp->revision >= 2 && rsdp->xsdt_address)
		root = table_at(rsdp->xsdt_address, "XSDT");
	if (!root) {
		*root_sig = "RSDT";
		root = table_at(rsdp->rsdt_address, "RSDT");
		entry_size = 4;
	}
	if (!root)
		return NULL;
	for (u32 off = sizeof(*root); off + entry_size <= root->length;
	     off += entry_size) {
		const u8 *e = (const u8 *)root + off;
		phys_addr_t pa = 0;
		const struct acpi_table_header *h;

		memcpy(&pa, e, entry_size); /* unaligned in an XSDT */
		h = table_at(pa, "APIC");
		if (h && h->length >= sizeof(struct acpi_madt))
			return (const struct acpi_madt *)h;
	}
	return NULL;
}

int acpi_find_cpus(struct acpi_madt_cpu *cpus, int max)
{
	const struct acpi_rsdp *rsdp = find_rsdp();
	const struct acpi_madt *madt;
	const char *root_sig;
	const u8 *p, *end;
	int n = 0;

	if (!rsdp)
		return -ENODEV;
	madt = find_madt(rsdp, &root_sig);
	if (!madt)
		return -ENODEV;
	p = (const u8 *)(madt + 1);
	end = (const u8 *)madt + madt->header.length;
	for (; p + 2 <= end && p[1] >= 2 && p + p[1] <= end; p += p[1]) {
		struct acpi_madt_cpu c;

		if (p[0] == MADT_LOCAL_APIC && p[1] >= 8) {
			/* u8 processor UID, u8 APIC ID, u32 flags */
			c.apic_id = p[3];
			memcpy(&c.flags, p + 4, 4);
		} else if (p[0] == MADT_LOCAL_X2APIC && p[1] >= 16) {
			/* u16 reserved, u32 x2APIC ID, u32 flags, u32 UID */
			memcpy(&c.apic_id, p + 4, 4);
			memcpy(&c.flags, p + 8, 4);
		} else {
			continue;
		}
		if (!(c.flags & (ACPI_MADT_ENABLED | ACPI_MADT_ONLINE_CAPABLE)))
			continue;
		if (n < max)
			cpus[n] = c;
		n++;
	}
	pr_info("ACPI: RSDP rev %u, %s, MADT: %d CPU%s\n", rsdp->revision,
		root_sig, n, n == 1 ? "" : "s");
	return n;
}
