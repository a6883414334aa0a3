/*
 * p_procmaps - /proc/self/maps read through stdio: a fresh anonymous
 * mapping (between two PROT_NONE guard pages) shows as a line "START-END rw-p 00000000 00:00 0" with its
 * exact bounds, and after mprotect(2) of its first page to PROT_READ
 * as two lines, r--p and rw-p. Linux: fs/proc/task_mmu.c show_map_vma().
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#include "ptest.h"

/* The permissions of the maps line [start, end), or "" if none. */
static const char *perms_of(uintptr_t start, uintptr_t end)
{
	static char perms[8];
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	perms[0] = 0;
	if (!f)
		return perms;
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;
		char p[8];

		if (sscanf(line, "%lx-%lx %4s", &s, &e, p) == 3 && s == start &&
		    e == end)
			snprintf(perms, sizeof(perms), "%s", p);
	}
	fclose(f);
	return perms;
}

int main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	/* Four read-write pages between two PROT_NONE ones of our own, so
	 * that no neighbouring mapping can merge with them. */
	char *g = mmap(NULL, 6 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	char *p = g + pg;
	uintptr_t a = (uintptr_t)p;

	CHECK(g != MAP_FAILED);
	CHECK_EQ(mprotect(p, 4 * pg, PROT_READ | PROT_WRITE), 0);
	FILE *f = fopen("/proc/self/maps", "r");

	CHECK(f != NULL);
	if (f)
		fclose(f);
	CHECK(strcmp(perms_of(a, a + 4 * pg), "rw-p") == 0);
	CHECK_EQ(mprotect(p, pg, PROT_READ), 0);
	CHECK(strcmp(perms_of(a, a + pg), "r--p") == 0);
	CHECK(strcmp(perms_of(a + pg, a + 4 * pg), "rw-p") == 0);
	return pt_done("p_procmaps");
}
