/*
 * extable.h - the exception table (kernel/extable.c), as Linux's
 * <asm/extable.h>: an instruction that may fault on purpose (a user copy,
 * a probing read) is listed with a fixup address; when it faults, the trap
 * handler resumes at the fixup instead of oopsing.
 */
#ifndef KERNEL_EXTABLE_H
#define KERNEL_EXTABLE_H

#include <kernel/errno.h>
#include <kernel/types.h>
#include <asm/ptrace.h>

struct exception_table_entry {
	unsigned long insn;  /* address of the instruction that may fault */
	unsigned long fixup; /* where to continue when it does */
};

/*
 * _ASM_EXTABLE(from, to) - in inline asm, after the instructions: the
 * instruction at label `from` may fault; if it does, continue at label
 * `to`. Emits one exception_table_entry into .ex_table, which linker.ld
 * gathers between __start_ex_table and __stop_ex_table. Linux's
 * _ASM_EXTABLE() (<asm/asm.h>), without its fixup types.
 */
#define _ASM_EXTABLE(from, to)              \
	".pushsection .ex_table, \"a\"\n\t" \
	".balign 8\n\t"                     \
	".quad " #from ", " #to "\n\t"      \
	".popsection\n\t"

/*
 * __load_nofault(val, ptr, err) - one mov from *ptr into val (an lvalue
 * of 1, 2, 4 or 8 bytes; the register's size picks the mov) that may
 * fault. On a fault the exception table sends it to a stub in
 * .text.fixup that sets err (an int) to -EFAULT and jumps back after the
 * load, leaving val as it was; otherwise err is untouched. The pattern of
 * Linux's older __get_user_asm(), shared by get_kernel_nofault() and the
 * user-copy byte loads (kernel/uaccess.c).
 */
#define __load_nofault(val, ptr, err)                             \
	__asm__ __volatile__("1:	mov (%2), %0\n"                  \
			     "2:\n"                               \
			     ".pushsection .text.fixup, \"ax\"\n" \
			     "3:	movl %3, %1\n"                   \
			     "	jmp 2b\n"                          \
			     ".popsection\n" _ASM_EXTABLE(1b, 3b) \
			     : "+r"(val), "+r"(err)               \
			     : "r"(ptr), "i"(-EFAULT))

/*
 * search_exception_tables - the entry for the instruction at ip, or NULL
 * when ip may not fault. Linux's search_exception_tables().
 */
const struct exception_table_entry *search_exception_tables(unsigned long ip);

/*
 * fixup_exception - if regs->rip has an entry, set rip to its fixup and
 * return true (the trap returns there); otherwise return false. Linux's
 * fixup_exception().
 */
bool fixup_exception(struct pt_regs *regs);

/*
 * get_kernel_nofault - read 8 bytes at addr, surviving a fault.
 * Returns 0 and stores the value, or -EFAULT when the read faulted.
 * Mirrors Linux's get_kernel_nofault(); used by tests and dumps.
 */
int get_kernel_nofault(u64 *val, const void *addr);

#endif
