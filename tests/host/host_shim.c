/*
 * host_shim.c - the kernel services the host unit tests link instead of
 * kernel/printk.c and kernel/ksyms.c: printk()/vprintk() format with the
 * kernel's own vsnprintf (kernel/vsprintf.c; the Makefile renames it to
 * kernel_vsnprintf so it cannot clash with the C library's) into a capture
 * buffer, which tests search for "double free" and the like, and echo to
 * stderr unless HOST_QUIET is set. ksym_lookup() knows no symbols, so %pS
 * prints a bare address.
 */
#include <kernel/printk.h>
#include <kernel/ksyms.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host_shim.h"

int console_loglevel = 8;

static char log_buf[1 << 16];
static size_t log_len;

void host_log_clear(void)
{
	log_len = 0;
	log_buf[0] = '\0';
}

const char *host_log(void)
{
	return log_buf;
}

bool host_log_contains(const char *s)
{
	return strstr(log_buf, s) != NULL;
}

int vprintk(const char *fmt, va_list ap)
{
	char line[1024];
	char *msg = line;
	va_list aq;
	int len;

	va_copy(aq, ap);
	len = vsnprintf(line, sizeof(line), fmt, aq);
	va_end(aq);
	if (len < 0)
		return 0;
	if ((size_t)len >= sizeof(line)) {	/* never truncate */
		msg = malloc((size_t)len + 1);
		if (!msg)
			return 0;
		vsnprintf(msg, (size_t)len + 1, fmt, ap);
	}

	/* Strip a KERN_<level> prefix, as kernel/printk.c does. */
	char *text = msg;
	if (text[0] == KERN_SOH[0] && text[1] >= '0' && text[1] <= '7')
		text += 2;
	size_t n = strlen(text);

	size_t room = sizeof(log_buf) - 1 - log_len;
	size_t copy = n < room ? n : room;
	memcpy(log_buf + log_len, text, copy);
	log_len += copy;
	log_buf[log_len] = '\0';

	if (!getenv("HOST_QUIET"))
		fprintf(stderr, "[printk] %s", text);
	if (msg != line)
		free(msg);
	return (int)n;
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

const char *ksym_lookup(unsigned long addr, unsigned long *offset,
			unsigned long *size)
{
	(void)addr;
	(void)offset;
	(void)size;
	return NULL;
}

unsigned long ksym_address(const char *name)
{
	(void)name;
	return 0;
}
