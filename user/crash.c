/*
 * crash - die on purpose, to see how the kernel reports a user fault and
 * how a shell reports the signal (docs/fault-paths.md).
 *   crash segv     write to a kernel address      -> SIGSEGV
 *   crash null     jump to address 0               -> SIGSEGV
 *   crash read     read an unmapped user address   -> SIGSEGV
 *   crash ud2      execute an undefined opcode     -> SIGILL
 *   crash div0     divide by zero                  -> SIGFPE
 *   crash abort    abort()                         -> SIGABRT (or exit 134)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	fflush(stdout);
	if (strcmp(what, "segv") == 0) {
		*(volatile int *)0xffffffff80000000UL = 1;
	} else if (strcmp(what, "null") == 0) {
		void (*volatile fn)(void) = 0;
		fn();
	} else if (strcmp(what, "read") == 0) {
		printf("%d\n", *(volatile int *)0x1000);
	} else if (strcmp(what, "ud2") == 0) {
		__asm__ __volatile__("ud2");
	} else if (strcmp(what, "div0") == 0) {
		volatile int zero = 0, one = 1;
		printf("%d\n", one / zero);
	} else if (strcmp(what, "abort") == 0) {
		abort();
	} else {
		fprintf(stderr, "usage: crash segv|null|read|ud2|div0|abort\n");
		return 2;
	}
	fprintf(stderr, "crash: %s: still alive!\n", what);
	return 1;
}
