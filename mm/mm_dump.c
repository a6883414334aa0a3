/*
 * mm_dump.c - showing an address space to students and tests: the VMA
 * list in a stable, diffable format (like /proc/PID/maps plus rss), the
 * page-table walk of a range (mm/pgtable.c dump_pagetable), and the fault
 * counters (mm/fault.c), through the private syscalls mm_dump (1010) and
 * fault_stats (1011) of include/uapi/private.h. user/vmmap and
 * user/faultstat call them.
 */
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <mm/huge_mm.h>
#include <mm/mman.h>
#include <mm/mmap_lock.h>
#include <mm/mm_types.h>
#include <mm/pgtable.h>
#include <mm/vma.h>
#include <private.h>

/* walk_page_range() callback: count a mapped page that is not the zero page. */
static int count_rss_pte(pte_t *pte, unsigned long addr, unsigned long next,
			 struct mm_walk *walk)
{
	unsigned long *n = walk->private;

	(void)addr;
	(void)next;
	if (pte_present(*pte) && !is_zero_pfn(pte_pfn(*pte)))
		(*n)++;
	return 0;
}

/* walk_page_range() callback: a huge pmd's pages in the range, unless it
 * maps the huge zero page. */
static int count_huge_pmd(pmd_t *pmd, unsigned long addr, unsigned long next,
			  struct mm_walk *walk)
{
	unsigned long *n = walk->private;

	if (!is_huge_zero_pmd(*pmd))
		*n += (next - addr) >> PAGE_SHIFT;
	return 0;
}

unsigned long mm_range_rss(struct mm_struct *mm, unsigned long start,
			   unsigned long end)
{
	static const struct mm_walk_ops ops = { .pte_entry = count_rss_pte,
						.pmd_entry = count_huge_pmd };
	unsigned long n = 0;

	walk_page_range(mm, start, end, &ops, &n);
	return n;
}

unsigned long mm_range_anon_huge(struct mm_struct *mm, unsigned long start,
				 unsigned long end)
{
	static const struct mm_walk_ops ops = { .pmd_entry = count_huge_pmd };
	unsigned long n = 0;

	walk_page_range(mm, start, end, &ops, &n);
	return n;
}

/*
 * dump_mm - print mm's VMAs, one per line:
 *   "vma 0000000000400000-0000000000402000 r-xp flags 0x75 rss 2"
 * then a summary line. Caller holds mmap_lock: the VMAs stay, and so do
 * the tables under them (only tables no VMA covers are freed by a
 * reader; walk_page_range() takes each one's PTE lock).
 */
static void dump_mm(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	for_each_vma(mm, vma) {
		unsigned long f = vma->vm_flags;

		printk("vma %016lx-%016lx %c%c%c%c flags %#lx rss %lu%s\n",
		       vma->vm_start, vma->vm_end, f & VM_READ ? 'r' : '-',
		       f & VM_WRITE ? 'w' : '-', f & VM_EXEC ? 'x' : '-',
		       f & VM_SHARED ? 's' : 'p', f,
		       mm_range_rss(mm, vma->vm_start, vma->vm_end),
		       f & VM_GROWSDOWN ? " [stack]" :
		       vma->vm_start <= mm->start_brk &&
				       mm->start_brk < vma->vm_end &&
				       mm->brk > mm->start_brk ?
					  " [heap]" :
					  "");
	}
	printk("mm: %d vmas, rss %lu pages, %lu page-table pages\n",
	       mm->map_count, mm->rss, mm->nr_pgtables);
}

/*
 * sys_mm_dump - print the caller's VMAs; with start < end also the
 * page-table walk of [start, end) (at most 4096 pages, -EINVAL beyond, so
 * a typo cannot flood the console). Private call 1010. Returns 0, -EINVAL.
 */
long sys_mm_dump(unsigned long start, unsigned long end)
{
	struct mm_struct *mm = current->mm;

	if (start < end && (end > USER_TOP || (end - start) / PAGE_SIZE > 4096))
		return -EINVAL;
	/* No spinlock around the printing: under page_table_lock for the
	 * whole dump, up to 4096 pages of console lines went out with
	 * interrupts off (3.9 ms under the fuzzer). dump_pagetable() takes
	 * it one page at a time. */
	mmap_read_lock(mm);
	printk("mm_dump: pid %d (%s)\n", current->pid, current->comm);
	dump_mm(mm);
	if (start < end)
		dump_pagetable(mm, start, end);
	mmap_read_unlock(mm);
	return 0;
}

/*
 * sys_fault_stats - copy the fault counters (struct fault_stats) to
 * buf, at most size bytes (private call 1011). Returns the bytes copied
 * or -EFAULT.
 */
long sys_fault_stats(void __user *buf, size_t size)
{
	const unsigned long *p = current->mm->faults.count;
	unsigned long g[NR_FAULT_KINDS];
	struct fault_stats st;
	unsigned long locked;

	for (int k = 0; k < NR_FAULT_KINDS; k++)
		g[k] = global_fault_count(k);
	mmap_read_lock(current->mm);
	locked = mm_locked_vm(current->mm);
	mmap_read_unlock(current->mm);
	st = (struct fault_stats){
		p[FAULT_READ],
		p[FAULT_WRITE],
		p[FAULT_COW],
		p[FAULT_ZERO_PAGE],
		p[FAULT_STACK_GROWTH],
		p[FAULT_SEGV],
		p[FAULT_TOTAL],
		g[FAULT_READ],
		g[FAULT_WRITE],
		g[FAULT_COW],
		g[FAULT_ZERO_PAGE],
		g[FAULT_STACK_GROWTH],
		g[FAULT_SEGV],
		g[FAULT_TOTAL],
		p[FAULT_POE],
		g[FAULT_POE],
		locked,
	};

	if (size > sizeof(st))
		size = sizeof(st);
	return copy_to_user(buf, &st, size) ? -EFAULT : (long)size;
}
