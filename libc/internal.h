/*
 * internal.h - libc-internal declarations: functions that one libc file
 * (C or assembly) defines and another calls. Programs never see them (this
 * directory is not on their include path); their names start with __.
 */
#ifndef _LIBC_INTERNAL_H
#define _LIBC_INTERNAL_H

#include <sys/types.h>

/* The program's own main, called by __libc_start_main. */
int main(int argc, char **argv, char **envp);

/*
 * __libc_start_main - start.c, called by _start (crt0.S) with sp at argc,
 * argv[], NULL, envp[], NULL (SysV x86-64 ABI): sets environ, runs main
 * and exit()s with its return value.
 */
void __libc_start_main(long *sp) __attribute__((noreturn));

/*
 * __clone - clone.S: the raw clone system call for clone() in unistd.c.
 * The child runs fn(arg) on stack and exits (exit, this thread only) with
 * its result. Returns the child's tid, or -errno (not -1/errno).
 */
long __clone(int (*fn)(void *), void *stack, int flags, void *arg, pid_t *ptid,
	     void *tls, pid_t *ctid);

/*
 * __stdio_flush_all - stdio.c: write out every stream's buffer. fork,
 * clone without CLONE_VM, exit and abort call it, so that nothing is
 * printed twice or lost.
 */
void __stdio_flush_all(void);

#endif
