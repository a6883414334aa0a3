; syscall_entry.asm - the `syscall` instruction's entry (MSR LSTAR).
;
; The CPU arrives here from user mode with RCX = user RIP, R11 = user
; RFLAGS, interrupts masked by FMASK, and nothing else changed: still the
; user's stack and GS. We swap GS, switch to the task's kernel stack
; (percpu.kernel_rsp), build the same struct pt_regs an interrupt builds
; (so fork, exec and signals see one frame layout), and call
; do_syscall(regs) (kernel/syscall.c). The way back is sysret when the
; frame allows it, else iretq (see below).

bits 64
%include "asm/pt_regs.inc"
section .text

%include "asm/percpu.inc"
%define USER_DS			0x23
%define USER_CS			0x2b

extern do_syscall
extern ret_to_user

; The entry with the interrupts-off tracer on (irqsoff.trace=1; MSR_LSTAR
; points here, kernel/syscall.c): `syscall` cleared IF (MSR_FMASK), and
; user mode always has it on, so a section begins now. Stamp this CPU's
; irqsoff_start with the TSC and irqsoff_start_ip with syscall_entry
; (kernel/irqsoff.c), with rax (the call's number) and rdx (its third
; argument) kept in per-CPU scratch words meanwhile, then go on into the
; plain entry as if nothing had happened. do_syscall()'s
; local_irq_enable() ends the section.
global syscall_entry_irqsoff
syscall_entry_irqsoff:
	swapgs
	mov [gs:PERCPU_IRQSOFF_SCRATCH], rax
	mov [gs:PERCPU_IRQSOFF_SCRATCH + 8], rdx
	rdtsc
	shl rdx, 32
	or rax, rdx
	or rax, 1			; never 0: 0 means none open
	mov [gs:PERCPU_IRQSOFF_START], rax
	lea rax, [rel syscall_entry]
	mov [gs:PERCPU_IRQSOFF_START_IP], rax
	mov rax, [gs:PERCPU_IRQSOFF_SCRATCH]
	mov rdx, [gs:PERCPU_IRQSOFF_SCRATCH + 8]
	swapgs
	; falls through into syscall_entry

global syscall_entry
syscall_entry:
	swapgs
	mov [gs:PERCPU_USER_RSP], rsp
	mov rsp, [gs:PERCPU_KERNEL_RSP]
	push USER_DS			; ss
	push qword [gs:PERCPU_USER_RSP]	; rsp
	push r11			; rflags
	push USER_CS			; cs
	push rcx			; rip
	push rax			; "error code": the call's number, kept
					; for a restart (Linux's orig_ax)
	push -1				; "vector": -1 marks a system call
	PUSH_REGS			; rax: the number (result goes here)
	cld
	mov rdi, rsp
	; A frame record naming the user RIP, as trap_entry.asm does.
	push qword [rsp + PT_REGS_RIP * 8]
	push rbp
	mov rbp, rsp
	call do_syscall
	add rsp, 16

	; Back with sysret when it is safe, with Linux 6.1's checks
	; (entry_SYSCALL_64): sysret loads RIP from RCX and RFLAGS from R11
	; and the selectors from MSR STAR, so anything unusual takes the
	; iretq path instead. The RIP must be canonical: on Intel CPUs a
	; sysret to a non-canonical RCX raises #GP in kernel mode after the
	; user's RSP is back in place, and the handler would run on a stack
	; the user chose. The frame's RIP is where the `syscall` left off,
	; unless exec changed it; a `syscall` in the last two bytes below
	; 0x800000000000 would leave off at 0x800000000000 itself, which is
	; why the top page of user space is never mapped (TASK_SIZE,
	; include/mm/user_mm.h), and this test is the second line of
	; defence. Canonical: bits 63..47 all equal, so sign-extending bit
	; 47 changes nothing.
	mov rcx, [rsp + PT_REGS_RIP * 8]
	mov r11, [rsp + PT_REGS_RFLAGS * 8]
	mov rax, rcx
	shl rax, 64 - 48
	sar rax, 64 - 48
	cmp rax, rcx
	jne .slow			; not canonical
	test r11, (1 << 8) | (1 << 16)	; TF or RF: let iretq handle them
	jnz .slow
	cmp qword [rsp + PT_REGS_CS * 8], USER_CS
	jne .slow			; CS and SS must be STAR's
	cmp qword [rsp + PT_REGS_SS * 8], USER_DS
	jne .slow
	; sysret loses the user's RCX and R11 (it loads them with RIP and
	; RFLAGS): where the frame holds others (rt_sigreturn restored
	; them, a signal interrupted the program anywhere), iretq.
	cmp rcx, [rsp + PT_REGS_RCX * 8]
	jne .slow
	cmp r11, [rsp + PT_REGS_R11 * 8]
	jne .slow
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	add rsp, 8			; r11: already the user RFLAGS
	pop r10
	pop r9
	pop r8
	pop rax
	add rsp, 8			; rcx: already the user RIP
	pop rdx
	pop rsi
	pop rdi
	mov rsp, [rsp + 5 * 8]		; vector, error, rip, cs, rflags, RSP
	swapgs
	o64 sysret
.slow:
	mov rdi, rsp
	jmp ret_to_user
