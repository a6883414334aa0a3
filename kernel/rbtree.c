/*
 * rbtree.c - red-black trees behind include/kernel/rbtree.h (Linux's
 * interface, lib/rbtree.c). The caller owns the search and links a new
 * leaf with rb_link_node(); this file only recolours and rotates.
 * mm/vma.c keeps each mm's VMAs in one.
 *
 * Colour: bit 0 of __rb_parent_color, RB_RED = 0 and RB_BLACK = 1, as in
 * Linux, so a node freshly linked by rb_link_node() (colour bits 0) is red.
 * The other bits are the parent pointer (NULL at the root).
 *
 * The rules kept (CLRS ch. 13; a NULL child counts as a black leaf):
 *   1. the root is black;
 *   2. a red node has no red child;
 *   3. every path from a node down to a NULL leaf passes the same number
 *      of black nodes (the node's black height).
 * So the longest path is at most twice the shortest: height <= 2 log2(n+1).
 */
#include <kernel/rbtree.h>

#define RB_RED	 0UL
#define RB_BLACK 1UL

static inline unsigned long rb_color(const struct rb_node *n)
{
	return n->__rb_parent_color & 1UL;
}

/* A NULL leaf is black. */
static inline bool is_red(const struct rb_node *n)
{
	return n && rb_color(n) == RB_RED;
}

static inline void set_color(struct rb_node *n, unsigned long color)
{
	n->__rb_parent_color = (n->__rb_parent_color & ~1UL) | color;
}

static inline void set_parent(struct rb_node *n, struct rb_node *parent)
{
	n->__rb_parent_color = (unsigned long)parent | rb_color(n);
}

/* Make whatever pointed at old (parent's child slot or the root) point at new. */
static inline void replace_child(struct rb_node *old, struct rb_node *new,
				 struct rb_node *parent, struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

/*
 * rotate_left - x's right child y takes x's place, x becomes y's left
 * child and y's old left subtree becomes x's right one. In-order sequence
 * and colours are unchanged.
 *
 *       x               y
 *      / \             / \
 *     a   y    ==>    x   c
 *        / \         / \
 *       b   c       a   b
 */
static void rotate_left(struct rb_node *x, struct rb_root *root)
{
	struct rb_node *y = x->rb_right;
	struct rb_node *xp = rb_parent(x);

	x->rb_right = y->rb_left;
	if (y->rb_left)
		set_parent(y->rb_left, x);
	set_parent(y, xp);
	replace_child(x, y, xp, root);
	y->rb_left = x;
	set_parent(x, y);
}

/* rotate_right - the mirror image of rotate_left. */
static void rotate_right(struct rb_node *x, struct rb_root *root)
{
	struct rb_node *y = x->rb_left;
	struct rb_node *xp = rb_parent(x);

	x->rb_left = y->rb_right;
	if (y->rb_right)
		set_parent(y->rb_right, x);
	set_parent(y, xp);
	replace_child(x, y, xp, root);
	y->rb_right = x;
	set_parent(x, y);
}

/*
 * rb_insert_color - restore the red-black rules after rb_link_node() put
 * node (red) in as a leaf. Only rule 2 can be broken, between node and its
 * parent; each step either fixes it with at most two rotations or pushes
 * the red-red pair two levels up by recolouring. O(log n), no allocation.
 * Mirrors Linux's rb_insert_color().
 */
void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *parent, *gparent, *uncle;

	set_color(node, RB_RED);
	while ((parent = rb_parent(node)) && is_red(parent)) {
		/* parent is red, so it is not the root: gparent exists and is black. */
		gparent = rb_parent(parent);
		if (parent == gparent->rb_left) {
			uncle = gparent->rb_right;
			if (is_red(uncle)) {
				/* Case 1: recolour, continue from gparent. */
				set_color(parent, RB_BLACK);
				set_color(uncle, RB_BLACK);
				set_color(gparent, RB_RED);
				node = gparent;
				continue;
			}
			if (node == parent->rb_right) {
				/* Case 2: turn the zig-zag into a line. */
				rotate_left(parent, root);
				node = parent;
				parent = rb_parent(node);
			}
			/* Case 3: parent replaces gparent, black over two reds. */
			set_color(parent, RB_BLACK);
			set_color(gparent, RB_RED);
			rotate_right(gparent, root);
		} else {
			uncle = gparent->rb_left;
			if (is_red(uncle)) {
				set_color(parent, RB_BLACK);
				set_color(uncle, RB_BLACK);
				set_color(gparent, RB_RED);
				node = gparent;
				continue;
			}
			if (node == parent->rb_left) {
				rotate_right(parent, root);
				node = parent;
				parent = rb_parent(node);
			}
			set_color(parent, RB_BLACK);
			set_color(gparent, RB_RED);
			rotate_left(gparent, root);
		}
	}
	set_color(root->rb_node, RB_BLACK);
}

/*
 * erase_fixup - a black node was taken off the path to x (x may be a NULL
 * leaf, hence its parent is passed): every path through x is one black
 * short (x is "doubly black"). Move the extra black up until it lands on a
 * red node or the root, or fix it with rotations around the sibling.
 */
static void erase_fixup(struct rb_node *x, struct rb_node *parent,
			struct rb_root *root)
{
	struct rb_node *sib;

	while (x != root->rb_node && !is_red(x)) {
		if (x == parent->rb_left) {
			/* sib is not NULL: its side has black height >= 1. */
			sib = parent->rb_right;
			if (is_red(sib)) {
				/* Case 1: make the sibling black. */
				set_color(sib, RB_BLACK);
				set_color(parent, RB_RED);
				rotate_left(parent, root);
				sib = parent->rb_right;
			}
			if (!is_red(sib->rb_left) && !is_red(sib->rb_right)) {
				/* Case 2: take one black off both sides, go up. */
				set_color(sib, RB_RED);
				x = parent;
				parent = rb_parent(x);
				continue;
			}
			if (!is_red(sib->rb_right)) {
				/* Case 3: make sib's far child the red one. */
				set_color(sib->rb_left, RB_BLACK);
				set_color(sib, RB_RED);
				rotate_right(sib, root);
				sib = parent->rb_right;
			}
			/* Case 4: one rotation adds the missing black on x's side. */
			set_color(sib, rb_color(parent));
			set_color(parent, RB_BLACK);
			set_color(sib->rb_right, RB_BLACK);
			rotate_left(parent, root);
			x = root->rb_node;
			break;
		} else {
			sib = parent->rb_left;
			if (is_red(sib)) {
				set_color(sib, RB_BLACK);
				set_color(parent, RB_RED);
				rotate_right(parent, root);
				sib = parent->rb_left;
			}
			if (!is_red(sib->rb_left) && !is_red(sib->rb_right)) {
				set_color(sib, RB_RED);
				x = parent;
				parent = rb_parent(x);
				continue;
			}
			if (!is_red(sib->rb_left)) {
				set_color(sib->rb_right, RB_BLACK);
				set_color(sib, RB_RED);
				rotate_left(sib, root);
				sib = parent->rb_left;
			}
			set_color(sib, rb_color(parent));
			set_color(parent, RB_BLACK);
			set_color(sib->rb_left, RB_BLACK);
			rotate_right(parent, root);
			x = root->rb_node;
			break;
		}
	}
	if (x)
		set_color(x, RB_BLACK);
}

/*
 * rb_erase - unlink node from root and rebalance. node must be in the
 * tree; its fields are left stale (the caller may reuse or free it).
 * A node with two children is replaced by its in-order successor, which is
 * moved (not copied), so pointers to other nodes stay valid. O(log n).
 * Mirrors Linux's rb_erase().
 */
void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *parent = rb_parent(node);
	struct rb_node *child, *fix_parent;
	unsigned long removed_color;

	if (!node->rb_left || !node->rb_right) {
		/* At most one child: it takes node's place. */
		child = node->rb_left ? node->rb_left : node->rb_right;
		replace_child(node, child, parent, root);
		if (child)
			set_parent(child, parent);
		removed_color = rb_color(node);
		fix_parent = parent;
	} else {
		/* Two children: the successor (leftmost on the right) moves up. */
		struct rb_node *succ = node->rb_right;

		while (succ->rb_left)
			succ = succ->rb_left;
		removed_color = rb_color(succ);
		child = succ->rb_right;
		if (rb_parent(succ) == node) {
			fix_parent = succ;
		} else {
			fix_parent = rb_parent(succ);
			/* Unhook succ; its right subtree takes its place. */
			fix_parent->rb_left = child;
			if (child)
				set_parent(child, fix_parent);
			succ->rb_right = node->rb_right;
			set_parent(node->rb_right, succ);
		}
		succ->rb_left = node->rb_left;
		set_parent(node->rb_left, succ);
		/* succ takes node's place and colour. */
		succ->__rb_parent_color = node->__rb_parent_color;
		replace_child(node, succ, parent, root);
	}
	if (removed_color == RB_BLACK)
		erase_fixup(child, fix_parent, root);
}

/* rb_first - the leftmost (smallest) node, NULL for an empty tree. */
struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_left)
		n = n->rb_left;
	return n;
}

/* rb_last - the rightmost (largest) node, NULL for an empty tree. */
struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_right)
		n = n->rb_right;
	return n;
}

/*
 * rb_next - in-order successor of node, NULL after the last one. O(log n)
 * worst case, O(1) amortised over a full walk. Mirrors Linux's rb_next().
 */
struct rb_node *rb_next(const struct rb_node *node)
{
	struct rb_node *parent;

	if (node->rb_right) {
		node = node->rb_right;
		while (node->rb_left)
			node = node->rb_left;
		return (struct rb_node *)node;
	}
	/* Climb while we come from a right child; that parent is done. */
	while ((parent = rb_parent(node)) && node == parent->rb_right)
		node = parent;
	return parent;
}

/* rb_prev - in-order predecessor of node, NULL before the first one. */
struct rb_node *rb_prev(const struct rb_node *node)
{
	struct rb_node *parent;

	if (node->rb_left) {
		node = node->rb_left;
		while (node->rb_right)
			node = node->rb_right;
		return (struct rb_node *)node;
	}
	while ((parent = rb_parent(node)) && node == parent->rb_left)
		node = parent;
	return parent;
}

/*
 * Black nodes on every path from n down to a NULL leaf (n included), or
 * minus the line of the first broken rule below n.
 */
static int black_height(const struct rb_node *n)
{
	int lh, rh;

	if (!n)
		return 0;
	if (n->rb_left && rb_parent(n->rb_left) != n)
		return -__LINE__;
	if (n->rb_right && rb_parent(n->rb_right) != n)
		return -__LINE__;
	if (is_red(n) && (is_red(n->rb_left) || is_red(n->rb_right)))
		return -__LINE__; /* rule 2 */
	lh = black_height(n->rb_left);
	if (lh < 0)
		return lh;
	rh = black_height(n->rb_right);
	if (rh < 0)
		return rh;
	if (lh != rh)
		return -__LINE__; /* rule 3 */
	return lh + !is_red(n);
}

int rb_check(const struct rb_root *root)
{
	const struct rb_node *n = root->rb_node;
	int bh;

	if (!n)
		return 0;
	if (rb_parent(n))
		return -__LINE__;
	if (is_red(n))
		return -__LINE__; /* rule 1 */
	bh = black_height(n);
	return bh < 0 ? bh : 0;
}
