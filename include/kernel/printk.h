/*
 * printk.h - the kernel's console output (kernel/printk.c) and its printf
 * core (kernel/vsprintf.c). Levels are Linux's: a message may start with
 * KERN_ERR etc.; messages less important than console_loglevel are dropped.
 *
 * Formats: %d %i %u %x %X %o %c %s %p %%, with the hh h l ll z t length
 * modifiers, a field width (digits or *), a precision for %s, and the
 * flags '0', '-' and '#'. %p prints 0x + 16 hex digits; %pS prints a
 * kernel text address as symbol+off/size; %pB does the same for a return
 * address (looks up address - 1). kernel/vsprintf.c lists the details.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <kernel/compiler.h>
#include <kernel/types.h>

#define KERN_SOH     "\001"
#define KERN_EMERG   KERN_SOH "0"
#define KERN_ALERT   KERN_SOH "1"
#define KERN_CRIT    KERN_SOH "2"
#define KERN_ERR     KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE  KERN_SOH "5"
#define KERN_INFO    KERN_SOH "6"
#define KERN_DEBUG   KERN_SOH "7"

#define LOGLEVEL_DEFAULT 4 /* level of a message with no KERN_ prefix */

/* Messages with a level below this number reach the console (loglevel=). */
extern int console_loglevel;

/*
 * printk - format and write a message to the console (COM1).
 * Returns the number of characters written (after the level prefix is
 * stripped), or 0 when the message was filtered by console_loglevel.
 * Mirrors Linux's printk(); messages are streamed to the UART as they are
 * formatted, so none is ever truncated.
 */
int printk(const char *fmt, ...) __printf(1, 2);

/* vprintk - printk() with a va_list. Linux's vprintk(). */
int vprintk(const char *fmt, va_list ap);

/* The bytes of the printk ring buffer (Linux's CONFIG_LOG_BUF_SHIFT 14). */
#define LOG_BUF_LEN 16384

/*
 * log_buf_read - copy into dst the bytes of the printk ring from byte
 * number from (counted since boot; older ones are gone, newer ones are
 * taken) on, at most len of them: the newest len when there are more.
 * Returns the bytes copied; *next gets the number of the byte the next
 * printk will write. Takes the console lock, never sleeps. Ours (Linux
 * reads records with prb_read_valid()).
 */
u64 log_buf_read(char *dst, size_t len, u64 from, u64 *next);

/*
 * vsnprintf - format into buf, at most size bytes including the NUL.
 * Returns the length the full output would have had (C99 semantics), so a
 * caller detects truncation by ret >= size. Mirrors lib/vsprintf.c.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* snprintf - vsnprintf() with arguments, same result. Linux's snprintf(). */
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/*
 * vsprintf_emit - format, handing each output character to emit() as it is
 * produced: no buffer, so no length limit. Returns the characters emitted.
 * Our own (printk()'s streaming core); Linux formats into a buffer.
 */
int vsprintf_emit(void (*emit)(char c), const char *fmt, va_list ap);

#define pr_emerg(fmt, ...)  printk(KERN_EMERG fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)    printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)   printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)   printk(KERN_INFO fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)  printk(KERN_DEBUG fmt, ##__VA_ARGS__)

#endif
