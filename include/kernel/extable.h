/*
 * extable.h - the exception table (kernel/extable.c), as Linux's
 * <asm/extable.h>: an instruction that may fault on purpose (a user copy,
 * a probing read) is listed with a fixup address; when it faults, the trap
 * handler resumes at the fixup instead of oopsing.
 */
#ifndef KERNEL_EXTABLE_H
#define KERNEL_EXTABLE_H

#include <kernel/types.h>
#include <asm/ptrace.h>

struct exception_table_entry {
	unsigned long insn;	/* address of the instruction that may fault */
	unsigned long fixup;	/* where to continue when it does */
};

/* In inline asm: _ASM_EXTABLE(1b, 3b) after the instructions. */
#define _ASM_EXTABLE(from, to)				\
	".pushsection .ex_table, \"a\"\n\t"		\
	".balign 8\n\t"					\
	".quad " #from ", " #to "\n\t"			\
	".popsection\n\t"

/* search_exception_tables - the entry for a faulting RIP, or NULL. */
const struct exception_table_entry *search_exception_tables(unsigned long ip);

/*
 * fixup_exception - if regs->rip has an entry, set rip to its fixup and
 * return true (the trap returns there); otherwise return false.
 */
bool fixup_exception(struct pt_regs *regs);

/*
 * get_kernel_nofault - read 8 bytes at addr, surviving a fault.
 * Returns 0 and stores the value, or -EFAULT when the read faulted.
 * Mirrors Linux's get_kernel_nofault(); used by tests and dumps.
 */
int get_kernel_nofault(u64 *val, const void *addr);

#endif
