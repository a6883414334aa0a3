/*
 * vma.c - the VMAs of an address space (include/mm/vma.h), as Linux's
 * mm/mmap.c bookkeeping: each mm keeps its vm_area_structs in a red-black
 * tree keyed by vm_start (kernel/rbtree.c) for O(log n) find_vma(), and in
 * a list sorted by address (mm->mmap_list) for walks, and counts them in
 * mm->map_count, at most max_map_count.
 *
 * This file only keeps the books: it never touches page tables. The mmap
 * family (mm/mmap.c), the fault handler (arch/x86_64/fault.c), exec and
 * fork call it while they hold mmap_lock (for writing, except find_vma()
 * and friends, which readers call too); nothing here locks or
 * sleeps.
 */
#include <kernel/cmdline.h>
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/string.h>
#include <mm/kmalloc.h>
#include <mm/mm_types.h>
#include <mm/page.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <asm/memlayout.h>

/* A file VMA's reference (fs/file_table.c, declared in kernel/fs.h, which
 * is not included: its uapi stat headers clash with the host's in the
 * host build of this file, tests/host). */
struct file *get_file(struct file *f);
void fput(struct file *f);

/* Linux's vm.max_map_count: at most this many VMAs per mm. */
int max_map_count = DEFAULT_MAX_MAP_COUNT;

static int set_max_map_count(const char *val)
{
	unsigned long n;

	if (kstrtoul(val, 0, &n) || n < 1 || n > 0x7fffffffUL)
		return -EINVAL;
	max_map_count = (int)n;
	return 0;
}
KERNEL_PARAM("vm.max_map_count", set_max_map_count,
	     "most VMAs one address space may have (default 65530)");

static inline struct vm_area_struct *rb_vma(struct rb_node *n)
{
	return n ? rb_entry(n, struct vm_area_struct, vm_rb) : NULL;
}

/* The VMAs just before and after vma in address order, or NULL. */
static struct vm_area_struct *vma_prev(struct mm_struct *mm,
				       struct vm_area_struct *vma)
{
	if (vma->vm_list.prev == &mm->mmap_list)
		return NULL;
	return list_entry(vma->vm_list.prev, struct vm_area_struct, vm_list);
}

static struct vm_area_struct *vma_next(struct mm_struct *mm,
				       struct vm_area_struct *vma)
{
	if (vma->vm_list.next == &mm->mmap_list)
		return NULL;
	return list_entry(vma->vm_list.next, struct vm_area_struct, vm_list);
}

/*
 * vma_init_mm - an empty VMA tree and list, map_count 0, in a new mm.
 * mmap_base is left to the caller. Called by mm_alloc() and the tests.
 */
void vma_init_mm(struct mm_struct *mm)
{
	mm->mm_rb = RB_ROOT;
	INIT_LIST_HEAD(&mm->mmap_list);
	mm->map_count = 0;
}

/*
 * vm_area_alloc - a zeroed VMA belonging to mm, not yet linked (its
 * vm_list is an empty list). Returns NULL when kzalloc() fails. Mirrors
 * Linux's vm_area_alloc().
 */
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = kzalloc(sizeof(*vma));

	if (!vma)
		return NULL;
	vma->vm_mm = mm;
	INIT_LIST_HEAD(&vma->vm_list);
	INIT_LIST_HEAD(&vma->shared);
	return vma;
}

/* vm_area_free - kfree() an unlinked VMA, dropping its file reference
 * (Linux's remove_vma() fput()s it); NULL is ignored. Mirrors Linux's. */
void vm_area_free(struct vm_area_struct *vma)
{
	if (vma && vma->vm_file) {
		unlink_file_vma(vma);
		fput(vma->vm_file);
	}
	kfree(vma);
}

void vma_set_file_from(struct vm_area_struct *new, struct vm_area_struct *old)
{
	new->vm_ops = old->vm_ops;
	new->vm_file = old->vm_file ? get_file(old->vm_file) : NULL;
	new->vm_pgoff =
		old->vm_file ?
			old->vm_pgoff + ((new->vm_start - old->vm_start) >>
					 PAGE_SHIFT) :
			0;
	if (new->vm_file)
		vma_link_file_after(new, old);
}

/*
 * find_vma - the VMA with the lowest vm_end above addr (it contains addr
 * when vm_start <= addr), or NULL when every VMA ends at or below addr.
 * One walk down the tree: O(log n). Mirrors Linux's find_vma().
 */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct rb_node *n = mm->mm_rb.rb_node;
	struct vm_area_struct *found = NULL;

	while (n) {
		struct vm_area_struct *vma = rb_vma(n);

		if (vma->vm_end > addr) {
			found = vma;
			if (vma->vm_start <= addr)
				break; /* addr is inside vma */
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return found;
}

/*
 * find_vma_intersection - the lowest VMA overlapping [start, end) (bytes),
 * or NULL (also for an empty range). O(log n). Mirrors Linux's
 * find_vma_intersection().
 */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm,
					     unsigned long start,
					     unsigned long end)
{
	struct vm_area_struct *vma;

	if (start >= end)
		return NULL;
	vma = find_vma(mm, start);
	return vma && vma->vm_start < end ? vma : NULL;
}

/*
 * vma_link - put vma into mm's tree and list and count it; no checks
 * beyond overlap. Returns 0 or -EEXIST when it overlaps a linked VMA.
 * The in-order neighbours of the new leaf are the last nodes where the
 * walk turned right (prev) and left (next), so checking every node on the
 * path finds any overlap.
 */
static int vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct rb_node **link = &mm->mm_rb.rb_node, *parent = NULL;
	struct vm_area_struct *prev = NULL;

	while (*link) {
		struct vm_area_struct *cur = rb_vma(*link);

		parent = *link;
		if (vma->vm_start < cur->vm_start) {
			if (vma->vm_end > cur->vm_start)
				return -EEXIST;
			link = &parent->rb_left;
		} else {
			if (cur->vm_end > vma->vm_start)
				return -EEXIST;
			prev = cur;
			link = &parent->rb_right;
		}
	}
	rb_link_node(&vma->vm_rb, parent, link);
	rb_insert_color(&vma->vm_rb, &mm->mm_rb);
	list_add(&vma->vm_list, prev ? &prev->vm_list : &mm->mmap_list);
	vma->vm_mm = mm;
	mm->map_count++;
	return 0;
}

/*
 * insert_vm_struct - link vma ([vm_start, vm_end) and vm_flags set by the
 * caller) into mm. Returns 0; -EINVAL when the range is empty, not page
 * aligned or ends above TASK_SIZE (the top page of user space is never
 * mapped); -EEXIST when it overlaps a VMA already
 * there; -ENOMEM when mm already has max_map_count VMAs. On error nothing
 * changed and the caller still owns vma. Does not merge (vma_merge() does).
 * Mirrors Linux's insert_vm_struct() (which says -ENOMEM for an overlap).
 */
int insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma)
{
	if (vma->vm_start >= vma->vm_end || vma->vm_end > TASK_SIZE ||
	    !IS_ALIGNED(vma->vm_start, PAGE_SIZE) ||
	    !IS_ALIGNED(vma->vm_end, PAGE_SIZE))
		return -EINVAL;
	if (mm->map_count >= max_map_count)
		return -ENOMEM;
	return vma_link(mm, vma);
}

/*
 * remove_vm_struct - unlink vma from mm's tree and list and uncount it;
 * the caller frees it (vm_area_free) or links it again. O(log n).
 * Mirrors the unlink half of Linux's remove_vma()/vma_complete().
 */
void remove_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma)
{
	rb_erase(&vma->vm_rb, &mm->mm_rb);
	list_del_init(&vma->vm_list);
	mm->map_count--;
}

/*
 * split_vma - cut vma at addr into [vm_start, addr) and [addr, vm_end),
 * same vm_flags. vma keeps the upper part when new_below, else the lower
 * part; the new VMA gets the other and is linked too. addr must be page
 * aligned and strictly inside vma. Returns 0, -EINVAL (bad addr), or
 * -ENOMEM (kzalloc failed, or mm already has max_map_count VMAs); on error
 * nothing changed. Mirrors Linux's split_vma().
 */
/* LAB vma: BEGIN */
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma,
	      unsigned long addr, int new_below)
{
	struct vm_area_struct *new;

	if (!IS_ALIGNED(addr, PAGE_SIZE) || addr <= vma->vm_start ||
	    addr >= vma->vm_end)
		return -EINVAL;
	if (mm->map_count >= max_map_count)
		return -ENOMEM;
	new = vm_area_alloc(mm);
	if (!new)
		return -ENOMEM;
	new->vm_flags = vma->vm_flags;
	new->vm_userfaultfd_ctx = vma->vm_userfaultfd_ctx;
	/*
	 * Shrink vma first so the new part does not overlap it. vma's tree
	 * key may grow (new_below) but stays below its successor's, so the
	 * tree stays ordered without relinking vma.
	 */
	if (new_below) {
		new->vm_start = vma->vm_start;
		new->vm_end = addr;
		vma_set_file_from(new, vma);
		vma->vm_start = addr;
		/* A file VMA's upper part starts further into the file. */
		if (vma->vm_file)
			vma->vm_pgoff += (addr - new->vm_start) >> PAGE_SHIFT;
	} else {
		new->vm_start = addr;
		new->vm_end = vma->vm_end;
		vma_set_file_from(new, vma);
		vma->vm_end = addr;
	}
	if (vma_link(mm, new))
		BUG(); /* cannot overlap: it was part of vma */
	return 0;
}
/* LAB vma: END */
/* LAB vma: STUB
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma,
	      unsigned long addr, int new_below)
{
	(void)mm;
	(void)vma;
	(void)addr;
	(void)new_below;
	return -ENOSYS;
}
*/

/* Can a (below) and b (above) become one VMA? */
/* LAB vma: BEGIN */
static bool can_merge(const struct vm_area_struct *a,
		      const struct vm_area_struct *b)
{
	/* File VMAs: the same file, contiguous in it (Linux's
	 * is_mergeable_vma() and can_vma_merge_after()). */
	return a && b && a->vm_end == b->vm_start &&
	       a->vm_flags == b->vm_flags && a->vm_file == b->vm_file &&
	       a->vm_ops == b->vm_ops &&
	       a->vm_userfaultfd_ctx == b->vm_userfaultfd_ctx &&
	       (!a->vm_file ||
		a->vm_pgoff + ((a->vm_end - a->vm_start) >> PAGE_SHIFT) ==
			b->vm_pgoff);
}
/* LAB vma: END */
/* LAB vma: STUB
*/

/*
 * vma_merge - join linked vma with the VMA just below and/or just above it
 * when they touch it (no gap) and have the same vm_flags. The lower VMA
 * survives and grows; the others are unlinked and freed (vma itself too,
 * when the one below absorbs it). Returns the VMA that now covers vma's
 * range (vma when nothing merged). Cannot fail. Mirrors what Linux's
 * vma_merge() does for the anonymous mappings this kernel has.
 */
/* LAB vma: BEGIN */
struct vm_area_struct *vma_merge(struct mm_struct *mm,
				 struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma_prev(mm, vma);
	struct vm_area_struct *next = vma_next(mm, vma);

	if (can_merge(prev, vma)) {
		/* prev's vm_end grows; its tree key (vm_start) does not change. */
		remove_vm_struct(mm, vma);
		prev->vm_end = vma->vm_end;
		vm_area_free(vma);
		vma = prev;
	}
	if (can_merge(vma, next)) {
		remove_vm_struct(mm, next);
		vma->vm_end = next->vm_end;
		vm_area_free(next);
	}
	return vma;
}
/* LAB vma: END */
/* LAB vma: STUB
struct vm_area_struct *vma_merge(struct mm_struct *mm,
				 struct vm_area_struct *vma)
{
	(void)mm;
	(void)vma_prev;
	(void)vma_next;
	return vma;
}
*/

/*
 * get_unmapped_area - a free, page-aligned range of len bytes (rounded up
 * to pages) in mm. The hint, rounded down to a page, when [hint, hint+len)
 * is free and inside [MMAP_MIN_ADDR, TASK_SIZE); otherwise the highest free
 * range that ends at or below mm->mmap_base and starts at or above
 * MMAP_MIN_ADDR (Linux's top-down layout; no bottom-up fallback). Returns
 * the address, -EINVAL for len 0, or -ENOMEM when nothing fits (always
 * when len is above TASK_SIZE - MMAP_MIN_ADDR). O(log n)
 * for the hint, O(n) for the search (Linux keeps per-subtree gaps for that;
 * we walk the list down from mmap_base). Mirrors Linux's
 * get_unmapped_area() for anonymous mappings without MAP_FIXED.
 */
long get_unmapped_area(struct mm_struct *mm, unsigned long hint,
		       unsigned long len)
{
	struct vm_area_struct *vma;
	struct list_head *pos;
	unsigned long gap_end, low;

	if (!len)
		return -EINVAL;
	/* Before rounding up: a len near 2^64 must not wrap to a small one. */
	if (len > TASK_SIZE - MMAP_MIN_ADDR)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);

	if (hint) {
		hint = ALIGN_DOWN(hint, PAGE_SIZE);
		if (hint >= MMAP_MIN_ADDR && hint <= TASK_SIZE - len) {
			vma = find_vma(mm, hint);
			if (!vma || hint + len <= vma->vm_start)
				return (long)hint;
		}
	}

	gap_end = ALIGN_DOWN(MIN(mm->mmap_base, TASK_SIZE), PAGE_SIZE);
	low = MMAP_MIN_ADDR + len; /* the lowest gap_end that can fit */
	if (gap_end < low)
		return -ENOMEM;
	/* Start at the first VMA ending above gap_end, or the last one. */
	vma = find_vma(mm, gap_end);
	if (vma) {
		if (vma->vm_start < gap_end)
			gap_end = vma->vm_start; /* it straddles mmap_base */
		pos = vma->vm_list.prev;
	} else {
		pos = mm->mmap_list.prev;
	}
	/* Walk down: each VMA ends a gap [vm_end, gap_end). */
	for (; pos != &mm->mmap_list; pos = pos->prev) {
		vma = list_entry(pos, struct vm_area_struct, vm_list);
		if (gap_end < low)
			return -ENOMEM;
		if (gap_end - len >= vma->vm_end)
			return (long)(gap_end - len);
		gap_end = vma->vm_start;
	}
	return gap_end >= low ? (long)(gap_end - len) : -ENOMEM;
}

/*
 * vma_check - verify mm's VMA books: the list is sorted and
 * non-overlapping, each VMA is non-empty, page aligned and belongs to mm,
 * the tree's in-order sequence is the list, map_count is their number, and
 * the tree is a red-black tree (rb_check()). Returns 0, or minus the line
 * number of the first broken rule: here, or in kernel/rbtree.c for a
 * red-black rule. O(n). For tests and debugging (Linux's validate_mm()).
 */
int vma_check(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *prev = NULL;
	struct rb_node *n = rb_first(&mm->mm_rb);
	int count = 0;

	for_each_vma(mm, vma) {
		if (vma->vm_start >= vma->vm_end)
			return -__LINE__;
		if (!IS_ALIGNED(vma->vm_start, PAGE_SIZE) ||
		    !IS_ALIGNED(vma->vm_end, PAGE_SIZE))
			return -__LINE__;
		if (vma->vm_mm != mm)
			return -__LINE__;
		if (prev && prev->vm_end > vma->vm_start)
			return -__LINE__;
		if (n != &vma->vm_rb) /* tree in-order == list */
			return -__LINE__;
		n = rb_next(n);
		prev = vma;
		if (++count > mm->map_count)
			return -__LINE__;
	}
	if (n) /* tree has more nodes */
		return -__LINE__;
	if (count != mm->map_count)
		return -__LINE__;
	return rb_check(&mm->mm_rb);
}
