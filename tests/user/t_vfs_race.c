/*
 * t_vfs_race - several processes change one directory at once, on
 * several CPUs where there are: two create, write, rename and unlink
 * files of their own; two race to make and remove the same directory
 * name; two race to create the same files with O_EXCL; one lists the
 * directory all along. Every call must succeed or
 * fail with the error Linux gives for losing the race (EEXIST, ENOENT);
 * every name listed must be one the writers make, of two racing to
 * create one name with O_EXCL exactly one wins, and at the end the
 * directory is empty. Catches tree changes that are not atomic to a
 * lookup or a listing on another CPU.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_vfs_race"
#include "utest.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define ROUNDS	    150
#define DIR_ROUNDS  1000
#define EXCL_ROUNDS 300
#define NRACERS	    5 /* the first round: writers, dir racers, lister */

/* Shared between the racers: the start line, and for each name the
 * O_EXCL racers race for, how many of them made it. */
struct shared {
	int ready, nracers;
	int made[EXCL_ROUNDS];
	int arrived[EXCL_ROUNDS]; /* O_EXCL racers at name N */
};
static struct shared *sh;

/* Wait until every racer is here, so that they overlap. */
static void start_together(void)
{
	__atomic_fetch_add(&sh->ready, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&sh->ready, __ATOMIC_SEQ_CST) < sh->nracers) {
		cpu_relax();
		sched_yield();
	}
}

struct dirent64_rec {
	unsigned long d_ino;
	long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static char scratch[64];

/* Files of our own: a<id>.<i> written, renamed to b<id>.<i>, removed. */
static int writer(void *arg)
{
	int id = (int)(long)arg;

	start_together();
	for (int i = 0; i < ROUNDS; i++) {
		char a[32], b[32], buf[32];
		struct stat st;
		int fd;

		snprintf(a, sizeof(a), "a%d.%d", id, i);
		snprintf(b, sizeof(b), "b%d.%d", id, i);
		fd = open(a, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0 || write(fd, a, strlen(a)) != (long)strlen(a))
			return 1;
		close(fd);
		if (rename(a, b) || stat(a, &st) == 0 || errno != ENOENT)
			return 2;
		if (stat(b, &st) || st.st_size != (long)strlen(a))
			return 3;
		fd = open(b, O_RDONLY);
		if (fd < 0 || read(fd, buf, sizeof(buf)) != (long)strlen(a) ||
		    memcmp(buf, a, strlen(a)))
			return 4;
		close(fd);
		if (unlink(b))
			return 5;
	}
	return 0;
}

/* The same directory name, made and removed by two processes. */
static int dir_racer(void *arg)
{
	(void)arg;
	start_together();
	for (int i = 0; i < DIR_ROUNDS; i++) {
		if (mkdir("shared", 0755) && errno != EEXIST)
			return 1;
		if (rmdir("shared") && errno != ENOENT)
			return 2;
	}
	return 0;
}

/* O_CREAT | O_EXCL: of two racers for one name, exactly one makes it. */
static int excl_racer(void *arg)
{
	(void)arg;
	start_together();
	for (int i = 0; i < EXCL_ROUNDS; i++) {
		char x[32];
		int fd;

		snprintf(x, sizeof(x), "x.%d", i);
		/* Meet at each name: then both try it at once. */
		__atomic_fetch_add(&sh->arrived[i], 1, __ATOMIC_SEQ_CST);
		while (__atomic_load_n(&sh->arrived[i], __ATOMIC_SEQ_CST) < 2) {
			cpu_relax();
			sched_yield();
		}
		fd = open(x, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd >= 0) {
			__atomic_fetch_add(&sh->made[i], 1, __ATOMIC_SEQ_CST);
			close(fd);
		} else if (errno != EEXIST) {
			return 1;
		}
	}
	return 0;
}

/* List the directory again and again: only names the others make. */
static int lister(void *arg)
{
	char buf[1024];

	(void)arg;
	start_together();
	for (int i = 0; i < ROUNDS; i++) {
		int fd = open(".", O_RDONLY | O_DIRECTORY);
		long got;

		if (fd < 0)
			return 1;
		while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) >
		       0) {
			for (long off = 0; off < got;) {
				struct dirent64_rec *d = (void *)(buf + off);
				const char *n = d->d_name;

				if (d->d_reclen < 24 || off + d->d_reclen > got)
					return 2;
				if (strcmp(n, ".") && strcmp(n, "..") &&
				    strcmp(n, "shared") && n[0] != 'a' &&
				    n[0] != 'b' && n[0] != 'x')
					return 3;
				off += d->d_reclen;
			}
		}
		close(fd);
		if (got < 0)
			return 4;
	}
	return 0;
}

/* Fork one racer per fns[i], started together; wait for all. */
static void run_racers(int (*const fns[])(void *), int n)
{
	pid_t pids[NRACERS];
	int status;

	sh->ready = 0;
	sh->nracers = n;
	fflush(stdout);
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(fns[i]((void *)(long)i));
		CHECK(pids[i] > 0);
	}
	for (int i = 0; i < n; i++) {
		if (pids[i] <= 0)
			continue;
		CHECK_EQ(waitpid(pids[i], &status, 0), pids[i]);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			describe_status("a racer", status);
			CHECK(0);
		}
	}
}

int main(void)
{
	int (*const excl[2])(void *) = { excl_racer, excl_racer };
	int (*const fns[NRACERS])(void *) = { writer, writer, dir_racer,
					      dir_racer, lister };
	int entries = 0;
	char buf[512];
	long got;
	int fd;

	snprintf(scratch, sizeof(scratch), "/tmp/t_vfs_race.%d", (int)getpid());
	if (mkdir(scratch, 0755) || chdir(scratch)) {
		diag("FAIL cannot make and enter %s: %s", scratch,
		     strerror(errno));
		return 1;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(sh != MAP_FAILED);
	if (sh == MAP_FAILED)
		return utest_done();
	memset(sh, 0, sizeof(*sh));
	run_racers(fns, NRACERS);
	/* Then the two O_EXCL racers alone: each on a CPU of its own where
	 * there are two, so that they meet at the same name. */
	run_racers(excl, 2);
	/* Each x.N made once, and removed once. */
	for (int i = 0; i < EXCL_ROUNDS; i++) {
		char x[32];

		if (sh->made[i] != 1) {
			diag("FAIL x.%d made %d times", i, sh->made[i]);
			CHECK(0);
		}
		snprintf(x, sizeof(x), "x.%d", i);
		CHECK_EQ(unlink(x), 0);
	}
	/* Nothing left but "." and "..". */
	fd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0);
	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		for (long off = 0; off < got;) {
			struct dirent64_rec *d = (void *)(buf + off);

			entries++;
			off += d->d_reclen;
		}
	close(fd);
	CHECK_EQ(entries, 2);
	CHECK_EQ(chdir("/"), 0);
	CHECK_EQ(rmdir(scratch), 0);
	munmap(sh, sizeof(*sh));
	return utest_done();
}
