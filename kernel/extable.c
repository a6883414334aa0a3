/*
 * extable.c - looking up the exception table (include/kernel/extable.h).
 * The linker gathers every _ASM_EXTABLE entry into .ex_table between
 * __start_ex_table and __stop_ex_table (linker.ld). The table is small, so
 * a linear search is enough; Linux sorts it and searches binary.
 */
#include <kernel/extable.h>
#include <kernel/errno.h>
#include <kernel/sections.h>

const struct exception_table_entry *search_exception_tables(unsigned long ip)
{
	for (const struct exception_table_entry *e = __start_ex_table;
	     e < __stop_ex_table; e++)
		if (e->insn == ip)
			return e;
	return NULL;
}

bool fixup_exception(struct pt_regs *regs)
{
	const struct exception_table_entry *e =
		search_exception_tables(regs->rip);

	if (!e)
		return false;
	regs->rip = e->fixup;
	return true;
}

int get_kernel_nofault(u64 *val, const void *addr)
{
	int err = 0;
	u64 v = 0;

	__load_nofault(v, addr, err);
	if (!err)
		*val = v;
	return err;
}
