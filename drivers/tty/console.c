/*
 * console.c - /dev/console (character device 5:1): the serial line as a
 * terminal, as Linux's tty layer does it for a serial console, cut down
 * to a minimal line discipline (Linux's n_tty). Its modes are a struct
 * termios (TCGETS / TCSETS*, Linux's defaults: ICANON, ECHO, ICRNL,
 * ...), of which these change what it does:
 *   ICANON  canonical: characters collect into a line (backspace or
 *           VERASE erases, VEOF ends it without a newline, and on an
 *           empty line is end of file), and a read returns at the end
 *           of a line, the rest of it waiting for the next read; off:
 *           every character can be read at once (VMIN 0: a read with
 *           nothing there returns 0 instead of waiting).
 *   ECHO    characters are echoed (ECHONL: the newline even without).
 *   ICRNL   a carriage return reads as a newline (IGNCR: dropped).
 * The other flags are kept and returned as set. The UART has no
 * interrupt here: it is polled once a tick while a reader waits, and a
 * poll(2) that waits for the console arms a one-tick timer for the same
 * (console_timer), standing in for the receive interrupt that would
 * wake Linux's poller. init gets the console as fds 0, 1 and 2
 * (files_init_console(), fs/file.c). A stream: lseek, pread and pwrite
 * are -ESPIPE (nonseekable_open()).
 *
 * Locking: ldisc_lock (a spinlock, taken with interrupts off) guards the
 * line buffer, the termios, the window size and the foreground group; it
 * is held to take characters off the UART and echo them, never across a
 * copy to user memory or a sleep. Two readers at once each get whole
 * chunks of what is there, in some order.
 */
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/poll.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <kernel/uaccess.h>
#include <asm/ioctls.h>
#include <asm/serial.h>

#define LINE_MAX_BYTES 256

static DEFINE_SPINLOCK(ldisc_lock);
static char line[LINE_MAX_BYTES];
static size_t line_len, line_pos; /* bytes in line, bytes read of them */
static bool line_ready;		  /* canonical: a whole line (or EOF) */

/* Linux's tty_std_termios, with the serial console's 115200 baud. */
static struct __kernel_termios termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B115200 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
		   IEXTEN,
	.c_cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22,
		  0 },
};
static struct winsize winsize = { .ws_row = 24, .ws_col = 80 };
/* The foreground process group: init's at boot. The console is every
 * session's controlling terminal (there is no TIOCSCTTY here). */
static int fg_pgrp = 1;

/* Pollers of the console; woken each tick by console_timer while one
 * waits. */
static DECLARE_WAIT_QUEUE_HEAD(console_wait);
static void console_timer_fn(struct timer_list *t);
static struct timer_list console_timer = {
	.entry = LIST_HEAD_INIT(console_timer.entry),
	.fn = console_timer_fn,
};

static void console_timer_fn(struct timer_list *t)
{
	wake_up(&console_wait);
	/* Again next tick while a poller is queued (read without the
	 * queue's lock: a poller that just left costs one more tick). */
	if (!list_empty(&console_wait.head))
		mod_timer(t, jiffies + 1);
}

static bool canonical(void)
{
	return termios.c_lflag & ICANON;
}

static void echo(char c)
{
	if ((termios.c_lflag & ECHO) ||
	    (c == '\n' && (termios.c_lflag & ECHONL)))
		serial_putc(c);
}

/* One character off the line into the buffer: Linux's
 * n_tty_receive_char(), cut down. ldisc_lock held. */
static void receive_char(int c)
{
	if (c == '\r') {
		if (termios.c_iflag & IGNCR)
			return;
		if (termios.c_iflag & ICRNL)
			c = '\n';
	}
	if (!canonical()) {
		echo((char)c);
		line[line_len++] = (char)c;
		return;
	}
	if (c == termios.c_cc[VERASE] || c == '\b') {
		if (line_len > line_pos) {
			line_len--;
			if (termios.c_lflag & ECHO) {
				serial_putc('\b');
				serial_putc(' ');
				serial_putc('\b');
			}
		}
		return;
	}
	if (c == termios.c_cc[VEOF]) { /* the line as it is; empty: EOF */
		line_ready = true;
		return;
	}
	if (line_len == LINE_MAX_BYTES - 1 && c != '\n')
		return; /* full: only newline fits */
	echo((char)c);
	line[line_len++] = (char)c;
	if (c == '\n')
		line_ready = true;
}

/* Take what the UART has, while the buffer can hold it. ldisc_lock
 * held. */
static void pump(void)
{
	for (;;) {
		int c;

		if (canonical() ? line_ready : line_len == LINE_MAX_BYTES)
			return;
		c = serial_getc_nonblock();
		if (c < 0)
			return;
		receive_char(c);
	}
}

/* The bytes a read can take now (ldisc_lock held): canonical, the rest
 * of a finished line; else all there is. */
static size_t readable_bytes(void)
{
	if (canonical() && !line_ready)
		return 0;
	return line_len - line_pos;
}

/* Has a read something to return now (bytes, or a canonical EOF)? */
static bool read_ready(void)
{
	return readable_bytes() || (canonical() && line_ready);
}

static void flush_input(void)
{
	line_len = line_pos = 0;
	line_ready = false;
}

/*
 * console_read - wait until something can be read (canonical: a whole
 * line, echoed, backspace erasing; else any character) and return up to
 * the iterator's count of it; the rest is kept for the next read.
 * Returns the bytes read, 0 at once for a count of 0, 0 for VEOF on an
 * empty line (end of file) or, non-canonical with VMIN 0, for nothing
 * there; -EAGAIN (nothing, O_NONBLOCK), -EFAULT (nothing copied: those
 * bytes are gone), -ERESTARTSYS (a signal while waiting: EINTR to a
 * handler without SA_RESTART, else the read starts again and finds the
 * characters typed so far). Linux's n_tty_read().
 */
static long console_read(struct kiocb *iocb, struct iov_iter *to)
{
	char chunk[LINE_MAX_BYTES];
	unsigned long flags;
	size_t n, copied;

	if (iov_iter_count(to) == 0)
		return 0;
	for (;;) {
		bool nothing_is_eof;

		spin_lock_irqsave(&ldisc_lock, flags);
		pump();
		if (read_ready()) {
			n = MIN(readable_bytes(), iov_iter_count(to));
			memcpy(chunk, line + line_pos, n);
			line_pos += n;
			if (line_pos == line_len)
				flush_input();
			spin_unlock_irqrestore(&ldisc_lock, flags);
			break;
		}
		nothing_is_eof = !canonical() && termios.c_cc[VMIN] == 0;
		spin_unlock_irqrestore(&ldisc_lock, flags);
		if (nothing_is_eof)
			return 0;
		if (iocb->ki_filp->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (signal_pending(current))
			return -ERESTARTSYS;
		schedule_timeout_interruptible(1);
	}
	copied = copy_to_iter(chunk, n, to);
	if (n && !copied)
		return -EFAULT;
	return (long)copied; /* 0 at VEOF: end of file */
}

/*
 * console_write - the iterator's bytes to the UART. Returns them all;
 * after a fault part-way, the bytes written before it; -EFAULT when
 * none were. Linux's tty write.
 */
static long console_write(struct kiocb *iocb, struct iov_iter *from)
{
	char chunk[128];
	size_t done = 0;

	(void)iocb;
	while (iov_iter_count(from)) {
		size_t want = MIN(iov_iter_count(from), sizeof(chunk));
		size_t n = copy_from_iter(chunk, want, from);

		for (size_t i = 0; i < n; i++)
			serial_putc(chunk[i]);
		done += n;
		if (n < want)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

/*
 * console_poll - always POLLOUT | POLLWRNORM (a write never waits);
 * POLLIN | POLLRDNORM when a read would return at once (canonical: a
 * finished line or end of file; else any character). Queues the poller
 * on console_wait and, when nothing is there, arms console_timer to look
 * again next tick. Linux's n_tty_poll().
 */
static unsigned int console_poll(struct file *filp, poll_table *pt)
{
	unsigned int mask = POLLOUT | POLLWRNORM;
	unsigned long flags;

	poll_wait(filp, &console_wait, pt);
	spin_lock_irqsave(&ldisc_lock, flags);
	pump();
	if (read_ready())
		mask |= POLLIN | POLLRDNORM;
	else if (!timer_pending(&console_timer))
		mod_timer(&console_timer, jiffies + 1);
	spin_unlock_irqrestore(&ldisc_lock, flags);
	return mask;
}

/*
 * console_ioctl - the terminal requests: TCGETS (the struct termios at
 * arg), TCSETS, TCSETSW (output never waits here: the same), TCSETSF
 * (and the input not yet read is dropped), TIOCGWINSZ / TIOCSWINSZ (the
 * struct winsize; 24x80 at boot), TIOCGPGRP / TIOCSPGRP (the foreground
 * process group, an int: -EINVAL negative, -ESRCH no such group, -EPERM
 * a group of another session), FIONREAD (the bytes a read would take
 * now, an int). Returns 0, -EFAULT, or -ENOTTY for another request.
 * Linux's tty_ioctl(), n_tty_ioctl() and tty_mode_ioctl().
 */
static long console_ioctl(struct file *filp, unsigned int cmd,
			  unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	struct __kernel_termios t;
	struct winsize ws;
	unsigned long flags;
	int val;

	(void)filp;
	switch (cmd) {
	case TCGETS:
		spin_lock_irqsave(&ldisc_lock, flags);
		t = termios;
		spin_unlock_irqrestore(&ldisc_lock, flags);
		return copy_to_user(argp, &t, sizeof(t)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		if (copy_from_user(&t, argp, sizeof(t)))
			return -EFAULT;
		spin_lock_irqsave(&ldisc_lock, flags);
		termios = t;
		if (cmd == TCSETSF) {
			flush_input();
			while (serial_getc_nonblock() >= 0)
				;
		}
		spin_unlock_irqrestore(&ldisc_lock, flags);
		return 0;
	case TIOCGWINSZ:
		spin_lock_irqsave(&ldisc_lock, flags);
		ws = winsize;
		spin_unlock_irqrestore(&ldisc_lock, flags);
		return copy_to_user(argp, &ws, sizeof(ws)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		if (copy_from_user(&ws, argp, sizeof(ws)))
			return -EFAULT;
		spin_lock_irqsave(&ldisc_lock, flags);
		winsize = ws;
		spin_unlock_irqrestore(&ldisc_lock, flags);
		return 0;
	case TIOCGPGRP:
		val = READ_ONCE(fg_pgrp);
		return copy_to_user(argp, &val, sizeof(val)) ? -EFAULT : 0;
	case TIOCSPGRP: {
		int err;

		if (copy_from_user(&val, argp, sizeof(val)))
			return -EFAULT;
		if (val < 0)
			return -EINVAL;
		err = pgrp_in_my_session(val);
		if (err)
			return err;
		WRITE_ONCE(fg_pgrp, val);
		return 0;
	}
	case FIONREAD:
		spin_lock_irqsave(&ldisc_lock, flags);
		pump();
		val = (int)readable_bytes();
		spin_unlock_irqrestore(&ldisc_lock, flags);
		return copy_to_user(argp, &val, sizeof(val)) ? -EFAULT : 0;
	default:
		return -ENOTTY;
	}
}

const struct file_operations console_fops = {
	.read_iter = console_read,
	.write_iter = console_write,
	.poll = console_poll,
	.unlocked_ioctl = console_ioctl,
	.open = nonseekable_open,
};
