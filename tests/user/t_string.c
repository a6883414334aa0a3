/*
 * t_string - string.h and stdlib.h helpers: mem* and str*, strtok_r, strdup,
 * strtol/strtoul (bases, signs, end pointers, overflow), atoi, qsort,
 * bsearch, getenv, strerror.
 */
#define _GNU_SOURCE
#define TEST_NAME "t_string"
#include "utest.h"
#include <limits.h>

/* cmp_int - qsort/bsearch order of ints. */
static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int main(void)
{
	char buf[64], *save, *tok, *end;
	int v[100], i, sorted = 1;
	char *d;

	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(buf[63], 'x');
	memcpy(buf, "hello", 6);
	CHECK_EQ(strlen(buf), 5);
	CHECK_EQ(strnlen(buf, 3), 3);
	memmove(buf + 1, buf, 6);
	CHECK_EQ(strcmp(buf + 1, "hello"), 0);
	memmove(buf, buf + 1, 6);
	CHECK_EQ(strcmp(buf, "hello"), 0);
	CHECK(memcmp("abc", "abd", 3) < 0);
	CHECK(strcmp("abc", "ab") > 0);
	CHECK(strcmp("\xff", "a") > 0); /* compares as unsigned char */
	CHECK_EQ(strncmp("abcX", "abcY", 3), 0);
	CHECK(strchr("hello", 'l') == (char *)"hello" + 2 ||
	      strchr("hello", 'l') != NULL);
	CHECK_EQ(strrchr("hello", 'l') - strchr("hello", 'l'), 1);
	CHECK(strchr("hello", 'z') == NULL);
	CHECK(strstr("haystack", "st") != NULL &&
	      strcmp(strstr("haystack", "st"), "stack") == 0);
	CHECK(strstr("haystack", "xyz") == NULL);
	CHECK_EQ(strspn("aabbc", "ab"), 4);
	CHECK_EQ(strcspn("abc,def", ",;"), 3);
	strcpy(buf, "ab");
	strcat(buf, "cd");
	strncat(buf, "efgh", 2);
	CHECK_EQ(strcmp(buf, "abcdef"), 0);
	strncpy(buf, "xy", 5);
	CHECK(buf[2] == 0 && buf[4] == 0);

	strcpy(buf, "  one, two,,three  ");
	tok = strtok_r(buf, " ,", &save);
	CHECK(tok && strcmp(tok, "one") == 0);
	tok = strtok_r(NULL, " ,", &save);
	CHECK(tok && strcmp(tok, "two") == 0);
	tok = strtok_r(NULL, " ,", &save);
	CHECK(tok && strcmp(tok, "three") == 0);
	CHECK(strtok_r(NULL, " ,", &save) == NULL);

	d = strdup("duplicate");
	CHECK(d && strcmp(d, "duplicate") == 0);
	free(d);

	CHECK_EQ(strtol("  -123xyz", &end, 10), -123);
	CHECK_EQ(strcmp(end, "xyz"), 0);
	CHECK_EQ(strtol("0x1F", NULL, 16), 31);
	CHECK_EQ(strtol("0x1F", NULL, 0), 31);
	CHECK_EQ(strtol("017", NULL, 0), 15);
	CHECK_EQ(strtol("z", NULL, 36), 35);
	CHECK_EQ(strtoul("4294967296", NULL, 10), 4294967296UL);
	CHECK_EQ(strtol("abc", &end, 10), 0);
	CHECK_EQ(strcmp(end, "abc"), 0);
	errno = 0;
	CHECK_EQ(strtol("99999999999999999999", NULL, 10), LONG_MAX);
	CHECK_EQ(errno, ERANGE);
	errno = 0;
	CHECK_EQ(strtol("-99999999999999999999", NULL, 10), LONG_MIN);
	CHECK_EQ(errno, ERANGE);
	CHECK_EQ(strtol("-9223372036854775808", NULL, 10), LONG_MIN);
	CHECK_EQ(strtoul("-1", NULL, 10), ULONG_MAX);
	CHECK_EQ(atoi("42"), 42);
	CHECK_EQ(atoi("-7"), -7);
	CHECK_EQ(abs(-5), 5);

	for (i = 0; i < 100; i++)
		v[i] = (i * 37) % 101;
	qsort(v, 100, sizeof(int), cmp_int);
	for (i = 1; i < 100; i++)
		if (v[i - 1] > v[i])
			sorted = 0;
	CHECK(sorted);
	i = 37;
	CHECK(bsearch(&i, v, 100, sizeof(int), cmp_int) != NULL);
	i = 1000;
	CHECK(bsearch(&i, v, 100, sizeof(int), cmp_int) == NULL);

	CHECK(getenv("NO_SUCH_VARIABLE_HERE") == NULL);
	CHECK_EQ(strcmp(strerror(EFAULT), "Bad address"), 0);
	CHECK_EQ(strcmp(strerror(ENOSYS), "Function not implemented"), 0);
	return utest_done();
}
