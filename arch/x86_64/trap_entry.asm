; trap_entry.asm - the entry stubs for every IDT vector the kernel uses.
;
; Each stub makes the stack look the same (a struct pt_regs, see
; arch/x86_64/include/asm/ptrace.h): it pushes a 0 error code where the CPU
; pushes none, then the vector number, then jumps to trap_common, which
; saves the general registers and calls do_trap(regs) (arch/x86_64/traps.c).
;
; #PF (vector 14) is the stub the POE issue extends: the emulated page
; walker runs at its very top, before trap_common saves the full frame.
; Today it takes the same path as every other exception.

bits 64
%include "asm/pt_regs.inc"
section .text

extern do_trap

%macro TRAP_NOERR 1
trap_stub_%1:
	push 0				; no error code from the CPU
	push %1
	jmp trap_common
%endmacro

%macro TRAP_ERR 1
trap_stub_%1:
	push %1				; the CPU pushed the error code
	jmp trap_common
%endmacro

; Vectors whose exceptions push an error code (Intel SDM vol. 3, 6.13).
%define HAS_ERR(v) ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || \
			(v) == 13 || (v) == 14 || (v) == 17 || (v) == 21 || \
			(v) == 29 || (v) == 30)

%assign v 0
%rep 48
 %if HAS_ERR(v)
	TRAP_ERR v
 %else
	TRAP_NOERR v
 %endif
 %assign v v + 1
%endrep
	TRAP_NOERR 255			; LAPIC spurious vector

trap_common:
	; From user mode, GS.base is the user's: swap in the kernel's per-CPU
	; base (include/kernel/percpu.h). [rsp + 24] is the saved CS.
	test qword [rsp + 24], 3
	jz .from_kernel
	swapgs
.from_kernel:
	PUSH_REGS
	cld
	mov rdi, rsp			; struct pt_regs *
	; Make the stack look as if the interrupted code had called
	; trap_handler: a return address (the interrupted RIP), then an
	; ordinary push rbp / mov rbp, rsp prologue. The kernel's own
	; backtraces (arch/x86_64/stacktrace.c) and gdb's both walk through it.
	push qword [rsp + PT_REGS_RIP * 8]	; regs->rip, as a return address
global trap_handler
trap_handler:
	push rbp
	mov rbp, rsp
	call do_trap
	pop rbp
	add rsp, 8
global ret_to_user_or_kernel
ret_to_user_or_kernel:
	POP_REGS
	add rsp, 16			; vector and error code
	test qword [rsp + 8], 3		; back to user mode?
	jz .to_kernel
	swapgs
.to_kernel:
	iretq

; The way into user mode for a task whose user frame (struct pt_regs) sits
; at the top of its kernel stack: a forked child, or init after exec.
; rdi = the frame.
global ret_to_user
ret_to_user:
	mov rsp, rdi
	jmp ret_to_user_or_kernel

; The stubs' addresses, indexed by vector, for idt_init().
section .rodata
align 8
global trap_stub_table
trap_stub_table:
%assign v 0
%rep 48
	dq trap_stub_ %+ v
 %assign v v + 1
%endrep
global trap_stub_spurious
trap_stub_spurious:
	dq trap_stub_255
