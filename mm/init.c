/*
 * init.c - the kernel's own page tables and the start of the page
 * allocator, as Linux's arch/x86/mm/init_64.c and mm/mm_init.c.
 *
 * paging_init() replaces the boot tables (boot/boot.asm) with:
 *   - the direct map of [0, max(4 GiB, end of RAM)) at PAGE_OFFSET, in
 *     1 GiB pages when the CPU has them, else 2 MiB pages. The low 4 GiB
 *     are mapped whole so that MMIO such as the LAPIC is reachable; the
 *     firmware's MTRRs make those ranges uncached on real hardware.
 *   - the kernel image at KERNEL_VMA in 4 KiB pages: text read-only and
 *     executable, rodata read-only NX, data/bss read-write NX.
 *   - nothing at all in the user half, so a NULL dereference faults.
 * Works with mm/memblock.c (early allocations) and mm/page_alloc.c.
 */
#include <kernel/printk.h>
#include <kernel/panic.h>
#include <kernel/sections.h>
#include <kernel/string.h>
#include <mm/memblock.h>
#include <mm/huge_mm.h>
#include <mm/mm_init.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <mm/page_poison.h>
#include <mm/pgtable.h>
#include <asm/cpu.h>
#include <asm/pgtable_bits.h>

phys_addr_t init_pgd_phys;

#define LOW_4G 0x100000000ULL

/* A zeroed page-table page for the boot tables. Linux's alloc_low_page(). */
static void *alloc_low_page(void)
{
	/* Below 4 GiB: the boot direct map reaches only that far. */
	return __va(memblock_alloc(PAGE_SIZE, PAGE_SIZE, LOW_4G));
}

/* Give the empty entry *entry a new table (kernel only: no _PAGE_USER). */
static void populate_entry(u64 *entry)
{
	*entry = __pa(alloc_low_page()) | _PAGE_PRESENT | _PAGE_RW;
}

/*
 * fill_pud / fill_pmd / fill_pte - the entry for vaddr one level down,
 * building the table above it from memblock if missing. Linux's helpers
 * of the same names in arch/x86/mm/init_64.c.
 */
static pud_t *fill_pud(pgd_t *pgd, unsigned long vaddr)
{
	if (pgd_none(*pgd))
		populate_entry(pgd);
	return pud_offset(pgd, vaddr);
}

static pmd_t *fill_pmd(pud_t *pud, unsigned long vaddr)
{
	if (pud_none(*pud))
		populate_entry(pud);
	return pmd_offset(pud, vaddr);
}

static pte_t *fill_pte(pmd_t *pmd, unsigned long vaddr)
{
	if (pmd_none(*pmd))
		populate_entry(pmd);
	return pte_offset_kernel(pmd, vaddr);
}

static void map_direct(pgd_t *pgd, phys_addr_t end)
{
	u64 nx = boot_cpu.has_nx ? _PAGE_NX : 0;
	u64 prot = _PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | nx;

	for (phys_addr_t pa = 0; pa < end;) {
		unsigned long va = (unsigned long)__va(pa);
		pud_t *pud = fill_pud(pgd_offset_pgd(pgd, va), va);

		if (boot_cpu.has_pdpe1gb) {
			*pud = pa | prot | _PAGE_PSE;
			pa += PUD_SIZE;
			continue;
		}
		*fill_pmd(pud, va) = pa | prot | _PAGE_PSE;
		pa += PMD_SIZE;
	}
}

static void map_kernel_range(pgd_t *pgd, char *start, char *end, u64 prot)
{
	for (unsigned long va = (unsigned long)start; va < (unsigned long)end;
	     va += PAGE_SIZE) {
		pud_t *pud = fill_pud(pgd_offset_pgd(pgd, va), va);

		*fill_pte(fill_pmd(pud, va), va) = __pa(va) | prot;
	}
}

static void paging_init(phys_addr_t ram_end)
{
	u64 nx = boot_cpu.has_nx ? _PAGE_NX : 0;
	pgd_t *pgd = alloc_low_page();

	map_direct(pgd, MAX(ram_end, LOW_4G));
	map_kernel_range(pgd, _text, _etext, _PAGE_PRESENT | _PAGE_GLOBAL);
	map_kernel_range(pgd, _rodata, _erodata,
			 _PAGE_PRESENT | _PAGE_GLOBAL | nx);
	map_kernel_range(pgd, _data, _end,
			 _PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | nx);
	init_pgd_phys = __pa(pgd);
	write_cr3(init_pgd_phys);
	/* Global entries survive a CR3 write; flush them by toggling PGE. */
	if (boot_cpu.has_pge) {
		write_cr4(read_cr4() & ~X86_CR4_PGE);
		write_cr4(read_cr4() | X86_CR4_PGE);
	}
}

void mm_init(void)
{
	phys_addr_t ram_end = memblock_end_of_ram();
	pfn_t pages = PFN_UP(ram_end);
	phys_addr_t map;
	unsigned long freed;

	paging_init(ram_end);
	/* mem_map covers every pfn up to the end of RAM, holes included,
	 * so that pfn_to_page() is plain indexing. */
	map = memblock_alloc(pages * sizeof(struct page), PAGE_SIZE, ram_end);
	mem_map_init(__va(map), pages);
	/* page_poison=1: its owner records, from memblock as Linux's
	 * page_ext, before the handover fills every free page. */
	if (page_poison_requested())
		page_poison_init(__va(memblock_alloc(page_poison_owner_bytes(
							     pages),
						     PAGE_SIZE, ram_end)),
				 pages);
	freed = memblock_free_all();
	/* The zero page: anonymous read faults map it (mm/fault.c). Its
	 * reference is never dropped, so it is never freed. */
	{
		void *z = (void *)get_zeroed_page();

		if (!z)
			panic("mm: no memory for the zero page");
		zero_pfn = PFN_DOWN(__pa(z));
	}
	thp_init(); /* the huge zero page */
	pr_info("mm: mem_map %lu pages x %zu bytes at %#llx; direct map %s pages\n",
		(unsigned long)pages, sizeof(struct page),
		(unsigned long long)map,
		boot_cpu.has_pdpe1gb ? "1 GiB" : "2 MiB");
	pr_info("Free: %lu pages (%lu KiB) given to the buddy allocator\n",
		freed, freed * (PAGE_SIZE / 1024));
}
