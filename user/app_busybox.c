/*
 * app_busybox - an application benchmark of `make bench-apps`
 * (docs/testing.md): an unmodified program we did not write, Debian's
 * static busybox, running sort, gzip or awk on a multi-MiB text, timed
 * with its page faults (user/app_util.h).
 *
 *   app_busybox applet=sort|gzip|awk [kib=N] [busybox=PATH]
 *     (defaults: kib=4096, a 4 MiB input; busybox=/bin/busybox)
 *
 * busybox cannot print APP lines itself, so this program runs it and
 * measures it from outside:
 *
 *   1. before the window: writes the input, /tmp/app_busybox.in, lines
 *      "WORD NUMBER\n" from a fixed xorshift sequence (the same on every
 *      kernel): 4,096 distinct words, numbers below 1,000,000; it keeps
 *      what the applet's output must be (line count, sums, a hash of the
 *      lines as a multiset). Its buffers are freed, so the fork in the
 *      window copies a small process.
 *   2. the window (app_begin_children()): fork, the child redirects stdin
 *      from the input and stdout to /tmp/app_busybox.out and execs
 *      `busybox sort`, `busybox gzip -c` or `busybox awk PROGRAM`; the
 *      parent waits for it. The ticks are the whole machine's from fork
 *      to the end of wait4() (one CPU: busybox's exec, start-up, work and
 *      exit, and the kernel's work meanwhile); minflt and majflt are the
 *      child's (RUSAGE_CHILDREN); the POE counters the machine's (the
 *      parent only sleeps in wait4).
 *   3. after the window (app_close()), the check: busybox exited 0, and
 *        sort  the output has the input's length and lines, each not
 *              smaller than the one before it (byte order: busybox's
 *              sort without locales), and the same lines as a multiset
 *        gzip  the output is gzip's (1f 8b), and `busybox gunzip -c` of
 *              it, run after the window, gives back the input byte for
 *              byte
 *        awk   the output is the line this program computed: the number
 *              of lines, of distinct words and the sum of the numbers
 *              (awk '{ s[$1] += $2 } END { ... }': a hash table of 4,096
 *              entries filled from every line)
 *      checksum: FNV-1a of the output (gzip: of the compressed bytes, its
 *      header carrying no name and mtime 0 when it reads stdin), the same
 *      on every kernel.
 *
 * Runs as init on our kernel (/tmp is made if missing: the root is
 * ramfs) and as /init on Linux (the initramfs's root is writable too;
 * tools/bench-linux.sh puts busybox at /bin/busybox for it).
 *
 * Phases (APP,phase lines): run (the window is that one phase).
 */
#include "app_util.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define IN_PATH	 "/tmp/app_busybox.in"
#define OUT_PATH "/tmp/app_busybox.out"
#define RT_PATH	 "/tmp/app_busybox.rt"
#define NWORDS	 4096
#define WORD_MAX 10
#define AWK_PROGRAM \
	"{ s[$1] += $2 } END { for (w in s) { n++; t += s[w] } print NR, n, t }"
#define GEN_BUF 65536

static const char *prog = "app_busybox";

/* What the input holds, for the check. */
struct input {
	size_t bytes, lines;
	unsigned long words; /* distinct words used */
	uint64_t sum;	     /* of the numbers */
	uint64_t set; /* sum of app_mix(hash(line)): the lines as a multiset */
};

/* FNV-1a, 64 bits, continued from h. */
static uint64_t fnv(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define FNV_INIT 0xcbf29ce484222325ULL

static void die(const char *what)
{
	app_emit("%s: %s failed (errno %d)", prog, what, errno);
	app_emit("APP,done,2");
	app_exit(2);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * make_input - write about kib KiB of "WORD NUMBER\n" lines to IN_PATH
 * (whole lines, stopping at the first past kib KiB) and describe them in
 * *in. Word i starts with three letters spelling i in base 26, so the
 * 4,096 words are distinct whatever letters follow.
 */
static void make_input(unsigned long kib, struct input *in)
{
	static char words[NWORDS][WORD_MAX + 1];
	static unsigned char used[NWORDS];
	uint64_t rng = 0x2545f4914f6cdd1dULL;
	size_t want = kib * 1024, fill = 0;
	char *buf = malloc(GEN_BUF);
	int fd;

	if (!buf)
		app_fail_alloc(prog, "the input buffer", GEN_BUF);
	for (int i = 0; i < NWORDS; i++) {
		int len = 4 + (int)(app_rand(&rng) % (WORD_MAX - 3));

		words[i][0] = (char)('a' + i / (26 * 26));
		words[i][1] = (char)('a' + i / 26 % 26);
		words[i][2] = (char)('a' + i % 26);
		for (int j = 3; j < len; j++)
			words[i][j] = (char)('a' + app_rand(&rng) % 26);
		words[i][len] = 0;
	}
	memset(in, 0, sizeof(*in));
	memset(used, 0, sizeof(used));
	fd = open(IN_PATH, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("open " IN_PATH);
	while (in->bytes < want) {
		uint64_t r = app_rand(&rng);
		unsigned w = (unsigned)(r >> 52) % NWORDS;
		unsigned long num = (unsigned long)((r >> 8) % 1000000);
		char line[WORD_MAX + 16];
		int n = snprintf(line, sizeof(line), "%s %lu\n", words[w], num);

		if (fill + (size_t)n > GEN_BUF) {
			if (write_all(fd, buf, fill) != 0)
				die("write " IN_PATH);
			fill = 0;
		}
		memcpy(buf + fill, line, (size_t)n);
		fill += (size_t)n;
		in->bytes += (size_t)n;
		in->lines++;
		in->sum += num;
		in->set += app_mix(fnv(FNV_INIT, line, (size_t)n));
		if (!used[w]++)
			in->words++;
	}
	if (write_all(fd, buf, fill) != 0 || close(fd) != 0)
		die("write " IN_PATH);
	free(buf);
}

/*
 * run - fork and exec busybox with argv, stdin from in_path and stdout to
 * out_path (made or truncated); wait for it. Returns its wait status, or
 * -1 when fork or wait4 failed (errno). A child that cannot redirect or
 * exec says why and exits with 127, as a shell does.
 */
static int run(const char *busybox, char *const argv[], const char *in_path,
	       const char *out_path)
{
	static char *const envp[] = { "PATH=/bin", "LC_ALL=C", NULL };
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int in = open(in_path, O_RDONLY);
		int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0) {
			app_emit("%s: redirecting busybox's stdin or stdout "
				 "failed (errno %d)",
				 prog, errno);
			_exit(127);
		}
		close(in);
		close(out);
		execve(busybox, argv, envp);
		app_emit("%s: execve %s failed (errno %d)", prog, busybox,
			 errno);
		_exit(127);
	}
	if (wait4(pid, &status, 0, NULL) != pid)
		return -1;
	return status;
}

/* read_whole - the file at path in a malloc'd buffer, its length in *n;
 * NULL (errno) when it cannot be opened or read. */
static char *read_whole(const char *path, size_t *n)
{
	struct stat st;
	char *p;
	size_t got = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !(p = malloc((size_t)st.st_size + 1))) {
		close(fd);
		return NULL;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, p + got, (size_t)st.st_size - got);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	*n = got;
	p[got] = 0;
	return p;
}

/* The sort check: whole lines, in order, the input's as a multiset. */
static int check_sort(const char *out, size_t n, const struct input *in)
{
	size_t lines = 0, bad = 0;
	uint64_t set = 0;
	const char *prev = NULL, *p = out, *end = out + n;
	size_t prev_len = 0;

	if (n != in->bytes || (n && out[n - 1] != '\n')) {
		app_emit("%s: WRONG: sort wrote %zu bytes, the input has %zu",
			 prog, n, in->bytes);
		return 0;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)(nl - p) + 1;

		if (prev) {
			size_t m = prev_len < len ? prev_len : len;
			int c = memcmp(prev, p, m - 1);

			if (c > 0 || (c == 0 && prev_len > len))
				bad++;
		}
		set += app_mix(fnv(FNV_INIT, p, len));
		lines++;
		prev = p;
		prev_len = len;
		p = nl + 1;
	}
	if (lines != in->lines || set != in->set || bad) {
		app_emit("%s: WRONG: sort's output has %zu lines (input %zu), "
			 "%zu out of order, %s lines",
			 prog, lines, in->lines, bad,
			 set == in->set ? "the same" : "other");
		return 0;
	}
	return 1;
}

/* The gzip check: a gzip stream that busybox gunzip turns back into the
 * input, byte for byte (gunzip runs after the window). */
static int check_gzip(const char *busybox, const char *out, size_t n,
		      const struct input *in)
{
	char *const argv[] = { "busybox", "gunzip", "-c", NULL };
	size_t rn = 0, inn = 0;
	char *rt, *orig;
	int st, ok;

	if (n < 18 || (unsigned char)out[0] != 0x1f ||
	    (unsigned char)out[1] != 0x8b) {
		app_emit("%s: WRONG: gzip's output (%zu bytes) is not gzip's "
			 "format",
			 prog, n);
		return 0;
	}
	st = run(busybox, argv, OUT_PATH, RT_PATH);
	if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		app_emit("%s: WRONG: busybox gunzip of gzip's output failed "
			 "(status %#x)",
			 prog, st);
		return 0;
	}
	rt = read_whole(RT_PATH, &rn);
	orig = read_whole(IN_PATH, &inn);
	if (!rt || !orig)
		die("reading the round trip");
	ok = inn == in->bytes && rn == inn && memcmp(rt, orig, rn) == 0;
	if (!ok)
		app_emit("%s: WRONG: gunzip gave back %zu bytes, not the "
			 "input's %zu",
			 prog, rn, inn);
	free(rt);
	free(orig);
	unlink(RT_PATH);
	return ok;
}

/* The awk check: its one line is the one computed from the input. */
static int check_awk(const char *out, size_t n, const struct input *in)
{
	char want[96];
	size_t shown = strcspn(out, "\n"); /* one line on the console */

	snprintf(want, sizeof(want), "%zu %lu %llu\n", in->lines, in->words,
		 (unsigned long long)in->sum);
	if (n != strlen(want) || memcmp(out, want, n) != 0) {
		app_emit("%s: WRONG: awk printed '%.*s', expected '%.*s'", prog,
			 (int)(shown > 80 ? 80 : shown), out,
			 (int)strlen(want) - 1, want);
		return 0;
	}
	return 1;
}

static const char *str_arg(int argc, char **argv, const char *name,
			   const char *def)
{
	size_t n = strlen(name);

	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=')
			return argv[i] + n + 1;
	return def;
}

int main(int argc, char **argv)
{
	static const char usage[] =
		"app_busybox applet=sort|gzip|awk [kib=N] [busybox=PATH]";
	const char *applet = str_arg(argc, argv, "applet", "");
	const char *busybox = str_arg(argc, argv, "busybox", "/bin/busybox");
	unsigned long kib =
		app_arg(argc, argv, "kib", 4096, 1, 1UL << 20, usage);
	char *sort_argv[] = { "busybox", "sort", NULL };
	char *gzip_argv[] = { "busybox", "gzip", "-c", NULL };
	char *awk_argv[] = { "busybox", "awk", AWK_PROGRAM, NULL };
	char **bb_argv;
	struct input in;
	struct app app;
	char params[96], *out;
	size_t n = 0;
	int st, ok;

	if (strcmp(applet, "sort") == 0)
		bb_argv = sort_argv;
	else if (strcmp(applet, "gzip") == 0)
		bb_argv = gzip_argv;
	else if (strcmp(applet, "awk") == 0)
		bb_argv = awk_argv;
	else {
		app_emit("usage: %s", usage);
		app_emit("APP,done,2");
		app_exit(2);
	}
	if (access(busybox, X_OK) != 0)
		die("access busybox"); /* not in the initrd */
	if (mkdir("/tmp", 0755) != 0 && errno != EEXIST)
		die("mkdir /tmp");
	make_input(kib, &in);
	snprintf(params, sizeof(params), "applet=%s,kib=%lu,lines=%zu", applet,
		 kib, in.lines);

	app_begin_children(&app, "busybox", params);
	app_phase(&app, "run");
	st = run(busybox, bb_argv, IN_PATH, OUT_PATH);
	app_close(&app);

	if (st < 0)
		die("fork or wait4");
	out = read_whole(OUT_PATH, &n);
	if (!out)
		die("reading busybox's output");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		app_emit("%s: WRONG: busybox %s ended with status %#x", prog,
			 applet, st);
		ok = 0;
	} else if (bb_argv == sort_argv)
		ok = check_sort(out, n, &in);
	else if (bb_argv == gzip_argv)
		ok = check_gzip(busybox, out, n, &in);
	else
		ok = check_awk(out, n, &in);
	app_end(&app, ok, fnv(FNV_INIT, out, n));
}
