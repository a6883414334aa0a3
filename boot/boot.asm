; boot.asm - from the boot loader to kmain().
;
; Two ways in, one way on:
;   * GRUB (the user path) finds the multiboot2 header below and jumps to
;     _start_mb2 with EAX = 0x36d76289 and EBX = the multiboot2 info.
;   * QEMU -kernel (the measuring path, no BIOS/GRUB) finds the PVH ELF
;     note and jumps to _start_pvh with EBX = struct hvm_start_info.
; Both arrive in 32-bit protected mode with paging off. The common code
; builds boot page tables (low 4 GiB identity-mapped, the same 4 GiB at the
; direct map PAGE_OFFSET, and the kernel image at KERNEL_VMA), turns on PAE,
; long mode and NX, loads a 64-bit GDT, and jumps to the higher half, where
; kmain(boot_protocol, info_phys) takes over (kernel/main.c). mm/init.c
; later replaces these tables with the kernel's own.

%define PAGE_OFFSET	0xffff800000000000
%define KERNEL_VMA	0xffffffff80000000
%define BOOT_PROTO_MB2	1
%define BOOT_PROTO_PVH	2

%define MB2_MAGIC	0xe85250d6
%define MB2_ARCH_I386	0

%define PTE_P		(1 << 0)
%define PTE_W		(1 << 1)
%define PTE_PS		(1 << 7)

%define COM1		0x3f8

section .multiboot2 progbits alloc noexec nowrite align=8
mb2_header:
	dd MB2_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	align 8
	; entry address tag: enter at the physical _start_mb2, not e_entry
	dw 3, 0
	dd 12
	dd _start_mb2
	align 8
	; end tag
	dw 0, 0
	dd 8
mb2_header_end:

; PVH entry note, read by QEMU's -kernel loader (XEN_ELFNOTE_PHYS32_ENTRY).
section .note.pvh note alloc noexec nowrite align=4
	dd 4			; name size ("Xen\0")
	dd 4			; descriptor size
	dd 18			; XEN_ELFNOTE_PHYS32_ENTRY
	db "Xen", 0
	dd _start_pvh

section .boot.text progbits alloc exec nowrite align=16
bits 32
global _start_mb2
global _start_pvh
_start_mb2:
	mov esi, BOOT_PROTO_MB2
	jmp boot_common
_start_pvh:
	mov esi, BOOT_PROTO_PVH
boot_common:
	cli
	cld
	mov esp, boot_stack_low_top
	mov [boot_proto], esi
	mov [boot_info], ebx

	; Long mode is required; say so on the serial port instead of
	; triple-faulting silently.
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no_long_mode
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29		; LM
	jz .no_long_mode
	mov [boot_ext_edx], edx		; bit 20 = NX

	; The loader zeroes .boot.bss, but do not count on it: every
	; page-table entry not written below must be 0 (not present).
	mov edi, boot_pml4
	mov ecx, (boot_tables_end - boot_pml4) / 4
	xor eax, eax
	rep stosd

	; PML4[0] and PML4[256] -> pdpt_low (identity and direct map of the
	; low 4 GiB); PML4[511] -> pdpt_high for the kernel image.
	mov eax, pdpt_low
	or eax, PTE_P | PTE_W
	mov [boot_pml4], eax
	mov [boot_pml4 + 256 * 8], eax
	mov eax, pdpt_high
	or eax, PTE_P | PTE_W
	mov [boot_pml4 + 511 * 8], eax

	; pdpt_low[0..3] -> the four page directories; pdpt_high[510] ->
	; the first (KERNEL_VMA = -2 GiB maps physical 0 .. 1 GiB).
	mov eax, boot_pd
	or eax, PTE_P | PTE_W
	xor ecx, ecx
.fill_pdpt:
	mov [pdpt_low + ecx * 8], eax
	add eax, 4096
	inc ecx
	cmp ecx, 4
	jb .fill_pdpt
	mov eax, boot_pd
	or eax, PTE_P | PTE_W
	mov [pdpt_high + 510 * 8], eax

	; 2048 PDEs of 2 MiB pages = physical 0 .. 4 GiB.
	xor ecx, ecx
.fill_pd:
	mov eax, ecx
	shl eax, 21
	or eax, PTE_P | PTE_W | PTE_PS
	mov edx, ecx
	shr edx, 11			; high half of the address (ecx >> 11)
	mov [boot_pd + ecx * 8], eax
	mov [boot_pd + ecx * 8 + 4], edx
	inc ecx
	cmp ecx, 2048
	jb .fill_pd

	mov eax, cr4
	or eax, 1 << 5			; PAE
	mov cr4, eax
	mov eax, boot_pml4
	mov cr3, eax

	mov ecx, 0xc0000080		; EFER
	rdmsr
	or eax, 1 << 8			; LME
	test dword [boot_ext_edx], 1 << 20
	jz .no_nx
	or eax, 1 << 11			; NXE
.no_nx:
	wrmsr

	mov eax, cr0
	or eax, (1 << 31) | (1 << 16) | 1	; PG, WP, PE
	mov cr0, eax

	lgdt [boot_gdt_ptr]
	jmp 0x08:long_mode_low

.no_long_mode:
	mov esi, no_lm_msg
.puts:
	lodsb
	test al, al
	jz .halt
	mov dx, COM1
	out dx, al
	jmp .puts
.halt:
	hlt
	jmp .halt

bits 64
long_mode_low:
	xor eax, eax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov fs, ax
	mov gs, ax
	mov edi, [boot_proto]		; kmain's arguments, read while the
	mov esi, [boot_info]		; low identity map still exists
	mov rax, higher_half
	jmp rax

section .boot.data progbits alloc noexec write align=16
no_lm_msg:	db "boot: this CPU has no long mode (x86-64); halting", 13, 10, 0
align 8
boot_gdt:
	dq 0
	dq 0x00af9a000000ffff		; 0x08: 64-bit code
	dq 0x00cf92000000ffff		; 0x10: data
boot_gdt_ptr:
	dw boot_gdt_ptr - boot_gdt - 1
	dq boot_gdt
global boot_proto
global boot_info
boot_proto:	dd 0
boot_info:	dd 0
boot_ext_edx:	dd 0

section .boot.bss nobits alloc noexec write align=4096
global boot_pml4
boot_pml4:	resb 4096
pdpt_low:	resb 4096
pdpt_high:	resb 4096
boot_pd:	resb 4 * 4096
boot_tables_end:
		resb 4096
boot_stack_low_top:

section .text
bits 64
extern kmain
higher_half:
	mov rsp, boot_stack_top
	xor ebp, ebp			; ends the frame-pointer chain
	call kmain
.hang:
	cli
	hlt
	jmp .hang

section .bss
align 16
global boot_stack_bottom
global boot_stack_top
boot_stack_bottom:
	resb 16384
boot_stack_top:
