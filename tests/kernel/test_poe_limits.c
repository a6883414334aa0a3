/*
 * test_poe_limits.c - the limits POE puts on the memory it holds
 * (docs/poe.md, "Command-line options"): poe.entries= is capped so that
 * the pages of the full tables stay within 1/8 of memory over all CPUs.
 */
#include <kernel/ktest.h>
#include <mm/poe.h>
#include "../../mm/poe_internal.h"

/* 256 MiB is 65536 pages: 8192 for the tables, shared by the CPUs. */
KTEST(poe_limits, entries_capped_to_an_eighth_of_memory)
{
	KTEST_EXPECT_EQ(t, poe_entries_limit(65536, 1), 8192);
	KTEST_EXPECT_EQ(t, poe_entries_limit(65536, 4), 2048);
	KTEST_EXPECT_EQ(t, poe_entries_limit(65536, 16), 512);
	/* The default table fits the default guest at 16 CPUs... */
	KTEST_EXPECT(t, poe_entries_limit(65536, 16) >= POE_DEFAULT_ENTRIES);
	/* ...and a huge guest is still bounded by the table format. */
	KTEST_EXPECT_EQ(t, poe_entries_limit(1ul << 32, 1), POE_MAX_ENTRIES);
}

/* Never 0, however small the memory or many the CPUs. */
KTEST(poe_limits, at_least_one_entry)
{
	KTEST_EXPECT_EQ(t, poe_entries_limit(64, 16), 1);
	KTEST_EXPECT_EQ(t, poe_entries_limit(0, 0), 1);
}
