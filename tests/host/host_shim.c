/*
 * host_shim.c - the kernel services the host unit tests link instead of
 * the kernel's hardware-facing ones. kernel/printk.c itself is linked;
 * what it writes to the UART (serial_putc) is captured here into a
 * buffer, which tests search for "double free" and the like, and echoed
 * line by line to stderr unless HOST_QUIET is set. ksym_lookup() knows no
 * symbols, so %pS prints a bare address. panic() reports and aborts the
 * test program. host_cpu is the CPU the test plays (the host
 * include/kernel/smp.h).
 */
#include <kernel/ksyms.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <asm/serial.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/smp.h>
#include "host_shim.h"

int host_cpu; /* what smp_processor_id() says (include/kernel/smp.h) */

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

/* The console: keep every byte (while there is room), echo whole lines. */
/* mm/vma.c's file references: the host tests map no files. */
struct file;
struct file *get_file(struct file *f);
void fput(struct file *f);
struct file *get_file(struct file *f)
{
	return f;
}

void fput(struct file *f)
{
	(void)f;
}

/* ... nor are there files' i_mmap lists to link their VMAs into. */
struct vm_area_struct;
void vma_link_file(struct vm_area_struct *vma);
void unlink_file_vma(struct vm_area_struct *vma);
void vma_link_file_after(struct vm_area_struct *new,
			 struct vm_area_struct *old);
void vma_link_file(struct vm_area_struct *vma)
{
	(void)vma;
}

void unlink_file_vma(struct vm_area_struct *vma)
{
	(void)vma;
}

void vma_link_file_after(struct vm_area_struct *new, struct vm_area_struct *old)
{
	(void)new;
	(void)old;
}

void serial_putc(char c)
{
	static char line[1024];
	static size_t line_len;
	static int quiet = -1;

	if (log_len + 1 < sizeof(log_buf)) {
		log_buf[log_len++] = c;
		log_buf[log_len] = '\0';
	}
	if (quiet < 0)
		quiet = getenv("HOST_QUIET") != NULL;
	if (quiet)
		return;
	line[line_len++] = c;
	if (c == '\n' || line_len == sizeof(line)) {
		fprintf(stderr, "[printk] %.*s", (int)line_len, line);
		line_len = 0;
	}
}

void panic(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap); /* the kernel's */
	va_end(ap);
	fprintf(stderr, "Kernel panic - not syncing: %s\n", msg);
	abort();
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
