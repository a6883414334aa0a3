/*
 * vma.h - virtual memory areas (mm/vma.c), as Linux's vm_area_struct: each
 * VMA is a page-aligned range [vm_start, vm_end) of one address space with
 * one set of rights. An mm keeps its VMAs in a balanced search tree (for
 * find_vma) and in a list sorted by address (for walks), and counts them
 * (map_count, limited to max_map_count like Linux's 65530).
 */
#ifndef MM_VMA_H
#define MM_VMA_H

#include <kernel/list.h>
#include <kernel/rbtree.h>
#include <kernel/types.h>

struct mm_struct;
struct file;
struct page;
struct vm_area_struct;
struct userfaultfd_ctx;

/*
 * vm_operations_struct - what a file VMA's faults call (Linux's
 * <linux/mm.h>, reduced to ->fault). fault: the file's page at page
 * index pgoff (vm_pgoff plus the page's offset in the VMA), in *pagep
 * with one more reference (the caller's, for the mapping), allocated
 * when it is a hole below i_size. Returns 0, VM_FAULT_SIGBUS (the page
 * lies wholly past the end of the file) or VM_FAULT_OOM. Never sleeps:
 * a fault may come from a read() of the same file into its own mapping
 * (holding i_mutex), so it must not take i_mutex.
 */
struct vm_operations_struct {
	unsigned int (*fault)(struct vm_area_struct *vma, unsigned long pgoff,
			      struct page **pagep);
};

/* vm_flags: Linux's values (include/linux/mm.h) */
#define VM_NONE	     0x00000000UL
#define VM_READ	     0x00000001UL
#define VM_WRITE     0x00000002UL
#define VM_EXEC	     0x00000004UL
#define VM_SHARED    0x00000008UL
#define VM_MAYREAD   0x00000010UL
#define VM_MAYWRITE  0x00000020UL
#define VM_MAYEXEC   0x00000040UL
#define VM_MAYSHARE  0x00000080UL
#define VM_GROWSDOWN 0x00000100UL /* the stack: grows on faults below */
#define VM_LOCKED    0x00002000UL /* mlock(2): populated, never reclaimed */
#define VM_LOCKONFAULT \
	0x00080000UL /* with VM_LOCKED: lock pages as
		      * they fault in, no populate */
#define VM_POE \
	0x00800000UL /* POE region: pre-fault marks its
		      * PTEs (include/mm/poe.h) */

/* A range registered with a userfaultfd in MISSING mode: a missing page
 * there is the monitor's to provide (fs/userfaultfd.c). Never set
 * together with a POE mark in the range (docs/userfaultfd.md). */
#define VM_UFFD_MISSING 0x00000200UL
/* Registered in write-protect mode: a write to a page whose PTE carries
 * _PAGE_UFFD_WP is the monitor's to resolve (fs/userfaultfd.c). */
#define VM_UFFD_WP	0x00001000UL
/* Both modes; Linux's __VM_UFFD_FLAGS (without VM_UFFD_MINOR). */
#define __VM_UFFD_FLAGS (VM_UFFD_MISSING | VM_UFFD_WP)

/* madvise(MADV_HUGEPAGE) / madvise(MADV_NOHUGEPAGE): whether faults may
 * map 2 MiB pages here (include/mm/huge_mm.h, hugepage_vma_check()). */
#define VM_HUGEPAGE   0x20000000UL
#define VM_NOHUGEPAGE 0x40000000UL

/* Both lock flags; Linux's VM_LOCKED_MASK (~it is VM_LOCKED_CLEAR_MASK). */
#define VM_LOCKED_MASK (VM_LOCKED | VM_LOCKONFAULT)

#define DEFAULT_MAX_MAP_COUNT 65530 /* Linux's vm.max_map_count */

struct vm_area_struct {
	unsigned long vm_start; /* first byte */
	unsigned long vm_end;	/* one past the last byte */
	unsigned long vm_flags; /* VM_* */
	struct mm_struct *vm_mm;
	struct rb_node vm_rb;	  /* in mm->mm_rb, keyed by vm_start */
	struct list_head vm_list; /* in mm->mmap_list, sorted */
	/* File mappings (mmap of a ramfs file); NULL / 0 for anonymous. */
	struct file *vm_file;	/* holds a reference (get_file()) */
	unsigned long vm_pgoff; /* file offset of vm_start, in pages */
	const struct vm_operations_struct *vm_ops;
	/* In the file's address_space->i_mmap (i_mmap_rwsem), while
	 * vm_file is set: how truncate finds the mappings of a file.
	 * Linux's vma->shared. */
	struct list_head shared;
	/* The userfaultfd the range is registered with (VM_UFFD_MISSING),
	 * or NULL; no reference: the context's release clears it under
	 * mmap_lock for writing before it can go. Linux's
	 * vm_userfaultfd_ctx. */
	struct userfaultfd_ctx *vm_userfaultfd_ctx;
};

/* vma_is_anonymous - no file behind it. Linux's. */
static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return !vma->vm_file;
}

/*
 * vma_set_file_from - give new the file, page offset (adjusted for its
 * start) and operations of old, taking a file reference: split, fork
 * and mremap's copies. new goes into the file's i_mmap right after old,
 * as Linux's dup_mmap() inserts it: a truncate walking the list reaches
 * the copy after the original, so a copy of PTEs made before the
 * original was unmapped is unmapped too. Linux's vm_area_dup() +
 * vma_set_file() + vma_interval_tree_insert_after().
 */
void vma_set_file_from(struct vm_area_struct *new, struct vm_area_struct *old);

/*
 * vma_link_file - put vma (vm_file set) into its file's i_mmap, at the
 * tail; unlink_file_vma - take it out (vm_area_free() does). Each takes
 * the file's i_mmap_rwsem for writing; the caller holds vma's mm's
 * mmap_lock for writing, or owns a VMA no other CPU can see yet.
 * Linux's vma_link_file() and unlink_file_vma() (mm/truncate.c).
 */
void vma_link_file(struct vm_area_struct *vma);
void unlink_file_vma(struct vm_area_struct *vma);
/* vma_link_file_after - vma_link_file() of new right after old, which is
 * in the same file's i_mmap (vma_set_file_from()). */
void vma_link_file_after(struct vm_area_struct *new,
			 struct vm_area_struct *old);

/* Iterate over mm's VMAs in address order. */
#define for_each_vma(mm, vma) \
	list_for_each_entry(vma, &(mm)->mmap_list, vm_list)

/* vma_init_mm - empty VMA tree and list in a new mm (called by mm_alloc). */
void vma_init_mm(struct mm_struct *mm);

/* vm_area_alloc - a zeroed VMA for mm (not inserted); NULL if no memory. */
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);

/* vm_area_free - free a VMA that is not (or no longer) in its mm, dropping
 * its file reference. */
void vm_area_free(struct vm_area_struct *vma);

/*
 * find_vma - the first VMA with vm_end > addr (it may start above addr),
 * or NULL. O(log n). Mirrors Linux's find_vma().
 */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);

/* find_vma_intersection - a VMA overlapping [start, end), or NULL. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm,
					     unsigned long start,
					     unsigned long end);

/*
 * insert_vm_struct - link vma into its mm. Returns 0, -EINVAL when it is
 * empty, not page aligned or ends above TASK_SIZE (include/mm/
 * user_mm.h), -EEXIST when it overlaps an existing VMA, -ENOMEM when mm
 * already has max_map_count VMAs. Does not merge (see vma_merge).
 */
int insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma);

/* remove_vm_struct - unlink vma from its mm (the caller frees it). */
void remove_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma);

/*
 * split_vma - cut vma in two at addr (page aligned, strictly inside it).
 * The new VMA gets the part below addr when new_below is true, else the
 * part above; both stay linked. Returns 0, -EINVAL (bad addr) or -ENOMEM
 * (no memory, or the map_count limit). Mirrors Linux's split_vma().
 */
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma,
	      unsigned long addr, int new_below);

/*
 * vma_merge - merge vma with its neighbours when they touch it and have
 * the same vm_flags; the absorbed VMAs are unlinked and freed. Returns the
 * VMA that now covers vma's range. Mirrors Linux's vma_merge().
 */
struct vm_area_struct *vma_merge(struct mm_struct *mm,
				 struct vm_area_struct *vma);

/*
 * get_unmapped_area - a free, page-aligned range of len bytes: at hint if
 * [hint, hint+len) is free and below TASK_SIZE (hint rounded down to a
 * page), else the highest free range below mm->mmap_base and above
 * MMAP_MIN_ADDR (64 KiB, include/mm/user_mm.h). Returns the address, or
 * -ENOMEM.
 */
long get_unmapped_area(struct mm_struct *mm, unsigned long hint,
		       unsigned long len);

/* vma_check - verify tree/list/count agree and VMAs do not overlap:
 * returns 0 or a negative line number of the first broken invariant. */
int vma_check(struct mm_struct *mm);

extern int max_map_count;

#endif
