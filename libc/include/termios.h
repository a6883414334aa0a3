/*
 * termios.h - a terminal's modes (libc/poll.c), as glibc's <termios.h>
 * cut down: struct termios is the kernel's (TCGETS's), tcgetattr and
 * tcsetattr go through ioctl(2).
 */
#ifndef _TERMIOS_H
#define _TERMIOS_H

#include <asm/ioctls.h>

#define NCCS __KERNEL_NCCS

typedef unsigned char cc_t;
typedef unsigned int tcflag_t;

struct termios {
	tcflag_t c_iflag;
	tcflag_t c_oflag;
	tcflag_t c_cflag;
	tcflag_t c_lflag;
	cc_t c_line;
	cc_t c_cc[NCCS];
};

/* tcsetattr's when: now, after the output drained, and dropping the
 * input not yet read (TCSETS, TCSETSW, TCSETSF). */
#define TCSANOW	  0
#define TCSADRAIN 1
#define TCSAFLUSH 2

/* tcgetattr - fd's modes into *t; -1 with errno (ENOTTY: not a
 * terminal). tcsetattr - set them, when as above (EINVAL: another). */
int tcgetattr(int fd, struct termios *t);
int tcsetattr(int fd, int when, const struct termios *t);

#endif
