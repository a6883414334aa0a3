/*
 * page_poison.h - page poisoning (mm/page_poison.c), Linux's
 * page_poison=1 (mm/page_poison.c, CONFIG_PAGE_POISONING) with a small
 * record of each free page's last owner, a little of Linux's page_owner.
 *
 * With the boot option page_poison=1, every page freed to the buddy
 * allocator is filled with PAGE_POISON, and every page leaving the free
 * memory (an allocation, the zeroing ahead of mm/page_alloc.c's zeroed
 * list) is checked first: a byte that changed while the page was free is
 * a write through a stale pointer (a use-after-free), reported on the
 * console with the page, the bytes and who freed it. Pages on the zeroed
 * list are checked against 0 instead, the pattern they hold. Off (the
 * default), nothing is filled or checked and nothing is recorded: the
 * allocator pays one test of page_poisoning per free and per allocation.
 */
#ifndef MM_PAGE_POISON_H
#define MM_PAGE_POISON_H

#include <kernel/compiler.h>
#include <kernel/types.h>
#include <mm/page.h>

#define PAGE_POISON 0xaa /* Linux's include/linux/poison.h */

/* Return addresses kept per free (the free's call site and its callers). */
#define PAGE_OWNER_SITES 3
#define PAGE_OWNER_COMM	 16 /* TASK_COMM_LEN */

/*
 * Set once at boot, before the first page is freed to the allocator, by
 * page_poison_init() (page_poison=1); never cleared. Read on every free
 * and allocation, so it is a plain bool, not a function.
 */
extern bool page_poisoning;

/* page_poisoning_enabled - is page_poison=1 in effect? Linux's
 * page_poisoning_enabled(). */
static inline bool page_poisoning_enabled(void)
{
	return page_poisoning;
}

/*
 * What a check found, for the console report and for tests
 * (page_poison_test_hook). Offsets are bytes from the start of the page
 * at pfn (not of the block).
 */
struct page_poison_report {
	pfn_t pfn;		/* the page that changed */
	phys_addr_t phys;	/* its physical address */
	unsigned int offset;	/* first byte that differs */
	unsigned int last;	/* last byte that differs */
	unsigned char expected; /* PAGE_POISON, or 0 (a zeroed-list page) */
	unsigned char found;	/* the byte at offset */
	bool single_bit;	/* one byte, one bit flipped: Linux's
				 * "single bit error" (bad RAM, not code) */
	bool owner_known;	/* freed since boot: the owner fields hold */
	int free_pid;		/* the task that freed it (0: before the
				 * scheduler ran) */
	char free_comm[PAGE_OWNER_COMM];
	unsigned long free_site[PAGE_OWNER_SITES]; /* return addresses:
				 * the free's call site first; 0 ends */
	void *found_by; /* the allocator's caller that met it */
};

/*
 * page_poison_test_hook - when set, every report is handed to it before
 * it is printed. A hook returns true for a report its test caused on
 * purpose: the console's first line then says so ("pagealloc: memory
 * corruption (expected by a test)"), so that a runner that fails on
 * Linux's line ("pagealloc: memory corruption") lets it pass; false
 * leaves the report a real one. Ours (Linux's KUnit tests of KASAN use a
 * similar hook); set and cleared by tests/kernel/test_page_poison.c.
 */
extern bool (*page_poison_test_hook)(const struct page_poison_report *r);

/*
 * page_poison_owner_bytes - bytes of the owner records for nr page
 * frames: one 32-byte record per pfn (0.8% of memory, 2 MiB for 256
 * MiB). Only allocated with page_poison=1 (page_poison_init()).
 */
unsigned long page_poison_owner_bytes(pfn_t nr);

/*
 * page_poison_requested - was page_poison=1 (or another true boolean, as
 * Linux's kstrtobool() reads one) on the command line? mm_init() asks
 * before it hands memory to the allocator.
 */
bool page_poison_requested(void);

/*
 * page_poison_init - turn poisoning on, with owner records at recs
 * (page_poison_owner_bytes(nr) bytes, zeroed here) for pfns 0 .. nr - 1.
 * Call before the first page reaches the allocator (free_pages_range()),
 * so that every free page holds the pattern. Prints one line saying
 * what it costs. Linux's init_page_poisoning()/page_ext set-up.
 */
void page_poison_init(void *recs, pfn_t nr);

/*
 * page_poison_free - fill the block of 2^order pages at page with
 * PAGE_POISON and note its owner: the running task and the return
 * addresses of the free, caller first (caller: the return address into
 * the function that called the allocator's free). For mm/page_alloc.c,
 * with page_poisoning on, after the last reference is gone and before
 * the block is on any list. Linux's kernel_poison_pages() under
 * free_pages_prepare(), with page_owner's __reset_page_owner().
 */
void page_poison_free(struct page *page, unsigned int order, void *caller);

/*
 * page_poison_note_free - note the owner of a freed block (as
 * page_poison_free()) without filling it: a page that goes back onto the
 * zeroed list holds zeros, which is its pattern there.
 */
void page_poison_note_free(struct page *page, unsigned int order, void *caller);

/*
 * page_poison_fill - fill the block of 2^order pages at page with
 * PAGE_POISON and record no owner: the boot handover
 * (free_pages_range()), and zeroed-list pages going back to the free
 * lists.
 */
void page_poison_fill(struct page *page, unsigned int order);

/*
 * page_poison_check - check that every byte of the 2^order pages at page
 * is still expected (PAGE_POISON, or 0 for a page off the zeroed list);
 * report each page that is not (the test hook; one console block, in
 * full for the first 32 of a boot) as Linux's check_poison_mem() does,
 * then go on: the block is handed out
 * as it is, as Linux does. found_by names the caller in the report.
 * Returns the number of pages that differed (0: clean). Costs one
 * `repe scasq` over 512 quadwords a page. Linux's kernel_unpoison_pages()
 * under post_alloc_hook().
 */
unsigned int page_poison_check(struct page *page, unsigned int order,
			       unsigned char expected, void *found_by);

/* page_poison_nr_reports - corruptions reported since boot (a test
 * hook's expected ones included). */
unsigned long page_poison_nr_reports(void);

/* page_poison_nr_checked - pages checked since boot (0 while off). */
unsigned long page_poison_nr_checked(void);

#endif
