/*
 * panic.h - stopping the kernel when it cannot go on (kernel/panic.c).
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <kernel/compiler.h>

/*
 * panic - print "Kernel panic - not syncing: <message>", a backtrace
 * (unless an oops already printed one), and stop the machine with exit
 * code EXIT_PANIC. Never returns. A panic inside a panic stops at once.
 * Mirrors Linux's panic().
 */
void panic(const char *fmt, ...) __noreturn __printf(1, 2);

/*
 * oops_begin - interrupts off, and note that a register dump and trace
 * are being printed, so that a panic() after it prints no second trace.
 * Linux's oops_begin().
 */
void oops_begin(void);

/* BUG_ON - panic with the file and line when cond holds. */
#define BUG_ON(cond)                                                          \
	do {                                                                  \
		if (unlikely(cond))                                           \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)
#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)

#endif
