/*
 * fuzz_cmdline.c - libFuzzer harness for the kernel command line:
 * kernel/cmdline.c (parse_cmdline(), cmdline_get()) and the number
 * parsers its handlers call, kernel/kstrtox.c (kstrtoul(), kstrtobool(),
 * memparse()). The input, cut at its first NUL and to the kernel's
 * COMMAND_LINE_SIZE, is the command line in boot_params, as kmain()
 * parses it.
 *
 * kernel/cmdline.c is #included, so that its own handler (loglevel=) is
 * in the table; the other handlers of the kernel live in files that
 * cannot run on the host (mm/poe.c, kernel/main.c, ...), so the table
 * has handlers of the same shapes under the same keys: a number in a
 * range (kstrtoul), a boolean (kstrtobool), a word from a list, a path
 * into a fixed buffer. Each records what it was called with.
 *
 * The checks:
 *  - parse_cmdline() does what include/kernel/cmdline.h says, word for
 *    word: the harness splits the line itself, double quotes as Linux's
 *    next_arg() takes them, and predicts, for each
 *    word, whether it goes to a handler (with which value), to init, or
 *    is counted as bad; the handlers called, init_args[] and the count
 *    returned must match;
 *  - cmdline_get() returns the value of the first word for its key;
 *  - every word of the line and every value after a '=', and the
 *    line's first bytes, also go through kstrtoul() in several bases,
 *    memparse() and kstrtobool(), and the numbers must agree with the C
 *    library's strtoul()/strtoull() wherever the two grammars agree
 *    (Linux's kstrtoul() takes no leading blank or minus, and one
 *    trailing newline).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "host_shim.h"
#include "fuzz.h"

#include "../../kernel/cmdline.c"

struct boot_params boot_params; /* arch/x86_64/boot_params.c's */

/* ---- kstrtox.c against the C library ---------------------------------- */

static bool is_blank_or_sign(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == '-';
}

static void check_kstrtoul(const char *s, unsigned int base)
{
	unsigned long v = 0xdead, ref;
	int r = kstrtoul(s, base, &v);
	bool full, range;
	char *end;

	if (base == 1 || base > 16) {
		FUZZ_CHECK(r == -EINVAL, "kstrtoul('%s', %u) = %d", s, base, r);
		return;
	}
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE,
		   "kstrtoul('%s', %u) = %d", s, base, r);
	FUZZ_CHECK(r == 0 || v == 0xdead, "kstrtoul wrote *res on error");
	/* strtoul() skips blanks and takes a minus; kstrtoul() does not. */
	if (is_blank_or_sign(s[0])) {
		FUZZ_CHECK(r != 0, "kstrtoul('%s', %u) took it", s, base);
		return;
	}
	errno = 0;
	ref = strtoul(s, &end, (int)base);
	range = errno == ERANGE;
	full = end != s && (end[0] == '\0' || (end[0] == '\n' && !end[1]));
	if (full && range)
		FUZZ_CHECK(r == -ERANGE, "kstrtoul('%s', %u) = %d, not -ERANGE",
			   s, base, r);
	else if (full)
		FUZZ_CHECK(r == 0 && v == ref,
			   "kstrtoul('%s', %u) = %d, %lu; strtoul: %lu", s,
			   base, r, v, ref);
	else
		FUZZ_CHECK(r != 0,
			   "kstrtoul('%s', %u) = %lu, strtoul stops "
			   "at offset %td",
			   s, base, v, end - s);
}

static void check_memparse(const char *s)
{
	static const char suffixes[] = "KkMmGgTtPpEe";
	char *ret = NULL, *end;
	unsigned long long v = memparse(s, &ret), ref;
	const char *suf;

	FUZZ_CHECK(ret >= s && ret <= s + strlen(s), "memparse: retptr");
	/* strtoull() skips blanks and takes signs; memparse() does not. */
	if (is_blank_or_sign(s[0]) || s[0] == '+')
		return;
	errno = 0;
	ref = strtoull(s, &end, 0);
	if (errno == ERANGE)
		return; /* memparse() wraps, as Linux's simple_strtoull() */
	suf = *end ? strchr(suffixes, *end) : NULL;
	if (suf) {
		ref <<= 10 * (1 + (suf - suffixes) / 2);
		end++;
	}
	FUZZ_CHECK(v == ref && ret == end,
		   "memparse('%s') = %llu, end %td; expected %llu, end %td", s,
		   v, ret - s, ref, end - s);
}

static void check_kstrtobool(const char *s)
{
	bool b = false;
	int r = kstrtobool(s, &b);
	bool yes = strchr("yY1", s[0]) && s[0];
	bool no = strchr("nN0", s[0]) && s[0];

	if ((s[0] == 'o' || s[0] == 'O') && (s[1] == 'n' || s[1] == 'N'))
		yes = true;
	if ((s[0] == 'o' || s[0] == 'O') && (s[1] == 'f' || s[1] == 'F'))
		no = true;
	FUZZ_CHECK(yes || no ? r == 0 && b == yes : r == -EINVAL,
		   "kstrtobool('%s') = %d, %d", s, r, b);
}

static void check_numbers(const char *s)
{
	static const unsigned int bases[] = { 0, 1, 2, 8, 10, 16, 17 };

	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		check_kstrtoul(s, bases[i]);
	check_memparse(s);
	check_kstrtobool(s);
}

/* ---- handlers of each shape the kernel's KERNEL_PARAM()s have --------- */

#define MAX_CALLS (COMMAND_LINE_SIZE / 2 + 1)

static struct call {
	const char *key;
	char val[MAX_WORD];
	int ret;
} calls[MAX_CALLS];
static int nr_calls;

static int record(const char *key, const char *val, int ret)
{
	FUZZ_CHECK(strlen(val) < MAX_WORD, "%s: value of %zu bytes", key,
		   strlen(val));
	FUZZ_CHECK(nr_calls < MAX_CALLS, "more handler calls than words");
	calls[nr_calls].key = key;
	strcpy(calls[nr_calls].val, val);
	calls[nr_calls++].ret = ret;
	return ret;
}

static int real_loglevel(const char *val) /* kernel/cmdline.c's own */
{
	int saved = console_loglevel;
	int ret = set_loglevel(val);

	console_loglevel = saved; /* keep the console as it was */
	return record("loglevel", val, ret);
}

/* A number in a range, as mm/poe.c's parse_uint(). */
static int set_uint(const char *val)
{
	unsigned long v;

	return record("poe.period_ms", val,
		      kstrtoul(val, 0, &v) || v < 1 || v > 10000 ? -EINVAL : 0);
}

/* A boolean, as mm/poe.c's parse_bool(). */
static int set_bool(const char *val)
{
	bool b;

	return record("poe.always", val, kstrtobool(val, &b) ? -EINVAL : 0);
}

/* A word from a list, as arch/x86_64/fault.c's set_fault_lock(). */
static int set_choice(const char *val)
{
	return record("mm.fault_lock", val,
		      strcmp(val, "fine") && strcmp(val, "global") ? -EINVAL :
								     0);
}

/* An absolute path into a fixed buffer, as kernel/main.c's set_init(). */
static int set_path(const char *val)
{
	static char path[128];
	int ret = -EINVAL;

	if (val[0] == '/' && strlen(val) < sizeof(path)) {
		memcpy(path, val, strlen(val) + 1);
		ret = 0;
	}
	return record("init", val, ret);
}

const struct kernel_param host_kernel_params[] = {
	{ "loglevel", real_loglevel, "" }, { "poe.period_ms", set_uint, "" },
	{ "poe.always", set_bool, "" },	   { "mm.fault_lock", set_choice, "" },
	{ "init", set_path, "" },
};
const size_t host_nr_kernel_params =
	sizeof(host_kernel_params) / sizeof(host_kernel_params[0]);

/* ---- the reference: include/kernel/cmdline.h, word by word ------------ */

static const struct kernel_param *find_param(const char *key)
{
	for (size_t i = 0; i < host_nr_kernel_params; i++)
		if (strcmp(host_kernel_params[i].key, key) == 0)
			return &host_kernel_params[i];
	return NULL;
}

/*
 * The oracle's own split, written apart from kernel/cmdline.c's
 * next_word(), after Linux's next_arg(): the next word of p, blanks
 * inside double quotes included. Returns where the word starts, its
 * opening quote included (NULL at the end of the line); *n is how many
 * bytes of the line it takes from there, *len the length of the word as next_word() copies
 * it (without a leading quote: what MAX_WORD limits), and word the word
 * as Linux leaves it, key=value with the quotes next_arg() removes
 * removed (repair_env_string()'s form, what init gets).
 */
static const char *oracle_word(const char *p, size_t *n, size_t *len,
			       char *word)
{
	const char *s;
	size_t i = 0, k = 0, eq = (size_t)-1, last;
	bool quoted, in_q;
	char *out = word;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return NULL;
	quoted = in_q = *p == '"';
	s = quoted ? p + 1 : p;
	while (s[i] && (in_q || (s[i] != ' ' && s[i] != '\t'))) {
		if (s[i] == '"')
			in_q = !in_q;
		if (s[i] == '=' && eq == (size_t)-1)
			eq = i;
		i++;
	}
	*n = (size_t)(s + i - p);
	*len = i;
	/* Which of s[0..i) survive: a quote opening the value; the last
	 * byte when it is a quote closing the value or the word. */
	last = i;
	if (i > 0 && s[i - 1] == '"' &&
	    ((eq != (size_t)-1 && s[eq + 1] == '"' && i - 1 > eq + 1) ||
	     quoted))
		last = i - 1;
	for (; k < last && k < i; k++) {
		if (eq != (size_t)-1 && k == eq + 1 && s[k] == '"')
			continue;
		*out++ = s[k];
	}
	*out = '\0';
	return p;
}

/* Check what parse_cmdline(line) did (calls[], init_args[], bad). */
static void check_parse(const char *line, int bad)
{
	char word[COMMAND_LINE_SIZE];
	int want_bad = 0, call = 0, arg = 0;
	size_t arg_bytes = 0;
	bool for_init = false;

	for (const char *p = line;;) {
		size_t n, len;
		char *eq;
		const struct kernel_param *kp;

		p = oracle_word(p, &n, &len, word);
		if (!p)
			break;
		p += n;
		check_numbers(word);   /* and its value, below */
		if (len >= MAX_WORD) { /* rejected, not cut */
			want_bad++;
			continue;
		}
		n = strlen(word);
		if (!for_init && strcmp(word, "--") == 0) {
			for_init = true;
			continue;
		}
		eq = strchr(word, '=');
		if (eq) {
			check_numbers(eq + 1);
			*eq = '\0';
		}
		kp = for_init ? NULL : find_param(word);
		if (kp) { /* its handler, with what follows the '=' */
			const char *val = eq ? eq + 1 : "";

			FUZZ_CHECK(call < nr_calls &&
					   strcmp(calls[call].key, kp->key) ==
						   0 &&
					   strcmp(calls[call].val, val) == 0,
				   "word %d: expected %s('%s'), got %s('%s')",
				   call, kp->key, val,
				   call < nr_calls ? calls[call].key : "none",
				   call < nr_calls ? calls[call].val : "");
			want_bad += calls[call++].ret != 0;
			continue;
		}
		if (eq && !for_init) { /* key=value that nobody claims */
			want_bad++;
			continue;
		}
		if (eq)
			*eq = '=';
		/* init's: unless there are too many, or too many bytes */
		if (arg == INIT_MAX_ARGS ||
		    arg_bytes + n + 1 > sizeof(init_arg_buf)) {
			want_bad++;
			continue;
		}
		FUZZ_CHECK(arg < init_nr_args &&
				   strcmp(init_args[arg], word) == 0,
			   "init arg %d: expected '%s', got '%s'", arg, word,
			   arg < init_nr_args ? init_args[arg] : "none");
		arg++;
		arg_bytes += n + 1;
	}
	FUZZ_CHECK(call == nr_calls, "%d handler calls, expected %d", nr_calls,
		   call);
	FUZZ_CHECK(arg == init_nr_args, "%d init args, expected %d",
		   init_nr_args, arg);
	FUZZ_CHECK(bad == want_bad, "parse_cmdline: %d bad, expected %d", bad,
		   want_bad);
}

/* cmdline_get(key) must be the value of the first word for key. */
static void check_get(const char *line, const char *key)
{
	static char w[COMMAND_LINE_SIZE];
	const char *got = cmdline_get(key);
	size_t klen = strlen(key);

	for (const char *p = line;;) {
		size_t n, len;

		p = oracle_word(p, &n, &len, w);
		if (!p)
			break;
		if (len < MAX_WORD && strncmp(w, key, klen) == 0 &&
		    (w[klen] == '\0' || w[klen] == '=')) {
			const char *v = w[klen] ? w + klen + 1 : w + klen;

			FUZZ_CHECK(got && strcmp(got, v) == 0,
				   "cmdline_get('%s') = '%s', expected '%s'",
				   key, got ? got : "(null)", v);
			return;
		}
		p += n;
	}
	FUZZ_CHECK(!got, "cmdline_get('%s') = '%s' for a missing key", key,
		   got);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init(argc, argv);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "loglevel", "init", "test", "--",
					    "poe.always" };
	char first[64];
	size_t n = size < COMMAND_LINE_SIZE - 1 ? size : COMMAND_LINE_SIZE - 1;
	int bad;

	memcpy(boot_params.cmdline, data, n);
	boot_params.cmdline[n] = '\0';
	host_log_clear();
	nr_calls = 0;
	bad = parse_cmdline(boot_params.cmdline);
	check_parse(boot_params.cmdline, bad);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		check_get(boot_params.cmdline, keys[i]);
	/* The line's first bytes, blanks and all, as one number. */
	n = strlen(boot_params.cmdline);
	n = n < sizeof(first) - 1 ? n : sizeof(first) - 1;
	memcpy(first, boot_params.cmdline, n);
	first[n] = '\0';
	check_numbers(first);
	return 0;
}
