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
	push rdi
	push rsi
	push rdx
	push rcx
	push rax
	push r8
	push r9
	push r10
	push r11
	push rbx
	push rbp
	push r12
	push r13
	push r14
	push r15
	cld
	mov rdi, rsp			; struct pt_regs *
	; Make the stack look as if the interrupted code had called
	; trap_handler: a return address (the interrupted RIP), then an
	; ordinary push rbp / mov rbp, rsp prologue. The kernel's own
	; backtraces (arch/x86_64/stacktrace.c) and gdb's both walk through it.
	push qword [rsp + 17 * 8]	; regs->rip, as a return address
global trap_handler
trap_handler:
	push rbp
	mov rbp, rsp
	call do_trap
	pop rbp
	add rsp, 8
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	pop r11
	pop r10
	pop r9
	pop r8
	pop rax
	pop rcx
	pop rdx
	pop rsi
	pop rdi
	add rsp, 16			; vector and error code
	iretq

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
