/*
 * poll.h - poll(2)'s event bits and struct pollfd, with Linux's values
 * and layout (include/uapi/asm-generic/poll.h). Shared by the kernel
 * (fs/select.c, the drivers' ->poll) and libc (libc/include/poll.h).
 */
#ifndef UAPI_ASM_POLL_H
#define UAPI_ASM_POLL_H

/* clang-format off */
#define POLLIN		0x0001 /* data to read */
#define POLLPRI		0x0002 /* urgent data (never here) */
#define POLLOUT		0x0004 /* writing will not block */
#define POLLERR		0x0008 /* an error (a pipe's write end, no reader) */
#define POLLHUP		0x0010 /* hung up (a pipe's read end, no writer) */
#define POLLNVAL	0x0020 /* fd not open */
#define POLLRDNORM	0x0040 /* normal data to read */
#define POLLRDBAND	0x0080
#define POLLWRNORM	0x0100 /* normal data can be written */
#define POLLWRBAND	0x0200
#define POLLMSG		0x0400
#define POLLREMOVE	0x1000
#define POLLRDHUP	0x2000
/* clang-format on */

struct pollfd {
	int fd;	       /* negative: ignored, revents 0 */
	short events;  /* what the caller waits for */
	short revents; /* what happened: events, POLLERR, POLLHUP, POLLNVAL */
};

#endif
