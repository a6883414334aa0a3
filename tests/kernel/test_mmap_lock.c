/*
 * test_mmap_lock.c - in-kernel tests of the address-space locks
 * (include/mm/mmap_lock.h): faults take mmap_lock for reading, the mmap
 * family for writing (munmap unmaps as a reader once its VMAs are gone),
 * PTEs change under their table's PTE lock, tables are hooked in and out
 * (nr_pgtables) under page_table_lock, rss is atomic. Suite: mmap_lock
 * (test=mmap_lock).
 *
 * With one CPU the only way two tasks meet inside a lock is that one
 * sleeps holding it. So a helper thread takes mmap_lock and sleeps, and
 * the test checks that a fault or munmap in the test's own thread
 * waited for it (or did not, for two readers). The faults are driven
 * with handle_user_addr_fault() on an mm that is not the current one,
 * as the other mm ktests do. The last test lets several threads fault
 * while another maps, unmaps and re-protects, each preemptible inside
 * its fault, then checks that the page tables agree with the VMAs and
 * with rss.
 *
 * Booted with mm.fault_lock=global (arch/x86_64/fault.c), a fault takes
 * mmap_lock for writing instead: then global_fault_lock_waits_for_a_reader
 * runs in place of faults_share_it_with_readers (tools/run_tests.py boots
 * so in its smp step).
 */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <mm/mman.h>
#include <mm/mmap_lock.h>
#include <mm/page.h>
#include <mm/pgtable.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <asm/trap_pf.h>
#include "pte_helpers.h"
#include "remote_fault.h"

#define NPAGES 16

/* A fresh mm with one private read-write region of NPAGES pages. */
static struct mm_struct *region_mm(struct ktest *t, unsigned long *base)
{
	struct mm_struct *mm = mm_alloc();
	long addr;

	if (!mm)
		return NULL;
	addr = do_mmap(mm, 0, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (addr < 0) {
		ktest_fail(t, __FILE__, __LINE__, "do_mmap: %ld", addr);
		mmput(mm);
		return NULL;
	}
	*base = (unsigned long)addr;
	return mm;
}

static int fault_at(struct mm_struct *mm, unsigned long va, bool write)
{
	return handle_user_addr_fault(mm,
				      X86_PF_USER | (write ? X86_PF_WRITE : 0),
				      va);
}

/* The helper: hold mmap_lock (for writing or reading) for hold_ms. */
struct holder {
	struct mm_struct *mm;
	bool write;
	unsigned int hold_ms;
	volatile int held; /* 1 from taking the lock until just before
			    * releasing it */
};

static int holder_fn(void *p)
{
	struct holder *h = p;

	if (h->write)
		mmap_write_lock(h->mm);
	else
		mmap_read_lock(h->mm);
	h->held = 1;
	msleep(h->hold_ms);
	h->held = 0;
	if (h->write)
		mmap_write_unlock(h->mm);
	else
		mmap_read_unlock(h->mm);
	return 0;
}

/* Start a holder and wait until it has the lock. */
static struct task *start_holder(struct ktest *t, struct holder *h)
{
	struct task *k = kthread_run(holder_fn, h, "ktest-holder");

	if (!k)
		return NULL;
	for (int i = 0; i < 1000 && !h->held; i++)
		msleep(1);
	if (!h->held)
		ktest_fail(t, __FILE__, __LINE__, "the holder never got it");
	return k;
}

/*
 * Fault at the start of a fresh region while a kthread holds its
 * mmap_lock (for writing or reading) for 30 ms. Returns what the fault
 * returned; *held_after says whether the holder still held the lock
 * when the fault was done.
 */
static int fault_while_held(struct ktest *t, bool write, int *held_after)
{
	unsigned long base;
	struct mm_struct *mm = region_mm(t, &base);
	struct holder h = { .write = write, .hold_ms = 30 };
	struct task *k;
	int err;

	*held_after = -1;
	if (!mm)
		return -ENOMEM;
	h.mm = mm;
	k = start_holder(t, &h);
	if (!k) {
		mmput(mm);
		return -ENOMEM;
	}
	err = fault_at(mm, base, true);
	*held_after = h.held;
	kthread_stop(k);
	if (!err && !pte_present(pte_of(mm, base)))
		err = -EFAULT; /* said done, mapped nothing */
	mmput(mm);
	return err;
}

KTEST(mmap_lock, fault_waits_for_a_writer)
{
	int held_after, err = fault_while_held(t, true, &held_after);

	KTEST_EXPECT_EQ(t, err, 0);
	KTEST_EXPECT_EQ(t, held_after, 0); /* the writer was gone by then */
}

/*
 * Whether this boot asked for mm.fault_lock=global (arch/x86_64/fault.c):
 * then every fault takes mmap_lock for writing. Read from the command
 * line, not from the kernel's flag, so that a parameter the kernel
 * ignored fails the test below instead of skipping it.
 */
static bool fault_lock_global(void)
{
	const char *mode = cmdline_get("mm.fault_lock");

	return mode && strcmp(mode, "global") == 0;
}

KTEST(mmap_lock, faults_share_it_with_readers)
{
	int held_after, err;

	if (fault_lock_global())
		KTEST_SKIP(t,
			   "mm.fault_lock=global: faults take it for writing");
	err = fault_while_held(t, false, &held_after);
	KTEST_EXPECT_EQ(t, err, 0);
	KTEST_EXPECT_EQ(t, held_after, 1); /* a reader keeps no fault out */
}

/*
 * mm.fault_lock=global, the patent's "global page table lock": a fault
 * holds mmap_lock for writing from the VMA lookup to the end, so it
 * waits for a reader, and no two faults of one mm run at once. Runs
 * only in a boot with that parameter (tools/run_tests.py, step smp,
 * which fails if it was skipped there).
 */
KTEST(mmap_lock, global_fault_lock_waits_for_a_reader)
{
	int held_after, err;

	if (!fault_lock_global())
		KTEST_SKIP(t, "boot with mm.fault_lock=global");
	err = fault_while_held(t, false, &held_after);
	KTEST_EXPECT_EQ(t, err, 0);
	if (held_after)
		ktest_fail(t, __FILE__, __LINE__,
			   "a fault ran beside a reader of mmap_lock: "
			   "mm.fault_lock=global is not in effect");
}

/* munmap, mprotect and mmap wait for a reader (a fault in progress). */
KTEST(mmap_lock, mmap_calls_wait_for_a_reader)
{
	unsigned long base;
	struct mm_struct *mm = region_mm(t, &base);
	struct holder h = { .write = false, .hold_ms = 20 };
	int held_after[3];
	struct task *k;
	long ret[3];

	KTEST_ASSERT(t, mm);
	h.mm = mm;
	for (int op = 0; op < 3; op++) {
		k = start_holder(t, &h);
		KTEST_ASSERT(t, k);
		if (op == 0)
			ret[op] = do_mprotect(mm, base, PAGE_SIZE, PROT_READ);
		else if (op == 1)
			ret[op] = do_munmap(mm, base, PAGE_SIZE);
		else
			ret[op] =
				do_mmap(mm, base, PAGE_SIZE, PROT_READ,
					MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
					0) == (long)base ?
					0 :
					-1;
		held_after[op] = h.held;
		kthread_stop(k);
		KTEST_EXPECT_EQ(t, ret[op], 0);
		KTEST_EXPECT_EQ(t, held_after[op], 0);
	}
	mmput(mm);
}

/* ---- faults racing the mmap family ---- */

#define FAULTERS 3
#define ROUNDS	 300

static struct {
	struct mm_struct *mm;
	unsigned long base;
	volatile int stop;
	int bad; /* a fault returned what it never may */
} race;

static int race_faulter(void *arg)
{
	unsigned long seed = (unsigned long)arg * 2654435761UL + 1;

	for (int r = 0; r < ROUNDS && !race.stop; r++) {
		int err;

		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		err = fault_at(race.mm,
			       race.base + ((seed >> 33) % NPAGES) * PAGE_SIZE,
			       (seed >> 20) & 1);
		/* Unmapped or read-only just now: -EFAULT. Never -ENOMEM. */
		if (err && err != -EFAULT)
			race.bad++;
		if ((seed >> 40) % 4 == 0)
			yield();
	}
	return 0;
}

static int race_mutator(void *arg)
{
	(void)arg;
	for (int r = 0; !race.stop; r++) {
		unsigned long va = race.base + (r % NPAGES) * PAGE_SIZE;

		switch (r % 4) {
		case 0:
			do_mprotect(race.mm, race.base, NPAGES * PAGE_SIZE,
				    PROT_READ);
			break;
		case 1:
			do_mprotect(race.mm, race.base, NPAGES * PAGE_SIZE,
				    PROT_READ | PROT_WRITE);
			break;
		case 2:
			do_munmap(race.mm, va, 4 * PAGE_SIZE);
			break;
		default:
			do_mmap(race.mm, race.base, NPAGES * PAGE_SIZE,
				PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
			break;
		}
		if (r % 3 == 0)
			msleep(1);
	}
	return 0;
}

struct census {
	struct mm_struct *mm;
	unsigned long pages;	/* present PTEs of real pages */
	unsigned long orphans;	/* present PTEs with no VMA */
	unsigned long too_free; /* writable PTEs in a read-only VMA */
};

static int census_pte(pte_t *pte, unsigned long addr, unsigned long next,
		      struct mm_walk *walk)
{
	struct census *c = walk->private;
	struct vm_area_struct *vma;

	(void)next;
	if (!(pte_flags(*pte) & _PAGE_PRESENT))
		return 0;
	if (!is_zero_pfn(pte_pfn(*pte)))
		c->pages++;
	vma = find_vma(c->mm, addr);
	if (!vma || vma->vm_start > addr)
		c->orphans++;
	else if (pte_write(*pte) && !(vma->vm_flags & VM_WRITE))
		c->too_free++;
	return 0;
}

KTEST(mmap_lock, faults_race_munmap_and_mprotect)
{
	static const struct mm_walk_ops ops = { .pte_entry = census_pte };
	struct task *f[FAULTERS], *m;
	struct census c = { 0 };
	unsigned long flags;

	race.mm = region_mm(t, &race.base);
	KTEST_ASSERT(t, race.mm);
	race.stop = 0;
	race.bad = 0;
	m = kthread_run(race_mutator, NULL, "ktest-mutator");
	KTEST_ASSERT(t, m);
	for (int i = 0; i < FAULTERS; i++) {
		f[i] = kthread_run(race_faulter, (void *)(long)(i + 1),
				   "ktest-faulter");
		KTEST_ASSERT(t, f[i]);
	}
	for (int i = 0; i < FAULTERS; i++)
		kthread_stop(f[i]);
	race.stop = 1;
	kthread_stop(m);
	KTEST_EXPECT_EQ(t, race.bad, 0);

	/* The page tables agree with the VMAs and with rss. */
	c.mm = race.mm;
	mmap_read_lock(race.mm);
	/* Walking outside the VMAs as a reader: no table unhooked meanwhile. */
	spin_lock_irqsave(&race.mm->page_table_lock, flags);
	walk_page_range(race.mm, PAGE_SIZE, USER_TOP, &ops, &c);
	KTEST_EXPECT_EQ(t, c.pages, race.mm->rss);
	spin_unlock_irqrestore(&race.mm->page_table_lock, flags);
	mmap_read_unlock(race.mm);
	KTEST_EXPECT_EQ(t, c.orphans, 0);
	KTEST_EXPECT_EQ(t, c.too_free, 0);
	mmput(race.mm);
}

/*
 * Split PTE locks (include/mm/pgtable.h): a fault sets its PTE only
 * under its page table's lock. This CPU holds the lock of the region's
 * table, interrupts off, while a thread on another CPU faults a page of
 * it: the fault must not complete (nor change the PTE) until the lock is
 * let go, then it must. A fault path that sets the PTE without the lock
 * (two faults of one page would both map it) fails here at once, where
 * a race test would need luck. Two CPUs or more.
 */
KTEST(mmap_lock, fault_waits_for_the_pte_lock)
{
	static struct remote_fault r;
	int cpu_a = cpumask_first(cpu_online_mask), cpu_b;
	unsigned long base, flags;
	bool early, changed;
	spinlock_t *ptl;
	struct task *f;
	pte_t *pte;

	if (num_online_cpus() < 2)
		KTEST_SKIP(t, "one CPU online (boot with SMP=2)");
	cpu_b = cpumask_next(cpu_a, cpu_online_mask);
	r = (struct remote_fault){ .mm = region_mm(t, &base) };
	KTEST_ASSERT(t, r.mm);
	/* The first page builds the region's page table. */
	KTEST_ASSERT(t, fault_at(r.mm, base, true) == 0);
	r.va = base + PAGE_SIZE;
	pte = pte_offset_kernel(mm_find_pmd(r.mm, base), r.va);
	f = remote_fault_create(&r, cpu_b, "ktest-ptl/%u");
	KTEST_ASSERT(t, f);
	ptl = pte_lockptr(r.mm, mm_find_pmd(r.mm, r.va));
	spin_lock_irqsave(ptl, flags);
	remote_fault_run(&r, f);
	mdelay(20); /* the fault has allocated its page and waits for us */
	early = READ_ONCE(r.done);
	changed = READ_ONCE(*pte) != 0;
	spin_unlock_irqrestore(ptl, flags);
	remote_fault_finish(&r, f);
	KTEST_EXPECT(t, r.started);
	if (early || changed)
		ktest_fail(t, __FILE__, __LINE__,
			   "the fault %s while CPU %d held the PTE lock",
			   early ? "completed" : "changed the PTE", cpu_a);
	KTEST_EXPECT(t, r.done);
	KTEST_EXPECT_EQ(t, r.ret, 0);
	KTEST_EXPECT(t, pte_present(*pte) && pte_write(*pte));
	mmput(r.mm);
}

/*
 * mm_cpumask: switch_mm() adds this CPU, and it stays after a switch
 * away until a shootdown finds the CPU no longer runs mm (its CR3 load
 * dropped mm's entries) and takes it out; then flushes skip it.
 */
KTEST(mmap_lock, mm_cpumask_follows_switch_mm)
{
	unsigned long base, flags;
	struct mm_struct *mm = region_mm(t, &base);
	int cpu;

	KTEST_ASSERT(t, mm);
	KTEST_EXPECT(t, cpumask_empty(mm_cpumask(mm)));
	local_irq_save(flags); /* no preemption while mm is loaded */
	cpu = smp_processor_id();
	switch_mm(mm);
	KTEST_EXPECT(t, cpumask_test_cpu(cpu, mm_cpumask(mm)));
	switch_mm(NULL);
	local_irq_restore(flags);
	KTEST_EXPECT(t, cpumask_test_cpu(cpu, mm_cpumask(mm))); /* lazy */
	flush_tlb_mm_range(mm, base, base + PAGE_SIZE);
	KTEST_EXPECT(t, !cpumask_test_cpu(cpu, mm_cpumask(mm)));
	mmput(mm);
}
