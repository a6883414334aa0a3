/*
 * unistd.h - POSIX process and I/O calls (libc/unistd.c, libc/syscall.c).
 * Each is one Linux system call (docs/syscalls.md) unless noted; on failure
 * they return -1 (or MAP_FAILED etc.) and set errno.
 */
#ifndef _UNISTD_H
#define _UNISTD_H

#include <stddef.h>
#include <sys/types.h>

#define STDIN_FILENO	0
#define STDOUT_FILENO	1
#define STDERR_FILENO	2

extern char **environ;

ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
int close(int fd);
void _exit(int status) __attribute__((noreturn));	/* exit_group */
pid_t fork(void);		/* flushes stdio first (no duplicated output) */
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);	/* envp = environ */
pid_t getpid(void);
pid_t getppid(void);
pid_t gettid(void);
unsigned int sleep(unsigned int seconds);		/* nanosleep */
int usleep(useconds_t usec);				/* nanosleep */
int brk(void *addr);
void *sbrk(intptr_t increment);
long syscall(long number, ...);

#endif
