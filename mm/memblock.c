/*
 * memblock.c - physical memory before the buddy allocator exists
 * (include/mm/memblock.h). memblock_init() turns the boot memory map into
 * page-aligned RAM regions and reservations; memblock_alloc() serves the
 * early page tables and mem_map (mm/init.c); memblock_free_all() hands the
 * rest to mm/page_alloc.c. Mirrors Linux's mm/memblock.c, much simplified.
 */
#include <kernel/boot_params.h>
#include <kernel/compiler.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/sections.h>
#include <kernel/string.h>
#include <mm/memblock.h>
#include <mm/page.h>
#include <mm/page_alloc.h>

struct memblock memblock;

static const char *e820_name(u32 type)
{
	switch (type) {
	case E820_RAM:
		return "usable";
	case E820_RESERVED:
		return "reserved";
	case E820_ACPI:
		return "ACPI data";
	case E820_NVS:
		return "ACPI NVS";
	case E820_UNUSABLE:
		return "unusable";
	default:
		return "unknown";
	}
}

/* Insert [base, base+size) keeping the array sorted by base. */
static void region_add(struct memblock_type *t, phys_addr_t base,
		       phys_addr_t size, const char *what)
{
	unsigned i;

	if (!size)
		return;
	if (t->cnt == MEMBLOCK_MAX_REGIONS)
		panic("memblock: more than %d %s regions", MEMBLOCK_MAX_REGIONS,
		      what);
	for (i = t->cnt; i > 0 && t->regions[i - 1].base > base; i--)
		t->regions[i] = t->regions[i - 1];
	t->regions[i] = (struct memblock_region){ base, size };
	t->cnt++;
}

void memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = ALIGN_UP(base + size, PAGE_SIZE);

	base = ALIGN_DOWN(base, PAGE_SIZE);
	region_add(&memblock.reserved, base, end - base, "reserved");
}

static bool is_reserved(phys_addr_t base, phys_addr_t end, phys_addr_t *skip_to)
{
	for (unsigned i = 0; i < memblock.reserved.cnt; i++) {
		struct memblock_region *r = &memblock.reserved.regions[i];

		if (r->base < end && base < r->base + r->size) {
			*skip_to = r->base + r->size;
			return true;
		}
	}
	return false;
}

/*
 * RAM installed: QEMU's -m covers all of [0, top of low RAM) -- the ranges
 * the firmware reports as reserved inside or at the end of it, and the
 * legacy hole between 640 KiB and 1 MiB that it does not report at all,
 * are RAM too -- plus the RAM above 4 GiB. So add up each run of touching
 * E820 entries that starts with usable RAM (or lies below 1 MiB), and leave
 * out MMIO and ROM ranges that stand alone or only lead into RAM (the BIOS
 * ROM ends exactly where RAM above 4 GiB begins).
 */
static phys_addr_t installed_ram(void)
{
	phys_addr_t total = 0, run_start = 0, run_end = 0;
	bool in_run = false;

	for (unsigned i = 0; i < boot_params.nr_mmap; i++) {
		struct boot_mmap_entry *e = &boot_params.mmap[i];

		if (in_run && (e->addr <= run_end || e->addr < 0x100000)) {
			run_end = MAX(run_end, e->addr + e->size);
			continue;
		}
		if (in_run)
			total += run_end - run_start;
		in_run = e->type == E820_RAM || e->addr < 0x100000;
		run_start = e->addr;
		run_end = e->addr + e->size;
	}
	if (in_run)
		total += run_end - run_start;
	return total;
}

void memblock_init(void)
{
	phys_addr_t usable = 0, reserved = 0;
	struct boot_params *bp = &boot_params;

	/* Sort the map by address (it is tiny; insertion sort). */
	for (unsigned i = 1; i < bp->nr_mmap; i++)
		for (unsigned j = i;
		     j > 0 && bp->mmap[j - 1].addr > bp->mmap[j].addr; j--) {
			struct boot_mmap_entry t = bp->mmap[j];
			bp->mmap[j] = bp->mmap[j - 1];
			bp->mmap[j - 1] = t;
		}

	pr_info("BIOS-provided physical RAM map (%s):\n", bp->loader);
	for (unsigned i = 0; i < bp->nr_mmap; i++) {
		struct boot_mmap_entry *e = &bp->mmap[i];
		phys_addr_t base = ALIGN_UP(e->addr, PAGE_SIZE);
		phys_addr_t end = ALIGN_DOWN(e->addr + e->size, PAGE_SIZE);

		pr_info("  [mem 0x%016llx-0x%016llx] %s\n",
			(unsigned long long)e->addr,
			(unsigned long long)(e->addr + e->size - 1),
			e820_name(e->type));
		if (e->type == E820_RAM && end > base) {
			region_add(&memblock.memory, base, end - base,
				   "memory");
			usable += end - base;
		}
	}
	memblock.installed = installed_ram();

	/* The first MiB holds the BIOS data area, the EBDA, option ROM data
	 * and (under PVH) the start info; the kernel never allocates it. */
	memblock_reserve(0, 0x100000);
	memblock_reserve((phys_addr_t)_kernel_phys_start,
			 __pa(_end) - (phys_addr_t)_kernel_phys_start);
	for (unsigned i = 0; i < bp->nr_modules; i++) {
		memblock_reserve(bp->modules[i].start,
				 bp->modules[i].end - bp->modules[i].start);
		pr_info("  module %u: [mem 0x%016llx-0x%016llx] %s\n", i,
			(unsigned long long)bp->modules[i].start,
			(unsigned long long)bp->modules[i].end - 1,
			bp->modules[i].name);
	}
	for (unsigned i = 0; i < memblock.reserved.cnt; i++)
		reserved += memblock.reserved.regions[i].size;

	pr_info("Memory: %llu KiB RAM, %llu KiB usable, kernel image %lu KiB, "
		"%llu KiB reserved at boot\n",
		(unsigned long long)memblock.installed / 1024,
		(unsigned long long)usable / 1024,
		(__pa(_end) - (unsigned long)_kernel_phys_start) / 1024,
		(unsigned long long)reserved / 1024);
}

phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align,
			   phys_addr_t limit)
{
	size = ALIGN_UP(size, PAGE_SIZE);
	/* Top-down, like Linux: keeps low memory for whoever needs it. */
	for (int i = (int)memblock.memory.cnt - 1; i >= 0; i--) {
		struct memblock_region *r = &memblock.memory.regions[i];
		phys_addr_t end = MIN(r->base + r->size, limit);

		while (end >= r->base + size) {
			phys_addr_t base = ALIGN_DOWN(end - size, align);
			phys_addr_t below = end;

			if (base < r->base)
				break;
			/* The lowest reservation in the way, if any. */
			for (unsigned j = 0; j < memblock.reserved.cnt; j++) {
				struct memblock_region *rr =
					&memblock.reserved.regions[j];

				if (rr->base < base + size &&
				    base < rr->base + rr->size)
					below = MIN(below, rr->base);
			}
			if (below == end) {
				memblock_reserve(base, size);
				memset(__va(base), 0, size);
				return base;
			}
			end = below; /* try again under that reservation */
		}
	}
	panic("memblock: cannot allocate %llu KiB below %#llx",
	      (unsigned long long)size / 1024, (unsigned long long)limit);
}

phys_addr_t memblock_end_of_ram(void)
{
	struct memblock_type *m = &memblock.memory;

	return m->cnt ? m->regions[m->cnt - 1].base +
				m->regions[m->cnt - 1].size :
			0;
}

unsigned long memblock_free_all(void)
{
	unsigned long pages = 0;

	for (unsigned i = 0; i < memblock.memory.cnt; i++) {
		struct memblock_region *r = &memblock.memory.regions[i];
		phys_addr_t base = r->base, end = r->base + r->size;

		while (base < end) {
			phys_addr_t skip, stop = end;

			if (is_reserved(base, base + PAGE_SIZE, &skip)) {
				base = skip;
				continue;
			}
			/* Free up to the next reservation that starts inside. */
			for (unsigned j = 0; j < memblock.reserved.cnt; j++) {
				phys_addr_t rb =
					memblock.reserved.regions[j].base;
				if (rb > base && rb < stop)
					stop = rb;
			}
			pages += free_pages_range(PFN_DOWN(base),
						  PFN_DOWN(stop));
			base = stop;
		}
	}
	return pages;
}
