/*
 * fault.h - the generic page-fault handler (mm/fault.c) and the words the
 * architecture's handler (arch/x86_64/fault.c) asks it in: Linux's enum
 * fault_flag and vm_fault_t (<linux/mm_types.h>) and handle_mm_fault()
 * (<linux/mm.h>). Nothing here knows the x86 error code.
 */
#ifndef MM_FAULT_H
#define MM_FAULT_H

#include <kernel/errno.h>
#include <kernel/types.h>
#include <mm/fault_stats.h>

struct mm_struct;
struct vm_area_struct;

/* What kind of access faulted, and whose: Linux's values (those we use). */
enum fault_flag {
	FAULT_FLAG_WRITE = 1 << 0,	 /* a write (else a read or fetch) */
	FAULT_FLAG_ALLOW_RETRY = 1 << 2, /* the handler may drop mmap_lock,
					  * sleep, and answer VM_FAULT_RETRY
					  * (handle_userfault()) */
	FAULT_FLAG_USER = 1 << 6,	 /* made by user mode (not by a
					  * kernel user copy, not by
					  * MAP_POPULATE) */
	FAULT_FLAG_INSTRUCTION = 1 << 8, /* an instruction fetch */
	/* Ours: mmap_lock is held for writing, not reading, so that a
	 * handler that drops it knows which (Linux always holds it for
	 * reading, or a VMA lock, when it may retry). */
	FAULT_FLAG_MMAP_WRITE_LOCKED = 1 << 20,
};

/* What handle_mm_fault() did: 0, or VM_FAULT_* bits (Linux's values). */
typedef unsigned int vm_fault_t;
enum vm_fault_reason {
	VM_FAULT_OOM = 0x000001,      /* no memory for a page or table */
	VM_FAULT_SIGSEGV = 0x000040,  /* the access cannot be allowed */
	VM_FAULT_SIGBUS = 0x000002,   /* a file page past the end of file,
				       * or a userfault that may not wait */
	VM_FAULT_RETRY = 0x000400,    /* mmap_lock was dropped (the handler
				       * slept: handle_userfault()); retry
				       * the access from the start */
	VM_FAULT_FALLBACK = 0x000800, /* a huge page could not be used:
				       * handle the fault with 4 KiB pages
				       * (include/mm/huge_mm.h) */
};
#define VM_FAULT_ERROR (VM_FAULT_OOM | VM_FAULT_SIGSEGV | VM_FAULT_SIGBUS)

/*
 * vm_fault_to_errno - 0, -ENOMEM (VM_FAULT_OOM) or -EFAULT
 * (VM_FAULT_SIGSEGV) for handle_mm_fault()'s result. Linux's, without
 * its FOLL_* argument (we have no hardware-poisoned pages).
 */
static inline int vm_fault_to_errno(vm_fault_t fault)
{
	if (fault & VM_FAULT_OOM)
		return -ENOMEM;
	if (fault & (VM_FAULT_SIGSEGV | VM_FAULT_SIGBUS))
		return -EFAULT;
	return 0;
}

/*
 * handle_mm_fault - make the access flags (FAULT_FLAG_*) at user address
 * address (bytes) in vma work: build missing page-table levels, then map
 * the zero page or a new zeroed page, or copy a copy-on-write page. The
 * caller holds vma->vm_mm->mmap_lock (for reading is enough) and no
 * page-table lock: this takes page_table_lock to hook in a missing table,
 * and the PTE table's lock to check and set the PTE; it has found vma
 * and checked that its vm_flags allow the access (the arch fault
 * handler, or MAP_POPULATE). Never sleeps, but for a missing page of a
 * range registered with userfaultfd: with FAULT_FLAG_ALLOW_RETRY it then
 * drops mmap_lock, sleeps until the monitor resolves the page
 * (handle_userfault(), docs/userfaultfd.md) and returns VM_FAULT_RETRY
 * with the lock no longer held; without it, VM_FAULT_SIGBUS. It
 * allocates and fills a page with no lock held (the caller's interrupts
 * on, if they were). Counts the fault (FAULT_TOTAL, and the kinds of
 * fault_stats.h). Returns 0 when the access may be retried, VM_FAULT_OOM,
 * VM_FAULT_RETRY, VM_FAULT_SIGBUS, or VM_FAULT_SIGSEGV (a PROT_NONE page
 * in a VMA that allows the access, which mprotect never leaves). Linux's
 * handle_mm_fault(), without its pt_regs (for perf events) argument.
 */
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags);

/*
 * count_fault - count one fault of this kind for mm and for the machine
 * (include/mm/fault_stats.h): an atomic add to mm's count, and one to
 * this CPU's (this_cpu_add()). Needs no lock. Linux's count_vm_event()
 * for the machine's count.
 */
void count_fault(struct mm_struct *mm, enum fault_kind kind);

/*
 * count_faults - count n faults of this kind at once, as count_fault()
 * does one: for work that accounts faults in batches (POE's post-fault
 * work). Linux's count_vm_events().
 */
void count_faults(struct mm_struct *mm, enum fault_kind kind, unsigned long n);

#endif
