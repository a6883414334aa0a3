/*
 * sys_io.c - read(2) and write(2) on the serial console, the only file
 * this kernel has: fds 0, 1 and 2 all are the console, for reading and
 * writing, as a terminal is on Linux. Input gets a
 * minimal line discipline (as a terminal in canonical mode): characters
 * are echoed, backspace erases, and read returns at the end of a line.
 * The UART is polled once a tick while a reader waits (no serial IRQ yet).
 */
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <asm/serial.h>

#define LINE_MAX_BYTES 256

static char line[LINE_MAX_BYTES];
static size_t line_len, line_pos; /* a finished line, partly consumed */
static bool line_ready;

/* Collect one input line into `line`; false if killed while waiting. */
static bool read_line(void)
{
	line_len = line_pos = 0;
	for (;;) {
		int c = serial_getc_nonblock();

		if (c < 0) {
			if (current->pending_kill)
				return false;
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
			return true;
		if (line_len == LINE_MAX_BYTES - 1 && c != '\n')
			continue; /* full: only newline fits */
		serial_putc((char)c);
		line[line_len++] = (char)c;
		if (c == '\n')
			return true;
	}
}

/*
 * sys_read - read(2) from the console (fds 0, 1, 2): wait for a whole
 * line (echoed; backspace erases) and return up to count bytes of it; the
 * rest is kept for the next read. Returns the bytes read, 0 at once when
 * count is 0, 0 for ^D on an empty line (end of file), or -EBADF (fd >
 * 2), -EFAULT (buf, count outside user space: checked first, even when
 * count is 0; or a fault), -EINTR (killed while waiting). Linux's
 * vfs_read() and read(2) on a terminal in canonical mode.
 */
long sys_read(unsigned int fd, char __user *buf, size_t count)
{
	size_t n;

	if (fd > 2)
		return -EBADF;
	/* Linux's vfs_read() checks the range before it looks at count. */
	if (!access_ok(buf, count))
		return -EFAULT;
	if (count == 0)
		return 0;
	if (!line_ready) {
		if (!read_line())
			return -EINTR;
		line_ready = true;
	}
	n = line_len - line_pos;
	if (n > count)
		n = count;
	if (copy_to_user(buf, line + line_pos, n))
		return -EFAULT;
	line_pos += n;
	if (line_pos == line_len)
		line_ready = false;
	return (long)n; /* 0 at ^D: end of file */
}

/*
 * sys_write - write(2) to the console (fds 0, 1, 2): count bytes from buf
 * to the UART. Returns count; after a fault part-way, the bytes written
 * before it; or -EBADF (fd > 2), -EFAULT (buf, count outside user space,
 * even when count is 0, as Linux's vfs_write(); or nothing written).
 * Linux's write(2).
 */
long sys_write(unsigned int fd, const char __user *buf, size_t count)
{
	char chunk[128];
	size_t done = 0;

	if (fd > 2)
		return -EBADF;
	if (!access_ok(buf, count))
		return -EFAULT;
	while (done < count) {
		size_t n = count - done < sizeof(chunk) ? count - done :
							  sizeof(chunk);

		if (copy_from_user(chunk, buf + done, n))
			return done ? (long)done : -EFAULT;
		for (size_t i = 0; i < n; i++)
			serial_putc(chunk[i]);
		done += n;
	}
	return (long)done;
}
