/*
 * ptrace.h - struct pt_regs, the register frame that the trap entry stubs
 * (arch/x86_64/trap_entry.asm) build on the kernel stack. The order is
 * fixed by the stubs: general registers in push order, then the vector
 * and error code the stub pushed, then the CPU's own interrupt frame.
 */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#include <kernel/types.h>

struct pt_regs {
	u64 r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	u64 rax, rcx, rdx, rsi, rdi;
	u64 vector;		      /* pushed by the stub */
	u64 error_code;		      /* the CPU's, or 0 pushed by the stub */
	u64 rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->cs & 3) == 3;
}

#endif
