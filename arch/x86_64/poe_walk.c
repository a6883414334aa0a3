/*
 * poe_walk.c - the emulated hardware page walker of the POE pipeline
 * (docs/poe.md, docs/fault-paths.md). In US 11,474,952 the fault is
 * resolved right after the TLB miss, without a context switch into the
 * kernel (claims 1 and 9); here the #PF entry stub (trap_entry.asm) runs
 * the walker before it saves the full frame, switches to the scheduler or
 * enables interrupts. This C walker is the reference; by default the stub
 * runs its assembly twin, poe_walk.asm, which does the same steps in fewer
 * instructions, and with poe.walker=c (below) it runs this one, through
 * poe_walk_c_trap (trap_entry.asm), with only the caller-saved registers
 * pushed. When poe_walk() returns true the stub pops them and irets: the
 * fault is over without the kernel proper. Otherwise nothing has changed,
 * and the stub falls through to the full handler (arch/x86_64/fault.c,
 * then mm/fault.c). The poe ktests run both walkers.
 *
 * The steps, as labelled in the code (claim 1 unless said otherwise):
 *
 *   1. Find the PTE: the faulting address from CR2, CR3's four levels
 *      walked through the direct map. A missing level: fall back.
 *   2. Test its two indicators: the present bit says not present (claim
 *      6), the POEable bit says the address is valid and may take a
 *      pre-allocated page (claim 5: a user bit; ours is the U/S position
 *      of the not-present PTE). Otherwise: fall back.
 *   3. Lock the PTE (bit 5), so that the walker and the full handler,
 *      which takes the same lock, never both map it.
 *   4. Take a page from this CPU's pre-allocation table: lock the table
 *      (claim 11: error handling locks it too; a held lock means fall
 *      back, never wait), then take the tail entry if it is valid.
 *      Otherwise unlock both and fall back.
 *   5. Build the new PTE from the entry's PFN and the marked rights.
 *   6. Record the fault in the entry for the post-page-fault work (claim
 *      7): VA, TGID, used; advance tail; unlock the table.
 *   7. Update the PTE, which also unlocks it; the stub retries the access.
 *
 * Not in the patent, and marked so where they are: the enable-bit re-test
 * at the top, the rights check after step 2, the low-watermark test after
 * step 7.
 *
 * Everything the walker reads it reaches through the direct map and this
 * CPU's per-CPU data (GS): CR3's page tables, the POE register and the
 * pre-allocation table (include/mm/poe.h). It never looks at a VMA, a
 * task or a lock other than the PTE's and the table's bits; the
 * pre-page-fault thread (mm/poe_prefault.c) put what it needs into the
 * POEable PTE, and the post-page-fault work (mm/poe_postfault.c) does the
 * accounting afterwards.
 */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <mm/page.h>
#include <mm/poe.h>
#include <asm/cpu.h>
#include <asm/memlayout.h>
#include <asm/traps.h>
#include <asm/trap_pf.h>

/*
 * The layouts and constants the assembly walker (poe_walk.asm) uses, from
 * the one file NASM reads too: each line becomes a static assertion that
 * its value is the C one, so that the two walkers cannot disagree about a
 * structure or a bit.
 */
#define POE_ASM_CONST(name, cexpr, value)  \
	_Static_assert((cexpr) == (value), \
		       "asm/poe.inc: " #name " is not C's " #cexpr);
#define POE_ASM_OFFSET(name, type, field, value)                             \
	_Static_assert(__builtin_offsetof(type, field) == (value),           \
		       "asm/poe.inc: " #name " is not the offset of " #field \
		       " in " #type);
#include <asm/poe.inc>
#undef POE_ASM_CONST
#undef POE_ASM_OFFSET

/* The walker entries the #PF stub can jump to (trap_entry.asm). */
extern const char poe_walk_asm_trap[], poe_walk_c_trap[];
extern const char poe_walk_asm_trap_irqsoff[];

/*
 * poe_walker - where trap_stub_14 (trap_entry.asm) jumps once it has
 * found the POE register enabled: the assembly walker (poe_walk.asm,
 * the default) or the C one below behind its call glue. Chosen once, by
 * poe.walker= on the command line, before any user fault.
 */
const void *poe_walker = poe_walk_asm_trap;

/*
 * poe.walker=asm|c: which walker the #PF stub runs. Ours (the patent's
 * walker is hardware): asm, the default, is the fast one; c, the
 * reference, is kept so that the user tests can run on it too
 * (tools/run_tests.py) and make bench can compare the two. Any other
 * value is rejected with a console line and the default stays.
 */
static int set_walker(const char *val)
{
	if (strcmp(val, "asm") == 0) {
		poe_walker = poe_walk_asm_trap;
	} else if (strcmp(val, "c") == 0) {
		poe_walker = poe_walk_c_trap;
		pr_info("poe: poe.walker=c: the #PF stub runs the C walker\n");
	} else {
		pr_err("poe: poe.walker=%s rejected: must be asm or c\n", val);
		return -EINVAL;
	}
	return 0;
}
KERNEL_PARAM("poe.walker", set_walker,
	     "POE walker the #PF stub runs: asm (default) or c");

void poe_walker_use_irqsoff(void)
{
	if (poe_walker == poe_walk_asm_trap)
		poe_walker = poe_walk_asm_trap_irqsoff;
}

/* poe_walk_huge - the contract is at its declaration in include/mm/poe.h. */
bool poe_walk_huge(pmd_t *pmd, unsigned long va, unsigned long ec)
{
	struct percpu *cpu = this_cpu();
	pmd_t mark = READ_ONCE(*pmd), new;
	struct poe_table *table;
	struct poe_entry *ent;
	u32 tail;

	/* A read maps the huge zero page, as on Linux: the full
	 * handler's. */
	if (!(ec & X86_PF_WRITE)) {
		cpu->poe_walker_stats.fb_huge_read++;
		return false;
	}
	if (!(mark & _PAGE_RW) || ((ec & X86_PF_INSTR) && (mark & _PAGE_NX)))
		return false;
	if (!cpu->poe_huge_reg.enable) { /* no huge table on this CPU */
		cpu->poe_walker_stats.fb_huge_table_empty++;
		return false;
	}
	if (__atomic_fetch_or(pmd, _PAGE_POE_LOCK, __ATOMIC_ACQUIRE) &
	    _PAGE_POE_LOCK) {
		cpu->poe_walker_stats.fb_pte_locked++;
		return false;
	}
	table = (struct poe_table *)__va(cpu->poe_huge_reg.table_pfn
					 << PAGE_SHIFT);
	if (__atomic_fetch_or(&table->hdr.lock, POE_TABLE_LOCK,
			      __ATOMIC_ACQUIRE) &
	    POE_TABLE_LOCK) {
		cpu->poe_walker_stats.fb_table_locked++;
		goto unlock;
	}
	tail = table->hdr.tail;
	ent = &table->ent[tail];
	if (!(__atomic_load_n(&ent->va, __ATOMIC_ACQUIRE) & POE_ENTRY_VALID)) {
		/* The POE workers refill it every poe.period_ms. */
		cpu->poe_walker_stats.fb_huge_table_empty++;
		__atomic_and_fetch(&table->hdr.lock, ~POE_TABLE_LOCK,
				   __ATOMIC_RELEASE);
		goto unlock;
	}
	new = ((u64)ent->pfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_USER |
	      _PAGE_ACCESSED | _PAGE_PSE | (mark & _PAGE_POE_RIGHTS) |
	      ((ec & X86_PF_WRITE) ? _PAGE_DIRTY : 0);
	ent->tgid = (u32)((mark & PTE_PFN_MASK) >> POE_PTE_TGID_SHIFT);
	__atomic_store_n(&ent->va, (va & ~(PMD_SIZE - 1)) | POE_ENTRY_USED,
			 __ATOMIC_RELEASE);
	table->hdr.tail = poe_next(tail, table->hdr.nr_entries);
	__atomic_and_fetch(&table->hdr.lock, ~POE_TABLE_LOCK, __ATOMIC_RELEASE);
	/* Not present -> present: no TLB flush. */
	__atomic_store_n(pmd, new, __ATOMIC_RELEASE);
	cpu->poe_walker_stats.huge_hits++;
	return true;

unlock:
	__atomic_and_fetch(pmd, ~_PAGE_POE_LOCK, __ATOMIC_RELEASE);
	return false;
}

/* poe_walk - the contract is at its declaration in include/mm/poe.h. */
/* LAB poewalk: BEGIN */
bool poe_walk(unsigned long ec)
{
	struct percpu *cpu = this_cpu();
	struct poe_table *table;
	struct poe_entry *ent;
	unsigned long va;
	pgd_t *pgd;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pt, pte, new;
	u32 tail;

	/* Not in the patent: re-testing the POE register's enable bit (off:
	 * no table to take from). The stub tests it before calling; this
	 * covers direct callers (the poe ktests) at the cost of two
	 * instructions. */
	if (!cpu->poe_reg.enable)
		return false;

	/* Step 1: find the PTE. A protection fault (COW, a write to a
	 * read-only page) or a reserved bit means the PTE is present or
	 * broken, so step 2 would decline it: the error code says so before
	 * the walk. Only user addresses. */
	if (ec & (X86_PF_PROT | X86_PF_RSVD))
		return false;
	va = read_cr2();
	if (va >= USER_TOP)
		return false;
	/* The same level helpers as every other walker (mm/pgtable.h), from
	 * CR3 rather than an mm: the walker knows no mm. A level that is
	 * missing, or maps a huge page itself, is not ours. */
	pgd = pgd_offset_pgd((pgd_t *)__va(read_cr3() & PTE_PFN_MASK), va);
	if (!pgd_present(*pgd))
		return false;
	pud = pud_offset(pgd, va);
	if (!pud_present(*pud) || pud_leaf(*pud))
		return false;
	pmd = pmd_offset(pud, va);
	/* A POEable pmd: 2 MiB from the huge table (above). */
	if (pmd_poeable(*pmd))
		return poe_walk_huge(pmd, va, ec);
	if (!pmd_present(*pmd) || pmd_leaf(*pmd))
		return false;
	pt = pte_offset_kernel(pmd, va);
	pte = READ_ONCE(*pt);

	/* Step 2: the two indicators: not present, and marked POEable. */
	if (!pte_poeable(pte))
		return false;
	/* Not in the patent: the rights check. The mark carries the VMA's
	 * RW and NX; an access they do not allow goes to the full handler,
	 * which kills. */
	if (((ec & X86_PF_WRITE) && !(pte & _PAGE_RW)) ||
	    ((ec & X86_PF_INSTR) && (pte & _PAGE_NX)))
		return false;

	/* Step 3: lock the PTE: test-and-set of the repurposed A bit. */
	if (__atomic_fetch_or(pt, _PAGE_POE_LOCK, __ATOMIC_ACQUIRE) &
	    _PAGE_POE_LOCK) {
		cpu->poe_walker_stats.fb_pte_locked++;
		return false; /* the other path is mapping it */
	}

	/* Step 4: a page from this CPU's table: the tail entry must hold
	 * one. Error handling holds the table lock, from any CPU (claim
	 * 11): take it with a test-and-set, and keep out while another
	 * holds it (a test alone would let it take the lock between the
	 * test and the use of the entry). The producers and the post-fault
	 * work do not take it (they hold the fill lock, bit 1, which the
	 * walker ignores): a producer only writes free entries, and makes
	 * one valid by writing va after its pfn (x86 keeps stores in
	 * order), so the acquire load of va below (loads in order) sees
	 * the pfn that goes with it. */
	table = (struct poe_table *)__va(cpu->poe_reg.table_pfn << PAGE_SHIFT);
	if (__atomic_fetch_or(&table->hdr.lock, POE_TABLE_LOCK,
			      __ATOMIC_ACQUIRE) &
	    POE_TABLE_LOCK) {
		cpu->poe_walker_stats.fb_table_locked++;
		goto unlock;
	}
	tail = table->hdr.tail;
	ent = &table->ent[tail];
	if (!(__atomic_load_n(&ent->va, __ATOMIC_ACQUIRE) & POE_ENTRY_VALID)) {
		cpu->poe_walker_stats.fb_table_empty++;
		cpu->poe_need_refill = true; /* refill at the next tick or
					      * kernel entry */
		__atomic_and_fetch(&table->hdr.lock, ~POE_TABLE_LOCK,
				   __ATOMIC_RELEASE);
		goto unlock;
	}

	/* Step 5: build the PTE: the page, present, user, accessed, the marked
	 * rights (RW, NX), and dirty for a write. Writing it also ends the
	 * lock: bit 5 stays set as the real accessed bit, and a present PTE
	 * is never taken by either path again. Not present -> present needs
	 * no TLB flush. */
	new = ((u64)ent->pfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_USER |
	      _PAGE_ACCESSED | (pte & _PAGE_POE_RIGHTS) |
	      ((ec & X86_PF_WRITE) ? _PAGE_DIRTY : 0);

	/* Step 6: record the fault for post-page-fault: VA, TGID, used = 1,
	 * valid = 0 (one store for the flags, after the TGID: the post-fault
	 * work reads the entry without the table lock), then advance tail. */
	ent->tgid = (u32)((pte & PTE_PFN_MASK) >> POE_PTE_TGID_SHIFT);
	__atomic_store_n(&ent->va, (va & PAGE_MASK) | POE_ENTRY_USED,
			 __ATOMIC_RELEASE);
	table->hdr.tail = poe_next(tail, table->hdr.nr_entries);
	__atomic_and_fetch(&table->hdr.lock, ~POE_TABLE_LOCK, __ATOMIC_RELEASE);

	/* Step 7: update the PTE: map, and so unlock; the stub irets. */
	__atomic_store_n(pt, new, __ATOMIC_RELEASE);
	cpu->poe_walker_stats.hits++;
	/* Not in the patent: the walker tests the low watermark itself.
	 * Claim 8 refills on a threshold of available pages; here, when
	 * fewer than `low` valid entries are left (the low-th one from tail
	 * is not valid), the walker raises poe_need_refill. It cannot queue
	 * work; the next tick or kernel entry does (poe_kick()). */
	if (cpu->poe_reg.low) {
		u32 w = table->hdr.tail + cpu->poe_reg.low - 1;

		if (w > table->hdr.nr_entries)
			w -= table->hdr.nr_entries;
		if (!(table->ent[w].va & POE_ENTRY_VALID))
			cpu->poe_need_refill = true;
	}
	return true;

unlock:
	/* A fall-back after step 3: unlock, change nothing else. */
	__atomic_and_fetch(pt, ~_PAGE_POE_LOCK, __ATOMIC_RELEASE);
	return false;
}
/* LAB poewalk: END */
/* LAB poewalk: STUB
bool poe_walk(unsigned long ec)
{
	(void)ec;
	return false;
}
*/
