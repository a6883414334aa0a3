/*
 * rbtree.h - red-black trees (kernel/rbtree.c) with Linux's interface
 * (<linux/rbtree.h>): the caller embeds a struct rb_node in its own
 * struct, finds the place with its own comparison walk, then calls
 * rb_link_node() and rb_insert_color(); rb_erase() removes. The tree keeps
 * itself balanced, so lookups are O(log n).
 */
#ifndef KERNEL_RBTREE_H
#define KERNEL_RBTREE_H

#include <kernel/compiler.h>
#include <kernel/types.h>

struct rb_node {
	unsigned long __rb_parent_color; /* parent pointer | colour bit */
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __aligned(sizeof(long));

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT			    ((struct rb_root){ NULL })
#define rb_entry(ptr, type, member) container_of(ptr, type, member)
#define rb_parent(r)		    ((struct rb_node *)((r)->__rb_parent_color & ~3UL))
#define RB_EMPTY_ROOT(root)	    ((root)->rb_node == NULL)

/*
 * rb_link_node - put node in as a red leaf under parent at *link, found
 * by the caller's search; rb_insert_color() then rebalances. Linux's
 * rb_link_node().
 */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **link)
{
	node->__rb_parent_color = (unsigned long)parent;
	node->rb_left = node->rb_right = NULL;
	*link = node;
}

/*
 * rb_insert_color - rebalance after rb_link_node(). O(log n). Linux's
 * rb_insert_color().
 */
void rb_insert_color(struct rb_node *node, struct rb_root *root);

/*
 * rb_erase - unlink node (which must be in root) and rebalance. O(log n).
 * Linux's rb_erase().
 */
void rb_erase(struct rb_node *node, struct rb_root *root);

/*
 * rb_first / rb_last - the smallest / largest node, NULL for an empty
 * tree; rb_next / rb_prev - the in-order neighbour, NULL past the end.
 * Linux's functions of the same names.
 */
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

/*
 * rb_check - verify that root holds a red-black tree: the root is black
 * and has no parent, every child points back at its parent, no red node
 * has a red child, and every path down to a NULL leaf passes the same
 * number of black nodes. Keys are the caller's to check (the tree does
 * not know them). Returns 0, or minus the line number in kernel/rbtree.c
 * of the first broken rule. O(n). For tests and debugging (mm/vma.c's
 * vma_check(), tests/kernel/test_vma.c); no Linux counterpart outside
 * lib/rbtree_test.c.
 */
int rb_check(const struct rb_root *root);

#endif
