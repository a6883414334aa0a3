; switch.asm - the context switch and the first steps of a new task.
;
; __switch_to_asm(&prev->ksp, next->ksp) saves the callee-saved registers
; on prev's kernel stack, stores prev's RSP, loads next's and pops next's
; registers: the `ret` then continues wherever next last called
; __switch_to_asm (inside schedule()) -- or, for a task that never ran, at the
; entry point kernel/sched.c put on its new stack (task_first_entry).
; Everything else (RIP, caller-saved registers) is already on the stack
; by the C calling convention. Linux's __switch_to_asm (entry_64.S); the
; C half Linux calls __switch_to() (FPU, FS base, TSS) is done inline by
; __schedule() in kernel/sched.c before this runs.

bits 64
section .text

global __switch_to_asm
__switch_to_asm:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp
	mov rsp, rsi
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

; A new kernel thread's first return lands here with r12 = the C function
; to run (kthread_main) and rbp = 0 (ending backtraces). __switch_to_asm does
; not carry RFLAGS, so a new task would start with whatever flags the
; task before it had: start from clean ones instead (only the fixed bit 1;
; interrupts stay off until schedule_tail), as Linux's new tasks do.
extern schedule_tail
global task_first_entry
task_first_entry:
	push 2				; X86_EFLAGS_FIXED (asm/processor-flags.h)
	popfq
	call schedule_tail		; finish the switch, interrupts on
	mov rdi, r13
	call r12			; never returns
	ud2
