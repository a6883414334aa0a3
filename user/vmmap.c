/*
 * vmmap - print this process's own memory map (the mm_dump private call,
 * include/uapi/private.h; the kernel prints on the console).
 *
 *   vmmap                 the VMAs: `start-end perms flags rss`
 *   vmmap START END       the VMAs, then the page-table walk of every page
 *                         in [START, END) (each level's entry and flags),
 *                         e.g. vmmap 0x400000 0x401000
 *   vmmap START           the same for the one page at START
 *
 * On Linux (and any kernel without mm_dump) it says so and exits 1.
 */
#include <errno.h>
#include <private.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse(const char *s, unsigned long *v)
{
	char *end;

	*v = strtoul(s, &end, 0);
	return *s && !*end && *s != '-';
}

int main(int argc, char **argv)
{
	unsigned long start = 0, end = 0;

	if (argc > 3 || (argc > 1 && !parse(argv[1], &start)) ||
	    (argc > 2 && !parse(argv[2], &end))) {
		printf("usage: vmmap [START [END]]   (addresses: 0x... or decimal)\n");
		return 2;
	}
	if (argc == 2) {
		start &= ~4095UL;
		end = start + 4096;
	}
	if (argc > 1 && end <= start) {
		printf("vmmap: END (%#lx) must be above START (%#lx)\n", end,
		       start);
		return 2;
	}
	fflush(stdout); /* our output first, then the kernel's */
	if (mm_dump(start, end) != 0) {
		if (errno == ENOSYS)
			printf("vmmap: mm_dump: %s: this kernel has no mm_dump "
			       "call (not the POE kernel?)\n",
			       strerror(errno));
		else
			printf("vmmap: mm_dump(%#lx, %#lx): %s\n", start, end,
			       strerror(errno));
		return 1;
	}
	return 0;
}
