/*
 * poe_prefault.c - pre-page-fault (include/mm/poe.h, docs/poe.md;
 * US 11,474,952 claim 2: pre-page-fault work done asynchronously by a
 * kernel background process): the empty PTEs of a VM_POE region
 * (mm/mmap.c) are marked POEable, with the rights of their VMA and the
 * owner's TGID (arch/x86_64/include/asm/pgtable_bits.h). From then on the
 * emulated walker (arch/x86_64/poe_walk.asm, or its C reference
 * poe_walk.c) can map a page there without the kernel. A fault that comes before the mark takes the full handler,
 * which is always correct.
 *
 * Marking ahead of use, within a memory budget (docs/poe.md, "Marking
 * ahead of use"). A mark needs a page table, so marking a whole region
 * up front would build the tables of every 2 MiB of it, used or not: a
 * 1 TiB MAP_NORESERVE region would take 2 GiB of page tables. So:
 *
 *   1. mmap itself marks the first poe.mark_sync pages, before it
 *      returns (ours: a program that touches memory right after mmap, as
 *      malloc's callers do, outruns any thread on one CPU);
 *   2. a kernel thread marks on up to poe.mark_window pages from the
 *      region's start, building tables (claim 2), one table (2 MiB) at a
 *      time, and stops building when free memory runs low; past the
 *      window it marks only tables that already exist;
 *   3. the full handler, when a fault in a VM_POE region finds an empty
 *      PTE (it built the table, or the thread has not reached it), marks
 *      the rest of that table (poe_mark_table()): the table exists from
 *      then on anyway, so the marks cost no memory.
 *
 * The thread works under mmap_lock (for reading) and each table's PTE
 * lock (build_and_mark() and walk_page_range() take it), and
 * re-checks the VMAs each time, so munmap, mprotect or a new mapping in
 * between never gets marks it should not have, and faults of the same mm
 * go on meanwhile. A range registered with a userfaultfd
 * (VM_UFFD_MISSING, VM_UFFD_WP) is never marked: registering clears its marks
 * (userfaultfd_register()), and the monitor, not the walker, provides
 * its missing pages.
 */
#include <kernel/atomic.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <mm/kmalloc.h>
#include <mm/huge_mm.h>
#include <mm/mman.h>
#include <mm/mmap_lock.h>
#include <mm/page_alloc.h>
#include <mm/mm_types.h>
#include <mm/poe.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <asm/cpu.h>
#include "poe_internal.h"

struct prefault_req {
	struct mm_struct *mm;	  /* holds a reference (mmgrab) */
	unsigned long start, end; /* bytes, page aligned: the thread's part */
	unsigned long build_end;  /* bytes: tables are built below this */
};

struct mark_ctx {
	pte_t marker; /* the POEable PTE for this VMA */
	long n;	      /* PTEs marked */
};

/*
 * Mark the empty PTEs of [va, lim), which lie in one page table, from
 * its slot pte on: a plain loop, no call per PTE, since marking is what
 * mmap and a fault pay for in line. The table's PTE lock held. Returns
 * the PTEs marked.
 */
static long mark_ptes(pte_t *pte, unsigned long va, unsigned long lim,
		      pte_t marker)
{
	long n = 0;

	for (; va < lim; va += PAGE_SIZE, pte++) {
		if (pte_none(*pte)) { /* never overwrite a page or mark */
			set_pte(pte, marker);
			n++;
		}
	}
	return n;
}

/* walk_page_range() callback: mark an empty PTE of a table that exists. */
static int mark_existing_pte(pte_t *pte, unsigned long addr, unsigned long next,
			     struct mm_walk *walk)
{
	struct mark_ctx *ctx = walk->private;

	ctx->n += mark_ptes(pte, addr, next, ctx->marker);
	return 0;
}

/* Mark [va, lim), within one page table, building the table and the
 * levels above it if missing. Returns the PTEs marked, or -ENOMEM. */
static long build_and_mark(struct mm_struct *mm, unsigned long va,
			   unsigned long lim, pte_t marker)
{
	unsigned long irqflags;
	spinlock_t *ptl;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;
	long n;

	pud = pud_alloc(mm, pgd_offset(mm, va), va);
	pmd = pud ? pmd_alloc(mm, pud, va) : NULL;
	if (!pmd || pte_alloc(mm, pmd))
		return -ENOMEM;
	if (pmd_trans_huge(READ_ONCE(*pmd)))
		return 0; /* a fault mapped 2 MiB here: nothing to mark */
	pte = pte_offset_map_lock(mm, pmd, va, &ptl, &irqflags);
	n = mark_ptes(pte, va, lim, marker);
	pte_unmap_unlock(pte, ptl, irqflags);
	return n;
}

/*
 * Mark the VM_POE VMAs' empty PTEs in [start, end): building the missing
 * tables when build, else only in the tables that exist. mmap_lock held
 * for reading. Returns the PTEs marked, or -ENOMEM.
 */
static long mark_range(struct mm_struct *mm, unsigned long start,
		       unsigned long end, bool build)
{
	static const struct mm_walk_ops ops = { .pte_entry =
							mark_existing_pte };
	struct vm_area_struct *vma;
	struct mark_ctx ctx = { .n = 0 };
	unsigned long va = start, lim, next;

	while (va < end && (vma = find_vma(mm, va)) && vma->vm_start < end) {
		u64 prot = vm_get_page_prot(vma->vm_flags);

		va = MAX(va, vma->vm_start);
		lim = MIN(end, vma->vm_end);
		/* Only POE regions, and never a PROT_NONE one: a mark means
		 * "the walker may map this", and nothing may be mapped there.
		 * Nor a range registered with a userfaultfd: its missing
		 * pages are the monitor's to provide (docs/userfaultfd.md). */
		if ((vma->vm_flags & VM_POE) && (prot & _PAGE_PRESENT) &&
		    !(vma->vm_flags & __VM_UFFD_FLAGS)) {
			ctx.marker = poe_mk_pte(mm->poe.tgid, prot);
			if (!build) {
				/* The range lies in a VMA: with mmap_lock
				 * held no table of it can be freed. */
				walk_page_range(mm, va, lim, &ops, &ctx);
			}
			for (; build && va < lim; va = next) {
				long n;

				next = pmd_addr_end(va, lim);
				/* A 2 MiB piece a huge page may go to: no
				 * table, so that its pmd stays empty for the
				 * huge fault (docs/thp.md), or, with POE's
				 * huge tables, a mark at the pmd for the
				 * walker (docs/poe.md, "Huge pages"). */
				if (thp_vma_allowable(vma, va)) {
					if (poe_huge_mark(mm,
							  va & ~(PMD_SIZE - 1),
							  ctx.marker) < 0)
						return -ENOMEM;
					continue;
				}
				n = build_and_mark(mm, va, next, ctx.marker);
				if (n < 0)
					return n;
				ctx.n += n;
			}
		}
		va = lim;
	}
	return ctx.n;
}

long poe_mark_range(struct mm_struct *mm, unsigned long start,
		    unsigned long end)
{
	return mark_range(mm, start, end, true);
}

/*
 * The budget for building tables to hold marks: free memory above
 * 1/POE_MARK_MIN_FREE_DIV of the managed pages. Below it, the pre-fault
 * work builds no table (the faults still build theirs).
 */
static bool mark_may_build(void)
{
	return nr_free_pages() > nr_managed_pages() / POE_MARK_MIN_FREE_DIV;
}

long poe_mark_table(struct vm_area_struct *vma, pmd_t *pmd,
		    unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	u64 prot = vm_get_page_prot(vma->vm_flags);
	unsigned long va, lim;
	pte_t marker;
	long n;

	if (!poe_mark_fault || !(vma->vm_flags & VM_POE) ||
	    (vma->vm_flags & __VM_UFFD_FLAGS) || !(prot & _PAGE_PRESENT) ||
	    !mm->poe.registered)
		return 0;
	marker = poe_mk_pte(mm->poe.tgid, prot);
	/* This table's span, clipped to the VMA. */
	va = MAX(vma->vm_start, address & ~(PMD_SIZE - 1));
	lim = pmd_addr_end(va, vma->vm_end);
	n = mark_ptes(pte_offset_kernel(pmd, va), va, lim, marker);
	stat_add(&poe_counters.prefault_pages, (unsigned long)n);
	stat_add(&poe_counters.mark_fault_pages, (unsigned long)n);
	return n;
}

static int prefault_thread(void *arg)
{
	struct prefault_req *req = arg;
	struct mm_struct *mm = req->mm;
	unsigned long va, next, marked = 0;
	u64 t0 = rdtsc();

	for (va = req->start; va < req->end; va = next) {
		bool build = va < req->build_end;
		long n = 0;

		/* One page table at a time while building (each takes the
		 * lock anew, so faults and munmap go on in between); past
		 * the window, only existing tables, up to 1 GiB a step. */
		next = build ? pmd_addr_end(va, req->end) :
			       pud_addr_end(va, req->end);
		if (build && !mark_may_build()) {
			/* Memory is short: build no more tables. */
			stat_add(&poe_counters.mark_backoffs, 1);
			req->build_end = va;
			build = false;
			next = pud_addr_end(va, req->end);
		}
		/* VMAs for reading (a munmap or mprotect waits for this
		 * piece, or runs before it), the PTEs under their table's PTE
		 * lock, which the walks take. */
		mmap_read_lock(mm);
		/* The address space is gone (the process exited or exec'd):
		 * stop; mmput() tore it down under mmap_lock. */
		if (READ_ONCE(mm->users) == 0 || !mm->poe.registered) {
			n = -ESRCH;
		} else {
			n = mark_range(mm, va, next, build);
		}
		mmap_read_unlock(mm);
		if (n < 0)
			break; /* gone, or no memory: the rest takes the
				* full handler */
		marked += n;
	}
	stat_add(&poe_counters.prefault_pages, marked);
	stat_add(&poe_counters.prefault_ticks, rdtsc() - t0);
	kfree(req);
	mmdrop(mm);
	/* Last: "no pre-fault thread active" must mean its memory is back
	 * (all but this thread's stack, which the next task on this CPU
	 * frees right after the switch). */
	__atomic_sub_fetch(&poe_counters.prefault_active, 1, __ATOMIC_RELEASE);
	return 0;
}

/* mmap's own part: the first poe.mark_sync pages, marked before it
 * returns. Returns where the thread's part begins. */
static unsigned long mark_sync(struct mm_struct *mm, unsigned long start,
			       unsigned long end)
{
	unsigned long sync_end =
		start +
		MIN(end - start, (unsigned long)poe_mark_sync << PAGE_SHIFT);
	u64 t0 = rdtsc();
	long n = 0;

	if (sync_end == start || !mark_may_build())
		return start;
	mmap_read_lock(mm);
	if (mm->poe.registered)
		n = mark_range(mm, start, sync_end, true);
	mmap_read_unlock(mm);
	if (n < 0)
		return start; /* no memory: the thread may try again */
	stat_add(&poe_counters.prefault_pages, n);
	stat_add(&poe_counters.mark_sync_pages, n);
	stat_add(&poe_counters.prefault_ticks, rdtsc() - t0);
	return sync_end;
}

int poe_prefault_start(struct mm_struct *mm, unsigned long start,
		       unsigned long end)
{
	unsigned long window = (unsigned long)poe_mark_window << PAGE_SHIFT;
	unsigned long from = mark_sync(mm, start, end);
	struct prefault_req *req;

	if (from >= end)
		return 0; /* all marked already: no thread */
	req = kmalloc(sizeof(*req));
	if (!req)
		return -ENOMEM;
	req->mm = mm;
	req->start = from;
	req->end = end;
	/* The window counts from where the range starts, mmap's own part
	 * included; past it the thread builds no table. */
	req->build_end = end - start > window ? start + window : end;
	mmgrab(mm);
	__atomic_add_fetch(&poe_counters.prefault_active, 1, __ATOMIC_RELAXED);
	if (!kthread_run_detached(prefault_thread, req, "poe_prefault")) {
		__atomic_sub_fetch(&poe_counters.prefault_active, 1,
				   __ATOMIC_RELAXED);
		mmdrop(mm);
		kfree(req);
		return -ENOMEM;
	}
	stat_add(&poe_counters.prefault_threads, 1);
	return 0;
}

/* walk_page_range() callback: clear a mark, under its lock bit. */
static int unmark_pte(pte_t *pte, unsigned long addr, unsigned long next,
		      struct mm_walk *walk)
{
	long *n = walk->private;

	(void)next;
	/* poe_pte_lock() waits for a walker mapping it; false: it did. */
	if (pte_poeable(READ_ONCE(*pte)) && poe_pte_lock(pte)) {
		pte_clear(walk->mm, addr, pte);
		(*n)++;
	}
	return 0;
}

/* walk_page_range() callback: clear a 2 MiB mark (page_table_lock held,
 * as poe_pmd_lock() needs) and free its deposited table. */
static int unmark_pmd(pmd_t *pmd, unsigned long addr, unsigned long next,
		      struct mm_walk *walk)
{
	struct page *pgtable = poe_pmd_clear_locked(walk->mm, pmd);
	long *n = walk->private;

	(void)addr;
	(void)next;
	if (pgtable) {
		free_page((unsigned long)page_address(pgtable));
		*n += PTRS_PER_TABLE;
	}
	return 0;
}

long poe_unmark_range(struct mm_struct *mm, unsigned long start,
		      unsigned long end)
{
	static const struct mm_walk_ops ops = { .pte_entry = unmark_pte,
						.pmd_poeable_entry =
							unmark_pmd };
	long n = 0;

	if (!mm->poe.registered || start >= end)
		return 0;
	/* Each table under its PTE lock (walk_page_range() takes it). */
	walk_page_range(mm, start, end, &ops, &n);
	return n;
}
