/*
 * test_acpi.c - host unit tests of arch/x86_64/acpi.c: the MADT reader
 * that tells smp_init() which CPUs exist. QEMU's firmware only ever gives
 * the kernel one shape of tables (an ACPI 1.0 RSDP in the BIOS area, an
 * RSDT, type-0 entries), so the other shapes the code accepts -- the
 * multiboot2 and PVH hand-overs, an XSDT, x2APIC entries, the EBDA, the
 * flags and the checksums -- are built here, in a 2 MiB arena standing in
 * for low physical memory (include/asm/memlayout.h of the host tests).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <kernel/boot_params.h>
#include <kernel/errno.h>
#include <asm/acpi.h>
#include <asm/memlayout.h>
#include "host_shim.h"

#define ARENA_SIZE (2UL << 20) /* physical 0 .. 2 MiB */

char *host_arena;
struct boot_params boot_params; /* acpi.c reads the RSDP fields */

#define RSDT_PA 0x100000UL
#define XSDT_PA 0x100800UL
#define FACP_PA 0x101000UL
#define MADT_PA 0x102000UL

static void *pa(unsigned long addr)
{
	return __va(addr);
}

/* Make the `len` bytes at p sum to 0 by setting the byte at p[at]. */
static void fix_checksum(void *p, size_t len, size_t at)
{
	uint8_t *b = p, sum = 0;

	b[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum += b[i];
	b[at] = (uint8_t)-sum;
}

/* An RSDP at p: revision 0 (20 bytes, RSDT) or 2 (36 bytes, +XSDT). */
static void make_rsdp(void *p, int rev, uint32_t rsdt, uint64_t xsdt)
{
	uint8_t *r = p;

	memset(r, 0, 36);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "HOSTTS", 6);
	r[15] = (uint8_t)rev;
	memcpy(r + 16, &rsdt, 4);
	fix_checksum(r, 20, 8);
	if (rev >= 2) {
		uint32_t len = 36;

		memcpy(r + 20, &len, 4);
		memcpy(r + 24, &xsdt, 8);
		fix_checksum(r, 36, 32);
	}
}

/* A table header with sig and length at physical addr; returns it. */
static uint8_t *make_header(unsigned long addr, const char *sig, uint32_t len)
{
	uint8_t *h = pa(addr);

	memset(h, 0, len);
	memcpy(h, sig, 4);
	memcpy(h + 4, &len, 4);
	h[8] = 1;
	return h;
}

static void make_rsdt(const uint32_t *tables, int n)
{
	uint32_t len = 36 + 4 * n;
	uint8_t *h = make_header(RSDT_PA, "RSDT", len);

	memcpy(h + 36, tables, 4 * n);
	fix_checksum(h, len, 9);
}

static void make_xsdt(const uint64_t *tables, int n)
{
	uint32_t len = 36 + 8 * n;
	uint8_t *h = make_header(XSDT_PA, "XSDT", len);

	memcpy(h + 36, tables, 8 * n); /* entry 0 at offset 36: unaligned */
	fix_checksum(h, len, 9);
}

/* The MADT is built entry by entry, then closed with its checksum. */
static uint32_t madt_len;

static void madt_begin(void)
{
	make_header(MADT_PA, "APIC", 4096);
	madt_len = 44; /* header + local APIC address + flags */
}

static void madt_lapic(uint8_t apic_id, uint32_t flags)
{
	uint8_t *e = (uint8_t *)pa(MADT_PA) + madt_len;

	e[0] = 0;
	e[1] = 8;
	e[2] = apic_id; /* processor UID: any */
	e[3] = apic_id;
	memcpy(e + 4, &flags, 4);
	madt_len += 8;
}

static void madt_x2apic(uint32_t apic_id, uint32_t flags)
{
	uint8_t *e = (uint8_t *)pa(MADT_PA) + madt_len;

	memset(e, 0, 16);
	e[0] = 9;
	e[1] = 16;
	memcpy(e + 4, &apic_id, 4);
	memcpy(e + 8, &flags, 4);
	madt_len += 16;
}

static void madt_other(uint8_t type, uint8_t len)
{
	uint8_t *e = (uint8_t *)pa(MADT_PA) + madt_len;

	memset(e, 0xee, len);
	e[0] = type;
	e[1] = len;
	madt_len += len;
}

static void madt_end(void)
{
	uint8_t *h = pa(MADT_PA);

	memcpy(h + 4, &madt_len, 4);
	fix_checksum(h, madt_len, 9);
}

static int setup(void **state)
{
	(void)state;
	host_arena = aligned_alloc(4096, ARENA_SIZE);
	if (!host_arena)
		return -1;
	memset(host_arena, 0, ARENA_SIZE);
	memset(&boot_params, 0, sizeof(boot_params));
	return 0;
}

/* The usual firmware: a MADT of n enabled LAPICs with APIC IDs first,
 * first + 1, ..., and an RSDT that lists it. */
static void make_tables(uint8_t first, int n)
{
	uint32_t tables[] = { MADT_PA };

	madt_begin();
	for (int i = 0; i < n; i++)
		madt_lapic((uint8_t)(first + i), ACPI_MADT_ENABLED);
	madt_end();
	make_rsdt(tables, 1);
}

static int teardown(void **state)
{
	(void)state;
	free(host_arena);
	host_arena = NULL;
	return 0;
}

/* Three enabled-or-capable CPUs and one absent, RSDT, RSDP in the BIOS
 * area: what SeaBIOS builds, plus the two flags. */
static void test_rsdt_from_bios_scan(void **state)
{
	uint32_t tables[] = { MADT_PA };
	struct acpi_madt_cpu cpus[8];

	(void)state;
	madt_begin();
	madt_lapic(0, ACPI_MADT_ENABLED);
	madt_other(1, 12); /* an I/O APIC: not a CPU */
	madt_lapic(1, ACPI_MADT_ENABLED);
	madt_lapic(2, 0); /* absent socket: skipped */
	madt_lapic(3, ACPI_MADT_ONLINE_CAPABLE);
	madt_end();
	make_rsdt(tables, 1);
	make_rsdp(pa(0xf5a30), 0, RSDT_PA, 0); /* 16-byte aligned */

	assert_int_equal(acpi_find_cpus(cpus, 8), 3);
	assert_int_equal(cpus[0].apic_id, 0);
	assert_int_equal(cpus[1].apic_id, 1);
	assert_int_equal(cpus[2].apic_id, 3);
	assert_int_equal(cpus[0].flags, ACPI_MADT_ENABLED);
	assert_int_equal(cpus[2].flags, ACPI_MADT_ONLINE_CAPABLE);
}

/* An RSDP only on a 4-byte boundary is not one (ACPI 5.2.5.1). */
static void test_unaligned_rsdp_not_found(void **state)
{
	struct acpi_madt_cpu cpus[8];

	(void)state;
	make_tables(0, 1);
	make_rsdp(pa(0xf5a34), 0, RSDT_PA, 0);
	assert_int_equal(acpi_find_cpus(cpus, 8), -ENODEV);
}

/* The multiboot2 copy of an ACPI 2.0 RSDP: the XSDT (unaligned 8-byte
 * entries, the MADT second) wins over the RSDT, and x2APIC entries
 * count. */
static void test_xsdt_from_mb2_tag(void **state)
{
	uint64_t xtables[] = { FACP_PA, MADT_PA };
	uint32_t rtables[] = { FACP_PA }; /* no MADT: must not be used */
	struct acpi_madt_cpu cpus[8];
	uint8_t *facp;

	(void)state;
	facp = make_header(FACP_PA, "FACP", 64);
	fix_checksum(facp, 64, 9);
	madt_begin();
	madt_x2apic(300, ACPI_MADT_ENABLED);
	madt_lapic(7, ACPI_MADT_ENABLED);
	madt_x2apic(301, 0);
	madt_end();
	make_xsdt(xtables, 2);
	make_rsdt(rtables, 1);
	make_rsdp(boot_params.acpi_rsdp, 2, RSDT_PA, XSDT_PA);
	boot_params.acpi_rsdp_len = 36;

	assert_int_equal(acpi_find_cpus(cpus, 8), 2);
	assert_int_equal(cpus[0].apic_id, 300);
	assert_int_equal(cpus[1].apic_id, 7);
}

/* An ACPI 2.0 RSDP whose XSDT is broken: the RSDT still leads on. */
static void test_bad_xsdt_falls_back_to_rsdt(void **state)
{
	uint64_t xtables[] = { MADT_PA };
	uint32_t rtables[] = { MADT_PA };
	struct acpi_madt_cpu cpus[8];

	(void)state;
	madt_begin();
	madt_lapic(5, ACPI_MADT_ENABLED);
	madt_end();
	make_xsdt(xtables, 1);
	((uint8_t *)pa(XSDT_PA))[0] = 'Y'; /* not "XSDT" any more */
	make_rsdt(rtables, 1);
	make_rsdp(pa(0xe0020), 2, RSDT_PA, XSDT_PA);
	host_log_clear();
	assert_int_equal(acpi_find_cpus(cpus, 8), 1);
	assert_int_equal(cpus[0].apic_id, 5);
	assert_true(host_log_contains("RSDP rev 2, RSDT, MADT: 1 CPU"));
}

/* PVH's rsdp_paddr, anywhere in memory (not a BIOS-area address). */
static void test_pvh_rsdp_address(void **state)
{
	struct acpi_madt_cpu cpus[8];

	(void)state;
	make_tables(4, 1);
	make_rsdp(pa(0x180008), 0, RSDT_PA, 0);
	boot_params.acpi_rsdp_phys = 0x180008;
	assert_int_equal(acpi_find_cpus(cpus, 8), 1);
	assert_int_equal(cpus[0].apic_id, 4);
}

/* The EBDA's first KiB, found through the segment at 0x40e. */
static void test_rsdp_in_ebda(void **state)
{
	struct acpi_madt_cpu cpus[8];
	uint16_t seg = 0x9fc0;

	(void)state;
	make_tables(0, 2);
	memcpy(pa(0x40e), &seg, 2);
	make_rsdp(pa(0x9fc00 + 0x40), 0, RSDT_PA, 0);
	assert_int_equal(acpi_find_cpus(cpus, 8), 2);
}

/* A bad tag copy falls back to the scan; a MADT with a bad checksum is
 * no MADT at all. */
static void test_checksums(void **state)
{
	struct acpi_madt_cpu cpus[8];

	(void)state;
	make_tables(0, 2);
	make_rsdp(pa(0xe0000), 0, RSDT_PA, 0);
	make_rsdp(boot_params.acpi_rsdp, 0, 0x1f0000, 0); /* no RSDT there */
	boot_params.acpi_rsdp[8]++;			  /* bad checksum */
	boot_params.acpi_rsdp_len = 20;
	assert_int_equal(acpi_find_cpus(cpus, 8), 2);

	((uint8_t *)pa(MADT_PA))[50]++; /* a bit flipped in an entry */
	assert_int_equal(acpi_find_cpus(cpus, 8), -ENODEV);
}

/* More CPUs than room: all are counted, only max stored, nothing
 * written past them. */
static void test_more_cpus_than_max(void **state)
{
	struct acpi_madt_cpu cpus[4];

	(void)state;
	make_tables(0, 6);
	make_rsdp(pa(0xfff00), 0, RSDT_PA, 0);
	cpus[3].apic_id = 99;
	assert_int_equal(acpi_find_cpus(cpus, 3), 6);
	assert_int_equal(cpus[2].apic_id, 2);
	assert_int_equal(cpus[3].apic_id, 99);
}

/* An entry whose length runs past the table's end stops the walk. */
static void test_truncated_entry(void **state)
{
	uint32_t tables[] = { MADT_PA };
	struct acpi_madt_cpu cpus[8];
	uint8_t *e;

	(void)state;
	madt_begin();
	madt_lapic(0, ACPI_MADT_ENABLED);
	e = (uint8_t *)pa(MADT_PA) + madt_len;
	madt_lapic(1, ACPI_MADT_ENABLED);
	e[1] = 40; /* claims 40 bytes; 8 are left */
	madt_end();
	make_rsdt(tables, 1);
	make_rsdp(pa(0xe0010), 0, RSDT_PA, 0);
	assert_int_equal(acpi_find_cpus(cpus, 8), 1);
}

/* No RSDP anywhere. */
static void test_no_acpi(void **state)
{
	struct acpi_madt_cpu cpus[8];

	(void)state;
	assert_int_equal(acpi_find_cpus(cpus, 8), -ENODEV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rsdt_from_bios_scan, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unaligned_rsdp_not_found,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_xsdt_from_mb2_tag, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_xsdt_falls_back_to_rsdt,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_pvh_rsdp_address, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rsdp_in_ebda, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_checksums, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_more_cpus_than_max, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_truncated_entry, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_acpi, setup, teardown),
	};

	return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}
