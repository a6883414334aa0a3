/*
 * poe_walk.c - the emulated hardware page walker of the POE pipeline
 * (US 11,474,952 FIG. 3; DESIGN.md §4 "POE fast path"). In the patent the
 * MMU's page walker itself maps a pre-allocated page on a not-present
 * fault; here the #PF entry stub (trap_entry.asm) calls poe_walk() before
 * it saves the full frame, switches to the scheduler or enables
 * interrupts, with only the caller-saved registers pushed. When poe_walk()
 * returns true the stub pops them and irets: the fault is over without the
 * kernel proper. Otherwise nothing has changed, and the stub falls through
 * to the full handler (arch/x86_64/fault.c, then mm/fault.c).
 *
 * Everything the walker reads it reaches through the direct map and this
 * CPU's per-CPU data (GS): CR3's page tables, the POE register and the
 * pre-allocation table (include/mm/poe.h). It never looks at a VMA, a
 * task or a lock other than the PTE's and the table's bits; the
 * pre-page-fault thread (mm/poe_prefault.c) put what it needs into the
 * POEable PTE, and the post-page-fault work (mm/poe_postfault.c) does the
 * accounting afterwards.
 */
#include <kernel/percpu.h>
#include <mm/poe.h>
#include <asm/cpu.h>
#include <asm/memlayout.h>
#include <asm/trap_pf.h>

/* The next level's table, or NULL when this entry does not point to one. */
static inline u64 *next_table(u64 entry)
{
	if ((entry & (_PAGE_PRESENT | _PAGE_PSE)) != _PAGE_PRESENT)
		return NULL;
	return (u64 *)__va(entry & PTE_PFN_MASK);
}

/*
 * poe_walk - the POE fast path for the fault in CR2 with error code ec
 * (the CPU's #PF error code, X86_PF_*). Called by trap_entry.asm with
 * interrupts off, on the kernel stack, with the kernel's GS, only for
 * faults from user mode. Returns true when it mapped a pre-allocated page
 * (the faulting instruction is retried), false to fall back to the full
 * handler with the page tables and the table unchanged.
 * Source: US 11,474,952 §4.5 and FIG. 3, steps 1-7.
 */
bool poe_walk(unsigned long ec)
{
	struct percpu *cpu = this_cpu();
	struct poe_table *table;
	struct poe_entry *ent;
	unsigned long va;
	u64 *pt, pte, new;
	u32 tail;

	/* The POE register's enable bit: off means no table to take from.
	 * The stub tests it before calling; this covers direct callers (the
	 * poe ktests) at the cost of two instructions. */
	if (!cpu->poe_reg.enable)
		return false;
	/* Step 1: only a not-present fault is ours; a protection fault
	 * (COW, a write to a read-only page) or a reserved bit is not. */
	if (ec & (X86_PF_PROT | X86_PF_RSVD))
		return false;
	va = read_cr2();
	if (va >= USER_TOP)
		return false;

	/* Step 1: walk CR3's four levels through the direct map. */
	pt = (u64 *)__va(read_cr3() & PTE_PFN_MASK);
	if (!(pt = next_table(pt[pgd_index(va)])) ||
	    !(pt = next_table(pt[pud_index(va)])) ||
	    !(pt = next_table(pt[pmd_index(va)])))
		return false;		/* step 2: a level is missing */
	pt += pte_index(va);
	pte = *(volatile u64 *)pt;

	/* Step 2: present, or not marked POEable -> full handler. So is an
	 * access the marked rights do not allow: the full handler kills. */
	if (!pte_poeable(pte))
		return false;
	if (((ec & X86_PF_WRITE) && !(pte & _PAGE_RW)) ||
	    ((ec & X86_PF_INSTR) && (pte & _PAGE_NX)))
		return false;

	/* Step 3: lock the PTE: test-and-set of the repurposed A bit. */
	if (__atomic_fetch_or(pt, _PAGE_POE_LOCK, __ATOMIC_ACQUIRE) & _PAGE_POE_LOCK) {
		cpu->poe_walk.fb_pte_locked++;
		return false;		/* the other path is mapping it */
	}

	/* Step 4: this CPU's table; the tail entry must hold a page. The
	 * table lock belongs to error handling: keep out while it is held. */
	table = (struct poe_table *)__va(cpu->poe_reg.table_pfn << PAGE_SHIFT);
	if (READ_ONCE(table->hdr.lock) & POE_TABLE_LOCK) {
		cpu->poe_walk.fb_table_locked++;
		goto unlock;
	}
	tail = table->hdr.tail;
	ent = &table->ent[tail];
	if (!(ent->va & POE_ENTRY_VALID)) {
		cpu->poe_walk.fb_table_empty++;
		cpu->poe_walk.kick = 1;		/* refill at the next entry */
		goto unlock;
	}

	/* Step 5: the PTE: the page, present, user, accessed, the marked
	 * rights (RW, NX), and dirty for a write. Writing it also ends the
	 * lock: bit 5 stays set as the real accessed bit, and a present PTE
	 * is never taken by either path again. Not present -> present needs
	 * no TLB flush. */
	new = ((u64)ent->pfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_USER |
	      _PAGE_ACCESSED | (pte & _PAGE_POE_RIGHTS) |
	      ((ec & X86_PF_WRITE) ? _PAGE_DIRTY : 0);

	/* Step 6: record the fault for post-page-fault: VA, TGID, used = 1,
	 * valid = 0 (one store for the flags), then advance tail. */
	ent->tgid = (u32)((pte & PTE_PFN_MASK) >> POE_PTE_TGID_SHIFT);
	WRITE_ONCE(ent->va, (va & PAGE_MASK) | POE_ENTRY_USED);
	table->hdr.tail = poe_next(tail, table->hdr.nr_entries);

	/* Step 7: map (and so unlock); the stub irets. */
	__atomic_store_n(pt, new, __ATOMIC_RELEASE);
	cpu->poe_walk.hits++;
	/* Fewer than `low` valid entries left (the low-th one from tail is
	 * not valid): ask for a refill. The walker cannot schedule; the next
	 * tick or kernel entry queues the work (mm/poe_postfault.c). */
	if (cpu->poe_reg.low) {
		u32 w = table->hdr.tail + cpu->poe_reg.low - 1;

		if (w > table->hdr.nr_entries)
			w -= table->hdr.nr_entries;
		if (!(table->ent[w].va & POE_ENTRY_VALID))
			cpu->poe_walk.kick = 1;
	}
	return true;

unlock:
	/* Step 7 of a fall-back: unlock, change nothing else. */
	__atomic_and_fetch(pt, ~_PAGE_POE_LOCK, __ATOMIC_RELEASE);
	return false;
}
