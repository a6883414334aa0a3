/* t_hello - hello world: printf, puts and write report what they wrote. */
#define _GNU_SOURCE
#define TEST_NAME "t_hello"
#include "utest.h"

int main(void)
{
	static const char msg[] = "# t_hello: hello from write()\n";
	int n;

	n = printf("# t_hello: Hello, world! (pid %d)\n", (int)getpid());
	CHECK(n == (int)strlen("# t_hello: Hello, world! (pid )\n") +
			   snprintf(NULL, 0, "%d", (int)getpid()));
	CHECK(puts("# t_hello: hello from puts()") >= 0);
	CHECK_EQ(fflush(stdout), 0);
	CHECK_EQ(write(1, msg, sizeof(msg) - 1), sizeof(msg) - 1);
	CHECK_EQ(write(1, msg, 0), 0);
	CHECK_EQ(fprintf(stderr, "%s", ""), 0);
	return utest_done();
}
