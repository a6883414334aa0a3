/*
 * bits/signal_unistd.h - the <unistd.h> calls of signals and process
 * groups, implemented in libc/signal.c: alarm, pause, and the process
 * group and session calls. Included by <unistd.h>.
 */
#ifndef _BITS_SIGNAL_UNISTD_H
#define _BITS_SIGNAL_UNISTD_H

#include <sys/types.h>

/* alarm - SIGALRM in seconds seconds (0 cancels); returns the seconds
 * left of the previous alarm. pause - sleep until a handler ran: always
 * -1 with EINTR. */
unsigned int alarm(unsigned int seconds);
int pause(void);

/*
 * setpgid - move process pid (0: the caller) into group pgid (0: pid);
 * getpgid/getsid - the group/session of pid (0: the caller); getpgrp -
 * the caller's group; setsid - a new session and group led by the
 * caller, returning its id. -1 with errno on failure (EINVAL, ESRCH,
 * EPERM, EACCES), as man 2 setpgid and setsid say.
 */
int setpgid(pid_t pid, pid_t pgid);
pid_t getpgid(pid_t pid);
pid_t getpgrp(void);
pid_t setsid(void);
pid_t getsid(pid_t pid);

#endif
