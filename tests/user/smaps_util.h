/*
 * smaps_util.h - reading /proc files in the user tests without stdio's
 * FILE (our libc has none): read_text(), and the sums of Rss and
 * AnonHugePages over a range of /proc/self/smaps (smaps_range(),
 * rss_kb(), anon_huge_kb()) and a /proc/vmstat line (vmstat_value()),
 * as a Linux program reads them. For
 * t_thp and t_poe_huge; every function records a FAIL where it says so.
 */
#ifndef SMAPS_UTIL_H
#define SMAPS_UTIL_H

#include "utest.h"
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Read at most size - 1 bytes of path into buf, NUL-terminated; the
 * length, or -1 when it cannot be opened or read. */
static inline long read_text(const char *path, char *buf, size_t size)
{
	long n = 0, r;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((size_t)n < size - 1) {
		r = read(fd, buf + n, size - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += r;
	}
	close(fd);
	buf[n] = 0;
	return n;
}

static char smaps_buf[256 << 10];

struct smaps_sum {
	long rss;	/* kB */
	long anon_huge; /* kB, AnonHugePages */
	long eligible;	/* THPeligible of the last VMA in the range */
	int vmas;	/* VMAs that overlap the range */
	int outside;	/* of those, how many reach outside it */
};

static inline int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* The value of "Name:   N kB" at s just past the colon. */
static inline long field(const char *s)
{
	return (long)strtoul(s, NULL, 10);
}

/*
 * Sum Rss and AnonHugePages over the VMAs of /proc/self/smaps that
 * overlap [start, end) into *st; 0, or -1 (recorded as a FAIL) when
 * smaps cannot be read or no VMA overlaps.
 */
static inline int smaps_range(const void *startp, unsigned long len,
			      struct smaps_sum *st)
{
	unsigned long start = (uintptr_t)startp, end = start + len, lo, hi;
	char *line, *next, *e;
	int in = 0;
	long n;

	memset(st, 0, sizeof(*st));
	st->eligible = -1;
	n = read_text("/proc/self/smaps", smaps_buf, sizeof(smaps_buf));
	utest_checks++;
	if (n <= 0 || (size_t)n >= sizeof(smaps_buf) - 1) {
		utest_failures++;
		diag("FAIL reading /proc/self/smaps: %s",
		     n < 0 ? strerror(errno) : "empty or too long");
		return -1;
	}
	for (line = smaps_buf; *line; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		if (is_hex(line[0])) {
			lo = strtoul(line, &e, 16);
			hi = *e == '-' ? strtoul(e + 1, NULL, 16) : 0;
			in = lo < end && hi > start;
			if (in) {
				st->vmas++;
				st->outside += lo < start || hi > end;
			}
		} else if (!in) {
			continue;
		} else if (!strncmp(line, "Rss:", 4)) {
			st->rss += field(line + 4);
		} else if (!strncmp(line, "AnonHugePages:", 14)) {
			st->anon_huge += field(line + 14);
		} else if (!strncmp(line, "THPeligible:", 12)) {
			st->eligible = field(line + 12);
		}
	}
	if (!st->vmas) {
		utest_failures++;
		diag("FAIL no VMA of /proc/self/smaps overlaps %#lx-%#lx",
		     start, end);
		return -1;
	}
	return 0;
}

/* The number on /proc/vmstat's line "name N", or -1 when the file or
 * the line is missing (Linux has some of ours' lines, not all). */
static inline long vmstat_value(const char *name)
{
	static char buf[8192];
	size_t len = strlen(name);
	char *line;

	if (read_text("/proc/vmstat", buf, sizeof(buf)) <= 0)
		return -1;
	for (line = buf; line && *line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (!strncmp(line, name, len) && line[len] == ' ')
			return (long)strtoul(line + len + 1, NULL, 10);
	}
	return -1;
}

/*
 * read_maps_zero_page - does a read fault of fresh private anonymous
 * memory map the shared zero page (Rss stays 0), as Linux and ours do?
 * 1 yes, 0 no (a kernel that maps a real page for a read: Rss 4 kB, as
 * some vendor builds of Linux 6.18 do), -1 unknown (smaps unreadable:
 * a FAIL is recorded). One page of its own is mapped, read, unmapped.
 */
static inline int read_maps_zero_page(void)
{
	struct smaps_sum st;
	unsigned char *g = mmap(NULL, 3 * 4096, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile unsigned char *p = g + 4096;
	int r = -1;

	if (g == MAP_FAILED)
		return -1;
	/* A VMA of its own between two PROT_NONE guards: no neighbour's
	 * Rss is summed with it. */
	if (mprotect((void *)p, 4096, PROT_READ | PROT_WRITE) == 0) {
		(void)p[0];
		if (smaps_range((const void *)p, 4096, &st) == 0)
			r = st.vmas == 1 && st.outside == 0 ? st.rss == 0 : -1;
	}
	munmap(g, 3 * 4096);
	return r;
}

/* AnonHugePages (kB) over [p, p + len), -1 when unknown. */
static inline long anon_huge_kb(const void *p, unsigned long len)
{
	struct smaps_sum st;

	return smaps_range(p, len, &st) ? -1 : st.anon_huge;
}

/* Rss (kB) over [p, p + len), -1 when unknown. */
static inline long rss_kb(const void *p, unsigned long len)
{
	struct smaps_sum st;

	return smaps_range(p, len, &st) ? -1 : st.rss;
}

#endif
