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
	push 0				; error code
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

	; Back with sysret when it is safe, as Linux does: sysret loads RIP
	; from RCX and RFLAGS from R11, and would #GP in kernel mode on a
	; non-canonical RIP (exec or a signal may have changed the frame), so
	; anything unusual takes the iretq path instead.
	mov rcx, [rsp + PT_REGS_RIP * 8]
	mov r11, [rsp + PT_REGS_RFLAGS * 8]
	mov rax, 0x00007ffffffff000	; below the top user page: canonical
	cmp rcx, rax
	jae .slow
	test r11, (1 << 8) | (1 << 16)	; TF or RF: let iretq handle them
	jnz .slow
	cmp qword [rsp + PT_REGS_CS * 8], USER_CS
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
