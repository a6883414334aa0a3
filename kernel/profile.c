/*
 * profile.c - the tick profiler (include/kernel/profile.h). A statistical
 * profile, as Linux's kernel/profile.c: the timer tick looks at the
 * interrupted instruction pointer and adds one to its bucket. With HZ =
 * 1000 a 2-second benchmark on 2 CPUs gives ~4,000 samples: enough to see
 * where a fault path spends its time, not to tell two instructions apart.
 *
 * The buckets cover the kernel's text [_text, _etext), 2^prof_shift bytes
 * each; the report folds them into functions with the kernel's symbol
 * table (kernel/ksyms.c). A bucket that straddles two functions counts
 * for the first, so keep the shift below the functions' alignment (16
 * bytes: shift 4 or less) for an exact split.
 */
#include <kernel/atomic.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <kernel/ksyms.h>
#include <kernel/printk.h>
#include <kernel/profile.h>
#include <kernel/sections.h>
#include <kernel/smp.h>
#include <mm/page_alloc.h>
#include <asm/ptrace.h>

#define PROF_MAX_SHIFT 12  /* one bucket per page of text at most */
#define PROF_MAX_FUNCS 512 /* distinct functions a report can fold */

static int boot_shift = -1; /* from profile=, -1: not asked for */
static unsigned int prof_shift;
static unsigned long *prof_buffer;	    /* NULL: off */
static unsigned int prof_order;		    /* of its pages */
static unsigned long prof_len;		    /* buckets */
static unsigned long prof_user, prof_other; /* outside the text */

/* profile=<shift>: buckets of 2^shift bytes of kernel text. */
static int set_profile(const char *val)
{
	unsigned long shift;

	if (kstrtoul(val, 10, &shift) || shift > PROF_MAX_SHIFT)
		return -EINVAL;
	boot_shift = (int)shift;
	return 0;
}
KERNEL_PARAM("profile", set_profile,
	     "tick profiler: buckets of 2^N bytes of kernel text (0..12)");

int profile_setup(unsigned int shift)
{
	unsigned long text = (unsigned long)_etext - (unsigned long)_text;
	unsigned long len, bytes;
	unsigned int order = 0;
	struct page *page;

	if (shift > PROF_MAX_SHIFT)
		return -EINVAL;
	if (READ_ONCE(prof_buffer))
		return -EBUSY;
	len = (text >> shift) + 1;
	bytes = len * sizeof(*prof_buffer);
	while ((PAGE_SIZE << order) < bytes)
		order++;
	page = order <= MAX_PAGE_ORDER ? alloc_pages(order) : NULL;
	if (!page)
		return -ENOMEM;
	memset(page_address(page), 0, PAGE_SIZE << order);
	prof_shift = shift;
	prof_len = len;
	prof_order = order;
	prof_user = prof_other = 0;
	/* Publish last: a tick that sees the buffer sees its size. */
	__atomic_store_n(&prof_buffer, page_address(page), __ATOMIC_RELEASE);
	return 0;
}

static void profile_sync(void *unused)
{
	(void)unused; /* the IPI itself is the point: see profile_stop() */
}

void profile_stop(void)
{
	unsigned long *buf = READ_ONCE(prof_buffer);

	if (!buf)
		return;
	__atomic_store_n(&prof_buffer, NULL, __ATOMIC_RELEASE);
	/* A tick on another CPU may still be adding to buf: ticks run with
	 * interrupts off, so once every CPU took this IPI none is. */
	on_each_cpu(profile_sync, NULL, true);
	__free_pages(virt_to_page(buf), prof_order);
}

void profile_init(void)
{
	int err;

	if (boot_shift < 0)
		return;
	err = profile_setup((unsigned int)boot_shift);
	if (err) {
		pr_warn("profile: cannot allocate the buckets (%d); profiling off\n",
			err);
		return;
	}
	pr_info("profile: %lu buckets of %lu bytes of kernel text\n", prof_len,
		1UL << prof_shift);
}

void profile_tick(const struct pt_regs *regs)
{
	unsigned long *buf = __atomic_load_n(&prof_buffer, __ATOMIC_ACQUIRE);
	unsigned long pc = regs->rip, text = (unsigned long)_text;

	if (!buf)
		return;
	if (user_mode(regs))
		stat_add(&prof_user, 1);
	else if (pc >= text && pc < (unsigned long)_etext)
		stat_add(&buf[(pc - text) >> prof_shift], 1);
	else
		stat_add(&prof_other, 1);
}

unsigned long profile_hits(unsigned long start, unsigned long end)
{
	unsigned long text = (unsigned long)_text, n = 0;

	if (!prof_buffer || start >= end || end <= text)
		return 0;
	start = start < text ? 0 : (start - text) >> prof_shift;
	end = (end - 1 - text) >> prof_shift;
	for (unsigned long i = start; i <= end && i < prof_len; i++)
		n += READ_ONCE(prof_buffer[i]);
	return n;
}

void profile_reset(void)
{
	if (!prof_buffer)
		return;
	for (unsigned long i = 0; i < prof_len; i++)
		WRITE_ONCE(prof_buffer[i], 0);
	WRITE_ONCE(prof_user, 0);
	WRITE_ONCE(prof_other, 0);
}

struct prof_func {
	const char *name;
	unsigned long hits;
};

/* Per mille of total, for one line. */
static unsigned long permille(unsigned long n, unsigned long total)
{
	return total ? n * 1000 / total : 0;
}

void profile_report(int max_lines)
{
	static struct prof_func funcs[PROF_MAX_FUNCS]; /* one report at a time */
	unsigned long total, kernel = 0, unnamed = 0, rest = 0;
	unsigned long text = (unsigned long)_text;
	int nr = 0, dropped = 0;

	if (!prof_buffer)
		return;
	for (unsigned long i = 0; i < prof_len; i++) {
		unsigned long hits = READ_ONCE(prof_buffer[i]), off, size;
		const char *name;
		int f;

		if (!hits)
			continue;
		kernel += hits;
		name = ksym_lookup(text + (i << prof_shift), &off, &size);
		if (!name) {
			unnamed += hits;
			continue;
		}
		for (f = 0; f < nr && funcs[f].name != name; f++)
			;
		if (f == nr) {
			if (nr == PROF_MAX_FUNCS) {
				dropped++;
				rest += hits;
				continue;
			}
			funcs[nr++] = (struct prof_func){ name, 0 };
		}
		funcs[f].hits += hits;
	}
	/* Most samples first: insertion sort, nr is small. */
	for (int i = 1; i < nr; i++) {
		struct prof_func key = funcs[i];
		int j = i - 1;

		for (; j >= 0 && funcs[j].hits < key.hits; j--)
			funcs[j + 1] = funcs[j];
		funcs[j + 1] = key;
	}
	total = kernel + READ_ONCE(prof_user) + READ_ONCE(prof_other);
	printk(KERN_NOTICE
	       "profile: %lu samples (%d Hz per CPU): user %lu (%lu.%lu%%), kernel %lu (%lu.%lu%%)\n",
	       total, HZ, prof_user, permille(prof_user, total) / 10,
	       permille(prof_user, total) % 10, kernel,
	       permille(kernel, total) / 10, permille(kernel, total) % 10);
	for (int i = 0; i < nr; i++) {
		if (i >= max_lines) {
			rest += funcs[i].hits;
			continue;
		}
		printk(KERN_NOTICE "profile: %8lu %3lu.%lu%% %s\n",
		       funcs[i].hits, permille(funcs[i].hits, total) / 10,
		       permille(funcs[i].hits, total) % 10, funcs[i].name);
	}
	if (rest)
		printk(KERN_NOTICE
		       "profile: %8lu %3lu.%lu%% (%d more functions)\n",
		       rest, permille(rest, total) / 10,
		       permille(rest, total) % 10,
		       nr - (nr < max_lines ? nr : max_lines) + dropped);
	if (unnamed || prof_other)
		printk(KERN_NOTICE "profile: %8lu outside any symbol or text\n",
		       unnamed + prof_other);
}
