/*
 * poe_prefault.c - pre-page-fault (include/mm/poe.h, docs/poe.md;
 * US 11,474,952 claim 2: pre-page-fault work done asynchronously by a
 * kernel background process): when mmap creates a VM_POE region
 * (mm/mmap.c), a kernel thread walks it, builds the missing page-table
 * levels and marks each empty PTE POEable, with the rights of its VMA and
 * the owner's TGID (arch/x86_64/include/asm/pgtable_bits.h). From then on
 * the emulated walker (arch/x86_64/poe_walk.c) can map a page there
 * without the kernel. A fault that comes before the mark takes the full
 * handler, which is always correct.
 *
 * The thread works one page table (2 MiB) at a time under mmap_lock (for
 * reading) and that table's PTE lock (apply_to_page_range() takes it),
 * and re-checks the VMAs each time, so
 * munmap, mprotect or a new mapping in between never gets marks it
 * should not have, and faults of the same mm go on meanwhile.
 */
#include <kernel/atomic.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <mm/kmalloc.h>
#include <mm/mman.h>
#include <mm/mmap_lock.h>
#include <mm/mm_types.h>
#include <mm/poe.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <asm/cpu.h>

struct prefault_req {
	struct mm_struct *mm;	  /* holds a reference (mmgrab) */
	unsigned long start, end; /* bytes, page aligned */
};

struct mark_ctx {
	pte_t marker; /* the POEable PTE for this VMA */
	long n;	      /* PTEs marked */
};

/* apply_to_page_range() callback: mark an empty PTE. */
static int mark_pte(pte_t *pte, unsigned long addr, void *data)
{
	struct mark_ctx *ctx = data;

	(void)addr;
	if (pte_none(*pte)) { /* never overwrite a page or mark */
		set_pte(pte, ctx->marker);
		ctx->n++;
	}
	return 0;
}

long poe_mark_range(struct mm_struct *mm, unsigned long start,
		    unsigned long end)
{
	struct vm_area_struct *vma;
	struct mark_ctx ctx = { .n = 0 };
	unsigned long va = start, lim;

	while (va < end && (vma = find_vma(mm, va)) && vma->vm_start < end) {
		u64 prot = vm_get_page_prot(vma->vm_flags);

		va = MAX(va, vma->vm_start);
		lim = MIN(end, vma->vm_end);
		/* Only POE regions, and never a PROT_NONE one: a mark means
		 * "the walker may map this", and nothing may be mapped there. */
		if ((vma->vm_flags & VM_POE) && (prot & _PAGE_PRESENT)) {
			ctx.marker = poe_mk_pte(mm->poe.tgid, prot);
			/* Builds the missing tables on the way. */
			if (apply_to_page_range(mm, va, lim - va, mark_pte,
						&ctx))
				return -ENOMEM;
		}
		va = lim;
	}
	return ctx.n;
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

long poe_unmark_range(struct mm_struct *mm, unsigned long start,
		      unsigned long end)
{
	static const struct mm_walk_ops ops = { .pte_entry = unmark_pte };
	long n = 0;

	if (!mm->poe.registered || start >= end)
		return 0;
	/* Each table under its PTE lock (walk_page_range() takes it). */
	walk_page_range(mm, start, end, &ops, &n);
	return n;
}

static int prefault_thread(void *arg)
{
	struct prefault_req *req = arg;
	struct mm_struct *mm = req->mm;
	unsigned long va, next, marked = 0;
	u64 t0 = rdtsc();

	for (va = req->start; va < req->end; va = next) {
		long n = 0;

		next = pmd_addr_end(va, req->end); /* one page table */
		/* VMAs for reading (a munmap or mprotect waits for this
		 * piece, or runs before it), the PTEs under their table's PTE
		 * lock, which apply_to_page_range() takes. */
		mmap_read_lock(mm);
		/* The address space is gone (the process exited or exec'd):
		 * stop; mmput() tore it down under mmap_lock. */
		if (READ_ONCE(mm->users) == 0 || !mm->poe.registered) {
			n = -ESRCH;
		} else {
			n = poe_mark_range(mm, va, next);
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

int poe_prefault_start(struct mm_struct *mm, unsigned long start,
		       unsigned long end)
{
	struct prefault_req *req = kmalloc(sizeof(*req));

	if (!req)
		return -ENOMEM;
	req->mm = mm;
	req->start = start;
	req->end = end;
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
