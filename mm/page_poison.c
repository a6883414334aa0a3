/*
 * page_poison.c - page poisoning: Linux's page_poison=1
 * (mm/page_poison.c, CONFIG_PAGE_POISONING) with a small record of who
 * freed each free page, the part of Linux's page_owner a use-after-free
 * report needs.
 *
 * mm/page_alloc.c calls in only while page_poisoning is set:
 *   - page_poison_free() when a block's last reference goes, before the
 *     block reaches a per-CPU list or the free lists: every byte becomes
 *     PAGE_POISON (0xaa) and the block's owner record names the task and
 *     the call site of the free;
 *   - page_poison_check() on every way out of the free memory, before
 *     anyone writes the page: alloc_pages() (per-CPU list, free lists,
 *     zeroed list), alloc_prezeroed_pages(), prezero_page() (POE's zeroing
 *     ahead, before its memset), and the zeroed list drained back into the
 *     free lists. Pages on the zeroed list hold zeros, not the pattern,
 *     and are checked against 0;
 *   - page_poison_fill() for the boot handover (free_pages_range(): as in
 *     Linux since 5.11, memory from memblock is poisoned as it is freed,
 *     so every free page holds the pattern from the start) and for
 *     zeroed-list pages going back to the free lists.
 *
 * A page that changed is reported in one block (report()) and the kernel
 * goes on, as Linux does: the page is handed out as it is (Linux neither
 * re-poisons nor panics; the allocation's user overwrites it), except that
 * a page promised to hold zeros (off the zeroed list) is zeroed again, so
 * a corruption never reaches a user as "fresh" memory.
 *
 * Cost: with page_poison=0 (the default) nothing but one test of a bool
 * per free and allocation; no memory. With page_poison=1: a `rep stosq`
 * of 512 quadwords per freed page, a `repe scasq` of 512 per allocated
 * page, a frame-pointer walk of a few frames per free, and 32 bytes of
 * owner record per page frame (0.8% of memory; 2 MiB for 256 MiB),
 * allocated from memblock at boot. docs/testing.md ("Page poisoning")
 * has the measured fault costs.
 */
#include <mm/page_poison.h>
#include <kernel/atomic.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/string.h>

bool page_poisoning;
bool (*page_poison_test_hook)(const struct page_poison_report *r);

static bool poison_requested;
static unsigned long nr_reports;
static unsigned long nr_checked;

/*
 * Who freed a page frame last: one per pfn, written at each free of a
 * block (all its pages). 32 bytes. The return addresses are kept as
 * their low 32 bits: the kernel is built with -mcmodel=kernel, so its
 * text lies in the top 2 GiB of the address space, where sign-extending
 * the low half gives the address back. site[0] == 0: not freed since the
 * boot handover.
 */
struct page_owner_rec {
	u32 site[PAGE_OWNER_SITES];
	s32 pid;
	char comm[PAGE_OWNER_COMM];
};
_Static_assert(sizeof(struct page_owner_rec) == 32,
	       "page_poison_owner_bytes() promises 32 bytes per page");
_Static_assert(PAGE_OWNER_COMM == TASK_COMM_LEN,
	       "the owner record keeps the whole comm");

static struct page_owner_rec *owners;
static pfn_t nr_owners;

/* page_poison=BOOL, read as Linux's early_page_poison_param() does, with
 * kstrtobool(); a bare "page_poison" is rejected, as there. */
static int set_page_poison(const char *val)
{
	if (kstrtobool(val, &poison_requested)) {
		pr_err("page_poison: page_poison=%s rejected: must be a "
		       "boolean (1, y, on / 0, n, off)\n",
		       val);
		return -EINVAL;
	}
	return 0;
}
KERNEL_PARAM("page_poison", set_page_poison,
	     "1: fill freed pages with 0xaa and check them when allocated "
	     "(use-after-free reports); default 0");

bool page_poison_requested(void)
{
	return poison_requested;
}

unsigned long page_poison_owner_bytes(pfn_t nr)
{
	return (unsigned long)nr * sizeof(struct page_owner_rec);
}

void page_poison_init(void *recs, pfn_t nr)
{
	memset(recs, 0, page_poison_owner_bytes(nr));
	owners = recs;
	nr_owners = nr;
	WRITE_ONCE(page_poisoning, true);
	pr_info("page_poison: on: freed pages filled with %#x and checked "
		"when allocated; owner records %zu bytes a page, %lu KiB\n",
		PAGE_POISON, sizeof(struct page_owner_rec),
		page_poison_owner_bytes(nr) / 1024);
}

static inline u64 pattern_qword(unsigned char c)
{
	return 0x0101010101010101ULL * c;
}

/* One page of the pattern: rep stosq, 512 ticks under -icount where
 * memset()'s rep stosb costs 4,096. */
static void fill_page(void *p, unsigned char c)
{
	unsigned long n = PAGE_SIZE / 8;

	__asm__ __volatile__("rep stosq"
			     : "+D"(p), "+c"(n)
			     : "a"(pattern_qword(c))
			     : "memory");
}

void page_poison_fill(struct page *page, unsigned int order)
{
	for (unsigned long i = 0; i < (1UL << order); i++)
		fill_page(page_address(page + i), PAGE_POISON);
}

/*
 * The return addresses of the free: caller (the return address into the
 * function that called the allocator's free), then the return addresses
 * of the frames above the one that returns to it, from the frame-pointer
 * chain under the rules of show_trace() (arch/x86_64/stacktrace.c).
 * When caller is not on the chain (a tail call) only it is kept.
 */
static void save_sites(u32 site[PAGE_OWNER_SITES], void *caller)
{
	unsigned long rbp = (unsigned long)__builtin_frame_address(0);
	unsigned int n = 1;
	bool found = false;

	memset(site, 0, PAGE_OWNER_SITES * sizeof(site[0]));
	site[0] = (u32)(unsigned long)caller;
	for (int depth = 0; depth < 12 && n < PAGE_OWNER_SITES; depth++) {
		const unsigned long *frame = (const unsigned long *)rbp;
		unsigned long next, ret;

		/* A kernel stack lies in the kernel half (bit 63 set). */
		if ((long)rbp >= 0 || (rbp & 7))
			break;
		next = frame[0];
		ret = frame[1];
		if (found)
			site[n++] = (u32)ret;
		else if (ret == (unsigned long)caller)
			found = true;
		if (next <= rbp || next - rbp > 64 * 1024)
			break;
		rbp = next;
	}
}

/* A kept return address back to a kernel text address (see the record). */
static unsigned long site_address(u32 s)
{
	return (unsigned long)(long)(s32)s;
}

void page_poison_note_free(struct page *page, unsigned int order, void *caller)
{
	pfn_t pfn = page_to_pfn(page);
	struct task *t = current;
	struct page_owner_rec rec;

	if (!owners || pfn + (1UL << order) > nr_owners)
		return;
	save_sites(rec.site, caller);
	memset(rec.comm, 0, sizeof(rec.comm));
	if (t) {
		rec.pid = t->pid;
		memcpy(rec.comm, t->comm, sizeof(rec.comm));
	} else { /* before sched_init() */
		rec.pid = 0;
		memcpy(rec.comm, "boot", sizeof("boot"));
	}
	for (unsigned long i = 0; i < (1UL << order); i++)
		owners[pfn + i] = rec;
}

void page_poison_free(struct page *page, unsigned int order, void *caller)
{
	page_poison_note_free(page, order, caller);
	page_poison_fill(page, order);
}

/* Is the page all c? One repe scasq: stops at the first quadword that
 * differs. */
static bool page_is(const void *p, unsigned char c)
{
	unsigned long n = PAGE_SIZE / 8;
	bool differs;

	__asm__ __volatile__("repe scasq"
			     : "+D"(p), "+c"(n), "=@ccne"(differs)
			     : "a"(pattern_qword(c))
			     : "memory");
	return !differs;
}

/* Linux's single_bit_flip(). */
static bool single_bit_flip(unsigned char a, unsigned char b)
{
	unsigned char x = a ^ b;

	return x && !(x & (x - 1));
}

/*
 * The console block: Linux's "pagealloc: memory corruption" (or "single
 * bit error") line, then the page, the bytes that differ with a short hex
 * dump (up to 4 lines of 16 from the first one; Linux dumps first to
 * last), the last owner and who found it. Linux follows with
 * dump_stack() and dump_page(); the owner line says more here, and the
 * allocation's caller is named.
 */
static void print_report(const struct page_poison_report *r,
			 const unsigned char *mem, bool expected)
{
	unsigned int from = r->offset & ~15U;
	unsigned int to = MIN(r->last | 15U, from + 63);

	pr_err("pagealloc: %s%s\n",
	       r->single_bit ? "single bit error" : "memory corruption",
	       expected ? " (expected by a test)" : "");
	pr_err("pagealloc: pfn %#lx (phys %#llx): bytes %#x..%#x of the free "
	       "page differ from 0x%02x (first 0x%02x)\n",
	       (unsigned long)r->pfn, (unsigned long long)r->phys, r->offset,
	       r->last, r->expected, r->found);
	for (unsigned int off = from; off <= to; off += 16) {
		char line[16 * 3 + 1];

		for (unsigned int i = 0; i < 16; i++)
			snprintf(line + 3 * i, 4, " %02x", mem[off + i]);
		pr_err("pagealloc: %08x:%s\n", off, line);
	}
	if (to < r->last)
		pr_err("pagealloc: ... (%u more bytes up to %#x)\n",
		       r->last - to, r->last);
	if (!r->owner_known)
		pr_err("pagealloc: last owner: none since the boot handover\n");
	else
		pr_err("pagealloc: last freed by pid %d (%s) at %pS <- %pS <- "
		       "%pS\n",
		       r->free_pid, r->free_comm, (void *)r->free_site[0],
		       (void *)r->free_site[1], (void *)r->free_site[2]);
	if (r->found_by)
		pr_err("pagealloc: found when %pS took it; the kernel goes on\n",
		       r->found_by);
	else
		pr_err("pagealloc: found by a direct check\n");
}

#define REPORTS_PRINTED 32 /* per boot, in full */

/* One page that is not all expected: fill in the report, hand it to the
 * test hook, print it. */
static void report(struct page *page, unsigned char *mem,
		   unsigned char expected, void *found_by)
{
	struct page_poison_report r = { 0 };
	pfn_t pfn = page_to_pfn(page);
	unsigned int first = 0, last = PAGE_SIZE - 1;
	bool (*hook)(const struct page_poison_report *);
	bool is_expected = false;
	unsigned long n;

	while (first < PAGE_SIZE - 1 && mem[first] == expected)
		first++;
	while (last > first && mem[last] == expected)
		last--;
	r.pfn = pfn;
	r.phys = page_to_phys(page);
	r.offset = first;
	r.last = last;
	r.expected = expected;
	r.found = mem[first];
	r.single_bit = first == last && single_bit_flip(mem[first], expected);
	r.found_by = found_by;
	if (owners && pfn < nr_owners && owners[pfn].site[0]) {
		const struct page_owner_rec *o = &owners[pfn];

		r.owner_known = true;
		r.free_pid = o->pid;
		memcpy(r.free_comm, o->comm, sizeof(r.free_comm));
		r.free_comm[sizeof(r.free_comm) - 1] = '\0';
		for (int i = 0; i < PAGE_OWNER_SITES; i++)
			r.free_site[i] = o->site[i] ? site_address(o->site[i]) :
						      0;
	}
	n = __atomic_add_fetch(&nr_reports, 1, __ATOMIC_RELAXED);
	hook = READ_ONCE(page_poison_test_hook);
	if (hook)
		is_expected = hook(&r);
	/* A bug that spoils every page would print for ever (a boot that
	 * lost the poisoning of its frees printed 107,000 reports and timed
	 * out): the first REPORTS_PRINTED in full, then one line, then
	 * only the count, as Linux's ratelimit (10 per 5 s) stops them. */
	if (n <= REPORTS_PRINTED)
		print_report(&r, mem, is_expected);
	else if (n == REPORTS_PRINTED + 1)
		pr_err("pagealloc: more corruption; further reports are "
		       "counted, not printed\n");
}

unsigned int page_poison_check(struct page *page, unsigned int order,
			       unsigned char expected, void *found_by)
{
	unsigned int bad = 0;

	for (unsigned long i = 0; i < (1UL << order); i++) {
		unsigned char *mem = page_address(page + i);

		if (likely(page_is(mem, expected)))
			continue;
		bad++;
		report(page + i, mem, expected, found_by);
		/* A page promised to hold zeros stays a promise kept. */
		if (expected == 0)
			memset(mem, 0, PAGE_SIZE);
	}
	stat_add(&nr_checked, 1UL << order);
	return bad;
}

unsigned long page_poison_nr_reports(void)
{
	return READ_ONCE(nr_reports);
}

unsigned long page_poison_nr_checked(void)
{
	return READ_ONCE(nr_checked);
}
