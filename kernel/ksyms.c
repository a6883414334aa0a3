/*
 * ksyms.c - looking up the kernel's own symbol table
 * (include/kernel/ksyms.h). The table is generated between two link
 * passes by tools/gen-ksyms.sh from `nm -n` (Linux's kallsyms does the
 * same): ksym_addrs[] sorted ascending, ksym_name_off[] into ksym_names[].
 * The first pass links build/ksyms0.c, an empty table (ksym_count = 0).
 */
#include <kernel/ksyms.h>
#include <kernel/sections.h>
#include <kernel/string.h>

const char *ksym_lookup(unsigned long addr, unsigned long *offset,
			unsigned long *size)
{
	unsigned long lo = 0, hi = ksym_count;

	if (addr < (unsigned long)_text || addr >= (unsigned long)_etext ||
	    ksym_count == 0 || addr < ksym_addrs[0])
		return NULL;
	/* Binary search for the last symbol at or below addr. */
	while (hi - lo > 1) {
		unsigned long mid = (lo + hi) / 2;

		if (ksym_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksym_addrs[lo];
	*size = (lo + 1 < ksym_count ? ksym_addrs[lo + 1] :
				       (unsigned long)_etext) -
		ksym_addrs[lo];
	return &ksym_names[ksym_name_off[lo]];
}

unsigned long ksym_address(const char *name)
{
	for (unsigned long i = 0; i < ksym_count; i++)
		if (strcmp(&ksym_names[ksym_name_off[i]], name) == 0)
			return ksym_addrs[i];
	return 0;
}
