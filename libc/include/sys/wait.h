/*
 * sys/wait.h - waiting for children; the status word has Linux's encoding:
 * exit code in bits 8-15 (low 7 bits zero), or the terminating signal in
 * bits 0-6 (bit 7: core dumped); 0x7f in the low byte means stopped.
 */
#ifndef _SYS_WAIT_H
#define _SYS_WAIT_H

#include <sys/types.h>

#define WNOHANG	    1
#define WUNTRACED   2
#define WEXITED	    4
#define WCONTINUED  8
#define __WNOTHREAD 0x20000000
#define __WALL	    0x40000000
#define __WCLONE    0x80000000

#define WEXITSTATUS(s) (((s)&0xff00) >> 8)
#define WTERMSIG(s)    ((s)&0x7f)
#define WSTOPSIG(s)    WEXITSTATUS(s)
#define WIFEXITED(s)   (WTERMSIG(s) == 0)
#define WIFSIGNALED(s) (((signed char)(((s)&0x7f) + 1) >> 1) > 0)
#define WIFSTOPPED(s)  (((s)&0xff) == 0x7f)
#define WCOREDUMP(s)   ((s)&0x80)

struct rusage;

/*
 * wait4 - wait for a child to end: pid > 0 that child, -1 any child;
 * options WNOHANG returns 0 at once when none has ended. Stores the
 * status word (above) in *status if status is not NULL, and in *ru, if
 * ru is not NULL, the child's resource usage (<sys/resource.h>: what our
 * kernel keeps is the minor faults, the child's and those of the
 * children it waited for; the rest is zero). Returns the
 * child's pid, or -1 with errno (ECHILD: no such child; EINVAL: pid 0 or
 * below -1, as process groups are not supported). waitpid(pid, st, opt) is wait4(pid, st, opt, NULL); wait(st)
 * is waitpid(-1, st, 0).
 */
pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru);

#endif
