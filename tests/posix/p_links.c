/*
 * p_links - symbolic and hard links and a file's times and mode through
 * the C library, in a scratch directory from mkdtemp(3) under /tmp:
 * symlink(2), readlink(2), lstat(2) and stat(2) through a link,
 * realpath(3) (each C library walks the path with readlink or lstat),
 * fopen(3) through a link, link(2) and st_nlink, utimensat(2),
 * futimens(3) and utimes(3) (both C libraries call utimensat), chmod(2),
 * fchmod(2), chown(2), unlink(2) of a link. Each check prints the same
 * line on the kernel and on Linux.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "ptest.h"

static char dir[64], file[128], sl[128], hl[128], sub[128], up[128];

int main(void)
{
	char buf[PATH_MAX], *rp;
	struct timespec ts[2];
	struct timeval tv[2];
	struct stat st, lst;
	FILE *f;
	int fd;

	mkdir("/tmp", 01777);
	snprintf(dir, sizeof(dir), "/tmp/p_links.XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(file, sizeof(file), "%s/file", dir);
	snprintf(sl, sizeof(sl), "%s/sl", dir);
	snprintf(hl, sizeof(hl), "%s/hl", dir);
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	snprintf(up, sizeof(up), "%s/sub/up", dir);

	f = fopen(file, "w");
	CHECK(f != NULL);
	if (!f)
		return pt_done("p_links");
	fputs("through the link\n", f);
	fclose(f);

	/* A relative symbolic link, and one up from a subdirectory. */
	CHECK_EQ(symlink("file", sl), 0);
	CHECK_EQ(readlink(sl, buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "file", 4) == 0);
	CHECK_EQ(lstat(sl, &lst), 0);
	CHECK(S_ISLNK(lst.st_mode));
	CHECK_EQ(lst.st_size, 4);
	CHECK_EQ(stat(sl, &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, 17);
	CHECK_EQ(mkdir(sub, 0755), 0);
	CHECK_EQ(symlink("../sl", up), 0);
	f = fopen(up, "r");
	CHECK(f != NULL);
	if (f) {
		CHECK(fgets(buf, sizeof(buf), f) != NULL);
		CHECK(strcmp(buf, "through the link\n") == 0);
		fclose(f);
	}
	rp = realpath(up, NULL);
	CHECK(rp != NULL);
	if (rp) {
		CHECK(strcmp(rp, file) == 0);
		free(rp);
	}
	CHECK_ERR(symlink("x", sl), EEXIST);
	CHECK_ERR(open(sl, O_RDONLY | O_NOFOLLOW), ELOOP);

	/* A hard link: one inode, two names. */
	CHECK_EQ(link(file, hl), 0);
	CHECK_EQ(stat(hl, &st), 0);
	CHECK_EQ(st.st_nlink, 2);
	CHECK_EQ(unlink(file), 0);
	CHECK_ERR(stat(sl, &st), ENOENT); /* dangling now */
	CHECK_EQ(stat(hl, &st), 0);
	CHECK_EQ(st.st_nlink, 1);
	CHECK_EQ(st.st_size, 17);
	CHECK_EQ(link(hl, file), 0);

	/* Times: utimensat, futimens, utimes. */
	ts[0].tv_sec = 100000;
	ts[0].tv_nsec = 1;
	ts[1].tv_sec = 200000;
	ts[1].tv_nsec = 2;
	CHECK_EQ(utimensat(AT_FDCWD, file, ts, 0), 0);
	CHECK_EQ(stat(hl, &st), 0);
	CHECK_EQ(st.st_atim.tv_sec, 100000);
	CHECK_EQ(st.st_mtim.tv_nsec, 2);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = 300000;
	fd = open(file, O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(futimens(fd, ts), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_atim.tv_sec, 100000);
	CHECK_EQ(st.st_mtim.tv_sec, 300000);
	tv[0].tv_sec = 5;
	tv[0].tv_usec = 6;
	tv[1].tv_sec = 7;
	tv[1].tv_usec = 8;
	CHECK_EQ(utimes(file, tv), 0);
	CHECK_EQ(stat(file, &st), 0);
	CHECK_EQ(st.st_mtim.tv_sec, 7);
	CHECK_EQ(st.st_mtim.tv_nsec, 8000);

	/* Mode and owner. */
	CHECK_EQ(chmod(sl, 0600), 0); /* through the link */
	CHECK_EQ(stat(file, &st), 0);
	CHECK_EQ(st.st_mode & 07777, 0600);
	CHECK_EQ(fchmod(fd, 0751), 0);
	CHECK_EQ(stat(hl, &st), 0);
	CHECK_EQ(st.st_mode & 07777, 0751);
	CHECK_EQ(chown(file, 42, 43), 0);
	CHECK_EQ(stat(file, &st), 0);
	CHECK_EQ(st.st_uid, 42);
	CHECK_EQ(st.st_gid, 43);
	close(fd);

	CHECK_EQ(unlink(up), 0);
	CHECK_EQ(rmdir(sub), 0);
	CHECK_EQ(unlink(sl), 0);
	CHECK_EQ(unlink(hl), 0);
	CHECK_EQ(unlink(file), 0);
	CHECK_EQ(rmdir(dir), 0);
	return pt_done("p_links");
}
