/*
 * p_files - files through the C library on a writable file system (on
 * our kernel the ramfs root): a scratch directory from mkdtemp(3) under
 * /tmp, fopen(3)/fprintf(3)/fclose(3) into a file and fgets(3) back,
 * rename(2), unlink(2), opendir(3)/readdir(3) (getdents64) listing just
 * what was made, rmdir(2). musl and glibc both buffer the writes and
 * flush them at fclose; glibc fstat()s the file first.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ptest.h"

static char dir[64], path[128], path2[128];

/* The names in dir other than . and .., sorted, joined by ','. */
static void listing(char *out, size_t len)
{
	char names[8][256];
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	out[0] = 0;
	if (!d)
		return;
	while ((e = readdir(d)) && n < 8) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			snprintf(names[n++], sizeof(names[0]), "%s", e->d_name);
	}
	closedir(d);
	for (int i = 0; i < n; i++) /* insertion sort: readdir has no order */
		for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0;
		     j--) {
			char t[256];

			memcpy(t, names[j], 256);
			memcpy(names[j], names[j - 1], 256);
			memcpy(names[j - 1], t, 256);
		}
	for (int i = 0; i < n; i++) {
		if (i)
			strncat(out, ",", len - strlen(out) - 1);
		strncat(out, names[i], len - strlen(out) - 1);
	}
}

int main(void)
{
	char line[128], ls[256];
	struct stat st;
	FILE *f;

	mkdir("/tmp", 01777); /* there on Linux and on our ramfs root */
	snprintf(dir, sizeof(dir), "/tmp/p_files.XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/a.txt", dir);
	snprintf(path2, sizeof(path2), "%s/b.txt", dir);

	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return pt_done("p_files");
	for (int i = 0; i < 100; i++) /* 100 lines: more than one write */
		fprintf(f, "line %d of %s\n", i, "p_files");
	CHECK_EQ(fclose(f), 0);
	CHECK_EQ(stat(path, &st), 0);
	CHECK_EQ(st.st_size, 10 * 18 + 90 * 19);
	CHECK(S_ISREG(st.st_mode));

	f = fopen(path, "r");
	CHECK(f != NULL);
	if (f) {
		int n = 0, good = 1;

		while (fgets(line, sizeof(line), f)) {
			char want[64];

			snprintf(want, sizeof(want), "line %d of p_files\n", n);
			good &= strcmp(line, want) == 0;
			n++;
		}
		CHECK_EQ(n, 100);
		CHECK(good);
		CHECK(feof(f) && !ferror(f));
		fclose(f);
	}

	f = fopen(path, "a"); /* O_APPEND: written at the end */
	CHECK(f != NULL);
	if (f) {
		fputs("appended\n", f);
		fclose(f);
	}
	CHECK_EQ(stat(path, &st), 0);
	CHECK_EQ(st.st_size, 10 * 18 + 90 * 19 + 9);

	listing(ls, sizeof(ls));
	CHECK(strcmp(ls, "a.txt") == 0);
	CHECK_EQ(rename(path, path2), 0);
	CHECK_ERR(stat(path, &st), ENOENT);
	CHECK_EQ(stat(path2, &st), 0);
	CHECK_EQ(st.st_size, 10 * 18 + 90 * 19 + 9);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	listing(ls, sizeof(ls));
	CHECK(strcmp(ls, "a.txt,b.txt") == 0);
	CHECK_ERR(rmdir(dir), ENOTEMPTY);
	CHECK_EQ(unlink(path), 0);
	CHECK_EQ(unlink(path2), 0);
	CHECK_ERR(unlink(path2), ENOENT);
	listing(ls, sizeof(ls));
	CHECK(strcmp(ls, "") == 0);
	CHECK(fopen(path, "r") == NULL && errno == ENOENT);
	CHECK_EQ(rmdir(dir), 0);
	return pt_done("p_files");
}
