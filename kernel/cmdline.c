/*
 * cmdline.c - parsing the kernel command line (include/kernel/cmdline.h)
 * into the handlers that KERNEL_PARAM() registers in .kernel_params, and
 * init's arguments; double quotes group blanks into one word, as in
 * Linux (next_word()).
 */
#include <kernel/boot_params.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/sections.h>
#include <kernel/string.h>

#define MAX_WORD 256 /* bytes; a longer word is rejected, not cut */

/*
 * Copy the next word of *line into key, split at its first '=' into key
 * and *val ("" and *val_quoted false for a word without one); returns
 * false at the end of the line. Words are separated by blanks, and
 * double quotes group blanks into a word, as Linux's next_arg()
 * (lib/cmdline.c, kernel/params.c) does: a '"' anywhere in the word
 * turns quoting on or off; a word that starts with '"' loses it, and
 * its last character if that is a '"' too; a value that starts with '"'
 * loses it (*val_quoted: it did), and the word's last '"' likewise.
 * Other quotes stay, and single quotes are ordinary characters, as in
 * Linux. *unterminated: a quote was still open at the end of the line
 * (the word then runs to the end, as in Linux).
 */
static bool next_word(const char **line, char *key, char **val, bool *too_long,
		      bool *val_quoted, bool *unterminated)
{
	const char *p = *line;
	bool quoted = false, in_quote = false;
	size_t n = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return false;
	*too_long = false;
	*val_quoted = false;
	if (*p == '"') {
		quoted = in_quote = true;
		p++;
	}
	while (*p && (in_quote || (*p != ' ' && *p != '\t'))) {
		if (*p == '"')
			in_quote = !in_quote;
		if (n < MAX_WORD - 1)
			key[n++] = *p;
		else
			*too_long = true;
		p++;
	}
	key[n] = '\0';
	*line = p;
	*unterminated = in_quote;
	/* The closing quote goes once, for the value or for the word. */
	if (n > 0 && key[n - 1] == '"' && quoted)
		key[--n] = '\0';
	*val = strchr(key, '=');
	if (*val) {
		*(*val)++ = '\0';
		if (**val == '"') {
			(*val)++;
			*val_quoted = true;
			if (!quoted && key + n - 1 >= *val && key[n - 1] == '"')
				key[--n] = '\0';
		}
	}
	if (!*val)
		*val = key + strlen(key); /* "" */
	return true;
}

const char *init_args[INIT_MAX_ARGS + 1];
int init_nr_args;
static char init_arg_buf[COMMAND_LINE_SIZE];
static size_t init_arg_used;

/* Keep word for init's argv (Linux passes such words on to init). */
static int add_init_arg(const char *word)
{
	size_t n = strlen(word) + 1;

	if (init_nr_args == INIT_MAX_ARGS ||
	    init_arg_used + n > sizeof(init_arg_buf)) {
		pr_warn("cmdline: more than %d arguments for init; '%s' dropped\n",
			INIT_MAX_ARGS, word);
		return 1;
	}
	memcpy(init_arg_buf + init_arg_used, word, n);
	init_args[init_nr_args++] = init_arg_buf + init_arg_used;
	init_arg_used += n;
	return 0;
}

int parse_cmdline(const char *line)
{
	char word[MAX_WORD], *val;
	bool too_long, for_init = false, val_quoted, unterminated;
	int bad = 0;

	init_nr_args = 0;
	init_arg_used = 0;
	while (next_word(&line, word, &val, &too_long, &val_quoted,
			 &unterminated)) {
		const struct kernel_param *p;
		/* no '=' in it: val is the key's own terminator */
		bool bare = !val_quoted && val == word + strlen(word);

		if (unterminated)
			pr_warn("cmdline: unterminated quote in the word starting '%.32s'; it runs to the end of the line\n",
				word);
		/* Only a bare "--" starts init's words, as in Linux's
		 * parse_args(); "--=x" is a key=value like any other. */
		if (!too_long &&
		    (for_init || (bare && strcmp(word, "--") == 0))) {
			if (for_init) {
				/* Give init the whole word, key=value, its
				 * quotes gone: Linux's repair_env_string(). */
				if (!bare) {
					size_t k = strlen(word);

					word[k] = '=';
					memmove(word + k + 1, val,
						strlen(val) + 1);
				}
				bad += add_init_arg(word);
			}
			for_init = true;
			continue;
		}
		if (too_long) {
			pr_warn("cmdline: word starting '%s' is longer than %d bytes; ignored\n",
				word, MAX_WORD - 1);
			bad++;
			continue;
		}
		for (p = __start_kernel_params; p < __stop_kernel_params; p++)
			if (strcmp(p->key, word) == 0)
				break;
		if (p == __stop_kernel_params && bare) {
			/* A bare word the kernel does not know: init's. */
			bad += add_init_arg(word);
			continue;
		}
		if (p == __stop_kernel_params) {
			pr_warn("cmdline: unknown parameter '%s'; known:",
				word);
			for (p = __start_kernel_params;
			     p < __stop_kernel_params; p++)
				printk(KERN_WARNING " %s", p->key);
			printk(KERN_WARNING "\n");
			bad++;
			continue;
		}
		int err = p->set(val);
		if (err) {
			pr_warn("cmdline: bad value '%s' for %s (%s): error %d\n",
				val, p->key, p->help, err);
			bad++;
		}
	}
	return bad;
}

const char *cmdline_get(const char *key)
{
	static char val_buf[COMMAND_LINE_SIZE];
	const char *line = boot_params.cmdline;
	char word[MAX_WORD], *val;
	bool too_long, val_quoted, unterminated;

	while (next_word(&line, word, &val, &too_long, &val_quoted,
			 &unterminated))
		if (!too_long && strcmp(word, key) == 0) {
			size_t n = strlen(val);
			memcpy(val_buf, val, n + 1);
			return val_buf;
		}
	return NULL;
}

static int set_loglevel(const char *val)
{
	unsigned long lvl;

	if (kstrtoul(val, 0, &lvl) || lvl > 8)
		return -EINVAL;
	console_loglevel = (int)lvl;
	return 0;
}
KERNEL_PARAM("loglevel", set_loglevel,
	     "console log level 0..8; messages below it print");
