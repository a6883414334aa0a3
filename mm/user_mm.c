/*
 * user_mm.c - user address spaces (include/mm/user_mm.h): creating,
 * copying (fork), switching and destroying a struct mm_struct, and mapping
 * and unmapping 4 KiB user pages in its page tables. Every address space
 * shares the kernel half (PML4 entries 256..511) with init_pgd_phys
 * (mm/init.c); the user half (entries 0..255) and every table below it
 * belong to the mm alone, so mmput() can free them all.
 *
 * This first version maps every page eagerly (mm/mmap.c, kernel/elf.c,
 * kernel/exec.c call map_user_pages); the mm issue adds VMAs and demand
 * paging. mm->rss counts mapped user pages, mm->nr_ptes every page-table
 * page of the mm including its PML4.
 */
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <mm/kmalloc.h>
#include <mm/mm_init.h>
#include <mm/mman.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <mm/user_mm.h>
#include <asm/cpu.h>
#include <asm/pgtable_bits.h>

/* Intermediate entries allow everything; the PTE decides the rights. */
#define USER_TABLE_FLAGS	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)
#define USER_PGD_ENTRIES	256	/* PML4 entries 0..255: the user half */

/* Shift of the address bits a table at this level indexes (0 = PT). */
static inline unsigned level_shift(int level)
{
	return PAGE_SHIFT + 9 * level;
}

static inline u64 *table_va(u64 entry)
{
	return __va(entry & PTE_PFN_MASK);
}

/* True when mm's PML4 is the one in CR3 (then TLB entries must go). */
static bool mm_is_active(struct mm_struct *mm)
{
	return (read_cr3() & PTE_PFN_MASK) == mm->pgd;
}

/* A range of whole pages inside user space, page 0 excluded. */
static bool user_range_ok(unsigned long start, unsigned long len)
{
	return IS_ALIGNED(start, PAGE_SIZE) && IS_ALIGNED(len, PAGE_SIZE) &&
	       start >= PAGE_SIZE && start < USER_TOP &&
	       len <= USER_TOP - start;
}

/*
 * The PTE for va, or NULL when a table on the way is missing; with alloc,
 * missing tables are allocated (NULL then means out of memory).
 * Called with mm->lock held.
 */
static u64 *pte_walk(struct mm_struct *mm, unsigned long va, bool alloc)
{
	u64 *table = __va(mm->pgd);

	for (int level = 3; level > 0; level--) {
		u64 *e = &table[(va >> level_shift(level)) & 511];

		if (!(*e & _PAGE_PRESENT)) {
			u64 *next;

			if (!alloc)
				return NULL;
			next = get_zeroed_page();
			if (!next)
				return NULL;
			mm->nr_ptes++;
			*e = __pa(next) | USER_TABLE_FLAGS;
		}
		table = table_va(*e);
	}
	return &table[pte_index(va)];
}

static bool table_empty(const u64 *table)
{
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		if (table[i])
			return false;
	return true;
}

/*
 * zap_range - unmap and free every user page in [start, end) below the
 * table at this level, and free each table under it that ends up empty.
 * Returns true when a page-table page was freed (the caller must then
 * flush the paging-structure caches). Linux's zap_pte_range() and
 * free_pgtables() in one recursive walk. Called with mm->lock held.
 */
static bool zap_range(struct mm_struct *mm, u64 *table, int level,
		      unsigned long start, unsigned long end, bool flush)
{
	unsigned shift = level_shift(level);
	bool freed_table = false;
	unsigned long va = start;

	while (va < end) {
		unsigned long next = ((va >> shift) + 1) << shift;
		u64 *e = &table[(va >> shift) & 511];

		if (next > end)
			next = end;
		if (*e & _PAGE_PRESENT) {
			if (level == 0) {
				free_page(__va(*e & PTE_PFN_MASK));
				*e = 0;
				mm->rss--;
				if (flush)
					invlpg(va);
			} else {
				u64 *sub = table_va(*e);

				if (zap_range(mm, sub, level - 1, va, next, flush))
					freed_table = true;
				if (table_empty(sub)) {
					*e = 0;
					free_page(sub);
					mm->nr_ptes--;
					freed_table = true;
				}
			}
		}
		va = next;
	}
	return freed_table;
}

/* Unmap [start, end) with mm->lock held; flushes when mm is active. */
static void __unmap(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	bool active = mm_is_active(mm);

	if (zap_range(mm, __va(mm->pgd), 3, start, end, active) && active)
		write_cr3(mm->pgd);	/* drop cached upper-level entries */
}

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm));
	u64 *pgd;

	if (!mm)
		return NULL;
	pgd = get_zeroed_page();
	if (!pgd) {
		kfree(mm);
		return NULL;
	}
	memcpy(pgd + USER_PGD_ENTRIES,
	       (u64 *)__va(init_pgd_phys) + USER_PGD_ENTRIES,
	       (PTRS_PER_TABLE - USER_PGD_ENTRIES) * sizeof(u64));
	mm->pgd = __pa(pgd);
	mm->users = 1;
	spin_lock_init(&mm->lock);
	mm->mmap_base = USER_MMAP_BASE;
	mm->nr_ptes = 1;
	return mm;
}

/* Map the page at phys into mm at va with the full PTE flags pteflags. */
static int install_pte(struct mm_struct *mm, unsigned long va, u64 pte)
{
	u64 *e = pte_walk(mm, va, true);

	if (!e)
		return -ENOMEM;
	*e = pte;
	mm->rss++;
	return 0;
}

/*
 * Copy the user pages under one table of oldmm into mm (fork).
 * Called with oldmm->lock held; mm is private to the caller.
 */
static int copy_range(struct mm_struct *mm, const u64 *table, int level,
		      unsigned long base)
{
	int n = level == 3 ? USER_PGD_ENTRIES : PTRS_PER_TABLE;

	for (int i = 0; i < n; i++) {
		unsigned long va = base + ((unsigned long)i << level_shift(level));
		u64 e = table[i];
		int err;

		if (!(e & _PAGE_PRESENT))
			continue;
		if (level > 0) {
			err = copy_range(mm, table_va(e), level - 1, va);
		} else {
			void *page = get_zeroed_page();

			if (!page)
				return -ENOMEM;
			memcpy(page, table_va(e), PAGE_SIZE);
			err = install_pte(mm, va, __pa(page) | (e & ~PTE_PFN_MASK));
			if (err)
				free_page(page);
		}
		if (err)
			return err;
	}
	return 0;
}

struct mm_struct *dup_mm(struct mm_struct *oldmm)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long flags;
	int err;

	if (!mm)
		return NULL;
	spin_lock_irqsave(&oldmm->lock, flags);
	err = copy_range(mm, __va(oldmm->pgd), 3, 0);
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->mmap_base = oldmm->mmap_base;
	mm->start_stack = oldmm->start_stack;
	spin_unlock_irqrestore(&oldmm->lock, flags);
	if (err) {
		mmput(mm);	/* frees whatever was copied */
		return NULL;
	}
	return mm;
}

void mmget(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->users, 1, __ATOMIC_RELAXED);
}

void mmput(struct mm_struct *mm)
{
	if (__atomic_sub_fetch(&mm->users, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	if (mm_is_active(mm)) {
		pr_warn("mmput: freeing the active mm %p; switching to the kernel's\n",
			mm);
		switch_mm(NULL);
	}
	zap_range(mm, __va(mm->pgd), 3, 0, USER_TOP, false);
	if (mm->rss || mm->nr_ptes != 1)
		pr_warn("mmput: mm %p left rss %lu, nr_ptes %lu after teardown\n",
			mm, mm->rss, mm->nr_ptes);
	free_page(__va(mm->pgd));
	kfree(mm);
}

void switch_mm(struct mm_struct *mm)
{
	phys_addr_t pgd = mm ? mm->pgd : init_pgd_phys;

	if ((read_cr3() & PTE_PFN_MASK) != pgd)
		write_cr3(pgd);
}

/*
 * PTE rights for PROT_* bits. Until the mm issue brings VMAs and demand
 * paging, every page is present; PROT_NONE is a present page without the
 * user bit, so that any user access faults (Linux keeps such pages
 * not-present with its _PAGE_PROTNONE software bit instead).
 */
static u64 prot_to_pte_flags(int prot)
{
	u64 flags = _PAGE_PRESENT;

	if (prot & (PROT_READ | PROT_WRITE | PROT_EXEC))
		flags |= _PAGE_USER;
	if (prot & PROT_WRITE)
		flags |= _PAGE_RW;
	if (!(prot & PROT_EXEC) && boot_cpu.has_nx)
		flags |= _PAGE_NX;
	return flags;
}

int map_user_pages(struct mm_struct *mm, unsigned long start,
		   unsigned long len, int prot)
{
	u64 flags = prot_to_pte_flags(prot);
	unsigned long irqflags, va, end = start + len;
	int err = 0;

	if (!len || !user_range_ok(start, len))
		return -EINVAL;

	spin_lock_irqsave(&mm->lock, irqflags);
	for (va = start; va < end; va += PAGE_SIZE) {
		u64 *e = pte_walk(mm, va, false);

		if (e && (*e & _PAGE_PRESENT)) {
			spin_unlock_irqrestore(&mm->lock, irqflags);
			return -EEXIST;
		}
	}
	for (va = start; va < end; va += PAGE_SIZE) {
		void *page = get_zeroed_page();

		if (!page) {
			err = -ENOMEM;
			break;
		}
		err = install_pte(mm, va, __pa(page) | flags);
		if (err) {
			free_page(page);
			break;
		}
	}
	/* Undo: pages [start, va) and any table allocated for va itself. */
	if (err)
		__unmap(mm, start, va + PAGE_SIZE);
	spin_unlock_irqrestore(&mm->lock, irqflags);
	return err;
}

int protect_user_pages(struct mm_struct *mm, unsigned long start,
		       unsigned long len, int prot)
{
	u64 flags = prot_to_pte_flags(prot);
	unsigned long irqflags, va, end = start + len;
	bool active = mm_is_active(mm);

	if (!user_range_ok(start, len))
		return -EINVAL;
	spin_lock_irqsave(&mm->lock, irqflags);
	for (va = start; va < end; va += PAGE_SIZE) {
		u64 *e = pte_walk(mm, va, false);

		if (!e || !(*e & _PAGE_PRESENT)) {
			spin_unlock_irqrestore(&mm->lock, irqflags);
			return -ENOMEM;		/* Linux: a hole in the range */
		}
	}
	for (va = start; va < end; va += PAGE_SIZE) {
		u64 *e = pte_walk(mm, va, false);

		*e = (*e & PTE_PFN_MASK) | flags;
		if (active)
			invlpg(va);
	}
	spin_unlock_irqrestore(&mm->lock, irqflags);
	return 0;
}

int unmap_user_pages(struct mm_struct *mm, unsigned long start,
		     unsigned long len)
{
	unsigned long irqflags;

	if (!user_range_ok(start, len))
		return -EINVAL;
	if (!len)
		return 0;
	spin_lock_irqsave(&mm->lock, irqflags);
	__unmap(mm, start, start + len);
	spin_unlock_irqrestore(&mm->lock, irqflags);
	return 0;
}

phys_addr_t user_page_phys(struct mm_struct *mm, unsigned long va)
{
	unsigned long irqflags;
	phys_addr_t pa = 0;
	u64 *e;

	if (va >= USER_TOP)
		return 0;
	spin_lock_irqsave(&mm->lock, irqflags);
	e = pte_walk(mm, va, false);
	if (e && (*e & _PAGE_PRESENT))
		pa = (*e & PTE_PFN_MASK) | (va & ~PAGE_MASK);
	spin_unlock_irqrestore(&mm->lock, irqflags);
	return pa;
}

int copy_to_mm(struct mm_struct *mm, unsigned long va, const void *src,
	       size_t len)
{
	const char *s = src;

	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - (va & ~PAGE_MASK));
		phys_addr_t pa = user_page_phys(mm, va);

		if (!pa)
			return -EFAULT;
		memcpy(__va(pa), s, chunk);
		s += chunk;
		va += chunk;
		len -= chunk;
	}
	return 0;
}
