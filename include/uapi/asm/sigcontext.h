/*
 * sigcontext.h - the register state a signal handler finds on its stack
 * and rt_sigreturn(2) restores: struct sigcontext, the FXSAVE area it
 * points to, and struct ucontext, in Linux's x86-64 layouts
 * (arch/x86/include/uapi/asm/sigcontext.h, asm/ucontext.h). Shared by the
 * kernel (arch/x86_64/signal.c) and user programs.
 */
#ifndef UAPI_ASM_SIGCONTEXT_H
#define UAPI_ASM_SIGCONTEXT_H

#include "signal.h" /* this directory's, not the host's */

/* The legacy FXSAVE area: 512 bytes, 16-byte aligned (Intel SDM vol. 1,
 * 10.5.1); Linux's struct _fpstate_64. */
struct _fpstate_64 {
	unsigned short cwd, swd, twd, fop;
	unsigned long rip, rdp;
	unsigned int mxcsr, mxcsr_mask;
	unsigned int st_space[32];  /* 8 registers, 16 bytes each */
	unsigned int xmm_space[64]; /* 16 registers, 16 bytes each */
	unsigned int reserved2[12];
	unsigned int sw_reserved[12];
};

/* Linux's struct sigcontext (64-bit), 256 bytes. */
struct sigcontext {
	unsigned long r8, r9, r10, r11, r12, r13, r14, r15;
	unsigned long rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
	unsigned long rip, eflags;
	unsigned short cs, gs, fs, ss;
	unsigned long err, trapno, oldmask, cr2;
	struct _fpstate_64 *fpstate; /* NULL: no FPU state saved */
	unsigned long reserved1[8];
};

/* uc_flags (Linux's asm/ucontext.h) */
#define UC_FP_XSTATE	     0x1
#define UC_SIGCONTEXT_SS     0x2
#define UC_STRICT_RESTORE_SS 0x4

/* Linux's struct ucontext on x86-64. */
struct __kernel_ucontext {
	unsigned long uc_flags;
	struct __kernel_ucontext *uc_link;
	stack_t uc_stack;
	struct sigcontext uc_mcontext;
	__kernel_sigset_t uc_sigmask;
};

#endif
