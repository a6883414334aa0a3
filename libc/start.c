/*
 * start.c - from crt0's _start to main and exit; errno and environ.
 * Works with crt0.S (the initial stack) and stdlib.c (exit).
 */
#include <stdlib.h>
#include <unistd.h>
#include "internal.h"

int errno;
char **environ;

/* __libc_start_main - see internal.h. */
void __libc_start_main(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;

	environ = envp;
	exit(main(argc, argv, envp));
}
