/*
 * test_core.c - in-kernel tests of the kernel's core pieces: the printf
 * core, the symbol table, the exception table, the tick and the TSC, the
 * command-line parser, kstrtoul(), kstrtobool(), memparse() and the kernel's page-table
 * layout.
 */
#include <kernel/cmdline.h>
#include <kernel/extable.h>
#include <kernel/ksyms.h>
#include <kernel/ktest.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <kernel/errno.h>
#include <mm/memblock.h>
#include <mm/page.h>
#include <asm/cpu.h>

KTEST(printk, vsnprintf_formats)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%d|%u|%x|%lx|%s|%c|%5d|%-4d|%03u", -42, 42u,
		 0xbeefu, 0x123456789abUL, "str", 'z', 7, 9, 5u);
	KTEST_EXPECT(t,
		     strcmp(buf,
			    "-42|42|beef|123456789ab|str|z|    7|9   |005") ==
			     0);
	snprintf(buf, sizeof(buf), "%p", (void *)0x1000);
	KTEST_EXPECT(t, strcmp(buf, "0x0000000000001000") == 0);
	/* Truncation: C99 return value, always NUL-terminated. */
	KTEST_EXPECT_EQ(t, snprintf(buf, 4, "abcdef"), 6);
	KTEST_EXPECT(t, strcmp(buf, "abc") == 0);
	snprintf(buf, sizeof(buf), "%lld %llu", -9223372036854775807LL - 1,
		 18446744073709551615ULL);
	KTEST_EXPECT(t,
		     strcmp(buf, "-9223372036854775808 18446744073709551615") ==
			     0);
}

KTEST(ksyms, lookup_names_functions)
{
	unsigned long off, size;
	unsigned long addr = (unsigned long)&ktest_run;
	const char *name = ksym_lookup(addr + 3, &off, &size);
	char buf[96];

	KTEST_ASSERT(t, name != NULL);
	KTEST_EXPECT(t, strcmp(name, "ktest_run") == 0);
	KTEST_EXPECT_EQ(t, off, 3);
	KTEST_EXPECT(t, size > 3);
	KTEST_EXPECT_EQ(t, ksym_address("ktest_run"), addr);
	KTEST_EXPECT(t, ksym_lookup(0x1000, &off, &size) == NULL);
	snprintf(buf, sizeof(buf), "%pS", (void *)addr);
	KTEST_EXPECT(t, strncmp(buf, "ktest_run+0x0/0x", 16) == 0);
}

KTEST(extable, fixup_turns_fault_into_efault)
{
	u64 v = 0, here = 0x1234;

	KTEST_EXPECT_EQ(t, get_kernel_nofault(&v, (void *)0xffffc00000000000UL),
			-EFAULT);
	KTEST_EXPECT_EQ(t, get_kernel_nofault(&v, NULL),
			-EFAULT); /* no identity map */
	KTEST_EXPECT_EQ(t, get_kernel_nofault(&v, &here), 0);
	KTEST_EXPECT_EQ(t, v, 0x1234);
}

KTEST(time, tsc_calibrated)
{
	u64 t0 = rdtsc();

	KTEST_EXPECT(t, tsc_khz > 1000); /* at least 1 MHz */
	KTEST_EXPECT(t, rdtsc() > t0);
	KTEST_EXPECT(t, ktime_get_ns() > 0);
}

KTEST(time, tick_runs_at_hz)
{
	/* 50 ms on the TSC must see 50 ticks, give or take the edges. */
	u64 j0 = jiffies;

	mdelay(50);
	u64 ticks = jiffies - j0;
	if (ticks < 48 || ticks > 52)
		ktest_fail(t, __FILE__, __LINE__, "50 ms gave %llu ticks",
			   (unsigned long long)ticks);
}

KTEST(cmdline, parses_and_rejects)
{
	int saved = console_loglevel;

	KTEST_EXPECT_EQ(t, parse_cmdline("loglevel=5"), 0);
	KTEST_EXPECT_EQ(t, console_loglevel, 5);
	KTEST_EXPECT_EQ(t, parse_cmdline("  loglevel=6   "), 0);
	KTEST_EXPECT_EQ(t, console_loglevel, 6);
	KTEST_EXPECT_EQ(t, parse_cmdline("loglevel=nine"), 1); /* rejected */
	KTEST_EXPECT_EQ(t, console_loglevel, 6);
	KTEST_EXPECT_EQ(t, parse_cmdline("no_such_key=1 loglevel=7"), 1);
	KTEST_EXPECT_EQ(t, console_loglevel, 7);
	console_loglevel = saved;
}

/* Linux's kstrtobool(): y/n, 1/0, on/off, only the first letters count. */
KTEST(string, kstrtobool)
{
	static const char *const yes[] = { "1", "y", "Y", "yes", "on", "ON" };
	static const char *const no[] = { "0", "n", "N", "no", "off", "OfF" };
	static const char *const bad[] = { "", "2", "true", "o", "maybe" };
	bool v;

	for (unsigned int i = 0; i < ARRAY_SIZE(yes); i++) {
		v = false;
		KTEST_EXPECT(t, kstrtobool(yes[i], &v) == 0 && v);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(no); i++) {
		v = true;
		KTEST_EXPECT(t, kstrtobool(no[i], &v) == 0 && !v);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		v = true;
		KTEST_EXPECT_EQ(t, kstrtobool(bad[i], &v), -EINVAL);
		KTEST_EXPECT(t, v); /* untouched */
	}
}

KTEST(string, kstrtoul)
{
	unsigned long v;

	KTEST_EXPECT(t, kstrtoul("42", 0, &v) == 0 && v == 42);
	KTEST_EXPECT(t, kstrtoul("0x1f", 0, &v) == 0 && v == 31);
	KTEST_EXPECT(t, kstrtoul("017", 0, &v) == 0 && v == 15);
	KTEST_EXPECT(t, kstrtoul("1f", 16, &v) == 0 && v == 31);
	KTEST_EXPECT(t, kstrtoul("0x1f", 16, &v) == 0 && v == 31);
	KTEST_EXPECT(t, kstrtoul("+7\n", 10, &v) == 0 && v == 7);
	KTEST_EXPECT(t, kstrtoul("18446744073709551615", 10, &v) == 0 &&
				v == ~0UL);
	/* Sizes with K/M/G are memparse()'s job, not kstrtoul()'s. */
	v = 99;
	KTEST_EXPECT_EQ(t, kstrtoul("4K", 0, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, v, 99);
	KTEST_EXPECT_EQ(t, kstrtoul("", 0, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, kstrtoul("12x", 0, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, kstrtoul("1f", 10, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, kstrtoul("7\n\n", 10, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, kstrtoul("-1", 10, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, kstrtoul("1", 1, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, kstrtoul("99999999999999999999999", 0, &v), -ERANGE);
	KTEST_EXPECT_EQ(t, kstrtoul("18446744073709551616", 10, &v), -ERANGE);
}

KTEST(string, memparse)
{
	char *end;

	KTEST_EXPECT(t, memparse("4K", &end) == 4096 && *end == 0);
	KTEST_EXPECT(t, memparse("2M", &end) == 2ULL << 20 && *end == 0);
	KTEST_EXPECT(t, memparse("3g", &end) == 3ULL << 30 && *end == 0);
	KTEST_EXPECT(t, memparse("0x10k,rest", &end) == 16ULL << 10 &&
				*end == ',');
	KTEST_EXPECT(t, memparse("42", &end) == 42 && *end == 0);
	KTEST_EXPECT(t, memparse("1T", NULL) == 1ULL << 40);
	/* Junk after the number is left for the caller to see. */
	KTEST_EXPECT(t, memparse("12x", &end) == 12 && *end == 'x');
}

KTEST(mm, memory_map_sane)
{
	/* Every usable region is page-aligned, sorted, inside mem_map, and
	 * all of them fit in the installed RAM. */
	phys_addr_t usable = 0, prev_end = 0;

	for (unsigned i = 0; i < memblock.memory.cnt; i++) {
		struct memblock_region *r = &memblock.memory.regions[i];

		KTEST_EXPECT(t, IS_ALIGNED(r->base, PAGE_SIZE));
		KTEST_EXPECT(t, IS_ALIGNED(r->size, PAGE_SIZE));
		KTEST_EXPECT(t, r->base >= prev_end);
		KTEST_EXPECT(t, PFN_DOWN(r->base + r->size) <= max_pfn);
		usable += r->size;
		prev_end = r->base + r->size;
	}
	KTEST_EXPECT(t, usable > 0);
	KTEST_EXPECT(t, memblock.installed >= usable);
	/* QEMU reports at most a few MiB of holes inside its -m. */
	KTEST_EXPECT(t, memblock.installed - usable < 16UL << 20);
	KTEST_EXPECT(t, IS_ALIGNED(memblock.installed, 1UL << 20));
}

KTEST(mm, kernel_text_is_read_only)
{
	/* The page tables give text no write right (mm/init.c); check the
	 * PTE directly rather than faulting on purpose. */
	unsigned long va = (unsigned long)&ktest_run;
	u64 *pgd = __va(read_cr3() & ~0xfffUL);
	u64 e = pgd[(va >> 39) & 511];

	KTEST_ASSERT(t, e & 1);
	e = ((u64 *)__va(e & 0x000ffffffffff000UL))[(va >> 30) & 511];
	KTEST_ASSERT(t, (e & 1) && !(e & 0x80));
	e = ((u64 *)__va(e & 0x000ffffffffff000UL))[(va >> 21) & 511];
	KTEST_ASSERT(t, (e & 1) && !(e & 0x80));
	e = ((u64 *)__va(e & 0x000ffffffffff000UL))[(va >> 12) & 511];
	KTEST_EXPECT(t, e & 1);
	KTEST_EXPECT(t, !(e & 2));	     /* not writable */
	KTEST_EXPECT(t, !(e & (1UL << 63))); /* executable */
	KTEST_EXPECT(t, (read_cr3() & ~0xfffUL) != 0);
	/* And nothing at all is mapped at virtual 0 (no identity map). */
	KTEST_EXPECT_EQ(t, pgd[0] & 1, 0);
}
