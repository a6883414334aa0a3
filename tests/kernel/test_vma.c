/*
 * test_vma.c - in-kernel tests of red-black trees (kernel/rbtree.c) and
 * VMA bookkeeping (mm/vma.c). The VMA tests run thousands of random
 * operations on a private mm_struct (no page tables: mm/vma.c never
 * touches them) and compare it after every step with a reference model,
 * a sorted array of (start, end, flags), and with vma_check(). Every test
 * frees what it allocates; the runner's free-page check proves it.
 */
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/rbtree.h>
#include <kernel/string.h>
#include <mm/kmalloc.h>
#include <mm/mm_types.h>
#include <mm/page.h>
#include <mm/user_mm.h>
#include <mm/vma.h>
#include <asm/memlayout.h>

/* ---- red-black trees ---------------------------------------------------- */

#define RB_NODES 3000

struct tnode {
	struct rb_node rb;
	unsigned long key;
	bool in_tree;
};

/*
 * Check the tree: red-black rules (rb_check()), keys in order both ways,
 * and exactly the n nodes marked in_tree. Returns 0, or minus the line
 * number of the first broken rule: in kernel/rbtree.c for a red-black
 * rule, in this file for the others.
 */
static int t_check(struct rb_root *root, int n)
{
	struct rb_node *p, *last = NULL;
	unsigned long prev_key = 0;
	int count = 0, err;

	err = rb_check(root);
	if (err)
		return err;
	for (p = rb_first(root); p; p = rb_next(p)) {
		struct tnode *tn = rb_entry(p, struct tnode, rb);

		if (!tn->in_tree || (count && tn->key < prev_key))
			return -__LINE__;
		prev_key = tn->key;
		last = p;
		if (++count > n)
			return -__LINE__;
	}
	if (count != n || last != rb_last(root))
		return -__LINE__;
	for (p = rb_last(root); p; p = rb_prev(p))
		count--;
	return count ? -__LINE__ : 0;
}

static void t_insert(struct rb_root *root, struct tnode *tn)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (tn->key < rb_entry(parent, struct tnode, rb)->key)
			link = &parent->rb_left;
		else
			link = &parent->rb_right; /* equal keys go right */
	}
	rb_link_node(&tn->rb, parent, link);
	rb_insert_color(&tn->rb, root);
	tn->in_tree = true;
}

/* Find a node with key by a plain search walk (any one of equal keys). */
static struct tnode *t_search(struct rb_root *root, unsigned long key)
{
	struct rb_node *n = root->rb_node;

	while (n) {
		struct tnode *tn = rb_entry(n, struct tnode, rb);

		if (key == tn->key)
			return tn;
		n = key < tn->key ? n->rb_left : n->rb_right;
	}
	return NULL;
}

KTEST(rbtree, random_insert_erase)
{
	struct tnode *nodes = kzalloc(RB_NODES * sizeof(*nodes));
	struct rb_root root = RB_ROOT;
	int n = 0, err;

	KTEST_ASSERT(t, nodes != NULL);
	KTEST_EXPECT(t, rb_first(&root) == NULL && rb_last(&root) == NULL);
	/* Three rounds: fill (random keys, some equal), then drain randomly. */
	for (int round = 0; round < 3 && !t->failed; round++) {
		unsigned long range = round == 1 ? 50 : 1000000;

		for (int i = 0; i < RB_NODES; i++) {
			nodes[i].key = ktest_rand() % range;
			t_insert(&root, &nodes[i]);
			n++;
			if ((i < 200 || i % 97 == 0) &&
			    (err = t_check(&root, n))) {
				ktest_fail(t, __FILE__, __LINE__,
					   "after insert %d: check line %d", i,
					   -err);
				break;
			}
		}
		KTEST_EXPECT_EQ(t, t_check(&root, n), 0);
		/* Erase in random order, sometimes half and refill, then all. */
		for (int left = RB_NODES; left > 0 && !t->failed; left--) {
			int k = (int)(ktest_rand() % RB_NODES);

			while (!nodes[k].in_tree)
				k = (k + 1) % RB_NODES;
			if (!t_search(&root, nodes[k].key)) {
				ktest_fail(t, __FILE__, __LINE__,
					   "key %lu not found", nodes[k].key);
				break;
			}
			rb_erase(&nodes[k].rb, &root);
			nodes[k].in_tree = false;
			n--;
			if ((left < 200 || left % 89 == 0) &&
			    (err = t_check(&root, n)))
				ktest_fail(t, __FILE__, __LINE__,
					   "after erase (%d left): check line %d",
					   left - 1, -err);
			/* Mixed phase: reinsert now and then in round 2. */
			if (round == 2 && left > RB_NODES / 2 &&
			    ktest_rand() % 3 == 0) {
				nodes[k].key = ktest_rand() % range;
				t_insert(&root, &nodes[k]);
				n++;
				left++;
			}
		}
		KTEST_EXPECT_EQ(t, n, 0);
		KTEST_EXPECT(t, RB_EMPTY_ROOT(&root));
	}
	kfree(nodes);
}

KTEST(rbtree, sequential_keys_stay_balanced)
{
	struct tnode *nodes = kzalloc(RB_NODES * sizeof(*nodes));
	struct rb_root root = RB_ROOT;
	int depth = 0, i;

	KTEST_ASSERT(t, nodes != NULL);
	/* Ascending keys: an unbalanced tree would be a list RB_NODES deep. */
	for (i = 0; i < RB_NODES; i++) {
		nodes[i].key = (unsigned long)i;
		t_insert(&root, &nodes[i]);
	}
	KTEST_EXPECT_EQ(t, t_check(&root, RB_NODES), 0);
	for (struct rb_node *p = rb_first(&root); p; p = rb_next(p)) {
		int d = 0;

		for (struct rb_node *q = p; q; q = rb_parent(q))
			d++;
		depth = MAX(depth, d);
	}
	KTEST_EXPECT(t, depth <= 2 * 12); /* 2 log2(3001) < 24 */
	i = 0;
	for (struct rb_node *p = rb_first(&root); p; p = rb_next(p), i++)
		KTEST_EXPECT_EQ(t, rb_entry(p, struct tnode, rb)->key, i);
	/* Erase from the front: the root side shifts every time. */
	for (i = 0; i < RB_NODES; i++) {
		rb_erase(&nodes[i].rb, &root);
		nodes[i].in_tree = false;
		if (i % 101 == 0)
			KTEST_EXPECT_EQ(t, t_check(&root, RB_NODES - 1 - i), 0);
	}
	KTEST_EXPECT(t, RB_EMPTY_ROOT(&root));
	kfree(nodes);
}

/* ---- VMAs: a reference model -------------------------------------------- */

#define MODEL_MAX 512
#define AREA_LO	  0x10000UL /* random VMAs live in [LO, HI) */
#define AREA_HI	  (AREA_LO + 4096 * PAGE_SIZE)

struct model_vma {
	unsigned long start, end, flags;
};

struct model {
	struct model_vma v[MODEL_MAX];
	int n;
};

/* Index of the first model VMA with end > addr, or m->n (binary search). */
static int model_find(const struct model *m, unsigned long addr)
{
	int lo = 0, hi = m->n;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (m->v[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void model_insert_at(struct model *m, int i, struct model_vma v)
{
	memmove(&m->v[i + 1], &m->v[i], (size_t)(m->n - i) * sizeof(m->v[0]));
	m->v[i] = v;
	m->n++;
}

static void model_delete_at(struct model *m, int i)
{
	memmove(&m->v[i], &m->v[i + 1],
		(size_t)(m->n - i - 1) * sizeof(m->v[0]));
	m->n--;
}

/* Does [start, end) overlap a model VMA? */
static bool model_overlaps(const struct model *m, unsigned long start,
			   unsigned long end)
{
	int i = model_find(m, start);

	return i < m->n && m->v[i].start < end;
}

/*
 * Where top-down get_unmapped_area must land; 0 = nowhere. The highest
 * free range ends at base or where a VMA starts, so try exactly those
 * candidates and keep the highest one that is free.
 */
static unsigned long model_unmapped(const struct model *m, unsigned long base,
				    unsigned long len)
{
	unsigned long best = 0;

	for (int i = -1; i < m->n; i++) {
		unsigned long end = i < 0 ? base : m->v[i].start;

		if (end > base || end < AREA_LO + len || end - len <= best)
			continue;
		if (!model_overlaps(m, end - len, end))
			best = end - len;
	}
	return best;
}

/* Does mm hold exactly the model? Returns 0 or a negative line number. */
static int model_compare(struct mm_struct *mm, const struct model *m)
{
	struct vm_area_struct *vma;
	int i = 0, err = vma_check(mm);

	if (err)
		return err;
	if (mm->map_count != m->n)
		return -__LINE__;
	for_each_vma(mm, vma) {
		if (i >= m->n || vma->vm_start != m->v[i].start ||
		    vma->vm_end != m->v[i].end ||
		    vma->vm_flags != m->v[i].flags)
			return -__LINE__;
		i++;
	}
	return i == m->n ? 0 : -__LINE__;
}

static void free_all_vmas(struct mm_struct *mm)
{
	while (!list_empty(&mm->mmap_list)) {
		struct vm_area_struct *vma =
			list_first_entry(&mm->mmap_list, struct vm_area_struct,
					 vm_list);

		remove_vm_struct(mm, vma);
		vm_area_free(vma);
	}
}

/* A zeroed mm with empty VMA books (no page tables), or NULL. */
static struct mm_struct *test_mm(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm));

	if (mm)
		vma_init_mm(mm);
	return mm;
}

static void test_mm_free(struct mm_struct *mm)
{
	free_all_vmas(mm);
	kfree(mm);
}

static const unsigned long test_flags[] = {
	VM_READ,
	VM_READ | VM_WRITE,
	VM_READ | VM_EXEC,
};

static unsigned long rand_page(unsigned long lo, unsigned long hi)
{
	return lo + (ktest_rand() % ((hi - lo) / PAGE_SIZE)) * PAGE_SIZE;
}

/* The mm VMA of model entry i, found through the tree. */
static struct vm_area_struct *vma_of(struct mm_struct *mm,
				     const struct model *m, int i)
{
	return find_vma(mm, m->v[i].start);
}

#define NR_OPS 6000

KTEST(vma, random_ops_match_model)
{
	struct mm_struct *mm = test_mm();
	struct model *m = kzalloc(sizeof(*m));
	int counts[8] = { 0 };

	if (!mm || !m) {
		kfree(mm);
		kfree(m);
		KTEST_ASSERT(t, false);
	}
	mm->mmap_base = AREA_HI;
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	KTEST_EXPECT(t, find_vma(mm, 0) == NULL);

	for (int op = 0; op < NR_OPS && !t->failed; op++) {
		/* Insert more often while small, remove more often while big. */
		int kind = (int)(ktest_rand() % 8);
		int err, i;

		if (kind == 7)
			kind = m->n > MODEL_MAX / 2 ? 6 : 0;
		counts[kind]++;
		switch (kind) {
		case 0: { /* insert a random range, maybe overlapping */
			unsigned long start =
				rand_page(AREA_LO, AREA_HI - PAGE_SIZE);
			unsigned long len = (1 + ktest_rand() % 16) * PAGE_SIZE;
			struct vm_area_struct *vma;

			if (m->n >= MODEL_MAX)
				break;
			len = MIN(len, AREA_HI - start);
			vma = vm_area_alloc(mm);
			KTEST_EXPECT(t, vma != NULL);
			if (!vma)
				break;
			vma->vm_start = start;
			vma->vm_end = start + len;
			vma->vm_flags = test_flags[ktest_rand() % 3];
			err = insert_vm_struct(mm, vma);
			if (model_overlaps(m, start, start + len)) {
				KTEST_EXPECT_EQ(t, err, -EEXIST);
				vm_area_free(vma);
			} else {
				KTEST_EXPECT_EQ(t, err, 0);
				if (err) {
					vm_area_free(vma);
					break;
				}
				model_insert_at(m, model_find(m, start),
						(struct model_vma){
							start, start + len,
							vma->vm_flags });
			}
			break;
		}
		case 1: { /* find_vma and find_vma_intersection */
			for (int k = 0; k < 4; k++) {
				unsigned long a =
					AREA_LO - PAGE_SIZE +
					ktest_rand() % (AREA_HI - AREA_LO +
							2 * PAGE_SIZE);
				unsigned long e =
					a + ktest_rand() % (8 * PAGE_SIZE);
				struct vm_area_struct *vma = find_vma(mm, a);
				struct vm_area_struct *x =
					find_vma_intersection(mm, a, e);

				i = model_find(m, a);
				if (i == m->n) {
					KTEST_EXPECT(t, vma == NULL);
				} else if (!vma ||
					   vma->vm_start != m->v[i].start ||
					   vma->vm_end != m->v[i].end) {
					ktest_fail(t, __FILE__, __LINE__,
						   "find_vma(%#lx) wrong", a);
				}
				if (i < m->n && m->v[i].start < e && a < e)
					KTEST_EXPECT(t, x == vma);
				else
					KTEST_EXPECT(t, x == NULL);
			}
			break;
		}
		case 2: { /* split at a random interior page */
			struct vm_area_struct *vma, *other;
			struct model_vma old;
			unsigned long addr;
			int below = (int)(ktest_rand() & 1);

			if (!m->n)
				break;
			i = (int)(ktest_rand() % m->n);
			old = m->v[i];
			vma = vma_of(mm, m, i);
			KTEST_EXPECT_EQ(t, split_vma(mm, vma, old.start, below),
					-EINVAL);
			KTEST_EXPECT_EQ(t, split_vma(mm, vma, old.end, below),
					-EINVAL);
			if (old.end - old.start < 2 * PAGE_SIZE)
				break;
			KTEST_EXPECT_EQ(t,
					split_vma(mm, vma,
						  old.start + PAGE_SIZE + 8,
						  below),
					-EINVAL);
			addr = rand_page(old.start + PAGE_SIZE, old.end);
			KTEST_EXPECT_EQ(t, split_vma(mm, vma, addr, below), 0);
			m->v[i].end = addr;
			model_insert_at(m, i + 1,
					(struct model_vma){ addr, old.end,
							    old.flags });
			/* vma keeps the upper part when the new one is below. */
			KTEST_EXPECT_EQ(t, vma->vm_start,
					below ? addr : old.start);
			other = find_vma(mm, below ? old.start : addr);
			KTEST_EXPECT(t, other != NULL && other != vma);
			break;
		}
		case 3: /* vma_merge of a random VMA */
		case 4: {
			struct vm_area_struct *vma, *res;
			unsigned long start, end;

			if (!m->n)
				break;
			i = (int)(ktest_rand() % m->n);
			vma = vma_of(mm, m, i);
			res = vma_merge(mm, vma);
			start = m->v[i].start;
			end = m->v[i].end;
			if (i + 1 < m->n && m->v[i + 1].start == end &&
			    m->v[i + 1].flags == m->v[i].flags) {
				end = m->v[i].end = m->v[i + 1].end;
				model_delete_at(m, i + 1);
			}
			if (i > 0 && m->v[i - 1].end == start &&
			    m->v[i - 1].flags == m->v[i].flags) {
				start = m->v[i - 1].start;
				m->v[i - 1].end = end;
				model_delete_at(m, i);
			}
			KTEST_EXPECT(t, res && res->vm_start == start &&
						res->vm_end == end);
			break;
		}
		case 5: { /* get_unmapped_area vs brute force */
			unsigned long len = (1 + ktest_rand() % 64) * PAGE_SIZE;
			unsigned long want = model_unmapped(m, AREA_HI, len);
			long got = get_unmapped_area(mm, 0, len);

			if (want)
				KTEST_EXPECT_EQ(t, got, (long)want);
			else
				KTEST_EXPECT_EQ(t, got, -ENOMEM);
			break;
		}
		case 6: { /* remove a random VMA */
			struct vm_area_struct *vma;

			if (!m->n)
				break;
			i = (int)(ktest_rand() % m->n);
			vma = vma_of(mm, m, i);
			remove_vm_struct(mm, vma);
			vm_area_free(vma);
			model_delete_at(m, i);
			break;
		}
		}
		err = model_compare(mm, m);
		if (err) {
			ktest_fail(t, __FILE__, __LINE__,
				   "op %d (kind %d): mm differs from model, line %d",
				   op, kind, -err);
			break;
		}
	}
	printk(KERN_INFO
	       "# vma.random_ops_match_model: %d ops: insert %d find %d "
	       "split %d merge %d gua %d remove %d, %d VMAs at the end\n",
	       NR_OPS, counts[0], counts[1], counts[2], counts[3] + counts[4],
	       counts[5], counts[6], m->n);
	free_all_vmas(mm);
	KTEST_EXPECT_EQ(t, mm->map_count, 0);
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	kfree(m);
	test_mm_free(mm);
}

/* Insert [start, end) with flags; returns insert_vm_struct()'s result. */
static int add_vma(struct mm_struct *mm, unsigned long start, unsigned long end,
		   unsigned long flags)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);
	int err;

	if (!vma)
		return -ENOMEM;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = flags;
	err = insert_vm_struct(mm, vma);
	if (err)
		vm_area_free(vma);
	return err;
}

KTEST(vma, insert_rejects_bad_ranges)
{
	struct mm_struct *mm = test_mm();
	unsigned long a = 0x400000;

	KTEST_ASSERT(t, mm != NULL);
	KTEST_EXPECT_EQ(t, add_vma(mm, a, a, VM_READ), -EINVAL);
	KTEST_EXPECT_EQ(t, add_vma(mm, a + 8, a + PAGE_SIZE, VM_READ), -EINVAL);
	KTEST_EXPECT_EQ(t, add_vma(mm, a, a + 100, VM_READ), -EINVAL);
	KTEST_EXPECT_EQ(t,
			add_vma(mm, USER_TOP - PAGE_SIZE, USER_TOP + PAGE_SIZE,
				VM_READ),
			-EINVAL);
	/* The top page of user space is never mapped (TASK_SIZE). */
	KTEST_EXPECT_EQ(t, add_vma(mm, TASK_SIZE, USER_TOP, VM_READ), -EINVAL);
	KTEST_EXPECT_EQ(t,
			add_vma(mm, TASK_SIZE - PAGE_SIZE, USER_TOP, VM_READ),
			-EINVAL);
	KTEST_EXPECT_EQ(t, add_vma(mm, a, a + 4 * PAGE_SIZE, VM_READ), 0);
	KTEST_EXPECT_EQ(t, add_vma(mm, a, a + 4 * PAGE_SIZE, VM_READ), -EEXIST);
	KTEST_EXPECT_EQ(t,
			add_vma(mm, a + PAGE_SIZE, a + 2 * PAGE_SIZE, VM_READ),
			-EEXIST);
	KTEST_EXPECT_EQ(t, add_vma(mm, a - PAGE_SIZE, a + PAGE_SIZE, VM_READ),
			-EEXIST);
	KTEST_EXPECT_EQ(t,
			add_vma(mm, a + 3 * PAGE_SIZE, a + 5 * PAGE_SIZE,
				VM_READ),
			-EEXIST);
	KTEST_EXPECT_EQ(t,
			add_vma(mm, a - PAGE_SIZE, a + 5 * PAGE_SIZE, VM_READ),
			-EEXIST);
	/* Touching is not overlapping, and does not merge by itself. */
	KTEST_EXPECT_EQ(t, add_vma(mm, a - PAGE_SIZE, a, VM_READ), 0);
	KTEST_EXPECT_EQ(t,
			add_vma(mm, a + 4 * PAGE_SIZE, a + 5 * PAGE_SIZE,
				VM_READ),
			0);
	KTEST_EXPECT_EQ(t, mm->map_count, 3);
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	/* Merging the middle one joins all three. */
	KTEST_EXPECT(t,
		     vma_merge(mm, find_vma(mm, a))->vm_start == a - PAGE_SIZE);
	KTEST_EXPECT_EQ(t, mm->map_count, 1);
	KTEST_EXPECT_EQ(t, find_vma(mm, 0)->vm_end, a + 5 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	test_mm_free(mm);
}

KTEST(vma, max_map_count_limit)
{
	struct mm_struct *mm = test_mm();
	int saved = max_map_count;
	unsigned long a = 0x1000000, big = 0x2000000;
	struct vm_area_struct *vma;

	KTEST_ASSERT(t, mm != NULL);
	max_map_count = 8;
	/* Seven one-page VMAs with gaps, and one of four pages: 8, the limit. */
	for (int i = 0; i < 7; i++)
		KTEST_EXPECT_EQ(t,
				add_vma(mm, a + 2 * i * PAGE_SIZE,
					a + (2 * i + 1) * PAGE_SIZE, VM_READ),
				0);
	KTEST_EXPECT_EQ(t, add_vma(mm, big, big + 4 * PAGE_SIZE, VM_READ), 0);
	KTEST_EXPECT_EQ(t, mm->map_count, 8);
	/* A ninth VMA, or a split that would make one: -ENOMEM, no change. */
	KTEST_EXPECT_EQ(t,
			add_vma(mm, a + 16 * PAGE_SIZE, a + 17 * PAGE_SIZE,
				VM_READ),
			-ENOMEM);
	vma = find_vma(mm, big);
	KTEST_ASSERT(t, vma != NULL);
	KTEST_EXPECT_EQ(t, split_vma(mm, vma, big + PAGE_SIZE, 0), -ENOMEM);
	KTEST_EXPECT_EQ(t, split_vma(mm, vma, big + PAGE_SIZE, 1), -ENOMEM);
	KTEST_EXPECT_EQ(t, vma->vm_start, big);
	KTEST_EXPECT_EQ(t, vma->vm_end, big + 4 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, mm->map_count, 8);
	/* One more allowed: one split works, the next fails. */
	max_map_count = 9;
	KTEST_EXPECT_EQ(t, split_vma(mm, vma, big + PAGE_SIZE, 0), 0);
	KTEST_EXPECT_EQ(t, mm->map_count, 9);
	KTEST_EXPECT_EQ(t, split_vma(mm, vma, big + 2 * PAGE_SIZE, 1), -EINVAL);
	vma = find_vma(mm, big + PAGE_SIZE);
	KTEST_EXPECT_EQ(t, split_vma(mm, vma, big + 2 * PAGE_SIZE, 1), -ENOMEM);
	/* Merging frees a slot again. */
	vma = vma_merge(mm, vma);
	KTEST_EXPECT_EQ(t, mm->map_count, 8);
	KTEST_EXPECT_EQ(t, vma->vm_start, big);
	KTEST_EXPECT_EQ(t, vma->vm_end, big + 4 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	max_map_count = saved;
	test_mm_free(mm);
}

KTEST(vma, get_unmapped_area_rules)
{
	struct mm_struct *mm = test_mm();
	unsigned long base = 0x7f0000000000UL, len = 4 * PAGE_SIZE;

	KTEST_ASSERT(t, mm != NULL);
	mm->mmap_base = base;
	/* Empty: just below mmap_base; a free hint is honoured, rounded down. */
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0, len), (long)(base - len));
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0, 1),
			(long)(base - PAGE_SIZE));
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0x500000, len), 0x500000);
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0x500123, len), 0x500000);
	/* Hints outside user space, or below 64 KiB, are ignored. */
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0x1000, len),
			(long)(base - len));
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, USER_TOP - PAGE_SIZE, len),
			(long)(base - len));
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, TASK_SIZE - len, len),
			(long)(TASK_SIZE - len));
	/* A hint whose range would reach into the top page: ignored. */
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, USER_TOP - len, len),
			(long)(base - len));
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0, USER_TOP), -ENOMEM);
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0, ~0UL), -ENOMEM);

	/* Taken ranges are skipped: the hint, and the top of the mmap area. */
	KTEST_EXPECT_EQ(t, add_vma(mm, 0x500000, 0x502000, VM_READ), 0);
	KTEST_EXPECT_EQ(t, add_vma(mm, base - 2 * PAGE_SIZE, base, VM_READ), 0);
	KTEST_EXPECT_EQ(t,
			add_vma(mm, base - 8 * PAGE_SIZE, base - 5 * PAGE_SIZE,
				VM_READ),
			0);
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0x4ff000, len),
			(long)(base - 12 * PAGE_SIZE));
	/* A 3-page gap between the two fits 3 pages, not 4. */
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0, 3 * PAGE_SIZE),
			(long)(base - 5 * PAGE_SIZE));
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0x502000, len), 0x502000);
	/* A VMA above mmap_base (the stack) does not matter... */
	KTEST_EXPECT_EQ(t,
			add_vma(mm, base + PAGE_SIZE, base + 9 * PAGE_SIZE,
				VM_READ),
			0);
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0, len),
			(long)(base - 12 * PAGE_SIZE));
	/* ...but one straddling it does. */
	mm->mmap_base = base + 4 * PAGE_SIZE;
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0, len),
			(long)(base - 12 * PAGE_SIZE));
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0, PAGE_SIZE), (long)base);
	free_all_vmas(mm);

	/* mmap_base low: only [64 KiB, mmap_base) can be used. */
	mm->mmap_base = 0x10000 + 3 * PAGE_SIZE;
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0, 4 * PAGE_SIZE), -ENOMEM);
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0, 3 * PAGE_SIZE), 0x10000);
	KTEST_EXPECT_EQ(t, add_vma(mm, 0x11000, 0x12000, VM_READ), 0);
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0, PAGE_SIZE), 0x12000);
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0, 2 * PAGE_SIZE), -ENOMEM);
	KTEST_EXPECT_EQ(t, add_vma(mm, 0x12000, 0x13000, VM_READ), 0);
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0, PAGE_SIZE), 0x10000);
	KTEST_EXPECT_EQ(t, add_vma(mm, 0x10000, 0x11000, VM_READ), 0);
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0, PAGE_SIZE), -ENOMEM);
	/* Full, but a free hint elsewhere still works. */
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0x20000, PAGE_SIZE), 0x20000);
	mm->mmap_base = 0x8000;
	KTEST_EXPECT_EQ(t, get_unmapped_area(mm, 0, PAGE_SIZE), -ENOMEM);
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	test_mm_free(mm);
}

KTEST(vma, check_catches_broken_books)
{
	struct mm_struct *mm = test_mm();
	struct vm_area_struct *a, *b;

	KTEST_ASSERT(t, mm != NULL);
	KTEST_EXPECT_EQ(t, add_vma(mm, 0x100000, 0x104000, VM_READ), 0);
	KTEST_EXPECT_EQ(t, add_vma(mm, 0x200000, 0x204000, VM_READ), 0);
	a = find_vma(mm, 0);
	b = find_vma(mm, 0x104000);
	KTEST_ASSERT(t, a && b && a != b);
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	mm->map_count++;
	KTEST_EXPECT(t, vma_check(mm) < 0);
	mm->map_count--;
	a->vm_end = 0x200800; /* overlaps b, and unaligned */
	KTEST_EXPECT(t, vma_check(mm) < 0);
	a->vm_end = 0x104000;
	b->vm_rb.__rb_parent_color ^= 1; /* flip a colour */
	KTEST_EXPECT(t, vma_check(mm) < 0);
	b->vm_rb.__rb_parent_color ^= 1;
	KTEST_EXPECT_EQ(t, vma_check(mm), 0);
	test_mm_free(mm);
}
