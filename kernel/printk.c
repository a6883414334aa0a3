/*
 * printk.c - console output (include/kernel/printk.h). The formatter
 * (kernel/vsprintf.c) streams straight into COM1 (arch/x86_64/serial.c),
 * so no message is ever cut at a buffer size. A lock keeps lines printed
 * from interrupt context from interleaving mid-line.
 */
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <asm/serial.h>

int console_loglevel = 7; /* print everything but KERN_DEBUG */
static DEFINE_SPINLOCK(console_lock);

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
	len = vsprintf_emit(serial_putc, fmt, ap);
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
