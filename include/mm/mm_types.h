/*
 * mm_types.h - struct mm_struct, one user address space, as in Linux's
 * <linux/mm_types.h>: the page tables, the VMAs that say what may be
 * mapped where (mm/vma.c), and counters. Pages are mapped on demand by
 * the fault handler (mm/fault.c); fork shares them copy-on-write.
 * Which lock protects which field: include/mm/mmap_lock.h and
 * docs/concurrency.md.
 */
#ifndef MM_MM_TYPES_H
#define MM_MM_TYPES_H

#include <kernel/cpumask.h>
#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/rbtree.h>
#include <kernel/rwsem.h>
#include <kernel/spinlock.h>
#include <mm/fault_stats.h>
#include <mm/pgtable.h>
#include <mm/poe.h>

struct mm_struct {
	pgd_t *pgd;   /* the PML4, through the direct map; CR3
			  * takes __pa(pgd). Freed by the last
			  * mmdrop, not by mmput: a kernel thread
			  * may still run on it (lazy TLB) */
	int users;    /* tasks sharing this mm (CLONE_VM) */
	int mm_count; /* references to this struct: users (as one)
			  * + mmgrab()s, of background threads and
			  * of kernel threads borrowing it
			  * (task->active_mm); the last mmdrop
			  * frees it */
	struct rw_semaphore mmap_lock; /* the VMAs, brk, mmap_base */
	spinlock_t page_table_lock;    /* the upper levels of the page
					* tables (hooking a table in or
					* out), nr_pgtables; the PTEs
					* have a lock per PTE table
					* (pte_lockptr()) */
	unsigned long start_brk, brk;  /* heap, bytes (brk(2)) */
	unsigned long mmap_base;       /* next mmap goes below this */
	unsigned long start_stack;     /* top of the initial user stack */
	/* The argv strings exec put on the stack, NUL-separated
	 * (/proc/PID/cmdline reads them from there), and the absolute
	 * path of the program (/proc/PID/exe; kmalloc'ed, NULL before
	 * the first exec). Linux's arg_start, arg_end and exe_file. Set
	 * by exec, copied by fork, the path freed by the last mmdrop. */
	unsigned long arg_start, arg_end;
	char *exe_path;
	/* personality(2) (ADDR_NO_RANDOMIZE, ...): Linux keeps it per task
	 * (task->personality); here it lives in the mm, so fork copies it
	 * (dup_mm), exec carries it over to the new mm, and the threads of
	 * a process share it. Only exec reads it (kernel/exec.c). */
	unsigned int personality;
	/* VM_* flags every new mapping gets: VM_LOCKED (and
	 * VM_LOCKONFAULT) after mlockall(MCL_FUTURE), as Linux's
	 * mm->def_flags. Under mmap_lock; 0 in a new mm (fork and exec
	 * do not inherit it, as Linux's mm_init()). */
	unsigned long def_flags;
	/* User pages mapped, pages. Changed under the PTE locks of
	 * different tables at once, and by POE's post-fault work, so it is
	 * _Atomic: every ++ and -- is one locked instruction, as Linux's
	 * mm counters are atomic (add_mm_counter()). */
	_Atomic unsigned long rss;
	/* The most rss has been, pages: raised by update_hiwater_rss()
	 * before pages are unmapped, so that with rss it gives the peak
	 * (get_mm_hiwater_rss(); getrusage's ru_maxrss). Linux's. */
	unsigned long hiwater_rss;
	/* PTE tables deposited for the huge pmds mapped (page->lru),
	 * so that splitting one never needs memory; under
	 * page_table_lock. Linux's pmd_huge_pte (include/mm/huge_mm.h). */
	struct list_head pmd_huge_pte;
	/* Huge pmds mapped now, under page_table_lock; ours. With none,
	 * a VMA cut looks for no huge pmd to split (split_at_edges()):
	 * mprotect and munmap of one page cost what they did before huge
	 * pages. */
	unsigned long nr_huge_pmds;
	unsigned long nr_pgtables; /* page-table pages of every level,
				       * the PML4 included; ours (Linux
				       * counts the same in bytes,
				       * mm_pgtables_bytes()) */
	/* VMAs (include/mm/vma.h, mm/vma.c) */
	struct rb_root mm_rb;	      /* keyed by vm_start */
	struct list_head mmap_list;   /* sorted by address */
	int map_count;		      /* number of VMAs */
	struct fault_counters faults; /* this process's faults by kind
				       * (atomic adds: no lock) */
	struct mm_poe poe;	      /* POE state (include/mm/poe.h) */
	struct cpumask cpu_bitmap;    /* CPUs that may hold its TLB
				       * entries: see mm_cpumask() */
	unsigned long flags;	      /* MMF_* below; atomic or-s */
};

/*
 * mm->flags, Linux's bit numbers (<linux/sched/coredump.h>), set with
 * atomic or-s (mm/oom_kill.c): MMF_OOM_VICTIM, the OOM killer chose this
 * mm (under tasks_lock, while a task still used it); MMF_OOM_SKIP, its
 * teardown is done (mmput()), so the killer passes over it and waits for
 * it no more.
 */
#define MMF_OOM_SKIP   (1UL << 21)
#define MMF_OOM_VICTIM (1UL << 25)

/*
 * mm_cpumask - the CPUs that may have mm's translations in their TLB:
 * switch_mm() adds the CPU it loads mm on, a TLB shootdown's handler
 * removes a CPU that no longer runs mm (its CR3 reload dropped them).
 * A CPU whose kernel thread borrows mm (lazy TLB) still runs mm and
 * stays: its TLB may hold mm's entries, and its CPU may walk mm's tables.
 * flush_tlb_mm_range() sends its IPIs to these CPUs. Linux's.
 */
static inline struct cpumask *mm_cpumask(struct mm_struct *mm)
{
	return &mm->cpu_bitmap;
}

/*
 * update_hiwater_rss - raise mm->hiwater_rss to the current rss, before
 * rss goes down (the unmap paths call it), so that the peak is not lost.
 * Lock-free: the zaps of different page tables may race. Linux's.
 */
static inline void update_hiwater_rss(struct mm_struct *mm)
{
	unsigned long rss = mm->rss;
	unsigned long hw = __atomic_load_n(&mm->hiwater_rss, __ATOMIC_RELAXED);

	while (rss > hw &&
	       !__atomic_compare_exchange_n(&mm->hiwater_rss, &hw, rss, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/*
 * get_mm_hiwater_rss - the most pages mm has had mapped at once (its
 * peak resident set). Linux's.
 */
static inline unsigned long get_mm_hiwater_rss(struct mm_struct *mm)
{
	unsigned long rss = mm->rss;
	unsigned long hw = __atomic_load_n(&mm->hiwater_rss, __ATOMIC_RELAXED);

	return hw > rss ? hw : rss;
}

#endif
