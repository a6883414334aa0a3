/*
 * test_page_poison.c - in-kernel tests of page poisoning
 * (mm/page_poison.c, page_poison=1), each a deliberate use-after-free or
 * a direct call of the checker, with the report taken through
 * page_poison_test_hook rather than read off the console:
 *
 *   page_poison.use_after_free_is_reported   a write into a freed page is
 *                          reported when the page is allocated again: its
 *                          pfn, the bytes, and who freed it, from where
 *   page_poison.zeroed_list_page_is_checked  a zeroed-list page that lost a
 *                          zero is reported (a single bit error) and handed
 *                          out zeroed again
 *   page_poison.prezeroing_checks_first      POE's zeroing ahead
 *                          (prezero_page()) looks before it zeroes
 *   page_poison.checker_finds_the_bytes      page_poison_check() on a block
 *                          of order 2: clean passes, one bad page is named
 *   page_poison.off_checks_nothing           with page_poison=0 a freed page
 *                          is neither filled nor checked
 *
 * The first four need page_poison=1 and skip without it (the runner's
 * `poison` step boots with it, tools/run_tests.py); the last needs it
 * off (the `ktest` step). The hook claims only reports of the page its
 * test spoiled, so a real corruption elsewhere meanwhile still fails the
 * run. Each test keeps interrupts off while its page is free, so that
 * nothing else on this CPU takes it.
 */
#include <kernel/ksyms.h>
#include <kernel/ktest.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <mm/page_alloc.h>
#include <mm/page_poison.h>
#include <asm/irqflags.h>

static struct page_poison_report got;
static unsigned int nr_got;
static pfn_t want_pfn;

/* The hook: claims (and keeps) reports of want_pfn only. */
static bool capture(const struct page_poison_report *r)
{
	if (r->pfn != want_pfn)
		return false;
	if (!nr_got++)
		got = *r;
	return true;
}

static void hook_on(pfn_t pfn)
{
	memset(&got, 0, sizeof(got));
	nr_got = 0;
	want_pfn = pfn;
	WRITE_ONCE(page_poison_test_hook, capture);
}

static void hook_off(void)
{
	WRITE_ONCE(page_poison_test_hook, NULL);
}

/* Is addr inside the function called name? */
static bool in_function(unsigned long addr, const char *name)
{
	unsigned long off, size;
	const char *sym = ksym_lookup(addr, &off, &size);

	return sym && strcmp(sym, name) == 0;
}

#define MAX_TRIES 64

/*
 * Allocate order-0 pages until page comes back (this CPU's list gives
 * the last freed first, so it is usually the first one); the others go
 * back. Returns page, or NULL after MAX_TRIES.
 */
static struct page *alloc_until(struct page *page)
{
	struct page *held[MAX_TRIES], *p = NULL;
	int n = 0;

	while (n < MAX_TRIES) {
		p = alloc_pages(0);
		if (!p || p == page)
			break;
		held[n++] = p;
	}
	while (n)
		__free_pages(held[--n], 0);
	return p == page ? page : NULL;
}

KTEST(page_poison, use_after_free_is_reported)
{
	static const char stale[] = "stale!!"; /* 8 bytes with its NUL */
	unsigned long flags, reports;
	struct page *page, *again;
	unsigned char *mem;
	pfn_t pfn;

	if (!page_poisoning_enabled())
		KTEST_SKIP(t, "needs page_poison=1");
	page = alloc_pages(0);
	KTEST_ASSERT(t, page != NULL);
	pfn = page_to_pfn(page);
	mem = page_address(page);
	memset(mem, 0x11, PAGE_SIZE);
	reports = page_poison_nr_reports();

	local_irq_save(flags);
	hook_on(pfn);
	__free_pages(page, 0);
	KTEST_EXPECT_EQ(t, mem[0], PAGE_POISON);
	KTEST_EXPECT_EQ(t, mem[PAGE_SIZE - 1], PAGE_POISON);
	memcpy(mem + 0x123, stale, sizeof(stale)); /* the use after free */
	again = alloc_until(page);
	local_irq_restore(flags);
	hook_off();

	KTEST_ASSERT(t, again == page);
	KTEST_EXPECT_EQ(t, nr_got, 1);
	KTEST_EXPECT_EQ(t, page_poison_nr_reports(), reports + 1);
	KTEST_EXPECT_EQ(t, got.pfn, pfn);
	KTEST_EXPECT_EQ(t, got.phys, (phys_addr_t)pfn << PAGE_SHIFT);
	KTEST_EXPECT_EQ(t, got.offset, 0x123);
	KTEST_EXPECT_EQ(t, got.last, 0x123 + sizeof(stale) - 1);
	KTEST_EXPECT_EQ(t, got.expected, PAGE_POISON);
	KTEST_EXPECT_EQ(t, got.found, 's');
	KTEST_EXPECT(t, !got.single_bit);
	KTEST_EXPECT(t, got.owner_known);
	KTEST_EXPECT_EQ(t, got.free_pid, current->pid);
	KTEST_EXPECT(t, strcmp(got.free_comm, current->comm) == 0);
	/* The free's call site is this function, its caller the runner. */
	KTEST_EXPECT(t, in_function(got.free_site[0],
				    "ktest_fn_page_poison_use_after_free_"
				    "is_reported"));
	KTEST_EXPECT(t, ksym_lookup(got.free_site[1], &(unsigned long){ 0 },
				    &(unsigned long){ 0 }) != NULL);
	/* Linux goes on with the page as it is: so do we. */
	KTEST_EXPECT_EQ(t, mem[0x123], 's');
	__free_pages(again, 0);
}

KTEST(page_poison, zeroed_list_page_is_checked)
{
	unsigned long flags;
	struct page *page, *again = NULL;
	unsigned char *mem;
	unsigned int n;

	if (!page_poisoning_enabled())
		KTEST_SKIP(t, "needs page_poison=1");
	page = alloc_pages(0);
	KTEST_ASSERT(t, page != NULL);
	mem = page_address(page);
	memset(mem, 0, PAGE_SIZE);

	local_irq_save(flags);
	hook_on(page_to_pfn(page));
	free_prezeroed_page(page); /* the zeroed list's head */
	mem[0x800] = 0x04;	   /* one bit, while it is free */
	n = alloc_prezeroed_pages(&again, 1);
	local_irq_restore(flags);
	hook_off();

	/* Another CPU may have taken it first: the hook saw it all the same. */
	KTEST_EXPECT_EQ(t, nr_got, 1);
	KTEST_EXPECT_EQ(t, got.offset, 0x800);
	KTEST_EXPECT_EQ(t, got.last, 0x800);
	KTEST_EXPECT_EQ(t, got.expected, 0);
	KTEST_EXPECT_EQ(t, got.found, 0x04);
	KTEST_EXPECT(t, got.single_bit);
	KTEST_EXPECT(t, in_function(got.free_site[0],
				    "ktest_fn_page_poison_zeroed_list_page_"
				    "is_checked"));
	if (n && again == page)
		KTEST_EXPECT_EQ(t, mem[0x800], 0); /* zeroed again */
	if (n)
		free_prezeroed_page(again);
}

KTEST(page_poison, prezeroing_checks_first)
{
	struct page *held[MAX_TRIES], *victim = NULL;
	unsigned long flags;
	int n = 0, i;

	if (!page_poisoning_enabled())
		KTEST_SKIP(t, "needs page_poison=1");
	local_irq_save(flags);
	/* A page whose buddy we hold stays an order-0 block when freed. */
	while (n < MAX_TRIES && !victim) {
		held[n] = alloc_pages(0);
		if (!held[n])
			break;
		for (i = 0; i < n; i++)
			if (page_to_pfn(held[i]) == (page_to_pfn(held[n]) ^ 1))
				victim = held[n];
		n++;
	}
	if (!victim) {
		while (n)
			__free_pages(held[--n], 0);
		local_irq_restore(flags);
		KTEST_SKIP(t, "no page with its buddy held");
	}
	drain_all_pages();
	hook_on(page_to_pfn(victim));
	__free_pages(victim, 0);
	drain_all_pages(); /* onto the front of the order-0 free list */
	((unsigned char *)page_address(victim))[0xfff] = 0;
	/* prezero_page() takes the order-0 list's first page. */
	for (i = 0; i < MAX_TRIES && !nr_got; i++)
		if (!prezero_page(nr_zeroed_pages() + 1))
			break;
	local_irq_restore(flags);
	hook_off();
	while (n--)
		if (held[n] != victim)
			__free_pages(held[n], 0);

	KTEST_EXPECT_EQ(t, nr_got, 1);
	KTEST_EXPECT_EQ(t, got.pfn, page_to_pfn(victim));
	KTEST_EXPECT_EQ(t, got.offset, 0xfff);
	KTEST_EXPECT_EQ(t, got.found, 0);
	KTEST_EXPECT_EQ(t, got.expected, PAGE_POISON);
	KTEST_EXPECT(t, in_function((unsigned long)got.found_by,
				    "ktest_fn_page_poison_prezeroing_checks_"
				    "first"));
}

KTEST(page_poison, checker_finds_the_bytes)
{
	struct page *block;
	unsigned char *mem;

	if (!page_poisoning_enabled())
		KTEST_SKIP(t, "needs page_poison=1");
	block = alloc_pages(2);
	KTEST_ASSERT(t, block != NULL);
	mem = page_address(block);
	memset(mem, PAGE_POISON, 4 * PAGE_SIZE);
	hook_on(page_to_pfn(block) + 2);
	KTEST_EXPECT_EQ(t, page_poison_check(block, 2, PAGE_POISON, NULL), 0);
	KTEST_EXPECT_EQ(t, nr_got, 0);
	memset(mem + 2 * PAGE_SIZE + 0xf00, 0x55, 0x100);
	KTEST_EXPECT_EQ(t, page_poison_check(block, 2, PAGE_POISON, NULL), 1);
	hook_off();
	KTEST_EXPECT_EQ(t, nr_got, 1);
	KTEST_EXPECT_EQ(t, got.pfn, page_to_pfn(block) + 2);
	KTEST_EXPECT_EQ(t, got.offset, 0xf00);
	KTEST_EXPECT_EQ(t, got.last, 0xfff);
	KTEST_EXPECT_EQ(t, got.found, 0x55);
	__free_pages(block, 2);
}

KTEST(page_poison, off_checks_nothing)
{
	unsigned long flags, checked, reports;
	struct page *page, *again;
	unsigned char *mem;

	if (page_poisoning_enabled())
		KTEST_SKIP(t, "needs page_poison=0");
	page = alloc_pages(0);
	KTEST_ASSERT(t, page != NULL);
	mem = page_address(page);
	memset(mem, 0x11, PAGE_SIZE);
	checked = page_poison_nr_checked();
	reports = page_poison_nr_reports();

	local_irq_save(flags);
	hook_on(page_to_pfn(page));
	__free_pages(page, 0);
	KTEST_EXPECT_EQ(t, mem[0], 0x11); /* not filled */
	mem[0x123] = 's';
	again = alloc_until(page);
	local_irq_restore(flags);
	hook_off();

	KTEST_ASSERT(t, again == page);
	KTEST_EXPECT_EQ(t, nr_got, 0);
	KTEST_EXPECT_EQ(t, page_poison_nr_checked(), checked);
	KTEST_EXPECT_EQ(t, checked, 0);
	KTEST_EXPECT_EQ(t, page_poison_nr_reports(), reports);
	__free_pages(again, 0);
}
