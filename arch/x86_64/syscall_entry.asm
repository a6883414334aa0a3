; syscall_entry.asm - the `syscall` instruction's entry (MSR LSTAR).
;
; The CPU arrives here from user mode with RCX = user RIP, R11 = user
; RFLAGS, interrupts masked by FMASK, and nothing else changed: still the
; user's stack and GS. We swap GS, switch to the task's kernel stack
; (percpu.kernel_rsp), build the same struct pt_regs an interrupt builds
; (so fork, exec and signals see one frame layout), and call
; do_syscall(regs) (kernel/syscall.c). The return goes through iretq,
; which is always safe (sysret faults in kernel mode on a non-canonical
; RIP); Linux uses sysret when it can, a speed-up left out here.

bits 64
section .text

%define PERCPU_KERNEL_RSP	16
%define PERCPU_USER_RSP		24
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
	push rdi
	push rsi
	push rdx
	push rcx
	push rax			; the syscall number (result goes here)
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
	mov rdi, rsp
	; A frame record naming the user RIP, as trap_entry.asm does.
	push qword [rsp + 17 * 8]
	push rbp
	mov rbp, rsp
	call do_syscall
	add rsp, 16
	mov rdi, rsp
	jmp ret_to_user
