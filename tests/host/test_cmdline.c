/*
 * test_cmdline.c - host unit tests (cmocka) for the command-line parser,
 * kernel/cmdline.c #included as it is (so that its own loglevel= handler
 * is in the table). The KERNEL_PARAM() table is host_kernel_params[]
 * below (tests/host/include/kernel/sections.h says why): loglevel= and
 * a handler that records its value. The rules under test are
 * include/kernel/cmdline.h's, Linux's parse_args() with init's words.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../kernel/cmdline.c"
#include "host_shim.h"

struct boot_params boot_params; /* arch/x86_64/boot_params.c's */

static char rec_val[MAX_WORD];
static int rec_calls;

static int set_rec(const char *val)
{
	memcpy(rec_val, val, strlen(val) + 1);
	rec_calls++;
	return 0;
}

const struct kernel_param host_kernel_params[] = {
	{ "loglevel", set_loglevel, "console log level" },
	{ "rec", set_rec, "records its value" },
};
const size_t host_nr_kernel_params =
	sizeof(host_kernel_params) / sizeof(host_kernel_params[0]);

static int reset(void **state)
{
	(void)state;
	rec_calls = 0;
	rec_val[0] = '\0';
	console_loglevel = 7;
	return 0;
}

/* After a bare "--" every word is init's, even one a handler knows. */
static void test_dashdash_starts_init_args(void **state)
{
	(void)state;
	assert_int_equal(parse_cmdline("loglevel=3 -- a b=c rec=1 --"), 0);
	assert_int_equal(console_loglevel, 3);
	assert_int_equal(rec_calls, 0);
	assert_int_equal(init_nr_args, 4);
	assert_string_equal(init_args[0], "a");
	assert_string_equal(init_args[1], "b=c");
	assert_string_equal(init_args[2], "rec=1");
	assert_string_equal(init_args[3], "--");
}

/*
 * "--=x" is a key=value with the unknown key "--", not the "--" that
 * ends the kernel's words: Linux's parse_args() only stops at a bare
 * "--". The fuzzer (tests/fuzz/fuzz_cmdline.c) found the parser taking
 * it for one, which handed rec=1 to init.
 */
static void test_dashdash_with_value_is_unknown(void **state)
{
	(void)state;
	assert_int_equal(parse_cmdline("--=x rec=1"), 1);
	assert_int_equal(rec_calls, 1);
	assert_string_equal(rec_val, "1");
	assert_int_equal(init_nr_args, 0);
}

/* Bare unknown words are init's; unknown key=value words are errors. */
static void test_unknown_words(void **state)
{
	(void)state;
	assert_int_equal(parse_cmdline("single rec nokey=1 loglevel=nine"), 2);
	assert_int_equal(rec_calls, 1);
	assert_string_equal(rec_val, ""); /* a bare key: "" */
	assert_int_equal(init_nr_args, 1);
	assert_string_equal(init_args[0], "single");
}

/* A word of MAX_WORD bytes or more is rejected, not cut. */
static void test_long_word(void **state)
{
	char line[MAX_WORD + 16];

	(void)state;
	strcpy(line, "rec=");
	memset(line + 4, 'v', MAX_WORD);
	line[4 + MAX_WORD] = '\0';
	assert_int_equal(parse_cmdline(line), 1);
	assert_int_equal(rec_calls, 0);
	assert_int_equal(init_nr_args, 0);
}

static void test_cmdline_get(void **state)
{
	(void)state;
	strcpy(boot_params.cmdline, "a=1 --=x rec rec=2 b= a=3");
	assert_string_equal(cmdline_get("a"), "1");
	assert_string_equal(cmdline_get("rec"), "");
	assert_string_equal(cmdline_get("b"), "");
	assert_string_equal(cmdline_get("--"), "x");
	assert_null(cmdline_get("c"));
}

/*
 * Double quotes keep blanks in a word, as Linux's next_arg(): a word
 * that starts with one loses it and its closing one; a value likewise;
 * a quote inside a word stays; single quotes are ordinary characters.
 */
static void test_double_quotes(void **state)
{
	(void)state;
	assert_int_equal(parse_cmdline(
				 "rec=\"a b\" -- sh -c \"echo a | tr a b\" "
				 "x=\"1 2\" 'q r' a\"b c\"d \"\""),
			 0);
	assert_int_equal(rec_calls, 1);
	assert_string_equal(rec_val, "a b");
	assert_int_equal(init_nr_args, 8);
	assert_string_equal(init_args[0], "sh");
	assert_string_equal(init_args[1], "-c");
	assert_string_equal(init_args[2], "echo a | tr a b");
	assert_string_equal(init_args[3], "x=1 2"); /* repair_env_string() */
	assert_string_equal(init_args[4], "'q");
	assert_string_equal(init_args[5], "r'");
	assert_string_equal(init_args[6], "a\"b c\"d");
	assert_string_equal(init_args[7], "");
	strcpy(boot_params.cmdline, "rec=\"x y\" rec=2");
	assert_string_equal(cmdline_get("rec"), "x y");
}

/* An unterminated quote takes the rest of the line, with a warning. */
static void test_unterminated_quote(void **state)
{
	(void)state;
	host_log_clear();
	assert_int_equal(parse_cmdline("-- a \"b c"), 0);
	assert_int_equal(init_nr_args, 2);
	assert_string_equal(init_args[0], "a");
	assert_string_equal(init_args[1], "b c");
	assert_true(host_log_contains("unterminated quote"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_dashdash_starts_init_args, reset),
		cmocka_unit_test_setup(test_dashdash_with_value_is_unknown,
				       reset),
		cmocka_unit_test_setup(test_unknown_words, reset),
		cmocka_unit_test_setup(test_long_word, reset),
		cmocka_unit_test_setup(test_cmdline_get, reset),
		cmocka_unit_test_setup(test_double_quotes, reset),
		cmocka_unit_test_setup(test_unterminated_quote, reset),
	};

	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
