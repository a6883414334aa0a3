/*
 * app_hash - an application benchmark of `make bench-apps`
 * (docs/testing.md): build a hash table of many keys, as a program would,
 * growing it as it fills, then look every key up; timed with its page
 * faults (user/app_util.h).
 *
 *   app_hash [keys=N]          (default 1048576)
 *
 * The table is open addressing with linear probing: 16-byte slots (key,
 * value), key 0 marking an empty slot. It starts at 65,536 slots and
 * doubles whenever it would be more than half full: each new table comes
 * from malloc, is cleared by the program itself (every slot written: a
 * table cannot count on fresh memory), gets the old table's keys
 * rehashed into it, and the old one is freed; so each generation is
 * faulted in page by page when it is cleared. With the default 1,048,576
 * keys the last table has 2,097,152 slots (32 MiB), and all the tables
 * together 64 MiB. The keys are distinct 64-bit numbers (a bijection of
 * their index, the same on every kernel), inserted in that order; each
 * key's value is derived from it. Then every key is looked up and must
 * be found with its value, and N/4 keys that were never inserted must not
 * be found, and the table is freed. A wrong result is said on a line of
 * its own and the exit status is 1. The table code is the program's own
 * (no libc call in the loops but malloc and free).
 *
 * Phases (APP,phase lines): build, lookup, free.
 */
#include "app_util.h"

#define START_SLOTS (1UL << 16)

struct slot {
	uint64_t key, val;
};

struct table {
	struct slot *slot;
	size_t mask; /* slots - 1 (a power of two) */
	size_t count;
	unsigned long grows;
};

static uint64_t key_of(uint64_t i)
{
	return app_mix(i + 1);
}

static uint64_t val_of(uint64_t key)
{
	return key * 3 + 1;
}

/* The slot index to start probing at for key (its high bits: key_of()'s
 * output is already well mixed). */
static size_t home(uint64_t key, size_t mask)
{
	return (size_t)(key >> 17) & mask;
}

static struct slot *new_slots(size_t n)
{
	struct slot *s = malloc(n * sizeof(*s));

	if (!s)
		app_fail_alloc("app_hash", "a table", n * sizeof(*s));
	for (size_t i = 0; i < n; i++) {
		s[i].key = 0;
		s[i].val = 0;
	}
	return s;
}

/* Put key/val into t's slots, which have room (no growing here). */
static void place(struct table *t, uint64_t key, uint64_t val)
{
	size_t i = home(key, t->mask);

	while (t->slot[i].key != 0 && t->slot[i].key != key)
		i = (i + 1) & t->mask;
	if (t->slot[i].key == 0)
		t->count++;
	t->slot[i].key = key;
	t->slot[i].val = val;
}

/* Double t: a new, cleared table; rehash; free the old one. */
static void grow(struct table *t)
{
	struct slot *old = t->slot;
	size_t n = t->mask + 1;

	t->slot = new_slots(2 * n);
	t->mask = 2 * n - 1;
	t->count = 0;
	for (size_t i = 0; i < n; i++)
		if (old[i].key)
			place(t, old[i].key, old[i].val);
	free(old);
	t->grows++;
}

static void insert(struct table *t, uint64_t key, uint64_t val)
{
	if (2 * (t->count + 1) > t->mask + 1)
		grow(t);
	place(t, key, val);
}

/* The slot holding key, or NULL. */
static const struct slot *lookup(const struct table *t, uint64_t key)
{
	size_t i = home(key, t->mask);

	while (t->slot[i].key != 0) {
		if (t->slot[i].key == key)
			return &t->slot[i];
		i = (i + 1) & t->mask;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	size_t n = app_arg(argc, argv, "keys", 1048576, 1, 1UL << 26,
			   "app_hash [keys=N]");
	size_t missing = 0, wrong = 0, phantom = 0;
	uint64_t checksum = 0, first_missing = 0;
	struct table t = { NULL, START_SLOTS - 1, 0, 0 };
	struct app app;
	char params[64];
	int ok;

	snprintf(params, sizeof(params), "keys=%zu", n);
	app_begin(&app, "hash", params);

	app_phase(&app, "build");
	t.slot = new_slots(START_SLOTS);
	for (size_t i = 0; i < n; i++)
		insert(&t, key_of(i), val_of(key_of(i)));

	app_phase(&app, "lookup");
	for (size_t i = 0; i < n; i++) {
		const struct slot *s = lookup(&t, key_of(i));

		if (!s) {
			if (missing++ == 0)
				first_missing = i;
		} else if (s->val != val_of(key_of(i))) {
			wrong++;
		} else {
			checksum += s->val ^ (uint64_t)(s - t.slot);
		}
	}
	for (size_t i = n; i < n + n / 4; i++)
		phantom += lookup(&t, key_of(i)) != NULL;
	ok = t.count == n && missing == 0 && wrong == 0 && phantom == 0;
	if (!ok)
		app_emit("app_hash: WRONG: %zu keys in the table for %zu "
			 "inserted; %zu not found (the first: key %zu), %zu "
			 "with a wrong value, %zu never inserted but found",
			 t.count, n, missing, (size_t)first_missing, wrong,
			 phantom);
	snprintf(app.note, sizeof(app.note),
		 "app_hash: %zu keys, %zu slots (%zu MiB) after %lu grows", n,
		 t.mask + 1, (t.mask + 1) * sizeof(struct slot) >> 20, t.grows);

	app_phase(&app, "free");
	free(t.slot);
	app_end(&app, ok, checksum);
}
