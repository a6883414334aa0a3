/* sleep - sleep N seconds, or N ms with the suffix "ms" (sleep 250ms). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct timespec ts;
	char *end;
	long n;

	if (argc != 2) {
		fprintf(stderr, "usage: sleep SECONDS | sleep MSms\n");
		return 2;
	}
	n = strtol(argv[1], &end, 10);
	if (end == argv[1] || n < 0 || (*end && strcmp(end, "ms") != 0)) {
		fprintf(stderr, "sleep: bad duration '%s'\n", argv[1]);
		return 2;
	}
	if (*end) {
		ts.tv_sec = n / 1000;
		ts.tv_nsec = (n % 1000) * 1000000L;
	} else {
		ts.tv_sec = n;
		ts.tv_nsec = 0;
	}
	if (nanosleep(&ts, NULL) < 0) {
		perror("sleep: nanosleep");
		return 1;
	}
	return 0;
}
