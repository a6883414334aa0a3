/*
 * ioctls.h - the ioctl(2) requests of terminals and files and the
 * terminal's structures (struct termios, struct winsize), with Linux's
 * x86-64 values and layouts (include/uapi/asm-generic/ioctls.h,
 * termbits.h, termios.h). Shared by the kernel (fs/ioctl.c,
 * drivers/tty/console.c, fs/pipe.c) and libc (<sys/ioctl.h>,
 * <termios.h>).
 */
#ifndef UAPI_ASM_IOCTLS_H
#define UAPI_ASM_IOCTLS_H

/* clang-format off */
#define TCGETS		0x5401 /* struct termios out */
#define TCSETS		0x5402 /* struct termios in, now */
#define TCSETSW		0x5403 /* ... after the output drained */
#define TCSETSF		0x5404 /* ... and the pending input dropped */
#define TIOCGPGRP	0x540F /* the foreground process group out (int) */
#define TIOCSPGRP	0x5410 /* ... in */
#define TIOCGWINSZ	0x5413 /* struct winsize out */
#define TIOCSWINSZ	0x5414 /* struct winsize in */
#define FIONREAD	0x541B /* bytes ready to read (int) */
#define TIOCINQ		FIONREAD
#define FIONBIO		0x5421 /* (int) nonzero: set O_NONBLOCK, 0: clear */
#define FIONCLEX	0x5450 /* clear close-on-exec */
#define FIOCLEX		0x5451 /* set close-on-exec */

/* struct termios's c_cc indices */
#define VINTR		0
#define VQUIT		1
#define VERASE		2
#define VKILL		3
#define VEOF		4
#define VTIME		5
#define VMIN		6
#define VSWTC		7
#define VSTART		8
#define VSTOP		9
#define VSUSP		10
#define VEOL		11
#define VREPRINT	12
#define VDISCARD	13
#define VWERASE		14
#define VLNEXT		15
#define VEOL2		16

/* c_iflag */
#define IGNBRK		0000001
#define BRKINT		0000002
#define INLCR		0000100
#define IGNCR		0000200
#define ICRNL		0000400
#define IXON		0002000
/* c_oflag */
#define OPOST		0000001
#define ONLCR		0000004
/* c_cflag */
#define B38400		0000017
#define CS8		0000060
#define CREAD		0000200
#define HUPCL		0002000
#define B115200		0010002
/* c_lflag */
#define ISIG		0000001
#define ICANON		0000002
#define ECHO		0000010
#define ECHOE		0000020
#define ECHOK		0000040
#define ECHONL		0000100
#define NOFLSH		0000200
#define TOSTOP		0000400
#define ECHOCTL		0001000
#define ECHOKE		0004000
#define IEXTEN		0100000
/* clang-format on */

#define __KERNEL_NCCS 19 /* Linux's NCCS for the kernel's struct termios */

/* What TCGETS and TCSETS* move: Linux's struct termios (36 bytes; the
 * C libraries' own struct termios is bigger and starts the same). */
struct __kernel_termios {
	unsigned int c_iflag; /* input modes */
	unsigned int c_oflag; /* output modes */
	unsigned int c_cflag; /* control modes */
	unsigned int c_lflag; /* local modes */
	unsigned char c_line; /* line discipline (0: N_TTY) */
	unsigned char c_cc[__KERNEL_NCCS];
};

struct winsize {
	unsigned short ws_row; /* characters */
	unsigned short ws_col;
	unsigned short ws_xpixel; /* pixels (0: unknown) */
	unsigned short ws_ypixel;
};

#endif
