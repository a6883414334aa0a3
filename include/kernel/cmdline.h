/*
 * cmdline.h - the kernel command line (kernel/cmdline.c): words of the
 * form key=value or key, separated by spaces, from grub.cfg or QEMU's
 * -append. Double quotes keep blanks in a word, as in Linux: a word or a
 * value that starts with '"' loses it and a closing '"' at the word's
 * end (init=/bin/sh -- -c "echo a b" gives init the one word
 * `echo a b`); an unterminated quote runs to the end of the line, with
 * a warning. Single quotes are ordinary characters, as in Linux. A
 * subsystem claims a key with a handler, as Linux's __setup():
 *
 *   static int set_loglevel(const char *val) { ... return 0; }
 *   KERNEL_PARAM("loglevel", set_loglevel, "console log level 0..8");
 *
 * A key=value word no handler claims is reported on the console, not
 * ignored; a bare word no handler claims is an argument for init.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <kernel/compiler.h>

struct kernel_param {
	const char *key;
	int (*set)(const char *val); /* val is "" for a bare word */
	const char *help;
};

#define KERNEL_PARAM(key_, fn_, help_)                             \
	static const struct kernel_param __kparam_##fn_ __section( \
		".kernel_params") __used __aligned(8) = { key_, fn_, help_ }

/*
 * parse_cmdline - split line into words and call each key's handler.
 * Returns the number of words that were unknown or rejected (a handler
 * returned non-zero, e.g. -EINVAL); each is reported with one line. Words
 * for init (see below) are not counted. Linux's parse_args() as
 * start_kernel() calls it.
 */
int parse_cmdline(const char *line);

/*
 * Arguments for init, Linux's rule: every word after "--", and bare words
 * (no '=') that no KERNEL_PARAM claims. init=/bin/sh -- -x gives init
 * argv = { "/bin/sh", "-x" }; a word after "--" keeps its key=value form,
 * quotes removed as above (Linux's repair_env_string()). Filled by
 * parse_cmdline().
 */
#define INIT_MAX_ARGS 32
extern const char *init_args[INIT_MAX_ARGS + 1];
extern int init_nr_args;

/*
 * cmdline_get - the value of the first key=value word for key in the
 * boot command line ("" for a bare key), or NULL. The string is a static
 * copy, overwritten by the next call. Our own; Linux's
 * cmdline_find_option() is the closest.
 */
const char *cmdline_get(const char *key);

#endif
