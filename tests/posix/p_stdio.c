/*
 * p_stdio - the C library's stdio on the console: printf(3), puts(3),
 * fputs(3) to stderr and fflush(3). musl's stdio writes with writev(2);
 * glibc's asks fstat(2) about stdout first. Both lines must come out in
 * order, and every call must report success.
 */
#include <stdio.h>

int main(void)
{
	int bad = 0;

	bad |= printf("ok - printf %d %s\n", 42, "words") != 21;
	bad |= puts("ok - puts") == EOF;
	bad |= fflush(stdout) != 0;
	bad |= fputs("", stderr) == EOF;
	bad |= printf("%s p_stdio\n", bad ? "FAIL" : "PASS") < 0;
	bad |= fflush(stdout) != 0;
	return bad;
}
