/*
 * unistd.h - POSIX process and I/O calls (libc/unistd.c). Each is one
 * Linux system call with Linux's semantics (man 2 NAME; the kernel's side:
 * docs/syscalls.md) unless noted; on failure they return -1 and set errno
 * to the kernel's error (EFAULT for a bad pointer, ENOSYS for a call the
 * kernel lacks, ...).
 */
#ifndef _UNISTD_H
#define _UNISTD_H

#include <stddef.h>
#include <sys/types.h>
#include <bits/fs_unistd.h>   /* the file calls */
#include <bits/pipe_unistd.h> /* pipe, pipe2 */

#include <bits/signal_unistd.h> /* alarm, pause, setpgid, ... */

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/* The environment, "NAME=value" strings and a NULL (set by start.c). */
extern char **environ;

/* read, write - transfer up to count bytes; return the number moved (0
 * from read: end of input). close - release fd. */
ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
int close(int fd);
/* _exit - end the whole process (exit_group) with status & 0xff, without
 * atexit handlers or a stdio flush. */
void _exit(int status) __attribute__((noreturn));
/* fork - flush stdio (or both processes would print what is buffered),
 * then copy the process; returns the child's pid to the parent, 0 in the
 * child. */
pid_t fork(void);
/* execve - replace this program by path with argv and envp; returns only
 * on failure. execv - the same with envp = environ. */
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
/* getpid - the process id (TGID); getppid - its parent's; gettid - this
 * thread's id. They cannot fail. */
pid_t getpid(void);
pid_t getppid(void);
pid_t gettid(void);
/* sleep - nanosleep for seconds; returns 0, or the seconds left
 * (rounded up) when cut short. usleep - nanosleep for usec
 * microseconds; 0 or -1. */
unsigned int sleep(unsigned int seconds);
int usleep(useconds_t usec);
/* brk - set the program break (the heap's end) to addr; 0, or -1 with
 * ENOMEM when the kernel left it elsewhere (the raw call returns the break
 * it kept, as Linux's does). sbrk - move the break by increment bytes;
 * returns the old break, or (void *)-1 with ENOMEM. */
int brk(void *addr);
void *sbrk(intptr_t increment);
/* isatty - 1 if fd is a terminal (TCGETS works on it), else 0 with
 * errno set (ENOTTY, EBADF). */
int isatty(int fd);
/* syscall - make system call number with up to six arguments; returns the
 * kernel's result, or -1 with errno when it is -4095..-1. */
long syscall(long number, ...);

#endif
