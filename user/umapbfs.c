/*
 * umapbfs - breadth-first search over a graph file larger than the
 * pager's buffer, through umap() (user/umap, docs/umap.md), after the
 * BFS demo of LLNL's UMap.
 *
 *   umapbfs [VERTICES [FILE]]
 *
 * Writes a graph of VERTICES vertices (default 32768) in CSR form to FILE
 * (default /tmp/umapbfs.dat): a header of two u64 (vertices, edges), the
 * u64 offsets of each vertex's edges (vertices + 1), then the u32 edge
 * targets. Each vertex v has 1 to 15 edges: to v + 1, and to vertices
 * from v - 64 to v + 959 drawn by xorshift64 from a fixed seed, so the
 * graph and its levels are the same on every kernel, and the
 * search's frontier sweeps the file from start to end, as a mesh's would
 * (a graph of random edges would refault nearly every edge with any
 * buffer smaller than the file). The file (1.2 MiB by default) is
 * mapped read-only with a buffer of UMAP_BUFSIZE umap pages (default here
 * 64 when unset), the BFS from vertex 0 runs through the mapping, and its
 * levels are checked against a BFS over a copy of the file read with
 * pread(2). Prints the vertices reached, the deepest level, the pager's
 * counters and the time. Exit status 0 iff both searches agree.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "umap/umap.c"

#define PG 4096UL

struct graph {
	uint64_t nv, ne;
	const uint64_t *off; /* nv + 1 */
	const uint32_t *adj; /* ne */
};

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static size_t file_bytes(uint64_t nv, uint64_t ne)
{
	return (2 + nv + 1) * sizeof(uint64_t) + ne * sizeof(uint32_t);
}

/* The graph's layout over the bytes at base. */
static void layout(struct graph *g, const char *base)
{
	const uint64_t *h = (const uint64_t *)base;

	g->nv = h[0];
	g->ne = h[1];
	g->off = h + 2;
	g->adj = (const uint32_t *)(g->off + g->nv + 1);
}

/* Write the graph to fd through a buffer built in memory; its bytes. */
static size_t make_graph(int fd, uint64_t nv)
{
	uint64_t s = 88172645463325252ull, ne = 0;
	uint8_t *deg = malloc(nv);

	if (!deg)
		return 0;
	for (uint64_t v = 0; v < nv; v++) {
		deg[v] = (uint8_t)(1 + rnd(&s) % 15);
		ne += deg[v];
	}
	size_t len = file_bytes(nv, ne);
	char *buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (buf == MAP_FAILED) {
		free(deg);
		return 0;
	}
	uint64_t *h = (uint64_t *)buf, *off = h + 2;
	uint32_t *adj = (uint32_t *)(off + nv + 1);

	h[0] = nv;
	h[1] = ne;
	off[0] = 0;
	for (uint64_t v = 0; v < nv; v++) {
		off[v + 1] = off[v] + deg[v];
		adj[off[v]] = (uint32_t)((v + 1) % nv);
		for (uint64_t e = off[v] + 1; e < off[v + 1]; e++)
			adj[e] =
				(uint32_t)((v + nv - 64 + rnd(&s) % 1024) % nv);
	}
	size_t done = 0;

	while (done < len) {
		long n = syscall(__NR_pwrite64, fd, buf + done, len - done,
				 (off_t)done);

		if (n <= 0)
			break;
		done += (size_t)n;
	}
	munmap(buf, len);
	free(deg);
	return done == len ? len : 0;
}

/* BFS from vertex 0: level[v] (-1: not reached); the vertices reached. */
static uint64_t bfs(const struct graph *g, int32_t *level, uint32_t *queue,
		    int32_t *deepest)
{
	uint64_t head = 0, tail = 0;

	for (uint64_t v = 0; v < g->nv; v++)
		level[v] = -1;
	level[0] = 0;
	queue[tail++] = 0;
	*deepest = 0;
	while (head < tail) {
		uint32_t v = queue[head++];

		for (uint64_t e = g->off[v]; e < g->off[v + 1]; e++) {
			uint32_t w = g->adj[e];

			if (level[w] >= 0)
				continue;
			level[w] = level[v] + 1;
			if (level[w] > *deepest)
				*deepest = level[w];
			queue[tail++] = w;
		}
	}
	return tail;
}

int main(int argc, char **argv)
{
	struct umap_config c;
	struct umap_stats st;
	struct graph g, gc;
	int32_t deep1, deep2;
	const char *path = argc > 2 ? argv[2] : "/tmp/umapbfs.dat";
	uint64_t nv = argc > 1 ? strtoul(argv[1], NULL, 0) : 32768;

	umap_cfg_get(&c);
	if (!getenv("UMAP_BUFSIZE"))
		c.bufsize = 64;
	if (nv < 2 || nv > (1u << 24) || umap_cfg_set(&c)) {
		printf("umapbfs: bad VERTICES or UMAP_* configuration\n");
		return 2;
	}
	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
	size_t len = fd >= 0 ? make_graph(fd, nv) : 0;

	if (!len) {
		printf("umapbfs: cannot write %s\n", path);
		return 2;
	}
	/* The reference: the whole file read into memory. */
	char *copy = mmap(NULL, len, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* Two level arrays and a queue, of nv 32-bit words each. */
	size_t wlen = 3 * nv * sizeof(int32_t);
	int32_t *l1 = mmap(NULL, wlen, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int32_t *l2 = l1 + nv;
	uint32_t *q = (uint32_t *)(l2 + nv);

	if (copy == MAP_FAILED || l1 == MAP_FAILED ||
	    syscall(__NR_pread64, fd, copy, len, 0) != (long)len) {
		printf("umapbfs: out of memory, or a short read\n");
		return 2;
	}
	layout(&gc, copy);
	uint64_t reached2 = bfs(&gc, l2, q, &deep2);

	unsigned long t0 = now_us();
	char *p = umap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);

	if (p == MAP_FAILED) {
		printf("umapbfs: umap failed\n");
		return 2;
	}
	layout(&g, p);
	uint64_t reached1 = bfs(&g, l1, q, &deep1);

	umap_wait_idle();
	umap_get_stats(&st);
	uunmap(p, len);
	unsigned long t1 = now_us();
	int ok = reached1 == reached2 && deep1 == deep2 &&
		 memcmp(l1, l2, nv * sizeof(int32_t)) == 0;

	printf("umapbfs: %lu vertices, %lu edges, %zu pages of 4 KiB, "
	       "buffer %zu umap pages (%u%%/%u%%), %u fillers, %u evictors\n",
	       (unsigned long)g.nv, (unsigned long)gc.ne, (len + PG - 1) / PG,
	       c.bufsize, c.high_water, c.low_water, c.fillers, c.evictors);
	printf("umapbfs: reached %lu, deepest level %d\n",
	       (unsigned long)reached1, (int)deep1);
	printf("umapbfs: faults %lu fills %lu evictions %lu write-backs %lu "
	       "wp-faults %lu\n",
	       st.faults, st.fills, st.evictions, st.writebacks, st.wp_faults);
	printf("umapbfs: bfs + unmap %lu us (fillers %lu us, evictors %lu us); "
	       "%s\n",
	       t1 - t0, st.fill_us, st.evict_us,
	       ok ? "same levels as over read(): ok" : "FAILED");
	munmap(copy, len);
	munmap(l1, wlen);
	close(fd);
	syscall(__NR_unlink, path);
	return ok ? 0 : 1;
}
