/*
 * userfaultfd.h - the kernel's side of userfaultfd(2) (docs/userfaultfd.md):
 * the fault path's hook (fs/userfaultfd.c) and the page fills the ioctls
 * make (mm/userfaultfd.c). Linux's <linux/userfaultfd_k.h>. The ABI is
 * <linux/userfaultfd.h> (include/uapi/linux/userfaultfd.h).
 */
#ifndef KERNEL_USERFAULTFD_H
#define KERNEL_USERFAULTFD_H

#include <kernel/atomic.h>
#include <kernel/list.h>
#include <kernel/types.h>
#include <mm/fault.h>
#include <mm/vma.h>

struct file;
struct mm_struct;
struct userfaultfd_ctx;

/*
 * userfaultfd_ioctl - the ioctls of a userfaultfd (its unlocked_ioctl):
 * UFFDIO_API first (every other command before it: -EINVAL), then
 * UFFDIO_REGISTER, UFFDIO_UNREGISTER, UFFDIO_WAKE, UFFDIO_COPY,
 * UFFDIO_ZEROPAGE and UFFDIO_WRITEPROTECT on ranges of the address space the fd was made in.
 * arg: the user address of the command's struct. Returns 0 or -errno
 * (each command's in docs/userfaultfd.md; an unknown command: -EINVAL).
 * Linux's userfaultfd_ioctl().
 */
long userfaultfd_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/*
 * userfaultfd_missing - is vma registered in MISSING mode, so that a
 * missing page there goes to handle_userfault()? Linux's.
 */
static inline bool userfaultfd_missing(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_UFFD_MISSING;
}

/*
 * userfaultfd_wp - is vma registered in write-protect mode? Linux's.
 */
static inline bool userfaultfd_wp(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_UFFD_WP;
}

/*
 * userfaultfd_pte_wp - is a write to pte of vma the monitor's: the range
 * registered in write-protect mode and the page write-protected there
 * (_PAGE_UFFD_WP)? A bit left over from an earlier registration is not.
 * Linux's.
 */
static inline bool userfaultfd_pte_wp(const struct vm_area_struct *vma,
				      pte_t pte)
{
	return userfaultfd_wp(vma) && pte_uffd_wp(pte);
}

/*
 * handle_userfault - a fault the monitor resolves, at user address
 * address (bytes) of vma, flags FAULT_FLAG_*; reason VM_UFFD_MISSING (a
 * missing page, PTE none or a POE mark, of a VM_UFFD_MISSING vma) or
 * VM_UFFD_WP (a write to a page write-protected by the userfaultfd:
 * userfaultfd_pte_wp()). mmap_lock held (for writing when
 * FAULT_FLAG_MMAP_WRITE_LOCKED). Queues a UFFD_EVENT_PAGEFAULT message
 * (UFFD_PAGEFAULT_FLAG_WP for a write-protect fault) for the monitor's
 * read(2), drops mmap_lock and sleeps until a UFFDIO_COPY,
 * UFFDIO_ZEROPAGE, UFFDIO_WRITEPROTECT that removes the protection, or
 * UFFDIO_WAKE covers the address, the
 * userfaultfd is closed, or a signal comes; then returns VM_FAULT_RETRY
 * with mmap_lock released: the caller retries the access from the start.
 * VM_FAULT_SIGBUS (mmap_lock still held) at once when the userfaultfd has
 * UFFD_FEATURE_SIGBUS (the thread gets SIGBUS, a user copy -EFAULT),
 * and when it may not wait: no FAULT_FLAG_ALLOW_RETRY (MAP_POPULATE, mlock, a fault that must not
 * sleep), a kernel-mode fault under UFFD_USER_MODE_ONLY, or a kernel-mode
 * fault with a signal pending. Linux's handle_userfault()
 * (fs/userfaultfd.c).
 */
vm_fault_t handle_userfault(struct vm_area_struct *vma, unsigned long address,
			    unsigned int flags, unsigned long reason);

/*
 * userfaultfd_remove - madvise(MADV_DONTNEED) is about to drop the pages
 * of [start, end) (bytes, page aligned, inside vma; mmap_lock held for
 * writing). If vma is registered with a userfaultfd that asked for
 * UFFD_FEATURE_EVENT_REMOVE: queue a UFFD_EVENT_REMOVE message
 * (arg.remove.start, .end), drop mmap_lock, and sleep until the monitor
 * has read it, the fd is closed, or SIGKILL comes; return false: the
 * caller takes mmap_lock again and looks the VMA up anew. Meanwhile the
 * fd's UFFDIO_COPY and UFFDIO_ZEROPAGE fail with -EAGAIN. Otherwise
 * return true, the lock untouched. Linux's userfaultfd_remove()
 * (fs/userfaultfd.c; man 2 ioctl_userfaultfd, UFFD_FEATURE_EVENT_REMOVE),
 * where madvise holds mmap_lock for reading.
 */
bool userfaultfd_remove(struct vm_area_struct *vma, unsigned long start,
			unsigned long end);

/*
 * userfaultfd_unmap_prep - [start, end) (bytes, page aligned, the whole
 * range of the munmap, mremap shrink or MAP_FIXED mapping) is about to
 * be unmapped; mmap_lock held for writing, the VMAs split at start and
 * end. For each userfaultfd with UFFD_FEATURE_EVENT_UNMAP that
 * registered a VMA in the range, once per userfaultfd, put an entry on
 * unmaps (a list the caller initialised) holding a reference, and make
 * the fd's fills fail with -EAGAIN until the event is read. 0 or -ENOMEM
 * (the entries made so far stay on unmaps). The caller passes unmaps to
 * userfaultfd_unmap_complete() after dropping mmap_lock, whatever
 * happened. Linux's userfaultfd_unmap_prep().
 */
int userfaultfd_unmap_prep(struct mm_struct *mm, unsigned long start,
			   unsigned long end, struct list_head *unmaps);

/*
 * userfaultfd_unmap_complete - for each entry of unmaps (from
 * userfaultfd_unmap_prep()), queue a UFFD_EVENT_UNMAP message
 * (arg.remove.start, .end: the unmapped range) and sleep until the
 * monitor has read it, the fd is closed, or SIGKILL comes; then free
 * the entry. mmap_lock not held: the unmap is done and visible when the
 * monitor reads the message. Linux's userfaultfd_unmap_complete().
 */
void userfaultfd_unmap_complete(struct mm_struct *mm, struct list_head *unmaps);

/*
 * dup_userfaultfd - fork: vma is the child's copy of the parent's VMA
 * orig (mmap_lock of both mms held for writing). If orig is registered
 * with a userfaultfd that asked for UFFD_FEATURE_EVENT_FORK, register
 * vma with a new context for the child's mm: one per parent context and
 * fork (kept on fcs, a list the caller initialised), with the parent's
 * features and flags, and orig's registration flags; the parent's
 * context is referenced and its fills answer -EAGAIN until the event is
 * read. Otherwise vma stays unregistered. 0 or -ENOMEM (vma untouched).
 * The caller passes fcs to dup_userfaultfd_complete() once the copy is
 * done and both locks are dropped, or to dup_userfaultfd_fail() when the
 * copy failed. Linux's dup_userfaultfd() (fs/userfaultfd.c).
 */
int dup_userfaultfd(struct vm_area_struct *vma,
		    const struct vm_area_struct *orig, struct list_head *fcs);

/*
 * dup_userfaultfd_complete - for each entry of fcs (from
 * dup_userfaultfd()), queue a UFFD_EVENT_FORK message on the parent's
 * userfaultfd and sleep (killable) until the monitor has read it; the
 * read makes a new fd for the child's context in the reader's fd table
 * (arg.fork.ufd). If the parent's fd is closed or SIGKILL comes first,
 * the child's VMAs lose that registration and the context goes. Frees
 * the entries. No lock held. Linux's dup_userfaultfd_complete().
 */
void dup_userfaultfd_complete(struct list_head *fcs);

/*
 * dup_userfaultfd_fail - the fork's copy failed: drop what
 * dup_userfaultfd() took for each entry of fcs (the new contexts, the
 * parent contexts' references and -EAGAIN counts) without sending an
 * event, and free the entries. Call after the child's mm is torn down
 * (its VMAs point at the contexts without a reference). Newer Linux's
 * dup_userfaultfd_fail(); 6.1 sends the event even then (the "spurious
 * UFFD_EVENT_FORK" man 2 userfaultfd warns of).
 */
void dup_userfaultfd_fail(struct list_head *fcs);

/*
 * mremap_userfaultfd_prep - mremap moved the pages of a VMA registered
 * with ctx (NULL: none), whose flags were vm_flags, to the new VMA
 * [start, end) (bytes, page aligned; made unregistered), and the move
 * is done; mmap_lock held for writing. If ctx asked for
 * UFFD_FEATURE_EVENT_REMAP, register [start, end) with ctx too (split
 * out of a neighbour it merged with, merged after), reference ctx and
 * make its fills fail with -EAGAIN until the event is read, and return
 * ctx for mremap_userfaultfd_complete(). Otherwise, or when a split
 * fails, return NULL: the new range stays unregistered. Linux's
 * mremap_userfaultfd_prep(), which works on the moved VMA itself.
 */
struct userfaultfd_ctx *mremap_userfaultfd_prep(struct mm_struct *mm,
						struct userfaultfd_ctx *ctx,
						unsigned long vm_flags,
						unsigned long start,
						unsigned long end);

/*
 * mremap_userfaultfd_complete - after the mremap, mmap_lock dropped:
 * for ctx (from mremap_userfaultfd_prep(); NULL: nothing to do), queue
 * a UFFD_EVENT_REMAP message (arg.remap.from, .to, .len: the old
 * address, the new one, the old length, in bytes) and sleep until the
 * monitor has read it, the fd is closed, or SIGKILL comes. to not page
 * aligned (the mremap's -errno): no event, ctx's reference and count
 * dropped. Linux's mremap_userfaultfd_complete().
 */
void mremap_userfaultfd_complete(struct userfaultfd_ctx *ctx,
				 unsigned long from, unsigned long to,
				 unsigned long len);

/*
 * mfill_atomic - fill the missing pages of [dst, dst + len) (bytes, page
 * aligned; the caller validated the range) in mm: with copies of the
 * user pages at src (UFFDIO_COPY), or with the zero page, read-only
 * (zeropage: UFFDIO_ZEROPAGE; src unused). wp (UFFDIO_COPY_MODE_WP):
 * the copies are mapped write-protected (_PAGE_UFFD_WP), so that the
 * first write to each is a fault for the monitor. The range must lie in
 * one VMA registered with a userfaultfd, anonymous and private, and in
 * write-protect mode for wp (-EINVAL otherwise, as Linux's
 * mfill_atomic()). Takes
 * mmap_lock for reading page by page, and copies from src with no lock
 * held (src may itself fault, even into another registered range).
 * Returns the bytes filled if any, else -errno: -ENOENT (not in one
 * registered VMA), -EINVAL (not anonymous private), -EEXIST (a page is
 * present already), -EFAULT (src unreadable), -ENOMEM, -EINTR (a fatal
 * signal), -ESRCH (mm torn down), -EAGAIN (*mmap_changing non-zero under
 * mmap_lock: a REMOVE or UNMAP event of the userfaultfd is under way;
 * mmap_changing may be NULL). Linux's mfill_atomic_copy() and
 * mfill_atomic_zeropage() (mm/userfaultfd.c), which take the same
 * counter.
 */
long mfill_atomic(struct mm_struct *mm, unsigned long dst, unsigned long src,
		  unsigned long len, bool zeropage, bool wp,
		  atomic_t *mmap_changing);

/*
 * mwriteprotect_range - write-protect (enable_wp) or release the pages of
 * [start, start + len) (bytes, page aligned; the caller validated the
 * range) in mm. The range must lie in one VMA registered in
 * write-protect mode, anonymous and private. Protecting marks every
 * present page's PTE _PAGE_UFFD_WP and read-only (missing pages are
 * left as they are: a later fault maps them unprotected, as Linux 6.1
 * does for anonymous memory). Releasing clears the mark and gives the
 * write right back where the VMA has it and the page is this mapping's
 * alone (a shared or zero page stays read-only: the next write copies
 * it, do_wp_page()). Flushes the TLBs. Returns 0, or -ENOENT (not in one
 * registered write-protect VMA), -ESRCH (mm torn down), -EAGAIN
 * (*mmap_changing non-zero: an event is under way; may be NULL). Linux
 * 6.1's mwriteprotect_range() (mm/userfaultfd.c).
 */
int mwriteprotect_range(struct mm_struct *mm, unsigned long start,
			unsigned long len, bool enable_wp,
			atomic_t *mmap_changing);

/*
 * uffd_wp_clear_vma - clear every _PAGE_UFFD_WP mark of vma's pages
 * (without giving write rights back: the next write reuses or copies the
 * page, do_wp_page()); mmap_lock held for writing. Called when the VMA
 * leaves write-protect mode (UFFDIO_UNREGISTER, the fd's release), so
 * that a later registration does not inherit stale protections. Linux
 * 6.1's uffd_wp_range(..., false) in userfaultfd_unregister().
 */
void uffd_wp_clear_vma(struct vm_area_struct *vma);

#endif
