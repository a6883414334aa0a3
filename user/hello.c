/* hello - the smallest user program: prints a greeting and its pid. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("Hello, world! (pid %d)\n", (int)getpid());
	return 0;
}
