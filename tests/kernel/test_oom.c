/*
 * test_oom.c - in-kernel tests of the OOM killer (mm/oom_kill.c,
 * docs/oom.md): whom it chooses (the largest oom_badness(), never init or
 * a kernel thread), that a victim still giving its memory back holds the
 * next kill back, and that the kernel's own allocations for fork and
 * exec give back everything when memory runs out part-way, and that
 * POE's tables give their pages back first and refill after. The victims
 * are fake tasks (task_alloc(), never started) with address spaces
 * whose rss is set by hand. Suite: oom (test=oom); ktest_run() checks
 * that every test gives back the pages it took.
 */
#include <kernel/ktest.h>
#include <kernel/list.h>
#include <kernel/mutex.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <mm/mman.h>
#include <mm/mm_types.h>
#include <mm/oom.h>
#include <mm/page_alloc.h>
#include <mm/poe.h>
#include <mm/user_mm.h>

/* A fake process: a task never started, with an mm of rss pages and
 * pgtables page-table pages as far as oom_badness() can tell. */
static struct task *fake_task(const char *name, unsigned long rss,
			      unsigned long pgtables)
{
	struct task *t = task_alloc(name);
	struct mm_struct *mm = t ? mm_alloc() : NULL;
	unsigned long flags;

	if (!mm) {
		if (t)
			task_free(t);
		return NULL;
	}
	mm->rss = rss;
	mm->nr_pgtables = pgtables;
	spin_lock_irqsave(&tasks_lock, flags);
	t->mm = t->active_mm = mm;
	spin_unlock_irqrestore(&tasks_lock, flags);
	return t;
}

/* What do_exit() does with the mm: let go of it under tasks_lock. */
static struct mm_struct *fake_exit_mm(struct task *t)
{
	struct mm_struct *mm;
	unsigned long flags;

	spin_lock_irqsave(&tasks_lock, flags);
	mm = t->mm;
	t->mm = t->active_mm = NULL;
	spin_unlock_irqrestore(&tasks_lock, flags);
	return mm;
}

/* Tear the fake mm down (its counts back to an empty mm's) and free t. */
static void fake_put(struct mm_struct *mm)
{
	if (!mm)
		return;
	mm->rss = 0;
	mm->nr_pgtables = 1;
	mmput(mm);
}

static void fake_free(struct task *t)
{
	if (!t)
		return;
	fake_put(fake_exit_mm(t));
	task_free(t);
}

/* Choose, and drop the choice's reference; returns the mm chosen. */
static struct mm_struct *choose(struct oom_control *oc)
{
	struct mm_struct *mm;

	oom_select_victim(oc);
	mm = oc->mm;
	if (mm)
		mmdrop(mm);
	oc->mm = NULL;
	return mm;
}

/* Pages far above what any real task of a test boot maps. */
#define BIG 100000UL

KTEST(oom, badness_is_rss_plus_page_tables_and_the_largest_is_chosen)
{
	struct task *a = fake_task("oom-a", BIG + 3000, 1);
	struct task *b = fake_task("oom-b", BIG + 1000, 2600);
	struct task *c = fake_task("oom-c", BIG + 2000, 1);
	struct oom_control oc = { 0 };
	unsigned long flags;

	KTEST_ASSERT(t, a && b && c);
	spin_lock_irqsave(&tasks_lock, flags);
	KTEST_EXPECT_EQ(t, oom_badness(a, 0), (long)(BIG + 3001));
	KTEST_EXPECT_EQ(t, oom_badness(b, 0), (long)(BIG + 3600));
	KTEST_EXPECT_EQ(t, oom_badness(c, 0), (long)(BIG + 2001));
	spin_unlock_irqrestore(&tasks_lock, flags);
	mutex_lock(&oom_lock);
	/* b: fewer pages mapped than a, but its page tables count too. */
	KTEST_EXPECT(t, choose(&oc) == b->mm);
	KTEST_EXPECT_EQ(t, oc.pid, b->tgid);
	KTEST_EXPECT_EQ(t, oc.chosen_points, (long)(BIG + 3600));
	KTEST_EXPECT(t, oc.comm[0] == 'o' && oc.comm[4] == 'b');
	/* A tie goes to the later task, as in Linux. */
	c->mm->rss = BIG + 3600 - 1;
	KTEST_EXPECT(t, choose(&oc) == c->mm);
	mutex_unlock(&oom_lock);
	fake_free(a);
	fake_free(b);
	fake_free(c);
}

KTEST(oom, init_and_kernel_threads_are_never_chosen)
{
	struct task *init = fake_task("oom-init", 4 * BIG, 1);
	struct task *kt = fake_task("oom-kthread", 3 * BIG, 1);
	struct task *user = fake_task("oom-user", BIG, 1);
	struct oom_control oc = { 0 };
	unsigned long flags;

	KTEST_ASSERT(t, init && kt && user);
	init->tgid = 1; /* the global init's thread group */
	kt->flags |= PF_KTHREAD;
	spin_lock_irqsave(&tasks_lock, flags);
	KTEST_EXPECT_EQ(t, oom_badness(init, 0), LONG_MIN);
	KTEST_EXPECT_EQ(t, oom_badness(kt, 0), LONG_MIN);
	KTEST_EXPECT_EQ(t, oom_badness(user, 0), (long)(BIG + 1));
	spin_unlock_irqrestore(&tasks_lock, flags);
	mutex_lock(&oom_lock);
	KTEST_EXPECT(t, choose(&oc) == user->mm);
	mutex_unlock(&oom_lock);
	init->tgid = init->pid;
	kt->flags &= ~PF_KTHREAD;
	fake_free(init);
	fake_free(kt);
	fake_free(user);
}

KTEST(oom, a_dying_victim_holds_the_next_kill_back_until_its_mm_is_gone)
{
	struct task *a = fake_task("oom-big", BIG + 3000, 1);
	struct task *b = fake_task("oom-next", BIG + 2000, 1);
	struct oom_control oc = { 0 };
	struct mm_struct *mm;

	KTEST_ASSERT(t, a && b);
	KTEST_ASSERT(t, oom_victims_pending() == 0);
	mutex_lock(&oom_lock);
	oom_select_victim(&oc);
	KTEST_EXPECT(t, oc.mm == a->mm);
	KTEST_EXPECT(t, oom_kill_process(&oc, "Out of memory (ktest)"));
	KTEST_EXPECT(t, oc.mm == NULL); /* its reference dropped */
	KTEST_EXPECT(t, fatal_signal_pending(a));
	KTEST_EXPECT(t, !fatal_signal_pending(b));
	KTEST_EXPECT(t, a->mm->flags & MMF_OOM_VICTIM);
	KTEST_EXPECT_EQ(t, oom_victims_pending(), 1);

	/* Still alive with its memory: nobody else. */
	KTEST_EXPECT(t, choose(&oc) == NULL);
	KTEST_EXPECT(t, oc.abort);
	/* Nor through out_of_memory(), which only waits (true). */
	KTEST_EXPECT(t, out_of_memory(&oc));
	KTEST_EXPECT(t, !fatal_signal_pending(b));

	/* It let go of its mm (do_exit()), the teardown not done yet: still
	 * nobody else, though no task shows the mm any more. */
	mm = fake_exit_mm(a);
	KTEST_EXPECT(t, choose(&oc) == NULL);
	KTEST_EXPECT(t, oc.abort);

	/* Torn down (mmput(): MMF_OOM_SKIP): the next may be chosen. */
	fake_put(mm);
	KTEST_EXPECT_EQ(t, oom_victims_pending(), 0);
	KTEST_EXPECT(t, choose(&oc) == b->mm);
	KTEST_EXPECT(t, !oc.abort);
	mutex_unlock(&oom_lock);
	fake_free(a);
	fake_free(b);
}

/* Every free page, on a list through page->lru. */
static unsigned long hoard(struct list_head *pages)
{
	unsigned long n = 0;
	struct page *p;

	while ((p = alloc_pages(0))) {
		list_add(&p->lru, pages);
		n++;
	}
	return n;
}

static void unhoard(struct list_head *pages, unsigned long n)
{
	while (n-- && !list_empty(pages)) {
		struct page *p = list_first_entry(pages, struct page, lru);

		list_del(&p->lru);
		__free_pages(p, 0);
	}
}

/*
 * fork's and exec's allocations, with memory running out after k pages,
 * for every k until they succeed: each returns NULL (nothing leaked,
 * nothing panics: ktest_run() counts the pages), or succeeds. The
 * allocator fails at once when no page is free, so holding every other
 * page makes the k+1st allocation fail.
 */
KTEST(oom, fork_and_exec_allocations_fail_cleanly_when_memory_runs_out)
{
	struct mm_struct *mm = mm_alloc(), *copy = NULL;
	LIST_HEAD(pages);
	struct task *task = NULL;
	unsigned long k, fails = 0;

	KTEST_ASSERT(t, mm);
	KTEST_ASSERT(t, !map_user_pages(mm, 0x400000, 4 * PAGE_SIZE,
					PROT_READ | PROT_WRITE) &&
				!map_user_pages(mm, 0x7f0000000000,
						2 * PAGE_SIZE, PROT_READ));
	hoard(&pages);
	for (k = 0; k < 64; k++) {
		unhoard(&pages, k);
		copy = dup_mm(mm);
		if (copy)
			mmput(copy);
		else
			fails++;
		hoard(&pages); /* the k pages back, and all that was freed */
		if (copy)
			break;
	}
	KTEST_EXPECT(t, fails > 0 && copy); /* failed first, then worked */
	fails = 0;
	for (k = 0; k < 16; k++) {
		unhoard(&pages, k);
		task = task_alloc("oom-fork");
		if (task)
			task_free(task);
		else
			fails++;
		hoard(&pages);
		if (task)
			break;
	}
	KTEST_EXPECT(t, fails > 0 && task);
	unhoard(&pages, ~0UL);
	mmput(mm);
}

/* Valid entries (pages zeroed ahead) in table tb. */
static unsigned int nr_valid(struct poe_table *tb)
{
	struct poe_entry *e;
	unsigned int n = 0;

	poe_for_each_entry(e, tb)
		n += !!(e->va & POE_ENTRY_VALID);
	return n;
}

#define OOM_TEST_TGID 40404

/*
 * Before it kills, the OOM killer takes back the pages POE's tables hold
 * zeroed ahead (its OOM notifier, mm/poe_postfault.c): out_of_memory()
 * then reports them freed and kills nobody; afterwards the table fills
 * again and works as before.
 */
KTEST(oom, poe_tables_give_their_pages_back_before_anyone_is_killed)
{
	struct mm_struct *mm = mm_alloc();
	struct oom_control oc = { 0 };
	struct poe_table *tb;
	unsigned long drained;
	unsigned int valid;

	KTEST_ASSERT(t, mm);
	if (poe_enable(mm, OOM_TEST_TGID)) {
		mmput(mm);
		KTEST_ASSERT(t, !"poe_enable failed");
	}
	tb = poe_this_table();
	poe_refill_table(tb);
	valid = nr_valid(tb);
	KTEST_EXPECT_EQ(t, valid, tb->hdr.nr_entries);
	drained = poe_counters.oom_drained_pages;
	mutex_lock(&oom_lock);
	KTEST_EXPECT(t, oom_victims_pending() == 0);
	KTEST_EXPECT(t, out_of_memory(&oc));
	mutex_unlock(&oom_lock);
	KTEST_EXPECT(t, oc.freed >= valid);
	KTEST_EXPECT(t, oc.mm == NULL && !oc.abort); /* nobody chosen */
	KTEST_EXPECT_EQ(t, poe_counters.oom_drained_pages - drained, oc.freed);
	KTEST_EXPECT(t, nr_valid(tb) < valid);
	/* The ring is whole: it fills up again to the last entry. */
	poe_refill_table(tb);
	KTEST_EXPECT_EQ(t, nr_valid(tb), tb->hdr.nr_entries);
	poe_disable(mm);
	mmput(mm);
}
