/*
 * kstack.c - kernel stacks in their own area of the kernel half
 * (include/mm/kstack.h). The area is one PML4 entry, created at boot in
 * the kernel's page table, so every address space (which copies the
 * kernel half's PML4 entries, pgd_alloc() in mm/pgtable.c) sees every
 * stack. A slot is SLOT_PAGES pages: an unmapped guard page below at most
 * SLOT_PAGES - 1 stack pages; a bitmap hands slots out.
 */
#include <kernel/panic.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <mm/kstack.h>
#include <mm/mm_init.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <asm/cpu.h>
#include <asm/pgtable_bits.h>

#define SLOT_PAGES 8 /* guard page + at most 7 stack pages */
#define SLOT_SIZE  (SLOT_PAGES * PAGE_SIZE)

static unsigned long slot_map[KSTACK_SLOTS / 64];
static DEFINE_SPINLOCK(kstack_lock);

static u64 *pgd(void)
{
	return __va(init_pgd_phys);
}

/* The PTE for va, allocating missing tables when alloc is true. */
static u64 *kstack_pte(unsigned long va, bool alloc)
{
	u64 *e = &pgd()[pgd_index(va)];

	for (int shift = PUD_SHIFT; shift >= 12; shift -= 9) {
		if (!(*e & _PAGE_PRESENT)) {
			void *t;

			if (!alloc)
				return NULL;
			t = (void *)get_zeroed_page();
			if (!t)
				return NULL;
			*e = __pa(t) | _PAGE_PRESENT | _PAGE_RW;
		}
		e = (u64 *)__va(*e & PTE_PFN_MASK) + ((va >> shift) & 511);
	}
	return e;
}

/*
 * Build every page table of the area now: its PML4 entry must exist before
 * any address space copies the kernel half, and tables made later would
 * make the free-page count drift with the number of live stacks.
 */
void kstack_init(void)
{
	for (unsigned long va = KSTACK_AREA;
	     va < KSTACK_AREA + KSTACK_SLOTS * SLOT_SIZE; va += PAGE_SIZE)
		if (!kstack_pte(va, true))
			panic("kstack: no memory for the stack area's page tables");
}

static void unmap_stack_pages(unsigned long va, unsigned pages)
{
	for (unsigned i = 0; i < pages; i++, va += PAGE_SIZE) {
		u64 *pte = kstack_pte(va, false);

		if (pte && (*pte & _PAGE_PRESENT)) {
			__free_pages(pfn_to_page(PFN_DOWN(*pte & PTE_PFN_MASK)),
				     0);
			*pte = 0;
			invlpg(va);
		}
	}
}

static void slot_put(unsigned long slot)
{
	unsigned long flags;

	spin_lock_irqsave(&kstack_lock, flags);
	slot_map[slot / 64] &= ~(1UL << (slot % 64));
	spin_unlock_irqrestore(&kstack_lock, flags);
}

void *kstack_alloc(unsigned pages)
{
	unsigned long flags, va;
	int slot = -1;

	if (pages == 0 || pages > SLOT_PAGES - 1)
		return NULL;
	spin_lock_irqsave(&kstack_lock, flags);
	for (int i = 0; i < KSTACK_SLOTS; i++)
		if (!(slot_map[i / 64] & (1UL << (i % 64)))) {
			slot_map[i / 64] |= 1UL << (i % 64);
			slot = i;
			break;
		}
	spin_unlock_irqrestore(&kstack_lock, flags);
	if (slot < 0)
		return NULL;

	/* The stack ends at the top of its slot; the page below it (at
	 * least) stays unmapped: the guard. */
	va = KSTACK_AREA + slot * SLOT_SIZE + (SLOT_PAGES - pages) * PAGE_SIZE;
	for (unsigned i = 0; i < pages; i++) {
		struct page *pg = alloc_pages(0);

		if (!pg) {
			unmap_stack_pages(va, i);
			slot_put(slot);
			return NULL;
		}
		*kstack_pte(va + i * PAGE_SIZE, false) =
			page_to_phys(pg) | _PAGE_PRESENT | _PAGE_RW |
			_PAGE_GLOBAL | (boot_cpu.has_nx ? _PAGE_NX : 0);
	}
	return (void *)va;
}

void kstack_free(void *stack, unsigned pages)
{
	unsigned long va = (unsigned long)stack;

	unmap_stack_pages(va, pages);
	slot_put((va - KSTACK_AREA) / SLOT_SIZE);
}

bool kstack_guard_hit(unsigned long addr)
{
	if (addr < KSTACK_AREA ||
	    addr >= KSTACK_AREA + KSTACK_SLOTS * SLOT_SIZE)
		return false;
	u64 *pte = kstack_pte(addr & PAGE_MASK, false);
	return !pte || !(*pte & _PAGE_PRESENT);
}
