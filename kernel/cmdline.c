/*
 * cmdline.c - parsing the kernel command line (include/kernel/cmdline.h)
 * into the handlers that KERNEL_PARAM() registers in .kernel_params.
 */
#include <kernel/boot_params.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/sections.h>
#include <kernel/string.h>

#define MAX_WORD 256 /* bytes; a longer word is rejected, not cut */

/* Copy the next word of *line into key/val; returns false at the end. */
static bool next_word(const char **line, char *key, char **val, bool *too_long)
{
	const char *p = *line;
	size_t n = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return false;
	*too_long = false;
	while (*p && *p != ' ' && *p != '\t') {
		if (n < MAX_WORD - 1)
			key[n++] = *p;
		else
			*too_long = true;
		p++;
	}
	key[n] = '\0';
	*line = p;
	*val = strchr(key, '=');
	if (*val)
		*(*val)++ = '\0';
	else
		*val = key + n; /* "" */
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
	bool too_long, for_init = false;
	int bad = 0;

	init_nr_args = 0;
	init_arg_used = 0;
	while (next_word(&line, word, &val, &too_long)) {
		const struct kernel_param *p;
		bool bare = val == word + strlen(word); /* no '=' in it */

		/* Only a bare "--" starts init's words, as in Linux's
		 * parse_args(); "--=x" is a key=value like any other. */
		if (!too_long &&
		    (for_init || (bare && strcmp(word, "--") == 0))) {
			if (for_init) {
				if (!bare)
					val[-1] =
						'='; /* give init the whole word */
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
	bool too_long;

	while (next_word(&line, word, &val, &too_long))
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
