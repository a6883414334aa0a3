/*
 * syslog.c - syslog(2), the kernel's message buffer as Linux's
 * do_syslog() (kernel/printk/printk.c) serves it: dmesg reads it with
 * SYSLOG_ACTION_SIZE_BUFFER and SYSLOG_ACTION_READ_ALL. The buffer is
 * printk's ring of bytes (kernel/printk.c, log_buf_read()). Every task
 * is root (CAP_SYSLOG), so nothing is refused.
 */
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/spinlock.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <mm/kmalloc.h>

/* The actions (Linux's SYSLOG_ACTION_*). */
enum {
	SYSLOG_ACTION_CLOSE,
	SYSLOG_ACTION_OPEN,
	SYSLOG_ACTION_READ,
	SYSLOG_ACTION_READ_ALL,
	SYSLOG_ACTION_READ_CLEAR,
	SYSLOG_ACTION_CLEAR,
	SYSLOG_ACTION_CONSOLE_OFF,
	SYSLOG_ACTION_CONSOLE_ON,
	SYSLOG_ACTION_CONSOLE_LEVEL,
	SYSLOG_ACTION_SIZE_UNREAD,
	SYSLOG_ACTION_SIZE_BUFFER,
};

#define MINIMUM_CONSOLE_LOGLEVEL 1 /* Linux's */

/* Where SYSLOG_ACTION_READ goes on, where READ_ALL starts (after a
 * CLEAR), the level CONSOLE_OFF saved (-1: none). syslog_lock. */
static DEFINE_SPINLOCK(syslog_lock);
static u64 syslog_seq, clear_seq;
static int saved_console_loglevel = -1;

/*
 * Copy the log from byte from on (the newest len bytes when there are
 * more; whole lines: a cut line is skipped) to buf. Returns the bytes
 * copied or -errno; *next gets the end.
 */
static long syslog_copy(char __user *buf, int len, u64 from, u64 *next)
{
	char *k = kmalloc(LOG_BUF_LEN);
	u64 n, skip = 0;
	long ret;

	if (!k)
		return -ENOMEM;
	n = log_buf_read(k, MIN((size_t)len, (size_t)LOG_BUF_LEN), from, next);
	/* The newest len bytes may start mid-line: Linux copies whole
	 * records only. */
	if (n && *next - n > from && n == (u64)len) {
		while (skip < n && k[skip] != '\n')
			skip++;
		if (skip < n)
			skip++;
	}
	ret = copy_to_user(buf, k + skip, n - skip) ? -EFAULT :
						      (long)(n - skip);
	kfree(k);
	return ret;
}

/*
 * SYSLOG_ACTION_READ: the oldest unread bytes from from on, up to len,
 * to buf; they count as read. Bytes the ring overwrote are skipped.
 */
static long syslog_read(char __user *buf, int len, u64 from)
{
	char *k = kmalloc(LOG_BUF_LEN);
	unsigned long flags;
	u64 n, next, start;
	long ret;

	if (!k)
		return -ENOMEM;
	n = log_buf_read(k, LOG_BUF_LEN, from, &next);
	start = next - n; /* >= from: what the ring still holds */
	if (n > (u64)len)
		n = (u64)len;
	ret = copy_to_user(buf, k, n) ? -EFAULT : (long)n;
	kfree(k);
	if (ret > 0) {
		spin_lock_irqsave(&syslog_lock, flags);
		if (syslog_seq == from) /* no other reader took them */
			syslog_seq = start + n;
		spin_unlock_irqrestore(&syslog_lock, flags);
	}
	return ret;
}

/*
 * sys_syslog - syslog(2) (klogctl(3)): type is a SYSLOG_ACTION_*:
 * CLOSE and OPEN do nothing (0); READ waits until there are unread
 * bytes and moves up to len of them to buf (then they are read);
 * READ_ALL copies the newest len bytes of the buffer since the last
 * CLEAR (whole lines) without consuming them, READ_CLEAR too and then
 * clears; CLEAR; CONSOLE_OFF / CONSOLE_ON set the console's level to
 * the minimum (1) and back; CONSOLE_LEVEL sets it to len (1..8);
 * SIZE_UNREAD: the bytes READ has not taken; SIZE_BUFFER: LOG_BUF_LEN.
 * Returns the bytes copied or the number asked for, 0, or -EINVAL (an
 * unknown type; a NULL buf or len < 0 for the reads; CONSOLE_LEVEL out
 * of 1..8), -EFAULT, -ERESTARTSYS (READ interrupted by a signal).
 * Linux's do_syslog().
 */
long sys_syslog(int type, char __user *buf, int len)
{
	unsigned long flags;
	u64 from, next;
	long ret;

	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
		if (!buf || len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		if (!access_ok(buf, (size_t)len))
			return -EFAULT;
		for (;;) { /* printk cannot wake us (any context): poll */
			spin_lock_irqsave(&syslog_lock, flags);
			from = syslog_seq;
			spin_unlock_irqrestore(&syslog_lock, flags);
			log_buf_read(NULL, 0, from, &next);
			if (next != from)
				break;
			if (signal_pending(current))
				return -ERESTARTSYS;
			schedule_timeout_interruptible(1);
		}
		return syslog_read(buf, len, from);
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (!buf || len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		if (!access_ok(buf, (size_t)len))
			return -EFAULT;
		spin_lock_irqsave(&syslog_lock, flags);
		from = clear_seq;
		spin_unlock_irqrestore(&syslog_lock, flags);
		ret = syslog_copy(buf, len, from, &next);
		if (ret >= 0 && type == SYSLOG_ACTION_READ_CLEAR) {
			spin_lock_irqsave(&syslog_lock, flags);
			clear_seq = next;
			spin_unlock_irqrestore(&syslog_lock, flags);
		}
		return ret;
	case SYSLOG_ACTION_CLEAR:
		log_buf_read(NULL, 0, 0, &next);
		spin_lock_irqsave(&syslog_lock, flags);
		clear_seq = next;
		spin_unlock_irqrestore(&syslog_lock, flags);
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		spin_lock_irqsave(&syslog_lock, flags);
		if (saved_console_loglevel == -1)
			saved_console_loglevel = console_loglevel;
		console_loglevel = MINIMUM_CONSOLE_LOGLEVEL;
		spin_unlock_irqrestore(&syslog_lock, flags);
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		spin_lock_irqsave(&syslog_lock, flags);
		if (saved_console_loglevel != -1) {
			console_loglevel = saved_console_loglevel;
			saved_console_loglevel = -1;
		}
		spin_unlock_irqrestore(&syslog_lock, flags);
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		spin_lock_irqsave(&syslog_lock, flags);
		console_loglevel = MAX(len, MINIMUM_CONSOLE_LOGLEVEL);
		saved_console_loglevel = -1; /* a level set undoes OFF */
		spin_unlock_irqrestore(&syslog_lock, flags);
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD:
		spin_lock_irqsave(&syslog_lock, flags);
		from = syslog_seq;
		spin_unlock_irqrestore(&syslog_lock, flags);
		log_buf_read(NULL, 0, from, &next);
		return (long)MIN(next - from, (u64)LOG_BUF_LEN);
	case SYSLOG_ACTION_SIZE_BUFFER:
		return LOG_BUF_LEN;
	default:
		return -EINVAL;
	}
}
