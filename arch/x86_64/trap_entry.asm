; trap_entry.asm - the entry stubs for every IDT vector the kernel uses.
;
; Each stub makes the stack look the same (a struct pt_regs, see
; arch/x86_64/include/asm/ptrace.h): it pushes a 0 error code where the CPU
; pushes none, then the vector number, then jumps to trap_common, which
; saves the general registers and calls do_trap(regs) (arch/x86_64/traps.c).
;
; #PF (vector 14) has its own stub: the POE fast path, the emulated page
; walker, runs at its very top, before trap_common saves the full frame,
; before the scheduler can run and with interrupts still off (an interrupt
; gate). The walker is the assembly one (arch/x86_64/poe_walk.asm) or,
; with poe.walker=c, the C one (arch/x86_64/poe_walk.c) behind
; poe_walk_c_trap below. Only when the walker declines does the fault go
; on to trap_common and the full handler (arch/x86_64/fault.c, then
; mm/fault.c).

bits 64
%include "asm/pt_regs.inc"
%include "asm/percpu.inc"		; PERCPU_POE_ENABLE
section .text

extern do_trap
extern poe_walk
extern poe_walker
extern irqsoff_tracing
extern trace_hardirqs_on

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

; #PF: the POE fast path first (docs/fault-paths.md; US 11,474,952 claims
; 1 and 9: the fault resolved without a context switch into the kernel).
; Stack on entry: [rsp] error code, [rsp+8] RIP, [rsp+16] CS, RFLAGS,
; RSP, SS, pushed by the CPU on the kernel stack (TSS.RSP0).
;
; The walker is entered by a jump through poe_walker (arch/x86_64/
; poe_walk.c: poe_walk_asm_trap, or poe_walk_c_trap for poe.walker=c),
; with the kernel's GS and the stack as the CPU left it. It does not
; return: on a hit it swaps GS back, drops the error code and irets; on a
; fall-back it jumps to poe_walk_declined with every register as it came.
%macro TRAP_PF 0
trap_stub_14:
	test qword [rsp + 16], 3	; a fault from kernel mode (a user copy):
	jz %%full			; the full handler, with its fixups
	swapgs				; the kernel's GS: the POE register
	cmp word [gs:PERCPU_POE_ENABLE], 0
	je poe_walk_declined		; POE off: straight to the full handler
	jmp [rel poe_walker]		; steps 1-7: iretq, or back below
global poe_walk_declined
poe_walk_declined:
	swapgs				; trap_common swaps again
%%full:
	push 14
	jmp trap_common
%endmacro

; Vectors whose exceptions push an error code (Intel SDM vol. 3, 6.13).
%define HAS_ERR(v) ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || \
			(v) == 13 || (v) == 14 || (v) == 17 || (v) == 21 || \
			(v) == 29 || (v) == 30)

%assign v 0
%rep 48
 %if v == 14
	TRAP_PF
 %elif HAS_ERR(v)
	TRAP_ERR v
 %else
	TRAP_NOERR v
 %endif
 %assign v v + 1
%endrep
	TRAP_NOERR 255			; LAPIC spurious vector
	TRAP_NOERR 0xfc			; CALL_FUNCTION_VECTOR (asm/smp.h)
	TRAP_NOERR 0xfd			; RESCHEDULE_VECTOR

; The traced copies of the stubs, for the interrupts-off tracer
; (irqsoff.trace=1, kernel/irqsoff.c; idt_use_irqsoff_stubs() points the
; gates here). The CPU cleared IF on the way in (interrupt gates): when
; the interrupted code had it on, a section begins now, so stamp this
; CPU's irqsoff_start with the TSC and irqsoff_start_ip with the plain
; stub's address, then go on into the plain stub with every register
; as it came. When it had IF off (an exception in a section, a user
; copy under a spinlock), the open section simply goes on. The stamp is
; written whatever an earlier one left: code with IF on has no open
; section. %1: the vector, %2: 1 if the CPU pushed an error code.
%macro IRQSOFF_STUB 2
irqsoff_stub_%1:
	push rax
	push rdx
	; [rsp + 16] the error code if any, then RIP, CS, RFLAGS
	test qword [rsp + 16 + 8 * %2 + 16], 1 << 9	; X86_EFLAGS_IF
	jz %%done
	test qword [rsp + 16 + 8 * %2 + 8], 3	; from user mode: its GS
	jz %%stamp
	swapgs
%%stamp:
	rdtsc
	shl rdx, 32
	or rax, rdx
	or rax, 1			; never 0: 0 means none open
	mov [gs:PERCPU_IRQSOFF_START], rax
	lea rax, [rel trap_stub_%1]
	mov [gs:PERCPU_IRQSOFF_START_IP], rax
	test qword [rsp + 16 + 8 * %2 + 8], 3
	jz %%done
	swapgs
%%done:
	pop rdx
	pop rax
	jmp trap_stub_%1
%endmacro

%assign v 0
%rep 48
 %if HAS_ERR(v)
	IRQSOFF_STUB v, 1
 %else
	IRQSOFF_STUB v, 0
 %endif
 %assign v v + 1
%endrep
	IRQSOFF_STUB 255, 0
	IRQSOFF_STUB 0xfc, 0
	IRQSOFF_STUB 0xfd, 0

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

; The null trap (include/uapi/poe.h POE_NULL_TRAP_VECTOR, a DPL 3 gate):
; `int $0x81` from user mode returns at once. faultbench times it as the
; floor of any fault: the CPU's trap entry and iretq, no kernel work.
global poe_null_trap
poe_null_trap:
	iretq

; The C walker behind the #PF stub (poe.walker=c): poe_walk() is a C
; function, so save exactly the registers a C call may clobber, pass the
; error code, and keep the ABI's direction flag and stack alignment. The
; stub's walker contract (trap_stub_14 above): iretq on a hit, otherwise
; poe_walk_declined with every register as it came.
global poe_walk_c_trap
poe_walk_c_trap:
	push rax
	push rcx
	push rdx
	push rsi
	push rdi
	push r8
	push r9
	push r10
	push r11
	mov rdi, [rsp + 9 * 8]		; arg: the error code
	cld				; the C ABI's direction flag
	sub rsp, 8			; 16-byte aligned call (SysV ABI)
	call poe_walk			; steps 1-7: true = page mapped
	test al, al
	jz .c_declined
	; A hit ends the interrupts-off section the traced #PF stub
	; opened (kernel/irqsoff.c); the stack is still aligned.
	cmp byte [rel irqsoff_tracing], 0
	je .c_hit
	call trace_hardirqs_on
.c_hit:
	add rsp, 8
	pop r11
	pop r10
	pop r9
	pop r8
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rax
	swapgs				; hit: back to the user's GS,
	add rsp, 8			; drop the error code,
	iretq				; and retry the access
.c_declined:
	add rsp, 8
	pop r11
	pop r10
	pop r9
	pop r8
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rax
	jmp poe_walk_declined

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
global trap_stub_call_function
trap_stub_call_function:
	dq trap_stub_0xfc
global trap_stub_reschedule
trap_stub_reschedule:
	dq trap_stub_0xfd

; The traced copies' addresses (idt_use_irqsoff_stubs()).
align 8
global irqsoff_stub_table
irqsoff_stub_table:
%assign v 0
%rep 48
	dq irqsoff_stub_ %+ v
 %assign v v + 1
%endrep
global irqsoff_stub_spurious
irqsoff_stub_spurious:
	dq irqsoff_stub_255
global irqsoff_stub_call_function
irqsoff_stub_call_function:
	dq irqsoff_stub_0xfc
global irqsoff_stub_reschedule
irqsoff_stub_reschedule:
	dq irqsoff_stub_0xfd
