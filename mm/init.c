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
#include <mm/mm_init.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <asm/cpu.h>
#include <asm/pgtable_bits.h>

phys_addr_t init_pgd_phys;

#define LOW_4G		0x100000000ULL

static u64 *table_alloc(void)
{
	/* Below 4 GiB: the boot direct map reaches only that far. */
	return __va(memblock_alloc(PAGE_SIZE, PAGE_SIZE, LOW_4G));
}

/* The next-level table under entry *e, allocated if missing. */
static u64 *next_table(u64 *e)
{
	if (!(*e & _PAGE_PRESENT)) {
		u64 *t = table_alloc();
		*e = __pa(t) | _PAGE_PRESENT | _PAGE_RW;
	}
	return __va(*e & PTE_PFN_MASK);
}

static void map_direct(u64 *pgd, phys_addr_t end)
{
	u64 nx = boot_cpu.has_nx ? _PAGE_NX : 0;
	u64 prot = _PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | nx;

	for (phys_addr_t pa = 0; pa < end;) {
		unsigned long va = (unsigned long)__va(pa);
		u64 *pud = next_table(&pgd[pgd_index(va)]);

		if (boot_cpu.has_pdpe1gb) {
			pud[pud_index(va)] = pa | prot | _PAGE_PSE;
			pa += PUD_SIZE;
			continue;
		}
		u64 *pmd = next_table(&pud[pud_index(va)]);
		pmd[pmd_index(va)] = pa | prot | _PAGE_PSE;
		pa += PMD_SIZE;
	}
}

static void map_kernel_range(u64 *pgd, char *start, char *end, u64 prot)
{
	for (unsigned long va = (unsigned long)start; va < (unsigned long)end;
	     va += PAGE_SIZE) {
		u64 *pud = next_table(&pgd[pgd_index(va)]);
		u64 *pmd = next_table(&pud[pud_index(va)]);
		u64 *pte = next_table(&pmd[pmd_index(va)]);

		pte[pte_index(va)] = __pa(va) | prot;
	}
}

static void paging_init(phys_addr_t ram_end)
{
	u64 nx = boot_cpu.has_nx ? _PAGE_NX : 0;
	u64 *pgd = table_alloc();

	map_direct(pgd, MAX(ram_end, LOW_4G));
	map_kernel_range(pgd, _text, _etext, _PAGE_PRESENT | _PAGE_GLOBAL);
	map_kernel_range(pgd, _rodata, _erodata, _PAGE_PRESENT | _PAGE_GLOBAL | nx);
	map_kernel_range(pgd, _data, _end, _PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | nx);
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
	freed = memblock_free_all();
	/* The zero page: anonymous read faults map it (mm/fault.c). Its
	 * reference is never dropped, so it is never freed. */
	{
		void *z = get_zeroed_page();

		if (!z)
			panic("mm: no memory for the zero page");
		zero_pfn = PFN_DOWN(__pa(z));
	}
	pr_info("mm: mem_map %lu pages x %zu bytes at %#llx; direct map %s pages\n",
		(unsigned long)pages, sizeof(struct page), (unsigned long long)map,
		boot_cpu.has_pdpe1gb ? "1 GiB" : "2 MiB");
	pr_info("Free: %lu pages (%lu KiB) given to the buddy allocator\n",
		freed, freed * (PAGE_SIZE / 1024));
}
