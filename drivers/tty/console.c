/*
 * console.c - /dev/console (character device 5:1): the serial line as a
 * terminal, as Linux's tty layer does it for a serial console in
 * canonical mode, cut down to a minimal line discipline: characters are
 * echoed, backspace erases, and a read returns at the end of a line
 * (the rest of the line waits for the next read). The UART is polled
 * once a tick while a reader waits (no serial IRQ yet). init gets it as
 * fds 0, 1 and 2 (files_init_console(), fs/file.c). A stream: lseek,
 * pread and pwrite are -ESPIPE (nonseekable_open()).
 */
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <asm/serial.h>

#define LINE_MAX_BYTES 256

static char line[LINE_MAX_BYTES];
static size_t line_len, line_pos; /* a finished line, partly consumed */
static bool line_ready;

/*
 * Collect one input line into `line`, going on from what an interrupted
 * call left there. 0 at the end of a line (or ^D on an empty one), or
 * -ERESTARTSYS when a signal is pending while it waits: EINTR to a
 * handler without SA_RESTART, else the read starts again and finds the
 * characters typed so far (Linux's n_tty_read() waits the same way).
 */
static int read_line(void)
{
	for (;;) {
		int c = serial_getc_nonblock();

		if (c < 0) {
			if (signal_pending(current))
				return -ERESTARTSYS;
			schedule_timeout_interruptible(1);
			continue;
		}
		if (c == '\r')
			c = '\n';
		if (c == 0x7f || c == '\b') { /* erase one character */
			if (line_len) {
				line_len--;
				serial_putc('\b');
				serial_putc(' ');
				serial_putc('\b');
			}
			continue;
		}
		if (c == 0x04 && line_len == 0) /* ^D on an empty line */
			return 0;
		if (line_len == LINE_MAX_BYTES - 1 && c != '\n')
			continue; /* full: only newline fits */
		serial_putc((char)c);
		line[line_len++] = (char)c;
		if (c == '\n')
			return 0;
	}
}

/*
 * console_read - wait for a whole line (echoed; backspace erases) and
 * return up to the iterator's count of it; the rest is kept for the
 * next read. Returns the bytes read, 0 at once for a count of 0, 0 for
 * ^D on an empty line (end of file), -EFAULT (nothing copied),
 * -ERESTARTSYS (a signal while waiting). Linux's n_tty_read() in
 * canonical mode.
 */
static long console_read(struct kiocb *iocb, struct iov_iter *to)
{
	size_t n, copied;

	(void)iocb;
	if (iov_iter_count(to) == 0)
		return 0;
	if (!line_ready) {
		int err = read_line();

		if (err)
			return err;
		line_ready = true;
		line_pos = 0;
	}
	n = MIN(line_len - line_pos, iov_iter_count(to));
	copied = copy_to_iter(line + line_pos, n, to);
	if (copied < n && copied == 0)
		return -EFAULT;
	line_pos += copied;
	if (line_pos == line_len) {
		line_ready = false;
		line_len = 0;
	}
	return (long)copied; /* 0 at ^D: end of file */
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

const struct file_operations console_fops = {
	.read_iter = console_read,
	.write_iter = console_write,
	.open = nonseekable_open,
};
