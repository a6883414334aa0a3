/*
 * fuzz_common.c - fuzz_fail() and fuzz_init() (fuzz.h), linked into
 * every harness.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "host_shim.h"
#include "fuzz.h"

void fuzz_fail(const char *file, int line, const char *fmt, ...)
{
	const char *log = host_log();
	size_t len = strlen(log);
	va_list ap;

	fprintf(stderr, "fuzz: %s:%d: contract broken: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	/* The end of what the kernel printed for this input. */
	if (len)
		fprintf(stderr, "fuzz: console:\n%s\n",
			len > 2048 ? log + len - 2048 : log);
	abort();
}

bool fuzz_replay;

void fuzz_init(int *argc, char ***argv)
{
	struct stat st;

	setenv("HOST_QUIET", "1", 1);
	for (int i = 1; i < *argc; i++)
		if ((*argv)[i][0] != '-' && stat((*argv)[i], &st) == 0 &&
		    S_ISREG(st.st_mode))
			fuzz_replay = true;
}
