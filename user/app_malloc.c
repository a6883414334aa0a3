/*
 * app_malloc - an application benchmark of `make bench-apps`
 * (docs/testing.md): a malloc-heavy program that allocates many blocks of
 * mixed sizes, writes all of each, and frees them in a random order over
 * several rounds; timed with its page faults (user/app_util.h).
 *
 *   app_malloc [blocks=N] [rounds=R]      (default 4000 and 4)
 *
 * Each round allocates N blocks and writes every 8-byte word of each with
 * a pattern of the block's own; then every live block, from this round
 * or one before, is freed with probability 3/4 after its pattern is
 * checked, so a quarter lives on into the next round and the heap
 * fragments as a long-running program's does. The last round frees the
 * rest. Sizes, by octave (a size drawn uniformly within a power-of-two
 * range whose exponent is drawn uniformly, so each octave is as likely as
 * the next): 85% from 16 B to 1 KiB, 12% from 1 KiB to 32 KiB, 3% from
 * 64 KiB to 512 KiB; about 40 MiB per round with the defaults. The
 * sequence of sizes and of frees is fixed (xorshift), the same on every
 * kernel; the memory behind the blocks is the allocator's business: our
 * libc maps 64 KiB chunks for blocks up to 4080 bytes and a mapping of
 * its own for anything larger (libc/malloc.c); glibc's malloc grows its
 * heap with brk and maps only large blocks. A block whose pattern changed
 * is said on a line of its own and the exit status is 1.
 *
 * Phases (APP,phase lines): one per round, round1 .. roundR.
 */
#include "app_util.h"

struct block {
	uint64_t *p;
	size_t words;
	uint64_t seed;
};

/* A size in bytes, a multiple of 8, drawn as the top of this file says. */
static size_t draw_size(uint64_t *rng)
{
	uint64_t r = app_rand(rng);
	unsigned pick = (unsigned)(r % 100), lo_bits, octaves, e;
	size_t size;

	if (pick < 85) {
		lo_bits = 4; /* 16 B .. 1 KiB */
		octaves = 6;
	} else if (pick < 97) {
		lo_bits = 10; /* 1 KiB .. 32 KiB */
		octaves = 5;
	} else {
		lo_bits = 16; /* 64 KiB .. 512 KiB */
		octaves = 3;
	}
	r = app_rand(rng);
	e = lo_bits + (unsigned)(r % octaves);
	size = ((size_t)1 << e) + (size_t)((r >> 8) % ((uint64_t)1 << e));
	return (size + 7) & ~(size_t)7;
}

static void fill(struct block *b)
{
	for (size_t j = 0; j < b->words; j++)
		b->p[j] = b->seed ^ j;
}

/* Check b's pattern; the number of words that changed. Adds the words to
 * *sum. */
static size_t check(const struct block *b, uint64_t *sum)
{
	size_t bad = 0;

	for (size_t j = 0; j < b->words; j++) {
		bad += b->p[j] != (b->seed ^ j);
		*sum += b->p[j];
	}
	return bad;
}

int main(int argc, char **argv)
{
	const char *usage = "app_malloc [blocks=N] [rounds=R]";
	size_t nblocks = app_arg(argc, argv, "blocks", 4000, 1, 1000000, usage);
	unsigned long rounds = app_arg(argc, argv, "rounds", 4, 1, 1000, usage);
	uint64_t rng = 0x2545f4914f6cdd1dULL, sum = 0, bytes = 0;
	size_t live = 0, cap = nblocks + nblocks / 2 + 16, bad_blocks = 0;
	static const char *const round_name[] = {
		"round1", "round2", "round3", "round4",
		"round5", "round6", "round7", "round8",
	};
	unsigned long allocs = 0, frees = 0;
	struct block *blk;
	struct app app;
	char params[80];

	snprintf(params, sizeof(params), "blocks=%zu,rounds=%lu", nblocks,
		 rounds);
	/* The bookkeeping comes first, outside the window. */
	blk = malloc(cap * sizeof(*blk));
	if (!blk)
		app_fail_alloc("app_malloc", "the block list",
			       cap * sizeof(*blk));
	memset(blk, 0, cap * sizeof(*blk));
	app_begin(&app, "malloc", params);

	for (unsigned long r = 0; r < rounds; r++) {
		app_phase(&app, r < 8 ? round_name[r] : "round9+");
		for (size_t i = 0; i < nblocks; i++) {
			struct block *b = &blk[live++];
			size_t size = draw_size(&rng);

			b->p = malloc(size);
			if (!b->p)
				app_fail_alloc("app_malloc", "a block", size);
			b->words = size / 8;
			b->seed = app_rand(&rng);
			fill(b);
			bytes += size;
			allocs++;
		}
		/* Free 3/4 of what lives (all of it in the last round),
		 * keeping the survivors at the front of the list. */
		size_t kept = 0;

		for (size_t i = 0; i < live; i++) {
			struct block *b = &blk[i];

			if (r + 1 < rounds && app_rand(&rng) % 4 == 0) {
				blk[kept++] = *b;
				continue;
			}
			if (check(b, &sum) && bad_blocks++ == 0)
				app_emit("app_malloc: WRONG: block %zu of "
					 "round %lu (%zu bytes at %p) "
					 "changed",
					 i, r + 1, b->words * 8, (void *)b->p);
			free(b->p);
			frees++;
		}
		live = kept;
	}
	snprintf(app.note, sizeof(app.note),
		 "app_malloc: %lu mallocs, %lu frees, %llu MiB allocated in "
		 "all; %zu blocks wrong",
		 allocs, frees, (unsigned long long)(bytes >> 20), bad_blocks);
	app_end(&app, bad_blocks == 0 && live == 0, sum);
}
