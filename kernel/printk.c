/*
 * printk.c - console output (include/kernel/printk.h). The formatter
 * (kernel/vsprintf.c) streams straight into COM1 (arch/x86_64/serial.c),
 * so no message is ever cut at a buffer size. A lock keeps lines printed
 * from interrupt context from interleaving mid-line. Every byte printed
 * also goes into log_buf, a ring of the last LOG_BUF_LEN bytes, which
 * syslog(2) reads (kernel/syslog.c; Linux's printk ring buffer, kept as
 * bytes rather than records).
 */
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <asm/serial.h>

int console_loglevel = 7; /* print everything but KERN_DEBUG */
static DEFINE_SPINLOCK(console_lock);

/* The ring: byte n of the log (counted from boot) is at log_buf[n %
 * LOG_BUF_LEN]; log_next counts them all (console_lock). */
static char log_buf[LOG_BUF_LEN];
static u64 log_next;

/* One byte out: to COM1 and the ring. console_lock held. */
static void printk_putc(char c)
{
	log_buf[log_next % LOG_BUF_LEN] = c;
	log_next++;
	serial_putc(c);
}

u64 log_buf_read(char *dst, size_t len, u64 from, u64 *next)
{
	unsigned long flags;
	u64 first, n, i;

	spin_lock_irqsave(&console_lock, flags);
	first = log_next > LOG_BUF_LEN ? log_next - LOG_BUF_LEN : 0;
	if (from < first)
		from = first;
	n = log_next - from;
	if (n > len) { /* the newest len bytes */
		from = log_next - len;
		n = len;
	}
	for (i = 0; i < n; i++)
		dst[i] = log_buf[(from + i) % LOG_BUF_LEN];
	*next = log_next;
	spin_unlock_irqrestore(&console_lock, flags);
	return n;
}

/* Strip a KERN_<LEVEL> prefix; returns the level (LOGLEVEL_DEFAULT if none). */
static int printk_get_level(const char **fmt)
{
	const char *f = *fmt;

	if (f[0] == KERN_SOH[0] && f[1] >= '0' && f[1] <= '7') {
		*fmt = f + 2;
		return f[1] - '0';
	}
	return LOGLEVEL_DEFAULT;
}

int vprintk(const char *fmt, va_list ap)
{
	unsigned long flags;
	int level = printk_get_level(&fmt);
	int len;

	if (level >= console_loglevel)
		return 0;
	spin_lock_irqsave(&console_lock, flags);
	len = vsprintf_emit(printk_putc, fmt, ap);
	spin_unlock_irqrestore(&console_lock, flags);
	return len;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
