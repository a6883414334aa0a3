/*
 * ksyms.h - the kernel's own symbol table (kernel/ksyms.c), generated at
 * link time by tools/gen-ksyms.sh from `nm -n` of the first link pass, as
 * Linux's kallsyms does. Used by backtraces and printk's %pS.
 */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include <kernel/types.h>

/*
 * The table itself, written by tools/gen-ksyms.sh into build/ksyms.c:
 * ksym_count text symbols, their addresses sorted ascending, and for each
 * the offset of its NUL-terminated name in ksym_names.
 */
extern const unsigned long ksym_count;
extern const unsigned long ksym_addrs[];
extern const unsigned int ksym_name_off[];
extern const char ksym_names[];

/*
 * ksym_lookup - find the function containing a kernel text address.
 * On success returns the symbol's name and sets *offset (bytes from the
 * symbol's start) and *size (bytes, up to the next symbol). Returns NULL
 * for an address outside the kernel's text or before the table is known.
 * Linux's kallsyms_lookup().
 */
const char *ksym_lookup(unsigned long addr, unsigned long *offset,
			unsigned long *size);

/*
 * ksym_address - the address of the text symbol name, or 0 when there is
 * none. Linux's kallsyms_lookup_name().
 */
unsigned long ksym_address(const char *name);

#endif
