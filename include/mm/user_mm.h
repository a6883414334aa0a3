/*
 * user_mm.h - user address spaces (mm/user_mm.c): creating, copying,
 * switching and destroying them, and the calls the loaders use to map and
 * fill user pages before the program runs. The kernel half (PML4 entries
 * 256..511) of every address space is shared with the kernel's own page
 * table (init_pgd_phys); the user half is private. Also the user layout:
 * where the stack and mmap go.
 */
#ifndef MM_USER_MM_H
#define MM_USER_MM_H

#include <mm/mm_types.h>
#include <mm/page.h>

/*
 * TASK_SIZE - the end of what a process may map (bytes, exclusive). In
 * Linux TASK_SIZE is the current task's limit and TASK_SIZE_MAX the
 * largest any task has; every task here is a 64-bit one, so they are the
 * same limit, defined once (asm/memlayout.h says why the last page below
 * the 47-bit limit stays out). mmap(), MAP_FIXED, munmap(), the ELF
 * loader and insert_vm_struct() refuse any range that ends above
 * TASK_SIZE; mprotect() and madvise() find no VMA there (-ENOMEM).
 */
#define TASK_SIZE TASK_SIZE_MAX

/*
 * Where exec puts the stack and mmap (docs/address-space.md): these are
 * the places without randomization (norandmaps, ADDR_NO_RANDOMIZE);
 * with it, exec (kernel/exec.c) moves the stack top and the mmap base
 * down, and the heap's start up, by a random number of pages in the
 * ranges below, Linux's for x86-64.
 */
#define USER_STACK_TOP	TASK_SIZE	     /* Linux's STACK_TOP */
#define USER_STACK_SIZE (128UL * 1024)	     /* bytes, mapped at exec */
#define USER_MMAP_BASE	0x00007f0000000000UL /* mmap grows down from */

/* Stack top: up to this many pages lower (16 GiB), Linux's 64-bit
 * STACK_RND_MASK; and the first stack pointer up to STACK_ALIGN_RND
 * bytes below the strings (arch_align_stack(): 8 KiB, 16-byte steps). */
#define STACK_RND_MASK	0x3fffffUL
#define STACK_ALIGN_RND 8192UL
/* mmap base: up to 2^MMAP_RND_BITS pages lower (1 TiB), Linux's default
 * CONFIG_ARCH_MMAP_RND_BITS on x86-64 (arch_mmap_rnd()). */
#define MMAP_RND_BITS	28
/* Heap start: up to this many bytes above the program (1 GiB), as
 * Linux's arch_randomize_brk() gives a 64-bit program (Debian's 6.1.192
 * does; older kernels took 32 MiB). */
#define BRK_RND_RANGE	0x40000000UL
/* The lowest address mmap hands out or accepts for MAP_FIXED (bytes):
 * Linux's default vm.mmap_min_addr, so that NULL + a small offset stays
 * unmapped. */
#define MMAP_MIN_ADDR	0x10000UL

/*
 * mm_alloc - a new, empty address space (users = 1). Returns NULL when out
 * of memory. Mirrors Linux's mm_alloc().
 */
struct mm_struct *mm_alloc(void);

/*
 * dup_mm - a copy of oldmm for fork(): the same VMAs (POE regions become
 * ordinary ones), and every mapped page shared with oldmm: private pages
 * copy-on-write (read-only in both until one writes; mm/fault.c
 * do_wp_page), shared ones as they are (copy_page_range()). The heap and
 * stack bounds, mmap_base and the personality are copied too. Pending POE entries of oldmm are accounted
 * first. Returns NULL when out of memory (nothing is leaked). Mirrors
 * Linux's dup_mm().
 */
struct mm_struct *dup_mm(struct mm_struct *oldmm);

/* mmget - one more user of mm (CLONE_VM). Linux's mmget(). */
void mmget(struct mm_struct *mm);

/*
 * mmput - drop a user; the last one tears the address space down (every
 * user page, every page-table page below the PML4, the VMAs; mm->users
 * reads 0 after) and drops the users' reference to the struct itself.
 * The PML4 goes with the last mmdrop(). Process context, interrupts on
 * (the teardown's shootdowns wait for other CPUs). Mirrors Linux's
 * mmput().
 */
void mmput(struct mm_struct *mm);

/*
 * mmgrab / mmdrop - a reference to the struct mm_struct and its PML4
 * only (Linux's mm_count): for kernel threads that work on an mm in the
 * background (POE pre-fault), and for a kernel thread that runs on the
 * page table of the task before it (lazy TLB, task->active_mm). The
 * address space may be torn down meanwhile, so background threads check
 * mm->users != 0 under mmap_lock before touching it (mmput() tears down
 * under mmap_lock for writing). The last mmdrop frees the PML4 and the
 * struct (Linux's __mmdrop()); it takes spinlocks only, so the scheduler
 * may call it with interrupts off.
 */
void mmgrab(struct mm_struct *mm);
void mmdrop(struct mm_struct *mm);

/*
 * switch_mm - load mm's page table into CR3 (NULL: the kernel's own),
 * unless it is loaded already, and add this CPU to mm_cpumask(mm) so
 * that TLB shootdowns reach it. Takes no reference: the caller makes
 * sure mm outlives its stay in CR3 (current->mm or current->active_mm).
 * Call with interrupts off (the scheduler does) or where the task cannot
 * move to another CPU or be preempted. Linux's switch_mm().
 */
void switch_mm(struct mm_struct *mm);

/*
 * switch_mm_cr3_loads - how many times switch_mm() has written CR3 on
 * CPU cpu since boot (0 <= cpu < NR_CPUS). Each write flushes the TLB
 * (under QEMU's TCG, all of it); what lazy TLB saves shows up here. For
 * tests and statistics; other CR3 writes (a shootdown's full flush) are
 * not counted. Our own.
 */
unsigned long switch_mm_cr3_loads(int cpu);

/*
 * map_user_pages - make [start, start + len) (bytes, page aligned) a
 * private VMA with rights prot (PROT_READ/WRITE/EXEC of <sys/mman.h>; no
 * EXEC means NX, PROT_NONE keeps the pages not present) and map a fresh
 * zeroed page at every address now, not on demand: exec's program and
 * initial stack, filled with copy_to_mm(). Returns 0, -EINVAL for an
 * empty range, one not inside [PAGE_SIZE, TASK_SIZE) or unaligned,
 * -EEXIST if a VMA overlaps it, -ENOMEM (nothing is left mapped on
 * failure).
 */
int map_user_pages(struct mm_struct *mm, unsigned long start, unsigned long len,
		   int prot);

/*
 * protect_user_pages - change the rights of [start, start + len) (bytes,
 * page aligned) to prot (as map_user_pages): do_mprotect() for kernel
 * callers. Returns 0, -EINVAL (unaligned or not inside [PAGE_SIZE,
 * TASK_SIZE)) or -ENOMEM when part of the range has no VMA (the VMAs
 * before the first hole have changed, as Linux's mprotect(2) leaves
 * them). Linux's mprotect(2) semantics.
 */
int protect_user_pages(struct mm_struct *mm, unsigned long start,
		       unsigned long len, int prot);

/*
 * unmap_user_pages - do_munmap() of [start, start + len) (bytes, page
 * aligned) for kernel callers: VMAs cut or removed, pages freed; holes
 * are fine. Returns 0, -EINVAL (unaligned, not inside [PAGE_SIZE,
 * TASK_SIZE)) or -ENOMEM (splitting a VMA would pass max_map_count). Flushes the TLB when mm is
 * the current one.
 */
int unmap_user_pages(struct mm_struct *mm, unsigned long start,
		     unsigned long len);

/*
 * user_page_phys - the physical address that user address va (any byte)
 * maps to in mm, or 0 when no page is mapped there or it is the shared
 * zero page (which must never be written). Takes mmap_lock for reading
 * and page_table_lock; may sleep. For loaders
 * and tests that reach a not-yet-active mm through the direct map (Linux
 * reaches another mm's pages with get_user_pages_remote()).
 */
phys_addr_t user_page_phys(struct mm_struct *mm, unsigned long va);

/*
 * copy_to_mm - write len bytes from the kernel buffer src to user address
 * va of mm through the direct map, whatever the PTE rights and whether or
 * not mm is active. Returns 0, or -EFAULT when a page in the range is not
 * mapped (bytes before it are written). Like Linux's access_remote_vm().
 */
int copy_to_mm(struct mm_struct *mm, unsigned long va, const void *src,
	       size_t len);

#endif
