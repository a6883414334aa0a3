; trampoline.asm - where a secondary CPU (an AP) starts, and how it gets
; from 16-bit real mode to the kernel's 64-bit C code (docs/smp.md).
;
; An AP leaves reset in real mode and waits for a Startup IPI; the SIPI's
; vector v makes it start at physical v * 4096 with CS = v * 256, IP = 0
; (Intel SDM vol. 3, 9.4 "Multiple-Processor (MP) Initialization"). So
; the code below runs as a copy at TRAMPOLINE_PHYS, a page below 1 MiB
; that arch/x86_64/smpboot.c reserves in memblock and fills: the bytes
; from trampoline_start to trampoline_end, then the fields of struct
; trampoline_data (arch/x86_64/include/asm/smp.h) for the CPU to start.
; Every address inside the copy is therefore TR(label): the label's
; offset in the blob plus TRAMPOLINE_PHYS.
;
; The way up is the boot CPU's (boot/boot.asm), in three jumps:
;   real mode --lgdt, CR0.PE--> 32-bit protected mode --PAE, CR3 = the boot
;   page tables, EFER.LME/NXE, CR0.PG--> 64-bit mode, still running at the
;   identity-mapped low address --jmp--> secondary_startup_64 at its
;   kernel address, which switches to the kernel's own page tables.
; The boot page tables (boot_pml4) are used because they map both the low
; identity addresses the trampoline runs at and the kernel image; the
; kernel's tables (mm/init.c) have no identity map. Only after the jump to
; the kernel address may CR3 change, and only then is the idle task's
; stack (in the kstack area, mapped only in the kernel's tables) usable.

%define TRAMPOLINE_PHYS	0x8000		; = TRAMPOLINE_PHYS in asm/smp.h
%define PAGE_OFFSET	0xffff800000000000
%define TR(x)		(TRAMPOLINE_PHYS + (x) - trampoline_start)

%define X86_CR0_PE	(1 << 0)
%define X86_CR0_WP	(1 << 16)
%define X86_CR0_PG	(1 << 31)
%define X86_CR4_PAE	(1 << 5)
%define MSR_EFER	0xc0000080
%define EFER_LME	(1 << 8)
%define EFER_NXE	(1 << 11)

%define TR_CS32		0x08		; selectors in tr_gdt below
%define TR_DS		0x10
%define TR_CS64		0x18

extern boot_pml4			; boot/boot.asm: physical, below 4 GiB
extern start_secondary			; arch/x86_64/smpboot.c

section .rodata
align 16
global trampoline_start
global trampoline_end
global trampoline_data
trampoline_start:
bits 16
	cli				; the SIPI leaves IF as INIT left it: 0
	cld
	mov ax, cs			; CS = TRAMPOLINE_PHYS / 16
	mov ds, ax
	o32 lgdt [tr_gdtr - trampoline_start]
	mov eax, cr0
	or eax, X86_CR0_PE
	mov cr0, eax
	jmp dword TR_CS32:TR(.pm32)

bits 32
.pm32:
	mov ax, TR_DS
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov eax, cr4
	or eax, X86_CR4_PAE
	mov cr4, eax
	mov eax, [TR(tr_boot_cr3)]
	mov cr3, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, EFER_LME
	test dword [TR(tr_efer_nx)], 1	; the boot CPU found NX: the kernel's
	jz .no_nx			; tables use it, so set NXE before
	or eax, EFER_NXE		; they are loaded
.no_nx:
	wrmsr
	mov eax, cr0
	or eax, X86_CR0_PG | X86_CR0_WP | X86_CR0_PE
	mov cr0, eax
	jmp TR_CS64:TR(.lm64)

bits 64
.lm64:
	; Move the GDT register to the trampoline's direct-map alias: after
	; the CR3 switch the low identity address is gone.
	lgdt [TR(tr_gdtr64)]
	mov ax, TR_DS
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov edi, [TR(tr_cpu)]		; start_secondary(cpu)
	mov rsi, [TR(tr_stack)]
	mov rdx, [TR(tr_kernel_cr3)]
	mov rax, secondary_startup_64	; a kernel address
	jmp rax

align 8
tr_gdt:
	dq 0
	dq 0x00cf9a000000ffff		; 0x08: 32-bit code
	dq 0x00cf92000000ffff		; 0x10: data
	dq 0x00af9a000000ffff		; 0x18: 64-bit code
tr_gdt_end:
tr_gdtr:
	dw tr_gdt_end - tr_gdt - 1
	dd TR(tr_gdt)
align 8
tr_gdtr64:
	dw tr_gdt_end - tr_gdt - 1
	dq PAGE_OFFSET + TR(tr_gdt)
tr_boot_cr3:
	dd boot_pml4

; struct trampoline_data (asm/smp.h), written by smpboot.c into the copy
; before each INIT-SIPI-SIPI. The offsets are checked there.
align 8
trampoline_data:
tr_base:	dd TRAMPOLINE_PHYS	; 0: where this blob must be copied
tr_cpu:		dd 0			; 4: the CPU number being started
tr_stack:	dq 0			; 8: top of its idle task's stack
tr_kernel_cr3:	dq 0			; 16: init_pgd_phys
tr_efer_nx:	dd 0			; 24: 1 if EFER.NXE must be set
		dd 0			; 28: padding
trampoline_end:

section .text
bits 64
; In 64-bit mode on the boot page tables, at a kernel address that the
; kernel's tables map too: switch to them, then to the idle task's stack,
; and call start_secondary(cpu), which never returns.
; edi = cpu, rsi = stack top, rdx = the kernel's CR3.
global secondary_startup_64
secondary_startup_64:
	mov cr3, rdx
	mov rsp, rsi
	xor ebp, ebp			; ends the frame-pointer chain
	call start_secondary
.hang:
	cli
	hlt
	jmp .hang
