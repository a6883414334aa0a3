; poe_walk.asm - the emulated hardware page walker of the POE pipeline
; (docs/poe.md, docs/fault-paths.md), in assembly: the steps 1-7 of the C
; walker, poe_walk() in arch/x86_64/poe_walk.c, with the same semantics
; (the same fall-backs and counters, the same PTE lock bit and table
; lock, the same entries, the same refill request), in as few
; instructions as we could. The C walker stays the reference, and the
; poe ktests run both (tests/kernel/test_poe.c). `poe.walker=c` on the
; kernel command line makes the #PF stub run the C walker instead.
;
; Why a second walker: in US 11,474,952 the walker is hardware, and the
; fault is resolved right after the TLB miss without a context switch into
; the kernel (claims 1 and 9). Ours is software at the top of the #PF
; entry stub, and its cost is its instruction count (ticks under make
; bench's -icount). A C function must be called with every register a C
; call may clobber saved (nine) and costs its prologue and epilogue; this
; walker saves only the five registers it uses, keeps the error code on
; the stack and the per-CPU data behind GS, and returns by itself: iretq
; on a hit, a jump to the full handler on a fall-back.
;
; Three copies of one body (the POE_WALK macro):
;
;   poe_walk_asm_trap   the #PF stub's (arch/x86_64/trap_entry.asm
;                       trap_stub_14 jumps here after its enable-bit test,
;                       through the poe_walker pointer of poe_walk.c):
;                       [rsp] the CPU's error code, then its frame; kernel
;                       GS, interrupts off. A hit: swapgs, drop the error
;                       code, iretq. A fall-back: jump to poe_walk_declined
;                       (trap_entry.asm), with every register as it came.
;   poe_walk_asm_trap_irqsoff  the same with the interrupts-off tracer
;                       on (irqsoff.trace=1): its hit closes the section.
;   poe_walk_asm        bool poe_walk_asm(unsigned long ec), for C (the
;                       ktests): poe_walk()'s contract (include/mm/poe.h),
;                       enable-bit test included.
;
; Registers: rcx the index of each level, then the tail entry's offset
; and the new tail; rdx each level's entry, then the PTE, then the new
; PTE; rdi the PTE's address; rsi the table; r8 scratch. Constants that do
; not fit an instruction's 32-bit immediate are read from .rodata.
;
; Every offset and bit comes from asm/percpu.inc and asm/poe.inc, which
; the C side checks against its structures with static assertions.

bits 64
%include "asm/percpu.inc"
%include "asm/poe.inc"

extern poe_walk_declined
extern poe_walk_c_trap
extern poe_walk

section .rodata
align 8
; PAGE_OFFSET with the low 12 bits set: ORed into a table entry it turns
; the entry into the direct-map address of the table it points to, plus
; 0xfff, which the load's displacement takes off again (see step 1).
poe_dmap_or:	dq PAGE_OFFSET | 0xfff
poe_page_offset: dq PAGE_OFFSET
; What step 5 keeps of the mark: its rights, and bit 6, which by then
; holds the fault's write bit (the dirty bit of the new PTE).
poe_pte_keep:	dq _PAGE_POE_RIGHTS | _PAGE_DIRTY

; The registers the body saves; the error code sits above them.
%define POE_SAVED	5
%define POE_EC		byte [rsp + POE_SAVED * 8]
%define POE_PAGE_MASK	(~((1 << PAGE_SHIFT) - 1))
%define POE_TABLE_UNLOCK_MASK	(~(1 << POE_TABLE_LOCK_BIT))

; POE_WALK declined, hit, huge: the walker's body. On entry [rsp] is the
; #PF error code, GS the kernel's, interrupts off. A fall-back restores
; every register and jumps to `declined` with the stack as it came; a hit
; restores every register and runs the macro named `hit` (it must not
; fall through: the cold paths follow it); a POEable pmd restores every
; register and jumps to `huge`, the C walker's entry, with the stack as
; it came.
%macro POE_WALK 3
	push rcx
	push rdx
	push rsi
	push rdi
	push r8

	; Step 1: find the PTE (claim 1: after a TLB miss, find the
	; page-table entry). The CPU's own walk has failed: this is its
	; #PF. A protection fault or a reserved bit means a present or
	; broken PTE, which step 2 would decline: the error code says so
	; before the walk. Only user addresses: CR2 >> PGDIR_SHIFT, the pgd
	; index of a user address, must be below USER_TOP's (asm/poe.inc
	; shows that this is the test CR2 < USER_TOP).
	test POE_EC, X86_PF_PROT | X86_PF_RSVD
	jnz %%decline
	mov rcx, cr2
	shr rcx, PGDIR_SHIFT
	cmp ecx, USER_TOP_PGD
	jae %%decline
	; The four levels from CR3, each table reached through the direct
	; map, as pgd_offset_pgd(), pud_offset(), pmd_offset() and
	; pte_offset_kernel() do: entry & PTE_PFN_MASK, + PAGE_OFFSET, +
	; index * 8. Here the mask and the add are one OR of poe_dmap_or
	; (bits 47..63 and 0..11 set), with the 0xfff taken off by the
	; load's displacement: an OR is that add because a table's physical
	; address is below 2^47 (the direct map, PAGE_OFFSET = -2^47 up to
	; 2^64, cannot reach higher), and its bits 0..11 are 0. CR2 is read
	; again at each level rather than kept: a register kept is a push
	; and a pop more. A level that is missing, or maps a huge page
	; itself, is not ours.
	mov rdx, cr3
	or rdx, [rel poe_dmap_or]
	mov rdx, [rdx + rcx * 8 - 0xfff]	; the pgd entry
	test dl, _PAGE_PRESENT
	jz %%decline
	mov rcx, cr2
	shr rcx, PUD_SHIFT
	and ecx, PTRS_PER_TABLE - 1
	or rdx, [rel poe_dmap_or]
	mov rdx, [rdx + rcx * 8 - 0xfff]	; the pud entry
	; pud_present() && !pud_leaf() in one test: after TEST the sign
	; flag is bit 7 (_PAGE_PSE) and OF is 0, so "less or equal" is
	; "PSE set, or neither bit set".
	test dl, _PAGE_PRESENT | _PAGE_PSE
	jle %%decline
	mov rcx, cr2
	shr rcx, PMD_SHIFT
	and ecx, PTRS_PER_TABLE - 1
	or rdx, [rel poe_dmap_or]
	mov rdx, [rdx + rcx * 8 - 0xfff]	; the pmd entry
	test dl, _PAGE_PRESENT | _PAGE_PSE	; pmd_present() && !pmd_leaf()
	jle %%pmd_no_table
	mov rcx, cr2
	shr rcx, PAGE_SHIFT
	and ecx, PTRS_PER_TABLE - 1
	or rdx, [rel poe_dmap_or]
	lea rdi, [rdx + rcx * 8 - 0xfff]	; the PTE's address
	mov rdx, [rdi]				; the PTE, read once

	; Step 2: the two indicators: the present bit clear (claim 6, the
	; first indicator) and the POEable bit set (claim 5, the second, a
	; user bit). Not in the patent, and tested with them: the rights.
	; The mark carries the VMA's RW and NX; an access they do not
	; allow goes to the full handler, which kills. For a write, the
	; indicators and RW are one test: P, POEABLE, RW must be 0, 1, 1.
	; From here bit 6 of rdx is not the mark's (step 5 drops the mark's
	; bit 6) but the fault's write bit, the new PTE's dirty bit.
	test POE_EC, X86_PF_WRITE
	jz %%read
	xor dl, _PAGE_POEABLE | _PAGE_RW
	test dl, _PAGE_PRESENT | _PAGE_POEABLE | _PAGE_RW
	jnz %%decline
	or dl, _PAGE_RW | _PAGE_DIRTY		; RW back (it was set); a write
%%instr_test:
	test POE_EC, X86_PF_INSTR		; a fetch needs NX clear
	jnz %%instr
%%rights_ok:

	; Step 3: lock the PTE: test-and-set of the repurposed A bit (bit
	; 5). Set already: the full handler is mapping this page.
	lock bts qword [rdi], _PAGE_POE_LOCK_BIT
	jc %%pte_locked

	; Step 4: a page from this CPU's pre-allocation table (claim 1),
	; which the POE register (struct percpu's poe_reg) locates by its
	; PFN. Error handling (claim 11) holds the table lock, from any
	; CPU: take it with a test-and-set, and keep out while another
	; holds it. The producers and the post-fault work hold only the
	; fill lock (bit 1), which the walker ignores: a producer writes
	; the pfn of a free entry before its valid va, and x86 keeps both
	; the stores and our two loads in order. Then the tail entry must
	; be valid. rcx: the tail entry's offset from the first entry.
	imul rsi, qword [gs:PERCPU_POE_TABLE_PFN], 1 << PAGE_SHIFT
	add rsi, [rel poe_page_offset]
	lock bts dword [rsi + POE_HDR_LOCK], POE_TABLE_LOCK_BIT
	jc %%table_locked
	mov ecx, [rsi + POE_HDR_TAIL]
	shl ecx, POE_ENTRY_ORDER
	test byte [rsi + rcx + POE_TABLE_ENT + POE_ENT_VA], POE_ENTRY_VALID
	jz %%table_empty

	; Step 6, its first store, made before step 5 builds the new PTE
	; over the mark: the TGID from the mark into the entry. The C
	; walker makes the same store first; nobody reads an entry's TGID
	; before its used flag, which the VA store below sets.
	; (u32)(pte >> 12) is (pte & PTE_PFN_MASK) >> 12: asm/poe.inc.
	mov r8, rdx
	shr r8, POE_PTE_TGID_SHIFT
	mov [rsi + rcx + POE_TABLE_ENT + POE_ENT_TGID], r8d

	; Step 5: build the new PTE: the entry's page, present, user,
	; accessed, the mark's rights (RW, NX), dirty for a write. Writing
	; it also ends the lock: bit 5 is then the real accessed bit, and
	; a present PTE is never taken by either path again. The four
	; parts have no bit in common, so lea's adds are ORs.
	and rdx, [rel poe_pte_keep]
	mov r8d, [rsi + rcx + POE_TABLE_ENT + POE_ENT_PFN]
	shl r8, PAGE_SHIFT
	lea rdx, [rdx + r8 + (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)]

	; Step 6: record the fault for post-page-fault work (claim 7): the
	; VA with used = 1 and valid = 0, in one store; then advance tail
	; (1..N, N wraps to 1: poe_next()) and unlock the table.
	mov r8, cr2
	and r8, POE_PAGE_MASK
	or r8, POE_ENTRY_USED
	mov [rsi + rcx + POE_TABLE_ENT + POE_ENT_VA], r8
	shr ecx, POE_ENTRY_ORDER		; tail again
	cmp ecx, [rsi + POE_HDR_NR_ENTRIES]
	je %%tail_wrap
	inc ecx
%%tail_set:
	mov [rsi + POE_HDR_TAIL], ecx
	lock and dword [rsi + POE_HDR_LOCK], POE_TABLE_UNLOCK_MASK

	; Step 7: update the PTE: map, and so unlock. Not present ->
	; present needs no TLB flush. The stub's iretq retries the access,
	; with no context switch on the way (claim 9).
	mov [rdi], rdx
	add qword [gs:PERCPU_POE_HITS], 1
	; Not in the patent: the low watermark (claim 8 refills on a
	; threshold of available pages). When the low-th entry from the
	; new tail is not valid, fewer than `low` pages are left: raise
	; poe_need_refill, which the next tick or kernel entry acts on
	; (poe_kick()). low = 0: no test. ecx is the new tail: only this
	; CPU's walker moves it, so it is what the C walker reads back.
	movzx r8d, word [gs:PERCPU_POE_LOW]
	test r8d, r8d
	jz %%hit
	lea r8d, [r8 + rcx - 1]
	cmp r8d, [rsi + POE_HDR_NR_ENTRIES]
	ja %%low_wrap
%%low_test:
	shl r8d, POE_ENTRY_ORDER
	test byte [rsi + r8 + POE_TABLE_ENT + POE_ENT_VA], POE_ENTRY_VALID
	jnz %%hit
	mov byte [gs:PERCPU_POE_NEED_REFILL], 1	; low: refill soon
%%hit:
	pop r8
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	%2

	; The cold paths, out of the hit path's way.
%%read:
	; A read: the two indicators only (P 0, POEABLE 1); no dirty bit.
	xor dl, _PAGE_POEABLE
	test dl, _PAGE_PRESENT | _PAGE_POEABLE
	jnz %%decline
	and dl, ~_PAGE_DIRTY
	jmp %%instr_test
%%instr:
	test rdx, rdx				; _PAGE_NX is bit 63
	js %%decline
	jmp %%rights_ok
%%pmd_no_table:
	; No PTE table: a POEable pmd (P 0, POEABLE 1, PS 0) is a 2 MiB
	; mark, which the C walker maps from the huge table
	; (poe_walk_huge(), docs/poe.md "Huge pages"); anything else is
	; not ours. Its path is rare next to the 4 KiB one and costs a
	; C call anyway; a second copy in assembly would be the place to
	; start if its ticks mattered.
	and edx, _PAGE_PRESENT | _PAGE_POEABLE | _PAGE_PSE
	cmp edx, _PAGE_POEABLE
	jne %%decline
	pop r8
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	jmp %3
%%tail_wrap:
	mov ecx, 1
	jmp %%tail_set
%%low_wrap:
	sub r8d, [rsi + POE_HDR_NR_ENTRIES]
	jmp %%low_test
%%pte_locked:
	add qword [gs:PERCPU_POE_FB_PTE_LOCKED], 1
	jmp %%decline
%%table_locked:
	add qword [gs:PERCPU_POE_FB_TABLE_LOCKED], 1
	jmp %%unlock_pte
%%table_empty:
	; Empty: ask for a refill (the next tick or kernel entry).
	add qword [gs:PERCPU_POE_FB_TABLE_EMPTY], 1
	mov byte [gs:PERCPU_POE_NEED_REFILL], 1
	lock and dword [rsi + POE_HDR_LOCK], POE_TABLE_UNLOCK_MASK
%%unlock_pte:
	; A fall-back after step 3: unlock the PTE, change nothing else.
	lock and qword [rdi], ~(1 << _PAGE_POE_LOCK_BIT)
%%decline:
	pop r8
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	jmp %1
%endmacro

section .text

; The #PF stub's hit: back to the user's GS, drop the error code, retry.
%macro POE_TRAP_HIT 0
	swapgs
	add rsp, 8
	iretq
%endmacro

global poe_walk_asm_trap
poe_walk_asm_trap:
	POE_WALK poe_walk_declined, POE_TRAP_HIT, poe_walk_c_trap

; The same hit with the interrupts-off tracer on (irqsoff.trace=1,
; kernel/irqsoff.c): the section the traced #PF stub opened ends before
; the iretq turns IF back on. A third copy of the body, so that the
; default walker pays nothing for the tracer. trace_hardirqs_on() is C:
; save what a C call may clobber, with the ABI's direction flag (the
; iretq restores the user's) and a 16-byte aligned stack (the CPU
; aligned it before its 6-word frame; nine pushes and 8 bytes more).
extern trace_hardirqs_on
%macro POE_TRAP_HIT_IRQSOFF 0
	push rax
	push rcx
	push rdx
	push rsi
	push rdi
	push r8
	push r9
	push r10
	push r11
	cld
	sub rsp, 8
	call trace_hardirqs_on
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
	POE_TRAP_HIT
%endmacro

global poe_walk_asm_trap_irqsoff
poe_walk_asm_trap_irqsoff:
	POE_WALK poe_walk_declined, POE_TRAP_HIT_IRQSOFF, poe_walk_c_trap

; bool poe_walk_asm(unsigned long ec): poe_walk()'s contract, for C. Not
; in the patent: the POE register's enable bit (off: no table to take
; from). The stub tests it before it jumps to poe_walk_asm_trap; here the
; prologue does, as poe_walk() re-tests it. The error code goes where the
; body finds the CPU's.
%macro POE_C_HIT 0
	add rsp, 8
	mov eax, 1
	ret
%endmacro

global poe_walk_asm
poe_walk_asm:
	cmp word [gs:PERCPU_POE_ENABLE], 0
	je .off
	push rdi
	POE_WALK .declined, POE_C_HIT, .huge
.declined:
	add rsp, 8
.off:
	xor eax, eax
	ret
.huge:
	pop rdi				; the error code: poe_walk(ec) returns
	jmp poe_walk			; to our caller
