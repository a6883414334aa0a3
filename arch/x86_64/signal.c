/*
 * signal.c - the x86-64 half of signal delivery, as Linux's
 * arch/x86/kernel/signal.c: the handler's frame on the user stack (or
 * the alternate stack), rt_sigreturn(2), which takes it down again, and
 * the restart of a system call a signal interrupted. The generic half
 * (which signal, which action) is kernel/signal.c; docs/signals.md
 * draws the frame.
 *
 * The frame (Linux's struct rt_sigframe), from the handler's rsp up:
 *
 *   rsp + 0    pretcode   the restorer: the handler's return address
 *   rsp + 8    uc         struct ucontext: flags, link, the altstack,
 *                         the interrupted registers (sigcontext), the
 *                         mask to restore
 *   ...        info       siginfo_t, 128 bytes
 *   above      fpstate    the FXSAVE image, 512 bytes, 64-byte aligned
 *
 * At entry rsp + 8 is 16-byte aligned, as after a call (the x86-64
 * ABI), and 128 bytes below the interrupted rsp are left alone (the red
 * zone the interrupted code may be using).
 */
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <asm/desc.h>
#include <asm/irqflags.h>
#include <asm/processor-flags.h>
#include <uapi/asm/sigcontext.h>
#include <asm/unistd.h>

struct rt_sigframe {
	u64 pretcode;
	struct __kernel_ucontext uc;
	siginfo_t info;
};

/* The flags sigreturn takes from the frame: the arithmetic ones, DF,
 * TF, AC and RF, never IF, IOPL or NT. Linux's FIX_EFLAGS. */
#define FIX_EFLAGS                                                       \
	(X86_EFLAGS_AC | X86_EFLAGS_OF | X86_EFLAGS_DF | X86_EFLAGS_TF | \
	 X86_EFLAGS_SF | X86_EFLAGS_ZF | X86_EFLAGS_AF | X86_EFLAGS_PF | \
	 X86_EFLAGS_CF | X86_EFLAGS_RF)

/* The MXCSR bits fxrstor accepts here: all but DAZ (bit 6), which not
 * every CPU has; a set reserved bit would make fxrstor fault. Linux asks
 * the CPU for its mask (mxcsr_feature_mask). */
#define MXCSR_MASK 0xffbfu

#define FPSTATE_SIZE FX_USER_SIZE

/* Was regs made by the `syscall` entry, and still is a call to restart?
 * The entry stores the call's number in error_code (Linux's orig_ax);
 * rt_sigreturn makes it -1. */
static bool in_syscall(const struct pt_regs *regs)
{
	return regs->vector == (u64)-1 && (long)regs->error_code >= 0;
}

static bool canonical(u64 a)
{
	return (u64)((s64)(a << 16) >> 16) == a;
}

/*
 * The FPU state a handler starts with: fninit's, MXCSR 0x1f80 (FCW at
 * byte 0, MXCSR at byte 24 of the FXSAVE image). Static: fxrstor needs
 * 16-byte alignment, which the kernel's stack does not promise (the
 * entry stubs push an odd number of words).
 */
static const u8 fpu_init_image[FPSTATE_SIZE] __attribute__((
	aligned(16))) = { [0] = 0x7f, [1] = 0x03, [24] = 0x80, [25] = 0x1f };

static void fpu_reset_live(void)
{
	__asm__ __volatile__("fxrstor64 %0" : : "m"(fpu_init_image));
}

/*
 * Load an FXSAVE image into the FPU through current->fpu_state, the one
 * 16-byte aligned buffer the task has, with interrupts off so that no
 * context switch overwrites it between the copy and the fxrstor.
 */
static void fpu_restore_live(const u8 *image)
{
	unsigned long flags;

	local_irq_save(flags);
	memcpy(current->fpu_state, image, FPSTATE_SIZE);
	__asm__ __volatile__("fxrstor64 %0" : : "m"(current->fpu_state));
	local_irq_restore(flags);
}

/*
 * Load the FXSAVE image at user address image into the FPU: straight
 * from the frame with one fxrstor64 (Linux's
 * __restore_fpregs_from_user()), no 512-byte copy_from_user and memcpy.
 * When the CPU refuses that (MXCSR reserved bits set, a misaligned
 * image, or a page nothing maps), the image is copied in, MXCSR masked
 * and loaded from there, as before: a bad MXCSR is mended, not
 * refused. 0, or -EFAULT with the registers unchanged.
 */
static int fpu_restore_user(const struct _fpstate_64 __user *image)
{
	u8 fx[FPSTATE_SIZE];

	if (fxrstor_from_user(image) == 0)
		return 0;
	if (copy_from_user(fx, image, sizeof(fx)))
		return -EFAULT;
	*(u32 *)&fx[24] &= MXCSR_MASK;
	fpu_restore_live(fx);
	return 0;
}

/* Where the frame goes; (u64)-1 when it cannot (an alternate stack it
 * would overflow). Linux's get_sigframe(). */
static unsigned long get_sigframe(struct ksignal *ksig, struct pt_regs *regs,
				  unsigned long *fpstate)
{
	bool nested = on_sig_stack(regs->rsp), entering = false;
	unsigned long sp = regs->rsp - 128; /* the red zone */

	if ((ksig->ka.flags & SA_ONSTACK) && sas_ss_flags(sp) == 0) {
		sp = current->sas_ss_sp + current->sas_ss_size;
		entering = true;
	}
	sp = (sp - FPSTATE_SIZE) & ~63UL;
	*fpstate = sp;
	sp = ((sp - sizeof(struct rt_sigframe)) & ~15UL) - 8;
	if ((nested || entering) && !on_sig_stack(sp))
		return (unsigned long)-1;
	return sp;
}

static int setup_rt_frame(struct ksignal *ksig, struct pt_regs *regs)
{
	struct task *t = current;
	struct rt_sigframe f;
	unsigned long sp, fpstate;
	sigset_t *set = sigmask_to_save();

	sp = get_sigframe(ksig, regs, &fpstate);
	if (sp == (unsigned long)-1)
		return -EFAULT;
	/* The live registers straight into the frame (64-byte aligned), as
	 * Linux's copy_fpstate_to_sigframe(): no bounce through
	 * t->fpu_state and a 512-byte copy_to_user. */
	if (fxsave_to_user((void __user *)fpstate))
		return -EFAULT;

	memset(&f, 0, sizeof(f));
	f.pretcode = (u64)ksig->ka.restorer;
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	f.uc.uc_stack.ss_sp = (void *)t->sas_ss_sp;
	f.uc.uc_stack.ss_flags = (int)t->sas_ss_flags; /* Linux's, too */
	f.uc.uc_stack.ss_size = t->sas_ss_size;
	f.uc.uc_mcontext = (struct sigcontext){
		.r8 = regs->r8,
		.r9 = regs->r9,
		.r10 = regs->r10,
		.r11 = regs->r11,
		.r12 = regs->r12,
		.r13 = regs->r13,
		.r14 = regs->r14,
		.r15 = regs->r15,
		.rdi = regs->rdi,
		.rsi = regs->rsi,
		.rbp = regs->rbp,
		.rbx = regs->rbx,
		.rdx = regs->rdx,
		.rax = regs->rax,
		.rcx = regs->rcx,
		.rsp = regs->rsp,
		.rip = regs->rip,
		.eflags = regs->rflags,
		.cs = (u16)regs->cs,
		.ss = (u16)regs->ss,
		.trapno = regs->vector == (u64)-1 ? 0 : regs->vector,
		.err = regs->vector == (u64)-1 ? 0 : regs->error_code,
		.oldmask = set->sig[0],
		.fpstate = (struct _fpstate_64 *)fpstate,
	};
	if ((ksig->sig == SIGSEGV || ksig->sig == SIGBUS) &&
	    ksig->info.si_code > 0)
		f.uc.uc_mcontext.cr2 = (u64)ksig->info.si_addr;
	f.uc.uc_sigmask = *set;
	f.info = ksig->info;
	if (copy_to_user((void __user *)sp, &f, sizeof(f)))
		return -EFAULT;

	/* The handler's registers: handler(sig, &info, &uc), rax 0 for a
	 * handler declared without a prototype (Linux's). */
	regs->rdi = (u64)ksig->sig;
	regs->rsi = sp + offsetof(struct rt_sigframe, info);
	regs->rdx = sp + offsetof(struct rt_sigframe, uc);
	regs->rax = 0;
	regs->rsp = sp;
	regs->rip = (u64)ksig->ka.handler;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->rflags &= ~(u64)(X86_EFLAGS_DF | X86_EFLAGS_RF | X86_EFLAGS_TF);
	/* A handler address iretq would fault on in kernel mode. */
	if (!canonical(regs->rip))
		return -EFAULT;
	fpu_reset_live();
	return 0;
}

/* The syscall part of handle_signal(): -EINTR or a restart. */
static void syscall_restart_for_handler(struct ksignal *ksig,
					struct pt_regs *regs)
{
	switch ((long)regs->rax) {
	case -ERESTART_RESTARTBLOCK:
	case -ERESTARTNOHAND:
		regs->rax = (u64)-EINTR;
		break;
	case -ERESTARTSYS:
		if (!(ksig->ka.flags & SA_RESTART)) {
			regs->rax = (u64)-EINTR;
			break;
		}
		__attribute__((fallthrough));
	case -ERESTARTNOINTR:
		regs->rax = regs->error_code;
		regs->rip -= 2; /* `syscall` is two bytes */
		break;
	}
}

void arch_do_signal_or_restart(struct pt_regs *regs)
{
	struct ksignal ksig;

	if (get_signal(&ksig)) {
		if (in_syscall(regs))
			syscall_restart_for_handler(&ksig, regs);
		signal_setup_done(setup_rt_frame(&ksig, regs) != 0, &ksig);
		return;
	}
	/* No handler ran: the interrupted call starts again. Linux's
	 * arch_do_signal_or_restart(). */
	if (in_syscall(regs)) {
		switch ((long)regs->rax) {
		case -ERESTARTNOHAND:
		case -ERESTARTSYS:
		case -ERESTARTNOINTR:
			regs->rax = regs->error_code;
			regs->rip -= 2;
			break;
		case -ERESTART_RESTARTBLOCK:
			regs->rax = __NR_restart_syscall;
			regs->rip -= 2;
			break;
		}
	}
	restore_saved_sigmask();
}

/*
 * Load the registers of sc into regs, checked as Linux's
 * restore_sigcontext(): only FIX_EFLAGS come from the frame, and the
 * segments must be the user's. Linux would accept other selectors and
 * take the fault of the iretq that loads them; with no fixup for that
 * iretq here, a frame that names other selectors, or a non-canonical
 * rip, is refused instead: SIGSEGV either way. Returns 0 or -EFAULT.
 */
static int restore_sigcontext(struct pt_regs *regs, const struct sigcontext *sc)
{
	if ((sc->cs | 3) != __USER_CS || (sc->ss | 3) != __USER_DS ||
	    !canonical(sc->rip))
		return -EFAULT;
	if (sc->fpstate) {
		if (fpu_restore_user(sc->fpstate))
			return -EFAULT;
	} else {
		fpu_reset_live();
	}
	regs->r8 = sc->r8;
	regs->r9 = sc->r9;
	regs->r10 = sc->r10;
	regs->r11 = sc->r11;
	regs->r12 = sc->r12;
	regs->r13 = sc->r13;
	regs->r14 = sc->r14;
	regs->r15 = sc->r15;
	regs->rdi = sc->rdi;
	regs->rsi = sc->rsi;
	regs->rbp = sc->rbp;
	regs->rbx = sc->rbx;
	regs->rdx = sc->rdx;
	regs->rax = sc->rax;
	regs->rcx = sc->rcx;
	regs->rsp = sc->rsp;
	regs->rip = sc->rip;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->rflags = (regs->rflags & ~(u64)FIX_EFLAGS) |
		       (sc->eflags & FIX_EFLAGS);
	return 0;
}

/*
 * sys_rt_sigreturn - rt_sigreturn(2), which a handler's restorer calls
 * as it returns: restore the registers, the mask (SIGKILL and SIGSTOP
 * never blocked) and the alternate stack from the frame at rsp - 8 (the
 * handler's `ret` popped pretcode). A frame that cannot be read or is
 * refused (restore_sigcontext()) ends in SIGSEGV, as on Linux. Returns
 * the restored rax, so the interrupted code sees its registers
 * unchanged; the interrupted call is not restarted again. Linux's
 * rt_sigreturn().
 */
long sys_rt_sigreturn(struct pt_regs *regs)
{
	unsigned long frame = regs->rsp - 8;
	struct __kernel_ucontext uc;
	sigset_t set;

	if (copy_from_user(&uc,
			   (const void __user *)(frame +
						 offsetof(struct rt_sigframe,
							  uc)),
			   sizeof(uc)))
		goto badframe;
	set = uc.uc_sigmask;
	set_current_blocked(&set);
	if (restore_sigcontext(regs, &uc.uc_mcontext))
		goto badframe;
	/* The altstack as the frame says, unless that is refused (it is
	 * in use, or too small): Linux's restore_altstack() ignores that
	 * error too. */
	if (!on_sig_stack(regs->rsp)) {
		u32 mode = (u32)uc.uc_stack.ss_flags & ~SS_AUTODISARM;

		if (mode == SS_DISABLE) {
			current->sas_ss_sp = current->sas_ss_size = 0;
			current->sas_ss_flags = 0;
		} else if (uc.uc_stack.ss_size >= MINSIGSTKSZ &&
			   (mode == 0 || mode == SS_ONSTACK)) {
			current->sas_ss_sp = (unsigned long)uc.uc_stack.ss_sp;
			current->sas_ss_size = uc.uc_stack.ss_size;
			current->sas_ss_flags = (u32)uc.uc_stack.ss_flags &
						SS_AUTODISARM;
		}
	}
	regs->error_code = (u64)-1; /* no restart of what it interrupted */
	return (long)regs->rax;

badframe:
	force_sig(SIGSEGV);
	regs->error_code = (u64)-1;
	return 0;
}

/* The restart_block function when there is nothing to restart. */
static long do_no_restart_syscall(struct restart_block *rb)
{
	(void)rb;
	return -EINTR;
}

/*
 * sys_restart_syscall - restart_syscall(2): go on with the call a signal
 * interrupted with -ERESTART_RESTARTBLOCK (its restart_block says how);
 * -EINTR when there is none. Linux's restart_syscall(2), which user
 * programs never call themselves.
 */
long sys_restart_syscall(void)
{
	struct restart_block *rb = &current->restart_block;
	long (*fn)(struct restart_block *) = rb->fn;

	rb->fn = do_no_restart_syscall;
	return fn ? fn(rb) : -EINTR;
}
