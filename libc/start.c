/*
 * start.c - from crt0's _start to main and exit; errno and environ.
 * Works with crt0.S (the initial stack) and stdlib.c (exit).
 */
#include <stdlib.h>
#include <unistd.h>

int errno;
char **environ;

int main(int argc, char **argv, char **envp);
void __libc_start_main(long *sp) __attribute__((noreturn));

/*
 * __libc_start_main - sp points at argc, then argv[], NULL, envp[], NULL
 * (SysV x86-64 ABI). Runs main and exits with its return value.
 */
void __libc_start_main(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;

	environ = envp;
	exit(main(argc, argv, envp));
}
